#pragma once
// SQL for what happens to a market cycle after it closes (tables of
// 0007_market.sql): purchase orders and their confirmation, receiving, the
// settlement's inputs read in a few grouped queries (2,000,000 order lines
// stream through Tx::each by id), its bulk writes (allocation
// exceptions, settled orders, members' spend) and the rows of the reports.
// Plain functions over a transaction; the rules live in market/ and
// app/market_settle.cc. Every SQL string is a constant (or one of a few
// fixed multi-row shapes), so the store's statement cache keeps them prepared.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "market/price.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- purchase orders

struct PurchaseOrderRow {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t producer_org_id = 0;
  std::string producer_name{};
  std::string state{};  // sent | confirmed
  Timestamp created_at{};
  std::optional<Timestamp> confirmed_at = std::nullopt;
  std::optional<std::string> note = std::nullopt;
};
std::optional<PurchaseOrderRow> find_purchase_order(store::Tx& tx, int64_t id);
// A cycle's purchase orders (one producer's when given), by producer org id.
std::vector<PurchaseOrderRow> cycle_purchase_orders(store::Tx& tx, int64_t cycle_id,
                                                    std::optional<int64_t> producer_org_id);

struct PoLineView {
  int64_t po_id = 0;
  int64_t offer_id = 0;
  int64_t producer_org_id = 0;
  std::string product_name{};
  std::string variant_name{};
  std::string unit_code{};
  int64_t case_size = 1;
  int64_t demand = 0;
  int64_t tolerance = 0;
  int64_t cases = 0;
  int64_t units = 0;
  std::optional<int64_t> confirmed_units = std::nullopt;
  std::optional<int64_t> received_units = std::nullopt;
  int64_t price = 0;
  int64_t producer_part = 0;
};
// Every purchase-order line of a cycle (one producer's when given), by
// purchase order then offer id, in one query.
std::vector<PoLineView> cycle_po_lines(store::Tx& tx, int64_t cycle_id,
                                       std::optional<int64_t> producer_org_id);

// sent -> confirmed (guarded: false when it was not sent).
bool confirm_purchase_order(store::Tx& tx, int64_t po_id, Timestamp now,
                            std::optional<int64_t> person_id, const std::string& note);
void set_confirmed_units(store::Tx& tx, int64_t po_id, int64_t offer_id, int64_t units);
// Every line of the purchase order not yet confirmed, confirmed in full.
void confirm_remaining_units(store::Tx& tx, int64_t po_id);
// Receiving: one offer's line of a cycle (false when the cycle has none).
bool set_received_units(store::Tx& tx, int64_t cycle_id, int64_t offer_id, int64_t units,
                        Timestamp now);
// Every unrecorded line of a cycle to its confirmed (else ordered) units.
int64_t receive_all_as_confirmed(store::Tx& tx, int64_t cycle_id, Timestamp now);
// Lines of a cycle that ordered units but have no received units yet.
int64_t unreceived_lines(store::Tx& tx, int64_t cycle_id);

// ---- settlement inputs

// An offer of a cycle with its price, breakdown and what arrived (NULL: not
// recorded; offers with no purchase-order line have none).
struct SettleOffer {
  int64_t offer_id = 0;
  int64_t variant_id = 0;
  int64_t producer_org_id = 0;
  int64_t price = 0;
  ::agora::market::Breakdown breakdown{};
  bool has_po_line = false;
  int64_t po_units = 0;
  std::optional<int64_t> received = std::nullopt;
};
std::vector<SettleOffer> settle_offers(store::Tx& tx, int64_t cycle_id);  // by offer id

struct SettleOrder {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t person_id = 0;
  std::optional<int64_t> point_id = std::nullopt;
  std::optional<int64_t> hold_transfer_id = std::nullopt;
  int64_t hold_amount = 0;
  int64_t placed_at_us = 0;
};
std::vector<SettleOrder> placed_orders(store::Tx& tx, int64_t cycle_id);  // by id

