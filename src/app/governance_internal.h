#pragma once
// What the two halves of app/governance behind governance.h share:
//   governance_proposals.cc, governance_constitutions.cc (+ repo/proposals_repo.*):
//     constitutions, decisions, proposals' lifecycle, comments, elections, seats;
//   governance_ballots.cc (+ repo/ballots_repo.*):
//     the roll, casting, receipts, results, proxies, BLT export, spend.
// Not part of the API; only app/governance*.cc include it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/json.h"
#include "governance/constitution.h"
#include "governance/voting/rules.h"
#include "governance/voting/voting.h"
#include "store/database.h"

namespace agora::app::gov {

namespace voting = governance::voting;

// One row of `proposals` (store/migrations/0005_governance.sql).
struct ProposalRow {
  int64_t id = 0, decision_id = 0, org_id = 0;
  std::string body_key, domain, kind, title, text, method_name;
  voting::Method method = voting::Method::majority;
  std::vector<std::string> options;
  int64_t seats = 1;
  std::string chamber;
  std::optional<std::string> elects_body;
  int64_t score_max = 5, dots = 10;
  voting::DecisionRule rule;
  int64_t notice_days = 0, voting_days = 7;
  bool secret = false, results_hidden = false;
  int64_t stage = 1;
  std::optional<int64_t> first_stage_id, min_gap_days, max_gap_days, amends_id;
  std::optional<std::string> constitution_toml;
  std::string status;  // stored: draft | open | closed | withdrawn
  std::optional<std::string> outcome, outcome_statement;
  std::optional<int64_t> eligible_count, eligible_weight;
  int64_t voters_count = 0, voted_weight = 0;
  std::optional<std::string> result_json;
  int64_t tie_seed = 0;
  std::optional<int64_t> author_person_id;
  Timestamp created_at{};
  std::optional<Timestamp> opened_at, voting_opens_at, voting_closes_at, closed_at;
};
// Error(not_found) when there is none. (proposals half)
ProposalRow load_proposal(store::Tx& tx, int64_t proposal_id);
// The status the API shows at `now` (governance.h). (proposals half)
std::string shown_status(const ProposalRow& p, Timestamp now);
// The constitution in force, or nullopt. (proposals half)
std::optional<governance::Constitution> constitution_of(store::Tx& tx, int64_t org_id);

// The voting options of a proposal for voting::tally. (ballots half)
voting::Options tally_options(const ProposalRow& p);

// Fixes the roll when notice is given: writes `electorate` rows for every
// person eligible under the body's electorate rules at `ctx.now` (active
// membership in an allowed class, age, tenure, spend; seated members for
// seated bodies; delegates of member orgs with their orgs' member counts
// split over them for congress bodies; the election's chamber class), and
// returns {count, weight}. (ballots half)
struct Roll {
  int64_t count = 0;
  int64_t weight = 0;
};
Roll fix_roll(store::Tx& tx, const Ctx& ctx, const ProposalRow& p, const governance::Body& body);

// Counts a proposal's ballots (secret or open) under its rule, against its
// fixed roll. (ballots half)
struct Count {
  Json tally;                  // voting::to_json
  voting::Result result;
  voting::Decision decision;
};
Count count_ballots(store::Tx& tx, const ProposalRow& p);

}  // namespace agora::app::gov
