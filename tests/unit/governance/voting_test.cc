// The voting methods against worked examples published with them, and
// hand-checked edge cases: ties by lot, exhausted, blank and invalid ballots,
// weights and overflow.

#include "governance/voting/voting.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <set>
#include <vector>

#include "core/error.h"
#include "governance/voting/ties.h"
#include "support/voting_test.h"

namespace agora::governance::voting {
namespace {

using V = std::vector<int64_t>;
using Matrix = std::vector<std::vector<int64_t>>;

using test_voting::add;
using test_voting::set_of;

void add_scored(BallotSet& b, int64_t w, std::initializer_list<int32_t> items,
                std::initializer_list<int32_t> values) {
  std::vector<int32_t> i(items), v(values);
  b.add(w, i, v);
}

Matrix matrix(const Json& j) { return j.get<Matrix>(); }

Options with_seed(uint64_t seed) {
  Options o;
  o.tie_seed = seed;
  return o;
}

Options with_seats(int32_t seats) {
  Options o;
  o.seats = seats;
  return o;
}

// Wikipedia, "Schulze method", the example with 45 voters and 5 candidates
// (from Schulze's own presentation of the method).
BallotSet schulze_example() {
  enum { A, B, C, D, E };
  BallotSet b = set_of(5);
  add(b, 5, {A, C, B, E, D});
  add(b, 5, {A, D, E, C, B});
  add(b, 8, {B, E, D, A, C});
  add(b, 3, {C, A, B, E, D});
  add(b, 7, {C, A, E, B, D});
  add(b, 2, {C, B, A, D, E});
  add(b, 7, {D, C, E, B, A});
  add(b, 8, {E, B, A, D, C});
  return b;
}

// Wikipedia's Tennessee capital example: 42% Memphis, 26% Nashville, 15%
// Chattanooga, 17% Knoxville, each ranking the others by distance.
enum { Memphis, Nashville, Chattanooga, Knoxville };
BallotSet tennessee() {
  BallotSet b = set_of(4);
  add(b, 42, {Memphis, Nashville, Chattanooga, Knoxville});
  add(b, 26, {Nashville, Chattanooga, Knoxville, Memphis});
  add(b, 15, {Chattanooga, Knoxville, Nashville, Memphis});
  add(b, 17, {Knoxville, Chattanooga, Nashville, Memphis});
  return b;
}

// ---------------------------------------------------------------- Schulze

TEST(VotingSchulze, WikipediaExampleMatricesAndWinner) {
  Result r = tally(Method::schulze, schulze_example(), {});
  EXPECT_EQ(matrix(r.working["pairwise"]), (Matrix{{0, 20, 26, 30, 22},
                                                   {25, 0, 16, 33, 18},
                                                   {19, 29, 0, 17, 24},
                                                   {15, 12, 28, 0, 14},
                                                   {23, 27, 21, 31, 0}}));
  EXPECT_EQ(matrix(r.working["strongest_paths"]), (Matrix{{0, 28, 28, 30, 24},
                                                          {25, 0, 28, 33, 24},
                                                          {25, 29, 0, 29, 24},
                                                          {25, 28, 28, 0, 24},
                                                          {25, 28, 28, 31, 0}}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{4}));  // E
  EXPECT_EQ(r.working["ranking"].get<std::vector<int32_t>>(),
            (std::vector<int32_t>{4, 0, 2, 1, 3}));  // E > A > C > B > D
  EXPECT_EQ(r.ballots, 45);
  EXPECT_EQ(r.counts, (V{10, 8, 12, 7, 8}));  // first preferences
  EXPECT_TRUE(r.working["tie_breaks"].empty());
}

TEST(VotingSchulze, TennesseeElectsNashville) {
  Result r = tally(Method::schulze, tennessee(), {});
  EXPECT_EQ(r.winners, (std::vector<int32_t>{Nashville}));
  EXPECT_EQ(r.working["ranking"].get<std::vector<int32_t>>(),
            (std::vector<int32_t>{Nashville, Chattanooga, Knoxville, Memphis}));
  EXPECT_EQ(r.working["pairwise"][Nashville][Memphis], 58);
  EXPECT_EQ(r.working["pairwise"][Chattanooga][Knoxville], 83);
}

TEST(VotingSchulze, UnrankedOptionsAreBelowRankedAndEqualAmongThemselves) {
  BallotSet b = set_of(3);
  add(b, 2, {0});  // 0 above 1 and 2; 1 and 2 level
  add(b, 1, {1, 2});
  Result r = tally(Method::schulze, b, {});
  EXPECT_EQ(matrix(r.working["pairwise"]), (Matrix{{0, 2, 2}, {1, 0, 1}, {1, 0, 0}}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
}

TEST(VotingSchulze, CycleIsResolvedByWidestPaths) {
  BallotSet b = set_of(3);  // A>B 11:5, B>C 12:4, C>A 9:7
  add(b, 7, {0, 1, 2});
  add(b, 5, {1, 2, 0});
  add(b, 4, {2, 0, 1});
  Result r = tally(Method::schulze, b, {});
  EXPECT_EQ(matrix(r.working["strongest_paths"]), (Matrix{{0, 11, 11}, {9, 0, 12}, {9, 9, 0}}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
}

TEST(VotingSchulze, ExactTieIsDrawnByLotDeterministicallyPerSeed) {
  BallotSet b = set_of(2);
  add(b, 1, {0, 1});
  add(b, 1, {1, 0});
  std::set<int32_t> seen;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Options o = with_seed(seed);
    Result r1 = tally(Method::schulze, b, o);
    Result r2 = tally(Method::schulze, b, o);
    ASSERT_EQ(r1.winners.size(), 1u);
    EXPECT_EQ(r1.winners, r2.winners);
    const std::vector<int32_t> both{0, 1};
    EXPECT_EQ(r1.winners[0], draw_lot(seed, "rank 1", both));
    ASSERT_EQ(r1.working["tie_breaks"].size(), 1u);
    EXPECT_EQ(r1.working["tie_breaks"][0]["rule"], "lot");
    EXPECT_EQ(r1.working["tie_breaks"][0]["chosen"], r1.winners[0]);
    seen.insert(r1.winners[0]);
  }
  EXPECT_EQ(seen.size(), 2u);  // the seed decides
}

TEST(VotingSchulze, InvalidAndBlankBallotsAreCountedApart) {
  BallotSet b = set_of(3);
  add(b, 2, {0, 1});
  add(b, 3, {1, 1});  // repeated
  add(b, 4, {0, 7});  // out of range
  add(b, 5, {});
  Result r = tally(Method::schulze, b, {});
  EXPECT_EQ(r.ballots, 7);
  EXPECT_EQ(r.blank, 5);
  EXPECT_EQ(r.invalid, 7);
  EXPECT_EQ(r.working["invalid_reasons"]["repeated option"], 3);
  EXPECT_EQ(r.working["invalid_reasons"]["option out of range"], 4);
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
  EXPECT_EQ(r.working["pairwise"][1][0], 0);  // the invalid 1,1 left no trace
}

TEST(VotingSchulze, AllBlankElectsNobody) {
  BallotSet b = set_of(3);
  add(b, 4, {});
  Result r = tally(Method::schulze, b, {});
  EXPECT_TRUE(r.winners.empty());
  EXPECT_EQ(r.blank, 4);
}

// ---------------------------------------------------------------- ranked pairs

TEST(VotingRankedPairs, TennesseeElectsNashville) {
  Result r = tally(Method::ranked_pairs, tennessee(), {});
  EXPECT_EQ(r.winners, (std::vector<int32_t>{Nashville}));
  EXPECT_EQ(r.working["ranking"].get<std::vector<int32_t>>(),
            (std::vector<int32_t>{Nashville, Chattanooga, Knoxville, Memphis}));
  // Wikipedia: C>K 83-17 first, then N>C and N>K 68-32, then the three 58-42.
  const Json& first = r.working["pairs"][0];
  EXPECT_EQ(first["winner"], Chattanooga);
  EXPECT_EQ(first["loser"], Knoxville);
  EXPECT_EQ(first["margin"], 66);
  EXPECT_EQ(r.working["pairs"].size(), 6u);
  for (const Json& p : r.working["pairs"]) EXPECT_TRUE(p["locked"].get<bool>());
  EXPECT_TRUE(r.working["tie_breaks"].empty());
}

TEST(VotingRankedPairs, CycleClosingPairIsNotLocked) {
  BallotSet b = set_of(3);  // margins: B>C 8, A>B 6, C>A 2
  add(b, 7, {0, 1, 2});
  add(b, 5, {1, 2, 0});
  add(b, 4, {2, 0, 1});
  Result r = tally(Method::ranked_pairs, b, {});
  const Json& pairs = r.working["pairs"];
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0]["winner"], 1);
  EXPECT_EQ(pairs[0]["margin"], 8);
  EXPECT_EQ(pairs[1]["winner"], 0);
  EXPECT_EQ(pairs[2]["winner"], 2);
  EXPECT_TRUE(pairs[0]["locked"].get<bool>());
  EXPECT_TRUE(pairs[1]["locked"].get<bool>());
  EXPECT_FALSE(pairs[2]["locked"].get<bool>());
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
  EXPECT_EQ(r.working["ranking"].get<std::vector<int32_t>>(), (std::vector<int32_t>{0, 1, 2}));
}

TEST(VotingRankedPairs, LargerWinningVotesGoFirstAmongEqualMargins) {
  // A>B 5:2 (margin 3), then B>C 4:3 and C>A 3:2 (both margin 1): B>C has
  // more winning votes, so it is locked and C>A, closing the cycle, is not.
  BallotSet b = set_of(3);
  add(b, 2, {1});
  add(b, 1, {2, 0});
  add(b, 2, {0, 1, 2});
  add(b, 2, {2, 0, 1});
  for (uint64_t seed = 0; seed < 8; ++seed) {
    Result r = tally(Method::ranked_pairs, b, with_seed(seed));
    EXPECT_EQ(matrix(r.working["pairwise"]), (Matrix{{0, 5, 2}, {2, 0, 4}, {3, 3, 0}}));
    const Json& pairs = r.working["pairs"];
    ASSERT_EQ(pairs.size(), 3u);
    EXPECT_EQ(pairs[1]["winner"], 1);
    EXPECT_EQ(pairs[1]["loser"], 2);
    EXPECT_FALSE(pairs[2]["locked"].get<bool>());
    EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
    EXPECT_TRUE(r.working["tie_breaks"].empty());
  }
}

TEST(VotingRankedPairs, LevelPairsFollowTheLotAndAreRecordedWhenTheyMatter) {
  // A perfect cycle: A>B, B>C, C>A each 2:1. The order the lot gives decides
  // which pair is refused, and the loser of the refused pair heads the ranking.
  BallotSet b = set_of(3);
  add(b, 1, {0, 1, 2});
  add(b, 1, {1, 2, 0});
  add(b, 1, {2, 0, 1});
  std::set<int32_t> winners;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Result r = tally(Method::ranked_pairs, b, with_seed(seed));
    ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
    EXPECT_EQ(r.working["tie_breaks"][0]["rule"], "lot");
    EXPECT_FALSE(r.working["pairs"][2]["locked"].get<bool>());
    EXPECT_EQ(r.winners[0], r.working["pairs"][2]["loser"].get<int32_t>());
    EXPECT_EQ(r.winners, tally(Method::ranked_pairs, b, with_seed(seed)).winners);
    winners.insert(r.winners[0]);
  }
  EXPECT_GE(winners.size(), 2u);
}

// ---------------------------------------------------------------- IRV

TEST(VotingIrv, TennesseeElectsKnoxville) {
  Result r = tally(Method::irv, tennessee(), {});
  EXPECT_EQ(r.winners, (std::vector<int32_t>{Knoxville}));
  EXPECT_EQ(r.counts, (V{42, 26, 15, 17}));
  const Json& rounds = r.working["rounds"];
  ASSERT_EQ(rounds.size(), 3u);
  EXPECT_EQ(rounds[0]["excluded"], Chattanooga);
  EXPECT_EQ(rounds[0]["transfers"], (Json{{"3", 15}}));
  EXPECT_EQ(rounds[1]["counts"].get<V>(), (V{42, 26, 0, 32}));
  EXPECT_EQ(rounds[1]["excluded"], Nashville);
  EXPECT_EQ(rounds[1]["transfers"], (Json{{"3", 26}}));
  EXPECT_EQ(rounds[2]["counts"].get<V>(), (V{42, 0, 0, 58}));
  EXPECT_TRUE(rounds[2]["excluded"].is_null());
}

TEST(VotingIrv, ExhaustedBallotsLeaveTheContinuingTotal) {
  enum { A, B, C };
  BallotSet b = set_of(3);
  add(b, 4, {A});
  add(b, 4, {B});
  add(b, 2, {C});  // exhausts when C goes
  add(b, 1, {C, B});
  Result r = tally(Method::irv, b, {});
  const Json& rounds = r.working["rounds"];
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0]["excluded"], C);
  EXPECT_EQ(rounds[0]["transfers"], (Json{{"1", 1}}));
  EXPECT_EQ(rounds[1]["exhausted"], 2);
  EXPECT_EQ(rounds[1]["counts"].get<V>(), (V{4, 5, 0}));
  // 5 of 9 continuing is a majority, though not of the 11 valid ballots.
  EXPECT_EQ(r.winners, (std::vector<int32_t>{B}));
}

