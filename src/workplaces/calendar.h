#pragma once
// Calendar days and months for leases, rent periods and buy-out
// installments: a date is "YYYY-MM-DD" (years 1900..9999, a real day), a
// period is "YYYY-MM". Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace agora::workplaces {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..days_in_month
  auto operator<=>(const Date&) const = default;
};

// Error(invalid_value, "a date is YYYY-MM-DD", field) unless `text` names a real day.
Date parse_date(std::string_view text, const char* field = "");
std::string to_string(const Date& d);  // "YYYY-MM-DD"
// The UTC day of a timestamp.
Date date_of(Timestamp t);
// 00:00:00 UTC of the day.
Timestamp start_of(const Date& d);

int days_in_month(int year, int month);
// Months counted from year 0 (year * 12 + month - 1): differences count months.
int64_t month_index(const Date& d);
// The first day of the month `n` months after d's month (n may be negative).
Date add_months(const Date& d, int64_t n);
// The day `n` months after d, clamped to the month's last day (31 Jan + 1 = 28/29 Feb).
Date add_months_clamped(const Date& d, int64_t n);
// "YYYY-MM" of d's month; Error(invalid_value, "a period is YYYY-MM", field) on parse.
std::string period_of(const Date& d);
Date parse_period(std::string_view text, const char* field = "");  // the month's first day

}  // namespace agora::workplaces
