#pragma once
// A lease's rent and solidarity schedule, month by month (DOMAIN.md §5):
// free, fixed or indexed rent (raised by index_bps on each anniversary of
// the start, compounded from the previous year's rounded rent, rounded half
// up to the minor unit), its split into cost rent (debt service, then
// maintenance) and the surplus, and the solidarity contribution per m² per
// month in force on the month's first day. No I/O. Thread-safe: pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "workplaces/calendar.h"

namespace agora::workplaces {

enum class RentKind { free, fixed, indexed };

struct RateStep {
  Date from{};              // first day of a month
  int64_t rate_per_m2 = 0;  // minor units per m² per month
};

struct LeaseTerms {
  Date starts_on{};  // first day of the lease's first month
  RentKind rent_kind = RentKind::fixed;
  int64_t rent_monthly = 0;  // the first year's monthly rent
  int64_t index_bps = 0;     // indexed: the yearly rise in basis points
  int64_t debt_service = 0;  // cost rent, monthly
  int64_t maintenance = 0;   // cost rent, monthly
  int64_t floor_area_m2 = 0;
  std::vector<RateStep> steps{};  // ascending by `from`
};

struct MonthCharge {
  Date month{};  // first day of the month
  int64_t rent = 0;
  int64_t debt_service = 0;
  int64_t maintenance = 0;
  int64_t surplus = 0;  // rent - debt_service - maintenance
  int64_t rate_per_m2 = 0;
  int64_t solidarity = 0;  // rate_per_m2 × floor_area_m2
  int64_t total = 0;       // rent + solidarity
};

struct ScheduleTotals {
  int64_t rent = 0, debt_service = 0, maintenance = 0, surplus = 0, solidarity = 0, total = 0;
};

// The monthly rent in the lease's year `year` (0 = the first twelve months).
// Free: 0; fixed: rent_monthly; indexed: year k's rent is year k-1's ×
// (10000 + index_bps) / 10000 rounded half up. Overflow: Error(out_of_range).
int64_t rent_in_year(const LeaseTerms& t, int64_t year);
// The charges of the month that begins on `month` (a first day, not before
// starts_on). The cost rent takes the rent first (debt service, then
// maintenance), so a rent below the cost rent leaves no surplus and never
// a negative one.
MonthCharge month_charge(const LeaseTerms& t, const Date& month);
// `months` consecutive months from `from` (a first day).
std::vector<MonthCharge> schedule(const LeaseTerms& t, const Date& from, int64_t months);
// Sums of each column (overflow: Error(out_of_range)).
ScheduleTotals totals(std::span<const MonthCharge> months);

}  // namespace agora::workplaces
