#pragma once
// SQL for the market's order cycles, their co-ops, offers and distribution
// points, members' orders and their lines, and the purchase orders written
// when a cycle closes (tables of 0007_market.sql). Plain functions over a
// transaction; the rules live in market/ and app/market_*.cc. Every SQL
// string is a constant, so the store's per-connection statement cache keeps
// them prepared.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "market/price.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- cycles

struct CycleRow {
  int64_t id = 0;
  int64_t coordinator_org_id = 0;
  std::string name{};
  std::string currency{};
  Timestamp opens_at{};
  Timestamp closes_at{};
  std::string state{};       // draft | scheduled | open | closed | settled | cancelled
  std::string share_rule{};  // proportional | first_come
  ::agora::market::FeeRates fees{};
  std::optional<int64_t> transport_org_id = std::nullopt;
  std::optional<int64_t> packing_org_id = std::nullopt;
  std::optional<int64_t> created_by_person = std::nullopt;
  Timestamp created_at{};
  std::optional<Timestamp> opened_at = std::nullopt;
  std::optional<Timestamp> closed_at = std::nullopt;
  std::optional<Timestamp> settled_at = std::nullopt;
  std::optional<int64_t> batch_id = std::nullopt;
  // Regional group buying: the hub cycle this local cycle feeds (set once,
  // at creation).
  std::optional<int64_t> hub_cycle_id = std::nullopt;
};
std::optional<CycleRow> find_cycle(store::Tx& tx, int64_t id);
int64_t insert_cycle(store::Tx& tx, const CycleRow& c);
// Writes every column but id and created_*.
void update_cycle(store::Tx& tx, const CycleRow& c);
// A coordinator's cycles (state optional), newest first: id < before (0: all).
std::vector<CycleRow> cycles_of_coordinator(store::Tx& tx, int64_t org_id,
                                            const std::optional<std::string>& state, int64_t before,
                                            int64_t limit);
// Cycles serving any co-op where the person is an active member (state
// optional, drafts never), newest first: id < before (0: all).
std::vector<CycleRow> cycles_for_person(store::Tx& tx, int64_t person_id,
                                        const std::optional<std::string>& state, int64_t before,
                                        int64_t limit);
// Ids of scheduled cycles with opens_at <= now / open ones with closes_at <=
// now, oldest due first, at most limit.
std::vector<int64_t> cycles_due_to_open(store::Tx& tx, Timestamp now, int64_t limit);
std::vector<int64_t> cycles_due_to_close(store::Tx& tx, Timestamp now, int64_t limit);
// The local cycles feeding a hub cycle, by id.
std::vector<CycleRow> local_cycles(store::Tx& tx, int64_t hub_cycle_id);
// True when the org is one of the cycle's co-ops.
bool cycle_serves(store::Tx& tx, int64_t cycle_id, int64_t org_id);

struct CoopRef {
  int64_t org_id = 0;
  std::string name{};
};
std::vector<CoopRef> cycle_coops(store::Tx& tx, int64_t cycle_id);  // by org id
void set_cycle_coops(store::Tx& tx, int64_t cycle_id, const std::vector<int64_t>& org_ids);
std::string org_name(store::Tx& tx, int64_t org_id);  // "" when missing
// The first of the cycle's co-ops (by id) where the person is an active
// member and that has no live (not draft, not cancelled) local cycle of it:
// a co-op with its own local cycle of a hub orders there, not in the hub.
std::optional<int64_t> member_coop(store::Tx& tx, int64_t cycle_id, int64_t person_id);
// The first live local cycle of the hub serving a co-op where the person
// is an active member.
std::optional<int64_t> local_cycle_of_member(store::Tx& tx, int64_t hub_cycle_id,
                                             int64_t person_id);

struct CycleCounts {
  int64_t offers = 0;
  int64_t producers = 0;
  int64_t orders = 0;  // placed or settled
};
CycleCounts cycle_counts(store::Tx& tx, int64_t cycle_id);

// ---- offers

