// Order cycles (app/market.h): creating and editing a cycle, its offers and
// distribution points, the state changes and the scheduler's jobs, and
// closing a cycle into purchase orders in whole cases. Also the helpers
// shared with the order and settlement use cases (app/market_internal.h).

#include <algorithm>
#include <map>
#include <set>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/market_internal.h"
#include "app/repo/cycles_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "market/allocation.h"
#include "market/price.h"
#include "market/units.h"

namespace agora::app {
namespace market_detail {

repo::CycleRow load_cycle(store::Tx& tx, int64_t cycle_id, const char* field) {
  auto c = repo::find_cycle(tx, cycle_id);
  if (!c)
    throw Error(Code::not_found, "order cycle " + std::to_string(cycle_id) + " not found", field);
  return *c;
}

repo::OrderRow load_order(store::Tx& tx, int64_t order_id, const char* field) {
  auto o = repo::find_order(tx, order_id);
  if (!o) throw Error(Code::not_found, "order " + std::to_string(order_id) + " not found", field);
  return *o;
}

bool is_cycle_coordinator(store::Tx& tx, const Actor& actor, const repo::CycleRow& c) {
  return has_role(tx, actor, c.coordinator_org_id, {Role::coordinator});
}

bool is_cycle_coordinator_or_auditor(store::Tx& tx, const Actor& actor, const repo::CycleRow& c) {
  return has_role(tx, actor, c.coordinator_org_id, {Role::coordinator, Role::auditor});
}

void require_cycle_coordinator(store::Tx& tx, const Actor& actor, const repo::CycleRow& c) {
  require_role(tx, actor, c.coordinator_org_id, {Role::coordinator});
}

void require_cycle_coordinator_or_auditor(store::Tx& tx, const Actor& actor,
                                          const repo::CycleRow& c) {
  require_role(tx, actor, c.coordinator_org_id, {Role::coordinator, Role::auditor});
}

void require_state(const repo::CycleRow& c, std::initializer_list<const char*> states,
                   const char* what) {
  for (const char* s : states) {
    if (c.state == s) return;
  }
  throw Error(Code::invalid_state,
              "the order cycle is " + c.state + "; this needs it " + std::string(what));
}

int64_t clearing_account(store::Tx& tx, Timestamp now, const repo::CycleRow& c) {
  return ledger::ensure_account(tx, now, c.coordinator_org_id, "org", std::nullopt, c.currency,
                                "clearing");
}

Json cycle_ref_json(const repo::CycleRow& c) {
  return Json{{"id", c.id}, {"name", c.name}, {"state", c.state}, {"closes_at", iso(c.closes_at)}};
}

Json point_json(const repo::PointRow& p) {
  return Json{{"id", p.id},     {"cycle_id", p.cycle_id}, {"name", p.name},
              {"kind", p.kind}, {"address", p.address},   {"fee", p.fee}};
}

repo::CycleRow hub_of(store::Tx& tx, const repo::CycleRow& c) {
  if (!c.hub_cycle_id) return c;
  auto hub = repo::find_cycle(tx, *c.hub_cycle_id);
  AGORA_ASSERT(hub.has_value() && !hub->hub_cycle_id);
  return *hub;
}

Json tiers_json(std::span<const repo::TierRow> tiers, const ::agora::market::FeeRates& fees) {
  Json out = Json::array();
  for (const auto& t : tiers) {
    auto b = ::agora::market::apply_rates(t.producer_price, fees);
    out.push_back(Json{{"min_units", t.min_units},
                       {"producer_price", t.producer_price},
                       {"price", b.total()},
                       {"breakdown", b.to_json()}});
  }
  return out;
}

Json offer_json(const repo::OfferView& v) { return offer_json(v, Json::array()); }

Json offer_json(const repo::OfferView& v, Json tiers) {
  const auto& o = v.offer;
  return Json{{"id", o.id},
              {"cycle_id", o.cycle_id},
              {"variant_id", o.variant_id},
              {"product_id", o.product_id},
              {"producer", Json{{"org_id", o.producer_org_id}, {"name", v.producer_name}}},
              {"product_name", v.product_name},
              {"variant_name", v.variant_name},
              {"unit_code", v.unit_code},
              {"unit_label", std::string(::agora::market::unit_label(v.unit_code))},
              {"net_milli", v.net_milli},
              {"case_size", o.case_size},
              {"max_units", opt_json(o.max_units)},
              {"price", o.price},
              {"breakdown", o.breakdown.to_json()},
              {"category", v.category},
              {"sealed", v.sealed},
              {"list_price", opt_json(o.list_price)},
              {"tier_min_units", opt_json(o.tier_min_units)},
              {"tiers", std::move(tiers)}};
}

namespace {
Json cycle_link_json(store::Tx& tx, const repo::CycleRow& c) {
  return Json{{"id", c.id},
              {"name", c.name},
              {"state", c.state},
              {"closes_at", iso(c.closes_at)},
              {"coordinator", Json{{"org_id", c.coordinator_org_id},
                                   {"name", repo::org_name(tx, c.coordinator_org_id)}}}};
}
}  // namespace

Json cycle_json(store::Tx& tx, const repo::CycleRow& c) {
  Json coops = Json::array();
  for (const auto& k : repo::cycle_coops(tx, c.id)) {
    coops.push_back(Json{{"org_id", k.org_id}, {"name", k.name}});
  }
  Json points = Json::array();
  for (const auto& p : repo::cycle_points(tx, c.id)) points.push_back(point_json(p));
  auto n = repo::cycle_counts(tx, c.id);
  Json hub = nullptr;
  Json linked = Json::array();
  if (c.hub_cycle_id) {
    // A local cycle's shop is its hub's offers.
    const repo::CycleRow h = hub_of(tx, c);
    auto hn = repo::cycle_counts(tx, h.id);
    n.offers = hn.offers;
    n.producers = hn.producers;
    hub = cycle_link_json(tx, h);
  } else {
    for (const auto& l : repo::local_cycles(tx, c.id)) {
      Json j = cycle_link_json(tx, l);
      j["orders"] = repo::cycle_counts(tx, l.id).orders;
      linked.push_back(std::move(j));
    }
  }
  const auto& f = c.fees;
  return Json{
      {"id", c.id},
      {"coordinator",
       Json{{"org_id", c.coordinator_org_id}, {"name", repo::org_name(tx, c.coordinator_org_id)}}},
      {"name", c.name},
      {"currency", c.currency},
      {"opens_at", iso(c.opens_at)},
      {"closes_at", iso(c.closes_at)},
      {"state", c.state},
      {"share_rule", c.share_rule},
      {"fees", Json{{"transport_bps", f.transport_bps},
                    {"transport_per_unit", f.transport_per_unit},
                    {"packing_bps", f.packing_bps},
                    {"packing_per_unit", f.packing_per_unit},
                    {"margin_bps", f.margin_bps},
                    {"fund_bps", f.fund_bps},
                    {"tax_bps", f.tax_bps},
                    {"transport_org_id", opt_json(c.transport_org_id)},
                    {"packing_org_id", opt_json(c.packing_org_id)}}},
      {"coops", std::move(coops)},
      {"points", std::move(points)},
      {"counts", Json{{"offers", n.offers}, {"producers", n.producers}, {"orders", n.orders}}},
      {"opened_at", iso(c.opened_at)},
      {"closed_at", iso(c.closed_at)},
      {"settled_at", iso(c.settled_at)},
      {"batch_id", opt_json(c.batch_id)},
      {"created_at", iso(c.created_at)},
      {"hub", std::move(hub)},
      {"linked", std::move(linked)}};
}

}  // namespace market_detail

namespace market {
namespace {

using namespace market_detail;
namespace dom = ::agora::market;

constexpr int64_t kMaxCycleSpanUs = int64_t{366} * 24 * 3600 * 1'000'000;
constexpr size_t kMaxCoops = 100;
constexpr int64_t kMaxUnitsCap = 1'000'000'000;
constexpr size_t kMaxAddressBytes = 500;

// The org a co-op or hub sits under at the top (itself when it has no parent).
int64_t root_of(store::Tx& tx, int64_t org_id) {
  auto up = repo::ancestors(tx, org_id, 64);
  return up.empty() ? org_id : up.front().id;
}

repo::OrgRow require_org(store::Tx& tx, int64_t org_id, const char* field) {
  auto o = repo::find_org(tx, org_id);
  if (!o)
    throw Error(Code::invalid_value, "organisation " + std::to_string(org_id) + " not found",
                field);
  return *o;
}

// The co-ops of a cycle: the coordinator or orgs under the same top
// federation (a hub serving its neighbours), no duplicates.
std::vector<int64_t> check_coops(store::Tx& tx, int64_t coordinator_org_id,
                                 const std::vector<int64_t>& ids) {
  if (ids.empty()) return {coordinator_org_id};
  if (ids.size() > kMaxCoops) {
    throw Error(Code::out_of_range, "a cycle serves at most 100 co-ops", "/coop_ids");
  }
  std::set<int64_t> seen;
  int64_t root = root_of(tx, coordinator_org_id);
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string field = "/coop_ids/" + std::to_string(i);
    auto org = require_org(tx, ids[i], field.c_str());
    if (!seen.insert(ids[i]).second) {
      throw Error(Code::invalid_value, "co-op " + std::to_string(ids[i]) + " is listed twice",
                  field);
    }
    if (org.kind == "federation") {
      throw Error(Code::invalid_value, "a federation has no members who order; list its co-ops",
                  field);
    }
    if (ids[i] != coordinator_org_id && root_of(tx, ids[i]) != root) {
      throw Error(Code::rule_violation,
                  "co-op " + std::to_string(ids[i]) + " is not in the coordinator's federation",
                  field);
    }
  }
  std::vector<int64_t> out(seen.begin(), seen.end());
  return out;
}

void check_window(Timestamp opens_at, Timestamp closes_at) {
  if (closes_at <= opens_at) {
    throw Error(Code::invalid_value, "closes_at must be after opens_at", "/closes_at");
  }
  if (closes_at.us - opens_at.us > kMaxCycleSpanUs) {
    throw Error(Code::out_of_range, "a cycle stays open at most a year", "/closes_at");
  }
}

void check_name(const std::string& name) { check_len(name, 1, kMaxNameBytes, "/name"); }

Json offers_json(store::Tx& tx, Timestamp now, const repo::CycleRow& c,
                 const std::vector<int64_t>& ids) {
  Json items = Json::array();
  for (int64_t id : ids) {
    auto v = repo::find_offer_view(tx, id, now);
    AGORA_ASSERT(v.has_value());
    items.push_back(offer_json(*v, tiers_json(repo::offer_tiers(tx, id), c.fees)));
  }
  return Json{{"items", std::move(items)}};
}

// Recomputes every offer's breakdown from its producer part and the rates.
void reprice_offers(store::Tx& tx, const repo::CycleRow& c) {
  for (auto o : repo::cycle_offers(tx, c.id)) {
    o.breakdown = dom::apply_rates(o.breakdown.producer, c.fees);
    o.price = o.breakdown.total();
    repo::update_offer_price(tx, o);
  }
}

void open_now(store::Tx& tx, Timestamp now, repo::CycleRow& c) {
  c.state = "open";
  c.opened_at = now;
  repo::update_cycle(tx, c);
}

// Voids every placed order's hold as one linked batch and cancels every
// order still cart or placed.
void cancel_orders(store::Tx& tx, Timestamp now, const repo::CycleRow& c) {
  std::vector<ledger::BulkPost> voids;
  auto placed = repo::orders_in_state(tx, c.id, "placed");
  for (const auto& o : placed) {
    if (!o.hold_transfer_id) continue;
    auto hold = repo::find_transfer(tx, *o.hold_transfer_id);
    AGORA_ASSERT(hold.has_value());
    // A hold that already expired released its money by itself.
    if (hold->state != std::optional<std::string>("pending")) continue;
    voids.push_back(ledger::BulkPost{
        .key = "sys:market:void:" + std::to_string(o.id) + ":" + std::to_string(hold->id),
        .pending_id = hold->id,
        .amount = 0,
        .memo = "order cycle " + std::to_string(c.id) + " cancelled"});
  }
  if (!voids.empty()) ledger::apply_bulk(tx, now, 0, voids, {});
  for (auto o : placed) {
    o.state = "cancelled";
    o.updated_at = now;
    repo::update_order(tx, o);
  }
  repo::cancel_carts(tx, c.id, now);
  // No order of a cycle before settlement is settled, so none is left to
  // count in its running demand.
  AGORA_ASSERT(c.state != "settled");
  repo::clear_demand(tx, c.id);
}

bool zero_rates(const dom::FeeRates& f) {
  return f.transport_bps == 0 && f.transport_per_unit == 0 && f.packing_bps == 0 &&
         f.packing_per_unit == 0 && f.margin_bps == 0 && f.fund_bps == 0 && f.tax_bps == 0;
}

// The hub a new local cycle feeds: an open-for-setup hub cycle (not itself
// local) in the same currency that serves the coordinator, closing no
// earlier than the local cycle.
repo::CycleRow check_hub(store::Tx& tx, int64_t hub_id, int64_t coordinator_org_id,
                         const std::string& currency, Timestamp closes_at) {
  auto hub = repo::find_cycle(tx, hub_id);
  if (!hub) {
    throw Error(Code::invalid_value, "order cycle " + std::to_string(hub_id) + " not found",
                "/hub_cycle_id");
  }
  if (hub->hub_cycle_id) {
    throw Error(Code::rule_violation,
                "order cycle " + std::to_string(hub_id) + " is itself a local cycle of hub cycle " +
                    std::to_string(*hub->hub_cycle_id),
                "/hub_cycle_id");
  }
  if (hub->state != "draft" && hub->state != "scheduled" && hub->state != "open") {
    throw Error(Code::invalid_state,
                "the hub cycle is " + hub->state + "; it must be draft, scheduled or open",
                "/hub_cycle_id");
  }
  if (hub->currency != currency) {
    throw Error(Code::rule_violation,
                "the hub cycle trades in " + hub->currency + ", this cycle in " + currency,
                "/currency");
  }
  if (!repo::cycle_serves(tx, hub->id, coordinator_org_id)) {
    throw Error(Code::rule_violation,
                "hub cycle " + std::to_string(hub->id) + " does not serve organisation " +
                    std::to_string(coordinator_org_id) + "; add it to the hub's coop_ids",
                "/hub_cycle_id");
  }
  if (closes_at > hub->closes_at) {
    throw Error(Code::rule_violation,
                "a local cycle closes no later than its hub, which closes at " +
                    format_iso8601(hub->closes_at),
                "/closes_at");
  }
  return *hub;
}

// A local cycle: the command belongs to its hub.
void refuse_local(const repo::CycleRow& c, const std::string& what) {
  if (!c.hub_cycle_id) return;
  throw Error(Code::invalid_state, "order cycle " + std::to_string(c.id) +
                                       " is a local cycle of hub cycle " +
                                       std::to_string(*c.hub_cycle_id) + "; " + what);
}

// Tier inputs of one offer: 0..kMaxTiers, min_units ascending 2..10^9,
// producer_price strictly falling and below the offer's producer price.
std::vector<repo::TierRow> check_tiers(const std::vector<TierInput>& in, int64_t producer_price,
                                       const std::string& at) {
  if (in.size() > kMaxTiers) {
    throw Error(Code::out_of_range, "an offer has at most " + std::to_string(kMaxTiers) + " tiers",
                at + "/tiers");
  }
  std::vector<repo::TierRow> out;
  for (size_t k = 0; k < in.size(); ++k) {
    const std::string t = at + "/tiers/" + std::to_string(k);
    if (in[k].min_units < 2 || in[k].min_units > kMaxUnitsCap) {
      throw Error(Code::out_of_range, "a tier's min_units are 2..1000000000", t + "/min_units");
    }
    if (k > 0 && in[k].min_units <= in[k - 1].min_units) {
      throw Error(Code::invalid_value, "tiers come by ascending min_units", t + "/min_units");
    }
    if (in[k].producer_price < 1 || in[k].producer_price > kMaxPrice) {
      throw Error(Code::out_of_range,
                  "a tier's producer price must be 1.." + std::to_string(kMaxPrice),
                  t + "/producer_price");
    }
    const int64_t above = k > 0 ? in[k - 1].producer_price : producer_price;
    if (in[k].producer_price >= above) {
      throw Error(
          Code::invalid_value,
          k > 0 ? "each tier's producer price is below the previous tier's (" +
                      std::to_string(above) + ")"
                : "a tier's producer price is below the offer's (" + std::to_string(above) + ")",
          t + "/producer_price");
    }
    out.push_back(
        repo::TierRow{.min_units = in[k].min_units, .producer_price = in[k].producer_price});
  }
  return out;
}

// A local cycle closing on its own, or with its hub: carts dropped, no
// purchase orders (the hub orders for it).
void close_local(store::Tx& tx, Timestamp now, repo::CycleRow& c) {
  AGORA_ASSERT(c.hub_cycle_id.has_value() && c.state == "open");
  repo::cancel_carts(tx, c.id, now);
  c.state = "closed";
  c.closed_at = now;
  repo::update_cycle(tx, c);
}

// The highest of an offer's tiers (ascending) whose min_units <= units.
const repo::TierRow* reached_tier(std::span<const repo::TierRow> tiers, int64_t units) {
  const repo::TierRow* best = nullptr;
  for (const auto& t : tiers) {
    if (t.min_units <= units) best = &t;
  }
  return best;
}

}  // namespace

Json create_cycle(store::Tx& tx, const Ctx& ctx, const CycleInput& in) {
  require_signed_in(ctx.actor);
  auto org = require_org(tx, in.coordinator_org_id, "/coordinator_org_id");
  require_role(tx, ctx.actor, org.id, {Role::coordinator});
  check_name(in.name);
  std::string currency = in.currency.value_or(org.currency);
  if (!repo::find_currency(tx, currency)) {
    throw Error(Code::invalid_value, "currency " + currency + " is not a ledger currency",
                "/currency");
  }
  check_window(in.opens_at, in.closes_at);
  dom::parse_rule(in.share_rule);
  dom::check_rates(in.fees);
  if (in.transport_org_id) require_org(tx, *in.transport_org_id, "/transport_org_id");
  if (in.packing_org_id) require_org(tx, *in.packing_org_id, "/packing_org_id");
  auto coops = check_coops(tx, org.id, in.coop_ids);
  if (in.hub_cycle_id) {
    check_hub(tx, *in.hub_cycle_id, org.id, currency, in.closes_at);
    if (!zero_rates(in.fees) || in.transport_org_id || in.packing_org_id) {
      throw Error(Code::rule_violation,
                  "a local cycle sells at its hub's prices: it has no fees of its own", "/fees");
    }
  }

  repo::CycleRow c{.coordinator_org_id = org.id,
                   .name = in.name,
                   .currency = currency,
                   .opens_at = in.opens_at,
                   .closes_at = in.closes_at,
                   .state = "draft",
                   .share_rule = in.share_rule,
                   .fees = in.fees,
                   .transport_org_id = in.transport_org_id,
                   .packing_org_id = in.packing_org_id,
                   .created_by_person = ctx.actor.person_id
                                            ? std::optional<int64_t>(ctx.actor.person_id)
                                            : std::nullopt,
                   .created_at = ctx.now,
                   .hub_cycle_id = in.hub_cycle_id};
  c.id = repo::insert_cycle(tx, c);
  repo::set_cycle_coops(tx, c.id, coops);
  return cycle_json(tx, c);
}

Json update_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const CyclePatch& in) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled"}, "draft or scheduled");
  if (in.name) {
    check_name(*in.name);
    c.name = *in.name;
  }
  if (in.share_rule) {
    dom::parse_rule(*in.share_rule);
    c.share_rule = *in.share_rule;
  }
  if (in.opens_at) c.opens_at = *in.opens_at;
  if (in.closes_at) c.closes_at = *in.closes_at;
  check_window(c.opens_at, c.closes_at);
  if (c.hub_cycle_id) {
    const repo::CycleRow hub = hub_of(tx, c);
    if (c.closes_at > hub.closes_at) {
      throw Error(Code::rule_violation,
                  "a local cycle closes no later than its hub, which closes at " +
                      format_iso8601(hub.closes_at),
                  "/closes_at");
    }
    if (in.fees && !zero_rates(*in.fees)) {
      throw Error(Code::rule_violation,
                  "a local cycle sells at its hub's prices: it has no fees of its own", "/fees");
    }
  } else if (in.closes_at) {
    for (const auto& l : repo::local_cycles(tx, c.id)) {
      if (l.state != "cancelled" && l.closes_at > c.closes_at) {
        throw Error(Code::rule_violation,
                    "local cycle " + std::to_string(l.id) + " closes at " +
                        format_iso8601(l.closes_at) + ", after this time",
                    "/closes_at");
      }
    }
  }
  if (in.coop_ids)
    repo::set_cycle_coops(tx, c.id, check_coops(tx, c.coordinator_org_id, *in.coop_ids));
  if (in.fees) {
    dom::check_rates(*in.fees);
    c.fees = *in.fees;
    reprice_offers(tx, c);
  }
  repo::update_cycle(tx, c);
  return cycle_json(tx, c);
}

