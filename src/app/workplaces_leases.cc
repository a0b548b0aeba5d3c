// Leases (app/workplaces.h, section "leases"): created, changed and ended
// only with a joint decision of lessor and lessee, their rent and solidarity
// schedules (workplaces/schedule.h), and the monthly invoices the scheduler
// raises as payment requests in the ledger. Rules per use case:
// - A joint decision: passed, in domain "workplace.lease", on the lease's
//   subject, of one party with the other as counterparty, and used by no
//   other lease, change or end. Checked before the caller's role, so the
//   refusal is the same for every role.
// - Active leases of one asset may not overlap; a lease that renews itself
//   is open-ended for that test (it goes on until a joint decision ends it).
// - The schedule follows the lease's current terms; a change applies from
//   the first uninvoiced month, and the invoices already raised stand.
// - Invoices are payment requests created by the system (no signed-in
//   caller): payer the lessee's operating account; payees the lessor's
//   operating account (debt service), its maintenance reserve, its
//   investment fund (surplus) and the solidarity org's solidarity fund.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/repo/closing_repo.h"
#include "app/repo/leases_repo.h"
#include "app/workplaces.h"
#include "core/assert.h"
#include "core/error.h"
#include "workplaces/calendar.h"
#include "workplaces/schedule.h"

namespace agora::app::workplaces {
namespace {

namespace wp = agora::workplaces;

constexpr const char* kLeaseDomain = "workplace.lease";
constexpr int64_t kMaxIndexBps = 5'000;
constexpr int64_t kMaxRate = 1'000'000'000;
constexpr size_t kMaxSteps = 50;
constexpr int64_t kMaxRenewMonths = 120;
constexpr int64_t kMaxScheduleMonths = 240;

std::optional<int64_t> person_of(const Ctx& ctx) {
  return ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
}

std::string today_of(Timestamp now) { return wp::to_string(wp::date_of(now)); }

wp::Date first_day(const std::string& text, const char* field) {
  auto d = wp::parse_date(text, field);
  if (d.day != 1) {
    throw Error(Code::invalid_value, "a lease's months begin on the first day of a month", field);
  }
  return d;
}

void check_amount(int64_t v, int64_t max, const char* field) {
  if (v < 0 || v > max) {
    throw Error(Code::out_of_range, std::string(field + 1) + " must be 0.." + std::to_string(max),
                field);
  }
}

repo::OrgFacts load_org(store::Tx& tx, int64_t org_id, const char* field) {
  auto o = repo::find_org_facts(tx, org_id);
  if (!o) throw Error(Code::not_found, "no such organisation", field);
  return *o;
}

repo::LeaseRow load_lease(store::Tx& tx, int64_t lease_id) {
  auto l = repo::find_lease(tx, lease_id);
  if (!l) throw Error(Code::not_found, "no such lease");
  return *l;
}

// The nearest federation above `org_id`, if any.
std::optional<int64_t> federation_above(store::Tx& tx, int64_t org_id) {
  auto o = repo::find_org_facts(tx, org_id);
  for (int depth = 0; o && o->parent_id && depth < 16; ++depth) {
    o = repo::find_org_facts(tx, *o->parent_id);
    if (o && o->kind == "federation") return o->id;
  }
  return std::nullopt;
}

// The joint decision of lessor and lessee on `subject`, unused.
void check_joint_decision(store::Tx& tx, int64_t decision_id, int64_t lessor, int64_t lessee,
                          const std::string& subject) {
  auto refuse = [&](const std::string& why) {
    throw Error(Code::rule_violation,
                "this needs a passed joint decision of the lessor and the lessee in " +
                    std::string(kLeaseDomain) + " on \"" + subject + "\": " + why,
                "/decision_id");
  };
  if (decision_id <= 0) refuse("no decision_id was given");
  auto d = repo::find_lease_decision(tx, decision_id);
  std::string named = "decision " + std::to_string(decision_id);
  if (!d) refuse(named + " does not exist");
  bool joint =
      d->counterparty_org_id && ((d->org_id == lessor && *d->counterparty_org_id == lessee) ||
                                 (d->org_id == lessee && *d->counterparty_org_id == lessor));
  if (!joint) refuse(named + " is not a joint decision of both co-ops");
  if (d->domain != kLeaseDomain) refuse("it is a decision in " + d->domain);
  if (d->subject != subject) refuse("its subject is \"" + d->subject + "\"");
  if (d->status != "passed") refuse("it is " + d->status);
  if (repo::lease_decision_used(tx, decision_id)) refuse(named + " was already used");
}

void require_party_role(store::Tx& tx, const Ctx& ctx, const repo::LeaseRow& l,
                        std::initializer_list<Role> roles) {
  require_signed_in(ctx.actor);
  if (has_role(tx, ctx.actor, l.lessor_org_id, roles)) return;
  require_role(tx, ctx.actor, l.lessee_org_id, roles);
}

void require_reader(store::Tx& tx, const Ctx& ctx, const repo::LeaseRow& l) {
  require_party_role(tx, ctx, l, {Role::member, Role::coordinator, Role::treasurer, Role::auditor});
}

std::vector<repo::StepRow> check_steps(const std::vector<SolidarityStep>& in,
                                       const wp::Date& starts_on) {
  if (in.size() > kMaxSteps) {
    throw Error(Code::out_of_range, "steps holds 0.." + std::to_string(kMaxSteps) + " steps",
                "/steps");
  }
  std::vector<repo::StepRow> out;
  for (size_t i = 0; i < in.size(); ++i) {
    std::string at = "/steps/" + std::to_string(i);
    std::string from_field = at + "/from_on";
    auto d = first_day(in[i].from_on, from_field.c_str());
    if (i == 0 && d != starts_on) {
      throw Error(Code::invalid_value, "the first step begins on the lease's starts_on",
                  from_field);
    }
    if (i > 0 && wp::parse_date(out.back().from_on) >= d) {
      throw Error(Code::invalid_value, "steps must be in ascending order of from_on", from_field);
    }
    std::string rate_field = at + "/rate_per_m2";
    check_amount(in[i].rate_per_m2, kMaxRate, rate_field.c_str());
    out.push_back(repo::StepRow{.from_on = wp::to_string(d), .rate_per_m2 = in[i].rate_per_m2});
  }
  return out;
}

// The money terms every command checks the same way.
void check_terms(const repo::LeaseRow& l, const std::vector<repo::StepRow>& steps) {
  if (l.renewal != "none" && l.renewal != "auto") {
    throw Error(Code::invalid_value, "renewal must be none or auto", "/renewal");
  }
  if (l.renew_months < 0 || l.renew_months > kMaxRenewMonths ||
      (l.renewal == "auto" && l.renew_months < 1)) {
    throw Error(Code::out_of_range,
                l.renewal == "auto" ? "renew_months must be 1..120 for auto renewal"
                                    : "renew_months must be 0..120",
                "/renew_months");
  }
  check_amount(l.rent_monthly, kMaxAmount, "/rent_monthly");
  if (l.rent_kind == "free" && l.rent_monthly != 0) {
    throw Error(Code::invalid_value, "a free lease has no rent", "/rent_monthly");
  }
  check_amount(l.index_bps, kMaxIndexBps, "/index_bps");
  if (l.rent_kind != "indexed" && l.index_bps != 0) {
    throw Error(Code::invalid_value, "only an indexed rent has index_bps", "/index_bps");
  }
  check_amount(l.debt_service, kMaxAmount, "/debt_service");
  check_amount(l.maintenance, kMaxAmount, "/maintenance");
  if (l.debt_service + l.maintenance > l.rent_monthly) {
    throw Error(Code::rule_violation,
                "the cost rent (debt_service " + std::to_string(l.debt_service) +
                    " + maintenance " + std::to_string(l.maintenance) +
                    ") exceeds the first year's rent " + std::to_string(l.rent_monthly),
                "/debt_service");
  }
  check_amount(l.floor_area_m2, kMaxArea, "/floor_area_m2");
  if (l.due_day < 1 || l.due_day > 28) {
    throw Error(Code::out_of_range, "due_day must be 1..28", "/due_day");
  }
  bool charged = false;
  for (const auto& s : steps) charged = charged || s.rate_per_m2 > 0;
  if (charged && !l.solidarity_org_id) {
    throw Error(Code::missing_field,
                "a solidarity contribution needs the org whose solidarity fund receives it",
                "/solidarity_org_id");
  }
}

wp::LeaseTerms terms_of(const repo::LeaseRow& l, const std::vector<repo::StepRow>& steps) {
  wp::LeaseTerms t{.starts_on = wp::parse_date(l.starts_on),
                   .rent_kind = l.rent_kind == "free"    ? wp::RentKind::free
                                : l.rent_kind == "fixed" ? wp::RentKind::fixed
                                                         : wp::RentKind::indexed,
                   .rent_monthly = l.rent_monthly,
                   .index_bps = l.index_bps,
                   .debt_service = l.debt_service,
                   .maintenance = l.maintenance,
                   .floor_area_m2 = l.floor_area_m2};
  for (const auto& s : steps) {
    t.steps.push_back(
        wp::RateStep{.from = wp::parse_date(s.from_on), .rate_per_m2 = s.rate_per_m2});
  }
  return t;
}

// The first month not yet invoiced.
wp::Date next_uninvoiced(const repo::LeaseRow& l) {
  if (!l.invoiced_through) return wp::parse_date(l.starts_on);
  return wp::add_months(wp::parse_period(*l.invoiced_through), 1);
}

// Whether another active lease of the asset overlaps [starts, ends) (open-ended when auto).
void check_no_overlap(store::Tx& tx, const repo::LeaseRow& l) {
  for (const auto& o : repo::leases_of_asset(tx, l.asset_id)) {
    if (o.id == l.id || o.state != "active") continue;
    bool before_other_ends = o.renewal == "auto" || l.starts_on < o.ends_on;
    bool other_starts_before_end = l.renewal == "auto" || o.starts_on < l.ends_on;
    if (before_other_ends && other_starts_before_end) {
      throw Error(Code::conflict,
                  "lease " + std::to_string(o.id) + " of this asset runs from " + o.starts_on +
                      (o.renewal == "auto" ? " and renews itself" : " to " + o.ends_on),
                  "/starts_on");
    }
  }
}

Json party_json(store::Tx& tx, int64_t org_id) {
  auto o = repo::find_org_facts(tx, org_id);
  AGORA_ASSERT(o.has_value());
  return Json{{"org_id", o->id}, {"name", o->name}};
}

Json arrears_json(const repo::Arrears& a) {
  return Json{
      {"count", a.count}, {"amount", a.amount}, {"oldest_due_on", opt_json(a.oldest_due_on)}};
}

Json lease_json(store::Tx& tx, const Ctx& ctx, const repo::LeaseRow& l) {
  auto asset = repo::find_asset_facts(tx, l.asset_id);
  AGORA_ASSERT(asset.has_value());
  Json steps = Json::array();
  for (const auto& s : repo::steps_of(tx, l.id)) {
    steps.push_back(Json{{"from_on", s.from_on}, {"rate_per_m2", s.rate_per_m2}});
  }
  return Json{
      {"id", l.id},
      {"asset",
       {{"id", asset->id}, {"name", asset->name}, {"floor_area_m2", asset->floor_area_m2}}},
      {"lessor", party_json(tx, l.lessor_org_id)},
      {"lessee", party_json(tx, l.lessee_org_id)},
      {"currency", l.currency},
      {"starts_on", l.starts_on},
      {"ends_on", l.ends_on},
      {"renewal", l.renewal},
      {"renew_months", l.renew_months},
      {"rent_kind", l.rent_kind},
      {"rent_monthly", l.rent_monthly},
      {"index_bps", l.index_bps},
      {"debt_service", l.debt_service},
      {"maintenance", l.maintenance},
      {"floor_area_m2", l.floor_area_m2},
      {"solidarity", l.solidarity_org_id ? party_json(tx, *l.solidarity_org_id) : Json(nullptr)},
      {"due_day", l.due_day},
      {"state", l.state},
      {"steps", std::move(steps)},
      {"decision_id", opt_json(l.decision_id)},
      {"end_decision_id", opt_json(l.end_decision_id)},
      {"invoiced_through", opt_json(l.invoiced_through)},
      {"arrears", arrears_json(repo::arrears_of(tx, l.id, today_of(ctx.now)))},
      {"created_at", iso(l.created_at)},
      {"ended_at", iso(l.ended_at)}};
}

Json month_json(const wp::MonthCharge& m) {
  return Json{
      {"period", wp::period_of(m.month)}, {"rent", m.rent},       {"debt_service", m.debt_service},
      {"maintenance", m.maintenance},     {"surplus", m.surplus}, {"rate_per_m2", m.rate_per_m2},
      {"solidarity", m.solidarity},       {"total", m.total}};
}

// Ends the lease as of now (the scheduler reached ends_on, or it was ended
// on a day already past).
void close_lease(repo::LeaseRow& l, Timestamp now) {
  l.state = "ended";
  l.ended_at = now;
  l.updated_at = now;
}

// Raises the invoices of one month: a system payment request per kind with
// an amount, and its lease_invoices row.
void invoice_month(store::Tx& tx, Timestamp now, const repo::LeaseRow& l,
                   const wp::MonthCharge& m) {
  std::string period = wp::period_of(m.month);
  wp::Date due{m.month.year, m.month.month, static_cast<int>(l.due_day)};
  int64_t payer = ledger::ensure_account(tx, now, l.lessee_org_id, "org", std::nullopt, l.currency,
                                         "operating");
  struct Part {
    const char* kind;
    int64_t amount;
    int64_t org_id;
    const char* holder;
    const char* account_kind;
    const char* code;
    const char* what;
  };
  std::vector<Part> parts = {
      {"debt_service", m.debt_service, l.lessor_org_id, "org", "operating", "rent", "debt service"},
      {"maintenance", m.maintenance, l.lessor_org_id, "reserve", "maintenance", "rent",
       "maintenance reserve"},
      {"surplus", m.surplus, l.lessor_org_id, "fund", "investment", "rent",
       "surplus to the investment fund"},
  };
  if (l.solidarity_org_id) {
    parts.push_back({"solidarity", m.solidarity, *l.solidarity_org_id, "fund", "solidarity",
                     "solidarity", "solidarity contribution"});
  }
  for (const auto& p : parts) {
    if (p.amount <= 0) continue;
    int64_t payee = ledger::ensure_account(tx, now, p.org_id, p.holder, std::nullopt, l.currency,
                                           p.account_kind);
    AGORA_ASSERT(payee != payer);
    std::string key = "sys:lease:" + std::to_string(l.id) + ":" + period + ":" + p.kind;
    repo::RequestRow r{.key = key,
                       .body_hash = key,
                       .payee_account_id = payee,
                       .payer_account_id = payer,
                       .amount = p.amount,
                       .currency = l.currency,
                       .code = p.code,
                       .memo = "Lease " + std::to_string(l.id) + ", " + period + ": " + p.what,
                       .due_at = wp::start_of(due),
                       .state = "open",
                       .created_at = now};
    r.id = repo::insert_request(tx, r);
    repo::insert_invoice(tx, repo::InvoiceRow{.lease_id = l.id,
                                              .period = period,
                                              .kind = p.kind,
                                              .amount = p.amount,
                                              .request_id = r.id,
                                              .due_on = wp::to_string(due),
                                              .created_at = now});
  }
}

}  // namespace

Json create_lease(store::Tx& tx, const Ctx& ctx, const LeaseInput& in) {
  require_signed_in(ctx.actor);
  auto asset = repo::find_asset_facts(tx, in.asset_id);
  if (!asset) throw Error(Code::not_found, "no such asset", "/asset_id");
  if (asset->status != "active") {
    throw Error(Code::invalid_state, "the asset was sold", "/asset_id");
  }
  load_org(tx, in.lessor_org_id, "/lessor_org_id");
  if (repo::stake_bps(tx, in.asset_id, in.lessor_org_id) <= 0) {
    throw Error(Code::rule_violation, "the lessor holds no stake in the asset", "/lessor_org_id");
  }
  load_org(tx, in.lessee_org_id, "/lessee_org_id");
  if (in.lessee_org_id == in.lessor_org_id) {
    throw Error(Code::invalid_value, "the lessee must be another organisation", "/lessee_org_id");
  }
  auto starts = first_day(in.starts_on, "/starts_on");
  auto ends = first_day(in.ends_on, "/ends_on");
  if (ends <= starts)
    throw Error(Code::out_of_range, "ends_on must be after starts_on", "/ends_on");
  if (in.rent_kind != "free" && in.rent_kind != "fixed" && in.rent_kind != "indexed") {
    throw Error(Code::invalid_value, "rent_kind must be free, fixed or indexed", "/rent_kind");
  }
  std::optional<int64_t> solidarity = in.solidarity_org_id;
  if (solidarity) {
    load_org(tx, *solidarity, "/solidarity_org_id");
  } else {
    solidarity = federation_above(tx, in.lessor_org_id);
  }
  repo::LeaseRow l{.asset_id = in.asset_id,
                   .lessor_org_id = in.lessor_org_id,
                   .lessee_org_id = in.lessee_org_id,
                   .currency = asset->currency,
                   .starts_on = wp::to_string(starts),
                   .ends_on = wp::to_string(ends),
                   .renewal = in.renewal,
                   .renew_months = in.renew_months,
                   .rent_kind = in.rent_kind,
                   .rent_monthly = in.rent_monthly,
                   .index_bps = in.index_bps,
                   .debt_service = in.debt_service,
                   .maintenance = in.maintenance,
                   .floor_area_m2 = in.floor_area_m2.value_or(asset->floor_area_m2),
                   .solidarity_org_id = solidarity,
                   .due_day = in.due_day,
                   .state = "active",
                   .decision_id = in.decision_id,
                   .created_at = ctx.now,
                   .updated_at = ctx.now};
  auto steps = check_steps(in.steps, starts);
  check_terms(l, steps);
  check_joint_decision(
      tx, in.decision_id, in.lessor_org_id, in.lessee_org_id,
      "asset:" + std::to_string(in.asset_id) + ":lessee:" + std::to_string(in.lessee_org_id));
  if (!has_role(tx, ctx.actor, in.lessor_org_id, {Role::coordinator})) {
    require_role(tx, ctx.actor, in.lessee_org_id, {Role::coordinator});
  }
  check_no_overlap(tx, l);
  l.id = repo::insert_lease(tx, l);
  repo::replace_steps(tx, l.id, steps);
  auto after = repo::find_lease(tx, l.id);
  AGORA_ASSERT(after && after->rent_monthly == l.rent_monthly && after->state == "active");
  return lease_json(tx, ctx, *after);
}

Json change_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id, const LeasePatch& in) {
  require_signed_in(ctx.actor);
  auto l = load_lease(tx, lease_id);
  if (l.state != "active") throw Error(Code::invalid_state, "the lease has ended");
  auto first_open = next_uninvoiced(l);
  Json detail = Json::object();
  if (in.ends_on) {
    auto ends = first_day(*in.ends_on, "/ends_on");
    if (ends <= wp::parse_date(l.starts_on) || ends < first_open) {
      throw Error(Code::out_of_range,
                  "ends_on must be after starts_on and not before the first uninvoiced month " +
                      wp::to_string(first_open),
                  "/ends_on");
    }
    l.ends_on = wp::to_string(ends);
    detail["ends_on"] = l.ends_on;
  }
  auto set = [&detail](auto& field, const auto& value, const char* name) {
    if (!value) return;
    field = *value;
    detail[name] = *value;
  };
  set(l.renewal, in.renewal, "renewal");
  set(l.renew_months, in.renew_months, "renew_months");
  set(l.rent_monthly, in.rent_monthly, "rent_monthly");
  set(l.index_bps, in.index_bps, "index_bps");
  set(l.debt_service, in.debt_service, "debt_service");
  set(l.maintenance, in.maintenance, "maintenance");
  set(l.due_day, in.due_day, "due_day");
  auto steps = repo::steps_of(tx, l.id);
  if (in.steps) {
    steps = check_steps(*in.steps, wp::parse_date(l.starts_on));
    Json js = Json::array();
    for (const auto& s : steps)
      js.push_back(Json{{"from_on", s.from_on}, {"rate_per_m2", s.rate_per_m2}});
    detail["steps"] = std::move(js);
  }
  if (detail.empty()) throw Error(Code::missing_field, "nothing to change");
  check_terms(l, steps);
  check_joint_decision(tx, in.decision_id, l.lessor_org_id, l.lessee_org_id,
                       "lease:" + std::to_string(l.id));
  require_party_role(tx, ctx, l, {Role::coordinator});
  check_no_overlap(tx, l);
  l.updated_at = ctx.now;
  repo::update_lease(tx, l);
  if (in.steps) repo::replace_steps(tx, l.id, steps);
  repo::insert_change(tx, l.id, in.decision_id, detail.dump(), person_of(ctx), ctx.now);
  return lease_json(tx, ctx, load_lease(tx, l.id));
}

