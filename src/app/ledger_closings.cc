// Surplus rules, worked hours, year-end closings and monthly purchase
// bonuses (app/ledger.h). A preview and its commit share one computation
// (plan_closing / plan_bonus), so what the preview shows is exactly what the
// commit posts: commit = the same plan posted as one linked batch through
// apply_transfers, then recorded in ledger_closings.

#include <algorithm>
#include <cstdio>
#include <map>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/registry_internal.h"
#include "app/repo/closing_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "ledger/surplus.h"
#include "members/shares.h"

namespace agora::app::ledger {
namespace {

namespace rules_ns = ::agora::ledger;
using rules_ns::Refund;

constexpr int64_t kMembersPage = 500;
constexpr int64_t kClosingsListed = 100;

// Where one posting goes: an account of (org, holder, person, kind).
struct Target {
  int64_t org_id = 0;
  std::string holder{};
  std::optional<int64_t> person_id = std::nullopt;
  std::string kind{};
};

// One transfer of a closing or bonus.
struct Posting {
  std::string part{};  // surplus.h part_name, or "bonus"
  std::optional<int64_t> person_id = std::nullopt;
  std::string name{};
  int64_t basis = 0;
  int64_t amount = 0;
  std::string disposition{};  // reserve/legal, fund/mutual, cash, capital_account, share_capital
  Target target{};
  std::optional<int64_t> subscription_id = std::nullopt;  // share_capital: the subscription paid
};

struct Member {
  int64_t person_id = 0;
  int64_t membership_id = 0;
  std::string name;
};

struct Plan {
  repo::OrgRow org;
  std::string currency;
  rules_ns::SurplusRules rules;
  std::string period;
  int64_t total = 0;
  rules_ns::Distribution dist;  // year closings only
  std::vector<Posting> postings;
};

std::optional<int64_t> person_of(const Ctx& ctx) {
  return ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
}

repo::OrgRow load_org(store::Tx& tx, int64_t org_id) {
  auto o = repo::find_org(tx, org_id);
  if (!o) throw Error(Code::not_found, "no such organisation");
  return *o;
}

void require_treasury(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  require_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer});
}

void require_books(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  require_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer, Role::auditor});
}

rules_ns::SurplusRules rules_of(store::Tx& tx, int64_t org_id) {
  auto text = repo::find_rules(tx, org_id);
  if (!text) return rules_ns::SurplusRules{};
  return rules_ns::parse_rules(parse_json(*text));
}

// Active person members of the org, by membership id.
std::vector<Member> active_members(store::Tx& tx, int64_t org_id) {
  std::vector<Member> out;
  int64_t after = 0;
  for (;;) {
    auto page = repo::list_memberships(tx, org_id, "active", after, kMembersPage);
    for (const auto& m : page) {
      if (m.person_id) out.push_back({*m.person_id, m.id, m.given_name + " " + m.family_name});
    }
    if (static_cast<int64_t>(page.size()) < kMembersPage) break;
    after = page.back().id;
  }
  return out;
}

int64_t posted_balance(const repo::LedgerAccountRow& a) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a.credits_posted, a.debits_posted, &out)) {
    throw Error(Code::out_of_range, "account balance overflows");
  }
  return out;
}

// Sends a member's amount where `mode` says; share_capital_first fills the
// member's waiting subscriptions oldest first (what earlier postings of this
// plan already paid is remembered in `due`), the rest to cash.
class Router {
 public:
  Router(store::Tx& tx, int64_t org_id) : tx_(tx), org_id_(org_id) {}

  void route(std::vector<Posting>& out, Refund mode, const Member& m, const std::string& part,
             int64_t basis, int64_t amount) {
    Posting p{.part = part, .person_id = m.person_id, .name = m.name, .basis = basis};
    if (mode == Refund::capital_account) {
      p.amount = amount;
      p.disposition = "capital_account";
      p.target = {org_id_, "member", m.person_id, "capital"};
      out.push_back(p);
      return;
    }
    if (mode == Refund::share_capital_first) {
      for (auto& [sub_id, left] : due_of(m)) {
        if (amount == 0) break;
        if (left == 0) continue;
        int64_t pay = std::min(amount, left);
        left -= pay;
        amount -= pay;
        Posting s = p;
        s.amount = pay;
        s.disposition = "share_capital";
        s.target = {org_id_, "org", std::nullopt, "share_capital"};
        s.subscription_id = sub_id;
        out.push_back(s);
      }
      if (amount == 0) return;
    }
    p.amount = amount;
    p.disposition = "cash";
    p.target = {org_id_, "member", m.person_id, "current"};
    out.push_back(p);
  }