TEST(VotingIrv, ExclusionTieGoesByEarlierRound) {
  enum { A, B, C, D };
  BallotSet b = set_of(4);
  add(b, 6, {A});
  add(b, 1, {A, B});
  add(b, 5, {B});
  add(b, 4, {C, B});
  add(b, 1, {D, C, A});
  // Round 1: A7 B5 C4 D1 -> D out, to C. Round 2: A7 B5 C5: B and C tie;
  // in round 1 C had fewer, so C goes. Round 3: B 9, A 8.
  Result r = tally(Method::irv, b, {});
  ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
  const Json& t = r.working["tie_breaks"][0];
  EXPECT_EQ(t["stage"], "round 2");
  EXPECT_EQ(t["rule"], "earlier round");
  EXPECT_EQ(t["between"].get<std::vector<int32_t>>(), (std::vector<int32_t>{B, C}));
  EXPECT_EQ(t["chosen"], C);
  EXPECT_EQ(r.winners, (std::vector<int32_t>{B}));
  EXPECT_EQ(r.working["rounds"][2]["counts"].get<V>(), (V{8, 9, 0, 0}));
}

TEST(VotingIrv, UnbreakableTieIsDrawnByLot) {
  BallotSet b = set_of(2);
  add(b, 1, {0});
  add(b, 1, {1});
  std::set<int32_t> winners;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Result r = tally(Method::irv, b, with_seed(seed));
    const std::vector<int32_t> both{0, 1};
    const int32_t out = draw_lot(seed, "round 1", both);
    ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
    EXPECT_EQ(r.working["tie_breaks"][0]["rule"], "lot");
    EXPECT_EQ(r.working["tie_breaks"][0]["chosen"], out);
    EXPECT_EQ(r.winners, (std::vector<int32_t>{1 - out}));
    winners.insert(r.winners[0]);
  }
  EXPECT_EQ(winners.size(), 2u);
}

