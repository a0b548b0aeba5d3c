#include "app/repo/budgeting_repo.h"

#include "app/repo/values.h"

namespace agora::app::repo {
namespace {

using store::Row;
using values::opt;
using values::opt_ts;
using values::s;

#define AGORA_ROUND_COLS                                                                    \
  "id, org_id, fund_account_id, currency, title, description, budget, method, completion, " \
  "ballot, utility, max_approvals, points_total, max_cost, submission_closes_at, "          \
  "voting_closes_at, state, voters, result, tallied_at, decision_id, paid_at, "             \
  "created_by_person, created_at, updated_at "

RoundRow round_of(const Row& r) {
  return RoundRow{.id = r.i64(0),
                  .org_id = r.i64(1),
                  .fund_account_id = r.i64(2),
                  .currency = r.str(3),
                  .title = r.str(4),
                  .description = r.str(5),
                  .budget = r.i64(6),
                  .method = r.str(7),
                  .completion = r.str(8),
                  .ballot = r.str(9),
                  .utility = r.str(10),
                  .max_approvals = r.i64(11),
                  .points_total = r.i64(12),
                  .max_cost = r.i64(13),
                  .submission_closes_at = Timestamp{r.i64(14)},
                  .voting_closes_at = Timestamp{r.i64(15)},
                  .state = r.str(16),
                  .voters = r.i64(17),
                  .result = r.opt_str(18),
                  .tallied_at = opt_ts(r, 19),
                  .decision_id = r.opt_i64(20),
                  .paid_at = opt_ts(r, 21),
                  .created_by_person = r.opt_i64(22),
                  .created_at = Timestamp{r.i64(23)},
                  .updated_at = Timestamp{r.i64(24)}};
}

#define AGORA_PROJECT_COLS                                                                    \
  "id, round_id, title, description, cost, payee_org_id, proposer_person_id, state, reason, " \
  "transfer_id, created_at, updated_at "

ProjectRow project_of(const Row& r) {
  return ProjectRow{.id = r.i64(0),
                    .round_id = r.i64(1),
                    .title = r.str(2),
                    .description = r.str(3),
                    .cost = r.i64(4),
                    .payee_org_id = r.i64(5),
                    .proposer_person_id = r.opt_i64(6),
                    .state = r.str(7),
                    .reason = r.str(8),
                    .transfer_id = r.opt_i64(9),
                    .created_at = Timestamp{r.i64(10)},
                    .updated_at = Timestamp{r.i64(11)}};
}

std::vector<ProjectRow> projects_of(const store::Rows& rows) {
  std::vector<ProjectRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(project_of(r));
  return out;
}

}  // namespace

int64_t insert_round(store::Tx& tx, const RoundRow& r) {
  return tx.insert(
      "INSERT INTO budget_rounds (org_id, fund_account_id, currency, title, description, budget, "
      "method, completion, ballot, utility, max_approvals, points_total, max_cost, "
      "submission_closes_at, voting_closes_at, state, voters, created_by_person, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
      "$16, $17, $18, $19, $20)",
      {r.org_id,
       r.fund_account_id,
       s(r.currency),
       s(r.title),
       s(r.description),
       r.budget,
       s(r.method),
       s(r.completion),
       s(r.ballot),
       s(r.utility),
       r.max_approvals,
       r.points_total,
       r.max_cost,
       r.submission_closes_at.us,
       r.voting_closes_at.us,
       s(r.state),
       r.voters,
       opt(r.created_by_person),
       r.created_at.us,
       r.updated_at.us});
}

std::optional<RoundRow> find_round(store::Tx& tx, int64_t id) {
  auto rows = tx.query("SELECT " AGORA_ROUND_COLS "FROM budget_rounds WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return round_of(rows.rows[0]);
}

void update_round(store::Tx& tx, const RoundRow& r) {
  tx.exec(
      "UPDATE budget_rounds SET submission_closes_at = $2, state = $3, voters = $4, result = $5, "
      "tallied_at = $6, decision_id = $7, paid_at = $8, updated_at = $9 WHERE id = $1",
      {r.id, r.submission_closes_at.us, s(r.state), r.voters, opt(r.result), opt(r.tallied_at),
       opt(r.decision_id), opt(r.paid_at), r.updated_at.us});
}

std::vector<RoundRow> rounds_of_org(store::Tx& tx, int64_t org_id, int64_t before, int64_t limit) {
  auto rows = before > 0
                  ? tx.query("SELECT " AGORA_ROUND_COLS
                             "FROM budget_rounds WHERE org_id = $1 AND id < $2 "
                             "ORDER BY id DESC LIMIT $3",
                             {org_id, before, limit})
                  : tx.query("SELECT " AGORA_ROUND_COLS
                             "FROM budget_rounds WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
                             {org_id, limit});
  std::vector<RoundRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(round_of(r));
  return out;
}

bool decision_used_by_other(store::Tx& tx, int64_t decision_id, int64_t round_id) {
  return !tx.query("SELECT 1 FROM budget_rounds WHERE decision_id = $1 AND id <> $2",
                   {decision_id, round_id})
              .empty();
}

int64_t insert_project(store::Tx& tx, const ProjectRow& p) {
  return tx.insert(
      "INSERT INTO budget_projects (round_id, title, description, cost, payee_org_id, "
      "proposer_person_id, state, reason, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p.round_id, s(p.title), s(p.description), p.cost, p.payee_org_id, opt(p.proposer_person_id),
       s(p.state), s(p.reason), p.created_at.us, p.updated_at.us});
}

std::optional<ProjectRow> find_project(store::Tx& tx, int64_t id) {
  auto rows = tx.query("SELECT " AGORA_PROJECT_COLS "FROM budget_projects WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return project_of(rows.rows[0]);
}

void update_project(store::Tx& tx, const ProjectRow& p) {
  tx.exec(
      "UPDATE budget_projects SET state = $2, reason = $3, transfer_id = $4, updated_at = $5 "
      "WHERE id = $1",
      {p.id, s(p.state), s(p.reason), opt(p.transfer_id), p.updated_at.us});
}

std::vector<ProjectRow> projects_of_round(store::Tx& tx, int64_t round_id, int64_t after,
                                          int64_t limit) {
  return projects_of(tx.query("SELECT " AGORA_PROJECT_COLS
                              "FROM budget_projects WHERE round_id = $1 AND id > $2 "
                              "AND state <> 'withdrawn' ORDER BY id LIMIT $3",
                              {round_id, after, limit}));
}

std::vector<ProjectRow> live_projects(store::Tx& tx, int64_t round_id) {
  return projects_of(tx.query("SELECT " AGORA_PROJECT_COLS
                              "FROM budget_projects WHERE round_id = $1 "
                              "AND state <> 'withdrawn' ORDER BY id",
                              {round_id}));
}

int64_t count_live_projects(store::Tx& tx, int64_t round_id) {
  return tx
      .query("SELECT COUNT(*) FROM budget_projects WHERE round_id = $1 AND state <> 'withdrawn'",
             {round_id})
      .one()
      .i64(0);
}

int64_t replace_ballot(store::Tx& tx, int64_t round_id, int64_t person_id,
                       const std::vector<VoteRow>& items, Timestamp now) {
  tx.exec("DELETE FROM budget_votes WHERE round_id = $1 AND person_id = $2", {round_id, person_id});
  tx.exec("DELETE FROM budget_voters WHERE round_id = $1 AND person_id = $2",
          {round_id, person_id});
  if (!items.empty()) {
    tx.exec("INSERT INTO budget_voters (round_id, person_id, voted_at) VALUES ($1, $2, $3)",
            {round_id, person_id, now.us});
    for (const auto& v : items) {
      tx.exec(
          "INSERT INTO budget_votes (round_id, person_id, project_id, points) "
          "VALUES ($1, $2, $3, $4)",
          {round_id, person_id, v.project_id, v.points});
    }
  }
  return tx.query("SELECT COUNT(*) FROM budget_voters WHERE round_id = $1", {round_id})
      .one()
      .i64(0);
}

std::vector<VoteRow> ballot_of(store::Tx& tx, int64_t round_id, int64_t person_id) {
  std::vector<VoteRow> out;
  for (const auto& r : tx.query("SELECT project_id, points FROM budget_votes "
                                "WHERE round_id = $1 AND person_id = $2 ORDER BY project_id",
                                {round_id, person_id})
                           .rows) {
    out.push_back(VoteRow{.person_id = person_id, .project_id = r.i64(0), .points = r.i64(1)});
  }
  return out;
}

std::vector<VoteRow> votes_of_round(store::Tx& tx, int64_t round_id) {
  std::vector<VoteRow> out;
  for (const auto& r : tx.query("SELECT person_id, project_id, points FROM budget_votes "
                                "WHERE round_id = $1 ORDER BY person_id, project_id",
                                {round_id})
                           .rows) {
    out.push_back(VoteRow{.person_id = r.i64(0), .project_id = r.i64(1), .points = r.i64(2)});
  }
  return out;
}

std::optional<BudgetDecision> find_budget_decision(store::Tx& tx, int64_t decision_id) {
  auto rows = tx.query("SELECT id, org_id, domain, subject, status FROM decisions WHERE id = $1",
                       {decision_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  return BudgetDecision{.id = r.i64(0),
                        .org_id = r.i64(1),
                        .domain = r.str(2),
                        .subject = r.str(3),
                        .status = r.str(4)};
}

}  // namespace agora::app::repo
