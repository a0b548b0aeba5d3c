#include "workplaces/schedule.h"

#include <algorithm>

#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::workplaces {

int64_t rent_in_year(const LeaseTerms& t, int64_t year) {
  AGORA_ASSERT(year >= 0);
  if (t.rent_kind == RentKind::free) return 0;
  int64_t rent = t.rent_monthly;
  if (t.rent_kind == RentKind::fixed) return rent;
  for (int64_t y = 0; y < year; ++y) {
    // rent × (10000 + bps) / 10000, half up; 128-bit so only the result can overflow.
    __int128 scaled = static_cast<__int128>(rent) * (10'000 + t.index_bps) + 5'000;
    __int128 next = scaled / 10'000;
    if (next > INT64_MAX) {
      throw Error(Code::out_of_range, "the indexed rent overflows", "/rent_monthly");
    }
    rent = static_cast<int64_t>(next);
  }
  return rent;
}

MonthCharge month_charge(const LeaseTerms& t, const Date& month) {
  AGORA_ASSERT(month.day == 1 && month >= t.starts_on);
  MonthCharge m{.month = month};
  m.rent = rent_in_year(t, (month_index(month) - month_index(t.starts_on)) / 12);
  m.debt_service = std::min(t.debt_service, m.rent);
  m.maintenance = std::min(t.maintenance, m.rent - m.debt_service);
  m.surplus = m.rent - m.debt_service - m.maintenance;
  for (const auto& s : t.steps) {
    if (s.from <= month) m.rate_per_m2 = s.rate_per_m2;
  }
  m.solidarity = checked_mul(m.rate_per_m2, t.floor_area_m2);
  m.total = checked_add(m.rent, m.solidarity);
  AGORA_ASSERT(m.surplus >= 0 && m.debt_service + m.maintenance + m.surplus == m.rent);
  return m;
}

std::vector<MonthCharge> schedule(const LeaseTerms& t, const Date& from, int64_t months) {
  AGORA_ASSERT(months >= 0);
  std::vector<MonthCharge> out;
  out.reserve(static_cast<size_t>(months));
  for (int64_t i = 0; i < months; ++i) out.push_back(month_charge(t, add_months(from, i)));
  return out;
}

ScheduleTotals totals(std::span<const MonthCharge> months) {
  ScheduleTotals s;
  for (const auto& m : months) {
    s.rent = checked_add(s.rent, m.rent);
    s.debt_service = checked_add(s.debt_service, m.debt_service);
    s.maintenance = checked_add(s.maintenance, m.maintenance);
    s.surplus = checked_add(s.surplus, m.surplus);
    s.solidarity = checked_add(s.solidarity, m.solidarity);
    s.total = checked_add(s.total, m.total);
  }
  return s;
}

}  // namespace agora::workplaces
