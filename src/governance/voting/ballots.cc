#include "governance/voting/ballots.h"

#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>

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

BallotSet group_identical(const BallotSet& in) {
  BallotSet out;
  out.option_count = in.option_count;
  const bool has_values = !in.values.empty();
  // Key: the ballot's items (and values) as bytes.
  std::unordered_map<std::string, size_t> index;
  index.reserve(in.size() / 4 + 16);
  std::string key;
  for (size_t i = 0; i < in.size(); ++i) {
    auto items = in.ballot(i);
    auto vals = in.values_of(i);
    key.assign(reinterpret_cast<const char*>(items.data()), items.size_bytes());
    if (has_values) {
      key.push_back('\xff');
      key.append(reinterpret_cast<const char*>(vals.data()), vals.size_bytes());
    }
    auto [it, inserted] = index.try_emplace(key, out.size());
    if (inserted) {
      out.weights.push_back(in.weights[i]);
      out.items.insert(out.items.end(), items.begin(), items.end());
      if (has_values) out.values.insert(out.values.end(), vals.begin(), vals.end());
      out.starts.push_back(out.items.size());
    } else {
      out.weights[it->second] = checked_add(out.weights[it->second], in.weights[i]);
    }
  }
  return out;
}

}  // namespace agora::governance::voting
