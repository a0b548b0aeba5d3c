#pragma once
// Use cases of the solidarity market (DOMAIN.md §4): the catalog with honest
// labels and the federation's solidarity seal; order cycles with offers,
// distribution points and fees; members' orders with a pending hold; close
// into purchase orders in whole cases; producers' confirmation; receiving;
// sharing out a short delivery; settlement through the ledger as one linked
// batch; and the reports (pick lists, packing lists, producer statements,
// the catalog as Data Food Consortium JSON-LD). Rules live in market/; rows
// in app/repo/market_repo.h.
// Commands run inside App::write / http::write; queries inside App::read. A
// refused command throws agora::Error before anything of it is written.
// Thread-safe: stateless functions over the given transaction.
//
// JSON shapes (the HTTP API returns these):
//   breakdown: {producer, transport, packing, margin, fund, tax}  (sums to the price)
//   producer:  {org_id, name, territory, story, territory_mark|null}
//   variant:   {id, product_id, name, unit_code, unit_label, net_milli, case_size,
//               price, price_per_base|null, base_unit, breakdown, active}
//   certification: {id, name, certifier, reference, granted_on, expires_on|null, valid}
//   seal:      {id, federation_org_id, grant_decision_id, granted_at, expires_at|null,
//               withdraw_decision_id|null, withdrawn_at|null, live}
//   product:   {id, producer:{...}, name, description, category, territory,
//               distance_km, packaging, currency, min_price, max_price, active,
//               sealed (a live seal), variants:[variant], certifications:[...],
//               seal: seal|null (the live or latest one), created_at, updated_at}
//   product summary (lists): {id, producer:{org_id,name}, name, category, territory,
//               distance_km, packaging, currency, min_price, max_price, sealed, variants:[variant]}
//   cycle:     {id, coordinator:{org_id,name}, name, currency, opens_at, closes_at, state,
//               share_rule, fees:{transport_bps, transport_per_unit, packing_bps,
//               packing_per_unit, margin_bps, fund_bps, tax_bps, transport_org_id|null,
//               packing_org_id|null}, coops:[{org_id,name}], points:[point],
//               counts:{offers, producers, orders}, opened_at|null, closed_at|null,
//               settled_at|null, batch_id|null, created_at}
//   offer:     {id, cycle_id, variant_id, product_id, producer:{org_id,name},
//               product_name, variant_name, unit_code, unit_label, net_milli, case_size,
//               max_units|null, price, breakdown, category, sealed}
//               hub:{id,name,state,closes_at,coordinator:{org_id,name}}|null (a local
//               cycle feeding a hub), linked:[{id,name,state,closes_at,
//               coordinator:{org_id,name},orders}] (a hub's local cycles)
//   offer (more): list_price|null (the price while ordering, once a tier lowered
//               it), tier_min_units|null (the tier reached at close), tiers:[{min_units,
//               producer_price, price, breakdown}] (ascending)
//   point:     {id, cycle_id, name, kind:"pickup"|"delivery", address, fee}
//   order:     {id, cycle_id, org_id, person_id, state, point_id|null, account_id|null,
//               lines:[{id, offer_id, product_name, variant_name, producer:{org_id,name},
//                       quantity, tolerance, price, amount (quantity × price),
//                       max_amount ((quantity + tolerance) × price),
//                       allocated|null (after allocation), final_amount|null}],
//               subtotal (Σ amount), fee, hold_amount, placed_at|null, total|null,
//               hold_transfer_id|null, settle_transfer_id|null, created_at, updated_at}
//   purchase order: {id, cycle_id, producer:{org_id,name}, state, created_at,
//               confirmed_at|null, note|null, lines:[{offer_id, product_name,
//               variant_name, case_size, demand, tolerance, cases, units,
//               confirmed_units|null, received_units|null, price, producer_part}],
//               total_units, producer_amount (Σ units × producer_part)}
// Amounts are integers in the cycle's (or product's) currency minor units;
// quantities whole ordered units.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/registry.h"
#include "market/allocation.h"
#include "market/price.h"
#include "store/database.h"