Json get_cycle(store::Tx& tx, const Ctx&, int64_t cycle_id) {
  return cycle_json(tx, load_cycle(tx, cycle_id));
}

Json group_demand(store::Tx& tx, const Ctx&, int64_t cycle_id) {
  const repo::CycleRow hub = hub_of(tx, load_cycle(tx, cycle_id));
  std::map<int64_t, repo::OfferDemand> demand;
  auto add = [&](const std::vector<repo::OfferDemand>& rows) {
    for (const auto& d : rows) {
      auto [it, fresh] = demand.emplace(d.offer_id, d);
      if (!fresh) {
        it->second.quantity = checked_add(it->second.quantity, d.quantity);
        it->second.tolerance = checked_add(it->second.tolerance, d.tolerance);
      }
    }
  };
  add(repo::cycle_demand(tx, hub.id));
  for (const auto& l : repo::local_cycles(tx, hub.id)) {
    if (l.state != "cancelled") add(repo::cycle_demand(tx, l.id));
  }
  std::map<int64_t, std::vector<repo::TierRow>> tiers;
  for (const auto& t : repo::cycle_tiers(tx, hub.id)) tiers[t.offer_id].push_back(t);
  Json offers = Json::array();
  for (const auto& o : repo::cycle_offers(tx, hub.id)) {
    auto d = demand.find(o.id);
    auto t = tiers.find(o.id);
    if (d == demand.end() && t == tiers.end()) continue;
    int64_t quantity = d == demand.end() ? 0 : d->second.quantity;
    int64_t tolerance = d == demand.end() ? 0 : d->second.tolerance;
    int64_t cases = dom::cases_to_order(quantity, tolerance, o.case_size, o.max_units.value_or(-1));
    int64_t units = checked_mul(cases, o.case_size);
    std::span<const repo::TierRow> ts;
    if (t != tiers.end()) ts = t->second;
    const repo::TierRow* reached = reached_tier(ts, units);
    Json next = nullptr;
    for (const auto& x : ts) {
      if (x.min_units > units) {
        next = Json{{"min_units", x.min_units},
                    {"producer_price", x.producer_price},
                    {"price", dom::apply_rates(x.producer_price, hub.fees).total()},
                    {"units_short", x.min_units - units}};
        break;
      }
    }
    auto v = repo::find_offer_view(tx, o.id, Timestamp{0});
    AGORA_ASSERT(v.has_value());
    offers.push_back(Json{
        {"offer_id", o.id},
        {"product_name", v->product_name},
        {"variant_name", v->variant_name},
        {"case_size", o.case_size},
        {"price", o.price},
        {"list_price", opt_json(o.list_price)},
        {"demand", quantity},
        {"tolerance", tolerance},
        {"cases", cases},
        {"units", units},
        {"tier_min_units", reached ? Json(reached->min_units) : Json(nullptr)},
        {"tier_price", reached ? Json(dom::apply_rates(reached->producer_price, hub.fees).total())
                               : Json(nullptr)},
        {"next_tier", std::move(next)}});
  }
  return Json{{"cycle_id", hub.id}, {"offers", std::move(offers)}};
}