 private:
  std::vector<std::pair<int64_t, int64_t>>& due_of(const Member& m) {
    auto it = due_.find(m.membership_id);
    if (it != due_.end()) return it->second;
    std::vector<std::pair<int64_t, int64_t>> subs;
    for (const auto& s : repo::waiting_subscriptions(tx_, m.membership_id)) {
      if (s.amount_minor > s.paid_minor) subs.emplace_back(s.id, s.amount_minor - s.paid_minor);
    }
    return due_.emplace(m.membership_id, std::move(subs)).first->second;
  }

  store::Tx& tx_;
  int64_t org_id_;
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> due_;
};

Target reserve_target(const Plan& plan, rules_ns::Part part) {
  switch (part) {
    case rules_ns::Part::legal_reserve: return {plan.org.id, "reserve", std::nullopt, "legal"};
    case rules_ns::Part::indivisible_reserve:
      return {plan.org.id, "reserve", std::nullopt, "indivisible"};
    case rules_ns::Part::education: return {plan.org.id, "fund", std::nullopt, "education"};
    case rules_ns::Part::federation_levy:
      AGORA_ASSERT(plan.org.parent_id.has_value());
      return {*plan.org.parent_id, "fund", std::nullopt, "mutual"};
    default: break;
  }
  AGORA_ASSERT(false);
  return {};
}

// The year-end computation both preview and commit use.
Plan plan_closing(store::Tx& tx, int64_t org_id, int year, std::optional<int64_t> surplus) {
  if (year < 1900 || year > 9998) throw Error(Code::out_of_range, "year must be 1900..9998", "/year");
  Plan plan;
  plan.org = load_org(tx, org_id);
  plan.currency = plan.org.currency;
  plan.rules = rules_of(tx, org_id);
  plan.period = std::to_string(year);
  if (plan.rules.federation_levy_bp > 0 && !plan.org.parent_id) {
    throw Error(Code::rule_violation,
                "the rules levy a share for the federation, but this organisation has no parent",
                "/federation_levy_bp");
  }

  auto source = repo::find_account_of(tx, org_id, "org", std::nullopt, plan.currency, "surplus");
  int64_t available = 0;
  if (source) available = posted_balance(*source) - source->debits_pending;
  if (surplus) {
    if (*surplus < 0) throw Error(Code::out_of_range, "surplus must not be negative", "/surplus");
    if (*surplus > available) {
      throw Error(Code::rule_violation,
                  "the surplus account holds " + std::to_string(available) + ", less than " +
                      std::to_string(*surplus),
                  "/surplus");
    }
  }
  plan.total = surplus.value_or(std::max<int64_t>(available, 0));

  std::vector<Member> members = active_members(tx, org_id);
  std::map<int64_t, int64_t> basis;
  if (plan.rules.basis == rules_ns::Basis::hours) {
    for (auto [person, sum] : repo::hours_by_person(tx, org_id, plan.period + "-01-01",
                                                    std::to_string(year + 1) + "-01-01")) {
      basis[person] = sum / 1000;
    }
  } else {
    Timestamp from = parse_iso8601(plan.period + "-01-01T00:00:00Z");
    Timestamp to = parse_iso8601(std::to_string(year + 1) + "-01-01T00:00:00Z");
    basis = repo::spend_by_person(tx, org_id, from, to);
  }
  std::vector<rules_ns::MemberBasis> inputs;
  std::map<int64_t, const Member*> by_person;
  for (const auto& m : members) {
    if (by_person.contains(m.person_id)) continue;
    by_person[m.person_id] = &m;
    int64_t capital = 0;
    if (plan.rules.capital_interest_bp > 0) {
      if (auto a = repo::find_account_of(tx, org_id, "member", m.person_id, plan.currency, "capital")) {
        capital = std::max<int64_t>(posted_balance(*a), 0);
      }
    }
    auto b = basis.find(m.person_id);
    inputs.push_back({m.person_id, b == basis.end() ? 0 : std::max<int64_t>(b->second, 0), capital});
  }
  plan.dist = rules_ns::distribute(plan.total, plan.rules, inputs);

  Router router(tx, org_id);
  for (const auto& l : plan.dist.lines) {
    std::string part = rules_ns::part_name(l.part);
    if (l.person_id == 0) {
      Target t = reserve_target(plan, l.part);
      plan.postings.push_back(Posting{.part = part,
                                      .basis = l.basis,
                                      .amount = l.amount,
                                      .disposition = t.holder + "/" + t.kind,
                                      .target = t});
    } else {
      router.route(plan.postings, plan.rules.refund, *by_person.at(l.person_id), part, l.basis,
                   l.amount);
    }
  }
  int64_t sum = 0;
  for (const auto& p : plan.postings) sum = checked_add(sum, p.amount);
  AGORA_ASSERT(sum == plan.total);
  return plan;
}

