#include "workplaces/calendar.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace agora::workplaces {
namespace {

TEST(Calendar, ParsesRealDaysOnly) {
  EXPECT_EQ(parse_date("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_THROW(parse_date("2023-02-29"), Error);
  EXPECT_THROW(parse_date("2024-13-01"), Error);
  EXPECT_THROW(parse_date("2024-1-01"), Error);
  EXPECT_THROW(parse_date("1899-12-31"), Error);
  EXPECT_EQ(to_string(parse_date("2026-01-05")), "2026-01-05");
}

TEST(Calendar, DaysRoundTripThroughTimestamps) {
  for (const char* s : {"1970-01-01", "1969-12-31", "2000-02-29", "2026-11-24", "2100-03-01"}) {
    const Date d = parse_date(s);
    EXPECT_EQ(date_of(start_of(d)), d) << s;
    EXPECT_EQ(date_of(Timestamp{start_of(d).us + 86'400'000'000 - 1}), d) << s;
  }
  EXPECT_EQ(start_of(parse_date("1970-01-02")).us, 86'400'000'000);
}

TEST(Calendar, MonthArithmetic) {
  EXPECT_EQ(add_months(parse_date("2026-11-24"), 2), (Date{2027, 1, 1}));
  EXPECT_EQ(add_months(parse_date("2026-01-31"), -1), (Date{2025, 12, 1}));
  EXPECT_EQ(add_months_clamped(parse_date("2024-01-31"), 1), (Date{2024, 2, 29}));
  EXPECT_EQ(add_months_clamped(parse_date("2023-01-31"), 1), (Date{2023, 2, 28}));
  EXPECT_EQ(month_index(parse_date("2027-03-01")) - month_index(parse_date("2026-11-30")), 4);
  EXPECT_EQ(period_of(parse_date("2026-03-15")), "2026-03");
  EXPECT_EQ(parse_period("2026-03"), (Date{2026, 3, 1}));
  EXPECT_THROW(parse_period("2026-3"), Error);
}

}  // namespace
}  // namespace agora::workplaces