namespace agora::app::market {

// Bounds shared by the API, the demo and imports.
inline constexpr size_t kMaxNameBytes = 200;
inline constexpr size_t kMaxTextBytes = 5000;      // descriptions, stories
inline constexpr int64_t kMaxQuantity = 100'000;   // units on one line (quantity + tolerance)
inline constexpr int64_t kMaxCaseSize = 100'000;
inline constexpr int64_t kMaxLines = 500;          // lines in one order
inline constexpr int64_t kMaxOffers = 50'000;      // offers in one cycle
inline constexpr int64_t kMaxPrice = 1'000'000'000'000;  // per unit, minor units
// Packaging vocabulary (label): none, returnable, compostable, recyclable, plastic.
void check_packaging(const std::string& p, const std::string& field = "/packaging");

// ---- producers and products

// Coordinator of the org (a producer, worker, consumer or multi-stakeholder
// co-op): the label's story and the territory's identity mark.
struct ProducerInput {
  std::string story{};                           // 0..5000 bytes
  std::optional<std::string> territory_mark = std::nullopt;  // 1..200
};
Json set_producer(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ProducerInput& in);
Json get_producer(store::Tx& tx, const Ctx& ctx, int64_t org_id);  // public

struct VariantInput {
  std::string name{};          // 1..200
  std::string unit_code = "H87";
  int64_t net_milli = 1000;    // 1..10^12
  int64_t case_size = 1;       // 1..kMaxCaseSize
  int64_t price = 0;           // 1..kMaxPrice
  ::agora::market::Breakdown breakdown{};  // must sum to price (check_breakdown)
  bool active = true;
};
struct ProductInput {
  int64_t producer_org_id = 0;
  std::string name{};          // 1..200
  std::string description{};   // 0..5000
  std::string category{};      // slug path: 1..100 of [a-z0-9-/], no empty segment
  std::optional<std::string> territory = std::nullopt;  // default: the producer org's territory
  int64_t distance_km = 0;     // 0..40,000
  std::string packaging = "none";
  std::optional<std::string> currency = std::nullopt;   // default: the producer's currency
  std::vector<VariantInput> variants{};  // 1..50 at creation
};
// Coordinator of the producer org. Errors name the field, e.g.
// "/variants/0/breakdown" when declared parts do not sum to the price.
Json create_product(store::Tx& tx, const Ctx& ctx, const ProductInput& in);
struct ProductPatch {
  std::optional<std::string> name{}, description{}, category{}, territory{}, packaging{};
  std::optional<int64_t> distance_km{};
  std::optional<bool> active{};
};
Json update_product(store::Tx& tx, const Ctx& ctx, int64_t product_id, const ProductPatch& in);
// Adds a variant / replaces one (same fields; a variant in an open cycle keeps
// its cycle price).
Json add_variant(store::Tx& tx, const Ctx& ctx, int64_t product_id, const VariantInput& in);
Json update_variant(store::Tx& tx, const Ctx& ctx, int64_t variant_id, const VariantInput& in);
Json get_product(store::Tx& tx, const Ctx& ctx, int64_t product_id);  // public

struct CertificationInput {
  std::string name{};        // 1..200 ("EU organic")
  std::string certifier{};   // 1..200
  std::string reference{};   // 1..200: the granting decision or certificate number
  std::string granted_on{};  // YYYY-MM-DD
  std::optional<std::string> expires_on = std::nullopt;  // YYYY-MM-DD, after granted_on
};
// Coordinator of the producer.
Json add_certification(store::Tx& tx, const Ctx& ctx, int64_t product_id, const CertificationInput& in);
Json remove_certification(store::Tx& tx, const Ctx& ctx, int64_t certification_id);

// The solidarity seal. Granting needs a passed decision (decision_id) of the
// federation `federation_org_id` (an ancestor of the producer) in the
// "solidarity.seal" domain whose subject is "seal:product:<product_id>",
// not used before; withdrawing one whose subject is
// "seal-withdraw:product:<product_id>". Any signed-in person may record it
// once the decision exists (the decision is the authority, whatever the
// caller's role); without it: Error(rule_violation, "/decision_id").
// Error(duplicate) when a live seal exists; withdraw without one:
// Error(invalid_state).
Json grant_seal(store::Tx& tx, const Ctx& ctx, int64_t product_id, int64_t federation_org_id,
                int64_t decision_id, std::optional<Timestamp> expires_at);
Json withdraw_seal(store::Tx& tx, const Ctx& ctx, int64_t product_id, int64_t decision_id);

// Public browse and search, 10,000+ products: active products with at
// least one active variant. q matches name, producer and description
// (case-insensitive substring, 1..100 bytes); filters combine with AND.
// sort: "name" (default, then id) | "price" (min_price, then id) | "distance".
// Paged by offset (0..100,000) and limit (1..200):
// {items:[product summary], total, offset, limit, facets:{categories:[{category,
//  count}], territories:[{territory,count}]}} (facets over the filtered set
//  without the category/territory filter themselves).
struct CatalogQuery {
  std::optional<std::string> q{}, category{}, territory{};  // category matches itself and below ("dairy" matches "dairy/cheese")
  std::optional<int64_t> producer_org_id{};
  std::optional<bool> sealed{};
  std::optional<int64_t> min_price{}, max_price{};    // on min_price
  std::string sort = "name";
  int64_t offset = 0;
  int64_t limit = 50;
};
Json browse_catalog(store::Tx& tx, const Ctx& ctx, const CatalogQuery& q);

// The catalog (all active products, or one producer's) as Data Food
// Consortium JSON-LD (@context the DFC ontology; Enterprise, SuppliedProduct,
// CatalogItem, Offer with price and unit as UNECE codes). Public.
Json export_dfc(store::Tx& tx, const Ctx& ctx, std::optional<int64_t> producer_org_id);

// ---- order cycles

struct CycleInput {
  int64_t coordinator_org_id = 0;
  std::string name{};             // 1..200
  std::optional<std::string> currency = std::nullopt;  // default: the coordinator's
  Timestamp opens_at{};
  Timestamp closes_at{};          // > opens_at, within a year of it
  std::string share_rule = "proportional";
  ::agora::market::FeeRates fees{};
  std::optional<int64_t> transport_org_id = std::nullopt;
  std::optional<int64_t> packing_org_id = std::nullopt;
  std::vector<int64_t> coop_ids{};  // co-ops whose members order; default: the coordinator
  // Regional group buying: this local cycle feeds the hub's cycle. The hub
  // cycle must be draft, scheduled or open, in the same currency, and serve
  // the coordinator org (one of its co-ops, market_cycle_coops); closes_at
  // no later than the hub's. A local cycle has no offers or fee rates of its
  // own (fees must be zero): its shop is the hub's offers at the hub's
  // prices, its members' holds credit the hub's clearing account, its
  // points' fees go to its own coordinator. It closes on its own time (no
  // purchase orders); the hub's close closes any local cycle still open,
  // then aggregates every cycle's demand; receiving, sharing out and
  // settlement happen at the hub, one linked batch settling the local
  // cycles too (their settle refused: Error(invalid_state) naming the hub).
  // Cancelling a hub cancels its local cycles.
  std::optional<int64_t> hub_cycle_id = std::nullopt;
};
// Coordinator of the coordinating org (a hub's cycle may serve co-ops below
// the same federation). Creates a draft.
Json create_cycle(store::Tx& tx, const Ctx& ctx, const CycleInput& in);
// Draft or scheduled only (Error(invalid_state) after): replaces the fields
// given. Changing fees recomputes every offer's breakdown.
struct CyclePatch {
  std::optional<std::string> name, share_rule;
  std::optional<Timestamp> opens_at, closes_at;
  std::optional<::agora::market::FeeRates> fees;
  std::optional<std::vector<int64_t>> coop_ids;
};
Json update_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const CyclePatch& in);
Json get_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);  // public
// Public: cycles of a coordinator (org_id) or, org_id 0, the cycles the
// signed-in person may order in; state filter optional; newest first.
Json list_cycles(store::Tx& tx, const Ctx& ctx, int64_t org_id, std::optional<std::string> state,
                 PageReq page);