Json list_cycles(store::Tx& tx, const Ctx& ctx, int64_t org_id, std::optional<std::string> state,
                 PageReq page) {
  check_page(page);
  if (state) {
    static const std::set<std::string> kStates = {"draft",  "scheduled", "open",
                                                  "closed", "settled",   "cancelled"};
    if (!kStates.contains(*state)) {
      throw Error(Code::invalid_value, "unknown cycle state '" + *state + "'", "/state");
    }
  }
  std::vector<repo::CycleRow> rows;
  if (org_id != 0) {
    rows = repo::cycles_of_coordinator(tx, org_id, state, page.after, page.limit);
  } else {
    require_signed_in(ctx.actor);
    rows = repo::cycles_for_person(tx, ctx.actor.person_id, state, page.after, page.limit);
  }
  Json items = Json::array();
  for (const auto& c : rows) items.push_back(cycle_json(tx, c));
  int64_t last = rows.empty() ? 0 : rows.back().id;
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit, last);
}

Json set_offers(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                const std::vector<OfferInput>& in) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled"}, "draft or scheduled");
  if (c.hub_cycle_id) {
    throw Error(Code::rule_violation,
                "a local cycle sells the offers of its hub cycle " +
                    std::to_string(*c.hub_cycle_id) + "; it has none of its own",
                "/items");
  }
  if (in.empty() || static_cast<int64_t>(in.size()) > kMaxOffers) {
    throw Error(Code::out_of_range, "give 1 to 50000 offers", "/items");
  }
  std::vector<int64_t> ids;
  ids.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const auto& x = in[i];
    std::string at = "/items/" + std::to_string(i);
    auto v = repo::find_variant_ref(tx, x.variant_id);
    if (!v)
      throw Error(Code::not_found, "variant " + std::to_string(x.variant_id) + " not found",
                  at + "/variant_id");
    if (!v->active) {
      throw Error(Code::rule_violation, "variant " + std::to_string(v->id) + " is not active",
                  at + "/variant_id");
    }
    if (v->currency != c.currency) {
      throw Error(Code::rule_violation,
                  "the product is priced in " + v->currency + ", the cycle in " + c.currency,
                  at + "/variant_id");
    }
    int64_t producer_price = x.producer_price.value_or(v->producer_part);
    if (producer_price < 1 || producer_price > kMaxPrice) {
      throw Error(Code::out_of_range, "the producer price must be 1.." + std::to_string(kMaxPrice),
                  at + "/producer_price");
    }
    if (x.max_units && (*x.max_units < 1 || *x.max_units > kMaxUnitsCap)) {
      throw Error(Code::out_of_range, "max_units must be 1..1000000000", at + "/max_units");
    }
    std::vector<repo::TierRow> tiers = check_tiers(x.tiers, producer_price, at);
    repo::OfferRow o{.cycle_id = c.id,
                     .variant_id = v->id,
                     .product_id = v->product_id,
                     .producer_org_id = v->producer_org_id,
                     .case_size = v->case_size,
                     .max_units = x.max_units,
                     .breakdown = dom::apply_rates(producer_price, c.fees)};
    o.price = o.breakdown.total();
    ids.push_back(repo::upsert_offer(tx, o));
    repo::set_offer_tiers(tx, ids.back(), tiers);
  }
  if (repo::cycle_counts(tx, c.id).offers > kMaxOffers) {
    throw Error(Code::out_of_range, "a cycle holds at most 50000 offers", "/items");
  }
  return offers_json(tx, ctx.now, c, ids);
}

