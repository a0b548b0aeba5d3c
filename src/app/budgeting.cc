// Budgeting rounds (app/budgeting.h): the body that controls a fund opens a
// round, members submit projects and vote, the tally selects projects
// through src/budget and the payout moves the money through the ledger.
// Rules per use case:
// - The phase follows the clock: submission until submission_closes_at
//   (or start_voting), voting until voting_closes_at, then counting. A
//   command of one phase is refused in another (invalid_state), so nobody
//   can vote before voting or change a ballot once voting has closed.
// - The tally builds a budget::Election from the round's live submitted
//   projects (by id) and its ballots (by person) and calls select_projects;
//   the stored result is that selection's to_json plus the per-project
//   summary the API shows. Ballots are never shown one by one.
// - The payout needs a passed decision of the round's org in fund.budget on
//   "budget_round:<id>" used by no other round, checked before the caller's
//   role so the refusal is the same for every role; all funded projects are
//   paid in one linked batch, or nothing when the fund cannot cover them.

#include "app/budgeting.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/repo/budgeting_repo.h"
#include "app/repo/leases_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/proposals_repo.h"
#include "budget/election.h"
#include "budget/equal_shares.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::app::budgeting {
namespace {

static_assert(kMaxBudget == budget::kMaxBudgetUnits);
static_assert(kMaxProjectsPerRound <= budget::kMaxProjects);
static_assert(kMaxPointsTotal <= budget::kMaxPoints);

constexpr int64_t kDayUs = int64_t{86'400} * 1'000'000;
constexpr int64_t kMaxVotingWindowUs = 366 * kDayUs;
constexpr size_t kMaxReasonBytes = 500;

std::optional<int64_t> person_of(const Ctx& ctx) {
  return ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
}

bool fund_kind(const std::string& kind) {
  return kind == "investment" || kind == "solidarity" || kind == "education" || kind == "mutual";
}

// The state as the clock sees it (budgeting.h "phase").
std::string phase_of(const repo::RoundRow& r, Timestamp now) {
  if (r.state == "submission" || r.state == "voting") {
    if (now >= r.voting_closes_at) return "counting";
    if (r.state == "voting" || now >= r.submission_closes_at) return "voting";
    return "submission";
  }
  return r.state;
}

void require_phase(const repo::RoundRow& r, Timestamp now, const std::string& phase,
                   const std::string& what) {
  std::string p = phase_of(r, now);
  if (p == phase) return;
  std::string detail = what + " only while the round is in its " + phase + " phase; it is " + p;
  if (phase == "submission" && p != "cancelled") {
    detail += " (submission closed at " + format_iso8601(r.submission_closes_at) + ")";
  } else if (phase == "voting" && p == "submission") {
    detail += " (voting opens at " + format_iso8601(r.submission_closes_at) + ")";
  } else if (phase == "voting" && p == "counting") {
    detail += " (voting closed at " + format_iso8601(r.voting_closes_at) + ")";
  } else if (phase == "counting" && (p == "submission" || p == "voting")) {
    detail += " (voting closes at " + format_iso8601(r.voting_closes_at) + ")";
  }
  throw Error(Code::invalid_state, detail);
}

repo::RoundRow load_round(store::Tx& tx, int64_t round_id) {
  auto r = repo::find_round(tx, round_id);
  if (!r) throw Error(Code::not_found, "no such budgeting round");
  return *r;
}

repo::ProjectRow load_project(store::Tx& tx, int64_t project_id) {
  auto p = repo::find_project(tx, project_id);
  if (!p) throw Error(Code::not_found, "no such project");
  return *p;
}

bool is_manager(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  return has_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer});
}

bool is_voter(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  return ctx.actor.person_id > 0 && has_role(tx, ctx.actor, org_id, {Role::member});
}

std::string subject_of(int64_t round_id) { return "budget_round:" + std::to_string(round_id); }