TEST(VotingIrv, GroupedBallotsCountAsTheirWeights) {
  BallotSet many = set_of(3), weighted = set_of(3);
  for (int i = 0; i < 300; ++i) add(many, 1, {0, 2});
  for (int i = 0; i < 200; ++i) add(many, 1, {1});
  for (int i = 0; i < 150; ++i) add(many, 1, {2, 1});
  add(weighted, 300, {0, 2});
  add(weighted, 200, {1});
  add(weighted, 150, {2, 1});
  Result a = tally(Method::irv, many, {});
  Result w = tally(Method::irv, weighted, {});
  EXPECT_EQ(to_json(a, Method::irv, {}), to_json(w, Method::irv, {}));
  EXPECT_EQ(a.winners, (std::vector<int32_t>{1}));  // 200 + 150 of 650
}

TEST(VotingIrv, AllBlankElectsNobody) {
  BallotSet b = set_of(3);
  add(b, 3, {});
  add(b, 1, {0, 0});
  Result r = tally(Method::irv, b, {});
  EXPECT_TRUE(r.winners.empty());
  EXPECT_EQ(r.blank, 3);
  EXPECT_EQ(r.invalid, 1);
}

// ---------------------------------------------------------------- approval, score, dot, plurality

TEST(VotingApproval, CountsApprovalsAndSkipsBadBallots) {
  BallotSet b = set_of(3);
  add(b, 1, {0, 1});
  add(b, 2, {1});
  add(b, 1, {2});
  add(b, 1, {});
  add(b, 3, {0, 0});  // repeated
  add(b, 1, {1, 5});  // out of range, after a good item that must be taken back
  Result r = tally(Method::approval, b, {});
  EXPECT_EQ(r.counts, (V{1, 3, 1}));
  EXPECT_EQ(r.ballots, 5);
  EXPECT_EQ(r.blank, 1);
  EXPECT_EQ(r.invalid, 4);
  EXPECT_EQ(r.working["invalid_reasons"],
            (Json{{"repeated option", 3}, {"option out of range", 1}}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{1}));
}