// Offers (draft or scheduled cycles only). producer_price defaults to the
// variant's producer part; the cycle's fee rates build the breakdown.
// Volume price tier: from min_units ordered in the whole cycle (a hub's
// with its local cycles' demand) the producer's price is producer_price.
// 0..10 tiers per offer, min_units ascending (2..10^9), producer_price
// strictly falling and below the offer's producer price. At close the
// tier reached by the units ordered (whole cases) reprices the offer (its
// breakdown rebuilt by the cycle's fee rates; list_price keeps the old
// price); settlement charges the tier price, so each member's saving shows
// on their order's lines.
inline constexpr size_t kMaxTiers = 10;
struct TierInput {
  int64_t min_units = 0;
  int64_t producer_price = 0;
};
struct OfferInput {
  int64_t variant_id = 0;
  std::optional<int64_t> producer_price = std::nullopt;  // 1..kMaxPrice
  std::optional<int64_t> max_units = std::nullopt;       // 1..10^9
  std::vector<TierInput> tiers{};
};
// Coordinator of the cycle. Adds or replaces (same variant) 1..kMaxOffers at
// once; {items:[offer]}.
Json set_offers(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const std::vector<OfferInput>& in);
Json remove_offer(store::Tx& tx, const Ctx& ctx, int64_t offer_id);
// Public: the shopfront of a cycle — its offers with the product labels,
// filtered and paged like browse_catalog (q, category, producer, sealed,
// price on the offer's price): {cycle:{id,name,state,closes_at,currency},
// items:[offer + label:{description, territory, distance_km, packaging,
// story, territory_mark, certifications:[...]}], total, offset, limit,
// facets}. Served from a cache keyed by store::write_generation().
Json shop(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const CatalogQuery& q);