Json org_json(store::Tx& tx, int64_t org_id) {
  auto o = repo::find_org_facts(tx, org_id);
  AGORA_ASSERT(o.has_value());
  return Json{{"id", o->id}, {"name", o->name}};
}

Json round_json(store::Tx& tx, const Ctx& ctx, const repo::RoundRow& r) {
  auto fund = repo::find_ledger_account(tx, r.fund_account_id);
  AGORA_ASSERT(fund.has_value());
  std::string phase = phase_of(r, ctx.now);
  Json my_ballot = nullptr;
  bool voter = is_voter(tx, ctx, r.org_id);
  if (voter) {
    Json items = Json::array();
    for (const auto& v : repo::ballot_of(tx, r.id, ctx.actor.person_id)) {
      items.push_back(Json{{"project_id", v.project_id}, {"points", v.points}});
    }
    bool voted = !items.empty();
    my_ballot = Json{{"voted", voted}, {"items", std::move(items)}};
  }
  bool signed_in = !ctx.actor.anonymous();
  bool manage = signed_in && is_manager(tx, ctx, r.org_id);
  bool submit = signed_in && phase == "submission" &&
                has_role(tx, ctx.actor, r.org_id, {Role::member, Role::coordinator});
  return Json{
      {"id", r.id},
      {"org", org_json(tx, r.org_id)},
      {"fund",
       {{"account_id", fund->id},
        {"kind", fund->kind},
        {"balance", fund->credits_posted - fund->debits_posted}}},
      {"currency", r.currency},
      {"title", r.title},
      {"description", r.description},
      {"budget", r.budget},
      {"method", r.method},
      {"completion", r.completion},
      {"ballot", r.ballot},
      {"utility", r.utility},
      {"max_approvals", r.max_approvals},
      {"points_total", r.points_total},
      {"max_cost", r.max_cost},
      {"submission_closes_at", iso(r.submission_closes_at)},
      {"voting_closes_at", iso(r.voting_closes_at)},
      {"state", r.state},
      {"phase", phase},
      {"projects_count", repo::count_live_projects(tx, r.id)},
      {"voters", r.voters},
      {"decision_id", opt_json(r.decision_id)},
      {"tallied_at", iso(r.tallied_at)},
      {"paid_at", iso(r.paid_at)},
      {"my_ballot", std::move(my_ballot)},
      {"can", {{"submit", submit}, {"vote", voter && phase == "voting"}, {"manage", manage}}},
      {"created_at", iso(r.created_at)},
      {"updated_at", iso(r.updated_at)}};
}

Json project_json(store::Tx& tx, const repo::ProjectRow& p) {
  Json proposer = nullptr;
  if (p.proposer_person_id) {
    proposer = Json{{"person_id", *p.proposer_person_id},
                    {"name", repo::person_name(tx, *p.proposer_person_id).value_or("")}};
  }
  auto payee = repo::find_org_facts(tx, p.payee_org_id);
  AGORA_ASSERT(payee.has_value());
  return Json{{"id", p.id},
              {"round_id", p.round_id},
              {"title", p.title},
              {"description", p.description},
              {"cost", p.cost},
              {"payee", {{"org_id", payee->id}, {"name", payee->name}}},
              {"proposer", std::move(proposer)},
              {"state", p.state},
              {"reason", p.reason},
              {"transfer_id", opt_json(p.transfer_id)},
              {"created_at", iso(p.created_at)}};
}

// The stored tally with what the payout added: the result shape of budgeting.h.
Json result_json(store::Tx& tx, const repo::RoundRow& r) {
  AGORA_ASSERT(r.result.has_value());
  Json out = Json::parse(*r.result);
  out.erase("selection");
  Json paid = Json::array();
  for (const auto& f : out["funded"]) {
    auto p = repo::find_project(tx, f["project_id"].get<int64_t>());
    AGORA_ASSERT(p.has_value());
    if (p->transfer_id) {
      paid.push_back(Json{{"project_id", p->id}, {"transfer_id", *p->transfer_id}});
    }
  }
  out["decision"] = Json{{"subject", subject_of(r.id)}, {"domain", kDecisionDomain}};
  out["decision_id"] = opt_json(r.decision_id);
  out["paid"] = std::move(paid);
  return out;
}

