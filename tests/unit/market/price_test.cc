// Price breakdowns (market/price.h): parts summing exactly to the price,
// fee rates with half-up rounding, and the bounds and overflow refused.

#include "market/price.h"

#include <gtest/gtest.h>

#include <climits>
#include <functional>
#include <random>
#include <string>

#include "core/error.h"

namespace agora::market {
namespace {

Error error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an agora::Error";
  return Error(Code::internal, "none");
}

TEST(MarketPrice, TotalPartsAndJson) {
  Breakdown b{.producer = 200, .transport = 10, .packing = 5, .margin = 15, .fund = 2, .tax = 8};
  EXPECT_EQ(b.total(), 240);
  EXPECT_EQ(b.part(Part::producer), 200);
  EXPECT_EQ(b.part(Part::fund), 2);
  EXPECT_EQ(b.part(Part::tax), 8);
  Json j = b.to_json();
  EXPECT_EQ(j.size(), 6u);
  for (size_t i = 0; i < kPartNames.size(); ++i)
    EXPECT_EQ(j[std::string(kPartNames[i])], b.part(static_cast<Part>(i)));
  Breakdown big{.producer = INT64_MAX, .tax = 1};
  EXPECT_EQ(error_of([&] { big.total(); }).code(), Code::out_of_range);
}

TEST(MarketPrice, CheckBreakdown) {
  Breakdown b{.producer = 200, .transport = 10, .packing = 5, .margin = 15, .fund = 2, .tax = 3};
  EXPECT_NO_THROW(check_breakdown(b, 235));
  Error e = error_of([&] { check_breakdown(b, 240, "/variants/1"); });
  EXPECT_EQ(e.code(), Code::rule_violation);
  EXPECT_EQ(e.field(), "/variants/1/breakdown");
  EXPECT_NE(std::string(e.what()).find("235"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("240"), std::string::npos) << e.what();
  Breakdown neg = b;
  neg.margin = -15;
  neg.producer = 230;
  EXPECT_EQ(error_of([&] { check_breakdown(neg, 235); }).code(), Code::rule_violation);
  Breakdown no_producer{.producer = 0, .transport = 10};
  EXPECT_EQ(error_of([&] { check_breakdown(no_producer, 10); }).field(), "/breakdown");
  EXPECT_EQ(error_of([&] { check_breakdown(Breakdown{}, 0); }).code(), Code::rule_violation);
  // Parts whose sum overflows are a mismatch, not a crash.
  Breakdown huge{.producer = INT64_MAX, .transport = INT64_MAX};
  EXPECT_EQ(error_of([&] { check_breakdown(huge, INT64_MAX); }).code(), Code::rule_violation);
}

TEST(MarketPrice, CheckRates) {
  EXPECT_NO_THROW(check_rates(FeeRates{}));
  EXPECT_NO_THROW(check_rates(FeeRates{.transport_bps = 10'000, .tax_bps = 10'000}));
  EXPECT_EQ(error_of([] { check_rates(FeeRates{.margin_bps = 10'001}); }).field(), "/fees/margin_bps");
  EXPECT_EQ(error_of([] { check_rates(FeeRates{.fund_bps = -1}); }).field(), "/fees/fund_bps");
  EXPECT_EQ(error_of([] { check_rates(FeeRates{.packing_per_unit = -1}); }).field(),
            "/fees/packing_per_unit");
  EXPECT_EQ(error_of([] { check_rates(FeeRates{.tax_bps = 20'000}); }).code(), Code::out_of_range);
}

TEST(MarketPrice, ApplyRatesRoundsHalfUpAndTaxesTheRest) {
  FeeRates r{.transport_bps = 250, .transport_per_unit = 10, .packing_bps = 0, .packing_per_unit = 4,
             .margin_bps = 1000, .fund_bps = 100, .tax_bps = 1000};
  Breakdown b = apply_rates(1000, r);
  EXPECT_EQ(b.producer, 1000);
  EXPECT_EQ(b.transport, 35);  // 25 + 10
  EXPECT_EQ(b.packing, 4);
  EXPECT_EQ(b.margin, 100);
  EXPECT_EQ(b.fund, 10);
  EXPECT_EQ(b.tax, 115);  // 10% of 1149, half up: 114.9
  EXPECT_EQ(b.total(), 1264);
  EXPECT_NO_THROW(check_breakdown(b, b.total()));

  Breakdown h = apply_rates(10, FeeRates{.margin_bps = 500, .fund_bps = 499});
  EXPECT_EQ(h.margin, 1);  // 0.5 rounds up
  EXPECT_EQ(h.fund, 0);    // 0.499 rounds down
  EXPECT_EQ(apply_rates(7, FeeRates{}).total(), 7);
}

TEST(MarketPrice, ApplyRatesRefusesOverflowAndBadInput) {
  EXPECT_EQ(error_of([] { apply_rates(INT64_MAX, FeeRates{.margin_bps = 10'000}); }).code(),
            Code::out_of_range);
  EXPECT_EQ(error_of([] { apply_rates(INT64_MAX - 5, FeeRates{.transport_per_unit = 10}); }).code(),
            Code::out_of_range);
  EXPECT_EQ(error_of([] { apply_rates(INT64_MAX / 2, FeeRates{.margin_bps = 10'000, .tax_bps = 10}); })
                .code(),
            Code::out_of_range);
  EXPECT_EQ(error_of([] { apply_rates(0, FeeRates{}); }).code(), Code::out_of_range);
  EXPECT_EQ(error_of([] { apply_rates(10, FeeRates{.margin_bps = 10'001}); }).field(), "/fees/margin_bps");
}

TEST(MarketPrice, RandomRatesAlwaysSumToTheirTotal) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    auto bps = [&] { return static_cast<int64_t>(rng() % 10'001); };
    FeeRates r{.transport_bps = bps(), .transport_per_unit = static_cast<int64_t>(rng() % 1000),
               .packing_bps = bps(), .packing_per_unit = static_cast<int64_t>(rng() % 1000),
               .margin_bps = bps(), .fund_bps = bps(), .tax_bps = bps()};
    int64_t p = 1 + static_cast<int64_t>(rng() % 10'000'000);
    Breakdown b = apply_rates(p, r);
    EXPECT_EQ(b.producer, p);
    // Each bps part is within half a unit of the exact value.
    __int128 exact2 = static_cast<__int128>(2) * p * r.margin_bps;
    const __int128 diff = exact2 - static_cast<__int128>(20'000) * b.margin;
    EXPECT_TRUE(diff >= -10'000 && diff < 10'000);
    ASSERT_NO_THROW(check_breakdown(b, b.total()));
  }
}

}  // namespace
}  // namespace agora::market