struct PointInput {
  std::string name{};       // 1..200
  std::string kind = "pickup";
  std::string address{};    // 0..500
  int64_t fee = 0;          // 0..kMaxPrice
};
Json add_point(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const PointInput& in);  // coordinator, draft/scheduled
Json remove_point(store::Tx& tx, const Ctx& ctx, int64_t point_id);

// State changes. publish: draft -> scheduled (needs >= 1 offer and >= 1
// point). open_now / close_now: the coordinator moves it at once (open:
// scheduled -> open; close: open -> closed, see close below). cancel:
// any state before settled; voids every hold. Each returns the cycle.
Json publish_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
Json open_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
Json close_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
Json cancel_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);

// The scheduler's jobs: open scheduled cycles whose opens_at <= now and
// close open ones whose closes_at <= now (at most `limit` each). Return how
// many moved. due_* answer whether any is due (for Scheduler::add's `due`).
int64_t open_due_cycles(store::Tx& tx, Timestamp now, int64_t limit);
int64_t close_due_cycles(store::Tx& tx, Timestamp now, int64_t limit);
bool any_cycle_due(store::Tx& tx, Timestamp now);

// Closing (by the coordinator or the scheduler): cart orders are dropped
// (state cancelled, no hold existed); demand per offer aggregates into one
// purchase order per producer in whole cases (market/allocation.h
// cases_to_order). The demand comes from running totals per offer, kept as
// orders are placed, changed and cancelled, so closing reads no order line.
// Internal form for the scheduler (no authorization).
void close_cycle_now(store::Tx& tx, Timestamp now, int64_t cycle_id);

// The market's consistency check (for `agora verify`): every running
// demand total equals the sum over the lines of its cycle's placed and
// settled orders. {ok, offers (totals compared), problems:["cycle <id>
// offer <id>: kept q/t, lines q/t", ...] (at most 100)}. One grouped pass
// over every order line; a read.
Json check_market(store::Tx& tx);

// ---- orders (members)