void check_text(const std::string& title, const std::string& description) {
  check_len(title, 1, kMaxTitleBytes, "/title");
  check_len(description, 0, kMaxTextBytes, "/description");
}

// ---- the tally: what is read, computed outside any transaction, then written

struct TallyInput {
  repo::RoundRow round;
  std::vector<repo::ProjectRow> projects;  // submitted, by id
  std::vector<repo::VoteRow> votes;        // by person then project
};

std::string_view loss_code(budget::LossReason r) {
  switch (r) {
    case budget::LossReason::money_ran_out:
      return "money_ran_out";
    case budget::LossReason::did_not_fit:
      return "did_not_fit";
    case budget::LossReason::no_votes:
      return "no_votes";
  }
  return "money_ran_out";
}

// The result shape (without decision and paid) plus "selection", the
// library's own to_json of the same run.
Json compute_result(const TallyInput& in) {
  const auto& r = in.round;
  budget::Election e;
  e.budget_units = r.budget;
  e.kind = r.ballot == "points" ? budget::BallotKind::points : budget::BallotKind::approval;
  std::map<int64_t, int32_t> index_of;
  for (const auto& p : in.projects) {
    index_of[p.id] = static_cast<int32_t>(e.projects.size());
    e.projects.push_back(
        budget::Project{.id = std::to_string(p.id), .name = p.title, .cost_units = p.cost});
  }
  std::vector<int64_t> supporters(in.projects.size(), 0), votes(in.projects.size(), 0);
  std::vector<int32_t> items;
  std::vector<int64_t> points;
  for (size_t i = 0; i < in.votes.size();) {
    items.clear();
    points.clear();
    size_t j = i;
    for (; j < in.votes.size() && in.votes[j].person_id == in.votes[i].person_id; ++j) {
      auto at = index_of.find(in.votes[j].project_id);
      if (at == index_of.end()) continue;  // a project that left the round
      items.push_back(at->second);
      points.push_back(in.votes[j].points);
      supporters[at->second] += 1;
      votes[at->second] = checked_add(votes[at->second], in.votes[j].points);
    }
    i = j;
    if (items.empty()) continue;
    if (e.kind == budget::BallotKind::points) {
      e.add_ballot(items, points);
    } else {
      e.add_ballot(items);
    }
  }
  Json funded = Json::array(), unfunded = Json::array();
  Json selection = nullptr;
  int64_t spent = 0;
  if (!e.projects.empty()) {
    budget::Options o;
    o.method = r.method == "greedy" ? budget::Method::greedy : budget::Method::equal_shares;
    o.utility = r.utility == "points"     ? budget::Utility::points
                : r.utility == "approval" ? budget::Utility::approval
                                          : budget::Utility::cost;
    o.completion = r.completion == "add1" ? budget::Completion::add1 : budget::Completion::none;
    budget::Result res = budget::select_projects(e, o);
    spent = res.total_cost_units;
    int64_t order = 0;
    for (const auto& f : res.funded) {
      const auto& p = in.projects[f.project];
      Json paid_by = Json::array();
      for (const auto& g : f.payments) {
        paid_by.push_back(Json{{"share", budget::decimal_text(g.amount)}, {"voters", g.voters}});
      }
      funded.push_back(Json{{"project_id", p.id},
                            {"title", p.title},
                            {"cost", p.cost},
                            {"supporters", supporters[f.project]},
                            {"votes", votes[f.project]},
                            {"paid_by", std::move(paid_by)},
                            {"order", ++order}});
    }
    for (const auto& u : res.unfunded) {
      const auto& p = in.projects[u.project];
      unfunded.push_back(Json{{"project_id", p.id},
                              {"title", p.title},
                              {"cost", p.cost},
                              {"supporters", supporters[u.project]},
                              {"votes", votes[u.project]},
                              {"reason", budget::reason_text(u, e)},
                              {"code", loss_code(u.reason)}});
    }
    selection = budget::to_json(res, e);
  }
  return Json{{"round_id", r.id},
              {"method", r.method},
              {"completion", r.completion},
              {"utility", r.utility},
              {"budget", r.budget},
              {"spent", spent},
              {"voters", e.voter_count()},
              {"funded", std::move(funded)},
              {"unfunded", std::move(unfunded)},
              {"selection", std::move(selection)}};
}

}  // namespace