std::string check_month(const std::string& month) {
  bool ok = month.size() == 7 && month[4] == '-';
  for (size_t i = 0; ok && i < month.size(); ++i) {
    if (i != 4) ok = month[i] >= '0' && month[i] <= '9';
  }
  int mm = ok ? std::stoi(month.substr(5)) : 0;
  int yyyy = ok ? std::stoi(month.substr(0, 4)) : 0;
  if (!ok || mm < 1 || mm > 12 || yyyy < 1900 || yyyy > 9998) {
    throw Error(Code::invalid_value, "month must be YYYY-MM", "/month");
  }
  char next[16];
  std::snprintf(next, sizeof next, "%04d-%02d", mm == 12 ? yyyy + 1 : yyyy, mm == 12 ? 1 : mm + 1);
  return next;
}

Plan plan_bonus(store::Tx& tx, int64_t org_id, const std::string& month) {
  std::string next = check_month(month);
  Plan plan;
  plan.org = load_org(tx, org_id);
  plan.currency = plan.org.currency;
  plan.rules = rules_of(tx, org_id);
  plan.period = month;
  auto spend = repo::spend_by_person(tx, org_id, parse_iso8601(month + "-01T00:00:00Z"),
                                     parse_iso8601(next + "-01T00:00:00Z"));
  Router router(tx, org_id);
  std::map<int64_t, bool> seen;
  for (const auto& m : active_members(tx, org_id)) {
    if (seen[m.person_id]) continue;
    seen[m.person_id] = true;
    auto it = spend.find(m.person_id);
    if (it == spend.end() || it->second <= 0) continue;
    int64_t amount = rules_ns::purchase_bonus(plan.rules.bonus_steps, it->second);
    if (amount == 0) continue;
    plan.total = checked_add(plan.total, amount);
    router.route(plan.postings, plan.rules.bonus_refund, m, "bonus", it->second, amount);
  }
  return plan;
}

Json posting_json(const Posting& p) {
  return Json{{"part", p.part},
              {"person_id", opt_json(p.person_id)},
              {"name", p.person_id ? Json(p.name) : Json(nullptr)},
              {"basis", p.basis},
              {"amount", p.amount},
              {"disposition", p.disposition}};
}

Json closing_preview_json(const Plan& plan) {
  const char* member_kind = plan.rules.refund == Refund::capital_account ? "capital" : "current";
  Json parts = Json::array();
  std::vector<std::pair<std::string, int64_t>> totals;
  for (const auto& l : plan.dist.lines) {
    std::string name = rules_ns::part_name(l.part);
    if (!totals.empty() && totals.back().first == name) {
      totals.back().second += l.amount;
    } else {
      totals.emplace_back(name, l.amount);
    }
  }
  for (const auto& [name, amount] : totals) {
    Json account;
    if (name == "interest" || name == "refund") {
      account = {{"holder", "member"}, {"kind", member_kind}, {"org_id", plan.org.id}};
    } else {
      const Posting* p = nullptr;
      for (const auto& q : plan.postings) {
        if (q.part == name) p = &q;
      }
      AGORA_ASSERT(p != nullptr);
      account = {{"holder", p->target.holder}, {"kind", p->target.kind}, {"org_id", p->target.org_id}};
    }
    parts.push_back({{"part", name}, {"amount", amount}, {"account", account}});
  }
  Json lines = Json::array();
  for (const auto& p : plan.postings) lines.push_back(posting_json(p));
  return Json{{"org_id", plan.org.id},
              {"year", std::stoi(plan.period)},
              {"currency", plan.currency},
              {"surplus", plan.total},
              {"rules", rules_ns::rules_json(plan.rules)},
              {"interest_total", plan.dist.interest_total},
              {"reserves_total", plan.dist.reserves_total},
              {"members_total", plan.dist.members_total},
              {"parts", parts},
              {"lines", lines}};
}

Json bonus_preview_json(const Plan& plan) {
  Json lines = Json::array();
  for (const auto& p : plan.postings) {
    Json j = posting_json(p);
    j.erase("part");
    lines.push_back(std::move(j));
  }
  return Json{{"org_id", plan.org.id},
              {"period", plan.period},
              {"currency", plan.currency},
              {"total", plan.total},
              {"lines", lines}};
}

