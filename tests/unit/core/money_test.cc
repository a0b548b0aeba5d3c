#include "core/money.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace agora {
namespace {

TEST(SplitLargestRemainder, PartsSumToTheWhole) {
  std::vector<int64_t> w{1, 1, 1};
  auto parts = split_largest_remainder(100, w);
  EXPECT_EQ(parts, (std::vector<int64_t>{34, 33, 33}));
}

TEST(SplitLargestRemainder, ProportionalToWeights) {
  std::vector<int64_t> w{3, 1};
  EXPECT_EQ(split_largest_remainder(1000, w), (std::vector<int64_t>{750, 250}));
}

TEST(SplitLargestRemainder, RefusesZeroWeight) {
  std::vector<int64_t> w{0, 0};
  EXPECT_THROW(split_largest_remainder(10, w), Error);
}

TEST(CheckedAdd, RefusesOverflow) {
  EXPECT_THROW(checked_add(INT64_MAX, 1), Error);
  EXPECT_EQ(checked_add(2, 3), 5);
}

}  // namespace
}  // namespace agora
