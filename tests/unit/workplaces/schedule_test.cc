// The lease schedule kernel (workplaces/schedule.h): indexed rent compounded
// yearly and rounded half up, the cost-rent/surplus split, the solidarity
// steps, and totals that equal the months to the cent.

#include "workplaces/schedule.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace agora::workplaces {
namespace {

LeaseTerms indexed_lease() {
  return LeaseTerms{.starts_on = parse_date("2026-01-01"),
                    .rent_kind = RentKind::indexed,
                    .rent_monthly = 100'000,
                    .index_bps = 250,
                    .debt_service = 40'000,
                    .maintenance = 15'000,
                    .floor_area_m2 = 250,
                    .steps = {{parse_date("2026-01-01"), 10},
                              {parse_date("2027-01-01"), 15},
                              {parse_date("2028-01-01"), 20}}};
}

TEST(LeaseSchedule, IndexedRentCompoundsYearlyRoundedHalfUp) {
  auto t = indexed_lease();
  EXPECT_EQ(rent_in_year(t, 0), 100'000);
  EXPECT_EQ(rent_in_year(t, 1), 102'500);
  EXPECT_EQ(rent_in_year(t, 2), 105'063);  // 105,062.5 rounds up
  EXPECT_EQ(rent_in_year(t, 3), 107'690);  // 107,689.575 from the rounded 105,063

  LeaseTerms half{.rent_kind = RentKind::indexed, .rent_monthly = 3, .index_bps = 5'000};
  EXPECT_EQ(rent_in_year(half, 1), 5);  // 4.5 -> 5
  LeaseTerms below{.rent_kind = RentKind::indexed, .rent_monthly = 1, .index_bps = 4'999};
  EXPECT_EQ(rent_in_year(below, 1), 1);  // 1.4999 -> 1
}

TEST(LeaseSchedule, FreeAndFixedRentNeverChange) {
  auto t = indexed_lease();
  t.rent_kind = RentKind::fixed;
  EXPECT_EQ(rent_in_year(t, 7), 100'000);
  t.rent_kind = RentKind::free;
  EXPECT_EQ(rent_in_year(t, 0), 0);
  auto m = month_charge(t, parse_date("2027-03-01"));
  EXPECT_EQ(m.rent, 0);
  EXPECT_EQ(m.debt_service + m.maintenance + m.surplus, 0);
  EXPECT_EQ(m.solidarity, 15 * 250);  // the contribution is due on free rent too
}

TEST(LeaseSchedule, ThirtySixMonthsSplitAndSumToTheCent) {
  auto t = indexed_lease();
  auto months = schedule(t, t.starts_on, 36);
  ASSERT_EQ(months.size(), 36u);
  EXPECT_EQ(months[0].month, parse_date("2026-01-01"));
  EXPECT_EQ(months[11].rent, 100'000);
  EXPECT_EQ(months[12].rent, 102'500);
  EXPECT_EQ(months[24].rent, 105'063);
  EXPECT_EQ(months[35].month, parse_date("2028-12-01"));
  EXPECT_EQ(months[12].surplus, 102'500 - 55'000);
  EXPECT_EQ(months[11].rate_per_m2, 10);
  EXPECT_EQ(months[12].solidarity, 3'750);
  EXPECT_EQ(months[30].solidarity, 5'000);
  for (const auto& m : months) {
    EXPECT_EQ(m.debt_service, 40'000);
    EXPECT_EQ(m.maintenance, 15'000);
    EXPECT_EQ(m.debt_service + m.maintenance + m.surplus, m.rent);
    EXPECT_EQ(m.rent + m.solidarity, m.total);
  }
  auto s = totals(months);
  EXPECT_EQ(s.rent, 12 * (100'000 + 102'500 + 105'063));
  EXPECT_EQ(s.debt_service, 36 * 40'000);
  EXPECT_EQ(s.maintenance, 36 * 15'000);
  EXPECT_EQ(s.surplus, s.rent - 36 * 55'000);
  EXPECT_EQ(s.solidarity, 12 * (2'500 + 3'750 + 5'000));
  EXPECT_EQ(s.total, s.rent + s.solidarity);
}

TEST(LeaseSchedule, AnniversariesCountFromTheStartMonth) {
  auto t = indexed_lease();
  t.starts_on = parse_date("2026-07-01");
  t.steps = {};
  EXPECT_EQ(month_charge(t, parse_date("2027-06-01")).rent, 100'000);
  EXPECT_EQ(month_charge(t, parse_date("2027-07-01")).rent, 102'500);
  EXPECT_EQ(month_charge(t, parse_date("2027-07-01")).solidarity, 0);
}

TEST(LeaseSchedule, CostRentTakesTheRentFirst) {
  LeaseTerms t{.starts_on = parse_date("2026-01-01"),
               .rent_kind = RentKind::fixed,
               .rent_monthly = 500,
               .debt_service = 400,
               .maintenance = 300};
  auto m = month_charge(t, t.starts_on);
  EXPECT_EQ(m.debt_service, 400);
  EXPECT_EQ(m.maintenance, 100);
  EXPECT_EQ(m.surplus, 0);
}

TEST(LeaseSchedule, OverflowIsRefused) {
  LeaseTerms t{.starts_on = parse_date("2026-01-01"),
               .rent_kind = RentKind::indexed,
               .rent_monthly = INT64_MAX / 2,
               .index_bps = 5'000};
  EXPECT_THROW(rent_in_year(t, 10), Error);
  LeaseTerms area{.starts_on = parse_date("2026-01-01"),
                  .floor_area_m2 = INT64_MAX / 2,
                  .steps = {{parse_date("2026-01-01"), 3}}};
  EXPECT_THROW(month_charge(area, area.starts_on), Error);
}

}  // namespace
}  // namespace agora::workplaces