TEST(VotingApproval, TieForTheLastSeatIsDrawnByLot) {
  BallotSet b = set_of(3);
  add(b, 3, {1});
  add(b, 1, {0});
  add(b, 1, {2});
  std::set<int32_t> second;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Options o = with_seed(seed);
    o.seats = 2;
    Result r = tally(Method::approval, b, o);
    ASSERT_EQ(r.winners.size(), 2u);
    EXPECT_EQ(r.winners[0], 1);
    const std::vector<int32_t> tied{0, 2};
    EXPECT_EQ(r.winners[1], draw_lot(seed, "seat 2", tied));
    ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
    EXPECT_EQ(r.working["tie_breaks"][0]["between"].get<std::vector<int32_t>>(), tied);
    EXPECT_EQ(tally(Method::approval, b, o).winners, r.winners);
    second.insert(r.winners[1]);
  }
  EXPECT_EQ(second.size(), 2u);
}

TEST(VotingApproval, FewerSupportedOptionsThanSeatsElectsThoseWithSupport) {
  BallotSet b = set_of(3);
  add(b, 2, {2, 0});
  add(b, 1, {2});
  Result r = tally(Method::approval, b, with_seats(5));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{2, 0}));
  EXPECT_TRUE(r.working["tie_breaks"].empty());
}