// Records one instalment on a share subscription the way the registry's
// pay_subscription does: the payment, and when it completes the request, the
// shares enter the register and the member's holding.
void pay_instalment(store::Tx& tx, const Ctx& ctx, int64_t subscription_id, int64_t amount) {
  registry_detail::record_instalment(tx, ctx, subscription_id, amount);
}

// Posts a plan from `source_kind` (an org account) as one linked batch and
// records it; returns {id, batch_id}.
std::pair<int64_t, std::optional<int64_t>> post_plan(store::Tx& tx, const Ctx& ctx, const Plan& plan,
                                                     const std::string& kind,
                                                     const std::string& source_kind,
                                                     const std::string& memo) {
  std::vector<TransferInput> batch;
  std::vector<int64_t> targets;
  if (!plan.postings.empty()) {
    int64_t source =
        ensure_account(tx, ctx.now, plan.org.id, "org", std::nullopt, plan.currency, source_kind);
    std::string prefix = (kind == "year" ? "sys:closing:" : "sys:bonus:") + std::to_string(plan.org.id) +
                         ":" + plan.period + ":";
    for (size_t i = 0; i < plan.postings.size(); ++i) {
      const Posting& p = plan.postings[i];
      int64_t target = ensure_account(tx, ctx.now, p.target.org_id, p.target.holder,
                                      p.target.person_id, plan.currency, p.target.kind);
      targets.push_back(target);
      batch.push_back(TransferInput{.key = prefix + std::to_string(i + 1),
                                    .action = Action::create,
                                    .debit_account_id = source,
                                    .credit_account_id = target,
                                    .amount = p.amount,
                                    .code = kind == "year" ? "closing_" + p.part : "purchase_bonus",
                                    .memo = memo + ": " + p.part +
                                            (p.subscription_id ? " (share subscription " +
                                                                     std::to_string(*p.subscription_id) + ")"
                                                               : "")});
    }
  }
  std::vector<Json> posted;
  if (!batch.empty()) posted = apply_transfers(tx, ctx.now, ctx.actor.account_id, batch);
  AGORA_ASSERT(posted.size() == batch.size());
  for (const auto& p : plan.postings) {
    if (p.subscription_id) pay_instalment(tx, ctx, *p.subscription_id, p.amount);
  }
  std::optional<int64_t> batch_id;
  if (!posted.empty()) batch_id = posted[0]["id"].get<int64_t>();
  int64_t id = repo::insert_closing(tx, repo::ClosingRow{.org_id = plan.org.id,
                                                         .kind = kind,
                                                         .period = plan.period,
                                                         .currency = plan.currency,
                                                         .total = plan.total,
                                                         .rules = rules_ns::rules_json(plan.rules).dump(),
                                                         .batch_id = batch_id,
                                                         .created_at = ctx.now,
                                                         .created_by_person = person_of(ctx)});
  for (size_t i = 0; i < plan.postings.size(); ++i) {
    const Posting& p = plan.postings[i];
    repo::insert_closing_line(tx, repo::ClosingLineRow{.closing_id = id,
                                                       .line_no = static_cast<int64_t>(i + 1),
                                                       .part = p.part,
                                                       .person_id = p.person_id,
                                                       .basis = p.basis,
                                                       .amount = p.amount,
                                                       .disposition = p.disposition,
                                                       .account_id = targets[i],
                                                       .transfer_id = posted[i]["id"].get<int64_t>()});
  }
  return {id, batch_id};
}

Json closing_json(const repo::ClosingRow& c) {
  return Json{{"id", c.id},
              {"org_id", c.org_id},
              {"kind", c.kind},
              {"period", c.period},
              {"currency", c.currency},
              {"total", c.total},
              {"rules", parse_json(c.rules)},
              {"batch_id", opt_json(c.batch_id)},
              {"created_at", iso(c.created_at)}};
}

}  // namespace

Json get_surplus_rules(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  load_org(tx, org_id);
  require_books(tx, ctx, org_id);
  return rules_ns::rules_json(rules_of(tx, org_id));
}

Json set_surplus_rules(store::Tx& tx, const Ctx& ctx, int64_t org_id, const Json& rules) {
  load_org(tx, org_id);
  require_treasury(tx, ctx, org_id);
  Json out = rules_ns::rules_json(rules_ns::parse_rules(rules));
  repo::upsert_rules(tx, org_id, out.dump(), ctx.now, person_of(ctx));
  return out;
}

