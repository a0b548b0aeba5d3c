#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/error.h"

namespace agora {

Timestamp SystemClock::now() const {
  using namespace std::chrono;
  return Timestamp{duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

std::string format_iso8601(Timestamp t) {
  int64_t secs = t.us / 1000000;
  int64_t frac = t.us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(frac));
  return buf;
}

Timestamp parse_iso8601(const std::string& text) {
  int y, mo, d, h, mi, s;
  char tail[16] = {0};
  int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &y, &mo, &d, &h, &mi, &s, tail);
  if (n < 6 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    throw Error(Code::invalid_value, "not an ISO 8601 UTC time: " + text);
  }
  int64_t frac_us = 0;
  const char* p = tail;
  if (*p == '.') {
    ++p;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
      if (digits < 6) {
        frac_us = frac_us * 10 + (*p - '0');
        ++digits;
      }
      ++p;
    }
    while (digits++ < 6) frac_us *= 10;
  }
  if (std::string(p) != "Z") throw Error(Code::invalid_value, "time must be UTC (end in Z): " + text);
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t secs = timegm(&tm);
  return Timestamp{secs * 1000000 + frac_us};
}

}  // namespace agora
