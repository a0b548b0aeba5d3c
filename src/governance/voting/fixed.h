#pragma once
// Fixed-point decimal amounts for the STV counts: an int64 count of units of
// 10^-places (5 places for Scottish STV, 9 for Meek STV), with products and
// quotients taken through __int128 and rounded the way each statute says
// (truncated, or rounded up). Written by hand because the statutes fix the
// rounding of every step, which no decimal library does for us.
// Thread-safe: pure functions.

#include <cstdint>
#include <string>

#include "core/assert.h"
#include "core/error.h"

namespace agora::governance::voting::fixed {

// 10^places, places in 0..18.
constexpr int64_t scale(int places) {
  int64_t s = 1;
  for (int i = 0; i < places; ++i) s *= 10;
  return s;
}

// floor(a * b / c) for a, b >= 0, c > 0; the result must fit in int64.
inline int64_t mul_div_down(int64_t a, int64_t b, int64_t c) {
  AGORA_ASSERT(a >= 0 && b >= 0 && c > 0);
  __int128 q = static_cast<__int128>(a) * b / c;
  AGORA_ASSERT(q <= INT64_MAX);
  return static_cast<int64_t>(q);
}

// ceil(a * b / c) for a, b >= 0, c > 0; the result must fit in int64.
inline int64_t mul_div_up(int64_t a, int64_t b, int64_t c) {
  AGORA_ASSERT(a >= 0 && b >= 0 && c > 0);
  __int128 p = static_cast<__int128>(a) * b;
  __int128 q = p / c + (p % c != 0 ? 1 : 0);
  AGORA_ASSERT(q <= INT64_MAX);
  return static_cast<int64_t>(q);
}

// a * b, throwing Error(out_of_range) instead of overflowing.
inline int64_t mul(int64_t a, int64_t b) {
  __int128 p = static_cast<__int128>(a) * b;
  if (p > INT64_MAX || p < INT64_MIN)
    throw Error(Code::out_of_range, "vote total too large", "ballots");
  return static_cast<int64_t>(p);
}

// "1234.56789" for units = 123456789 at 5 places; negative amounts keep the sign.
inline std::string to_string(int64_t units, int places) {
  const int64_t s = scale(places);
  const bool negative = units < 0;
  // Through unsigned so that INT64_MIN cannot overflow on negation.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string frac = std::to_string(magnitude % static_cast<uint64_t>(s));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / static_cast<uint64_t>(s));
  if (places > 0) {
    out += '.';
    out.append(static_cast<size_t>(places) - frac.size(), '0');
    out += frac;
  }
  return out;
}

}  // namespace agora::governance::voting::fixed