Json remove_offer(store::Tx& tx, const Ctx& ctx, int64_t offer_id) {
  auto o = repo::find_offer(tx, offer_id);
  if (!o) throw Error(Code::not_found, "offer " + std::to_string(offer_id) + " not found");
  auto c = load_cycle(tx, o->cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled"}, "draft or scheduled");
  AGORA_ASSERT(!repo::offer_has_lines(tx, offer_id));
  repo::delete_offer(tx, offer_id);
  return Json{{"id", offer_id}, {"removed", true}};
}

Json add_point(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const PointInput& in) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled"}, "draft or scheduled");
  check_name(in.name);
  if (in.kind != "pickup" && in.kind != "delivery") {
    throw Error(Code::invalid_value, "kind is pickup or delivery", "/kind");
  }
  check_len(in.address, 0, kMaxAddressBytes, "/address");
  if (in.fee < 0 || in.fee > kMaxPrice) {
    throw Error(Code::out_of_range, "the fee must be 0.." + std::to_string(kMaxPrice), "/fee");
  }
  repo::PointRow p{
      .cycle_id = c.id, .name = in.name, .kind = in.kind, .address = in.address, .fee = in.fee};
  p.id = repo::insert_point(tx, p);
  return point_json(p);
}

Json remove_point(store::Tx& tx, const Ctx& ctx, int64_t point_id) {
  auto p = repo::find_point(tx, point_id);
  if (!p)
    throw Error(Code::not_found, "distribution point " + std::to_string(point_id) + " not found");
  auto c = load_cycle(tx, p->cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled"}, "draft or scheduled");
  AGORA_ASSERT(!repo::point_in_use(tx, point_id));
  repo::delete_point(tx, point_id);
  return Json{{"id", point_id}, {"removed", true}};
}

Json publish_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft"}, "draft");
  auto n = repo::cycle_counts(tx, c.id);
  if (c.hub_cycle_id) {
    const repo::CycleRow hub = hub_of(tx, c);
    if (hub.state != "draft" && hub.state != "scheduled" && hub.state != "open") {
      throw Error(Code::invalid_state,
                  "the hub cycle " + std::to_string(hub.id) + " is " + hub.state);
    }
  } else if (n.offers == 0) {
    throw Error(Code::rule_violation, "a cycle needs at least one offer to publish");
  }
  if (repo::cycle_points(tx, c.id).empty()) {
    throw Error(Code::rule_violation, "a cycle needs at least one distribution point to publish");
  }
  c.state = "scheduled";
  repo::update_cycle(tx, c);
  return cycle_json(tx, c);
}

