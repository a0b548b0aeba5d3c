// After a cycle closes (app/market.h): purchase orders and their
// confirmation, receiving, sharing out what arrived, and settlement through
// the ledger as one bulk linked batch. A cycle of 100,000 orders and
// 2,000,000 lines is read in a few queries and one streamed pass over the
// lines, allocated in memory (only the lines of offers whose shares can
// differ from what was ordered are kept), and written as one
// ledger::apply_bulk plus multi-row statements; only lines whose share
// differs from their quantity get a row of their own.

#include <algorithm>
#include <limits>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/market_internal.h"
#include "app/repo/settle_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::app::market {
namespace {

using namespace market_detail;
namespace mk = ::agora::market;

constexpr int64_t kMaxReceivedUnits = 1'000'000'000;
constexpr const char* kSpendSource = "market";

// ---- purchase orders

Json po_json(const repo::PurchaseOrderRow& po, std::span<const repo::PoLineView> lines) {
  Json items = Json::array();
  int64_t total_units = 0;
  int64_t producer_amount = 0;
  for (const auto& l : lines) {
    AGORA_ASSERT(l.po_id == po.id);
    total_units = checked_add(total_units, l.units);
    producer_amount = checked_add(producer_amount, checked_mul(l.units, l.producer_part));
    items.push_back(Json{{"offer_id", l.offer_id},
                         {"product_name", l.product_name},
                         {"variant_name", l.variant_name},
                         {"case_size", l.case_size},
                         {"demand", l.demand},
                         {"tolerance", l.tolerance},
                         {"cases", l.cases},
                         {"units", l.units},
                         {"confirmed_units", opt_json(l.confirmed_units)},
                         {"received_units", opt_json(l.received_units)},
                         {"price", l.price},
                         {"producer_part", l.producer_part}});
  }
  return Json{{"id", po.id},
              {"cycle_id", po.cycle_id},
              {"producer", Json{{"org_id", po.producer_org_id}, {"name", po.producer_name}}},
              {"state", po.state},
              {"created_at", iso(po.created_at)},
              {"confirmed_at", iso(po.confirmed_at)},
              {"note", opt_json(po.note)},
              {"lines", std::move(items)},
              {"total_units", total_units},
              {"producer_amount", producer_amount}};
}

// The purchase orders with their lines (lines fetched in one query).
Json pos_json(store::Tx& tx, int64_t cycle_id, const std::vector<repo::PurchaseOrderRow>& pos,
              std::optional<int64_t> producer_org_id) {
  auto lines = repo::cycle_po_lines(tx, cycle_id, producer_org_id);
  std::unordered_map<int64_t, std::vector<repo::PoLineView>> by_po;
  for (auto& l : lines) by_po[l.po_id].push_back(std::move(l));
  Json items = Json::array();
  for (const auto& po : pos) items.push_back(po_json(po, by_po[po.id]));
  return Json{{"items", std::move(items)}};
}

void deny(const Actor& actor, const std::string& what) {
  if (actor.anonymous()) throw Error(Code::unauthenticated, "sign in to " + what);
  throw Error(Code::forbidden, "you may not " + what);
}

// A local cycle is received, shared out and settled with its hub.
void refuse_local(const repo::CycleRow& c) {
  if (!c.hub_cycle_id) return;
  throw Error(Code::invalid_state, "order cycle " + std::to_string(c.id) +
                                       " is a local cycle: it is received and settled with its "
                                       "hub cycle " +
                                       std::to_string(*c.hub_cycle_id));
}

// The hub's closed local cycles, settled in the hub's batch.
std::vector<repo::CycleRow> closed_locals(store::Tx& tx, const repo::CycleRow& c) {
  std::vector<repo::CycleRow> out;
  for (auto& l : repo::local_cycles(tx, c.id)) {
    if (l.state == "closed") out.push_back(std::move(l));
  }
  return out;
}

// ---- allocation of a cycle

// What sharing out the received units gives, for preview and settlement.
struct OfferResult {
  int64_t offer_id = 0;
  bool known = false;  // received is recorded (or nothing was ordered of it)
  int64_t received = 0;
  int64_t demand = 0;  // Σ quantity of placed lines
  int64_t tolerance = 0;
  int64_t allocated = 0;
};

struct CycleAllocation {
  std::vector<repo::SettleOffer> offers;        // by offer id
  std::vector<OfferResult> results;             // parallel to offers
  std::vector<repo::SettleOrder> orders;        // placed, by id
  std::vector<int64_t> goods;                   // per order: Σ allocated × price
  std::vector<int64_t> units;                   // per order: Σ allocated
  std::vector<uint8_t> changed;                 // per order: a share differs from a quantity
  std::vector<repo::AllocationRow> exceptions;  // lines whose share differs from their quantity
};

// Maps ids to dense indexes: a flat table over [min, max] when the ids are
// close together (a cycle's orders and offers are, as they are written
// together), a hash map otherwise.
class IdIndex {
 public:
  explicit IdIndex(std::span<const int64_t> ids) {
    if (ids.empty()) return;
    auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
    const uint64_t span = static_cast<uint64_t>(*hi) - static_cast<uint64_t>(*lo) + 1;
    if (span <= 4 * ids.size() + 4096) {
      base_ = *lo;
      flat_.assign(span, -1);
      for (size_t i = 0; i < ids.size(); ++i) flat_[ids[i] - base_] = static_cast<int32_t>(i);
    } else {
      hashed_.reserve(ids.size() * 2);
      for (size_t i = 0; i < ids.size(); ++i) hashed_.emplace(ids[i], static_cast<int32_t>(i));
    }
  }
  // The index of `id`, or -1.
  int32_t find(int64_t id) const {
    if (!flat_.empty()) {
      const uint64_t at = static_cast<uint64_t>(id) - static_cast<uint64_t>(base_);
      return at < flat_.size() ? flat_[at] : -1;
    }
    auto it = hashed_.find(id);
    return it == hashed_.end() ? -1 : it->second;
  }