struct OfferRow {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t variant_id = 0;
  int64_t product_id = 0;
  int64_t producer_org_id = 0;
  int64_t case_size = 1;
  std::optional<int64_t> max_units = std::nullopt;
  int64_t price = 0;
  ::agora::market::Breakdown breakdown{};
  // Set when a volume tier repriced the offer at close: the price members
  // saw while ordering, and the tier reached.
  std::optional<int64_t> list_price = std::nullopt;
  std::optional<int64_t> tier_min_units = std::nullopt;
};
// An offer with what its JSON shows of the product and variant.
struct OfferView {
  OfferRow offer{};
  std::string producer_name{};
  std::string product_name{};
  std::string variant_name{};
  std::string unit_code{};
  int64_t net_milli = 0;
  std::string category{};
  bool sealed = false;  // a live seal at `now`
};
std::optional<OfferRow> find_offer(store::Tx& tx, int64_t id);
std::vector<OfferRow> cycle_offers(store::Tx& tx, int64_t cycle_id);  // by id
std::optional<OfferView> find_offer_view(store::Tx& tx, int64_t id, Timestamp now);
// Inserts or, for the same (cycle, variant), replaces price, breakdown,
// case size and cap. Returns the offer's id.
int64_t upsert_offer(store::Tx& tx, const OfferRow& o);
// Price, breakdown, list_price and tier_min_units.
void update_offer_price(store::Tx& tx, const OfferRow& o);
// Deletes the offer and its tiers.
void delete_offer(store::Tx& tx, int64_t id);

// Volume price tiers (market_offer_tiers).
struct TierRow {
  int64_t offer_id = 0;
  int64_t min_units = 0;
  int64_t producer_price = 0;
};
// Replaces an offer's tiers.
void set_offer_tiers(store::Tx& tx, int64_t offer_id, const std::vector<TierRow>& tiers);
std::vector<TierRow> offer_tiers(store::Tx& tx, int64_t offer_id);  // by min_units
// Every tier of a cycle's offers, by offer then min_units.
std::vector<TierRow> cycle_tiers(store::Tx& tx, int64_t cycle_id);
// A cycle's offers that a tier repriced (list_price or tier_min_units set).
std::vector<OfferRow> tiered_offers(store::Tx& tx, int64_t cycle_id);
bool offer_has_lines(store::Tx& tx, int64_t offer_id);
// Units ordered on an offer in cart or placed orders, leaving out one order's.
int64_t offer_units_ordered(store::Tx& tx, int64_t offer_id, int64_t except_order_id);

// What an offer needs of its variant.
struct VariantRef {
  int64_t id = 0;
  int64_t product_id = 0;
  int64_t producer_org_id = 0;
  std::string currency{};
  int64_t case_size = 1;
  int64_t producer_part = 0;
  bool active = false;  // variant and product active
};
std::optional<VariantRef> find_variant_ref(store::Tx& tx, int64_t variant_id);

// ---- points

struct PointRow {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string name{};
  std::string kind{};  // pickup | delivery
  std::string address{};
  int64_t fee = 0;
};
std::optional<PointRow> find_point(store::Tx& tx, int64_t id);
std::vector<PointRow> cycle_points(store::Tx& tx, int64_t cycle_id);  // by id
int64_t insert_point(store::Tx& tx, const PointRow& p);
void delete_point(store::Tx& tx, int64_t id);
bool point_in_use(store::Tx& tx, int64_t point_id);

// ---- orders

struct OrderRow {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t org_id = 0;
  int64_t person_id = 0;
  std::optional<int64_t> account_id = std::nullopt;
  std::optional<int64_t> point_id = std::nullopt;
  std::string state{};  // cart | placed | settled | cancelled
  std::optional<int64_t> hold_transfer_id = std::nullopt;
  int64_t hold_amount = 0;
  std::optional<Timestamp> placed_at = std::nullopt;
  std::optional<int64_t> total = std::nullopt;
  std::optional<int64_t> settle_transfer_id = std::nullopt;
  Timestamp created_at{};
  Timestamp updated_at{};
};
std::optional<OrderRow> find_order(store::Tx& tx, int64_t id);
std::optional<OrderRow> find_order_of(store::Tx& tx, int64_t cycle_id, int64_t person_id);
int64_t insert_order(store::Tx& tx, const OrderRow& o);
void update_order(store::Tx& tx, const OrderRow& o);  // every column but id, created_at
// A cycle's orders in one state, by id.
std::vector<OrderRow> orders_in_state(store::Tx& tx, int64_t cycle_id, const std::string& state);
// Marks every cart of a cycle cancelled (no hold exists); returns how many.
int64_t cancel_carts(store::Tx& tx, int64_t cycle_id, Timestamp now);
// A cycle's orders by id after `after` (with the member's name).
struct OrderSummary {
  OrderRow order{};
  std::string person_name{};
  int64_t subtotal = 0;  // Σ quantity × price
  int64_t fee = 0;       // the point's fee (0 without a point)
  int64_t lines = 0;
};
std::vector<OrderSummary> cycle_orders(store::Tx& tx, int64_t cycle_id, int64_t after,
                                       int64_t limit);
