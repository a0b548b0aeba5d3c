#pragma once
// Money as integer minor units of a currency, and the largest-remainder split
// every share-out uses so parts always sum exactly to the whole.
// Value types; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace agora {

struct Money {
  int64_t minor = 0;     // e.g. cents
  std::string currency;  // ISO 4217 code or a community currency code
  auto operator<=>(const Money&) const = default;
};

// Adds with overflow checks; throws Error(out_of_range) instead of wrapping.
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);

// Splits `total` into parts proportional to `weights` (all >= 0, sum > 0) by
// the largest-remainder method; ties go to the lower index. Sum of result ==
// total exactly.
std::vector<int64_t> split_largest_remainder(int64_t total, std::span<const int64_t> weights);

}  // namespace agora