 private:
  int64_t base_ = 0;
  std::vector<int32_t> flat_;
  std::unordered_map<int64_t, int32_t> hashed_;
};

// Reads the cycle's placed orders, the running demand per offer and, in one
// streamed pass, the order lines. An offer whose received units equal its
// demand, or exceed it with no tolerance to fill, gives every line exactly
// its quantity (market::allocate): its lines only add to their orders'
// goods. The lines of every other offer (short, tolerance used, receipt not
// recorded) are kept, grouped per offer in first-come order (the order's
// placed_at, then the line's ordered_at, then its id) and shared out by the
// cycle's rule. Offers whose receipt is not recorded are left unallocated
// (known = false).
CycleAllocation allocate_cycle(store::Tx& tx, const repo::CycleRow& c) {
  CycleAllocation a;
  a.offers = repo::settle_offers(tx, c.id);
  a.orders = repo::placed_orders(tx, c.id);
  // A hub's local cycles' orders: their lines carry the hub's cycle id.
  const auto locals = closed_locals(tx, c);
  for (const auto& l : locals) {
    auto more = repo::placed_orders(tx, l.id);
    a.orders.insert(a.orders.end(), more.begin(), more.end());
  }
  if (!locals.empty()) {
    std::sort(a.orders.begin(), a.orders.end(),
              [](const auto& x, const auto& y) { return x.id < y.id; });
  }
  const mk::ShareRule rule = mk::parse_rule(c.share_rule);

  std::vector<int64_t> ids;
  ids.reserve(std::max(a.offers.size(), a.orders.size()));
  for (const auto& o : a.offers) ids.push_back(o.offer_id);
  const IdIndex offer_ix(ids);
  ids.clear();
  for (const auto& o : a.orders) ids.push_back(o.id);
  const IdIndex order_ix(ids);

  // The running demand of the cycle and its closed local cycles.
  std::vector<int64_t> kept_demand(a.offers.size(), 0);
  std::vector<int64_t> kept_tolerance(a.offers.size(), 0);
  auto add_kept = [&](int64_t cycle_id) {
    for (const auto& d : repo::cycle_demand(tx, cycle_id)) {
      const int32_t f = offer_ix.find(d.offer_id);
      AGORA_ASSERT(f >= 0);
      kept_demand[f] = checked_add(kept_demand[f], d.quantity);
      kept_tolerance[f] = checked_add(kept_tolerance[f], d.tolerance);
    }
  };
  add_kept(c.id);
  for (const auto& l : locals) add_kept(l.id);

  a.results.resize(a.offers.size());
  // Per offer: every line receives its quantity.
  std::vector<uint8_t> as_ordered(a.offers.size(), 0);
  for (size_t i = 0; i < a.offers.size(); ++i) {
    const auto& o = a.offers[i];
    OfferResult& r = a.results[i];
    r.offer_id = o.offer_id;
    // An offer nothing was ordered of (no line, or no whole case) received nothing.
    r.known = o.received.has_value() || o.po_units == 0;
    r.received = o.received.value_or(0);
    as_ordered[i] = r.known && r.received >= kept_demand[i] &&
                    (r.received == kept_demand[i] || kept_tolerance[i] == 0);
  }
  a.goods.assign(a.orders.size(), 0);
  a.units.assign(a.orders.size(), 0);
  a.changed.assign(a.orders.size(), 0);

  struct Line {
    int64_t id;
    int64_t quantity;
    int64_t tolerance;
    int64_t ordered_at_us;
    int32_t order;
    int32_t offer;
  };
  // Room for every kept line at once: each has quantity >= 1, so the
  // demand of the offers kept bounds their lines (pages beyond those
  // written are never touched); capped, past which the vector grows.
  constexpr int64_t kMaxReserved = int64_t{1} << 23;
  int64_t bound = 0;
  for (size_t f = 0; f < a.offers.size(); ++f) {
    if (!as_ordered[f]) bound = checked_add(bound, kept_demand[f]);
  }
  std::vector<Line> lines;
  lines.reserve(static_cast<size_t>(std::min(bound, kMaxReserved)));
  std::vector<int64_t> per_offer(a.offers.size() + 1, 0);
  repo::for_each_settle_line(tx, c.id, [&](const repo::SettleLine& l) {
    const int32_t o = order_ix.find(l.order_id);
    if (o < 0) return;  // a cancelled order's line
    const int32_t f = offer_ix.find(l.offer_id);
    AGORA_ASSERT(f >= 0);
    OfferResult& r = a.results[f];
    r.demand = checked_add(r.demand, l.quantity);
    r.tolerance = checked_add(r.tolerance, l.tolerance);
    if (as_ordered[f]) {
      a.goods[o] = checked_add(a.goods[o], checked_mul(l.quantity, a.offers[f].price));
      a.units[o] = checked_add(a.units[o], l.quantity);
      return;
    }
    lines.push_back(Line{l.id, l.quantity, l.tolerance, l.ordered_at_us, o, f});
    ++per_offer[f + 1];
  });

  // The lines agree with the running demand the shares were planned on.
  for (size_t f = 0; f < a.offers.size(); ++f) {
    OfferResult& r = a.results[f];
    AGORA_ASSERT(r.demand == kept_demand[f] && r.tolerance == kept_tolerance[f]);
    if (as_ordered[f]) r.allocated = r.demand;
  }

  // Counting sort by offer (stable: id order within an offer), then each
  // offer's claims in first-come order.
  for (size_t i = 1; i < per_offer.size(); ++i) per_offer[i] += per_offer[i - 1];
  std::vector<uint32_t> perm(lines.size());
  {
    std::vector<int64_t> next(per_offer.begin(), per_offer.end() - 1);
    for (size_t i = 0; i < lines.size(); ++i)
      perm[next[lines[i].offer]++] = static_cast<uint32_t>(i);
  }
  std::vector<mk::Claim> claims;
  for (size_t f = 0; f < a.offers.size(); ++f) {
    auto begin = perm.begin() + per_offer[f];
    auto end = perm.begin() + per_offer[f + 1];
    if (begin == end) continue;
    OfferResult& r = a.results[f];
    if (!r.known) continue;
    std::sort(begin, end, [&](uint32_t x, uint32_t y) {
      const Line& p = lines[x];
      const Line& q = lines[y];
      int64_t pp = a.orders[p.order].placed_at_us, qp = a.orders[q.order].placed_at_us;
      if (pp != qp) return pp < qp;
      if (p.ordered_at_us != q.ordered_at_us) return p.ordered_at_us < q.ordered_at_us;
      return p.id < q.id;
    });
    claims.clear();
    for (auto it = begin; it != end; ++it) {
      const Line& l = lines[*it];
      claims.push_back(mk::Claim{.quantity = l.quantity, .tolerance = l.tolerance});
    }
    const std::vector<int64_t> shares = mk::allocate(r.received, claims, rule);
    AGORA_ASSERT(shares.size() == claims.size());
    const int64_t price = a.offers[f].price;
    size_t k = 0;
    for (auto it = begin; it != end; ++it, ++k) {
      const Line& l = lines[*it];
      const int64_t share = shares[k];
      AGORA_ASSERT(share >= 0 && share <= l.quantity + l.tolerance);
      r.allocated = checked_add(r.allocated, share);
      a.goods[l.order] = checked_add(a.goods[l.order], checked_mul(share, price));
      a.units[l.order] = checked_add(a.units[l.order], share);
      if (share != l.quantity) {
        a.changed[l.order] = 1;
        a.exceptions.push_back(repo::AllocationRow{.line_id = l.id, .allocated = share});
      }
    }
  }
  for (const OfferResult& r : a.results) {
    AGORA_ASSERT(!r.known || r.allocated == std::min(r.received, checked_add(r.demand, r.tolerance)));
  }
  std::sort(a.exceptions.begin(), a.exceptions.end(),
            [](const auto& x, const auto& y) { return x.line_id < y.line_id; });
  return a;
}

// ---- settlement

std::string key_of(int64_t cycle_id, const std::string& what) {
  return "sys:market:settle:" + std::to_string(cycle_id) + ":" + what;
}

// ledger::apply_bulk, with a refusal of an order's post or charge (the
// first charge_orders.size() transfers) named by the order: apply_bulk's
// "post <i>: " / "transfer <i>: " becomes "order <id>: ", same code and field.
ledger::BulkResult apply_naming_orders(store::Tx& tx, Timestamp now, int64_t created_by,
                                       std::span<const ledger::BulkPost> posts,
                                       std::span<const int64_t> post_orders,
                                       std::span<const ledger::BulkTransfer> transfers,
                                       std::span<const int64_t> charge_orders) {
  try {
    return ledger::apply_bulk(tx, now, created_by, posts, transfers);
  } catch (const Error& e) {
    const std::string what = e.what();
    auto rename = [&](const char* kind, std::span<const int64_t> orders) {
      const std::string head = std::string(kind) + " ";
      if (what.rfind(head, 0) != 0) return;
      const size_t colon = what.find(": ", head.size());
      if (colon == std::string::npos) return;
      const std::string ix = what.substr(head.size(), colon - head.size());
      if (ix.empty() || ix.size() > 18 ||
          !std::all_of(ix.begin(), ix.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        return;
      }
      const size_t i = std::stoull(ix);
      if (i >= orders.size()) return;
      throw Error(e.code(), "order " + std::to_string(orders[i]) + ": " + what.substr(colon + 2),
                  e.field());
    };
    rename("post", post_orders);
    rename("transfer", charge_orders);
    throw;
  }
}

Json settle(store::Tx& tx, Timestamp now, int64_t created_by, const repo::CycleRow& c) {
  refuse_local(c);
  require_state(c, {"closed"}, "closed with every delivery received");
  const std::vector<repo::CycleRow> locals = closed_locals(tx, c);
  if (int64_t n = repo::unreceived_lines(tx, c.id); n > 0) {
    throw Error(Code::invalid_state, std::to_string(n) +
                                         " purchase-order line(s) have no received units yet; "
                                         "record what arrived before settling");
  }
  CycleAllocation a = allocate_cycle(tx, c);

  // Fees per part and producers' parts over every offer's allocated units.
  mk::Breakdown parts;
  std::map<int64_t, int64_t> producers;  // org id -> amount
  for (size_t f = 0; f < a.offers.size(); ++f) {
    const OfferResult& r = a.results[f];
    AGORA_ASSERT(r.known);
    if (r.allocated == 0) continue;
    const mk::Breakdown& b = a.offers[f].breakdown;
    const int64_t producer = checked_mul(r.allocated, b.producer);
    parts.producer = checked_add(parts.producer, producer);
    parts.transport = checked_add(parts.transport, checked_mul(r.allocated, b.transport));
    parts.packing = checked_add(parts.packing, checked_mul(r.allocated, b.packing));
    parts.margin = checked_add(parts.margin, checked_mul(r.allocated, b.margin));
    parts.fund = checked_add(parts.fund, checked_mul(r.allocated, b.fund));
    parts.tax = checked_add(parts.tax, checked_mul(r.allocated, b.tax));
    int64_t& p = producers[a.offers[f].producer_org_id];
    p = checked_add(p, producer);
  }

  // Each order's final amount: its goods plus its point's fee, or nothing
  // (the hold voided) when nothing it ordered arrived.
  // A hold that is no longer pending (it expired 30 days after the close)
  // cannot be posted: that order is charged by a plain transfer from its
  // account to the clearing account instead, ahead of the payouts.
  // Holds past their timeout that the scheduler has not expired yet are
  // expired here first, so they take the same path.
  ledger::expire_pending(tx, now, std::numeric_limits<int32_t>::max());
  std::unordered_map<int64_t, int64_t> lapsed;  // order id -> account to charge
  for (const auto& h : repo::lapsed_holds(tx, c.id)) lapsed.emplace(h.order_id, h.account_id);
  for (const auto& l : locals) {
    for (const auto& h : repo::lapsed_holds(tx, l.id)) lapsed.emplace(h.order_id, h.account_id);
  }
  const int64_t clearing = clearing_account(tx, now, c);
  // Point fees go to the coordinator of the point's cycle: group 0 is the
  // hub (or a plain cycle), 1.. its local cycles.
  struct PointFee {
    int64_t fee = 0;
    size_t group = 0;
  };
  std::unordered_map<int64_t, PointFee> point_fee;
  for (const auto& p : repo::cycle_points(tx, c.id)) point_fee.emplace(p.id, PointFee{p.fee, 0});
  for (size_t g = 0; g < locals.size(); ++g) {
    for (const auto& p : repo::cycle_points(tx, locals[g].id))
      point_fee.emplace(p.id, PointFee{p.fee, g + 1});
  }
  std::vector<int64_t> group_point_fees(locals.size() + 1, 0);
  std::vector<ledger::BulkPost> posts;
  posts.reserve(a.orders.size());
  std::vector<int64_t> post_orders;  // per post: its order's id
  post_orders.reserve(a.orders.size());
  std::vector<ledger::BulkTransfer> transfers;
  std::vector<int64_t> charge_orders;  // per leading transfer: its order's id
  // Per order: where its settle transfer id is (a post, a transfer or none).
  enum class Via : uint8_t { post, transfer, none };
  std::vector<std::pair<Via, size_t>> via(a.orders.size(), {Via::none, 0});
  std::vector<int64_t> totals(a.orders.size(), 0);
  int64_t total = 0;
  int64_t point_fees = 0;
  for (size_t i = 0; i < a.orders.size(); ++i) {
    const repo::SettleOrder& o = a.orders[i];
    if (!o.hold_transfer_id) {
      throw Error(Code::invalid_state,
                  "order " + std::to_string(o.id) + " is placed without a hold");
    }
    int64_t t = 0;
    if (a.units[i] > 0) {
      int64_t fee = 0;
      if (o.point_id) {
        auto it = point_fee.find(*o.point_id);
        if (it != point_fee.end()) {
          fee = it->second.fee;
          group_point_fees[it->second.group] = checked_add(group_point_fees[it->second.group], fee);
        }
      }
      t = checked_add(a.goods[i], fee);
      point_fees = checked_add(point_fees, fee);
    }
    if (t > o.hold_amount) {
      throw Error(Code::invalid_state, "order " + std::to_string(o.id) + " would be charged " +
                                           std::to_string(t) + ", more than its hold of " +
                                           std::to_string(o.hold_amount));
    }
    totals[i] = t;
    total = checked_add(total, t);
    const std::string key = key_of(c.id, "order:" + std::to_string(o.id));
    const std::string memo =
        "market cycle " + std::to_string(c.id) + ", order " + std::to_string(o.id);
    if (auto l = lapsed.find(o.id); l != lapsed.end()) {
      if (t == 0) continue;  // nothing to charge and nothing held
      via[i] = {Via::transfer, transfers.size()};
      charge_orders.push_back(o.id);
      transfers.push_back(ledger::BulkTransfer{.key = key,
                                               .debit_account_id = l->second,
                                               .credit_account_id = clearing,
                                               .amount = t,
                                               .code = "market_purchase",
                                               .memo = memo});
      continue;
    }
    via[i] = {Via::post, posts.size()};
    post_orders.push_back(o.id);
    posts.push_back(
        ledger::BulkPost{.key = key, .pending_id = *o.hold_transfer_id, .amount = t, .memo = memo});
  }
  // What members pay is exactly what the clearing account pays out.
  AGORA_ASSERT(total == checked_add(parts.total(), point_fees));

  auto operating = [&](int64_t org_id) {
    return ledger::ensure_account(tx, now, org_id, "org", std::nullopt, c.currency, "operating");
  };
  auto pay = [&](const std::string& what, int64_t to, int64_t amount, const std::string& code,
                 const std::string& memo) {
    if (amount == 0) return;
    transfers.push_back(
        ledger::BulkTransfer{.key = key_of(c.id, what),
                             .debit_account_id = clearing,
                             .credit_account_id = to,
                             .amount = amount,
                             .code = code,
                             .memo = "market cycle " + std::to_string(c.id) + ": " + memo});
  };
  // Fair-price contracts of the coordinator: deliveries recorded, floors
  // topped up, advances repaid by keeping back part of the producer's pay.
  std::vector<Delivery> deliveries;
  for (size_t f = 0; f < a.offers.size(); ++f) {
    if (a.results[f].allocated == 0) continue;
    deliveries.push_back(Delivery{.offer_id = a.offers[f].offer_id,
                                  .variant_id = a.offers[f].variant_id,
                                  .producer_org_id = a.offers[f].producer_org_id,
                                  .units = a.results[f].allocated,
                                  .producer_part = a.offers[f].breakdown.producer});
  }
  const ContractPlan contracts = plan_contracts(tx, now, c, clearing, deliveries);

  Json producers_json = Json::array();
  for (const auto& [org_id, amount] : producers) {
    int64_t kept = 0;
    if (auto d = contracts.deductions.find(org_id); d != contracts.deductions.end())
      kept = d->second;
    AGORA_ASSERT(kept >= 0 && kept <= amount);
    if (amount - kept > 0) {
      pay("producer:" + std::to_string(org_id), operating(org_id), amount - kept, "market_producer",
          "producer's part");
    }
    producers_json.push_back(
        Json{{"org_id", org_id}, {"name", repo::org_name(tx, org_id)}, {"amount", amount}});
  }
  const int64_t coord = c.coordinator_org_id;
  if (parts.transport > 0) {
    pay("transport", operating(c.transport_org_id.value_or(coord)), parts.transport,
        "market_transport", "transport");
  }
  if (parts.packing > 0) {
    pay("packing", operating(c.packing_org_id.value_or(coord)), parts.packing, "market_packing",
        "packing");
  }
  if (parts.margin > 0)
    pay("margin", operating(coord), parts.margin, "market_margin", "co-op margin");
  if (parts.fund > 0) {
    const int64_t fund =
        ledger::ensure_account(tx, now, coord, "fund", std::nullopt, c.currency, "investment");
    pay("fund", fund, parts.fund, "market_fund", "fund contribution");
  }
  if (parts.tax > 0) pay("tax", operating(coord), parts.tax, "market_tax", "tax");
  if (group_point_fees[0] > 0) {
    pay("points", operating(coord), group_point_fees[0], "market_point_fee", "distribution fees");
  }
  Json linked = Json::array();
  for (size_t g = 0; g < locals.size(); ++g) {
    const repo::CycleRow& l = locals[g];
    const int64_t fee = group_point_fees[g + 1];
    if (fee > 0) {
      pay("points:" + std::to_string(l.id), operating(l.coordinator_org_id), fee,
          "market_point_fee", "distribution fees of local cycle " + std::to_string(l.id));
    }
    linked.push_back(Json{
        {"cycle_id", l.id}, {"coordinator_org_id", l.coordinator_org_id}, {"point_fees", fee}});
  }

  const size_t first_move = transfers.size();
  for (size_t m = 0; m < contracts.moves.size(); ++m) {
    const ContractMove& mv = contracts.moves[m];
    transfers.push_back(ledger::BulkTransfer{
        .key = key_of(c.id, "contract:" + std::to_string(mv.contract_id) + ":" + mv.kind + ":" +
                                std::to_string(mv.variant_id)),
        .debit_account_id = mv.debit_account_id,
        .credit_account_id = mv.credit_account_id,
        .amount = mv.amount,
        .code = mv.kind == "floor" ? "market_floor" : "market_repayment",
        .memo = "market cycle " + std::to_string(c.id) + ": contract " +
                std::to_string(mv.contract_id) + " " + mv.kind});
  }

  const ledger::BulkResult res =
      apply_naming_orders(tx, now, created_by, posts, post_orders, transfers, charge_orders);
  AGORA_ASSERT(res.post_ids.size() == posts.size() && res.transfer_ids.size() == transfers.size());
  record_contracts(tx, now, c, contracts,
                   std::span<const int64_t>(res.transfer_ids).subspan(first_move));

  repo::insert_allocations(tx, c.id, a.exceptions);
  std::vector<repo::SettledOrder> settled;
  settled.reserve(a.orders.size());
  std::vector<repo::SpendRow> spends;
  spends.reserve(a.orders.size());
  for (size_t i = 0; i < a.orders.size(); ++i) {
    std::optional<int64_t> settle_id;
    if (via[i].first == Via::post) settle_id = res.post_ids[via[i].second];
    if (via[i].first == Via::transfer) settle_id = res.transfer_ids[via[i].second];
    settled.push_back(repo::SettledOrder{
        .id = a.orders[i].id, .total = totals[i], .settle_transfer_id = settle_id});
    if (totals[i] > 0) {
      spends.push_back(repo::SpendRow{
          .org_id = a.orders[i].org_id, .person_id = a.orders[i].person_id, .amount = totals[i]});
    }
  }
  repo::mark_orders_settled(tx, settled, now);
  repo::insert_member_spends(tx, spends, now, kSpendSource);
  if (!repo::mark_cycle_settled(tx, c.id, now, res.batch_id)) {
    throw Error(Code::invalid_state, "the order cycle is no longer closed");
  }
  for (const auto& l : locals) {
    if (!repo::mark_cycle_settled(tx, l.id, now, res.batch_id)) {
      throw Error(Code::invalid_state,
                  "local cycle " + std::to_string(l.id) + " is no longer closed");
    }
  }
  auto after = load_cycle(tx, c.id);
  AGORA_ASSERT(after.state == "settled");
  return Json{{"cycle", cycle_json(tx, after)},
              {"orders", static_cast<int64_t>(a.orders.size())},
              {"total", total},
              {"producers", std::move(producers_json)},
              {"fees", parts.to_json()},
              {"point_fees", point_fees},
              {"linked", std::move(linked)},
              {"transfers", static_cast<int64_t>(posts.size() + transfers.size())}};
}

}  // namespace

// ---- purchase orders

Json list_purchase_orders(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  auto pos = repo::cycle_purchase_orders(tx, c.id, std::nullopt);
  if (is_cycle_coordinator_or_auditor(tx, ctx.actor, c))
    return pos_json(tx, c.id, pos, std::nullopt);
  // A producer's coordinator sees only its own purchase order.
  std::vector<repo::PurchaseOrderRow> own;
  for (auto& po : pos) {
    if (has_role(tx, ctx.actor, po.producer_org_id, {Role::coordinator}))
      own.push_back(std::move(po));
  }
  if (own.empty()) deny(ctx.actor, "see this cycle's purchase orders");
  if (own.size() == 1) return pos_json(tx, c.id, own, own[0].producer_org_id);
  return pos_json(tx, c.id, own, std::nullopt);
}

Json confirm_purchase_order(store::Tx& tx, const Ctx& ctx, int64_t po_id,
                            const std::vector<ConfirmLine>& lines, const std::string& note) {
  auto po = repo::find_purchase_order(tx, po_id);
  if (!po) throw Error(Code::not_found, "purchase order " + std::to_string(po_id) + " not found");
  if (!has_role(tx, ctx.actor, po->producer_org_id, {Role::coordinator})) {
    deny(ctx.actor, "confirm this producer's purchase order");
  }
  auto c = load_cycle(tx, po->cycle_id);
  require_state(c, {"closed"}, "closed");
  if (po->state != "sent")
    throw Error(Code::invalid_state, "the purchase order is already confirmed");
  check_len(note, 0, kMaxTextBytes, "/note");
  if (static_cast<int64_t>(lines.size()) > kMaxOffers) {
    throw Error(Code::out_of_range, "at most 50000 lines", "/lines");
  }
  auto current = repo::cycle_po_lines(tx, c.id, po->producer_org_id);
  std::unordered_map<int64_t, int64_t> ordered;  // offer -> units
  for (const auto& l : current) ordered.emplace(l.offer_id, l.units);
  std::unordered_set<int64_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "/lines/" + std::to_string(i);
    auto it = ordered.find(lines[i].offer_id);
    if (it == ordered.end()) {
      throw Error(Code::invalid_value,
                  "offer " + std::to_string(lines[i].offer_id) + " is not in this purchase order",
                  at + "/offer_id");
    }
    if (!seen.insert(lines[i].offer_id).second) {
      throw Error(Code::invalid_value,
                  "offer " + std::to_string(lines[i].offer_id) + " is given twice",
                  at + "/offer_id");
    }
    if (lines[i].units < 0 || lines[i].units > it->second) {
      throw Error(Code::out_of_range,
                  "confirmed units are 0 to the " + std::to_string(it->second) + " ordered",
                  at + "/units");
    }
  }
  for (const auto& l : lines) repo::set_confirmed_units(tx, po->id, l.offer_id, l.units);
  repo::confirm_remaining_units(tx, po->id);
  std::optional<int64_t> person =
      ctx.actor.person_id ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
  if (!repo::confirm_purchase_order(tx, po->id, ctx.now, person, note)) {
    throw Error(Code::invalid_state, "the purchase order is already confirmed");
  }
  auto done = repo::find_purchase_order(tx, po->id);
  AGORA_ASSERT(done && done->state == "confirmed");
  return po_json(*done, repo::cycle_po_lines(tx, c.id, po->producer_org_id));
}

