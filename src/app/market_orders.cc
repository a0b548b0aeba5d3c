// Members' orders in a cycle (app/market.h): the cart, checkout with a
// pending hold on the member's current account, re-holding a placed order
// when it changes, cancelling, and reading orders. Also the order JSON
// shared with settlement (app/market_internal.h).

#include <map>
#include <set>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/market.h"
#include "app/market_internal.h"
#include "app/repo/cycles_repo.h"
#include "app/repo/ledger_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "ledger/account.h"

namespace agora::app {
namespace market_detail {

Json order_json(store::Tx& tx, const repo::CycleRow& c, const repo::OrderRow& o) {
  bool allocated =
      (o.state == "placed" || o.state == "settled") &&
      (c.state == "settled" || (c.state == "closed" && repo::cycle_has_allocations(tx, c.id)));
  Json lines = Json::array();
  int64_t subtotal = 0;
  int64_t saving = 0;
  for (const auto& v : repo::order_line_views(tx, o.id)) {
    const auto& l = v.line;
    int64_t amount = checked_mul(l.quantity, v.price);
    subtotal = checked_add(subtotal, amount);
    Json alloc = nullptr;
    Json final_amount = nullptr;
    int64_t units = l.quantity;
    if (allocated) {
      int64_t a = v.allocated.value_or(l.quantity);
      alloc = a;
      final_amount = checked_mul(a, v.price);
      units = a;
    }
    // A volume tier reached at close lowered the price below the list price.
    const int64_t list_price = v.list_price.value_or(v.price);
    const int64_t line_saving = checked_mul(list_price - v.price, units);
    saving = checked_add(saving, line_saving);
    lines.push_back(
        Json{{"id", l.id},
             {"offer_id", l.offer_id},
             {"product_name", v.product_name},
             {"variant_name", v.variant_name},
             {"producer", Json{{"org_id", v.producer_org_id}, {"name", v.producer_name}}},
             {"quantity", l.quantity},
             {"tolerance", l.tolerance},
             {"price", v.price},
             {"amount", amount},
             {"max_amount", checked_mul(checked_add(l.quantity, l.tolerance), v.price)},
             {"allocated", std::move(alloc)},
             {"final_amount", std::move(final_amount)},
             {"list_price", list_price},
             {"saving", line_saving}});
  }
  int64_t fee = 0;
  if (o.point_id) {
    auto p = repo::find_point(tx, *o.point_id);
    AGORA_ASSERT(p.has_value());
    fee = p->fee;
  }
  return Json{{"id", o.id},
              {"cycle_id", o.cycle_id},
              {"org_id", o.org_id},
              {"person_id", o.person_id},
              {"state", o.state},
              {"point_id", opt_json(o.point_id)},
              {"account_id", opt_json(o.account_id)},
              {"lines", std::move(lines)},
              {"subtotal", subtotal},
              {"saving", saving},
              {"fee", fee},
              {"hold_amount", o.hold_amount},
              {"placed_at", iso(o.placed_at)},
              {"total", opt_json(o.total)},
              {"hold_transfer_id", opt_json(o.hold_transfer_id)},
              {"settle_transfer_id", opt_json(o.settle_transfer_id)},
              {"created_at", iso(o.created_at)},
              {"updated_at", iso(o.updated_at)}};
}

Json order_summary_json(const repo::OrderSummary& s) {
  const auto& o = s.order;
  return Json{{"id", o.id},
              {"cycle_id", o.cycle_id},
              {"org_id", o.org_id},
              {"person_id", o.person_id},
              {"person_name", s.person_name},
              {"state", o.state},
              {"point_id", opt_json(o.point_id)},
              {"account_id", opt_json(o.account_id)},
              {"line_count", s.lines},
              {"subtotal", s.subtotal},
              {"fee", s.fee},
              {"hold_amount", o.hold_amount},
              {"placed_at", iso(o.placed_at)},
              {"total", opt_json(o.total)},
              {"hold_transfer_id", opt_json(o.hold_transfer_id)},
              {"settle_transfer_id", opt_json(o.settle_transfer_id)},
              {"created_at", iso(o.created_at)},
              {"updated_at", iso(o.updated_at)}};
}

}  // namespace market_detail

namespace market {
namespace {

using namespace market_detail;

constexpr int64_t kHoldGraceUs = int64_t{30} * 24 * 3600 * 1'000'000;
constexpr int64_t kMaxHoldTimeoutS = 31'536'000;
constexpr const char* kHoldCode = "market_order";

// Orders change only while the cycle is open and before its closing time
// (the scheduler may not have closed it yet).
void require_open_for_orders(const repo::CycleRow& c, Timestamp now) {
  if (c.state == "open" && now < c.closes_at) return;
  if (c.state == "draft" || c.state == "scheduled") {
    throw Error(Code::invalid_state, "the order cycle opens at " + format_iso8601(c.opens_at));
  }
  if (c.state == "cancelled") throw Error(Code::invalid_state, "the order cycle was cancelled");
  throw Error(Code::invalid_state,
              "the order cycle closed at " + format_iso8601(c.closed_at.value_or(c.closes_at)));
}

// The co-op through which the signed-in person orders in the cycle.
int64_t require_member(store::Tx& tx, const Actor& actor, const repo::CycleRow& c) {
  require_signed_in(actor);
  auto coop = actor.person_id ? repo::member_coop(tx, c.id, actor.person_id) : std::nullopt;
  if (!coop) {
    auto local =
        actor.person_id ? repo::local_cycle_of_member(tx, c.id, actor.person_id) : std::nullopt;
    if (local) {
      throw Error(Code::forbidden, "your co-op orders from this hub through its own cycle " +
                                       std::to_string(*local) + "; order there");
    }
    throw Error(Code::forbidden, "only active members of the cycle's co-ops may order in it");
  }
  return *coop;
}

std::string format_amount(store::Tx& tx, int64_t amount, const std::string& currency) {
  auto cur = repo::find_currency(tx, currency);
  int64_t digits = cur ? cur->minor_units : 0;
  bool negative = amount < 0;
  // Digits of |amount| without overflow on INT64_MIN.
  std::string d = std::to_string(amount);
  if (negative) d.erase(0, 1);
  if (digits > 0) {
    if (static_cast<int64_t>(d.size()) <= digits) {
      d.insert(0, static_cast<size_t>(digits) - d.size() + 1, '0');
    }
    d.insert(d.size() - static_cast<size_t>(digits), ".");
  }
  return (negative ? "-" : "") + d + " " + currency;
}

// Refuses a hold of `needed` that the account cannot cover, naming both
// amounts; `released` is what a voided hold of the same command gives back.
// Accounts without a lower bound are not checked here.
void check_funds(store::Tx& tx, int64_t account_id, int64_t needed, int64_t released,
                 const std::string& currency) {
  auto a = repo::find_ledger_account(tx, account_id);
  AGORA_ASSERT(a.has_value());
  auto st = ledger_detail::state_of(*a);
  std::optional<int64_t> floor = st.lower_limit;
  if (st.debits_must_not_exceed_credits) floor = std::max<int64_t>(floor.value_or(0), 0);
  if (!floor) return;
  __int128 available = static_cast<__int128>(::agora::ledger::available(st)) + released - *floor;
  if (static_cast<__int128>(needed) <= available) return;
  int64_t shown =
      available < 0 ? 0 : static_cast<int64_t>(std::min<__int128>(available, INT64_MAX));
  throw Error(Code::rule_violation,
              "the order needs " + format_amount(tx, needed, currency) +
                  " held on the account, but only " + format_amount(tx, shown, currency) +
                  " is available",
              "/hold_amount");
}

// Σ (quantity + tolerance) × price over the order's lines, plus the point's fee.
int64_t hold_amount_of(store::Tx& tx, const repo::OrderRow& o) {
  int64_t total = 0;
  for (const auto& v : repo::order_line_views(tx, o.id)) {
    total =
        checked_add(total, checked_mul(checked_add(v.line.quantity, v.line.tolerance), v.price));
  }
  if (o.point_id) {
    auto p = repo::find_point(tx, *o.point_id);
    AGORA_ASSERT(p.has_value());
    total = checked_add(total, p->fee);
  }
  return total;
}

std::string hold_key(int64_t order_id, int64_t n) {
  return "sys:market:hold:" + std::to_string(order_id) + ":" + std::to_string(n);
}

// The n of the order's current hold key (0 before the first hold).
int64_t hold_number(const repo::TransferRow& hold) {
  auto at = hold.key.rfind(':');
  AGORA_ASSERT(at != std::string::npos);
  return std::stoll(hold.key.substr(at + 1));
}

ledger::TransferInput hold_input(const repo::CycleRow& c, const repo::OrderRow& o, Timestamp now,
                                 int64_t n, int64_t clearing) {
  int64_t timeout_s = (c.closes_at.us + kHoldGraceUs - now.us) / 1'000'000;
  timeout_s = std::clamp<int64_t>(timeout_s, 1, kMaxHoldTimeoutS);
  return ledger::TransferInput{
      .key = hold_key(o.id, n),
      .action = ledger::Action::create,
      .debit_account_id = *o.account_id,
      .credit_account_id = clearing,
      .amount = o.hold_amount,
      .pending = true,
      .timeout_s = timeout_s,
      .code = kHoldCode,
      .memo = "market order " + std::to_string(o.id) + ", cycle " + std::to_string(o.cycle_id)};
}

// The order's hold if it is still pending.
std::optional<repo::TransferRow> live_hold(store::Tx& tx, const repo::OrderRow& o) {
  if (!o.hold_transfer_id) return std::nullopt;
  auto t = repo::find_transfer(tx, *o.hold_transfer_id);
  AGORA_ASSERT(t.has_value());
  if (t->state != std::optional<std::string>("pending")) return std::nullopt;
  return t;
}

ledger::TransferInput void_input(const repo::OrderRow& o, const repo::TransferRow& hold,
                                 const char* why) {
  return ledger::TransferInput{
      .key = "sys:market:void:" + std::to_string(o.id) + ":" + std::to_string(hold.id),
      .action = ledger::Action::void_,
      .pending_id = hold.id,
      .code = kHoldCode,
      .memo = why};
}

// A placed order whose lines or point changed: voids the old hold and holds
// the new maximum, both in one linked batch.
void rehold(store::Tx& tx, const Ctx& ctx, const repo::CycleRow& c, repo::OrderRow& o) {
  int64_t amount = hold_amount_of(tx, o);
  if (amount == o.hold_amount) return;
  auto old = live_hold(tx, o);
  int64_t released = old ? old->amount : 0;
  check_funds(tx, *o.account_id, amount, released, c.currency);
  int64_t n = old ? hold_number(*old) + 1 : 1;
  if (!old && o.hold_transfer_id) {
    auto t = repo::find_transfer(tx, *o.hold_transfer_id);
    n = hold_number(*t) + 1;
  }
  o.hold_amount = amount;
  std::vector<ledger::TransferInput> batch;
  if (old) batch.push_back(void_input(o, *old, "order changed"));
  // A local cycle's holds credit its hub's clearing account, timed by the hub.
  const repo::CycleRow hub = hub_of(tx, c);
  batch.push_back(hold_input(hub, o, ctx.now, n, clearing_account(tx, ctx.now, hub)));
  auto out = ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id, batch);
  o.hold_transfer_id = out.back()["id"].get<int64_t>();
}

// The difference `after` - `before` between two sets of a placed order's
// lines, per offer, added to its cycle's running demand.
void count_demand(store::Tx& tx, int64_t cycle_id, std::span<const repo::LineRow> before,
                  std::span<const repo::LineRow> after) {
  std::map<int64_t, repo::DemandDelta> d;
  for (const auto& l : before) {
    auto& x = d[l.offer_id];
    x.offer_id = l.offer_id;
    x.quantity = checked_add(x.quantity, -l.quantity);
    x.tolerance = checked_add(x.tolerance, -l.tolerance);
  }
  for (const auto& l : after) {
    auto& x = d[l.offer_id];
    x.offer_id = l.offer_id;
    x.quantity = checked_add(x.quantity, l.quantity);
    x.tolerance = checked_add(x.tolerance, l.tolerance);
  }
  std::vector<repo::DemandDelta> deltas;
  deltas.reserve(d.size());
  for (const auto& [offer_id, x] : d) deltas.push_back(x);
  repo::add_demand(tx, cycle_id, deltas);
}

}  // namespace

Json set_order(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const OrderInput& in) {
  auto c = load_cycle(tx, cycle_id);
  int64_t coop = require_member(tx, ctx.actor, c);
  require_open_for_orders(c, ctx.now);
  // A local cycle sells its hub's offers while the hub is open too.
  const repo::CycleRow hub = hub_of(tx, c);
  if (hub.id != c.id) require_open_for_orders(hub, ctx.now);
  if (static_cast<int64_t>(in.lines.size()) > kMaxLines) {
    throw Error(Code::out_of_range, "an order holds at most 500 lines", "/lines");
  }
  std::set<int64_t> seen;
  std::vector<repo::OfferRow> offers;
  offers.reserve(in.lines.size());
  for (size_t i = 0; i < in.lines.size(); ++i) {
    const auto& x = in.lines[i];
    std::string at = "/lines/" + std::to_string(i);
    auto offer = repo::find_offer(tx, x.offer_id);
    if (!offer || offer->cycle_id != hub.id) {
      throw Error(Code::not_found,
                  hub.id == c.id ? "offer " + std::to_string(x.offer_id) + " is not in this cycle"
                                 : "offer " + std::to_string(x.offer_id) +
                                       " is not offered by the hub cycle " + std::to_string(hub.id),
                  at + "/offer_id");
    }
    if (!seen.insert(x.offer_id).second) {
      throw Error(Code::invalid_value, "offer " + std::to_string(x.offer_id) + " is listed twice",
                  at + "/offer_id");
    }
    if (x.quantity < 0 || x.quantity > kMaxQuantity) {
      throw Error(Code::out_of_range, "quantity must be 0..100000", at + "/quantity");
    }
    if (x.tolerance < 0 || x.tolerance > kMaxQuantity - x.quantity) {
      throw Error(Code::out_of_range, "quantity plus tolerance must be at most 100000",
                  at + "/tolerance");
    }
    offers.push_back(*offer);
  }
  if (in.point_id) {
    auto p = repo::find_point(tx, *in.point_id);
    if (!p || p->cycle_id != c.id) {
      throw Error(Code::invalid_value, "no such distribution point in this cycle", "/point_id");
    }
  }

  auto found = repo::find_order_of(tx, c.id, ctx.actor.person_id);
  repo::OrderRow o;
  if (found) {
    o = *found;
    AGORA_ASSERT(o.state != "settled");
    if (o.state == "cancelled") {
      // Ordering again after cancelling starts a fresh cart.
      for (const auto& l : repo::order_lines(tx, o.id)) repo::delete_line(tx, l.id);
      o.state = "cart";
      o.hold_amount = 0;
      o.placed_at = std::nullopt;
    }
  } else {
    o = repo::OrderRow{.cycle_id = c.id,
                       .org_id = coop,
                       .person_id = ctx.actor.person_id,
                       .state = "cart",
                       .created_at = ctx.now,
                       .updated_at = ctx.now};
    o.id = repo::insert_order(tx, o);
  }
  if (in.point_id) o.point_id = in.point_id;

  const std::vector<repo::LineRow> before = repo::order_lines(tx, o.id);
  std::map<int64_t, repo::LineRow> existing;
  for (const auto& l : before) existing.emplace(l.offer_id, l);
  if (in.replace) {
    for (const auto& [offer_id, l] : existing) {
      if (!seen.contains(offer_id)) repo::delete_line(tx, l.id);
    }
  }
  for (size_t i = 0; i < in.lines.size(); ++i) {
    const auto& x = in.lines[i];
    auto it = existing.find(x.offer_id);
    bool had = it != existing.end();
    if (x.quantity == 0) {
      if (had) repo::delete_line(tx, it->second.id);
      continue;
    }
    const auto& offer = offers[i];
    if (offer.max_units) {
      int64_t others = repo::offer_units_ordered(tx, offer.id, o.id);
      if (others + x.quantity > *offer.max_units) {
        int64_t left = std::max<int64_t>(0, *offer.max_units - others);
        throw Error(Code::rule_violation,
                    "only " + std::to_string(left) + " units of this offer are left",
                    "/lines/" + std::to_string(i) + "/quantity");
      }
    }
    if (had) {
      repo::LineRow l = it->second;
      if (x.quantity > l.quantity) l.ordered_at = ctx.now;
      l.quantity = x.quantity;
      l.tolerance = x.tolerance;
      repo::update_line(tx, l);
    } else {
      // The line carries its offer's cycle (the hub's for a local cycle),
      // so the hub's close and settlement find it.
      repo::insert_line(tx, repo::LineRow{.order_id = o.id,
                                          .cycle_id = hub.id,
                                          .offer_id = x.offer_id,
                                          .quantity = x.quantity,
                                          .tolerance = x.tolerance,
                                          .ordered_at = ctx.now});
    }
  }
  const std::vector<repo::LineRow> after = repo::order_lines(tx, o.id);
  auto count = static_cast<int64_t>(after.size());
  if (count > kMaxLines) {
    throw Error(Code::out_of_range, "an order holds at most 500 lines", "/lines");
  }
  if (o.state == "placed") {
    if (count == 0) {
      throw Error(Code::rule_violation,
                  "a placed order needs at least one line; cancel the order instead", "/lines");
    }
    rehold(tx, ctx, c, o);
    count_demand(tx, c.id, before, after);
  }
  o.updated_at = ctx.now;
  repo::update_order(tx, o);
  return order_json(tx, c, o);
}

Json my_order(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  require_signed_in(ctx.actor);
  auto c = load_cycle(tx, cycle_id);
  auto o = ctx.actor.person_id ? repo::find_order_of(tx, c.id, ctx.actor.person_id) : std::nullopt;
  if (!o) throw Error(Code::not_found, "you have no order in this cycle");
  return order_json(tx, c, *o);
}

Json checkout(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  int64_t coop = require_member(tx, ctx.actor, c);
  require_open_for_orders(c, ctx.now);
  auto found = repo::find_order_of(tx, c.id, ctx.actor.person_id);
  if (!found || found->state == "cancelled") {
    throw Error(Code::rule_violation, "the order has no lines", "/lines");
  }
  repo::OrderRow o = *found;
  if (o.state != "cart") throw Error(Code::invalid_state, "the order is already placed");
  if (!o.point_id) {
    throw Error(Code::rule_violation, "choose a distribution point first", "/point_id");
  }
  const std::vector<repo::LineRow> lines = repo::order_lines(tx, o.id);
  if (lines.empty()) {
    throw Error(Code::rule_violation, "the order has no lines", "/lines");
  }
  o.org_id = coop;
  o.account_id = ledger::ensure_account(tx, ctx.now, coop, "member", ctx.actor.person_id,
                                        c.currency, "current");
  o.hold_amount = hold_amount_of(tx, o);
  check_funds(tx, *o.account_id, o.hold_amount, 0, c.currency);
  int64_t n = 1;
  if (o.hold_transfer_id) {
    // A cancelled and re-opened order keeps counting its holds.
    auto t = repo::find_transfer(tx, *o.hold_transfer_id);
    AGORA_ASSERT(t.has_value());
    n = hold_number(*t) + 1;
  }
  // A local cycle's holds credit its hub's clearing account, timed by the hub.
  const repo::CycleRow hub = hub_of(tx, c);
  std::vector<ledger::TransferInput> batch{
      hold_input(hub, o, ctx.now, n, clearing_account(tx, ctx.now, hub))};
  auto out = ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id, batch);
  o.hold_transfer_id = out.front()["id"].get<int64_t>();
  o.state = "placed";
  o.placed_at = ctx.now;
  o.updated_at = ctx.now;
  repo::update_order(tx, o);
  count_demand(tx, c.id, {}, lines);
  return order_json(tx, c, o);
}

