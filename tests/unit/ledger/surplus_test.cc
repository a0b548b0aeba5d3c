// The year-end surplus distribution and stepped purchase bonuses
// (ledger/surplus.h): Mondragon-like and Italian rule sets, refunds by
// purchases and by hours, interest first, exact sums, rule validation.

#include "ledger/surplus.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "core/error.h"

namespace agora::ledger {
namespace {

int64_t sum_of(const Distribution& d) {
  int64_t s = 0;
  for (const auto& l : d.lines) s += l.amount;
  return s;
}

int64_t part_amount(const Distribution& d, Part p, int64_t person = 0) {
  int64_t s = 0;
  for (const auto& l : d.lines) {
    if (l.part == p && l.person_id == person) s += l.amount;
  }
  return s;
}

std::pair<Code, std::string> error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.code(), e.field()};
  }
  ADD_FAILURE() << "expected an agora::Error";
  return {Code::internal, ""};
}

TEST(Surplus, MondragonInterestFirstThenFortyFiveFortyFiveTen) {
  SurplusRules r;
  r.legal_reserve_bp = 4500;      // the collective reserve
  r.education_bp = 1000;          // education and social fund
  r.refund = Refund::capital_account;
  r.basis = Basis::hours;
  r.capital_interest_bp = 600;    // 6%
  std::vector<MemberBasis> m = {{1, 3000, 100000}, {2, 1000, 50000}};
  Distribution d = distribute(109000, r, m);
  EXPECT_EQ(d.interest_total, 9000);  // 6000 + 3000
  EXPECT_EQ(part_amount(d, Part::interest, 1), 6000);
  EXPECT_EQ(part_amount(d, Part::interest, 2), 3000);
  EXPECT_EQ(part_amount(d, Part::legal_reserve), 45000);
  EXPECT_EQ(part_amount(d, Part::education), 10000);
  EXPECT_EQ(d.members_total, 45000);
  EXPECT_EQ(part_amount(d, Part::refund, 1), 33750);
  EXPECT_EQ(part_amount(d, Part::refund, 2), 11250);
  EXPECT_EQ(sum_of(d), 109000);
  // Order: reserves and funds, then interest, then refunds.
  ASSERT_EQ(d.lines.size(), 6u);
  EXPECT_EQ(d.lines[0].part, Part::legal_reserve);
  EXPECT_EQ(d.lines[1].part, Part::education);
  EXPECT_EQ(d.lines[2].part, Part::interest);
  EXPECT_EQ(d.lines[2].basis, 100000);
  EXPECT_EQ(d.lines[4].part, Part::refund);
  EXPECT_EQ(d.lines[4].basis, 3000);
}

TEST(Surplus, ItalianLegalReserveAndLevy) {
  SurplusRules r;
  r.legal_reserve_bp = 3000;
  r.federation_levy_bp = 300;
  std::vector<MemberBasis> m = {{7, 500, 0}, {8, 500, 0}};
  Distribution d = distribute(100001, r, m);
  EXPECT_EQ(part_amount(d, Part::legal_reserve), 30000);
  EXPECT_EQ(part_amount(d, Part::federation_levy), 3000);
  EXPECT_EQ(d.reserves_total, 33000);
  EXPECT_EQ(d.members_total, 67001);
  EXPECT_EQ(part_amount(d, Part::refund, 7) + part_amount(d, Part::refund, 8), 67001);
  EXPECT_EQ(part_amount(d, Part::refund, 7), 33501);  // ties go to the first
  EXPECT_EQ(sum_of(d), 100001);
}

TEST(Surplus, ConsumerRefundByPurchases) {
  SurplusRules r;
  r.indivisible_reserve_bp = 5000;
  std::vector<MemberBasis> m = {{1, 10000, 0}, {2, 30000, 0}, {3, 0, 0}};
  Distribution d = distribute(8000, r, m);
  EXPECT_EQ(part_amount(d, Part::indivisible_reserve), 4000);
  EXPECT_EQ(part_amount(d, Part::refund, 1), 1000);
  EXPECT_EQ(part_amount(d, Part::refund, 2), 3000);
  EXPECT_EQ(part_amount(d, Part::refund, 3), 0);  // no purchases, no refund line
  for (const auto& l : d.lines) EXPECT_NE(l.person_id, 3);
}

