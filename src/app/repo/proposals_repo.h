#pragma once
// SQL for the proposals half of governance (tables of
// 0005_governance.sql): constitutions, bodies' seats, decisions,
// proposals, comments and candidacies, plus the one read of memberships that
// candidacy needs. Plain functions over a transaction; the rules live in
// app/governance_proposals.cc and app/governance_constitutions.cc.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "governance/voting/voting.h"

// governance_internal.h names voting:: in ProposalRow before it declares the
// alias; declaring the same alias first lets it compile (a redeclaration of
// an alias to the same namespace is allowed).
namespace agora::app::gov {
namespace voting = governance::voting;
}  // namespace agora::app::gov

#include "app/governance_internal.h"
#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- constitutions

struct ConstitutionRow {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t version = 0;
  std::string toml;
  Timestamp adopted_at{};
  std::optional<int64_t> adopted_by_account;
  std::optional<int64_t> adopted_by_proposal;
};
// The highest version, or nullopt.
std::optional<ConstitutionRow> latest_constitution(store::Tx& tx, int64_t org_id);
// Newest first: versions below `before` (0: from the newest), at most `limit`;
// the text is left empty.
std::vector<ConstitutionRow> constitution_versions(store::Tx& tx, int64_t org_id, int64_t before,
                                                   int64_t limit);
// Error(duplicate) when the version exists (two adoptions racing).
int64_t insert_constitution(store::Tx& tx, const ConstitutionRow& c);

// ---- seats

struct SeatRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string body_key;
  int64_t person_id = 0;
  std::string chamber;
  Timestamp since_at{};
  std::optional<Timestamp> until_at;
  std::optional<int64_t> elected_by_proposal;
  std::string name;  // joined for display
};
int64_t insert_seat(store::Tx& tx, const SeatRow& s);
std::optional<SeatRow> find_seat(store::Tx& tx, int64_t seat_id);
// Seats not ended, by id (at most `limit`).
std::vector<SeatRow> current_seats(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                   int64_t limit);
// Returns rows changed (0 when already ended).
int64_t end_seat(store::Tx& tx, int64_t seat_id, Timestamp at);

// ---- decisions

struct DecisionRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string domain;
  std::string subject;
  std::optional<int64_t> counterparty_org_id;
  std::string status;  // pending | passed | rejected
  Timestamp created_at{};
  std::optional<Timestamp> decided_at;
};
int64_t insert_decision(store::Tx& tx, const DecisionRow& d);
std::optional<DecisionRow> find_decision(store::Tx& tx, int64_t decision_id);
void set_decision_status(store::Tx& tx, int64_t decision_id, std::string_view status,
                         std::optional<Timestamp> decided_at);
bool passed_decision_exists(store::Tx& tx, int64_t org_id, std::string_view domain,
                            std::string_view subject);

// ---- proposals

// Inserts every column of `p` but id; `second` is the confirming threshold of
// a two-stage first stage.
int64_t insert_proposal(store::Tx& tx, const gov::ProposalRow& p,
                        const std::optional<governance::voting::Threshold>& second);
std::optional<gov::ProposalRow> find_proposal(store::Tx& tx, int64_t proposal_id);
std::optional<governance::voting::Threshold> second_threshold(store::Tx& tx, int64_t proposal_id);
void set_tie_seed(store::Tx& tx, int64_t proposal_id, int64_t seed);
// Writes title, text and options.
void update_draft(store::Tx& tx, const gov::ProposalRow& p);
void set_options(store::Tx& tx, int64_t proposal_id, const std::vector<std::string>& options);
// Writes status, opened_at, voting_opens_at, voting_closes_at, options.
void set_opened(store::Tx& tx, const gov::ProposalRow& p);
void set_eligible(store::Tx& tx, int64_t proposal_id, int64_t count, int64_t weight);
void set_withdrawn(store::Tx& tx, int64_t proposal_id, Timestamp at);
// Writes status 'closed', outcome, result_json and closed_at.
void set_closed(store::Tx& tx, const gov::ProposalRow& p);
void set_outcome_statement(store::Tx& tx, int64_t proposal_id, std::string_view statement);

// A proposal as one line of a decision or a list.
struct ProposalBrief {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string body_key, domain, kind, title, method;
  int64_t stage = 1;
  std::string status;
  std::optional<std::string> outcome;
  std::optional<Timestamp> voting_opens_at, voting_closes_at;
};
// By id.
std::vector<ProposalBrief> proposals_of_decision(store::Tx& tx, int64_t decision_id);
// Ids of the proposals amending `proposal_id`, by id.
std::vector<int64_t> amendments_of(store::Tx& tx, int64_t proposal_id);
std::optional<int64_t> second_stage_of(store::Tx& tx, int64_t proposal_id);
// Newest first: ids below `before` (0: from the newest), at most `limit`.
// body_key "" for every body; statuses empty for every status (stored ones).
std::vector<ProposalBrief> list_proposals(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                          const std::vector<std::string>& statuses, int64_t before,
                                          int64_t limit);
// Ids of open proposals whose window ended at or before `now`, oldest window
// first, at most `limit`.
std::vector<int64_t> due_proposals(store::Tx& tx, Timestamp now, int64_t limit);

// ---- comments

struct CommentRow {
  int64_t id = 0;
  int64_t proposal_id = 0;
  int64_t person_id = 0;
  std::string text;
  Timestamp created_at{};
  std::string name;  // joined for display
};
int64_t insert_comment(store::Tx& tx, const CommentRow& c);
std::optional<CommentRow> find_comment(store::Tx& tx, int64_t comment_id);
// Oldest first, ids after `after`, at most `limit`.
std::vector<CommentRow> list_comments(store::Tx& tx, int64_t proposal_id, int64_t after,
                                      int64_t limit);

// ---- candidacies

struct CandidacyRow {
  int64_t id = 0;
  int64_t proposal_id = 0;
  int64_t person_id = 0;
  std::string chamber;
  std::string statement;
  Timestamp created_at{};
  std::optional<Timestamp> withdrawn_at;
  std::string name;  // joined for display
};
int64_t insert_candidacy(store::Tx& tx, const CandidacyRow& c);
std::optional<CandidacyRow> find_candidacy(store::Tx& tx, int64_t candidacy_id);
std::optional<CandidacyRow> find_candidacy_of(store::Tx& tx, int64_t proposal_id,
                                              int64_t person_id);
// Stands again: clears withdrawn_at and replaces the statement.
void reinstate_candidacy(store::Tx& tx, int64_t candidacy_id, std::string_view statement);
void withdraw_candidacy(store::Tx& tx, int64_t candidacy_id, Timestamp at);
// Candidacies not withdrawn, in the order they were made (by id).
std::vector<CandidacyRow> active_candidacies(store::Tx& tx, int64_t proposal_id);

// ---- persons and memberships (registry tables, read only)

std::optional<std::string> person_name(store::Tx& tx, int64_t person_id);
struct ActiveMembership {
  std::string class_code;
  Timestamp admitted_at{};
};
std::optional<ActiveMembership> active_membership(store::Tx& tx, int64_t org_id, int64_t person_id);

}  // namespace agora::app::repo