struct LineInput {
  int64_t offer_id = 0;
  int64_t quantity = 0;   // 0 removes the line; else 1..kMaxQuantity
  int64_t tolerance = 0;  // 0..kMaxQuantity - quantity
};
// An active member of one of the cycle's co-ops, while the cycle is open
// (Error(invalid_state) "the order cycle closed at ..." after close, before
// open). Sets lines in the member's order (created as a cart on first use);
// a placed order is re-held for its new maximum in the same command (the
// old hold voided, a new one created; refused as a whole if funds do not
// cover it). Quantities above an offer's remaining max_units are refused
// (Error(rule_violation, "/lines/i/quantity")).
struct OrderInput {
  std::vector<LineInput> lines{};
  std::optional<int64_t> point_id = std::nullopt;
  bool replace = false;  // true: these lines replace all lines
};
Json set_order(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const OrderInput& in);
// The member's order in a cycle (Error(not_found) when none).
Json my_order(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
// Checkout: cart -> placed. Needs a point and >= 1 line. Places a pending
// hold (key "sys:market:hold:<order>:<n>") on the member's current account
// in their co-op for hold_amount, crediting the coordinator's clearing
// account, with timeout 30 days after closes_at. Above the member's funds:
// Error(rule_violation, "/hold_amount") with a message naming the amount
// needed and the amount available.
Json checkout(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
// The member (or the coordinator) until close: voids the hold; state cancelled.
Json cancel_order(store::Tx& tx, const Ctx& ctx, int64_t order_id);
Json get_order(store::Tx& tx, const Ctx& ctx, int64_t order_id);  // the member, coordinator, auditor
// The signed-in member's orders in every cycle, newest first (summaries: the
// order without lines, plus cycle:{id,name,state,closes_at}).
Json my_orders(store::Tx& tx, const Ctx& ctx, PageReq page);
// Coordinator/auditor: a cycle's orders (summaries with person name), by id.
Json list_orders(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, PageReq page);

// ---- after close: producers, receiving, allocation, settlement

// Coordinator/auditor of the cycle, or coordinator of that producer:
// {items:[purchase order]} (a producer sees only its own).
Json list_purchase_orders(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
// The producer's coordinator: sent -> confirmed, optionally committing to
// fewer units per offer ({offer_id, units} with units <= ordered units).
struct ConfirmLine {
  int64_t offer_id = 0;
  int64_t units = 0;
};
Json confirm_purchase_order(store::Tx& tx, const Ctx& ctx, int64_t po_id,
                            const std::vector<ConfirmLine>& lines, const std::string& note);
// The cycle's coordinator, closed cycles: records what actually arrived per
// offer (0..10^9 units; may exceed what was ordered). Lines not given keep
// their value; `all_as_confirmed` first sets every unrecorded line to its
// confirmed (else ordered) units.
struct ReceiveLine {
  int64_t offer_id = 0;
  int64_t units = 0;
};
Json record_received(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                     const std::vector<ReceiveLine>& lines, bool all_as_confirmed);
// Coordinator/auditor, closed cycles: what allocation would give (every
// offer with units received, its claims and shares by the cycle's rule) —
// {offers:[{offer_id, product_name, variant_name, demand, tolerance, received,
//  allocated, unallocated, short (received < demand)}], orders_changed}.
Json preview_allocation(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
// Coordinator, closed cycles with every purchase-order line received:
// allocates (market_allocations for lines whose share differs from their
// quantity), then posts as one linked batch (ledger::apply_bulk): each placed
// order's hold posted for its final amount (Σ allocated × price + the
// point's fee; voided when nothing was received), the producers paid their
// parts, each fee credited to its account (transport and packing to their
// orgs' operating accounts, margin and tax to the coordinator's operating
// account, fund contributions to its investment fund, point fees to its
// operating account), and each member's purchase recorded for patronage
// (member_spend, source "market"). Cycle -> settled with batch_id. Returns
// {cycle, orders, total, producers:[{org_id,name,amount}], fees:breakdown,
//  point_fees, transfers}. Idempotent per cycle (Error(invalid_state) once settled).
Json settle_cycle(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);
// The same without authorization (bench, CLI).
Json settle_cycle_now(store::Tx& tx, Timestamp now, int64_t cycle_id);

// Public: a hub cycle's running demand across itself and its local cycles,
// per offer: {cycle_id, offers:[{offer_id, product_name, variant_name,
// case_size, demand, tolerance, cases, units (whole cases as close would
// order them now), tier_min_units|null (reached now), next_tier:{min_units,
// producer_price, price, units_short}|null}]} (offers with demand or tiers).
// Works on any cycle (a local cycle answers for its hub).
Json group_demand(store::Tx& tx, const Ctx& ctx, int64_t cycle_id);

// ---- fair-price contracts (DOMAIN.md §4, seed 000)
//
// contract: {id, buyer:{org_id,name}, producer:{org_id,name}, name, currency,
//   starts_on, ends_on, account_id, repay_bps, state, terms,
//   lines:[{variant_id, product_id, product_name, variant_name, floor_price,
//           committed_units, delivered_units, remaining_units (committed -
//           delivered, at least 0)}],
//   balance:{advanced, repaid, outstanding (advanced - repaid), floor_paid,
//            delivered_units, delivered_amount (producer amounts at cycle prices)},
//   created_at, accepted_at|null, ended_at|null}
// entry: {id, kind:"advance"|"repayment"|"floor"|"delivery", cycle_id|null,
//   variant_id|null, units, amount, transfer_id|null, memo, created_at}
//
// A contract applies to the settlement of every cycle coordinated by its
// buyer, settled on a date within [starts_on, ends_on] while it is active,
// for its variants offered by its producer: each delivery is recorded;
// when the offer's producer part is below the floor, the difference times
// the units is paid from the contract's account to the producer (floor);
// while advances are outstanding, repay_bps of the delivery's producer
// amount (at most the outstanding) is kept back from the producer's payment
// and credited to the contract's account (repayment). All in the cycle's
// settlement batch (a floor the account cannot cover refuses the settlement).

inline constexpr size_t kMaxContractLines = 200;
struct ContractLineInput {
  int64_t variant_id = 0;       // the producer's, in the contract's currency
  int64_t floor_price = 0;      // 0..kMaxPrice, per unit of the variant
  int64_t committed_units = 0;  // 0..10^9
};
struct ContractInput {
  int64_t buyer_org_id = 0;
  int64_t producer_org_id = 0;
  std::string name{};           // 1..200
  std::string starts_on{}, ends_on{};  // YYYY-MM-DD, ends_on after starts_on, term <= 10 years
  int64_t account_id = 0;       // the buyer's account (currency = the contract's)
  int64_t repay_bps = 0;        // 0..10000
  std::string terms{};          // 0..5000 bytes of free text
  std::vector<ContractLineInput> lines{};  // 1..kMaxContractLines, distinct variants
};
// A coordinator or treasurer of the buyer proposes; the producer's
// coordinator accepts (proposed -> active; Error(conflict) if an active
// contract of the same buyer already covers one of its variants) or
// declines; the buyer withdraws a proposal; either side ends an active one.
Json propose_contract(store::Tx& tx, const Ctx& ctx, const ContractInput& in);
Json accept_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id);
Json decline_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id);
Json withdraw_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id);
Json end_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id);
// Either party's members with a role (coordinator, treasurer, auditor) or an admin.
Json get_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id);
// Contracts where org_id is buyer or producer (role as above), newest first.
Json list_contracts(store::Tx& tx, const Ctx& ctx, int64_t org_id,
                    std::optional<std::string> state, PageReq page);