Json open_round(store::Tx& tx, const Ctx& ctx, int64_t org_id, const RoundInput& in) {
  require_signed_in(ctx.actor);
  auto org = repo::find_org_facts(tx, org_id);
  if (!org) throw Error(Code::not_found, "no such organisation", "/org_id");
  require_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer});
  check_text(in.title, in.description);
  if (!fund_kind(in.fund_kind)) {
    throw Error(Code::invalid_value,
                "fund_kind must be investment, solidarity, education or mutual", "/fund_kind");
  }
  std::string currency = in.currency.value_or(org->currency);
  check_len(currency, 1, 8, "/currency");
  if (in.budget < 1 || in.budget > kMaxBudget) {
    throw Error(Code::out_of_range, "budget must be 1.." + std::to_string(kMaxBudget), "/budget");
  }
  if (in.method != "equal-shares" && in.method != "greedy") {
    throw Error(Code::invalid_value, "method must be equal-shares or greedy", "/method");
  }
  if (in.completion != "add1" && in.completion != "none") {
    throw Error(Code::invalid_value, "completion must be add1 or none", "/completion");
  }
  if (in.ballot != "approval" && in.ballot != "points") {
    throw Error(Code::invalid_value, "ballot must be approval or points", "/ballot");
  }
  if (in.ballot == "approval" && in.utility != "cost" && in.utility != "approval") {
    throw Error(Code::invalid_value, "approval ballots take utility cost or approval", "/utility");
  }
  if (in.ballot == "points" && in.utility != "points") {
    throw Error(Code::invalid_value, "points ballots take utility points", "/utility");
  }
  if (in.ballot == "approval") {
    if (in.max_approvals < 0 || in.max_approvals > kMaxProjectsPerRound) {
      throw Error(Code::out_of_range,
                  "max_approvals must be 0 (no limit).." + std::to_string(kMaxProjectsPerRound),
                  "/max_approvals");
    }
    if (in.points_total != 0) {
      throw Error(Code::invalid_value, "only points ballots have points_total", "/points_total");
    }
  } else {
    if (in.points_total < 1 || in.points_total > kMaxPointsTotal) {
      throw Error(Code::out_of_range,
                  "points ballots need points_total 1.." + std::to_string(kMaxPointsTotal),
                  "/points_total");
    }
    if (in.max_approvals != 0) {
      throw Error(Code::invalid_value, "only approval ballots have max_approvals",
                  "/max_approvals");
    }
  }
  if (in.max_cost < 0 || in.max_cost > in.budget) {
    throw Error(Code::out_of_range, "max_cost must be 0 (no limit) up to the budget", "/max_cost");
  }
  if (in.submission_closes_at <= ctx.now) {
    throw Error(Code::out_of_range, "submission_closes_at must be in the future",
                "/submission_closes_at");
  }
  if (in.voting_closes_at <= in.submission_closes_at ||
      in.voting_closes_at.us - ctx.now.us > kMaxVotingWindowUs) {
    throw Error(Code::out_of_range,
                "voting_closes_at must be after submission_closes_at and within 366 days",
                "/voting_closes_at");
  }
  auto fund = repo::find_account_of(tx, org_id, "fund", std::nullopt, currency, in.fund_kind);
  if (!fund || fund->closed) {
    throw Error(Code::rule_violation,
                org->name + " has no " + in.fund_kind + " fund in " + currency, "/fund_kind");
  }
  const int64_t available = ::agora::ledger::available(ledger_detail::state_of(*fund));
  if (available < in.budget) {
    throw Error(Code::rule_violation,
                "the " + in.fund_kind + " fund holds " + std::to_string(available) +
                    ", less than the budget " + std::to_string(in.budget),
                "/budget");
  }
  // Greedy has no completion: it funds down the list until nothing fits.
  repo::RoundRow r{.org_id = org_id,
                   .fund_account_id = fund->id,
                   .currency = currency,
                   .title = in.title,
                   .description = in.description,
                   .budget = in.budget,
                   .method = in.method,
                   .completion = in.method == "greedy" ? "none" : in.completion,
                   .ballot = in.ballot,
                   .utility = in.utility,
                   .max_approvals = in.max_approvals,
                   .points_total = in.points_total,
                   .max_cost = in.max_cost,
                   .submission_closes_at = in.submission_closes_at,
                   .voting_closes_at = in.voting_closes_at,
                   .created_by_person = person_of(ctx),
                   .created_at = ctx.now,
                   .updated_at = ctx.now};
  r.id = repo::insert_round(tx, r);
  auto after = repo::find_round(tx, r.id);
  AGORA_ASSERT(after && after->budget == in.budget && after->state == "submission");
  return round_json(tx, ctx, *after);
}