TEST(VotingApproval, AllBlankElectsNobody) {
  BallotSet b = set_of(2);
  add(b, 7, {});
  Result r = tally(Method::approval, b, {});
  EXPECT_TRUE(r.winners.empty());
  EXPECT_EQ(r.ballots, 7);
  EXPECT_EQ(r.blank, 7);
}

TEST(VotingScore, SumsAveragesAndRangeChecks) {
  BallotSet b = set_of(3);
  add_scored(b, 1, {0, 1, 2}, {5, 3, 0});
  add_scored(b, 2, {0, 1}, {1, 4});
  add_scored(b, 1, {2}, {6});         // above score_max 5
  add_scored(b, 1, {1, 2}, {2, -1});  // negative
  Result r = tally(Method::score, b, {});
  EXPECT_EQ(r.counts, (V{7, 11, 0}));
  EXPECT_EQ(r.invalid, 2);
  EXPECT_EQ(r.working["invalid_reasons"]["value out of range"], 2);
  // 7/3 = 2.333 -> "2.33"; 11/3 = 3.667 -> "3.67".
  EXPECT_EQ(r.working["average"], (Json{"2.33", "3.67", "0.00"}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{1}));
}

TEST(VotingScore, BallotsWithoutValuesAreInvalid) {
  BallotSet b = set_of(2);
  add(b, 2, {0, 1});
  Result r = tally(Method::score, b, {});
  EXPECT_EQ(r.invalid, 2);
  EXPECT_EQ(r.working["invalid_reasons"]["missing values"], 2);
  EXPECT_TRUE(r.winners.empty());
}

