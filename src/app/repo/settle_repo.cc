#include "app/repo/settle_repo.h"

#include <array>

#include "app/repo/values.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using namespace values;

// Multi-row statements are cut into chunks of these sizes (largest first),
// so at most nine statement shapes per kind reach the statement cache.
constexpr std::array<size_t, 9> kChunks = {256, 128, 64, 32, 16, 8, 4, 2, 1};

// Calls emit(offset, count) for consecutive chunks covering n rows.
template <typename Emit>
void in_chunks(size_t n, Emit emit) {
  size_t at = 0;
  for (size_t c : kChunks) {
    while (n - at >= c) {
      emit(at, c);
      at += c;
    }
  }
  AGORA_ASSERT(at == n);
}

// "($1, $2, $3), ($4, $5, $6)" ...: `rows` groups of `cols` placeholders,
// each wrapped as `open` ... `close` (CAST for engines that type VALUES).
std::string value_groups(size_t rows, size_t cols, bool cast) {
  std::string out;
  size_t n = 1;
  for (size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (size_t c = 0; c < cols; ++c, ++n) {
      if (c) out += ", ";
      if (cast) {
        out += "CAST($" + std::to_string(n) + " AS BIGINT)";
      } else {
        out += "$" + std::to_string(n);
      }
    }
    out += ")";
  }
  return out;
}

PurchaseOrderRow po_of(const Row& r) {
  return PurchaseOrderRow{.id = r.i64(0),
                          .cycle_id = r.i64(1),
                          .producer_org_id = r.i64(2),
                          .producer_name = r.str(3),
                          .state = r.str(4),
                          .created_at = Timestamp{r.i64(5)},
                          .confirmed_at = opt_ts(r, 6),
                          .note = r.opt_str(7)};
}

constexpr const char* kPoSelect =
    "SELECT p.id, p.cycle_id, p.producer_org_id, g.name, p.state, p.created_at, p.confirmed_at, "
    "p.note FROM market_purchase_orders p JOIN orgs g ON g.id = p.producer_org_id ";

constexpr const char* kPoLineSelect =
    "SELECT l.po_id, l.offer_id, f.producer_org_id, pr.name, v.name, v.unit_code, f.case_size, "
    "l.demand, l.tolerance, l.cases, l.units, l.confirmed_units, l.received_units, f.price, "
    "f.producer_part FROM market_po_lines l "
    "JOIN market_purchase_orders p ON p.id = l.po_id "
    "JOIN market_offers f ON f.id = l.offer_id "
    "JOIN market_variants v ON v.id = f.variant_id "
    "JOIN market_products pr ON pr.id = f.product_id ";

#define AGORA_PICK_SELECT                                                                        \
  "SELECT o.point_id, COALESCE(pt.name, ''), o.id, o.person_id, "                                \
  "TRIM(pe.given_name || ' ' || pe.family_name), o.state, l.id, l.offer_id, f.producer_org_id, " \
  "g.name, pr.name, v.name, v.unit_code, l.quantity, l.tolerance, a.allocated, f.price, "        \
  "f.producer_part FROM market_order_lines l "                                                   \
  "JOIN market_orders o ON o.id = l.order_id "                                                   \
  "JOIN persons pe ON pe.id = o.person_id "                                                      \
  "JOIN market_offers f ON f.id = l.offer_id "                                                   \
  "JOIN market_variants v ON v.id = f.variant_id "                                               \
  "JOIN market_products pr ON pr.id = f.product_id "                                             \
  "JOIN orgs g ON g.id = f.producer_org_id "                                                     \
  "LEFT JOIN market_points pt ON pt.id = o.point_id "                                            \
  "LEFT JOIN market_allocations a ON a.line_id = l.id "