// A placed order whose hold is no longer pending (expired, or resolved
// otherwise): settlement charges it by a plain transfer from account_id
// (the order's account, else the hold's debit account) instead of posting.
struct LapsedHold {
  int64_t order_id = 0;
  int64_t account_id = 0;
  std::string state{};  // ledger_pending.state: expired | posted | voided
};
// The cycle's placed orders whose hold's state is not 'pending', by order
// id, in one statement.
std::vector<LapsedHold> lapsed_holds(store::Tx& tx, int64_t cycle_id);

// The few columns of an order line the allocation needs.
struct SettleLine {
  int64_t id = 0;
  int64_t order_id = 0;
  int64_t offer_id = 0;
  int64_t quantity = 0;
  int64_t tolerance = 0;
  int64_t ordered_at_us = 0;
};
// Every line of a cycle (of any order state), by id, handed to `fn` one at
// a time as it is read, never held as rows: the cycle's first and last line
// ids come from the by-cycle index, then the table's rows between them are
// read once in storage order, keeping the cycle's own.
void for_each_settle_line(store::Tx& tx, int64_t cycle_id,
                          const std::function<void(const SettleLine&)>& fn);
// Its two statements ($1 the cycle; $2, $3 the first and last line id), for
// tests of their query plans.
extern const char* const kCycleLineRangeSql;
extern const char* const kSettleLinesSql;

// ---- settlement writes

struct AllocationRow {
  int64_t line_id = 0;
  int64_t allocated = 0;
};
// Multi-row INSERTs into market_allocations.
void insert_allocations(store::Tx& tx, int64_t cycle_id, std::span<const AllocationRow> rows);

struct SettledOrder {
  int64_t id = 0;
  int64_t total = 0;
  std::optional<int64_t> settle_transfer_id = std::nullopt;  // none: lapsed hold, nothing charged
};
// placed -> settled with total and the hold's post (or void, or the
// transfer charging a lapsed hold's order); throws
// Error(invalid_state) if an order was no longer placed.
void mark_orders_settled(store::Tx& tx, std::span<const SettledOrder> orders, Timestamp now);

struct SpendRow {
  int64_t org_id = 0;
  int64_t person_id = 0;
  int64_t amount = 0;
};
// Multi-row INSERTs into member_spend (at `now`, source `source`).
void insert_member_spends(store::Tx& tx, std::span<const SpendRow> rows, Timestamp now,
                          const std::string& source);

// closed -> settled (guarded: false when the cycle was not closed).
bool mark_cycle_settled(store::Tx& tx, int64_t cycle_id, Timestamp now, int64_t batch_id);

// ---- reports

// One line of a placed or settled order with what a pick list shows.
// allocated: market_allocations when written (else the line received its
// quantity once the cycle settled).
struct PickRow {
  std::optional<int64_t> point_id = std::nullopt;
  std::string point_name{};
  int64_t order_id = 0;
  int64_t person_id = 0;
  std::string person_name{};
  std::string order_state{};
  int64_t line_id = 0;
  int64_t offer_id = 0;
  int64_t producer_org_id = 0;
  std::string producer_name{};
  std::string product_name{};
  std::string variant_name{};
  std::string unit_code{};
  int64_t quantity = 0;
  int64_t tolerance = 0;
  std::optional<int64_t> allocated = std::nullopt;
  int64_t price = 0;
  int64_t producer_part = 0;
};
// A cycle's rows (one point's when given), by point, member name, order and
// line; one order's; one producer's (by offer, point; a hub's include its
// local cycles' orders).
std::vector<PickRow> cycle_pick_rows(store::Tx& tx, int64_t cycle_id,
                                     std::optional<int64_t> point_id);
std::vector<PickRow> order_pick_rows(store::Tx& tx, int64_t order_id);
std::vector<PickRow> producer_pick_rows(store::Tx& tx, int64_t cycle_id, int64_t producer_org_id);

// Minor units of a currency (2 when unknown).
int64_t currency_minor_units(store::Tx& tx, const std::string& code);

}  // namespace agora::app::repo