TEST(VotingScore, TotalsBeyond64BitsAreRefused) {
  BallotSet b = set_of(1);
  add_scored(b, std::numeric_limits<int64_t>::max() / 4, {0}, {5});
  try {
    tally(Method::score, b, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::out_of_range);
  }
}

TEST(VotingDot, PointsUpToTheAllowance) {
  BallotSet b = set_of(3);
  add_scored(b, 1, {0, 1}, {6, 4});
  add_scored(b, 1, {2, 0}, {10, 0});
  add_scored(b, 1, {0, 1}, {6, 5});  // 11 points
  add_scored(b, 1, {1}, {-2});       // negative
  Result r = tally(Method::dot, b, {});
  EXPECT_EQ(r.counts, (V{6, 4, 10}));
  EXPECT_EQ(r.working["invalid_reasons"]["too many points"], 1);
  EXPECT_EQ(r.working["invalid_reasons"]["value out of range"], 1);
  EXPECT_EQ(r.winners, (std::vector<int32_t>{2}));
  Result two = tally(Method::dot, b, with_seats(2));
  EXPECT_EQ(two.winners, (std::vector<int32_t>{2, 0}));
}

TEST(VotingPlurality, WeightsCountAndMultipleChoicesAreInvalid) {
  BallotSet b = set_of(2);
  add(b, 5, {0});  // a delegate carrying five votes
  add(b, 1, {1});
  add(b, 1, {1});
  add(b, 1, {1});
  add(b, 9, {0, 1});
  Result r = tally(Method::plurality, b, {});
  EXPECT_EQ(r.counts, (V{5, 3}));
  EXPECT_EQ(r.invalid, 9);
  EXPECT_EQ(r.working["invalid_reasons"]["not exactly one choice"], 9);
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
}

// ---------------------------------------------------------------- STAR