PickRow pick_of(const Row& r) {
  PickRow p{.point_id = r.opt_i64(0),
            .point_name = r.str(1),
            .order_id = r.i64(2),
            .person_id = r.i64(3),
            .person_name = r.str(4),
            .order_state = r.str(5),
            .line_id = r.i64(6),
            .offer_id = r.i64(7),
            .producer_org_id = r.i64(8),
            .producer_name = r.str(9),
            .product_name = r.str(10),
            .variant_name = r.str(11),
            .unit_code = r.str(12),
            .quantity = r.i64(13),
            .tolerance = r.i64(14),
            .allocated = r.opt_i64(15),
            .price = r.i64(16),
            .producer_part = r.i64(17)};
  AGORA_ASSERT(p.quantity > 0 && p.tolerance >= 0 && (!p.allocated || *p.allocated >= 0));
  return p;
}

std::vector<PickRow> picks_of(const store::Rows& rows) {
  std::vector<PickRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(pick_of(r));
  return out;
}

}  // namespace

// ---- purchase orders

std::optional<PurchaseOrderRow> find_purchase_order(store::Tx& tx, int64_t id) {
  auto rows = tx.query(std::string(kPoSelect) + "WHERE p.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return po_of(rows.rows[0]);
}

std::vector<PurchaseOrderRow> cycle_purchase_orders(store::Tx& tx, int64_t cycle_id,
                                                    std::optional<int64_t> producer_org_id) {
  auto rows =
      producer_org_id
          ? tx.query(
                std::string(kPoSelect) +
                    "WHERE p.cycle_id = $1 AND p.producer_org_id = $2 ORDER BY p.producer_org_id",
                {cycle_id, *producer_org_id})
          : tx.query(std::string(kPoSelect) + "WHERE p.cycle_id = $1 ORDER BY p.producer_org_id",
                     {cycle_id});
  std::vector<PurchaseOrderRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(po_of(r));
  return out;
}

std::vector<PoLineView> cycle_po_lines(store::Tx& tx, int64_t cycle_id,
                                       std::optional<int64_t> producer_org_id) {
  auto rows =
      producer_org_id
          ? tx.query(
                std::string(kPoLineSelect) +
                    "WHERE p.cycle_id = $1 AND p.producer_org_id = $2 ORDER BY l.po_id, l.offer_id",
                {cycle_id, *producer_org_id})
          : tx.query(
                std::string(kPoLineSelect) + "WHERE p.cycle_id = $1 ORDER BY l.po_id, l.offer_id",
                {cycle_id});
  std::vector<PoLineView> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    PoLineView l{.po_id = r.i64(0),
                 .offer_id = r.i64(1),
                 .producer_org_id = r.i64(2),
                 .product_name = r.str(3),
                 .variant_name = r.str(4),
                 .unit_code = r.str(5),
                 .case_size = r.i64(6),
                 .demand = r.i64(7),
                 .tolerance = r.i64(8),
                 .cases = r.i64(9),
                 .units = r.i64(10),
                 .confirmed_units = r.opt_i64(11),
                 .received_units = r.opt_i64(12),
                 .price = r.i64(13),
                 .producer_part = r.i64(14)};
    AGORA_ASSERT(l.units >= 0 && l.demand >= 0 && l.case_size > 0);
    out.push_back(std::move(l));
  }
  return out;
}

bool confirm_purchase_order(store::Tx& tx, int64_t po_id, Timestamp now,
                            std::optional<int64_t> person_id, const std::string& note) {
  return tx.exec(
             "UPDATE market_purchase_orders SET state = 'confirmed', confirmed_at = $2, "
             "confirmed_by_person = $3, note = $4 WHERE id = $1 AND state = 'sent'",
             {po_id, now.us, opt(person_id), note.empty() ? store::Value{nullptr} : s(note)}) == 1;
}

void set_confirmed_units(store::Tx& tx, int64_t po_id, int64_t offer_id, int64_t units) {
  int64_t n =
      tx.exec("UPDATE market_po_lines SET confirmed_units = $3 WHERE po_id = $1 AND offer_id = $2",
              {po_id, offer_id, units});
  AGORA_ASSERT(n == 1);
}