Json open_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"scheduled"}, "scheduled");
  open_now(tx, ctx.now, c);
  return cycle_json(tx, c);
}

Json close_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"open"}, "open");
  close_cycle_now(tx, ctx.now, cycle_id);
  return cycle_json(tx, load_cycle(tx, cycle_id));
}

Json cancel_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  require_state(c, {"draft", "scheduled", "open", "closed"}, "before settlement");
  if (c.state == "closed") {
    refuse_local(c, "its orders are in the hub's purchase orders; cancel the hub cycle instead");
  }
  // A hub takes its local cycles with it.
  for (auto l : repo::local_cycles(tx, c.id)) {
    if (l.state == "settled" || l.state == "cancelled") continue;
    cancel_orders(tx, ctx.now, l);
    l.state = "cancelled";
    repo::update_cycle(tx, l);
  }
  cancel_orders(tx, ctx.now, c);
  c.state = "cancelled";
  repo::update_cycle(tx, c);
  return cycle_json(tx, c);
}

int64_t open_due_cycles(store::Tx& tx, Timestamp now, int64_t limit) {
  int64_t n = 0;
  for (int64_t id : repo::cycles_due_to_open(tx, now, limit)) {
    auto c = load_cycle(tx, id);
    open_now(tx, now, c);
    ++n;
  }
  return n;
}

