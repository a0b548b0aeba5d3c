// Assets and ownership (workplaces.h, "assets and ownership"): assets owned
// in stakes, the asset lock (a reserved matter needs every owner's and the
// reserving federation's passed decisions, whatever the caller's role, each
// decision used once), and stake buy-outs paid installment by installment
// through the ledger by the scheduler.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/repo/assets_repo.h"
#include "app/repo/leases_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/proposals_repo.h"
#include "app/repo/registry_repo.h"
#include "app/workplaces.h"
#include "core/assert.h"
#include "core/error.h"
#include "governance/constitution.h"
#include "ledger/account.h"
#include "members/org.h"
#include "workplaces/calendar.h"
#include "workplaces/stakes.h"

namespace agora::app::workplaces {
namespace {

namespace wp = agora::workplaces;

constexpr size_t kMaxAddressBytes = 500;
constexpr size_t kMaxTerritoryBytes = 200;
constexpr size_t kMaxDecisionIds = 10;
constexpr const char* kMatters[] = {"sale", "use", "encumbrance", "statutes"};

std::string subject_of(int64_t asset_id) { return "asset:" + std::to_string(asset_id); }

repo::AssetRow load_asset(store::Tx& tx, int64_t asset_id) {
  auto a = repo::find_asset(tx, asset_id);
  if (!a) throw Error(Code::not_found, "no asset " + std::to_string(asset_id));
  return *a;
}

void require_active(const repo::AssetRow& a) {
  if (a.status != "active") {
    throw Error(Code::invalid_state, "asset " + std::to_string(a.id) + " is " + a.status);
  }
}

std::string org_name(store::Tx& tx, int64_t org_id) {
  auto o = repo::find_org(tx, org_id);
  AGORA_ASSERT(o.has_value());  // foreign keys keep every referenced org
  return o->name;
}

Json org_ref(store::Tx& tx, int64_t org_id) {
  return Json{{"org_id", org_id}, {"name", org_name(tx, org_id)}};
}

void check_date(const std::optional<std::string>& d, const char* field) {
  if (d) wp::parse_date(*d, field);
}

// The highest federation above `org_id` whose constitution in force
// reserves `domain` (subsidiarity: the highest reservation decides), or 0.
int64_t reserving_federation(store::Tx& tx, int64_t org_id, const std::string& domain) {
  // Root first: the first that reserves is the highest.
  for (const auto& up : repo::ancestors(tx, org_id, members::kMaxNestingDepth)) {
    auto row = repo::latest_constitution(tx, up.id);
    if (!row) continue;
    // Stored texts were validated when adopted.
    if (governance::parse_constitution(row->toml).reserves(domain)) return up.id;
  }
  return 0;
}

// The federations whose consent matter `domain` needs for these owners.
std::vector<int64_t> federations_for(store::Tx& tx, const std::vector<repo::StakeRow>& stakes,
                                     const std::string& domain) {
  std::vector<int64_t> out;
  for (const auto& s : stakes) {
    int64_t f = reserving_federation(tx, s.org_id, domain);
    if (f != 0 && std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  return out;
}

Json lease_summary(store::Tx& tx, const repo::LeaseRow& l) {
  return Json{{"id", l.id},
              {"lessor", org_ref(tx, l.lessor_org_id)},
              {"lessee", org_ref(tx, l.lessee_org_id)},
              {"starts_on", l.starts_on},
              {"ends_on", l.ends_on},
              {"rent_kind", l.rent_kind},
              {"rent_monthly", l.rent_monthly},
              {"state", l.state}};
}

Json buyout_json(store::Tx& tx, const repo::BuyoutRow& b, Timestamp now) {
  const std::string today = wp::to_string(wp::date_of(now));
  int64_t done = 0, paid = 0, overdue = 0;
  Json schedule = Json::array();
  for (const auto& i : repo::installments_of(tx, b.id)) {
    if (i.done_at) {
      ++done;
      paid += i.amount;
    } else if (i.due_on <= today && b.state == "active") {
      ++overdue;
    }
    schedule.push_back(Json{{"n", i.n},
                            {"due_on", i.due_on},
                            {"share_bps", i.share_bps},
                            {"amount", i.amount},
                            {"transfer_id", opt_json(i.transfer_id)},
                            {"done_at", iso(i.done_at)}});
  }
  return Json{{"id", b.id},
              {"asset_id", b.asset_id},
              {"seller", org_ref(tx, b.seller_org_id)},
              {"buyer", org_ref(tx, b.buyer_org_id)},
              {"share_bps", b.share_bps},
              {"price_total", b.price_total},
              {"currency", b.currency},
              {"installments", b.installments},
              {"period_months", b.period_months},
              {"starts_on", b.starts_on},
              {"state", b.state},
              {"decision_id", opt_json(b.decision_id)},
              {"done", done},
              {"paid", paid},
              {"overdue", overdue},
              {"schedule", std::move(schedule)}};
}

Json asset_json(store::Tx& tx, const repo::AssetRow& a, Timestamp now) {
  auto stakes = repo::stakes_of(tx, a.id);
  Json stakes_json = Json::array();
  for (const auto& s : stakes) {
    stakes_json.push_back(Json{{"org_id", s.org_id}, {"name", s.name}, {"share_bps", s.share_bps}});
  }
  Json leases = Json::array();
  for (const auto& l : repo::leases_of_asset(tx, a.id)) leases.push_back(lease_summary(tx, l));
  Json buyouts = Json::array();
  for (const auto& b : repo::buyouts_of(tx, a.id)) buyouts.push_back(buyout_json(tx, b, now));
  Json reserved = Json::array();
  for (const char* m : kMatters) {
    const std::string domain = std::string("asset.") + m;
    auto feds = federations_for(tx, stakes, domain);
    if (feds.empty()) {
      reserved.push_back(Json{{"matter", m}, {"domain", domain}, {"federation", nullptr}});
    }
    for (int64_t f : feds) {
      reserved.push_back(Json{{"matter", m}, {"domain", domain}, {"federation", org_ref(tx, f)}});
    }
  }
  return Json{{"id", a.id},
              {"kind", a.kind},
              {"name", a.name},
              {"description", a.description},
              {"address", a.address},
              {"territory", a.territory},
              {"floor_area_m2", a.floor_area_m2},
              {"valuation", a.valuation},
              {"currency", a.currency},
              {"valued_on", opt_json(a.valued_on)},
              {"use_text", a.use_text},
              {"statutes", a.statutes},
              {"status", a.status},
              {"stakes", std::move(stakes_json)},
              {"leases", std::move(leases)},
              {"buyouts", std::move(buyouts)},
              {"reserved", std::move(reserved)},
              {"created_at", iso(a.created_at)},
              {"updated_at", iso(a.updated_at)}};
}

Json event_json(const repo::AssetEventRow& e) {
  return Json{{"id", e.id},
              {"kind", e.kind},
              {"detail", e.detail},
              {"from_org_id", opt_json(e.from_org_id)},
              {"to_org_id", opt_json(e.to_org_id)},
              {"share_bps", opt_json(e.share_bps)},
              {"amount", opt_json(e.amount)},
              {"transfer_id", opt_json(e.transfer_id)},
              {"owner_decision_id", opt_json(e.owner_decision_id)},
              {"federation_decision_id", opt_json(e.federation_decision_id)},
              {"created_at", iso(e.created_at)}};
}

void require_owner_coordinator(store::Tx& tx, const Ctx& ctx,
                               const std::vector<repo::StakeRow>& stakes) {
  require_signed_in(ctx.actor);
  for (const auto& s : stakes) {
    if (has_role(tx, ctx.actor, s.org_id, {Role::coordinator})) return;
  }
  throw Error(Code::forbidden, "only a coordinator of an owning organisation may do this");
}

// A decision the asset relies on: it exists, passed, is in `domain` on the
// asset's subject and no asset event or buy-out used it. Refused naming `field`.
repo::AssetDecision usable_decision(store::Tx& tx, int64_t decision_id, const std::string& domain,
                                    const std::string& subject, const std::string& field) {
  auto d = repo::find_decision_facts(tx, decision_id);
  std::string why;
  if (!d) {
    why = "does not exist";
  } else if (d->domain != domain) {
    why = "is in " + d->domain;
  } else if (d->subject != subject) {
    why = "is on \"" + d->subject + "\"";
  } else if (d->status != "passed") {
    why = "is " + d->status;
  } else if (repo::asset_decision_used(tx, decision_id)) {
    why = "was already used";
  }
  if (!why.empty()) {
    throw Error(Code::rule_violation,
                "decision " + std::to_string(decision_id) + " " + why + "; a passed decision in " +
                    domain + " on \"" + subject + "\" is needed",
                field);
  }
  return *d;
}

bool decided_by(const repo::AssetDecision& d, int64_t org_id) {
  return std::find(d.deciders.begin(), d.deciders.end(), org_id) != d.deciders.end();
}

// Whether the buyer's account can pay `amount` without going below zero or
// its own lower bound, and the seller's can take it within its upper bound.
// A buy-out is never paid on credit.
bool can_pay(const repo::LedgerAccountRow& from, const repo::LedgerAccountRow& to, int64_t amount) {
  auto state = [](const repo::LedgerAccountRow& a) {
    return agora::ledger::AccountState{
        .lower_limit = a.lower_limit,
        .upper_limit = a.upper_limit,
        .debits_must_not_exceed_credits = a.debits_must_not_exceed_credits,
        .credits_must_not_exceed_debits = a.credits_must_not_exceed_debits,
        .debits_posted = a.debits_posted,
        .credits_posted = a.credits_posted,
        .debits_pending = a.debits_pending,
        .credits_pending = a.credits_pending};
  };
  if (from.closed || to.closed) return false;
  auto f = state(from);
  auto t = state(to);
  __int128 left = static_cast<__int128>(agora::ledger::available(f)) - amount;
  if (left < 0) return false;
  if (auto lo = agora::ledger::lower_bound(f); lo && left < *lo) return false;
  if (auto hi = agora::ledger::upper_bound(t)) {
    __int128 after =
        static_cast<__int128>(t.credits_posted) + t.credits_pending - t.debits_posted + amount;
    if (after > *hi) return false;
  }
  return true;
}

}  // namespace

// ---- assets

Json create_asset(store::Tx& tx, const Ctx& ctx, const AssetInput& in) {
  require_signed_in(ctx.actor);
  if (in.kind != "workplace" && in.kind != "land" && in.kind != "building" &&
      in.kind != "equipment") {
    throw Error(Code::invalid_value, "kind must be workplace, land, building or equipment",
                "/kind");
  }
  check_len(in.name, 1, kMaxNameBytes, "/name");
  check_len(in.description, 0, kMaxTextBytes, "/description");
  check_len(in.address, 0, kMaxAddressBytes, "/address");
  check_len(in.territory, 0, kMaxTerritoryBytes, "/territory");
  if (in.floor_area_m2 < 0 || in.floor_area_m2 > kMaxArea) {
    throw Error(Code::out_of_range, "floor_area_m2 is 0..10000000", "/floor_area_m2");
  }
  if (in.valuation < 0 || in.valuation > kMaxAmount) {
    throw Error(Code::out_of_range, "valuation is 0..10^18 minor units", "/valuation");
  }
  check_date(in.valued_on, "/valued_on");
  check_len(in.use_text, 0, kMaxTextBytes, "/use_text");
  check_len(in.statutes, 0, kMaxTextBytes, "/statutes");
  std::vector<wp::Stake> stakes;
  stakes.reserve(in.stakes.size());
  for (const auto& s : in.stakes) stakes.push_back({.org_id = s.org_id, .share_bps = s.share_bps});
  wp::check_stakes(stakes, kMaxStakes);
  std::vector<repo::StakeRow> rows;
  std::optional<repo::OrgRow> first;
  for (size_t i = 0; i < stakes.size(); ++i) {
    auto o = repo::find_org(tx, stakes[i].org_id);
    if (!o) {
      throw Error(Code::not_found, "no organisation " + std::to_string(stakes[i].org_id),
                  "/stakes/" + std::to_string(i) + "/org_id");
    }
    if (!first) first = o;
    rows.push_back(
        repo::StakeRow{.org_id = o->id, .name = o->name, .share_bps = stakes[i].share_bps});
  }
  require_owner_coordinator(tx, ctx, rows);
  const std::string currency = in.currency.value_or(first->currency);
  if (!repo::find_currency(tx, currency)) {
    throw Error(Code::not_found, "no currency " + currency.substr(0, 8), "/currency");
  }
  repo::AssetRow a{.kind = in.kind,
                   .name = in.name,
                   .description = in.description,
                   .address = in.address,
                   .territory = in.territory.empty() ? first->territory : in.territory,
                   .floor_area_m2 = in.floor_area_m2,
                   .valuation = in.valuation,
                   .currency = currency,
                   .valued_on = in.valued_on,
                   .use_text = in.use_text,
                   .statutes = in.statutes,
                   .status = "active",
                   .created_by_person = ctx.actor.person_id > 0
                                            ? std::optional<int64_t>(ctx.actor.person_id)
                                            : std::nullopt,
                   .created_at = ctx.now,
                   .updated_at = ctx.now};
  a.id = repo::insert_asset(tx, a);
  repo::replace_stakes(tx, a.id, rows);
  repo::insert_event(tx, repo::AssetEventRow{.asset_id = a.id,
                                             .kind = "created",
                                             .detail = a.name,
                                             .amount = a.valuation,
                                             .person_id = a.created_by_person,
                                             .created_at = ctx.now});
  return asset_json(tx, a, ctx.now);
}

Json get_asset(store::Tx& tx, const Ctx& ctx, int64_t asset_id) {
  return asset_json(tx, load_asset(tx, asset_id), ctx.now);
}

Json list_assets(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  check_page(page);
  if (org_id < 0) throw Error(Code::out_of_range, "org_id must not be negative", "org_id");
  auto rows = repo::list_assets(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& a : rows) items.push_back(asset_json(tx, a, ctx.now));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json asset_events(store::Tx& tx, const Ctx&, int64_t asset_id, PageReq page) {
  check_page(page);
  load_asset(tx, asset_id);
  auto rows = repo::events_of(tx, asset_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& e : rows) items.push_back(event_json(e));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json update_asset(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const AssetPatch& in) {
  require_signed_in(ctx.actor);
  repo::AssetRow a = load_asset(tx, asset_id);
  if (in.name) check_len(*in.name, 1, kMaxNameBytes, "/name");
  if (in.description) check_len(*in.description, 0, kMaxTextBytes, "/description");
  if (in.address) check_len(*in.address, 0, kMaxAddressBytes, "/address");
  if (in.territory) check_len(*in.territory, 0, kMaxTerritoryBytes, "/territory");
  check_date(in.valued_on, "/valued_on");
  if (in.floor_area_m2 && (*in.floor_area_m2 < 0 || *in.floor_area_m2 > kMaxArea)) {
    throw Error(Code::out_of_range, "floor_area_m2 is 0..10000000", "/floor_area_m2");
  }
  if (in.valuation && (*in.valuation < 0 || *in.valuation > kMaxAmount)) {
    throw Error(Code::out_of_range, "valuation is 0..10^18 minor units", "/valuation");
  }
  require_owner_coordinator(tx, ctx, repo::stakes_of(tx, asset_id));
  require_active(a);
  const bool revalued = (in.valuation && *in.valuation != a.valuation) ||
                        (in.valued_on && in.valued_on != a.valued_on);
  if (in.name) a.name = *in.name;
  if (in.description) a.description = *in.description;
  if (in.address) a.address = *in.address;
  if (in.territory) a.territory = *in.territory;
  if (in.valued_on) a.valued_on = *in.valued_on;
  if (in.floor_area_m2) a.floor_area_m2 = *in.floor_area_m2;
  if (in.valuation) a.valuation = *in.valuation;
  a.updated_at = ctx.now;
  repo::update_asset(tx, a);
  if (revalued) {
    repo::insert_event(
        tx, repo::AssetEventRow{.asset_id = a.id,
                                .kind = "valuation",
                                .detail = a.valued_on ? "valued on " + *a.valued_on : "",
                                .amount = a.valuation,
                                .person_id = ctx.actor.person_id > 0
                                                 ? std::optional<int64_t>(ctx.actor.person_id)
                                                 : std::nullopt,
                                .created_at = ctx.now});
  }
  return asset_json(tx, a, ctx.now);
}

// ---- the asset lock

Json carry_out_reserved(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const ReservedInput& in) {
  require_signed_in(ctx.actor);
  repo::AssetRow a = load_asset(tx, asset_id);
  const auto* m = std::find(std::begin(kMatters), std::end(kMatters), in.matter);
  if (m == std::end(kMatters)) {
    throw Error(Code::invalid_value, "matter must be sale, use, encumbrance or statutes",
                "/matter");
  }
  check_len(in.detail, 1, kMaxTextBytes, "/detail");
  if (in.amount && (*in.amount < 0 || *in.amount > kMaxAmount)) {
    throw Error(Code::out_of_range, "amount is 0..10^18 minor units", "/amount");
  }
  if (in.matter == "encumbrance" && !in.amount) {
    throw Error(Code::missing_field, "an encumbrance names its amount", "/amount");
  }
  if ((in.matter == "use" || in.matter == "statutes") && in.amount) {
    throw Error(Code::invalid_value, "a change of " + in.matter + " has no amount", "/amount");
  }
  if (in.decision_ids.empty() || in.decision_ids.size() > kMaxDecisionIds) {
    throw Error(Code::rule_violation,
                "a reserved matter needs the owners' and the federation's decisions "
                "(1..10 decision_ids)",
                "/decision_ids");
  }
  for (size_t i = 0; i < in.decision_ids.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (in.decision_ids[i] == in.decision_ids[j]) {
        throw Error(Code::invalid_value, "a decision is named once",
                    "/decision_ids/" + std::to_string(i));
      }
    }
  }
  require_active(a);

  const std::string domain = "asset." + in.matter;
  const std::string subject = subject_of(asset_id);
  auto stakes = repo::stakes_of(tx, asset_id);
  AGORA_ASSERT(!stakes.empty());  // an active asset has owners
  auto federations = federations_for(tx, stakes, domain);
  std::vector<repo::AssetDecision> decisions;
  for (size_t i = 0; i < in.decision_ids.size(); ++i) {
    const std::string field = "/decision_ids/" + std::to_string(i);
    auto d = usable_decision(tx, in.decision_ids[i], domain, subject, field);
    bool counts = std::any_of(stakes.begin(), stakes.end(),
                              [&](const repo::StakeRow& s) { return decided_by(d, s.org_id); }) ||
                  std::any_of(federations.begin(), federations.end(),
                              [&](int64_t f) { return decided_by(d, f); });
    if (!counts) {
      throw Error(Code::rule_violation,
                  "decision " + std::to_string(d.id) +
                      " was taken by neither an owner nor the federation that must consent",
                  field);
    }
    decisions.push_back(std::move(d));
  }
  // Every owner's consent, and every reserving federation's.
  std::optional<int64_t> owner_decision, federation_decision;
  std::vector<std::string> missing;
  for (const auto& s : stakes) {
    auto it = std::find_if(decisions.begin(), decisions.end(),
                           [&](const repo::AssetDecision& d) { return decided_by(d, s.org_id); });
    if (it == decisions.end()) {
      missing.push_back("the owner " + s.name + "'s");
    } else if (!owner_decision) {
      owner_decision = it->id;
    }
  }
  for (int64_t f : federations) {
    auto it = std::find_if(decisions.begin(), decisions.end(),
                           [&](const repo::AssetDecision& d) { return decided_by(d, f); });
    if (it == decisions.end()) {
      missing.push_back("the federation " + org_name(tx, f) + "'s");
    } else if (!federation_decision) {
      federation_decision = it->id;
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
    throw Error(Code::rule_violation,
                "the " + in.matter + " of asset " + std::to_string(asset_id) +
                    " is a reserved matter; missing a passed decision in " + domain + " on \"" +
                    subject + "\": " + list,
                "/decision_ids");
  }

  // Carry it out.
  if (in.matter == "use") a.use_text = in.detail;
  if (in.matter == "statutes") a.statutes = in.detail;
  if (in.matter == "sale") {
    a.status = "sold";
    repo::replace_stakes(tx, asset_id, {});
    for (const auto& b : repo::buyouts_of(tx, asset_id)) {
      if (b.state != "active") continue;
      repo::drop_undone_installments(tx, b.id);
      bool changed = repo::set_buyout_state(tx, b.id, "cancelled");
      AGORA_ASSERT(changed);
    }
  }
  a.updated_at = ctx.now;
  repo::update_asset(tx, a);
  int64_t event_id = repo::insert_event(
      tx, repo::AssetEventRow{.asset_id = asset_id,
                              .kind = in.matter,
                              .detail = in.detail,
                              .amount = in.amount,
                              .owner_decision_id = owner_decision,
                              .federation_decision_id = federation_decision,
                              .person_id = ctx.actor.person_id > 0
                                               ? std::optional<int64_t>(ctx.actor.person_id)
                                               : std::nullopt,
                              .created_at = ctx.now});
  for (const auto& d : decisions) {
    repo::insert_asset_decision(tx, d.id, asset_id, event_id, std::nullopt, ctx.now);
  }
  return asset_json(tx, a, ctx.now);
}

// ---- buy-outs

Json create_buyout(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const BuyoutInput& in) {
  require_signed_in(ctx.actor);
  repo::AssetRow a = load_asset(tx, asset_id);
  if (in.seller_org_id <= 0) {
    throw Error(Code::out_of_range, "seller_org_id must be positive", "/seller_org_id");
  }
  if (in.buyer_org_id <= 0) {
    throw Error(Code::out_of_range, "buyer_org_id must be positive", "/buyer_org_id");
  }
  if (in.buyer_org_id == in.seller_org_id) {
    throw Error(Code::invalid_value, "the buyer is another organisation than the seller",
                "/buyer_org_id");
  }
  if (in.price_total > kMaxAmount) {
    throw Error(Code::out_of_range, "price_total is 0..10^18 minor units", "/price_total");
  }
  auto schedule =
      wp::buyout_schedule(wp::BuyoutTerms{.share_bps = in.share_bps,
                                          .price_total = in.price_total,
                                          .installments = in.installments,
                                          .period_months = in.period_months,
                                          .starts_on = wp::parse_date(in.starts_on, "/starts_on")});
  if (!repo::find_org(tx, in.buyer_org_id)) {
    throw Error(Code::not_found, "no organisation " + std::to_string(in.buyer_org_id),
                "/buyer_org_id");
  }
  require_role(tx, ctx.actor, in.buyer_org_id, {Role::coordinator, Role::treasurer});
  require_active(a);
  auto stakes = repo::stakes_of(tx, asset_id);
  auto seller = std::find_if(stakes.begin(), stakes.end(),
                             [&](const repo::StakeRow& s) { return s.org_id == in.seller_org_id; });
  if (seller == stakes.end()) {
    throw Error(Code::rule_violation,
                "organisation " + std::to_string(in.seller_org_id) + " holds no stake in asset " +
                    std::to_string(asset_id),
                "/seller_org_id");
  }
  const std::string subject = subject_of(asset_id);
  auto d = usable_decision(tx, in.decision_id, "asset.stake", subject, "/decision_id");
  if (!decided_by(d, in.seller_org_id)) {
    throw Error(Code::rule_violation, "decision " + std::to_string(d.id) + " is not the seller's",
                "/decision_id");
  }
  const int64_t free_bps =
      seller->share_bps - repo::pending_sale_bps(tx, asset_id, in.seller_org_id);
  if (in.share_bps > free_bps) {
    throw Error(Code::rule_violation,
                "the seller holds " + std::to_string(free_bps) +
                    " basis points not already promised to a buy-out, less than " +
                    std::to_string(in.share_bps),
                "/share_bps");
  }
  repo::BuyoutRow b{.asset_id = asset_id,
                    .seller_org_id = in.seller_org_id,
                    .buyer_org_id = in.buyer_org_id,
                    .share_bps = in.share_bps,
                    .price_total = in.price_total,
                    .currency = a.currency,
                    .installments = in.installments,
                    .period_months = in.period_months,
                    .starts_on = in.starts_on,
                    .state = "active",
                    .decision_id = d.id,
                    .created_at = ctx.now};
  b.id = repo::insert_buyout(tx, b);
  for (const auto& i : schedule) {
    repo::insert_installment(tx, repo::InstallmentRow{.buyout_id = b.id,
                                                      .n = i.n,
                                                      .due_on = wp::to_string(i.due_on),
                                                      .share_bps = i.share_bps,
                                                      .amount = i.amount});
  }
  repo::insert_asset_decision(tx, d.id, asset_id, std::nullopt, b.id, ctx.now);
  return buyout_json(tx, b, ctx.now);
}

Json cancel_buyout(store::Tx& tx, const Ctx& ctx, int64_t buyout_id) {
  require_signed_in(ctx.actor);
  auto b = repo::find_buyout(tx, buyout_id);
  if (!b) throw Error(Code::not_found, "no buy-out " + std::to_string(buyout_id));
  if (!has_role(tx, ctx.actor, b->seller_org_id, {Role::coordinator}) &&
      !has_role(tx, ctx.actor, b->buyer_org_id, {Role::coordinator})) {
    throw Error(Code::forbidden, "only a coordinator of the seller or the buyer may cancel");
  }
  if (b->state != "active") {
    throw Error(Code::invalid_state, "the buy-out is " + b->state);
  }
  repo::drop_undone_installments(tx, buyout_id);
  bool changed = repo::set_buyout_state(tx, buyout_id, "cancelled");
  AGORA_ASSERT(changed);
  b->state = "cancelled";
  return buyout_json(tx, *b, ctx.now);
}

int64_t run_due_installments(store::Tx& tx, Timestamp now, int64_t limit) {
  AGORA_ASSERT(limit > 0);
  const std::string today = wp::to_string(wp::date_of(now));
  int64_t done = 0;
  // A buy-out's installments run in order: one left due holds back its later ones.
  std::set<int64_t> held_back;
  for (const auto& i : repo::due_installments(tx, today, limit)) {
    if (held_back.count(i.buyout_id)) continue;
    held_back.insert(i.buyout_id);  // until this one is done
    auto b = repo::find_buyout(tx, i.buyout_id);
    AGORA_ASSERT(b && b->state == "active");
    auto stakes = repo::stakes_of(tx, b->asset_id);
    std::vector<wp::Stake> held;
    for (const auto& s : stakes) held.push_back({.org_id = s.org_id, .share_bps = s.share_bps});
    auto seller = std::find_if(held.begin(), held.end(),
                               [&](const wp::Stake& s) { return s.org_id == b->seller_org_id; });
    // The seller no longer holds the share (it was sold meanwhile): it stays due.
    if (seller == held.end() || seller->share_bps < i.share_bps) continue;
    std::optional<int64_t> transfer_id;
    if (i.amount > 0) {
      int64_t from = ledger::ensure_account(tx, now, b->buyer_org_id, "org", std::nullopt,
                                            b->currency, "operating");
      int64_t to = ledger::ensure_account(tx, now, b->seller_org_id, "org", std::nullopt,
                                          b->currency, "operating");
      auto accounts = repo::find_account_pair(tx, from, to);
      AGORA_ASSERT(accounts.size() == 2);
      const auto& f = accounts[0].id == from ? accounts[0] : accounts[1];
      const auto& t = accounts[0].id == from ? accounts[1] : accounts[0];
      // The buyer cannot pay it yet: it stays due (overdue) and the others go on.
      if (!can_pay(f, t, i.amount)) continue;
      ledger::TransferInput tr{
          .key = "sys:asset_buyout:" + std::to_string(b->id) + ":" + std::to_string(i.n),
          .debit_account_id = from,
          .credit_account_id = to,
          .amount = i.amount,
          .code = "asset_buyout",
          .memo = "Buy-out " + std::to_string(b->id) + " of asset " + std::to_string(b->asset_id) +
                  ": installment " + std::to_string(i.n) + " of " +
                  std::to_string(b->installments)};
      auto out =
          ledger::apply_transfers(tx, now, 0, std::span<const ledger::TransferInput>(&tr, 1));
      AGORA_ASSERT(out.size() == 1);
      transfer_id = out[0]["id"].get<int64_t>();
    }
    auto moved = wp::move_stake(held, b->seller_org_id, b->buyer_org_id, i.share_bps);
    std::vector<repo::StakeRow> rows;
    for (const auto& s : moved) rows.push_back({.org_id = s.org_id, .share_bps = s.share_bps});
    repo::replace_stakes(tx, b->asset_id, rows);
    repo::insert_event(tx, repo::AssetEventRow{.asset_id = b->asset_id,
                                               .kind = "stake",
                                               .detail = "buy-out " + std::to_string(b->id) +
                                                         ", installment " + std::to_string(i.n) +
                                                         " of " + std::to_string(b->installments),
                                               .from_org_id = b->seller_org_id,
                                               .to_org_id = b->buyer_org_id,
                                               .share_bps = i.share_bps,
                                               .amount = i.amount,
                                               .transfer_id = transfer_id,
                                               .created_at = now});
    bool marked = repo::mark_installment_done(tx, b->id, i.n, transfer_id, now);
    AGORA_ASSERT(marked);
    held_back.erase(b->id);
    if (i.n == b->installments) {
      bool completed = repo::set_buyout_state(tx, b->id, "completed");
      AGORA_ASSERT(completed);
    }
    ++done;
  }
  return done;
}

bool any_installment_due(store::Tx& tx, Timestamp now) {
  return repo::any_installment_due(tx, wp::to_string(wp::date_of(now)));
}

}  // namespace agora::app::workplaces
