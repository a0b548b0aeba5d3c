#pragma once
// Ballots as the voting methods read them: one flat, compact set (CSR
// layout) so that ten million ballots are three arrays, not ten million
// vectors. Every method in voting.h takes a BallotSet.
//
// The meaning of a ballot's items depends on the method's BallotKind:
//   choice  (majority, consent, plurality): exactly one item, the option chosen
//   marks   (approval): the options approved, each at most once
//   scores  (score, star, dot): items are options, values[] the score/points
//   ranking (irv, schulze, ranked_pairs, scottish_stv, meek_stv): options in
//           order of preference, no repeats; may stop early (unranked
//           options rank below every ranked one, equal among themselves)
// A ballot with no items is blank: it counts for turnout, not for options.
// Not thread-safe to modify; const methods may be called from any thread.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace agora::governance::voting {

struct BallotSet {
  int32_t option_count = 0;
  std::vector<int64_t> weights;     // per ballot, >= 1
  std::vector<uint64_t> starts{0};  // ballot i's items: items[starts[i] .. starts[i+1])
  std::vector<int32_t> items;       // option indexes 0..option_count-1
  std::vector<int32_t> values;      // parallel to items for scores ballots; else empty

  size_t size() const { return weights.size(); }
  // Appends a ballot. `values`, when given, has one entry per item.
  // Throws agora::Error(invalid_value) when weight < 1 or the sizes differ.
  // Items are not checked here: each method skips and reports bad ballots.
  void add(int64_t weight, std::span<const int32_t> ballot_items,
           std::span<const int32_t> ballot_values = {});
  std::span<const int32_t> ballot(size_t i) const {
    return {items.data() + starts[i], items.data() + starts[i + 1]};
  }
  std::span<const int32_t> values_of(size_t i) const {
    return values.empty() ? std::span<const int32_t>{}
                          : std::span<const int32_t>{values.data() + starts[i], values.data() + starts[i + 1]};
  }
  int64_t total_weight() const;  // Error(out_of_range) on overflow
  void reserve(size_t ballots, size_t items_total);
};

// Merges identical ballots (same items in the same order and same values),
// adding their weights; groups keep the order of first appearance. Ranked
// methods count groups, not ballots.
BallotSet group_identical(const BallotSet& in);

}  // namespace agora::governance::voting