TEST(Surplus, WorkerRefundByHoursTimesPayIndex) {
  SurplusRules r;
  r.basis = Basis::hours;
  // 1600 h at index 1.0 and 1600 h at index 1.5: basis in milli-hours x index.
  std::vector<MemberBasis> m = {{1, 1600000LL * 1000 / 1000, 0}, {2, 1600000LL * 1500 / 1000, 0}};
  Distribution d = distribute(50000, r, m);
  EXPECT_EQ(part_amount(d, Part::refund, 1), 20000);
  EXPECT_EQ(part_amount(d, Part::refund, 2), 30000);
}

TEST(Surplus, InterestScaledDownWhenItExceedsTheSurplus) {
  SurplusRules r;
  r.capital_interest_bp = 500;
  r.legal_reserve_bp = 3000;
  std::vector<MemberBasis> m = {{1, 1, 200000}, {2, 1, 100000}};  // wants 10000 + 5000
  Distribution d = distribute(3001, r, m);
  EXPECT_EQ(d.interest_total, 3001);
  EXPECT_EQ(part_amount(d, Part::interest, 1), 2001);
  EXPECT_EQ(part_amount(d, Part::interest, 2), 1000);
  EXPECT_EQ(d.reserves_total, 0);
  EXPECT_EQ(d.members_total, 0);
  EXPECT_EQ(sum_of(d), 3001);
  EXPECT_EQ(d.lines.size(), 2u);
}

TEST(Surplus, NoMembersLeavesTheMembersPartInTheIndivisibleReserve) {
  SurplusRules r;
  r.legal_reserve_bp = 3000;
  Distribution d = distribute(1000, r, {});
  EXPECT_EQ(part_amount(d, Part::legal_reserve), 300);
  EXPECT_EQ(part_amount(d, Part::indivisible_reserve), 700);
  EXPECT_EQ(d.members_total, 0);
  EXPECT_EQ(d.reserves_total, 1000);
  Distribution z = distribute(1000, r, {{1, 0, 0}});  // members with no basis at all
  EXPECT_EQ(part_amount(z, Part::indivisible_reserve), 700);
}

TEST(Surplus, ZeroSurplusHasNoLines) {
  SurplusRules r;
  r.capital_interest_bp = 500;
  Distribution d = distribute(0, r, {{1, 10, 1000}});
  EXPECT_TRUE(d.lines.empty());
  EXPECT_EQ(error_of([&] { distribute(-1, r, {}); }).first, Code::out_of_range);
}

TEST(Surplus, LinesAlwaysSumToTheSurplus) {
  std::mt19937_64 rng(42);
  for (int seed = 0; seed < 2000; ++seed) {
    SurplusRules r;
    std::uniform_int_distribution<int64_t> bp(0, 2500);
    r.legal_reserve_bp = bp(rng);
    r.indivisible_reserve_bp = bp(rng);
    r.education_bp = bp(rng);
    r.federation_levy_bp = bp(rng);
    r.capital_interest_bp = std::uniform_int_distribution<int64_t>(0, 750)(rng);
    std::vector<MemberBasis> m;
    int n = std::uniform_int_distribution<int>(0, 30)(rng);
    for (int i = 0; i < n; ++i) {
      m.push_back({i + 1, std::uniform_int_distribution<int64_t>(0, 1000000)(rng),
                   std::uniform_int_distribution<int64_t>(-1000, 10000000)(rng)});
    }
    int64_t surplus = std::uniform_int_distribution<int64_t>(0, 100000000)(rng);
    Distribution d = distribute(surplus, r, m);
    ASSERT_EQ(sum_of(d), surplus) << "seed " << seed;
    ASSERT_EQ(d.interest_total + d.reserves_total + d.members_total, surplus);
    for (const auto& l : d.lines) ASSERT_GT(l.amount, 0);
  }
}

TEST(Surplus, OverflowIsRefused) {
  SurplusRules r;
  r.capital_interest_bp = 750;
  std::vector<MemberBasis> m = {{1, 1, INT64_MAX / 2}};
  EXPECT_EQ(error_of([&] { distribute(1000, r, m); }).first, Code::out_of_range);
  std::vector<MemberBasis> big = {{1, INT64_MAX, 0}, {2, INT64_MAX, 0}};
  EXPECT_EQ(error_of([&] { distribute(1000, SurplusRules{}, big); }).first, Code::out_of_range);
  std::vector<BonusStep> steps = {{0, 100}};
  EXPECT_EQ(error_of([&] { purchase_bonus(steps, INT64_MAX / 10); }).first, Code::out_of_range);
}