void confirm_remaining_units(store::Tx& tx, int64_t po_id) {
  tx.exec(
      "UPDATE market_po_lines SET confirmed_units = units WHERE po_id = $1 AND confirmed_units IS "
      "NULL",
      {po_id});
}

bool set_received_units(store::Tx& tx, int64_t cycle_id, int64_t offer_id, int64_t units,
                        Timestamp now) {
  return tx.exec(
             "UPDATE market_po_lines SET received_units = $3, received_at = $4 WHERE offer_id = $2 "
             "AND po_id IN (SELECT id FROM market_purchase_orders WHERE cycle_id = $1)",
             {cycle_id, offer_id, units, now.us}) == 1;
}

int64_t receive_all_as_confirmed(store::Tx& tx, int64_t cycle_id, Timestamp now) {
  return tx.exec(
      "UPDATE market_po_lines SET received_units = COALESCE(confirmed_units, units), received_at = "
      "$2 "
      "WHERE received_units IS NULL AND po_id IN (SELECT id FROM market_purchase_orders WHERE "
      "cycle_id = $1)",
      {cycle_id, now.us});
}

int64_t unreceived_lines(store::Tx& tx, int64_t cycle_id) {
  return tx
      .query(
          "SELECT COUNT(*) FROM market_po_lines l JOIN market_purchase_orders p ON p.id = l.po_id "
          "WHERE p.cycle_id = $1 AND l.received_units IS NULL AND l.units > 0",
          {cycle_id})
      .one()
      .i64(0);
}

// ---- settlement inputs

std::vector<SettleOffer> settle_offers(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(
      "SELECT o.id, o.producer_org_id, o.price, o.producer_part, o.transport, o.packing, o.margin, "
      "o.fund, o.tax, CASE WHEN l.offer_id IS NULL THEN 0 ELSE 1 END, COALESCE(l.units, 0), "
      "l.received_units, o.variant_id FROM market_offers o LEFT JOIN market_po_lines l ON "
      "l.offer_id = o.id "
      "WHERE o.cycle_id = $1 ORDER BY o.id",
      {cycle_id});
  std::vector<SettleOffer> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    SettleOffer o{.offer_id = r.i64(0),
                  .producer_org_id = r.i64(1),
                  .price = r.i64(2),
                  .breakdown = {.producer = r.i64(3),
                                .transport = r.i64(4),
                                .packing = r.i64(5),
                                .margin = r.i64(6),
                                .fund = r.i64(7),
                                .tax = r.i64(8)},
                  .has_po_line = r.boolean(9),
                  .po_units = r.i64(10),
                  .received = r.opt_i64(11)};
    o.variant_id = r.i64(12);
    AGORA_ASSERT(o.price > 0 && o.breakdown.total() == o.price &&
                 (!o.received || *o.received >= 0));
    out.push_back(o);
  }
  return out;
}

std::vector<SettleOrder> placed_orders(store::Tx& tx, int64_t cycle_id) {
  std::vector<SettleOrder> out;
  tx.each(
      "SELECT id, org_id, person_id, point_id, hold_transfer_id, hold_amount, COALESCE(placed_at, "
      "0) FROM market_orders WHERE cycle_id = $1 AND state = 'placed' ORDER BY id",
      {cycle_id}, [&](const store::RowView& r) {
        SettleOrder o{.id = r.i64(0),
                      .org_id = r.i64(1),
                      .person_id = r.i64(2),
                      .point_id = r.opt_i64(3),
                      .hold_transfer_id = r.opt_i64(4),
                      .hold_amount = r.i64(5),
                      .placed_at_us = r.i64(6)};
        AGORA_ASSERT(o.hold_amount >= 0);
        out.push_back(o);
      });
  return out;
}

