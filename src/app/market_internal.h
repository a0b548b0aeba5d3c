#pragma once
// Helpers shared by the market's cycle, order and settlement use cases
// (market_*.cc) only: loading a cycle or order or failing with not_found, the
// authorization questions a cycle asks, the cycle's fee rates and clearing
// account, and the JSON encoders of cycles, offers, points and orders (shapes
// in app/market.h). Not part of the app API; include app/market.h instead.
// Thread-safe: stateless.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/market.h"
#include "app/repo/cycles_repo.h"
#include "store/database.h"

namespace agora::app::market_detail {

// Error(not_found, "order cycle <id> not found", field) when missing.
repo::CycleRow load_cycle(store::Tx& tx, int64_t cycle_id, const char* field = "");
// Error(not_found, ..., field) when missing.
repo::OrderRow load_order(store::Tx& tx, int64_t order_id, const char* field = "");

// Admin or a coordinator of the cycle's coordinating org (or an ancestor).
bool is_cycle_coordinator(store::Tx& tx, const Actor& actor, const repo::CycleRow& c);
// The same or an auditor.
bool is_cycle_coordinator_or_auditor(store::Tx& tx, const Actor& actor, const repo::CycleRow& c);
// Throw Error(unauthenticated) for an anonymous actor, Error(forbidden) otherwise.
void require_cycle_coordinator(store::Tx& tx, const Actor& actor, const repo::CycleRow& c);
void require_cycle_coordinator_or_auditor(store::Tx& tx, const Actor& actor,
                                          const repo::CycleRow& c);

// Error(invalid_state, "the order cycle is <state>; this needs it <what>")
// unless c.state is one of `states`.
void require_state(const repo::CycleRow& c, std::initializer_list<const char*> states,
                   const char* what);

// The coordinator's "clearing" org account in the cycle's currency (opened
// when missing): members' holds credit it; settlement pays out of it.
int64_t clearing_account(store::Tx& tx, Timestamp now, const repo::CycleRow& c);

// The cycle JSON (with coops, points and counts).
Json cycle_json(store::Tx& tx, const repo::CycleRow& c);
// {id, name, state, closes_at} for summaries.
Json cycle_ref_json(const repo::CycleRow& c);
Json point_json(const repo::PointRow& p);
Json offer_json(const repo::OfferView& o);
// The same with its volume tiers (tiers_json).
Json offer_json(const repo::OfferView& o, Json tiers);
// [{min_units, producer_price, price, breakdown}] of tiers, priced by the
// cycle's fee rates.
Json tiers_json(std::span<const repo::TierRow> tiers, const ::agora::market::FeeRates& fees);

// Regional group buying: the hub cycle a local cycle feeds (its offers,
// clearing account and settlement), or the cycle itself.
repo::CycleRow hub_of(store::Tx& tx, const repo::CycleRow& c);
// The order JSON with its lines; allocated / final_amount come from
// market_allocations once the cycle is closed and allocated or settled
// (a line absent there received its quantity), else null.
Json order_json(store::Tx& tx, const repo::CycleRow& c, const repo::OrderRow& o);
// The order without lines (lists): subtotal from the summary.
Json order_summary_json(const repo::OrderSummary& s);

// ---- fair-price contracts in a settlement (market_contracts.cc)

// One offer's delivery as settlement pays it: units allocated to members and
// the producer's part per unit.
struct Delivery {
  int64_t offer_id = 0;
  int64_t variant_id = 0;
  int64_t producer_org_id = 0;
  int64_t units = 0;
  int64_t producer_part = 0;
};
// A money movement a contract adds to the settlement's batch: a repayment
// (clearing -> the contract's account) or a floor top-up (the contract's
// account -> the producer's operating account).
struct ContractMove {
  int64_t contract_id = 0;
  std::string kind{};  // "repayment" | "floor"
  int64_t variant_id = 0;
  int64_t units = 0;
  int64_t amount = 0;  // > 0
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
};
// A delivery under a contract, recorded in its running account.
struct ContractDelivery {
  int64_t contract_id = 0;
  int64_t variant_id = 0;
  int64_t units = 0;
  int64_t amount = 0;  // units x producer part
};
struct ContractPlan {
  std::map<int64_t, int64_t> deductions;  // producer org -> kept back from its payment
  std::vector<ContractMove> moves;         // appended to the batch in this order
  std::vector<ContractDelivery> deliveries;
};
// What the active contracts of the cycle's coordinator add to its
// settlement (empty when none applies). `clearing` is the cycle's clearing
// account. Writes nothing but, when a floor is due, the producer's
// operating account if it had none (undone with the settlement if it fails).
ContractPlan plan_contracts(store::Tx& tx, Timestamp now, const repo::CycleRow& c,
                            int64_t clearing, std::span<const Delivery> deliveries);
// Records the plan's entries once the batch is written: move i was posted as
// transfer move_transfer_ids[i].
void record_contracts(store::Tx& tx, Timestamp now, const repo::CycleRow& c,
                      const ContractPlan& plan, std::span<const int64_t> move_transfer_ids);

}  // namespace agora::app::market_detail