Json record_hours(store::Tx& tx, const Ctx& ctx, int64_t org_id, const HoursInput& in) {
  load_org(tx, org_id);
  require_treasury(tx, ctx, org_id);
  bool member = false;
  for (const auto& m : repo::memberships_of_person(tx, in.person_id)) {
    member = member || (m.org_id == org_id && m.status == "active");
  }
  if (!member) {
    throw Error(Code::invalid_value, "not an active member of this organisation", "/person_id");
  }
  bool ok = in.day.size() == 10 && in.day[4] == '-' && in.day[7] == '-';
  if (ok) {
    try {
      ok = format_iso8601(parse_iso8601(in.day + "T00:00:00Z")).substr(0, 10) == in.day;
    } catch (const Error&) {
      ok = false;
    }
  }
  if (!ok) throw Error(Code::invalid_value, "day must be a date YYYY-MM-DD", "/day");
  if (in.hours_milli < 1 || in.hours_milli > 24000) {
    throw Error(Code::out_of_range, "hours_milli must be 1..24000", "/hours_milli");
  }
  if (in.pay_index_milli < 1 || in.pay_index_milli > 100000) {
    throw Error(Code::out_of_range, "pay_index_milli must be 1..100000", "/pay_index_milli");
  }
  repo::HoursRow h{.org_id = org_id,
                   .person_id = in.person_id,
                   .day = in.day,
                   .hours_milli = in.hours_milli,
                   .pay_index_milli = in.pay_index_milli,
                   .recorded_at = ctx.now,
                   .recorded_by_person = person_of(ctx)};
  int64_t id = repo::insert_hours(tx, h);
  return Json{{"id", id},
              {"org_id", org_id},
              {"person_id", in.person_id},
              {"day", in.day},
              {"hours_milli", in.hours_milli},
              {"pay_index_milli", in.pay_index_milli},
              {"recorded_at", iso(ctx.now)}};
}

Json preview_closing(store::Tx& tx, const Ctx& ctx, int64_t org_id, int year,
                     std::optional<int64_t> surplus) {
  load_org(tx, org_id);
  require_books(tx, ctx, org_id);
  return closing_preview_json(plan_closing(tx, org_id, year, surplus));
}

Json commit_closing(store::Tx& tx, const Ctx& ctx, int64_t org_id, int year,
                    std::optional<int64_t> surplus) {
  load_org(tx, org_id);
  require_treasury(tx, ctx, org_id);
  if (repo::closing_exists(tx, org_id, "year", std::to_string(year))) {
    throw Error(Code::duplicate, "the year " + std::to_string(year) + " is already closed", "/year");
  }
  Plan plan = plan_closing(tx, org_id, year, surplus);
  auto [id, batch_id] = post_plan(tx, ctx, plan, "year", "surplus", "Year-end closing " + plan.period);
  Json out = closing_preview_json(plan);
  out["id"] = id;
  out["batch_id"] = opt_json(batch_id);
  return out;
}

Json preview_bonus(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& month) {
  load_org(tx, org_id);
  require_books(tx, ctx, org_id);
  return bonus_preview_json(plan_bonus(tx, org_id, month));
}

Json commit_bonus(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& month) {
  load_org(tx, org_id);
  require_treasury(tx, ctx, org_id);
  check_month(month);
  if (repo::closing_exists(tx, org_id, "bonus", month)) {
    throw Error(Code::duplicate, "the bonus of " + month + " was already paid", "/month");
  }
  Plan plan = plan_bonus(tx, org_id, month);
  auto [id, batch_id] = post_plan(tx, ctx, plan, "bonus", "operating", "Purchase bonus " + month);
  Json out = bonus_preview_json(plan);
  out["id"] = id;
  out["batch_id"] = opt_json(batch_id);
  return out;
}

Json list_closings(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  load_org(tx, org_id);
  require_books(tx, ctx, org_id);
  Json items = Json::array();
  for (const auto& c : repo::list_closings(tx, org_id, kClosingsListed)) items.push_back(closing_json(c));
  return Json{{"items", items}};
}

Json get_closing(store::Tx& tx, const Ctx& ctx, int64_t closing_id) {
  auto c = repo::find_closing(tx, closing_id);
  if (!c) throw Error(Code::not_found, "no such closing");
  require_books(tx, ctx, c->org_id);
  Json out = closing_json(*c);
  Json lines = Json::array();
  for (const auto& l : repo::closing_lines(tx, closing_id)) {
    lines.push_back(Json{{"line_no", l.line_no},
                         {"part", l.part},
                         {"person_id", opt_json(l.person_id)},
                         {"name", l.person_id ? Json(l.person_name) : Json(nullptr)},
                         {"basis", l.basis},
                         {"amount", l.amount},
                         {"disposition", l.disposition},
                         {"account_id", opt_json(l.account_id)},
                         {"transfer_id", opt_json(l.transfer_id)}});
  }
  out["lines"] = std::move(lines);
  return out;
}

}  // namespace agora::app::ledger