TEST(VotingStar, RunoffCanOverturnTheScoreLeader) {
  BallotSet b = set_of(2);
  add_scored(b, 4, {0, 1}, {5, 4});  // A preferred by 4
  add_scored(b, 3, {1}, {5});        // B preferred by 3
  Result r = tally(Method::star, b, {});
  EXPECT_EQ(r.counts, (V{20, 31}));
  EXPECT_EQ(r.working["runoff"]["finalists"], (Json{1, 0}));
  EXPECT_EQ(r.working["runoff"]["preferred"], (Json{3, 4}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
}

TEST(VotingStar, EqualScoresOnABallotAreNoPreference) {
  BallotSet b = set_of(3);
  add_scored(b, 2, {0, 1, 2}, {5, 5, 0});
  add_scored(b, 1, {0, 1}, {4, 3});
  add_scored(b, 1, {1, 2}, {5, 1});
  Result r = tally(Method::star, b, {});
  EXPECT_EQ(r.working["runoff"]["finalists"], (Json{1, 0}));  // 18 and 14
  EXPECT_EQ(r.working["runoff"]["no_preference"], 2);
  EXPECT_EQ(r.working["runoff"]["preferred"], (Json{1, 1}));
  // Runoff tie: the higher score wins (official protocol).
  EXPECT_EQ(r.winners, (std::vector<int32_t>{1}));
  ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
  EXPECT_EQ(r.working["tie_breaks"][0]["rule"], "score");
}

TEST(VotingStar, ScoringRoundTieGoesHeadToHead) {
  BallotSet b = set_of(3);
  add_scored(b, 2, {2, 0, 1}, {5, 3, 2});  // A over B
  add_scored(b, 1, {2, 1}, {5, 2});        // B over A
  Result r = tally(Method::star, b, {});
  EXPECT_EQ(r.counts, (V{6, 6, 15}));
  ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
  EXPECT_EQ(r.working["tie_breaks"][0]["rule"], "head-to-head");
  EXPECT_EQ(r.working["tie_breaks"][0]["chosen"], 0);
  EXPECT_EQ(r.working["runoff"]["finalists"], (Json{2, 0}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{2}));
}

TEST(VotingStar, FullTieInTheRunoffIsDrawnByLot) {
  BallotSet b = set_of(2);
  add_scored(b, 1, {0, 1}, {5, 0});
  add_scored(b, 1, {0, 1}, {0, 5});
  std::set<int32_t> winners;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Result r = tally(Method::star, b, with_seed(seed));
    ASSERT_EQ(r.winners.size(), 1u);
    EXPECT_EQ(r.working["tie_breaks"].back()["rule"], "lot");
    winners.insert(r.winners[0]);
  }
  EXPECT_EQ(winners.size(), 2u);
}

// Two test elections published with starvote, an implementation of the
// Official STAR Voting Ties Protocol; the ballots are rebuilt from its totals.
TEST(VotingStar, RunoffTieOnScoreGoesToMostTopScores) {
  enum { Amy, Brian, Chuck };
  BallotSet b = set_of(3);
  add_scored(b, 1, {Amy, Brian, Chuck}, {0, 4, 2});
  add_scored(b, 1, {Amy, Brian, Chuck}, {3, 3, 5});
  add_scored(b, 1, {Amy, Brian, Chuck}, {0, 5, 5});
  Result r = tally(Method::star, b, {});
  EXPECT_EQ(r.counts, (V{3, 12, 12}));  // Brian 12, Chuck 12, Amy 3
  EXPECT_EQ(r.working["runoff"]["preferred"], (Json{1, 1}));
  EXPECT_EQ(r.working["runoff"]["no_preference"], 1);
  EXPECT_EQ(r.working["top_scores"], (Json{0, 1, 2}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{Chuck}));  // "Chuck wins"
  ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
  EXPECT_EQ(r.working["tie_breaks"][0]["rule"], "most top scores");
}

TEST(VotingStar, UnbreakableTieForSecondIsDrawnByLot) {
  enum { Amy, Brian, Chuck };
  BallotSet b = set_of(3);
  add_scored(b, 1, {Amy, Brian, Chuck}, {4, 1, 5});
  add_scored(b, 1, {Amy, Brian, Chuck}, {1, 4, 5});
  add_scored(b, 1, {Amy, Brian, Chuck}, {1, 1, 5});
  std::set<int32_t> second;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Result r = tally(Method::star, b, with_seed(seed));
    EXPECT_EQ(r.counts, (V{6, 6, 15}));
    ASSERT_EQ(r.working["tie_breaks"].size(), 1u);
    const Json& t = r.working["tie_breaks"][0];
    EXPECT_EQ(t["rule"], "lot");
    EXPECT_EQ(t["stage"], "scoring round, finalist 2");
    const std::vector<int32_t> tied{Amy, Brian};
    EXPECT_EQ(t["chosen"], draw_lot(seed, "scoring round, finalist 2", tied));
    EXPECT_EQ(r.working["runoff"]["finalists"][0], Chuck);
    EXPECT_EQ(r.winners, (std::vector<int32_t>{Chuck}));
    second.insert(t["chosen"].get<int32_t>());
  }
  EXPECT_EQ(second.size(), 2u);
}

// ---------------------------------------------------------------- motions

BallotSet motion(int64_t yes, int64_t no, int64_t abstain) {
  BallotSet b = set_of(3);
  if (yes) add(b, yes, {0});
  if (no) add(b, no, {1});
  if (abstain) add(b, abstain, {2});
  return b;
}

TEST(VotingMajority, SimpleMajorityOfVotesCast) {
  Result r = tally(Method::majority, motion(61, 39, 10), {});
  EXPECT_EQ(r.counts, (V{61, 39, 10}));
  EXPECT_EQ(r.ballots, 110);
  EXPECT_TRUE(r.working["passed"].get<bool>());
  EXPECT_EQ(r.working["threshold"], (Json{{"ratio", "1/2"}, {"of", "cast"}, {"strict", true}}));
  EXPECT_EQ(r.winners, (std::vector<int32_t>{0}));
}

