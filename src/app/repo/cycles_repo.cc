#include "app/repo/cycles_repo.h"

#include <utility>

#include "app/repo/values.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using store::Value;
using namespace values;

// ---- cycles

constexpr const char* kCycleCols =
    "c.id, c.coordinator_org_id, c.name, c.currency, c.opens_at, c.closes_at, c.state, "
    "c.share_rule, c.transport_bps, c.transport_per_unit, c.packing_bps, c.packing_per_unit, "
    "c.margin_bps, c.fund_bps, c.tax_bps, c.transport_org_id, c.packing_org_id, "
    "c.created_by_person, c.created_at, c.opened_at, c.closed_at, c.settled_at, c.batch_id, "
    "c.hub_cycle_id ";

CycleRow cycle_of(const Row& r) {
  return CycleRow{.id = r.i64(0),
                  .coordinator_org_id = r.i64(1),
                  .name = r.str(2),
                  .currency = r.str(3),
                  .opens_at = Timestamp{r.i64(4)},
                  .closes_at = Timestamp{r.i64(5)},
                  .state = r.str(6),
                  .share_rule = r.str(7),
                  .fees = {.transport_bps = r.i64(8),
                           .transport_per_unit = r.i64(9),
                           .packing_bps = r.i64(10),
                           .packing_per_unit = r.i64(11),
                           .margin_bps = r.i64(12),
                           .fund_bps = r.i64(13),
                           .tax_bps = r.i64(14)},
                  .transport_org_id = r.opt_i64(15),
                  .packing_org_id = r.opt_i64(16),
                  .created_by_person = r.opt_i64(17),
                  .created_at = Timestamp{r.i64(18)},
                  .opened_at = opt_ts(r, 19),
                  .closed_at = opt_ts(r, 20),
                  .settled_at = opt_ts(r, 21),
                  .batch_id = r.opt_i64(22),
                  .hub_cycle_id = r.opt_i64(23)};
}

std::vector<CycleRow> cycles_of(const store::Rows& rows) {
  std::vector<CycleRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(cycle_of(r));
  return out;
}

int64_t before_or_max(int64_t before) { return before > 0 ? before : INT64_MAX; }

// ---- offers

constexpr const char* kOfferCols =
    "o.id, o.cycle_id, o.variant_id, o.product_id, o.producer_org_id, o.case_size, o.max_units, "
    "o.price, o.producer_part, o.transport, o.packing, o.margin, o.fund, o.tax, o.list_price, "
    "o.tier_min_units ";
constexpr size_t kOfferColCount = 16;

OfferRow offer_of(const Row& r) {
  return OfferRow{.id = r.i64(0),
                  .cycle_id = r.i64(1),
                  .variant_id = r.i64(2),
                  .product_id = r.i64(3),
                  .producer_org_id = r.i64(4),
                  .case_size = r.i64(5),
                  .max_units = r.opt_i64(6),
                  .price = r.i64(7),
                  .breakdown = {.producer = r.i64(8),
                                .transport = r.i64(9),
                                .packing = r.i64(10),
                                .margin = r.i64(11),
                                .fund = r.i64(12),
                                .tax = r.i64(13)},
                  .list_price = r.opt_i64(14),
                  .tier_min_units = r.opt_i64(15)};
}

// ---- points

PointRow point_of(const Row& r) {
  return PointRow{.id = r.i64(0),
                  .cycle_id = r.i64(1),
                  .name = r.str(2),
                  .kind = r.str(3),
                  .address = r.str(4),
                  .fee = r.i64(5)};
}

// ---- orders

constexpr const char* kOrderCols =
    "r.id, r.cycle_id, r.org_id, r.person_id, r.account_id, r.point_id, r.state, "
    "r.hold_transfer_id, r.hold_amount, r.placed_at, r.total, r.settle_transfer_id, "
    "r.created_at, r.updated_at ";
constexpr size_t kOrderColCount = 14;

OrderRow order_of(const Row& r) {
  return OrderRow{.id = r.i64(0),
                  .cycle_id = r.i64(1),
                  .org_id = r.i64(2),
                  .person_id = r.i64(3),
                  .account_id = r.opt_i64(4),
                  .point_id = r.opt_i64(5),
                  .state = r.str(6),
                  .hold_transfer_id = r.opt_i64(7),
                  .hold_amount = r.i64(8),
                  .placed_at = opt_ts(r, 9),
                  .total = r.opt_i64(10),
                  .settle_transfer_id = r.opt_i64(11),
                  .created_at = Timestamp{r.i64(12)},
                  .updated_at = Timestamp{r.i64(13)}};
}

