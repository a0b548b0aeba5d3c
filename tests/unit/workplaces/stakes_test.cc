// Stakes and buy-out installments (workplaces/stakes.h): an asset's stakes
// sum to 10,000 basis points, refused with the offending field otherwise; a
// buy-out splits its share and price into equal installments with the
// remainder on the last, so both sums are exact; moving a stake keeps the
// total and ends a stake that reaches zero.

#include "workplaces/stakes.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"

namespace agora::workplaces {
namespace {

std::pair<Code, std::string> refused(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.code(), e.field()};
  }
  ADD_FAILURE() << "expected an agora::Error";
  return {Code::internal, ""};
}

TEST(Stakes, FiftyOneFortyNineIsWhole) {
  std::vector<Stake> s{{.org_id = 1, .share_bps = 5100}, {.org_id = 2, .share_bps = 4900}};
  EXPECT_NO_THROW(check_stakes(s, 20));
  std::vector<Stake> plant{{1, 8000}, {2, 1000}, {3, 800}, {4, 200}};
  EXPECT_NO_THROW(check_stakes(plant, 20));
}

TEST(Stakes, RefusedNamingTheField) {
  std::vector<Stake> short_sum{{1, 5100}, {2, 4800}};
  EXPECT_EQ(refused([&] { check_stakes(short_sum, 20); }),
            (std::pair<Code, std::string>{Code::rule_violation, "/stakes"}));
  std::vector<Stake> twice{{1, 5000}, {1, 5000}};
  EXPECT_EQ(refused([&] { check_stakes(twice, 20); }),
            (std::pair<Code, std::string>{Code::invalid_value, "/stakes/1/org_id"}));
  std::vector<Stake> zero{{1, 10000}, {2, 0}};
  EXPECT_EQ(refused([&] { check_stakes(zero, 20); }),
            (std::pair<Code, std::string>{Code::out_of_range, "/stakes/1/share_bps"}));
  std::vector<Stake> over{{1, 10001}};
  EXPECT_EQ(refused([&] { check_stakes(over, 20); }),
            (std::pair<Code, std::string>{Code::out_of_range, "/stakes/0/share_bps"}));
  std::vector<Stake> none;
  EXPECT_EQ(refused([&] { check_stakes(none, 20); }).second, "/stakes");
  std::vector<Stake> many(21, Stake{1, 1});
  EXPECT_EQ(refused([&] { check_stakes(many, 20); }),
            (std::pair<Code, std::string>{Code::out_of_range, "/stakes"}));
}

TEST(Stakes, LastPartTakesTheRemainder) {
  EXPECT_EQ(split_last_takes_remainder(1000, 3), (std::vector<int64_t>{333, 333, 334}));
  EXPECT_EQ(split_last_takes_remainder(5100, 4), (std::vector<int64_t>{1275, 1275, 1275, 1275}));
  EXPECT_EQ(split_last_takes_remainder(7, 1), (std::vector<int64_t>{7}));
  EXPECT_EQ(split_last_takes_remainder(0, 5), (std::vector<int64_t>(5, 0)));
}