TEST(VotingMajority, StrictVersusAtLeast) {
  Options strict{};
  Options at_least;
  at_least.threshold.strict = false;
  EXPECT_FALSE(tally(Method::majority, motion(50, 50, 0), strict).working["passed"].get<bool>());
  EXPECT_TRUE(tally(Method::majority, motion(50, 50, 0), at_least).working["passed"].get<bool>());
  EXPECT_TRUE(tally(Method::majority, motion(50, 50, 0), at_least).winners ==
              std::vector<int32_t>{0});
}

TEST(VotingMajority, TwoThirdsQualifiedMajority) {
  Options o;
  o.threshold = Threshold{Ratio{2, 3}, Threshold::Of::cast, false};
  EXPECT_FALSE(tally(Method::majority, motion(66, 34, 0), o).working["passed"].get<bool>());
  EXPECT_TRUE(tally(Method::majority, motion(67, 33, 0), o).working["passed"].get<bool>());
  EXPECT_TRUE(tally(Method::majority, motion(2, 1, 0), o).working["passed"].get<bool>());
  o.threshold.strict = true;
  EXPECT_FALSE(tally(Method::majority, motion(2, 1, 0), o).working["passed"].get<bool>());
}

TEST(VotingMajority, OfEligibleCountsTheWholeElectorate) {
  Options o;
  o.threshold.of = Threshold::Of::eligible;
  o.eligible = 200;
  EXPECT_FALSE(tally(Method::majority, motion(60, 0, 0), o).working["passed"].get<bool>());
  o.eligible = 100;
  EXPECT_TRUE(tally(Method::majority, motion(60, 0, 0), o).working["passed"].get<bool>());
  EXPECT_EQ(tally(Method::majority, motion(60, 0, 0), o).working["threshold"]["of"], "eligible");
}

TEST(VotingMajority, HugeWeightsCompareExactly) {
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_TRUE(tally(Method::majority, motion(big, big - 1, 0), {}).working["passed"].get<bool>());
  EXPECT_FALSE(tally(Method::majority, motion(big - 1, big, 0), {}).working["passed"].get<bool>());
  try {
    tally(Method::majority, motion(big, big, 5), {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::out_of_range);
  }
}

TEST(VotingMajority, NoVotesCastDoesNotPass) {
  Result r = tally(Method::majority, motion(0, 0, 4), {});
  EXPECT_FALSE(r.working["passed"].get<bool>());
  EXPECT_TRUE(r.winners.empty());
}

TEST(VotingConsent, OneObjectionBlocks) {
  BallotSet b = set_of(3);
  add(b, 8, {0});
  add(b, 2, {1});
  Result r = tally(Method::consent, b, {});
  EXPECT_TRUE(r.working["passed"].get<bool>());
  EXPECT_EQ(r.working["stand_aside"], 2);
  add(b, 1, {2});
  r = tally(Method::consent, b, {});
  EXPECT_FALSE(r.working["passed"].get<bool>());
  EXPECT_EQ(r.working["object"], 1);
  EXPECT_TRUE(r.winners.empty());
}

// ---------------------------------------------------------------- the JSON

TEST(VotingJson, ResultCarriesTheCommonFieldsAndTheWorking) {
  Options o;
  o.names = {"Memphis", "Nashville", "Chattanooga", "Knoxville"};
  Json j = to_json(tally(Method::irv, tennessee(), o), Method::irv, o);
  EXPECT_EQ(j["method"], "irv");
  EXPECT_EQ(j["elected"], (Json{"Knoxville"}));
  EXPECT_EQ(j["ballots"], 100);
  EXPECT_TRUE(j["invalid_reasons"].is_object());
  EXPECT_TRUE(j["tie_breaks"].is_array());
  EXPECT_EQ(j["rounds"].size(), 3u);
}

}  // namespace
}  // namespace agora::governance::voting
