#pragma once
// Price breakdowns: every price is the producer's part plus each fee
// (transport, packing, the co-op's margin, the fund contribution, tax), and
// the parts always sum exactly to the price. A cycle builds its offers'
// breakdowns from the producer's price and the cycle's fee rates.
// Thread-safe: pure functions.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace agora::market {

enum class Part { producer, transport, packing, margin, fund, tax };
inline constexpr std::array<std::string_view, 6> kPartNames = {"producer", "transport", "packing",
                                                               "margin", "fund", "tax"};

struct Breakdown {
  int64_t producer = 0;
  int64_t transport = 0;
  int64_t packing = 0;
  int64_t margin = 0;
  int64_t fund = 0;
  int64_t tax = 0;
  // The sum of the parts; Error(out_of_range) on overflow.
  int64_t total() const;
  int64_t part(Part p) const;
  // {"producer":..,"transport":..,"packing":..,"margin":..,"fund":..,"tax":..}
  Json to_json() const;
};

// A declared breakdown must have every part >= 0, the producer's part > 0,
// and sum exactly to `price` (> 0). Throws Error(rule_violation,
// field + "/breakdown") naming the difference otherwise ("the parts sum to
// 2.35, the price is 2.40" in minor units).
void check_breakdown(const Breakdown& b, int64_t price, std::string_view field = "");

// A cycle's fee rates: basis points of the producer's price plus a fixed
// amount per unit; tax is basis points of the sum of all other parts.
struct FeeRates {
  int64_t transport_bps = 0, transport_per_unit = 0;
  int64_t packing_bps = 0, packing_per_unit = 0;
  int64_t margin_bps = 0;
  int64_t fund_bps = 0;
  int64_t tax_bps = 0;
};
// Rates: bps 0..10,000 (tax 0..10,000), per-unit amounts >= 0; throws
// Error(out_of_range, "/fees/<name>") otherwise.
void check_rates(const FeeRates& r);

// The breakdown of one unit offered at `producer_price` (> 0): each bps part
// rounded half up, per-unit amounts added. Error(out_of_range) on overflow.
Breakdown apply_rates(int64_t producer_price, const FeeRates& r);

}  // namespace agora::market
