#include "workplaces/calendar.h"

#include <algorithm>
#include <cstdio>

#include "core/assert.h"
#include "core/error.h"

namespace agora::workplaces {
namespace {

int digits(std::string_view s, size_t from, size_t n) {
  int v = 0;
  for (size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, m, d};
}

constexpr int64_t kUsPerDay = 86'400'000'000;

}  // namespace

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && leap(year)) return 29;
  return kDays[month - 1];
}

Date parse_date(std::string_view s, const char* field) {
  bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-';
  const int y = ok ? digits(s, 0, 4) : -1;
  const int m = ok ? digits(s, 5, 2) : -1;
  const int d = ok ? digits(s, 8, 2) : -1;
  ok = ok && y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
  if (!ok) throw Error(Code::invalid_value, "a date is YYYY-MM-DD", field);
  return Date{y, m, d};
}

std::string to_string(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date date_of(Timestamp t) {
  int64_t days = t.us / kUsPerDay;
  if (t.us % kUsPerDay < 0) --days;
  return civil_from_days(days);
}

Timestamp start_of(const Date& d) {
  return Timestamp{days_from_civil(d.year, d.month, d.day) * kUsPerDay};
}

int64_t month_index(const Date& d) { return static_cast<int64_t>(d.year) * 12 + (d.month - 1); }

Date add_months(const Date& d, int64_t n) {
  const int64_t i = month_index(d) + n;
  AGORA_ASSERT(i >= 1900 * 12 && i < 10000 * 12);
  return Date{static_cast<int>(i / 12), static_cast<int>(i % 12) + 1, 1};
}

Date add_months_clamped(const Date& d, int64_t n) {
  Date first = add_months(d, n);
  first.day = std::min(d.day, days_in_month(first.year, first.month));
  return first;
}

std::string period_of(const Date& d) { return to_string(d).substr(0, 7); }

Date parse_period(std::string_view s, const char* field) {
  bool ok = s.size() == 7 && s[4] == '-';
  const int y = ok ? digits(s, 0, 4) : -1;
  const int m = ok ? digits(s, 5, 2) : -1;
  if (!(ok && y >= 1900 && m >= 1 && m <= 12))
    throw Error(Code::invalid_value, "a period is YYYY-MM", field);
  return Date{y, m, 1};
}

}  // namespace agora::workplaces