TEST(Stakes, ScheduleSumsExactlyAndFallsDueEveryPeriod) {
  BuyoutTerms t{.share_bps = 5100,
                .price_total = 1'000'000'01,
                .installments = 7,
                .period_months = 12,
                .starts_on = Date{2026, 1, 31}};
  auto s = buyout_schedule(t);
  ASSERT_EQ(s.size(), 7u);
  int64_t shares = 0, amounts = 0;
  for (const auto& i : s) {
    shares += i.share_bps;
    amounts += i.amount;
  }
  EXPECT_EQ(shares, 5100);
  EXPECT_EQ(amounts, 1'000'000'01);
  EXPECT_EQ(s[0].share_bps, 728);
  EXPECT_EQ(s[6].share_bps, 5100 - 6 * 728);
  EXPECT_EQ(s[0].amount, 14285714);
  EXPECT_EQ(s[6].amount, 1'000'000'01 - 6 * 14285714);
  EXPECT_EQ(to_string(s[0].due_on), "2026-01-31");
  EXPECT_EQ(to_string(s[6].due_on), "2032-01-31");
  // Monthly from the 31st: clamped to each month's end.
  auto monthly = buyout_schedule(BuyoutTerms{.share_bps = 300,
                                             .price_total = 900,
                                             .installments = 3,
                                             .period_months = 1,
                                             .starts_on = Date{2028, 1, 31}});
  EXPECT_EQ(to_string(monthly[1].due_on), "2028-02-29");
  EXPECT_EQ(to_string(monthly[2].due_on), "2028-03-31");
  EXPECT_EQ(monthly[0].n, 1);
  EXPECT_EQ(monthly[2].n, 3);
}

TEST(Stakes, ScheduleSumsHoldForRandomTerms) {
  std::mt19937_64 rng(6);
  for (int round = 0; round < 2000; ++round) {
    BuyoutTerms t;
    t.share_bps = 1 + static_cast<int64_t>(rng() % 10000);
    t.installments = 1 + static_cast<int64_t>(rng() % std::min<int64_t>(600, t.share_bps));
    t.period_months = 1 + static_cast<int64_t>(rng() % 12);
    t.price_total = static_cast<int64_t>(rng() % 1'000'000'000'000'000);
    t.starts_on = Date{2026, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)};
    auto s = buyout_schedule(t);
    int64_t shares = 0, amounts = 0;
    for (const auto& i : s) {
      EXPECT_GE(i.share_bps, 1);
      EXPECT_GE(i.amount, 0);
      shares += i.share_bps;
      amounts += i.amount;
    }
    ASSERT_EQ(shares, t.share_bps) << round;
    ASSERT_EQ(amounts, t.price_total) << round;
    for (size_t k = 1; k < s.size(); ++k) ASSERT_LT(s[k - 1].due_on, s[k].due_on);
  }
}

TEST(Stakes, ScheduleTermsOutsideTheirBounds) {
  BuyoutTerms ok{.share_bps = 4900,
                 .price_total = 100,
                 .installments = 4,
                 .period_months = 6,
                 .starts_on = Date{2026, 3, 1}};
  auto with = [&](auto change) {
    BuyoutTerms t = ok;
    change(t);
    return refused([&] { buyout_schedule(t); });
  };
  EXPECT_EQ(with([](BuyoutTerms& t) { t.share_bps = 0; }).second, "/share_bps");
  EXPECT_EQ(with([](BuyoutTerms& t) { t.share_bps = 10001; }).second, "/share_bps");
  EXPECT_EQ(with([](BuyoutTerms& t) { t.price_total = -1; }).second, "/price_total");
  EXPECT_EQ(with([](BuyoutTerms& t) { t.installments = 0; }).second, "/installments");
  EXPECT_EQ(with([](BuyoutTerms& t) { t.installments = 601; }).second, "/installments");
  EXPECT_EQ(with([](BuyoutTerms& t) { t.period_months = 121; }).second, "/period_months");
  EXPECT_EQ(with([](BuyoutTerms& t) {
              t.share_bps = 3;
              t.installments = 4;
            }).second,
            "/installments");
  EXPECT_EQ(with([](BuyoutTerms& t) {
              t.starts_on = Date{9990, 1, 1};
              t.installments = 20;
              t.period_months = 12;
            }).second,
            "/installments");
}

TEST(Stakes, MovingAStakeKeepsTheWhole) {
  std::vector<Stake> s{{1, 5100}, {2, 4900}};
  auto after = move_stake(s, 1, 2, 1275);
  EXPECT_EQ(after, (std::vector<Stake>{{1, 3825}, {2, 6175}}));
  // The seller's stake reaching zero ends it.
  auto whole = move_stake(after, 1, 2, 3825);
  EXPECT_EQ(whole, (std::vector<Stake>{{2, 10000}}));
  // A new owner's stake starts.
  auto third = move_stake(s, 2, 3, 900);
  EXPECT_EQ(third, (std::vector<Stake>{{1, 5100}, {2, 4000}, {3, 900}}));
  EXPECT_EQ(refused([&] { move_stake(s, 2, 1, 4901); }),
            (std::pair<Code, std::string>{Code::rule_violation, "/share_bps"}));
  EXPECT_EQ(refused([&] { move_stake(s, 9, 1, 1); }).first, Code::rule_violation);
}

}  // namespace
}  // namespace agora::workplaces
