// Whole cases and the sharing of what was received (market/allocation.h):
// worked examples in the style of Foodsoft's case filling, and the
// allocation's properties checked over thousands of random seeds with exact
// integer cross-multiplication.

#include "market/allocation.h"

#include <gtest/gtest.h>

#include <climits>
#include <random>
#include <vector>

#include "core/error.h"

namespace agora::market {
namespace {

using V = std::vector<int64_t>;

V alloc(int64_t received, std::vector<Claim> claims, ShareRule rule) {
  return allocate(received, claims, rule);
}

TEST(MarketCases, FillsCasesWithTolerancesButNeverByToleranceAlone) {
  // Case of 6: orders 2+1 and 3+0 make 5 + 1 tolerance: one case.
  EXPECT_EQ(cases_to_order(5, 1, 6), 1);
  // 5 ordered, no tolerance: the case is not full.
  EXPECT_EQ(cases_to_order(5, 0, 6), 0);
  EXPECT_EQ(cases_to_order(6, 0, 6), 1);
  EXPECT_EQ(cases_to_order(4, 4, 6), 1);
  EXPECT_EQ(cases_to_order(7, 0, 6), 1);   // the seventh unit waits
  EXPECT_EQ(cases_to_order(7, 5, 6), 2);
  EXPECT_EQ(cases_to_order(1, 12, 6), 1);  // tolerance alone never fills a second case
  EXPECT_EQ(cases_to_order(12, 100, 6), 2);
  EXPECT_EQ(cases_to_order(0, 50, 6), 0);
  EXPECT_EQ(cases_to_order(1, 0, 1), 1);
  EXPECT_EQ(cases_to_order(20, 0, 6, 12), 2);  // capped at 12 units
  EXPECT_EQ(cases_to_order(20, 0, 6, 5), 0);
  EXPECT_EQ(cases_to_order(20, 0, 6, -1), 3);
  EXPECT_EQ(cases_to_order(INT64_MAX, INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(cases_to_order(INT64_MAX, INT64_MAX, INT64_MAX), 1);
  EXPECT_THROW(cases_to_order(5, 1, 0), Error);
  EXPECT_THROW(cases_to_order(-1, 1, 6), Error);
  EXPECT_THROW(cases_to_order(5, -1, 6), Error);
}

TEST(MarketCases, RandomCasesMatchTheirDefinition) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    int64_t q = static_cast<int64_t>(rng() % 50);
    int64_t t = static_cast<int64_t>(rng() % 50);
    int64_t c = 1 + static_cast<int64_t>(rng() % 24);
    int64_t n = cases_to_order(q, t, c);
    // n cases fit quantities plus tolerances; one more would not, or would
    // be filled by tolerance alone.
    EXPECT_LE(n * c, q + t);
    if (q == 0) {
      EXPECT_EQ(n, 0);
      continue;
    }
    EXPECT_LT((n - 1) * c, q) << q << "+" << t << " case " << c;
    EXPECT_TRUE((n + 1) * c > q + t || n * c >= q) << q << "+" << t << " case " << c;
  }
}

TEST(MarketShareRule, Names) {
  EXPECT_EQ(parse_rule("proportional"), ShareRule::proportional);
  EXPECT_EQ(parse_rule("first_come"), ShareRule::first_come);
  EXPECT_EQ(rule_name(ShareRule::first_come), "first_come");
  EXPECT_EQ(rule_name(ShareRule::proportional), "proportional");
  try {
    parse_rule("lottery");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::invalid_value);
    EXPECT_EQ(e.field(), "/share_rule");
  }
}

TEST(MarketAllocation, WorkedExamples) {
  const auto P = ShareRule::proportional;
  const auto F = ShareRule::first_come;
  // Case of 6, orders 2+1 and 3+0: the full case gives the first its tolerance.
  EXPECT_EQ(alloc(6, {{2, 1}, {3, 0}}, P), (V{3, 3}));
  EXPECT_EQ(alloc(6, {{2, 1}, {3, 0}}, F), (V{3, 3}));
  // Only 4 arrived: 1.6 and 2.4, the larger remainder (0.6) gets the unit.
  EXPECT_EQ(alloc(4, {{2, 1}, {3, 0}}, P), (V{2, 2}));
  EXPECT_EQ(alloc(3, {{2, 1}, {3, 0}}, P), (V{1, 2}));
  EXPECT_EQ(alloc(3, {{2, 1}, {3, 0}}, F), (V{2, 1}));
  EXPECT_EQ(alloc(1, {{2, 1}, {3, 0}}, F), (V{1, 0}));
  // Exactly the quantities: nobody's tolerance is used.
  EXPECT_EQ(alloc(5, {{2, 1}, {3, 0}}, P), (V{2, 3}));
  // Tolerances shared by size: 2 extra over tolerances 2 and 2.
  EXPECT_EQ(alloc(8, {{2, 2}, {3, 2}, {1, 0}}, P), (V{3, 4, 1}));
  EXPECT_EQ(alloc(8, {{2, 2}, {3, 2}, {1, 0}}, F), (V{4, 3, 1}));
  // A tie goes to the earlier claim.
  EXPECT_EQ(alloc(7, {{3, 2}, {3, 2}}, P), (V{4, 3}));
  EXPECT_EQ(alloc(3, {{1, 0}, {1, 0}, {1, 0}, {1, 0}}, P), (V{1, 1, 1, 0}));
  // More than everyone accepts: each gets quantity plus tolerance.
  EXPECT_EQ(alloc(100, {{2, 1}, {3, 0}}, P), (V{3, 3}));
  EXPECT_EQ(alloc(100, {{2, 1}, {3, 0}}, F), (V{3, 3}));
  // Nothing arrived; nobody claimed.
  EXPECT_EQ(alloc(0, {{2, 1}, {3, 0}}, P), (V{0, 0}));
  EXPECT_EQ(alloc(10, {}, P), V{});
  // Two cases of 6 for 5+1, 4+2, 2+0 (11 ordered, 3 tolerance).
  EXPECT_EQ(alloc(12, {{5, 1}, {4, 2}, {2, 0}}, P), (V{5, 5, 2}));
  EXPECT_EQ(alloc(12, {{5, 1}, {4, 2}, {2, 0}}, F), (V{6, 4, 2}));
}

TEST(MarketAllocation, RefusesBadInput) {
  const auto P = ShareRule::proportional;
  EXPECT_THROW(alloc(-1, {{1, 0}}, P), Error);
  EXPECT_THROW(alloc(1, {{0, 1}}, P), Error);
  EXPECT_THROW(alloc(1, {{1, -1}}, P), Error);
  EXPECT_THROW(alloc(1, {{INT64_MAX, 1}}, P), Error);
}

TEST(MarketAllocation, HugeValuesNeverOverflow) {
  const auto P = ShareRule::proportional;
  const int64_t M = INT64_MAX;
  V a = alloc(M, {{M, 0}, {M, 0}, {M / 2, M / 2}}, P);
  __int128 sum = 0;
  for (int64_t x : a) sum += x;
  EXPECT_EQ(sum, M);
  V b = alloc(M, {{1, M - 1}, {1, M - 1}}, P);
  EXPECT_EQ(static_cast<__int128>(b[0]) + b[1], M);
  EXPECT_EQ(b[0] - b[1], 1);  // the tie goes to the earlier claim
}

// Checks every promise of allocate() for one input.
void check_properties(int64_t received, const std::vector<Claim>& claims, ShareRule rule,
                      const V& a) {
  ASSERT_EQ(a.size(), claims.size());
  __int128 sum_q = 0, sum_t = 0, sum_a = 0;
  for (const auto& c : claims) {
    sum_q += c.quantity;
    sum_t += c.tolerance;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i], 0);
    EXPECT_LE(a[i], claims[i].quantity + claims[i].tolerance);
    sum_a += a[i];
  }
  EXPECT_EQ(sum_a, std::min<__int128>(received, sum_q + sum_t));
  const bool short_ = received < sum_q;
  if (short_) {
    for (size_t i = 0; i < a.size(); ++i) EXPECT_LE(a[i], claims[i].quantity) << "tolerance when short";
    if (rule == ShareRule::proportional) {
      // |a[i] - received * q / Q| < 1  <=>  |a[i] * Q - received * q| < Q
      for (size_t i = 0; i < a.size(); ++i) {
        __int128 d = static_cast<__int128>(a[i]) * sum_q - static_cast<__int128>(received) * claims[i].quantity;
        EXPECT_TRUE(d < sum_q && -d < sum_q) << "claim " << i;
      }
    } else {
      // Earlier claims filled in full first.
      size_t k = 0;
      while (k < a.size() && a[k] == claims[k].quantity) ++k;
      for (size_t j = k + 1; j < a.size(); ++j) EXPECT_EQ(a[j], 0) << "claim " << j;
    }
    return;
  }
  for (size_t i = 0; i < a.size(); ++i) EXPECT_GE(a[i], claims[i].quantity);
  const __int128 rest = std::min<__int128>(received - sum_q, sum_t);
  if (rule == ShareRule::proportional) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (sum_t == 0) break;
      __int128 extra = a[i] - claims[i].quantity;
      __int128 d = extra * sum_t - rest * claims[i].tolerance;
      EXPECT_TRUE(d < sum_t && -d < sum_t) << "claim " << i;
    }
  } else {
    size_t k = 0;
    while (k < a.size() && a[k] == claims[k].quantity + claims[k].tolerance) ++k;
    for (size_t j = k + 1; j < a.size(); ++j) EXPECT_EQ(a[j], claims[j].quantity) << "claim " << j;
  }
}

TEST(MarketAllocation, PropertiesOverRandomSeeds) {
  for (uint64_t seed = 0; seed < 4000; ++seed) {
    std::mt19937_64 rng(seed);
    const size_t n = 1 + rng() % 12;
    // Small values make ties and exact fits common; large ones test the
    // 128-bit arithmetic.
    const bool large = seed % 5 == 0;
    const int64_t top = large ? INT64_MAX / 16 : 1 + static_cast<int64_t>(rng() % 20);
    std::vector<Claim> claims(n);
    __int128 total = 0;
    for (auto& c : claims) {
      c.quantity = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(top));
      c.tolerance = rng() % 3 == 0 ? 0 : static_cast<int64_t>(rng() % static_cast<uint64_t>(top));
      total += c.quantity + c.tolerance;
    }
    const __int128 span = std::min<__int128>(total + 3, INT64_MAX);
    const int64_t received = static_cast<int64_t>(static_cast<__int128>(rng()) % (span + 1));
    for (ShareRule rule : {ShareRule::proportional, ShareRule::first_come}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " rule " << rule_name(rule));
      check_properties(received, claims, rule, allocate(received, claims, rule));
      if (::testing::Test::HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace agora::market