TEST(Surplus, RulesRoundTripAndDefaults) {
  SurplusRules d = parse_rules(Json::object());
  EXPECT_EQ(d.capital_interest_cap_bp, 750);
  EXPECT_EQ(d.refund, Refund::cash);
  EXPECT_EQ(d.bonus_refund, Refund::share_capital_first);
  Json j = {{"legal_reserve_bp", 3000},  {"indivisible_reserve_bp", 1000},
            {"education_bp", 500},       {"federation_levy_bp", 300},
            {"basis", "hours"},          {"refund", "capital_account"},
            {"capital_interest_bp", 400}, {"capital_interest_cap_bp", 500},
            {"bonus_steps", Json::array({{{"from_minor", 5000}, {"rate_bp", 100}}})},
            {"bonus_refund", "cash"}};
  SurplusRules r = parse_rules(j);
  EXPECT_EQ(r.basis, Basis::hours);
  EXPECT_EQ(r.refund, Refund::capital_account);
  EXPECT_EQ(r.bonus_refund, Refund::cash);
  EXPECT_EQ(rules_json(r), j);
}

TEST(Surplus, RuleValidationNamesTheField) {
  auto err = [](Json j) { return error_of([&] { parse_rules(j); }); };
  EXPECT_EQ(err({{"colour", 1}}), std::make_pair(Code::unknown_field, std::string("/colour")));
  EXPECT_EQ(err({{"legal_reserve_bp", "30%"}}),
            std::make_pair(Code::wrong_type, std::string("/legal_reserve_bp")));
  EXPECT_EQ(err({{"education_bp", 10001}}),
            std::make_pair(Code::out_of_range, std::string("/education_bp")));
  EXPECT_EQ(err({{"legal_reserve_bp", 6000}, {"indivisible_reserve_bp", 5000}}).first,
            Code::invalid_value);
  EXPECT_EQ(err({{"basis", "vibes"}}), std::make_pair(Code::invalid_value, std::string("/basis")));
  EXPECT_EQ(err({{"refund", "gold"}}), std::make_pair(Code::invalid_value, std::string("/refund")));
  EXPECT_EQ(err({{"capital_interest_bp", 800}}),
            std::make_pair(Code::out_of_range, std::string("/capital_interest_bp")));
  EXPECT_EQ(err({{"capital_interest_cap_bp", 2001}}),
            std::make_pair(Code::out_of_range, std::string("/capital_interest_cap_bp")));
  EXPECT_EQ(err({{"bonus_steps", Json::array({{{"from_minor", 100}, {"rate_bp", 100}},
                                                {{"from_minor", 100}, {"rate_bp", 200}}})}}),
            std::make_pair(Code::invalid_value, std::string("/bonus_steps/1/from_minor")));
  EXPECT_EQ(err({{"bonus_steps", Json::array({{{"from_minor", 100}, {"rate_bp", 0}}})}}),
            std::make_pair(Code::out_of_range, std::string("/bonus_steps/0/rate_bp")));
  EXPECT_EQ(err({{"bonus_steps", Json::array({{{"from_minor", 100}, {"rate_bp", 10}, {"x", 1}}})}}),
            std::make_pair(Code::unknown_field, std::string("/bonus_steps/0/x")));
  EXPECT_EQ(err(Json::array()).first, Code::wrong_type);
}

TEST(Surplus, InterestWithinARaisedCapIsAccepted) {
  SurplusRules r = parse_rules({{"capital_interest_bp", 1000}, {"capital_interest_cap_bp", 1200}});
  EXPECT_EQ(r.capital_interest_bp, 1000);
}

TEST(Surplus, SGroupBonusSteps) {
  // 1% from 50 EUR, 1.5% from 100, 2% from 200, 2.5% from 300, 3% from 400,
  // 3.5% from 500, 4% from 600, 4.5% from 700, 5% from 900 (monthly).
  std::vector<BonusStep> s = {{5000, 100},   {10000, 150}, {20000, 200}, {30000, 250}, {40000, 300},
                              {50000, 350},  {60000, 400}, {70000, 450}, {90000, 500}};
  EXPECT_EQ(purchase_bonus(s, 0), 0);
  EXPECT_EQ(purchase_bonus(s, 4999), 0);
  EXPECT_EQ(purchase_bonus(s, 5000), 50);
  EXPECT_EQ(purchase_bonus(s, 9999), 99);  // floor(99.99)
  EXPECT_EQ(purchase_bonus(s, 10000), 150);
  EXPECT_EQ(purchase_bonus(s, 89999), 4049);  // 4.5%, floored
  EXPECT_EQ(purchase_bonus(s, 90000), 4500);
  EXPECT_EQ(purchase_bonus(s, 250000), 12500);
  EXPECT_EQ(purchase_bonus({}, 250000), 0);
}

}  // namespace
}  // namespace agora::ledger