// The running account, oldest first: {items:[entry], next}.
Json contract_entries(store::Tx& tx, const Ctx& ctx, int64_t contract_id, PageReq page);
// A coordinator or treasurer of the buyer, active contracts: pays an advance
// (ledger transfer, code "market_advance", from the contract's account to
// the producer's operating account; key is the caller's idempotency id as
// for transfers). Returns the contract.
struct AdvanceInput {
  std::string key{};
  int64_t amount = 0;  // 1..kMaxPrice
  std::string memo{};  // 0..200
};
Json pay_advance(store::Tx& tx, const Ctx& ctx, int64_t contract_id, const AdvanceInput& in);

// ---- reports (CSV and printable HTML; UTF-8, CSV per RFC 4180 with a header)

enum class ReportFormat { csv, html };
// Pick list per distribution point (point_id) or for all points: one row per
// member and item with the final quantity (allocated once allocated, else
// ordered), grouped by point then member. Coordinator/auditor.
std::string pick_list(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                      std::optional<int64_t> point_id, ReportFormat f);
// One member's pick list (their receipt): the member or the coordinator.
std::string member_pick_list(store::Tx& tx, const Ctx& ctx, int64_t order_id, ReportFormat f);
// A producer's packing list: per offer the units to pack, split by
// distribution point. Cycle coordinator or the producer's coordinator.
std::string packing_list(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, int64_t producer_org_id,
                         ReportFormat f);
// A producer's statement for a cycle: per offer units ordered, confirmed,
// received and allocated, producer price and amount; the total and the
// ledger transfer that paid it; then each fair-price contract's repayment
// kept back and floor top-up of the cycle, with their transfers, and the
// net to the producer. Same access as packing_list.
std::string producer_statement(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                               int64_t producer_org_id, ReportFormat f);

}  // namespace agora::app::market