Json record_received(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                     const std::vector<ReceiveLine>& lines, bool all_as_confirmed) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  refuse_local(c);
  require_state(c, {"closed"}, "closed");
  if (static_cast<int64_t>(lines.size()) > kMaxOffers) {
    throw Error(Code::out_of_range, "at most 50000 lines", "/lines");
  }
  std::unordered_set<int64_t> offers;
  for (const auto& l : repo::cycle_po_lines(tx, c.id, std::nullopt)) offers.insert(l.offer_id);
  std::unordered_set<int64_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string at = "/lines/" + std::to_string(i);
    if (!offers.contains(lines[i].offer_id)) {
      throw Error(
          Code::invalid_value,
          "offer " + std::to_string(lines[i].offer_id) + " is in no purchase order of this cycle",
          at + "/offer_id");
    }
    if (!seen.insert(lines[i].offer_id).second) {
      throw Error(Code::invalid_value,
                  "offer " + std::to_string(lines[i].offer_id) + " is given twice",
                  at + "/offer_id");
    }
    if (lines[i].units < 0 || lines[i].units > kMaxReceivedUnits) {
      throw Error(Code::out_of_range, "received units are 0 to 10^9", at + "/units");
    }
  }
  if (all_as_confirmed) repo::receive_all_as_confirmed(tx, c.id, ctx.now);
  for (const auto& l : lines) {
    bool ok = repo::set_received_units(tx, c.id, l.offer_id, l.units, ctx.now);
    AGORA_ASSERT(ok);
  }
  return pos_json(tx, c.id, repo::cycle_purchase_orders(tx, c.id, std::nullopt), std::nullopt);
}