std::vector<LapsedHold> lapsed_holds(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(
      "SELECT o.id, COALESCE(o.account_id, t.debit_account_id), p.state FROM market_orders o "
      "JOIN ledger_pending p ON p.transfer_id = o.hold_transfer_id "
      "JOIN ledger_transfers t ON t.id = o.hold_transfer_id "
      "WHERE o.cycle_id = $1 AND o.state = 'placed' AND p.state <> 'pending' ORDER BY o.id",
      {cycle_id});
  std::vector<LapsedHold> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows)
    out.push_back(LapsedHold{.order_id = r.i64(0), .account_id = r.i64(1), .state = r.str(2)});
  return out;
}

// Two subqueries: SQLite answers a lone MIN or MAX from an index with one
// seek, but MIN and MAX in one SELECT walk every index entry of the cycle.
const char* const kCycleLineRangeSql =
    "SELECT (SELECT MIN(id) FROM market_order_lines WHERE cycle_id = $1), "
    "(SELECT MAX(id) FROM market_order_lines WHERE cycle_id = $1)";
// `+cycle_id` keeps the planner off the by-cycle index here: the range is
// read from the table itself, in storage order, without a lookup per line.
const char* const kSettleLinesSql =
    "SELECT id, order_id, offer_id, quantity, tolerance, ordered_at FROM market_order_lines "
    "WHERE id >= $2 AND id <= $3 AND +cycle_id = $1 ORDER BY id";

void for_each_settle_line(store::Tx& tx, int64_t cycle_id,
                          const std::function<void(const SettleLine&)>& fn) {
  const store::Row& range = tx.query(kCycleLineRangeSql, {cycle_id}).one();
  if (range.is_null(0)) return;  // no lines
  int64_t after = 0;
  tx.each(
      kSettleLinesSql, {cycle_id, range.i64(0), range.i64(1)}, [&](const store::RowView& r) {
        SettleLine l{.id = r.i64(0),
                     .order_id = r.i64(1),
                     .offer_id = r.i64(2),
                     .quantity = r.i64(3),
                     .tolerance = r.i64(4),
                     .ordered_at_us = r.i64(5)};
        AGORA_ASSERT(l.id > after && l.quantity > 0 && l.tolerance >= 0);
        after = l.id;
        fn(l);
      });
}

// ---- settlement writes

void insert_allocations(store::Tx& tx, int64_t cycle_id, std::span<const AllocationRow> rows) {
  in_chunks(rows.size(), [&](size_t at, size_t n) {
    std::string sql = "INSERT INTO market_allocations (line_id, cycle_id, allocated) VALUES " +
                      value_groups(n, 3, false);
    Params p;
    p.reserve(n * 3);
    for (size_t i = at; i < at + n; ++i) {
      AGORA_ASSERT(rows[i].allocated >= 0);
      p.emplace_back(rows[i].line_id);
      p.emplace_back(cycle_id);
      p.emplace_back(rows[i].allocated);
    }
    tx.exec(sql, p);
  });
}

void mark_orders_settled(store::Tx& tx, std::span<const SettledOrder> orders, Timestamp now) {
  // One UPDATE ... FROM (VALUES ...) per chunk: both engines read the
  // VALUES columns as column1.. and CAST types them on PostgreSQL.
  in_chunks(orders.size(), [&](size_t at, size_t n) {
    std::string sql =
        "UPDATE market_orders SET state = 'settled', total = v.column2, settle_transfer_id = "
        "v.column3, updated_at = $" +
        std::to_string(n * 3 + 1) + " FROM (VALUES " + value_groups(n, 3, true) +
        ") AS v WHERE market_orders.id = v.column1 AND market_orders.state = 'placed'";
    Params p;
    p.reserve(n * 3 + 1);
    for (size_t i = at; i < at + n; ++i) {
      AGORA_ASSERT(orders[i].total >= 0 &&
                   (orders[i].settle_transfer_id ? *orders[i].settle_transfer_id > 0
                                                 : orders[i].total == 0));
      p.emplace_back(orders[i].id);
      p.emplace_back(orders[i].total);
      p.emplace_back(opt(orders[i].settle_transfer_id));
    }
    p.emplace_back(now.us);
    if (tx.exec(sql, p) != static_cast<int64_t>(n)) {
      throw Error(Code::invalid_state, "an order of the cycle changed while it was being settled");
    }
  });
}