Json end_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id, const std::string& ends_on,
               int64_t decision_id) {
  require_signed_in(ctx.actor);
  auto l = load_lease(tx, lease_id);
  if (l.state != "active") throw Error(Code::invalid_state, "the lease has already ended");
  auto ends = first_day(ends_on, "/ends_on");
  auto first_open = next_uninvoiced(l);
  if (ends <= wp::parse_date(l.starts_on) || ends < first_open) {
    throw Error(Code::out_of_range,
                "ends_on must be after starts_on and not before the first uninvoiced month " +
                    wp::to_string(first_open),
                "/ends_on");
  }
  if (l.renewal == "none" && ends > wp::parse_date(l.ends_on)) {
    throw Error(Code::out_of_range, "ending a lease cannot extend it past " + l.ends_on,
                "/ends_on");
  }
  check_joint_decision(tx, decision_id, l.lessor_org_id, l.lessee_org_id,
                       "lease:" + std::to_string(l.id));
  require_party_role(tx, ctx, l, {Role::coordinator});
  l.ends_on = wp::to_string(ends);
  l.renewal = "none";
  l.renew_months = 0;
  l.end_decision_id = decision_id;
  l.updated_at = ctx.now;
  // A lease whose end has come is over now; otherwise the scheduler ends it
  // when it reaches ends_on, after the last month's invoices.
  if (ends <= wp::date_of(ctx.now) && ends <= first_open) close_lease(l, ctx.now);
  repo::update_lease(tx, l);
  return lease_json(tx, ctx, load_lease(tx, l.id));
}

