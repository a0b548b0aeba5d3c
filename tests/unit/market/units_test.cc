// Units of measure (market/units.h): the accepted UNECE codes, base units,
// exact conversions and price per base unit with rounding and overflow.

#include "market/units.h"

#include <gtest/gtest.h>

#include <climits>

#include "core/error.h"

namespace agora::market {
namespace {

TEST(MarketUnits, AcceptsOnlyTheListedCodes) {
  for (const char* c : {"KGM", "GRM", "LTR", "MLT", "H87", "DZN", "MTR", "MTK"})
    EXPECT_NO_THROW(check_unit(c)) << c;
  for (const char* c : {"", "kgm", "KG", "XYZ", "KGM "}) {
    try {
      check_unit(c, "/variants/0/unit_code");
      ADD_FAILURE() << "accepted " << c;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::invalid_value);
      EXPECT_EQ(e.field(), "/variants/0/unit_code");
    }
  }
  EXPECT_THROW(base_unit("LBR"), Error);
  EXPECT_THROW(milli_of_base("LBR"), Error);
  EXPECT_THROW(unit_label("LBR"), Error);
}

TEST(MarketUnits, BaseUnitsAndFactors) {
  EXPECT_EQ(base_unit("GRM"), "KGM");
  EXPECT_EQ(base_unit("KGM"), "KGM");
  EXPECT_EQ(base_unit("MLT"), "LTR");
  EXPECT_EQ(base_unit("DZN"), "H87");
  EXPECT_EQ(base_unit("MTK"), "MTK");
  EXPECT_EQ(milli_of_base("GRM"), 1);
  EXPECT_EQ(milli_of_base("KGM"), 1000);
  EXPECT_EQ(milli_of_base("DZN"), 12000);
  EXPECT_EQ(milli_of_base("H87"), 1000);
  EXPECT_EQ(milli_of_base("MLT"), 1);
  EXPECT_EQ(unit_label("KGM"), "kg");
  EXPECT_EQ(unit_label("H87"), "piece");
  EXPECT_EQ(unit_label("MTK"), "m\u00b2");
}

TEST(MarketUnits, BaseMicroIsExact) {
  EXPECT_EQ(base_micro("GRM", 500'000), 500'000);     // a 500 g bag: 0.5 kg
  EXPECT_EQ(base_micro("KGM", 1'000), 1'000'000);     // 1 kg
  EXPECT_EQ(base_micro("DZN", 1'000), 12'000'000);    // a dozen: 12 pieces
  EXPECT_EQ(base_micro("MLT", 750'000), 750'000);     // a 750 ml bottle
  try {
    base_micro("DZN", INT64_MAX / 1000);
    ADD_FAILURE() << "no overflow error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::out_of_range);
  }
}

TEST(MarketUnits, PricePerBaseRoundsHalfUp) {
  EXPECT_EQ(price_per_base(250, "GRM", 500'000), 500);  // 2.50 per 500 g: 5.00 per kg
  EXPECT_EQ(price_per_base(1, "GRM", 3'000), 333);      // 333.33
  EXPECT_EQ(price_per_base(2, "GRM", 3'000), 667);      // 666.67
  EXPECT_EQ(price_per_base(3, "H87", 2'000), 2);        // 1.5 rounds up
  EXPECT_EQ(price_per_base(360, "DZN", 1'000), 30);     // a dozen at 3.60: 0.30 a piece
  EXPECT_EQ(price_per_base(199, "LTR", 1'000), 199);
  EXPECT_EQ(price_per_base(0, "KGM", 1'000), 0);
  EXPECT_EQ(price_per_base(INT64_MAX, "KGM", 1'000), INT64_MAX);
  EXPECT_EQ(price_per_base(INT64_MAX, "GRM", 1), std::nullopt);
  EXPECT_EQ(price_per_base(100, "GRM", 0), std::nullopt);
  EXPECT_EQ(price_per_base(100, "XYZ", 1000), std::nullopt);
  EXPECT_EQ(price_per_base(INT64_MAX, "DZN", INT64_MAX), 83);  // 1e6 / 12000, exact in 128 bits
}

}  // namespace
}  // namespace agora::market
