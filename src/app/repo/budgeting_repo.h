#pragma once
// Rows of budgeting rounds, their projects and the members' ballots
// (0010_budgeting.sql), and the facts of decisions the payout checks.
// Used by app/budgeting.cc only.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

struct RoundRow {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t fund_account_id = 0;
  std::string currency{};
  std::string title{}, description{};
  int64_t budget = 0;
  std::string method{}, completion{}, ballot{}, utility{};
  int64_t max_approvals = 0, points_total = 0, max_cost = 0;
  Timestamp submission_closes_at{}, voting_closes_at{};
  std::string state = "submission";
  int64_t voters = 0;
  std::optional<std::string> result = std::nullopt;  // JSON text
  std::optional<Timestamp> tallied_at = std::nullopt;
  std::optional<int64_t> decision_id = std::nullopt;
  std::optional<Timestamp> paid_at = std::nullopt;
  std::optional<int64_t> created_by_person = std::nullopt;
  Timestamp created_at{}, updated_at{};
};
int64_t insert_round(store::Tx& tx, const RoundRow& r);
std::optional<RoundRow> find_round(store::Tx& tx, int64_t id);
// Writes submission_closes_at, state, voters, result, tallied_at,
// decision_id, paid_at and updated_at.
void update_round(store::Tx& tx, const RoundRow& r);
// An org's rounds, newest first: ids below `before` (0: from the newest).
std::vector<RoundRow> rounds_of_org(store::Tx& tx, int64_t org_id, int64_t before, int64_t limit);
// Whether a round other than `round_id` was paid out on this decision.
bool decision_used_by_other(store::Tx& tx, int64_t decision_id, int64_t round_id);

struct ProjectRow {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string title{}, description{};
  int64_t cost = 0;
  int64_t payee_org_id = 0;
  std::optional<int64_t> proposer_person_id = std::nullopt;
  std::string state = "submitted";
  std::string reason{};
  std::optional<int64_t> transfer_id = std::nullopt;
  Timestamp created_at{}, updated_at{};
};
int64_t insert_project(store::Tx& tx, const ProjectRow& p);
std::optional<ProjectRow> find_project(store::Tx& tx, int64_t id);
// Writes state, reason, transfer_id and updated_at.
void update_project(store::Tx& tx, const ProjectRow& p);
// The round's projects but withdrawn ones, by id, after `after`, at most limit.
std::vector<ProjectRow> projects_of_round(store::Tx& tx, int64_t round_id, int64_t after,
                                          int64_t limit);
// Every project of the round but withdrawn ones, by id.
std::vector<ProjectRow> live_projects(store::Tx& tx, int64_t round_id);
int64_t count_live_projects(store::Tx& tx, int64_t round_id);

struct VoteRow {
  int64_t person_id = 0;
  int64_t project_id = 0;
  int64_t points = 1;
};
// Replaces the person's ballot (an empty one deletes it) and returns how many
// members have voted in the round.
int64_t replace_ballot(store::Tx& tx, int64_t round_id, int64_t person_id,
                       const std::vector<VoteRow>& items, Timestamp now);
// The person's ballot, by project id (empty: not voted).
std::vector<VoteRow> ballot_of(store::Tx& tx, int64_t round_id, int64_t person_id);
// Every ballot of the round, by person then project.
std::vector<VoteRow> votes_of_round(store::Tx& tx, int64_t round_id);

struct BudgetDecision {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string domain{}, subject{}, status{};
};
std::optional<BudgetDecision> find_budget_decision(store::Tx& tx, int64_t decision_id);

}  // namespace agora::app::repo
