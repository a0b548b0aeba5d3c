#include "governance/voting/ballots.h"

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "core/money.h"

namespace agora::governance::voting {

void BallotSet::add(int64_t weight, std::span<const int32_t> ballot_items,
                    std::span<const int32_t> ballot_values) {
  if (weight < 1) throw Error(Code::invalid_value, "a ballot's weight must be at least 1", "weight");
  if (!ballot_values.empty() && ballot_values.size() != ballot_items.size())
    throw Error(Code::invalid_value, "a ballot needs one value per item", "values");
  if (ballot_values.empty() && !values.empty() && !ballot_items.empty())
    throw Error(Code::invalid_value, "this ballot set has values on every ballot", "values");
  if (!ballot_values.empty() && values.size() != items.size())
    throw Error(Code::invalid_value, "this ballot set has no values", "values");
  weights.push_back(weight);
  items.insert(items.end(), ballot_items.begin(), ballot_items.end());
  values.insert(values.end(), ballot_values.begin(), ballot_values.end());
  starts.push_back(items.size());
}

int64_t BallotSet::total_weight() const {
  int64_t sum = 0;
  for (int64_t w : weights) sum = checked_add(sum, w);
  return sum;
}

void BallotSet::reserve(size_t ballots, size_t items_total) {
  weights.reserve(ballots);
  starts.reserve(ballots + 1);
  items.reserve(items_total);
}

namespace {
uint64_t hash_ballot(std::span<const int32_t> items, std::span<const int32_t> values) {
  uint64_t h = 0xcbf29ce484222325ULL ^ items.size();
  auto mix = [&h](uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0x100000001b3ULL;
  };
  for (int32_t x : items) mix(static_cast<uint32_t>(x));
  for (int32_t x : values) mix(static_cast<uint64_t>(static_cast<uint32_t>(x)) << 32);
  return h ^ (h >> 29);
}
}  // namespace

BallotSet group_identical(const BallotSet& in) {
  BallotSet out;
  out.option_count = in.option_count;
  const bool has_values = !in.values.empty();
  // Open addressing over group indexes, keyed by the ballot's contents (no
  // per-ballot allocation: a million ballots take one pass).
  size_t capacity = 64;
  std::vector<uint64_t> slot_hash(capacity);
  std::vector<int64_t> slot_group(capacity, -1);
  auto grow = [&] {
    size_t next = capacity * 2;
    std::vector<uint64_t> h2(next);
    std::vector<int64_t> g2(next, -1);
    for (size_t i = 0; i < capacity; ++i) {
      if (slot_group[i] < 0) continue;
      size_t j = slot_hash[i] & (next - 1);
      while (g2[j] >= 0) j = (j + 1) & (next - 1);
      h2[j] = slot_hash[i];
      g2[j] = slot_group[i];
    }
    slot_hash.swap(h2);
    slot_group.swap(g2);
    capacity = next;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    auto items = in.ballot(i);
    auto vals = in.values_of(i);
    const uint64_t h = hash_ballot(items, vals);
    size_t j = h & (capacity - 1);
    int64_t found = -1;
    while (slot_group[j] >= 0) {
      if (slot_hash[j] == h) {
        auto g = static_cast<size_t>(slot_group[j]);
        auto gi = out.ballot(g);
        auto gv = out.values_of(g);
        if (std::equal(gi.begin(), gi.end(), items.begin(), items.end()) &&
            std::equal(gv.begin(), gv.end(), vals.begin(), vals.end())) {
          found = slot_group[j];
          break;
        }
      }
      j = (j + 1) & (capacity - 1);
    }
    if (found >= 0) {
      out.weights[found] = checked_add(out.weights[found], in.weights[i]);
      continue;
    }
    slot_hash[j] = h;
    slot_group[j] = static_cast<int64_t>(out.size());
    out.weights.push_back(in.weights[i]);
    out.items.insert(out.items.end(), items.begin(), items.end());
    if (has_values) out.values.insert(out.values.end(), vals.begin(), vals.end());
    out.starts.push_back(out.items.size());
    if (out.size() * 2 > capacity) grow();
  }
  return out;
}

}  // namespace agora::governance::voting