void insert_member_spends(store::Tx& tx, std::span<const SpendRow> rows, Timestamp now,
                          const std::string& source) {
  in_chunks(rows.size(), [&](size_t at, size_t n) {
    std::string sql =
        "INSERT INTO member_spend (org_id, person_id, amount_minor, at, source) VALUES ";
    size_t k = 1;
    for (size_t r = 0; r < n; ++r, k += 3) {
      sql += r ? ", (" : "(";
      sql += "$" + std::to_string(k) + ", $" + std::to_string(k + 1) + ", $" +
             std::to_string(k + 2) + ", $" + std::to_string(n * 3 + 1) + ", $" +
             std::to_string(n * 3 + 2) + ")";
    }
    Params p;
    p.reserve(n * 3 + 2);
    for (size_t i = at; i < at + n; ++i) {
      AGORA_ASSERT(rows[i].amount > 0);
      p.emplace_back(rows[i].org_id);
      p.emplace_back(rows[i].person_id);
      p.emplace_back(rows[i].amount);
    }
    p.emplace_back(now.us);
    p.emplace_back(source);
    tx.exec(sql, p);
  });
}

bool mark_cycle_settled(store::Tx& tx, int64_t cycle_id, Timestamp now, int64_t batch_id) {
  return tx.exec(
             "UPDATE market_cycles SET state = 'settled', settled_at = $2, batch_id = $3 "
             "WHERE id = $1 AND state = 'closed'",
             {cycle_id, now.us, batch_id ? store::Value{batch_id} : store::Value{nullptr}}) == 1;
}

// ---- reports

std::vector<PickRow> cycle_pick_rows(store::Tx& tx, int64_t cycle_id,
                                     std::optional<int64_t> point_id) {
  if (point_id) {
    return picks_of(
        tx.query(AGORA_PICK_SELECT
                 "WHERE o.cycle_id = $1 AND o.state IN ('placed', 'settled') AND o.point_id = $2 "
                 "ORDER BY COALESCE(o.point_id, 0), 5, o.id, l.id",
                 {cycle_id, *point_id}));
  }
  return picks_of(tx.query(AGORA_PICK_SELECT
                           "WHERE o.cycle_id = $1 AND o.state IN ('placed', 'settled') "
                           "ORDER BY COALESCE(o.point_id, 0), 5, o.id, l.id",
                           {cycle_id}));
}

std::vector<PickRow> order_pick_rows(store::Tx& tx, int64_t order_id) {
  return picks_of(tx.query(AGORA_PICK_SELECT "WHERE o.id = $1 ORDER BY l.id", {order_id}));
}

std::vector<PickRow> producer_pick_rows(store::Tx& tx, int64_t cycle_id, int64_t producer_org_id) {
  // A hub's lines include its local cycles' orders (their lines carry the
  // hub's cycle id); a local cycle's are its own orders.
  return picks_of(tx.query(AGORA_PICK_SELECT "WHERE (o.cycle_id = $1 OR l.cycle_id = $1) AND "
                                             "f.producer_org_id = $2 "
                                             "AND o.state IN ('placed', 'settled') "
                                             "ORDER BY l.offer_id, COALESCE(o.point_id, 0), o.id",
                           {cycle_id, producer_org_id}));
}

int64_t currency_minor_units(store::Tx& tx, const std::string& code) {
  auto rows = tx.query("SELECT minor_units FROM currencies WHERE code = $1", {s(code)});
  return rows.empty() ? 2 : rows.rows[0].i64(0);
}

}  // namespace agora::app::repo