int64_t close_due_cycles(store::Tx& tx, Timestamp now, int64_t limit) {
  int64_t n = 0;
  for (int64_t id : repo::cycles_due_to_close(tx, now, limit)) {
    // A local cycle may have closed with its hub earlier in this loop.
    if (load_cycle(tx, id).state != "open") continue;
    close_cycle_now(tx, now, id);
    ++n;
  }
  return n;
}

bool any_cycle_due(store::Tx& tx, Timestamp now) {
  return !repo::cycles_due_to_open(tx, now, 1).empty() ||
         !repo::cycles_due_to_close(tx, now, 1).empty();
}

Json check_market(store::Tx& tx) {
  constexpr size_t kMaxProblems = 100;
  const auto bad = repo::demand_mismatches(tx);
  Json problems = Json::array();
  for (const auto& m : bad) {
    if (problems.size() == kMaxProblems) break;
    problems.push_back("cycle " + std::to_string(m.cycle_id) + " offer " +
                       std::to_string(m.offer_id) + ": running demand " +
                       std::to_string(m.kept_quantity) + "/" + std::to_string(m.kept_tolerance) +
                       ", order lines " + std::to_string(m.lines_quantity) + "/" +
                       std::to_string(m.lines_tolerance) + " (quantity/tolerance)");
  }
  const int64_t offers = repo::demand_total_count(tx);
  return Json{{"ok", bad.empty()},
              {"offers", offers},
              {"mismatches", static_cast<int64_t>(bad.size())},
              {"problems", std::move(problems)}};
}

