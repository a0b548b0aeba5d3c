#pragma once
// Ballot-building helpers shared by the voting tests (tests/unit/governance).

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "governance/voting/voting.h"

namespace agora::governance::voting::test_voting {

// Adds a ranked (or approval) ballot of weight `w`.
inline void add(BallotSet& b, int64_t w, std::initializer_list<int32_t> items) {
  std::vector<int32_t> v(items);
  b.add(w, v);
}

// An empty ballot set over `options` options.
inline BallotSet set_of(int32_t options) {
  BallotSet b;
  b.option_count = options;
  return b;
}

}  // namespace agora::governance::voting::test_voting
