// Fair-price contracts between a buying org and a producer (app/market.h):
// price floors, volume commitments, pre-financing advances repaid from
// deliveries, and what they add to a cycle's settlement.
#include "app/market.h"
#include "app/market_internal.h"

namespace agora::app::market_detail {

ContractPlan plan_contracts(store::Tx& /*tx*/, Timestamp /*now*/, const repo::CycleRow& /*c*/,
                            int64_t /*clearing*/, std::span<const Delivery> /*deliveries*/) {
  return {};
}

void record_contracts(store::Tx& /*tx*/, Timestamp /*now*/, const repo::CycleRow& /*c*/,
                      const ContractPlan& /*plan*/,
                      std::span<const int64_t> /*move_transfer_ids*/) {}

}  // namespace agora::app::market_detail