void close_cycle_now(store::Tx& tx, Timestamp now, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_state(c, {"open"}, "open");
  if (c.hub_cycle_id) {
    close_local(tx, now, c);
    return;
  }
  repo::cancel_carts(tx, c.id, now);
  // A hub first closes its local cycles still open; those not open yet
  // are cancelled (they have no placed orders).
  std::vector<int64_t> group{c.id};
  for (auto l : repo::local_cycles(tx, c.id)) {
    if (l.state == "open") {
      close_local(tx, now, l);
    } else if (l.state == "draft" || l.state == "scheduled") {
      l.state = "cancelled";
      repo::update_cycle(tx, l);
      continue;
    }
    if (l.state == "closed") group.push_back(l.id);
  }
  // The running demand per offer of each cycle (no line is read); rows
  // arrive by producer. A local cycle's lines are on the hub's offers.
  auto demand = repo::cycle_demand(tx, c.id);
  if (group.size() > 1) {
    std::map<int64_t, repo::OfferDemand> merged;
    for (size_t g = 0; g < group.size(); ++g) {
      for (const auto& d : g == 0 ? demand : repo::cycle_demand(tx, group[g])) {
        auto [it, fresh] = merged.emplace(d.offer_id, d);
        if (!fresh) {
          it->second.quantity = checked_add(it->second.quantity, d.quantity);
          it->second.tolerance = checked_add(it->second.tolerance, d.tolerance);
        }
      }
    }
    demand.clear();
    for (const auto& [id, d] : merged) demand.push_back(d);
    std::sort(demand.begin(), demand.end(), [](const auto& x, const auto& y) {
      return x.producer_org_id != y.producer_org_id ? x.producer_org_id < y.producer_org_id
                                                    : x.offer_id < y.offer_id;
    });
  }
  std::map<int64_t, std::vector<repo::TierRow>> tiers;
  for (const auto& t : repo::cycle_tiers(tx, c.id)) tiers[t.offer_id].push_back(t);
  int64_t po_id = 0;
  int64_t producer = 0;
  for (const auto& d : demand) {
    if (po_id == 0 || d.producer_org_id != producer) {
      producer = d.producer_org_id;
      po_id = repo::insert_purchase_order(tx, c.id, producer, now);
    }
    int64_t cases =
        dom::cases_to_order(d.quantity, d.tolerance, d.case_size, d.max_units.value_or(-1));
    const int64_t units = checked_mul(cases, d.case_size);
    repo::insert_po_line(tx, repo::PoLineRow{.po_id = po_id,
                                             .offer_id = d.offer_id,
                                             .demand = d.quantity,
                                             .tolerance = d.tolerance,
                                             .cases = cases,
                                             .units = units});
    // A volume tier reached by the whole cases ordered reprices the offer.
    auto t = tiers.find(d.offer_id);
    if (t == tiers.end()) continue;
    const repo::TierRow* tier = reached_tier(t->second, units);
    if (!tier) continue;
    auto o = repo::find_offer(tx, d.offer_id);
    AGORA_ASSERT(o.has_value() && !o->list_price);
    o->list_price = o->price;
    o->tier_min_units = tier->min_units;
    o->breakdown = dom::apply_rates(tier->producer_price, c.fees);
    o->price = o->breakdown.total();
    AGORA_ASSERT(o->price <= *o->list_price);
    repo::update_offer_price(tx, *o);
  }
  c.state = "closed";
  c.closed_at = now;
  repo::update_cycle(tx, c);
}

}  // namespace market
}  // namespace agora::app
