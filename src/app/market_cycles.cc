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

Json offer_json(const repo::OfferView& v) {
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
              {"sealed", v.sealed}};
}

Json cycle_json(store::Tx& tx, const repo::CycleRow& c) {
  Json coops = Json::array();
  for (const auto& k : repo::cycle_coops(tx, c.id)) {
    coops.push_back(Json{{"org_id", k.org_id}, {"name", k.name}});
  }
  Json points = Json::array();
  for (const auto& p : repo::cycle_points(tx, c.id)) points.push_back(point_json(p));
  auto n = repo::cycle_counts(tx, c.id);
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
      {"created_at", iso(c.created_at)}};
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

Json offers_json(store::Tx& tx, Timestamp now, const std::vector<int64_t>& ids) {
  Json items = Json::array();
  for (int64_t id : ids) {
    auto v = repo::find_offer_view(tx, id, now);
    AGORA_ASSERT(v.has_value());
    items.push_back(offer_json(*v));
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
                   .created_at = ctx.now};
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
    repo::OfferRow o{.cycle_id = c.id,
                     .variant_id = v->id,
                     .product_id = v->product_id,
                     .producer_org_id = v->producer_org_id,
                     .case_size = v->case_size,
                     .max_units = x.max_units,
                     .breakdown = dom::apply_rates(producer_price, c.fees)};
    o.price = o.breakdown.total();
    ids.push_back(repo::upsert_offer(tx, o));
  }
  if (repo::cycle_counts(tx, c.id).offers > kMaxOffers) {
    throw Error(Code::out_of_range, "a cycle holds at most 50000 offers", "/items");
  }
  return offers_json(tx, ctx.now, ids);
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
  if (n.offers == 0)
    throw Error(Code::rule_violation, "a cycle needs at least one offer to publish");
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
    close_cycle_now(tx, now, id);
    ++n;
  }
  return n;
}

bool any_cycle_due(store::Tx& tx, Timestamp now) {
  return !repo::cycles_due_to_open(tx, now, 1).empty() ||
         !repo::cycles_due_to_close(tx, now, 1).empty();
}

void close_cycle_now(store::Tx& tx, Timestamp now, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_state(c, {"open"}, "open");
  repo::cancel_carts(tx, c.id, now);
  // One grouped pass over the placed lines; rows arrive by producer.
  auto demand = repo::cycle_demand(tx, c.id);
  int64_t po_id = 0;
  int64_t producer = 0;
  for (const auto& d : demand) {
    if (po_id == 0 || d.producer_org_id != producer) {
      producer = d.producer_org_id;
      po_id = repo::insert_purchase_order(tx, c.id, producer, now);
    }
    int64_t cases =
        dom::cases_to_order(d.quantity, d.tolerance, d.case_size, d.max_units.value_or(-1));
    repo::insert_po_line(tx, repo::PoLineRow{.po_id = po_id,
                                             .offer_id = d.offer_id,
                                             .demand = d.quantity,
                                             .tolerance = d.tolerance,
                                             .cases = cases,
                                             .units = checked_mul(cases, d.case_size)});
  }
  c.state = "closed";
  c.closed_at = now;
  repo::update_cycle(tx, c);
}

}  // namespace market
}  // namespace agora::app