Json get_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id) {
  auto l = load_lease(tx, lease_id);
  require_reader(tx, ctx, l);
  return lease_json(tx, ctx, l);
}

Json list_leases(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  check_page(page);
  load_org(tx, org_id, "/org_id");
  require_role(tx, ctx.actor, org_id,
               {Role::member, Role::coordinator, Role::treasurer, Role::auditor});
  auto rows = repo::leases_of_org(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& l : rows) items.push_back(lease_json(tx, ctx, l));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json lease_schedule(store::Tx& tx, const Ctx& ctx, int64_t lease_id,
                    std::optional<std::string> from, int64_t months) {
  auto l = load_lease(tx, lease_id);
  require_reader(tx, ctx, l);
  if (months < 1 || months > kMaxScheduleMonths) {
    throw Error(Code::out_of_range, "months must be 1..240", "/months");
  }
  auto starts = wp::parse_date(l.starts_on);
  auto first = from ? wp::parse_period(*from, "/from") : starts;
  if (first < starts) first = starts;
  int64_t room = wp::month_index(wp::parse_date(l.ends_on)) - wp::month_index(first);
  int64_t n = std::max<int64_t>(0, std::min(months, room));
  auto charges = wp::schedule(terms_of(l, repo::steps_of(tx, l.id)), first, n);
  // Months already invoiced show what was charged: the terms may have
  // changed since (a change applies from the first uninvoiced month).
  std::vector<bool> invoiced(charges.size(), false);
  if (!charges.empty() && l.invoiced_through &&
      *l.invoiced_through >= wp::period_of(charges.front().month)) {
    std::map<std::string, size_t> at;
    for (size_t i = 0; i < charges.size(); ++i) {
      auto period = wp::period_of(charges[i].month);
      if (period > *l.invoiced_through) break;
      at[period] = i;
      invoiced[i] = true;
      charges[i] = wp::MonthCharge{.month = charges[i].month};
    }
    for (const auto& a : repo::invoiced_amounts(tx, l.id, at.begin()->first, at.rbegin()->first)) {
      auto& m = charges[at.at(a.period)];
      if (a.kind == "debt_service") m.debt_service = a.amount;
      if (a.kind == "maintenance") m.maintenance = a.amount;
      if (a.kind == "surplus") m.surplus = a.amount;
      if (a.kind == "solidarity") m.solidarity = a.amount;
    }
    for (size_t i = 0; i < charges.size() && invoiced[i]; ++i) {
      auto& m = charges[i];
      m.rent = m.debt_service + m.maintenance + m.surplus;  // each <= kMaxAmount: no overflow
      m.total = m.rent + m.solidarity;
      m.rate_per_m2 = l.floor_area_m2 > 0 ? m.solidarity / l.floor_area_m2 : 0;
    }
  }
  Json items = Json::array();
  for (size_t i = 0; i < charges.size(); ++i) {
    Json m = month_json(charges[i]);
    m["invoiced"] = invoiced[i];
    items.push_back(std::move(m));
  }
  auto t = wp::totals(charges);
  return Json{{"items", std::move(items)},
              {"totals",
               {{"rent", t.rent},
                {"debt_service", t.debt_service},
                {"maintenance", t.maintenance},
                {"surplus", t.surplus},
                {"solidarity", t.solidarity},
                {"total", t.total}}}};
}

Json lease_invoices(store::Tx& tx, const Ctx& ctx, int64_t lease_id, PageReq page) {
  check_page(page);
  auto l = load_lease(tx, lease_id);
  require_reader(tx, ctx, l);
  std::string today = today_of(ctx.now);
  auto rows = repo::invoices_of(tx, lease_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& i : rows) {
    bool unpaid = i.state == "open" || i.state == "accepted";
    items.push_back(Json{{"lease_id", i.lease_id},
                         {"period", i.period},
                         {"kind", i.kind},
                         {"amount", i.amount},
                         {"due_on", i.due_on},
                         {"request_id", i.request_id},
                         {"state", i.state},
                         {"overdue", unpaid && i.due_on < today}});
  }
  Json out = page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                       rows.empty() ? 0 : rows.back().request_id);
  out["arrears"] = arrears_json(repo::arrears_of(tx, lease_id, today));
  return out;
}

