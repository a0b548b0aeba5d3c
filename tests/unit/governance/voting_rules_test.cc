// Quorum and thresholds (rules.h) over tallies: outcomes, the numbers they
// were decided on, exact arithmetic with huge weights, and ratio parsing.

#include "governance/voting/rules.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "core/error.h"

namespace agora::governance::voting {
namespace {

Result counted_motion(int64_t yes, int64_t no, int64_t abstain) {
  BallotSet b;
  b.option_count = 3;
  std::vector<int32_t> item{0};
  if (yes) b.add(yes, item);
  item[0] = 1;
  if (no) b.add(no, item);
  item[0] = 2;
  if (abstain) b.add(abstain, item);
  return tally(Method::majority, b, {});
}

DecisionRule rule(Ratio quorum, Ratio threshold, bool strict = true,
                  Threshold::Of of = Threshold::Of::cast) {
  DecisionRule r;
  r.quorum = quorum;
  r.threshold = Threshold{threshold, of, strict};
  return r;
}

TEST(VotingRules, SimpleMajorityPassesWithItsReason) {
  Decision d = decide(Method::majority, counted_motion(61, 39, 0), rule({1, 10}, {1, 2}), 1000);
  EXPECT_EQ(d.outcome, Outcome::passed);
  EXPECT_TRUE(d.quorum_met);
  EXPECT_EQ(d.turnout, 100);
  EXPECT_EQ(d.reason, "more than 1/2 of votes cast needed: 61 for, 39 against");
}

TEST(VotingRules, QuorumIsAtLeastItsShareOfEligible) {
  EXPECT_EQ(decide(Method::majority, counted_motion(60, 39, 0), rule({1, 10}, {1, 2}), 1000).outcome,
            Outcome::no_quorum);
  // Abstentions count for the quorum, not for the majority.
  Decision d = decide(Method::majority, counted_motion(60, 39, 1), rule({1, 10}, {1, 2}), 1000);
  EXPECT_EQ(d.outcome, Outcome::passed);
  Decision none = decide(Method::majority, counted_motion(60, 39, 0), rule({1, 10}, {1, 2}), 1000);
  EXPECT_FALSE(none.quorum_met);
  EXPECT_NE(none.reason.find("99"), std::string::npos);
  EXPECT_NE(none.reason.find("1/10"), std::string::npos);
}

TEST(VotingRules, QuorumAboveZeroNeedsSomeTurnout) {
  EXPECT_EQ(decide(Method::majority, counted_motion(0, 0, 0), rule({1, 10}, {1, 2}), 0).outcome,
            Outcome::no_quorum);
  EXPECT_TRUE(decide(Method::majority, counted_motion(0, 0, 0), rule({0, 1}, {1, 2}), 0).quorum_met);
}

TEST(VotingRules, MajorityOfCastStrictAndAtLeast) {
  EXPECT_EQ(decide(Method::majority, counted_motion(50, 50, 0), rule({0, 1}, {1, 2}), 100).outcome,
            Outcome::rejected);
  EXPECT_EQ(decide(Method::majority, counted_motion(50, 50, 0), rule({0, 1}, {1, 2}, false), 100).outcome,
            Outcome::passed);
}

TEST(VotingRules, TwoThirdsAndSeventyFivePerCent) {
  EXPECT_EQ(decide(Method::majority, counted_motion(66, 34, 0), rule({0, 1}, {2, 3}, false), 100).outcome,
            Outcome::rejected);
  EXPECT_EQ(decide(Method::majority, counted_motion(67, 33, 0), rule({0, 1}, {2, 3}, false), 100).outcome,
            Outcome::passed);
  // Conversion: 75% of votes with at least half the members voting.
  EXPECT_EQ(decide(Method::majority, counted_motion(75, 25, 0), rule({1, 2}, {3, 4}, false), 200).outcome,
            Outcome::passed);
  EXPECT_EQ(decide(Method::majority, counted_motion(75, 25, 0), rule({1, 2}, {3, 4}, false), 201).outcome,
            Outcome::no_quorum);
}

TEST(VotingRules, ThresholdOfEligible) {
  auto of_eligible = rule({0, 1}, {1, 2}, true, Threshold::Of::eligible);
  Decision d = decide(Method::majority, counted_motion(60, 0, 0), of_eligible, 200);
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_EQ(d.reason, "more than 1/2 of 200 eligible needed: 60 for, 0 against");
  EXPECT_EQ(decide(Method::majority, counted_motion(60, 0, 0), of_eligible, 119).outcome, Outcome::passed);
}

TEST(VotingRules, HugeWeightsCompareExactly) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t half = max / 2;  // max = 2 * half + 1
  Result r = counted_motion(half, 1, 0);
  // Turnout half + 1 of eligible max: exactly half of max rounded up, meets 1/2.
  EXPECT_TRUE(decide(Method::majority, r, rule({1, 2}, {1, 2}), max).quorum_met);
  Result less = counted_motion(half - 1, 1, 0);
  EXPECT_FALSE(decide(Method::majority, less, rule({1, 2}, {1, 2}), max).quorum_met);
  auto of_eligible = rule({0, 1}, {1, 2}, false, Threshold::Of::eligible);
  EXPECT_EQ(decide(Method::majority, counted_motion(half, 0, 0), of_eligible, max - 1).outcome,
            Outcome::passed);
  EXPECT_EQ(decide(Method::majority, counted_motion(half, 0, 0), of_eligible, max).outcome,
            Outcome::rejected);
}

TEST(VotingRules, ConsentPassesWithoutObjection) {
  BallotSet b;
  b.option_count = 3;
  std::vector<int32_t> item{0};
  b.add(5, item);
  EXPECT_EQ(decide(Method::consent, tally(Method::consent, b, {}), rule({0, 1}, {1, 2}), 5).outcome,
            Outcome::passed);
  item[0] = 2;
  b.add(1, item);
  EXPECT_EQ(decide(Method::consent, tally(Method::consent, b, {}), rule({0, 1}, {1, 2}), 6).outcome,
            Outcome::rejected);
}

TEST(VotingRules, ElectionPassesWhenEverySeatIsFilled) {
  BallotSet b;
  b.option_count = 3;
  std::vector<int32_t> items{0, 1};
  b.add(3, items);
  Options two;
  two.seats = 2;
  Options three;
  three.seats = 3;
  const DecisionRule none = rule({0, 1}, {0, 1}, false);
  EXPECT_EQ(decide(Method::approval, tally(Method::approval, b, two), none, 3).outcome,
            Outcome::passed);
  Decision d = decide(Method::approval, tally(Method::approval, b, three), none, 3);
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_EQ(d.reason, "2 of 3 seats filled");
}

TEST(VotingRules, SingleSeatWinnerMustMeetTheThreshold) {
  BallotSet b;
  b.option_count = 3;
  for (int32_t o : {0, 0, 1, 2}) {
    std::vector<int32_t> item{o};
    b.add(10, item);
  }
  Result r = tally(Method::plurality, b, {});  // 20 of 40
  EXPECT_EQ(decide(Method::plurality, r, rule({0, 1}, {1, 2}), 40).outcome, Outcome::rejected);
  EXPECT_EQ(decide(Method::plurality, r, rule({0, 1}, {1, 2}, false), 40).outcome, Outcome::passed);
  EXPECT_EQ(decide(Method::plurality, r, rule({0, 1}, {0, 1}, false), 40).outcome, Outcome::passed);
}

TEST(VotingRules, IrvThresholdUsesTheFinalRound) {
  BallotSet b;
  b.option_count = 3;
  std::vector<std::vector<int32_t>> ballots{{0}, {0}, {1, 0}};
  for (const auto& v : ballots) b.add(10, v);
  std::vector<int32_t> last{2};
  b.add(11, last);
  Result r = tally(Method::irv, b, {});  // 0: 20 first, 30 in the end, of 41
  ASSERT_EQ(r.winners, (std::vector<int32_t>{0}));
  auto two_thirds = rule({0, 1}, {2, 3}, false);
  EXPECT_EQ(decide(Method::irv, r, two_thirds, 41).outcome, Outcome::passed);
  EXPECT_EQ(decide(Method::plurality, tally(Method::plurality, b, {}), two_thirds, 41).outcome,
            Outcome::rejected);
}

TEST(VotingRules, ScoreThresholdIsOfThePossiblePoints) {
  BallotSet b;
  b.option_count = 2;
  std::vector<int32_t> items{0, 1}, values{4, 1};
  b.add(10, items, values);  // 0 has 40 of 50 possible points
  Result r = tally(Method::score, b, {});
  EXPECT_EQ(decide(Method::score, r, rule({0, 1}, {4, 5}, false), 10).outcome, Outcome::passed);
  EXPECT_EQ(decide(Method::score, r, rule({0, 1}, {4, 5}, true), 10).outcome, Outcome::rejected);
}

TEST(VotingRules, DecisionJson) {
  Decision d = decide(Method::majority, counted_motion(61, 39, 0), rule({1, 10}, {2, 3}, false), 1000);
  Json j = d.to_json();
  EXPECT_EQ(j["outcome"], "rejected");
  EXPECT_EQ(j["quorum_met"], true);
  EXPECT_EQ(j["eligible"], 1000);
  EXPECT_EQ(j["turnout"], 100);
  EXPECT_EQ(j["quorum"], "1/10");
  EXPECT_EQ(j["threshold"], (Json{{"ratio", "2/3"}, {"of", "cast"}, {"strict", false}}));
  EXPECT_EQ(j["reason"], "at least 2/3 of votes cast needed: 61 for, 39 against");
  EXPECT_EQ(outcome_name(Outcome::no_quorum), "no_quorum");
}

TEST(VotingRules, ParseRatio) {
  Ratio r = parse_ratio("2/3");
  EXPECT_EQ(r.num, 2);
  EXPECT_EQ(r.den, 3);
  EXPECT_EQ(parse_ratio("0/1").num, 0);
  EXPECT_EQ(parse_ratio("1000000/1000000").den, 1000000);
  EXPECT_EQ(ratio_text(parse_ratio("75/100")), "75/100");
  for (const char* bad : {"", "1", "/2", "1/", "3/2", "1/0", "-1/2", "1/2000000", "1 /2", "1/2x",
                          "a/b", "1//2", "99999999999999999999/1"}) {
    try {
      parse_ratio(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::invalid_value) << bad;
    }
  }
}

}  // namespace
}  // namespace agora::governance::voting
