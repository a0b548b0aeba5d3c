#include "core/money.h"

#include <algorithm>
#include <numeric>

#include "core/assert.h"
#include "core/error.h"

namespace agora {

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw Error(Code::out_of_range, "amount overflows 64 bits");
  return r;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw Error(Code::out_of_range, "amount overflows 64 bits");
  return r;
}

std::vector<int64_t> split_largest_remainder(int64_t total, std::span<const int64_t> weights) {
  std::vector<int64_t> parts(weights.size(), 0);
  __int128 sum = 0;
  for (int64_t w : weights) {
    if (w < 0) throw Error(Code::invalid_value, "negative weight in a split");
    sum += w;
  }
  if (weights.empty() || sum == 0) throw Error(Code::invalid_value, "split over zero weight");
  std::vector<std::pair<__int128, size_t>> rem(weights.size());
  __int128 given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 num = static_cast<__int128>(total) * weights[i];
    __int128 q = num / sum;
    __int128 r = num % sum;
    if (r < 0) {  // floor for negative totals
      q -= 1;
      r += sum;
    }
    parts[i] = static_cast<int64_t>(q);
    given += q;
    rem[i] = {r, i};
  }
  std::stable_sort(rem.begin(), rem.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  int64_t left = static_cast<int64_t>(static_cast<__int128>(total) - given);
  AGORA_ASSERT(left >= 0 && static_cast<size_t>(left) <= weights.size());
  for (int64_t k = 0; k < left; ++k) parts[rem[k].second] += 1;
  AGORA_ASSERT(std::accumulate(parts.begin(), parts.end(), static_cast<__int128>(0)) == total);
  return parts;
}

}  // namespace agora
