#pragma once
// Use cases of participatory budgeting of a fund (DOMAIN.md §5, issue 6):
// the body that controls an org's fund opens a round with a budget, members
// submit projects with costs, then vote by approval or points; the tally
// selects projects by the Method of Equal Shares (Add1 completion or none)
// or greedy through src/budget, exactly; the funded projects are paid from
// the fund through the ledger in one linked batch, only after a passed
// decision of the org on the round's result is recorded. Rows in
// app/repo/budgeting_repo.h; tables in migration 0010_budgeting.sql.
// Commands run inside App::write / http::write; queries inside App::read,
// except tally_round, which reads the ballots in a read transaction,
// computes outside any transaction and writes the result in a write one (a
// large round must not hold the write lane). A refused command throws
// agora::Error before anything of it is written.
// Thread-safe: stateless functions over the given transaction.
//
// JSON shapes (the HTTP API returns these):
//   round:   {id, org:{id,name}, fund:{account_id, kind, balance}, currency,
//             title, description, budget, method, completion, ballot,
//             utility, max_approvals, points_total, max_cost,
//             submission_closes_at, voting_closes_at (ISO times), state,
//             phase (the state as the clock sees it: a submission round past
//             submission_closes_at shows "voting", a voting round past
//             voting_closes_at shows "counting"), projects_count, voters,
//             decision_id|null, tallied_at|null, paid_at|null,
//             my_ballot:{voted, items:[{project_id, points}]}|null (signed-in
//             members), can:{submit, vote, manage} (for the caller),
//             created_at, updated_at}
//   project: {id, round_id, title, description, cost, payee:{org_id,name},
//             proposer:{person_id,name}|null, state, reason,
//             transfer_id|null, created_at}
//   result:  {round_id, method, completion, utility, budget, spent, voters,
//             funded:[{project_id, title, cost, supporters, votes (approvals
//             or points), paid_by:[{share, voters}] (equal payments
//             grouped, each share in minor units as a decimal text rounded
//             toward zero, largest first), order}],
//             unfunded:[{project_id, title, cost, supporters, votes,
//             reason (src/budget reason_text), code}],
//             decision:{subject:"budget_round:<id>", domain:"fund.budget"},
//             decision_id|null, paid:[{project_id, transfer_id}]}
// Amounts are integers in the round's currency minor units.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/registry.h"
#include "store/database.h"

namespace agora::app::budgeting {

inline constexpr size_t kMaxTitleBytes = 200;
inline constexpr size_t kMaxTextBytes = 5000;
inline constexpr int64_t kMaxProjectsPerRound = 500;
inline constexpr int64_t kMaxBudget = 1'000'000'000'000'000;  // minor units, = budget::kMaxBudgetUnits
inline constexpr int64_t kMaxPointsTotal = 1'000'000;
inline constexpr const char* kDecisionDomain = "fund.budget";

struct RoundInput {
  std::string fund_kind = "investment";  // the org's fund account of this kind (ledger kind "fund")
  std::optional<std::string> currency = std::nullopt;  // default: the org's
  std::string title{};                   // 1..200
  std::string description{};             // 0..5000
  int64_t budget = 0;                    // 1..kMaxBudget, <= the fund's balance at opening
  std::string method = "equal-shares";   // equal-shares | greedy
  std::string completion = "add1";       // add1 | none (greedy: none)
  std::string ballot = "approval";       // approval | points
  std::string utility = "cost";          // approval ballots: cost | approval; points ballots: points
  int64_t max_approvals = 0;             // approval: 0 (no limit) .. kMaxProjectsPerRound
  int64_t points_total = 0;              // points: 1..kMaxPointsTotal (each voter spreads at most this)
  int64_t max_cost = 0;                  // 0 (no limit) or a project's cost ceiling
  Timestamp submission_closes_at{};      // > now
  Timestamp voting_closes_at{};          // > submission_closes_at, within 366 days
};
// A coordinator or treasurer of org_id (admin: any). Refused
// (rule_violation) when the org has no fund account of that kind in that
// currency or its balance is below the budget.
Json open_round(store::Tx& tx, const Ctx& ctx, int64_t org_id, const RoundInput& in);
// Public.
Json get_round(store::Tx& tx, const Ctx& ctx, int64_t round_id);
// Public: the org's rounds, newest first.
Json list_rounds(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// A coordinator of the org: any state before paid -> cancelled.
Json cancel_round(store::Tx& tx, const Ctx& ctx, int64_t round_id);
// A coordinator: ends submission now (state voting). Refused with no
// project submitted.
Json start_voting(store::Tx& tx, const Ctx& ctx, int64_t round_id);

struct ProjectInput {
  std::string title{};        // 1..200
  std::string description{};  // 0..5000
  int64_t cost = 0;           // 1..budget (and <= max_cost when set)
  std::optional<int64_t> payee_org_id = std::nullopt;  // default: the round's org
};
// An active member of the org (or a coordinator), while the round's phase
// is submission. At most kMaxProjectsPerRound live projects.
Json submit_project(store::Tx& tx, const Ctx& ctx, int64_t round_id, const ProjectInput& in);
// Public: the round's projects, by id (withdrawn ones left out).
Json list_projects(store::Tx& tx, const Ctx& ctx, int64_t round_id, PageReq page);
// Its proposer (or a coordinator) while the phase is submission.
Json withdraw_project(store::Tx& tx, const Ctx& ctx, int64_t project_id);
// A coordinator, before voting: the project stays listed but cannot be
// voted for; reason 1..500.
Json mark_ineligible(store::Tx& tx, const Ctx& ctx, int64_t project_id, const std::string& reason);

struct BallotItem {
  int64_t project_id = 0;
  int64_t points = 1;  // approval ballots: 1
};
// An active member of the org, while the phase is voting: replaces the
// member's ballot. Approval: distinct submitted projects, at most
// max_approvals when set; points: each 1..points_total, their sum <=
// points_total. An empty list withdraws the ballot.
Json cast_ballot(store::Tx& tx, const Ctx& ctx, int64_t round_id,
                 const std::vector<BallotItem>& items);

// A coordinator or treasurer once voting has closed (voting_closes_at has
// passed; there is no closing early, members were told the time). Runs the
// round's method over its ballots and records the result: projects
// become funded/unfunded with their reasons; state tallied. Idempotent: a
// tallied round returns its result. Reads in a read transaction, computes
// outside, writes with app.write (refused with conflict if the round moved
// meanwhile).
Json tally_round(App& app, const Ctx& ctx, int64_t round_id);
// Public once tallied: the result shape above.
Json round_result(store::Tx& tx, const Ctx& ctx, int64_t round_id);

// A treasurer or coordinator of the org: pays every funded project its cost
// from the fund account to the payee's operating account (code
// "budget_payout", keys "sys:budget:<round>:<project>"), one linked batch,
// state paid. Needs, whatever the caller's role, decision_id: a passed
// decision of the round's org in domain "fund.budget" on subject
// "budget_round:<id>", not used by another round; without it
// Error(rule_violation, "/decision_id"). Refused with nothing written when
// the fund cannot cover the total.
Json pay_out(store::Tx& tx, const Ctx& ctx, int64_t round_id, int64_t decision_id);

}  // namespace agora::app::budgeting