Json cancel_order(store::Tx& tx, const Ctx& ctx, int64_t order_id) {
  require_signed_in(ctx.actor);
  auto o = load_order(tx, order_id);
  auto c = load_cycle(tx, o.cycle_id);
  bool own = ctx.actor.person_id != 0 && ctx.actor.person_id == o.person_id;
  if (!own) require_cycle_coordinator(tx, ctx.actor, c);
  require_open_for_orders(c, ctx.now);
  if (o.state != "cart" && o.state != "placed") {
    throw Error(Code::invalid_state, "the order is " + o.state);
  }
  if (auto hold = live_hold(tx, o)) {
    std::vector<ledger::TransferInput> batch{void_input(o, *hold, "order cancelled")};
    ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id, batch);
  }
  if (o.state == "placed") count_demand(tx, c.id, repo::order_lines(tx, o.id), {});
  o.state = "cancelled";
  o.updated_at = ctx.now;
  repo::update_order(tx, o);
  return order_json(tx, c, o);
}

Json get_order(store::Tx& tx, const Ctx& ctx, int64_t order_id) {
  require_signed_in(ctx.actor);
  auto o = load_order(tx, order_id);
  auto c = load_cycle(tx, o.cycle_id);
  bool own = ctx.actor.person_id != 0 && ctx.actor.person_id == o.person_id;
  if (!own) require_cycle_coordinator_or_auditor(tx, ctx.actor, c);
  return order_json(tx, c, o);
}

Json my_orders(store::Tx& tx, const Ctx& ctx, PageReq page) {
  require_signed_in(ctx.actor);
  check_page(page);
  auto rows = repo::person_orders(tx, ctx.actor.person_id, page.after, page.limit);
  Json items = Json::array();
  std::map<int64_t, Json> cycles;
  for (const auto& s : rows) {
    auto it = cycles.find(s.order.cycle_id);
    if (it == cycles.end()) {
      it = cycles.emplace(s.order.cycle_id, cycle_ref_json(load_cycle(tx, s.order.cycle_id))).first;
    }
    Json j = order_summary_json(s);
    j["cycle"] = it->second;
    items.push_back(std::move(j));
  }
  int64_t last = rows.empty() ? 0 : rows.back().order.id;
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit, last);
}

Json list_orders(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, PageReq page) {
  check_page(page);
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator_or_auditor(tx, ctx.actor, c);
  auto rows = repo::cycle_orders(tx, c.id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& s : rows) items.push_back(order_summary_json(s));
  int64_t last = rows.empty() ? 0 : rows.back().order.id;
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit, last);
}

}  // namespace market
}  // namespace agora::app