// A person's orders, newest first: id < before (0: all).
std::vector<OrderSummary> person_orders(store::Tx& tx, int64_t person_id, int64_t before,
                                        int64_t limit);

struct LineRow {
  int64_t id = 0;
  int64_t order_id = 0;
  int64_t cycle_id = 0;
  int64_t offer_id = 0;
  int64_t quantity = 0;
  int64_t tolerance = 0;
  Timestamp ordered_at{};
};
// A line with what its JSON shows of the offer.
struct LineView {
  LineRow line{};
  std::string product_name{};
  std::string variant_name{};
  int64_t producer_org_id = 0;
  std::string producer_name{};
  int64_t price = 0;
  std::optional<int64_t> allocated = std::nullopt;   // market_allocations, when written
  std::optional<int64_t> list_price = std::nullopt;  // the offer's, once a tier repriced it
};
std::vector<LineRow> order_lines(store::Tx& tx, int64_t order_id);  // by id
std::vector<LineView> order_line_views(store::Tx& tx, int64_t order_id);
int64_t insert_line(store::Tx& tx, const LineRow& l);
void update_line(store::Tx& tx, const LineRow& l);  // quantity, tolerance, ordered_at
void delete_line(store::Tx& tx, int64_t id);

// True once allocation rows exist for the cycle.
bool cycle_has_allocations(store::Tx& tx, int64_t cycle_id);

// ---- close: demand and purchase orders

// Running demand per (order's cycle, offer) over the lines of placed and
// settled orders (market_demand, 0012_market_demand.sql). The use cases
// that change a placed order's lines or state add the difference.
struct DemandDelta {
  int64_t offer_id = 0;
  int64_t quantity = 0;  // may be negative
  int64_t tolerance = 0;
};
// Adds the deltas (zero ones skipped) to the cycle's running totals; a
// total going below zero is refused by the table's CHECK (a bug).
void add_demand(store::Tx& tx, int64_t cycle_id, std::span<const DemandDelta> deltas);
// Drops a cycle's running totals (every placed order of it cancelled, none
// settled).
void clear_demand(store::Tx& tx, int64_t cycle_id);

// Demand on each offer from a cycle's placed and settled orders (an order
// settles only with its whole cycle, so before settlement these are the
// placed orders), read from the running totals: one row per offer with
// demand, offers with none absent. By producer, then offer id.
struct OfferDemand {
  int64_t offer_id = 0;
  int64_t producer_org_id = 0;
  int64_t case_size = 1;
  std::optional<int64_t> max_units = std::nullopt;
  int64_t quantity = 0;
  int64_t tolerance = 0;
};
std::vector<OfferDemand> cycle_demand(store::Tx& tx, int64_t cycle_id);

// A running total that differs from what the order lines add up to.
struct DemandMismatch {
  int64_t cycle_id = 0;
  int64_t offer_id = 0;
  int64_t kept_quantity = 0;  // market_demand (0 when absent)
  int64_t kept_tolerance = 0;
  int64_t lines_quantity = 0;  // Σ over the lines of placed and settled orders
  int64_t lines_tolerance = 0;
};
// Every mismatch over all cycles, by cycle then offer: one grouped pass
// over the order lines (the check, not a hot path).
std::vector<DemandMismatch> demand_mismatches(store::Tx& tx);
// How many running totals are not zero.
int64_t demand_total_count(store::Tx& tx);

int64_t insert_purchase_order(store::Tx& tx, int64_t cycle_id, int64_t producer_org_id,
                              Timestamp now);
struct PoLineRow {
  int64_t po_id = 0;
  int64_t offer_id = 0;
  int64_t demand = 0;
  int64_t tolerance = 0;
  int64_t cases = 0;
  int64_t units = 0;
};
void insert_po_line(store::Tx& tx, const PoLineRow& l);

}  // namespace agora::app::repo