int64_t raise_due_invoices(store::Tx& tx, Timestamp now, int64_t limit) {
  AGORA_ASSERT(limit > 0);
  auto today = wp::date_of(now);
  auto this_month = wp::add_months(today, 0);
  std::string period = wp::period_of(today);
  int64_t done = 0;
  for (auto& l : repo::leases_due(tx, period, wp::to_string(today), limit)) {
    auto terms = terms_of(l, repo::steps_of(tx, l.id));
    auto month = next_uninvoiced(l);
    while (month <= this_month && done < limit) {
      auto ends = wp::parse_date(l.ends_on);
      if (month >= ends && l.renewal == "auto") {
        while (ends <= month) ends = wp::add_months(ends, l.renew_months);
        l.ends_on = wp::to_string(ends);
      }
      if (month >= ends) {
        close_lease(l, now);
        break;
      }
      invoice_month(tx, now, l, wp::month_charge(terms, month));
      l.invoiced_through = wp::period_of(month);
      ++done;
      month = wp::add_months(month, 1);
    }
    // A lease invoiced through its last month ends once that month is over.
    if (l.state == "active" && l.renewal == "none" && month >= wp::parse_date(l.ends_on) &&
        month <= this_month) {
      close_lease(l, now);
    }
    l.updated_at = now;
    repo::update_lease(tx, l);
    if (done >= limit) break;
  }
  return done;
}

bool any_invoice_due(store::Tx& tx, Timestamp now) {
  auto today = wp::date_of(now);
  return !repo::leases_due(tx, wp::period_of(today), wp::to_string(today), 1).empty();
}

}  // namespace agora::app::workplaces