std::vector<OrderSummary> summaries_of(const store::Rows& rows) {
  std::vector<OrderSummary> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(OrderSummary{.order = order_of(r),
                               .person_name = r.str(kOrderColCount),
                               .subtotal = r.i64(kOrderColCount + 1),
                               .fee = r.i64(kOrderColCount + 2),
                               .lines = r.i64(kOrderColCount + 3)});
  }
  return out;
}

LineRow line_of(const Row& r) {
  return LineRow{.id = r.i64(0),
                 .order_id = r.i64(1),
                 .cycle_id = r.i64(2),
                 .offer_id = r.i64(3),
                 .quantity = r.i64(4),
                 .tolerance = r.i64(5),
                 .ordered_at = Timestamp{r.i64(6)}};
}

}  // namespace

// ---- cycles

std::optional<CycleRow> find_cycle(store::Tx& tx, int64_t id) {
  auto rows =
      tx.query(std::string("SELECT ") + kCycleCols + "FROM market_cycles c WHERE c.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return cycle_of(rows.rows[0]);
}

int64_t insert_cycle(store::Tx& tx, const CycleRow& c) {
  return tx.insert(
      "INSERT INTO market_cycles (coordinator_org_id, name, currency, opens_at, closes_at, state, "
      "share_rule, transport_bps, transport_per_unit, packing_bps, packing_per_unit, margin_bps, "
      "fund_bps, tax_bps, transport_org_id, packing_org_id, created_by_person, created_at, "
      "hub_cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
      "$16, $17, $18, $19)",
      {c.coordinator_org_id, s(c.name), s(c.currency), c.opens_at.us, c.closes_at.us, s(c.state),
       s(c.share_rule), c.fees.transport_bps, c.fees.transport_per_unit, c.fees.packing_bps,
       c.fees.packing_per_unit, c.fees.margin_bps, c.fees.fund_bps, c.fees.tax_bps,
       opt(c.transport_org_id), opt(c.packing_org_id), opt(c.created_by_person), c.created_at.us,
       opt(c.hub_cycle_id)});
}

void update_cycle(store::Tx& tx, const CycleRow& c) {
  int64_t n = tx.exec(
      "UPDATE market_cycles SET name = $2, currency = $3, opens_at = $4, closes_at = $5, "
      "state = $6, share_rule = $7, transport_bps = $8, transport_per_unit = $9, "
      "packing_bps = $10, packing_per_unit = $11, margin_bps = $12, fund_bps = $13, "
      "tax_bps = $14, transport_org_id = $15, packing_org_id = $16, opened_at = $17, "
      "closed_at = $18, settled_at = $19, batch_id = $20 WHERE id = $1",
      {c.id,
       s(c.name),
       s(c.currency),
       c.opens_at.us,
       c.closes_at.us,
       s(c.state),
       s(c.share_rule),
       c.fees.transport_bps,
       c.fees.transport_per_unit,
       c.fees.packing_bps,
       c.fees.packing_per_unit,
       c.fees.margin_bps,
       c.fees.fund_bps,
       c.fees.tax_bps,
       opt(c.transport_org_id),
       opt(c.packing_org_id),
       opt(c.opened_at),
       opt(c.closed_at),
       opt(c.settled_at),
       opt(c.batch_id)});
  AGORA_ASSERT(n == 1);
}

std::vector<CycleRow> cycles_of_coordinator(store::Tx& tx, int64_t org_id,
                                            const std::optional<std::string>& state, int64_t before,
                                            int64_t limit) {
  if (state) {
    return cycles_of(tx.query(std::string("SELECT ") + kCycleCols +
                                  "FROM market_cycles c WHERE c.coordinator_org_id = $1 AND "
                                  "c.state = $2 AND c.id < $3 ORDER BY c.id DESC LIMIT $4",
                              {org_id, s(*state), before_or_max(before), limit}));
  }
  return cycles_of(tx.query(std::string("SELECT ") + kCycleCols +
                                "FROM market_cycles c WHERE c.coordinator_org_id = $1 AND "
                                "c.id < $2 ORDER BY c.id DESC LIMIT $3",
                            {org_id, before_or_max(before), limit}));
}

// The co-op k.org_id orders in the cycle k.cycle_id directly: it has no
// live local cycle of it (a local cycle sells the hub's offers to its co-op).
constexpr const char* kNoLocalCycle =
    "NOT EXISTS (SELECT 1 FROM market_cycles l JOIN market_cycle_coops lk ON lk.cycle_id = l.id "
    "WHERE l.hub_cycle_id = k.cycle_id AND lk.org_id = k.org_id AND l.state NOT IN ('draft', "
    "'cancelled')) ";

std::vector<CycleRow> cycles_for_person(store::Tx& tx, int64_t person_id,
                                        const std::optional<std::string>& state, int64_t before,
                                        int64_t limit) {
  // EXISTS keeps a cycle serving two of the person's co-ops to one row. A
  // hub's cycle does not serve a co-op that has its own local cycle of it.
  const std::string kMine =
      std::string(
          "FROM market_cycles c WHERE c.id < $2 AND c.state <> 'draft' AND EXISTS (SELECT 1 FROM "
          "market_cycle_coops k JOIN memberships m ON m.org_id = k.org_id WHERE k.cycle_id = c.id "
          "AND m.person_id = $1 AND m.status = 'active' AND ") +
      kNoLocalCycle + ") ";
  if (state) {
    return cycles_of(tx.query(std::string("SELECT ") + kCycleCols + kMine +
                                  "AND c.state = $4 ORDER BY c.id DESC LIMIT $3",
                              {person_id, before_or_max(before), limit, s(*state)}));
  }
  return cycles_of(
      tx.query(std::string("SELECT ") + kCycleCols + kMine + "ORDER BY c.id DESC LIMIT $3",
               {person_id, before_or_max(before), limit}));
}

std::vector<int64_t> cycles_due_to_open(store::Tx& tx, Timestamp now, int64_t limit) {
  auto rows = tx.query(
      "SELECT id FROM market_cycles WHERE state = 'scheduled' AND opens_at <= $1 "
      "ORDER BY opens_at, id LIMIT $2",
      {now.us, limit});
  std::vector<int64_t> out;
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

std::vector<int64_t> cycles_due_to_close(store::Tx& tx, Timestamp now, int64_t limit) {
  auto rows = tx.query(
      "SELECT id FROM market_cycles WHERE state = 'open' AND closes_at <= $1 "
      "ORDER BY closes_at, id LIMIT $2",
      {now.us, limit});
  std::vector<int64_t> out;
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

std::vector<CycleRow> local_cycles(store::Tx& tx, int64_t hub_cycle_id) {
  return cycles_of(tx.query(std::string("SELECT ") + kCycleCols +
                                "FROM market_cycles c WHERE c.hub_cycle_id = $1 ORDER BY c.id",
                            {hub_cycle_id}));
}

bool cycle_serves(store::Tx& tx, int64_t cycle_id, int64_t org_id) {
  return !tx.query("SELECT 1 FROM market_cycle_coops WHERE cycle_id = $1 AND org_id = $2",
                   {cycle_id, org_id})
              .empty();
}

std::vector<CoopRef> cycle_coops(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(
      "SELECT k.org_id, g.name FROM market_cycle_coops k JOIN orgs g ON g.id = k.org_id "
      "WHERE k.cycle_id = $1 ORDER BY k.org_id",
      {cycle_id});
  std::vector<CoopRef> out;
  for (const auto& r : rows.rows) out.push_back(CoopRef{.org_id = r.i64(0), .name = r.str(1)});
  return out;
}

void set_cycle_coops(store::Tx& tx, int64_t cycle_id, const std::vector<int64_t>& org_ids) {
  tx.exec("DELETE FROM market_cycle_coops WHERE cycle_id = $1", {cycle_id});
  for (int64_t org : org_ids) {
    tx.exec("INSERT INTO market_cycle_coops (cycle_id, org_id) VALUES ($1, $2)", {cycle_id, org});
  }
}

std::string org_name(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query("SELECT name FROM orgs WHERE id = $1", {org_id});
  return rows.empty() ? std::string() : rows.rows[0].str(0);
}

std::optional<int64_t> member_coop(store::Tx& tx, int64_t cycle_id, int64_t person_id) {
  auto rows = tx.query(
      std::string("SELECT k.org_id FROM market_cycle_coops k JOIN memberships m ON m.org_id = "
                  "k.org_id WHERE k.cycle_id = $1 AND m.person_id = $2 AND m.status = 'active' "
                  "AND ") +
          kNoLocalCycle + "ORDER BY k.org_id LIMIT 1",
      {cycle_id, person_id});
  if (rows.empty()) return std::nullopt;
  return rows.rows[0].i64(0);
}

std::optional<int64_t> local_cycle_of_member(store::Tx& tx, int64_t hub_cycle_id,
                                             int64_t person_id) {
  auto rows = tx.query(
      "SELECT l.id FROM market_cycles l JOIN market_cycle_coops lk ON lk.cycle_id = l.id "
      "JOIN memberships m ON m.org_id = lk.org_id WHERE l.hub_cycle_id = $1 AND "
      "l.state NOT IN ('draft', 'cancelled') AND m.person_id = $2 AND m.status = 'active' "
      "ORDER BY l.id LIMIT 1",
      {hub_cycle_id, person_id});
  if (rows.empty()) return std::nullopt;
  return rows.rows[0].i64(0);
}

CycleCounts cycle_counts(store::Tx& tx, int64_t cycle_id) {
  const auto& r = tx.query(
                        "SELECT (SELECT COUNT(*) FROM market_offers WHERE cycle_id = $1), "
                        "(SELECT COUNT(DISTINCT producer_org_id) FROM market_offers WHERE "
                        "cycle_id = $1), "
                        "(SELECT COUNT(*) FROM market_orders WHERE cycle_id = $1 AND state IN "
                        "('placed', 'settled'))",
                        {cycle_id})
                      .one();
  return CycleCounts{.offers = r.i64(0), .producers = r.i64(1), .orders = r.i64(2)};
}

// ---- offers

std::optional<OfferRow> find_offer(store::Tx& tx, int64_t id) {
  auto rows =
      tx.query(std::string("SELECT ") + kOfferCols + "FROM market_offers o WHERE o.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return offer_of(rows.rows[0]);
}

std::vector<OfferRow> cycle_offers(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(std::string("SELECT ") + kOfferCols +
                           "FROM market_offers o WHERE o.cycle_id = $1 ORDER BY o.id",
                       {cycle_id});
  std::vector<OfferRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(offer_of(r));
  return out;
}

std::optional<OfferView> find_offer_view(store::Tx& tx, int64_t id, Timestamp now) {
  auto rows = tx.query(
      std::string("SELECT ") + kOfferCols +
          ", g.name, p.name, v.name, v.unit_code, v.net_milli, p.category, "
          "(SELECT COUNT(*) FROM market_seals z WHERE z.product_id = p.id AND z.withdrawn_at IS "
          "NULL AND (z.expires_at IS NULL OR z.expires_at > $2)) "
          "FROM market_offers o JOIN market_variants v ON v.id = o.variant_id "
          "JOIN market_products p ON p.id = o.product_id JOIN orgs g ON g.id = o.producer_org_id "
          "WHERE o.id = $1",
      {id, now.us});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  constexpr size_t k = kOfferColCount;
  return OfferView{.offer = offer_of(r),
                   .producer_name = r.str(k),
                   .product_name = r.str(k + 1),
                   .variant_name = r.str(k + 2),
                   .unit_code = r.str(k + 3),
                   .net_milli = r.i64(k + 4),
                   .category = r.str(k + 5),
                   .sealed = r.i64(k + 6) > 0};
}

int64_t upsert_offer(store::Tx& tx, const OfferRow& o) {
  auto rows = tx.query("SELECT id FROM market_offers WHERE cycle_id = $1 AND variant_id = $2",
                       {o.cycle_id, o.variant_id});
  const auto& b = o.breakdown;
  if (!rows.empty()) {
    int64_t id = rows.rows[0].i64(0);
    tx.exec(
        "UPDATE market_offers SET case_size = $2, max_units = $3, price = $4, producer_part = $5, "
        "transport = $6, packing = $7, margin = $8, fund = $9, tax = $10 WHERE id = $1",
        {id, o.case_size, opt(o.max_units), o.price, b.producer, b.transport, b.packing, b.margin,
         b.fund, b.tax});
    return id;
  }
  return tx.insert(
      "INSERT INTO market_offers (cycle_id, variant_id, product_id, producer_org_id, case_size, "
      "max_units, price, producer_part, transport, packing, margin, fund, tax) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {o.cycle_id, o.variant_id, o.product_id, o.producer_org_id, o.case_size, opt(o.max_units),
       o.price, b.producer, b.transport, b.packing, b.margin, b.fund, b.tax});
}

void update_offer_price(store::Tx& tx, const OfferRow& o) {
  const auto& b = o.breakdown;
  tx.exec(
      "UPDATE market_offers SET price = $2, producer_part = $3, transport = $4, packing = $5, "
      "margin = $6, fund = $7, tax = $8, list_price = $9, tier_min_units = $10 WHERE id = $1",
      {o.id, o.price, b.producer, b.transport, b.packing, b.margin, b.fund, b.tax,
       opt(o.list_price), opt(o.tier_min_units)});
}

void delete_offer(store::Tx& tx, int64_t id) {
  tx.exec("DELETE FROM market_offer_tiers WHERE offer_id = $1", {id});
  tx.exec("DELETE FROM market_offers WHERE id = $1", {id});
}

namespace {
std::vector<TierRow> tiers_of(const store::Rows& rows) {
  std::vector<TierRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    TierRow t{.offer_id = r.i64(0), .min_units = r.i64(1), .producer_price = r.i64(2)};
    AGORA_ASSERT(t.min_units > 1 && t.producer_price > 0);
    out.push_back(t);
  }
  return out;
}
}  // namespace

void set_offer_tiers(store::Tx& tx, int64_t offer_id, const std::vector<TierRow>& tiers) {
  tx.exec("DELETE FROM market_offer_tiers WHERE offer_id = $1", {offer_id});
  for (const auto& t : tiers) {
    tx.exec(
        "INSERT INTO market_offer_tiers (offer_id, min_units, producer_price) VALUES ($1, $2, $3)",
        {offer_id, t.min_units, t.producer_price});
  }
}

std::vector<TierRow> offer_tiers(store::Tx& tx, int64_t offer_id) {
  return tiers_of(tx.query(
      "SELECT offer_id, min_units, producer_price FROM market_offer_tiers WHERE offer_id = $1 "
      "ORDER BY min_units",
      {offer_id}));
}

std::vector<TierRow> cycle_tiers(store::Tx& tx, int64_t cycle_id) {
  return tiers_of(
      tx.query("SELECT t.offer_id, t.min_units, t.producer_price FROM market_offer_tiers t JOIN "
               "market_offers o ON o.id = t.offer_id WHERE o.cycle_id = $1 ORDER BY t.offer_id, "
               "t.min_units",
               {cycle_id}));
}

std::vector<OfferRow> tiered_offers(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(std::string("SELECT ") + kOfferCols +
                           "FROM market_offers o WHERE o.cycle_id = $1 AND (o.list_price IS NOT "
                           "NULL OR o.tier_min_units IS NOT NULL) ORDER BY o.id",
                       {cycle_id});
  std::vector<OfferRow> out;
  for (const auto& r : rows.rows) out.push_back(offer_of(r));
  return out;
}

bool offer_has_lines(store::Tx& tx, int64_t offer_id) {
  return !tx.query("SELECT 1 FROM market_order_lines WHERE offer_id = $1 LIMIT 1", {offer_id})
              .empty();
}

int64_t offer_units_ordered(store::Tx& tx, int64_t offer_id, int64_t except_order_id) {
  const auto& r = tx.query(
                        "SELECT COALESCE(SUM(l.quantity), 0) FROM market_order_lines l JOIN "
                        "market_orders r ON r.id = l.order_id WHERE l.offer_id = $1 AND "
                        "l.order_id <> $2 AND r.state IN ('cart', 'placed')",
                        {offer_id, except_order_id})
                      .one();
  return r.i64(0);
}

std::optional<VariantRef> find_variant_ref(store::Tx& tx, int64_t variant_id) {
  auto rows = tx.query(
      "SELECT v.id, v.product_id, p.producer_org_id, p.currency, v.case_size, v.producer_part, "
      "v.active, p.active FROM market_variants v JOIN market_products p ON p.id = v.product_id "
      "WHERE v.id = $1",
      {variant_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  return VariantRef{.id = r.i64(0),
                    .product_id = r.i64(1),
                    .producer_org_id = r.i64(2),
                    .currency = r.str(3),
                    .case_size = r.i64(4),
                    .producer_part = r.i64(5),
                    .active = r.boolean(6) && r.boolean(7)};
}

// ---- points

std::optional<PointRow> find_point(store::Tx& tx, int64_t id) {
  auto rows = tx.query(
      "SELECT id, cycle_id, name, kind, address, fee FROM market_points WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return point_of(rows.rows[0]);
}

std::vector<PointRow> cycle_points(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(
      "SELECT id, cycle_id, name, kind, address, fee FROM market_points WHERE cycle_id = $1 "
      "ORDER BY id",
      {cycle_id});
  std::vector<PointRow> out;
  for (const auto& r : rows.rows) out.push_back(point_of(r));
  return out;
}

int64_t insert_point(store::Tx& tx, const PointRow& p) {
  return tx.insert(
      "INSERT INTO market_points (cycle_id, name, kind, address, fee) VALUES ($1, $2, $3, $4, $5)",
      {p.cycle_id, s(p.name), s(p.kind), s(p.address), p.fee});
}

void delete_point(store::Tx& tx, int64_t id) {
  tx.exec("DELETE FROM market_points WHERE id = $1", {id});
}

bool point_in_use(store::Tx& tx, int64_t point_id) {
  return !tx.query("SELECT 1 FROM market_orders WHERE point_id = $1 LIMIT 1", {point_id}).empty();
}

// ---- orders

std::optional<OrderRow> find_order(store::Tx& tx, int64_t id) {
  auto rows =
      tx.query(std::string("SELECT ") + kOrderCols + "FROM market_orders r WHERE r.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return order_of(rows.rows[0]);
}

std::optional<OrderRow> find_order_of(store::Tx& tx, int64_t cycle_id, int64_t person_id) {
  auto rows = tx.query(std::string("SELECT ") + kOrderCols +
                           "FROM market_orders r WHERE r.cycle_id = $1 AND r.person_id = $2",
                       {cycle_id, person_id});
  if (rows.empty()) return std::nullopt;
  return order_of(rows.rows[0]);
}

int64_t insert_order(store::Tx& tx, const OrderRow& o) {
  return tx.insert(
      "INSERT INTO market_orders (cycle_id, org_id, person_id, account_id, point_id, state, "
      "hold_transfer_id, hold_amount, placed_at, total, settle_transfer_id, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {o.cycle_id, o.org_id, o.person_id, opt(o.account_id), opt(o.point_id), s(o.state),
       opt(o.hold_transfer_id), o.hold_amount, opt(o.placed_at), opt(o.total),
       opt(o.settle_transfer_id), o.created_at.us, o.updated_at.us});
}

void update_order(store::Tx& tx, const OrderRow& o) {
  int64_t n = tx.exec(
      "UPDATE market_orders SET org_id = $2, account_id = $3, point_id = $4, state = $5, "
      "hold_transfer_id = $6, hold_amount = $7, placed_at = $8, total = $9, "
      "settle_transfer_id = $10, updated_at = $11 WHERE id = $1",
      {o.id, o.org_id, opt(o.account_id), opt(o.point_id), s(o.state), opt(o.hold_transfer_id),
       o.hold_amount, opt(o.placed_at), opt(o.total), opt(o.settle_transfer_id), o.updated_at.us});
  AGORA_ASSERT(n == 1);
}

std::vector<OrderRow> orders_in_state(store::Tx& tx, int64_t cycle_id, const std::string& state) {
  auto rows = tx.query(std::string("SELECT ") + kOrderCols +
                           "FROM market_orders r WHERE r.cycle_id = $1 AND r.state = $2 "
                           "ORDER BY r.id",
                       {cycle_id, s(state)});
  std::vector<OrderRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(order_of(r));
  return out;
}

int64_t cancel_carts(store::Tx& tx, int64_t cycle_id, Timestamp now) {
  return tx.exec(
      "UPDATE market_orders SET state = 'cancelled', updated_at = $2 WHERE cycle_id = $1 AND "
      "state = 'cart'",
      {cycle_id, now.us});
}

namespace {
// The member's name and the order's subtotal and line count, per order.
constexpr const char* kSummaryTail =
    ", p.given_name || ' ' || p.family_name, "
    "(SELECT COALESCE(SUM(l.quantity * o.price), 0) FROM market_order_lines l JOIN "
    "market_offers o ON o.id = l.offer_id WHERE l.order_id = r.id), "
    "COALESCE((SELECT t.fee FROM market_points t WHERE t.id = r.point_id), 0), "
    "(SELECT COUNT(*) FROM market_order_lines l WHERE l.order_id = r.id) "
    "FROM market_orders r JOIN persons p ON p.id = r.person_id ";
}  // namespace

std::vector<OrderSummary> cycle_orders(store::Tx& tx, int64_t cycle_id, int64_t after,
                                       int64_t limit) {
  return summaries_of(tx.query(std::string("SELECT ") + kOrderCols + kSummaryTail +
                                   "WHERE r.cycle_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3",
                               {cycle_id, after, limit}));
}

std::vector<OrderSummary> person_orders(store::Tx& tx, int64_t person_id, int64_t before,
                                        int64_t limit) {
  return summaries_of(tx.query(std::string("SELECT ") + kOrderCols + kSummaryTail +
                                   "WHERE r.person_id = $1 AND r.id < $2 ORDER BY r.id DESC "
                                   "LIMIT $3",
                               {person_id, before_or_max(before), limit}));
}

std::vector<LineRow> order_lines(store::Tx& tx, int64_t order_id) {
  auto rows = tx.query(
      "SELECT id, order_id, cycle_id, offer_id, quantity, tolerance, ordered_at FROM "
      "market_order_lines WHERE order_id = $1 ORDER BY id",
      {order_id});
  std::vector<LineRow> out;
  for (const auto& r : rows.rows) out.push_back(line_of(r));
  return out;
}

std::vector<LineView> order_line_views(store::Tx& tx, int64_t order_id) {
  auto rows = tx.query(
      "SELECT l.id, l.order_id, l.cycle_id, l.offer_id, l.quantity, l.tolerance, l.ordered_at, "
      "p.name, v.name, o.producer_org_id, g.name, o.price, a.allocated, o.list_price "
      "FROM market_order_lines l JOIN market_offers o ON o.id = l.offer_id "
      "JOIN market_variants v ON v.id = o.variant_id JOIN market_products p ON p.id = "
      "o.product_id JOIN orgs g ON g.id = o.producer_org_id "
      "LEFT JOIN market_allocations a ON a.line_id = l.id WHERE l.order_id = $1 ORDER BY l.id",
      {order_id});
  std::vector<LineView> out;
  for (const auto& r : rows.rows) {
    out.push_back(LineView{.line = line_of(r),
                           .product_name = r.str(7),
                           .variant_name = r.str(8),
                           .producer_org_id = r.i64(9),
                           .producer_name = r.str(10),
                           .price = r.i64(11),
                           .allocated = r.opt_i64(12),
                           .list_price = r.opt_i64(13)});
  }
  return out;
}

int64_t insert_line(store::Tx& tx, const LineRow& l) {
  return tx.insert(
      "INSERT INTO market_order_lines (order_id, cycle_id, offer_id, quantity, tolerance, "
      "ordered_at) VALUES ($1, $2, $3, $4, $5, $6)",
      {l.order_id, l.cycle_id, l.offer_id, l.quantity, l.tolerance, l.ordered_at.us});
}

void update_line(store::Tx& tx, const LineRow& l) {
  tx.exec(
      "UPDATE market_order_lines SET quantity = $2, tolerance = $3, ordered_at = $4 WHERE id = $1",
      {l.id, l.quantity, l.tolerance, l.ordered_at.us});
}

void delete_line(store::Tx& tx, int64_t id) {
  tx.exec("DELETE FROM market_order_lines WHERE id = $1", {id});
}

bool cycle_has_allocations(store::Tx& tx, int64_t cycle_id) {
  return !tx.query("SELECT 1 FROM market_allocations WHERE cycle_id = $1 LIMIT 1", {cycle_id})
              .empty();
}

// ---- close

void add_demand(store::Tx& tx, int64_t cycle_id, std::span<const DemandDelta> deltas) {
  for (const auto& d : deltas) {
    if (d.quantity == 0 && d.tolerance == 0) continue;
    // UPDATE first: an upsert's CHECK would judge a negative delta as the
    // row to insert.
    const int64_t n = tx.exec(
        "UPDATE market_demand SET quantity = quantity + $3, tolerance = tolerance + $4 "
        "WHERE cycle_id = $1 AND offer_id = $2",
        {cycle_id, d.offer_id, d.quantity, d.tolerance});
    if (n == 1) continue;
    AGORA_ASSERT(n == 0 && d.quantity >= 0 && d.tolerance >= 0);
    tx.exec(
        "INSERT INTO market_demand (cycle_id, offer_id, quantity, tolerance) "
        "VALUES ($1, $2, $3, $4)",
        {cycle_id, d.offer_id, d.quantity, d.tolerance});
  }
}

void clear_demand(store::Tx& tx, int64_t cycle_id) {
  tx.exec("DELETE FROM market_demand WHERE cycle_id = $1", {cycle_id});
}

std::vector<OfferDemand> cycle_demand(store::Tx& tx, int64_t cycle_id) {
  // O(offers): the running totals, not the lines. Every line has quantity
  // > 0, so an offer has lines exactly when its total quantity is > 0.
  auto rows = tx.query(
      "SELECT o.id, o.producer_org_id, o.case_size, o.max_units, d.quantity, d.tolerance "
      "FROM market_demand d JOIN market_offers o ON o.id = d.offer_id "
      "WHERE d.cycle_id = $1 AND d.quantity > 0 ORDER BY o.producer_org_id, o.id",
      {cycle_id});
  std::vector<OfferDemand> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    OfferDemand d{.offer_id = r.i64(0),
                  .producer_org_id = r.i64(1),
                  .case_size = r.i64(2),
                  .max_units = r.opt_i64(3),
                  .quantity = r.i64(4),
                  .tolerance = r.i64(5)};
    AGORA_ASSERT(d.quantity > 0 && d.tolerance >= 0 && d.case_size > 0);
    out.push_back(d);
  }
  return out;
}

std::vector<DemandMismatch> demand_mismatches(store::Tx& tx) {
  auto kept = tx.query(
      "SELECT cycle_id, offer_id, quantity, tolerance FROM market_demand "
      "WHERE quantity <> 0 OR tolerance <> 0 ORDER BY cycle_id, offer_id");
  auto lines = tx.query(
      "SELECT r.cycle_id, l.offer_id, SUM(l.quantity), SUM(l.tolerance) FROM market_orders r "
      "JOIN market_order_lines l ON l.order_id = r.id WHERE r.state IN ('placed', 'settled') "
      "GROUP BY r.cycle_id, l.offer_id ORDER BY r.cycle_id, l.offer_id");
  // A merge of the two sorted lists.
  std::vector<DemandMismatch> out;
  size_t i = 0, j = 0;
  const auto& k = kept.rows;
  const auto& l = lines.rows;
  while (i < k.size() || j < l.size()) {
    DemandMismatch m;
    const bool take_k =
        i < k.size() && (j >= l.size() || std::pair(k[i].i64(0), k[i].i64(1)) <=
                                              std::pair(l[j].i64(0), l[j].i64(1)));
    const bool take_l =
        j < l.size() && (i >= k.size() || std::pair(l[j].i64(0), l[j].i64(1)) <=
                                              std::pair(k[i].i64(0), k[i].i64(1)));
    if (take_k) {
      m.cycle_id = k[i].i64(0);
      m.offer_id = k[i].i64(1);
      m.kept_quantity = k[i].i64(2);
      m.kept_tolerance = k[i].i64(3);
      ++i;
    }
    if (take_l) {
      m.cycle_id = l[j].i64(0);
      m.offer_id = l[j].i64(1);
      m.lines_quantity = l[j].i64(2);
      m.lines_tolerance = l[j].i64(3);
      ++j;
    }
    if (m.kept_quantity != m.lines_quantity || m.kept_tolerance != m.lines_tolerance)
      out.push_back(m);
  }
  return out;
}

int64_t demand_total_count(store::Tx& tx) {
  return tx.query("SELECT COUNT(*) FROM market_demand WHERE quantity <> 0 OR tolerance <> 0")
      .one()
      .i64(0);
}

int64_t insert_purchase_order(store::Tx& tx, int64_t cycle_id, int64_t producer_org_id,
                              Timestamp now) {
  return tx.insert(
      "INSERT INTO market_purchase_orders (cycle_id, producer_org_id, state, created_at) "
      "VALUES ($1, $2, 'sent', $3)",
      {cycle_id, producer_org_id, now.us});
}

void insert_po_line(store::Tx& tx, const PoLineRow& l) {
  tx.exec(
      "INSERT INTO market_po_lines (po_id, offer_id, demand, tolerance, cases, units) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {l.po_id, l.offer_id, l.demand, l.tolerance, l.cases, l.units});
}

}  // namespace agora::app::repo