Json get_round(store::Tx& tx, const Ctx& ctx, int64_t round_id) {
  return round_json(tx, ctx, load_round(tx, round_id));
}

Json list_rounds(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  check_page(page);
  if (!repo::find_org_facts(tx, org_id)) {
    throw Error(Code::not_found, "no such organisation", "/org_id");
  }
  auto rows = repo::rounds_of_org(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& r : rows) items.push_back(round_json(tx, ctx, r));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json cancel_round(store::Tx& tx, const Ctx& ctx, int64_t round_id) {
  require_signed_in(ctx.actor);
  auto r = load_round(tx, round_id);
  require_role(tx, ctx.actor, r.org_id, {Role::coordinator});
  if (r.state == "paid" || r.state == "cancelled") {
    throw Error(Code::invalid_state, "the round is " + r.state);
  }
  r.state = "cancelled";
  r.updated_at = ctx.now;
  repo::update_round(tx, r);
  return round_json(tx, ctx, load_round(tx, round_id));
}

Json start_voting(store::Tx& tx, const Ctx& ctx, int64_t round_id) {
  require_signed_in(ctx.actor);
  auto r = load_round(tx, round_id);
  require_role(tx, ctx.actor, r.org_id, {Role::coordinator});
  require_phase(r, ctx.now, "submission", "voting can be started early");
  if (repo::count_live_projects(tx, r.id) == 0) {
    throw Error(Code::rule_violation, "no project has been submitted yet");
  }
  r.state = "voting";
  r.submission_closes_at = ctx.now;
  r.updated_at = ctx.now;
  repo::update_round(tx, r);
  return round_json(tx, ctx, load_round(tx, round_id));
}

Json submit_project(store::Tx& tx, const Ctx& ctx, int64_t round_id, const ProjectInput& in) {
  require_signed_in(ctx.actor);
  auto r = load_round(tx, round_id);
  require_role(tx, ctx.actor, r.org_id, {Role::member, Role::coordinator});
  require_phase(r, ctx.now, "submission", "projects can be submitted");
  check_text(in.title, in.description);
  int64_t ceiling = r.max_cost > 0 ? r.max_cost : r.budget;
  if (in.cost < 1 || in.cost > ceiling) {
    throw Error(Code::out_of_range,
                "cost must be 1.." + std::to_string(ceiling) +
                    (r.max_cost > 0 ? " (the round's max_cost)" : " (the round's budget)"),
                "/cost");
  }
  int64_t payee = in.payee_org_id.value_or(r.org_id);
  if (!repo::find_org_facts(tx, payee)) {
    throw Error(Code::not_found, "no such organisation", "/payee_org_id");
  }
  if (repo::count_live_projects(tx, r.id) >= kMaxProjectsPerRound) {
    throw Error(Code::rule_violation,
                "a round holds at most " + std::to_string(kMaxProjectsPerRound) + " projects");
  }
  repo::ProjectRow p{.round_id = r.id,
                     .title = in.title,
                     .description = in.description,
                     .cost = in.cost,
                     .payee_org_id = payee,
                     .proposer_person_id = person_of(ctx),
                     .created_at = ctx.now,
                     .updated_at = ctx.now};
  p.id = repo::insert_project(tx, p);
  auto after = repo::find_project(tx, p.id);
  AGORA_ASSERT(after && after->cost == in.cost && after->state == "submitted");
  return project_json(tx, *after);
}

Json list_projects(store::Tx& tx, const Ctx&, int64_t round_id, PageReq page) {
  check_page(page);
  load_round(tx, round_id);
  auto rows = repo::projects_of_round(tx, round_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& p : rows) items.push_back(project_json(tx, p));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json withdraw_project(store::Tx& tx, const Ctx& ctx, int64_t project_id) {
  require_signed_in(ctx.actor);
  auto p = load_project(tx, project_id);
  auto r = load_round(tx, p.round_id);
  bool proposer = p.proposer_person_id && ctx.actor.person_id == *p.proposer_person_id;
  if (!proposer) require_role(tx, ctx.actor, r.org_id, {Role::coordinator});
  require_phase(r, ctx.now, "submission", "a project can be withdrawn");
  if (p.state != "submitted" && p.state != "ineligible") {
    throw Error(Code::invalid_state, "the project is " + p.state);
  }
  p.state = "withdrawn";
  p.updated_at = ctx.now;
  repo::update_project(tx, p);
  return project_json(tx, load_project(tx, project_id));
}

Json mark_ineligible(store::Tx& tx, const Ctx& ctx, int64_t project_id, const std::string& reason) {
  require_signed_in(ctx.actor);
  auto p = load_project(tx, project_id);
  auto r = load_round(tx, p.round_id);
  require_role(tx, ctx.actor, r.org_id, {Role::coordinator});
  check_len(reason, 1, kMaxReasonBytes, "/reason");
  require_phase(r, ctx.now, "submission", "a project can be marked ineligible");
  if (p.state != "submitted") throw Error(Code::invalid_state, "the project is " + p.state);
  p.state = "ineligible";
  p.reason = reason;
  p.updated_at = ctx.now;
  repo::update_project(tx, p);
  return project_json(tx, load_project(tx, project_id));
}

Json cast_ballot(store::Tx& tx, const Ctx& ctx, int64_t round_id,
                 const std::vector<BallotItem>& items) {
  require_signed_in(ctx.actor);
  auto r = load_round(tx, round_id);
  if (!is_voter(tx, ctx, r.org_id)) {
    throw Error(Code::forbidden, "only the organisation's active members vote in its rounds");
  }
  require_phase(r, ctx.now, "voting", "ballots can be cast");
  if (static_cast<int64_t>(items.size()) > kMaxProjectsPerRound) {
    throw Error(Code::out_of_range,
                "a ballot names at most " + std::to_string(kMaxProjectsPerRound) + " projects",
                "/items");
  }
  bool points = r.ballot == "points";
  std::vector<repo::VoteRow> votes;
  std::vector<int64_t> seen;
  int64_t total = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string at = "/items/" + std::to_string(i);
    const auto& item = items[i];
    if (std::find(seen.begin(), seen.end(), item.project_id) != seen.end()) {
      throw Error(Code::invalid_value, "the ballot names a project twice", at + "/project_id");
    }
    seen.push_back(item.project_id);
    auto p = repo::find_project(tx, item.project_id);
    if (!p || p->round_id != r.id || p->state == "withdrawn") {
      throw Error(Code::invalid_value, "no such project in this round", at + "/project_id");
    }
    if (p->state != "submitted") {
      throw Error(Code::rule_violation, "project " + std::to_string(p->id) + " is " + p->state,
                  at + "/project_id");
    }
    if (!points && item.points != 1) {
      throw Error(Code::out_of_range, "an approval is worth 1 point", at + "/points");
    }
    if (points && (item.points < 1 || item.points > r.points_total)) {
      throw Error(Code::out_of_range, "points must be 1.." + std::to_string(r.points_total),
                  at + "/points");
    }
    total = checked_add(total, item.points);
    votes.push_back(repo::VoteRow{
        .person_id = ctx.actor.person_id, .project_id = item.project_id, .points = item.points});
  }
  if (!points && r.max_approvals > 0 && static_cast<int64_t>(items.size()) > r.max_approvals) {
    throw Error(Code::out_of_range,
                "a ballot approves at most " + std::to_string(r.max_approvals) + " projects",
                "/items");
  }
  if (points && total > r.points_total) {
    throw Error(Code::out_of_range,
                "the points add up to " + std::to_string(total) + ", more than the " +
                    std::to_string(r.points_total) + " each voter spreads",
                "/items");
  }
  r.voters = repo::replace_ballot(tx, r.id, ctx.actor.person_id, votes, ctx.now);
  r.updated_at = ctx.now;
  repo::update_round(tx, r);
  return round_json(tx, ctx, load_round(tx, round_id));
}

Json tally_round(App& app, const Ctx& ctx, int64_t round_id) {
  TallyInput in;
  Json done = app.read(ctx.actor, [&](store::Tx& tx, const Ctx& rctx) -> Json {
    require_signed_in(rctx.actor);
    in.round = load_round(tx, round_id);
    require_role(tx, rctx.actor, in.round.org_id, {Role::coordinator, Role::treasurer});
    if (in.round.result) return result_json(tx, in.round);
    require_phase(in.round, ctx.now, "counting", "the round can be tallied");
    for (auto& p : repo::live_projects(tx, round_id)) {
      if (p.state == "submitted") in.projects.push_back(std::move(p));
    }
    in.votes = repo::votes_of_round(tx, round_id);
    return nullptr;
  });
  if (!done.is_null()) return done;
  Json computed = compute_result(in);
  Json payload{{"round_id", round_id}};
  WriteFn fn = [&](store::Tx& tx, const Ctx& wctx) -> Json {
    auto r = load_round(tx, round_id);
    require_role(tx, wctx.actor, r.org_id, {Role::coordinator, Role::treasurer});
    if (r.result) return result_json(tx, r);
    if (r.state != in.round.state || r.updated_at != in.round.updated_at ||
        r.voters != in.round.voters) {
      throw Error(Code::conflict, "the round changed while it was being counted; try again");
    }
    std::map<int64_t, std::string> reasons;
    for (const auto& u : computed["unfunded"]) {
      reasons[u["project_id"].get<int64_t>()] = u["reason"].get<std::string>();
    }
    for (auto p : in.projects) {
      auto lost = reasons.find(p.id);
      p.state = lost == reasons.end() ? "funded" : "unfunded";
      p.reason = lost == reasons.end() ? "" : lost->second;
      p.updated_at = ctx.now;
      repo::update_project(tx, p);
    }
    r.state = "tallied";
    r.result = computed.dump();
    // The count's time is the caller's (the clock when it was asked for).
    r.tallied_at = ctx.now;
    r.updated_at = ctx.now;
    repo::update_round(tx, r);
    return result_json(tx, load_round(tx, round_id));
  };
  return app.write(ctx.actor, "tally_budget_round", payload, fn);
}

Json round_result(store::Tx& tx, const Ctx&, int64_t round_id) {
  auto r = load_round(tx, round_id);
  if (!r.result) throw Error(Code::not_found, "the round has not been tallied");
  return result_json(tx, r);
}

Json pay_out(store::Tx& tx, const Ctx& ctx, int64_t round_id, int64_t decision_id) {
  require_signed_in(ctx.actor);
  auto r = load_round(tx, round_id);
  std::string subject = subject_of(r.id);
  auto refuse = [&](const std::string& why) {
    throw Error(Code::rule_violation,
                "paying out needs a passed decision of the organisation in " +
                    std::string(kDecisionDomain) + " on \"" + subject + "\": " + why,
                "/decision_id");
  };
  if (decision_id <= 0) refuse("no decision_id was given");
  auto d = repo::find_budget_decision(tx, decision_id);
  std::string named = "decision " + std::to_string(decision_id);
  if (!d) refuse(named + " does not exist");
  if (d->org_id != r.org_id) refuse(named + " is another organisation's");
  if (d->domain != kDecisionDomain) refuse("it is a decision in " + d->domain);
  if (d->subject != subject) refuse("its subject is \"" + d->subject + "\"");
  if (d->status != "passed") refuse("it is " + d->status);
  if (repo::decision_used_by_other(tx, decision_id, r.id)) refuse(named + " was already used");
  require_role(tx, ctx.actor, r.org_id, {Role::treasurer, Role::coordinator});
  if (r.state != "tallied") {
    throw Error(Code::invalid_state, r.state == "paid"
                                         ? "the round was already paid out"
                                         : "the round is " + r.state + ", not tallied");
  }
  auto projects = repo::live_projects(tx, r.id);
  std::vector<ledger::BulkTransfer> transfers;
  std::vector<size_t> paid;
  int64_t total = 0;
  for (size_t i = 0; i < projects.size(); ++i) {
    const auto& p = projects[i];
    if (p.state != "funded") continue;
    total = checked_add(total, p.cost);
    int64_t to = ledger::ensure_account(tx, ctx.now, p.payee_org_id, "org", std::nullopt,
                                        r.currency, "operating");
    AGORA_ASSERT(to != r.fund_account_id);
    transfers.push_back(ledger::BulkTransfer{
        .key = "sys:budget:" + std::to_string(r.id) + ":" + std::to_string(p.id),
        .debit_account_id = r.fund_account_id,
        .credit_account_id = to,
        .amount = p.cost,
        .code = "budget_payout",
        .memo = "Budget round " + std::to_string(r.id) + ": " + p.title.substr(0, 150)});
    paid.push_back(i);
  }
  auto fund = repo::find_ledger_account(tx, r.fund_account_id);
  AGORA_ASSERT(fund.has_value());
  const int64_t available = ::agora::ledger::available(ledger_detail::state_of(*fund));
  if (available < total) {
    throw Error(Code::rule_violation, "the fund holds " + std::to_string(available) +
                                          ", less than the " + std::to_string(total) +
                                          " the funded projects cost");
  }
  if (!transfers.empty()) {
    auto done = ledger::apply_bulk(tx, ctx.now, ctx.actor.account_id, {}, transfers);
    AGORA_ASSERT(done.transfer_ids.size() == transfers.size());
    for (size_t k = 0; k < paid.size(); ++k) {
      auto& p = projects[paid[k]];
      p.state = "paid";
      p.transfer_id = done.transfer_ids[k];
      p.updated_at = ctx.now;
      repo::update_project(tx, p);
    }
  }
  r.state = "paid";
  r.decision_id = decision_id;
  r.paid_at = ctx.now;
  r.updated_at = ctx.now;
  repo::update_round(tx, r);
  auto after = load_round(tx, r.id);
  AGORA_ASSERT(after.state == "paid" && after.decision_id == decision_id);
  return result_json(tx, after);
}

}  // namespace agora::app::budgeting
