#include "market/price.h"

#include <limits>
#include <string>

#include "core/error.h"
#include "core/money.h"

namespace agora::market {

int64_t Breakdown::total() const {
  int64_t t = producer;
  for (int64_t v : {transport, packing, margin, fund, tax}) t = checked_add(t, v);
  return t;
}

int64_t Breakdown::part(Part p) const {
  switch (p) {
    case Part::producer: return producer;
    case Part::transport: return transport;
    case Part::packing: return packing;
    case Part::margin: return margin;
    case Part::fund: return fund;
    case Part::tax: return tax;
  }
  return 0;
}

Json Breakdown::to_json() const {
  return Json{{"producer", producer}, {"transport", transport}, {"packing", packing},
              {"margin", margin},     {"fund", fund},           {"tax", tax}};
}

void check_breakdown(const Breakdown& b, int64_t price, std::string_view field) {
  const std::string where = std::string(field) + "/breakdown";
  if (price <= 0) throw Error(Code::rule_violation, "the price must be positive", where);
  for (size_t i = 0; i < kPartNames.size(); ++i) {
    if (b.part(static_cast<Part>(i)) < 0)
      throw Error(Code::rule_violation,
                  "the " + std::string(kPartNames[i]) + " part must not be negative", where);
  }
  if (b.producer == 0) throw Error(Code::rule_violation, "the producer's part must be positive", where);
  __int128 sum = 0;
  for (size_t i = 0; i < kPartNames.size(); ++i) sum += b.part(static_cast<Part>(i));
  if (sum != price) {
    std::string s = sum > std::numeric_limits<int64_t>::max() ? std::string("more than 2^63")
                                                              : std::to_string(static_cast<int64_t>(sum));
    throw Error(Code::rule_violation,
                "the parts sum to " + s + ", the price is " + std::to_string(price) + " (minor units)",
                where);
  }
}

void check_rates(const FeeRates& r) {
  auto bps = [](int64_t v, const char* name) {
    if (v < 0 || v > 10'000)
      throw Error(Code::out_of_range, std::string(name) + " must be 0..10000 basis points",
                  std::string("/fees/") + name);
  };
  auto per_unit = [](int64_t v, const char* name) {
    if (v < 0)
      throw Error(Code::out_of_range, std::string(name) + " must not be negative", std::string("/fees/") + name);
  };
  bps(r.transport_bps, "transport_bps");
  per_unit(r.transport_per_unit, "transport_per_unit");
  bps(r.packing_bps, "packing_bps");
  per_unit(r.packing_per_unit, "packing_per_unit");
  bps(r.margin_bps, "margin_bps");
  bps(r.fund_bps, "fund_bps");
  bps(r.tax_bps, "tax_bps");
}

namespace {

// round_half_up(base * bps / 10000) for base >= 0, bps in 0..10000.
int64_t bps_of(int64_t base, int64_t bps) {
  const __int128 num = static_cast<__int128>(base) * bps;
  return static_cast<int64_t>((num + 5'000) / 10'000);
}

}  // namespace

Breakdown apply_rates(int64_t producer_price, const FeeRates& r) {
  if (producer_price <= 0)
    throw Error(Code::out_of_range, "the producer's price must be positive", "/price");
  check_rates(r);
  Breakdown b;
  b.producer = producer_price;
  b.transport = checked_add(bps_of(producer_price, r.transport_bps), r.transport_per_unit);
  b.packing = checked_add(bps_of(producer_price, r.packing_bps), r.packing_per_unit);
  b.margin = bps_of(producer_price, r.margin_bps);
  b.fund = bps_of(producer_price, r.fund_bps);
  b.tax = 0;
  b.tax = bps_of(b.total(), r.tax_bps);
  b.total();  // refuses a total that overflows
  return b;
}

}  // namespace agora::market