Json preview_allocation(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator_or_auditor(tx, ctx.actor, c);
  refuse_local(c);
  require_state(c, {"closed"}, "closed");
  CycleAllocation a = allocate_cycle(tx, c);
  std::unordered_map<int64_t, const OfferResult*> by_offer;
  for (const auto& r : a.results) by_offer.emplace(r.offer_id, &r);
  Json offers = Json::array();
  for (const auto& l : repo::cycle_po_lines(tx, c.id, std::nullopt)) {
    auto it = by_offer.find(l.offer_id);
    AGORA_ASSERT(it != by_offer.end());
    const OfferResult& r = *it->second;
    Json o{{"offer_id", l.offer_id},
           {"product_name", l.product_name},
           {"variant_name", l.variant_name},
           {"demand", r.demand},
           {"tolerance", r.tolerance}};
    if (r.known) {
      o["received"] = r.received;
      o["allocated"] = r.allocated;
      o["unallocated"] = r.received - r.allocated;
      o["short"] = r.received < r.demand;
    } else {
      o["received"] = nullptr;
      o["allocated"] = nullptr;
      o["unallocated"] = nullptr;
      o["short"] = false;
    }
    offers.push_back(std::move(o));
  }
  int64_t changed = 0;
  for (uint8_t x : a.changed) changed += x;
  return Json{{"offers", std::move(offers)}, {"orders_changed", changed}};
}

Json settle_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator(tx, ctx.actor, c);
  return settle(tx, ctx.now, ctx.actor.account_id, c);
}

Json settle_cycle_now(store::Tx& tx, Timestamp now, int64_t cycle_id) {
  return settle(tx, now, 0, load_cycle(tx, cycle_id));
}

}  // namespace agora::app::market
