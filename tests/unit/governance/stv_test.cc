// Scottish STV and Meek STV against a published election with reference
// counts, and small elections checked by hand stage by stage: surplus
// transfers with truncated transfer values, exhausted papers, exclusion ties
// broken by an earlier stage or by lot, weights, blank and invalid ballots,
// and no more candidates than seats.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "governance/voting/voting.h"
#include "support/voting_test.h"

namespace agora::governance::voting {
namespace {

using test_voting::add;
using test_voting::set_of;

Options seats(int32_t s, uint64_t seed = 0) {
  Options o;
  o.seats = s;
  o.tie_seed = seed;
  return o;
}

// A tiny BLT reader for the test data (the shared reader lives in
// governance/ballot_files.h): "C S", ballot lines "w c1 c2 ... 0", "0",
// C quoted names, a quoted title. No withdrawn candidates, no equal ranks.
struct Blt {
  BallotSet ballots;
  Options options;
};

Blt read_blt(const std::string& name) {
  std::ifstream in(std::string(AGORA_SOURCE_DIR) + "/tests/data/stv/" + name);
  EXPECT_TRUE(in.good()) << name;
  Blt blt;
  int32_t candidates = 0;
  in >> candidates >> blt.options.seats;
  blt.ballots.option_count = candidates;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    int64_t weight = 0;
    ls >> weight;
    if (weight == 0) break;
    std::vector<int32_t> items;
    int32_t c = 0;
    while (ls >> c && c != 0) items.push_back(c - 1);
    blt.ballots.add(weight, items);
  }
  for (int32_t i = 0; i < candidates; ++i) {
    std::getline(in, line);
    blt.options.names.push_back(line.substr(1, line.size() - 2));
  }
  return blt;
}

// The working's rounds with this action (and candidate, when >= 0).
std::vector<Json> rounds_with(const Json& j, const std::string& action, int32_t candidate = -1) {
  std::vector<Json> out;
  for (const auto& r : j["rounds"])
    if (r["action"] == action && (candidate < 0 || r.value("candidate", -1) == candidate))
      out.push_back(r);
  return out;
}

Json count(Method m, const BallotSet& b, const Options& o) { return to_json(tally(m, b, o), m, o); }

// ---------------------------------------------------------------- Scottish

// GPUS Steering Committee 2005 (tests/data/stv/README.md), against Droop's
// Scottish STV reference report SC-scotland-fixed-p5-d5.txt:
// quota floor(94 / 5) + 1 = 19; Rotzler (33) and LaMarche (22) elected at
// stage 1; Rotzler's surplus 14 goes first at 14/33 = 0.42424 a paper
// (truncated), so Olsen's 27 second preferences bring 11.45448 and Olsen
// has 12.45448, with 0.00008 lost to truncation; LaMarche's surplus 3 then
// leaves Kramer on 18.54544. Kramer is elected after Piacsek's exclusion;
// at the end Sevigny (16.62204) beats Olsen (16.59988) for the last seat.
TEST(StvScottish, GpusSteeringCommittee2005MatchesReferenceCount) {
  Blt blt = read_blt("gpus-2005.blt");
  Json j = count(Method::scottish_stv, blt.ballots, blt.options);
  EXPECT_EQ(j["quota"], "19.00000");
  EXPECT_EQ(j["ballots"], 94);
  EXPECT_EQ(j["counts"], (std::vector<int64_t>{6, 3, 8, 22, 2, 0, 33, 1, 1, 0, 0, 0, 18}));
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{6, 3, 12, 2}));

  auto rotzler = rounds_with(j, "surplus", 6);
  ASSERT_EQ(rotzler.size(), 1u);
  EXPECT_EQ(rotzler[0]["stage"], 2);
  EXPECT_EQ(rotzler[0]["surplus"], "14.00000");
  EXPECT_EQ(rotzler[0]["transfer_values"][0]["value"], "1.00000");
  EXPECT_EQ(rotzler[0]["transfer_values"][0]["transfer_value"], "0.42424");
  EXPECT_EQ(rotzler[0]["votes"][7], "12.45448");
  EXPECT_EQ(rotzler[0]["votes"][6], "19.00000");
  EXPECT_EQ(rotzler[0]["transfers"][7], "11.45448");
  EXPECT_EQ(rotzler[0]["transfers"][6], "-14.00000");
  EXPECT_EQ(rotzler[0]["lost"], "0.00008");

  auto lamarche = rounds_with(j, "surplus", 3);
  ASSERT_EQ(lamarche.size(), 1u);
  EXPECT_EQ(lamarche[0]["votes"][12], "18.54544");
  EXPECT_EQ(lamarche[0]["votes"][0], "7.80300");
  EXPECT_EQ(lamarche[0]["lost"], "0.00016");

  auto kramer = rounds_with(j, "surplus", 12);
  ASSERT_EQ(kramer.size(), 1u);
  EXPECT_EQ(kramer[0]["surplus"], "0.68180");
  EXPECT_EQ(kramer[0]["exhausted"], "0.00472");
  EXPECT_EQ(kramer[0]["votes"][0], "9.01084");

  auto budd = rounds_with(j, "exclude", 0);
  ASSERT_EQ(budd.size(), 1u);
  EXPECT_EQ(budd[0]["votes"][2], "16.62204");
  EXPECT_EQ(budd[0]["votes"][7], "16.59988");
  EXPECT_EQ(budd[0]["exhausted"], "3.77788");
  EXPECT_EQ(rounds_with(j, "exclude", 7).size(), 1u);
}

// Linn ward, Glasgow, 3 May 2007 (tests/data/stv/README.md), against the
// stages of Droop's Scottish STV report for the same ballots: quota
// floor(9567 / 5) + 1 = 1914. Ritchie (2043) is elected at stage 1 and his
// surplus of 129 moves at 129 / 2043 = 0.06314 a paper (truncated); 36.17922
// of it is non-transferable and 0.00498 lost to truncation. Thomson, McArthur,
// Lang, C. H. Stewart, Young and E. Clark are excluded in turn; Docherty
// reaches 1947.35496 and her surplus of 33.35496 goes on; A. Stewart is
// excluded and McKenzie (2174.90506) and M. Clark (2008.75096) both pass
// the quota.
TEST(StvScottish, LinnWard2007MatchesPublishedCount) {
  Blt blt = read_blt("linn-2007.blt");
  ASSERT_EQ(blt.options.seats, 4);
  Json j = count(Method::scottish_stv, blt.ballots, blt.options);
  EXPECT_EQ(j["ballots"], 9567);
  EXPECT_EQ(j["quota"], "1914.00000");
  EXPECT_EQ(j["counts"],
            (std::vector<int64_t>{898, 1284, 1782, 219, 165, 1381, 2043, 955, 296, 149, 395}));
  std::vector<int32_t> winners = j["winners"];
  EXPECT_EQ(winners, (std::vector<int32_t>{6, 2, 5, 1}));

  auto ritchie = rounds_with(j, "surplus", 6);
  ASSERT_EQ(ritchie.size(), 1u);
  EXPECT_EQ(ritchie[0]["surplus"], "129.00000");
  EXPECT_EQ(ritchie[0]["transfer_values"][0]["transfer_value"], "0.06314");
  EXPECT_EQ(ritchie[0]["votes"],
            (std::vector<std::string>{"905.13482", "1302.94200", "1789.19796", "224.61946",
                                      "166.83106", "1389.27134", "1914.00000", "961.44028",
                                      "310.77476", "156.82936", "409.77476"}));
  EXPECT_EQ(ritchie[0]["exhausted"], "36.17922");
  EXPECT_EQ(ritchie[0]["lost"], "0.00498");

  auto excluded = rounds_with(j, "exclude");
  ASSERT_EQ(excluded.size(), 7u);
  std::vector<int32_t> order;
  for (const auto& e : excluded) order.push_back(e["candidate"]);
  EXPECT_EQ(order, (std::vector<int32_t>{9, 4, 3, 8, 10, 0, 7}));
  EXPECT_EQ(excluded[0]["votes"][10], "469.48978");
  EXPECT_EQ(excluded[0]["exhausted"], "72.19970");
  EXPECT_EQ(excluded[5]["votes"][2], "1947.35496");
  EXPECT_EQ(excluded[5]["exhausted"], "1203.18096");

  auto docherty = rounds_with(j, "surplus", 2);
  ASSERT_EQ(docherty.size(), 1u);
  EXPECT_EQ(docherty[0]["surplus"], "33.35496");
  EXPECT_EQ(docherty[0]["votes"][1], "1868.39022");
  EXPECT_EQ(docherty[0]["votes"][5], "1547.18432");
  EXPECT_EQ(docherty[0]["votes"][7], "1111.65708");
  EXPECT_EQ(docherty[0]["exhausted"], "1211.74700");
  EXPECT_EQ(docherty[0]["lost"], "0.02138");

  EXPECT_EQ(excluded[6]["votes"][1], "2008.75096");
  EXPECT_EQ(excluded[6]["votes"][5], "2174.90506");
  EXPECT_EQ(excluded[6]["exhausted"], "1555.32260");
  EXPECT_TRUE(j["tie_breaks"].empty());
}

// Three seats, quota floor(23 / 4) + 1 = 6.
//   9 A B C, 3 A C, 2 B, 4 C, 3 D E, 2 E
// Stage 1: A 12, B 2, C 4, D 3, E 2. A elected, surplus 6.
// Stage 2 (A's surplus): transfer value 6 x 1 / 12 = 0.50000; B +4.50000
//   (9 papers) = 6.50000, elected; C +1.50000 = 5.50000.
// Stage 3 (B's surplus 0.50000 over 6.50000): first-preference papers at
//   0.5 x 1 / 6.5 = 0.076923 -> 0.07692 (2 papers, no next preference:
//   0.15384 non-transferable); A's papers at 0.5 x 0.5 / 6.5 = 0.038461
//   -> 0.03846 (9 papers to C: +0.34614, C = 5.84614); 0.00002 lost.
// Stage 4: E (2) excluded, its 2 papers non-transferable.
// Stage 5: D (3) excluded; E is gone, so 3 more non-transferable.
//   One continuing candidate for one vacancy: C elected (rule 52).
// Exhausted 0.15384 + 2 + 3 = 5.15384; 6 + 6 + 5.84614 + 5.15384 + 0.00002 = 23.
BallotSet three_seat_election() {
  BallotSet b = set_of(5);
  add(b, 9, {0, 1, 2});
  add(b, 3, {0, 2});
  add(b, 2, {1});
  add(b, 4, {2});
  add(b, 3, {3, 4});
  add(b, 2, {4});
  return b;
}

TEST(StvScottish, ThreeSeatsWithTwoSurplusesCheckedByHand) {
  Json j = count(Method::scottish_stv, three_seat_election(), seats(3));
  EXPECT_EQ(j["quota"], "6.00000");
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0, 1, 2}));
  const Json& r = j["rounds"];
  // first_preferences, elect A, surplus A, elect B, surplus B, exclude E,
  // exclude D, elect_remaining C.
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r[0]["votes"],
            (std::vector<std::string>{"12.00000", "2.00000", "4.00000", "3.00000", "2.00000"}));
  EXPECT_EQ(r[1]["action"], "elect");
  EXPECT_EQ(r[1]["candidate"], 0);
  EXPECT_EQ(r[2]["action"], "surplus");
  EXPECT_EQ(r[2]["transfer_values"],
            Json::parse(R"([{"value":"1.00000","transfer_value":"0.50000"}])"));
  EXPECT_EQ(r[2]["votes"],
            (std::vector<std::string>{"6.00000", "6.50000", "5.50000", "3.00000", "2.00000"}));
  EXPECT_EQ(r[3]["action"], "elect");
  EXPECT_EQ(r[3]["candidate"], 1);
  EXPECT_EQ(r[4]["action"], "surplus");
  EXPECT_EQ(r[4]["candidate"], 1);
  EXPECT_EQ(r[4]["transfer_values"], Json::parse(R"([{"value":"1.00000","transfer_value":"0.07692"},
                                                     {"value":"0.50000","transfer_value":"0.03846"}])"));
  EXPECT_EQ(r[4]["non_transferable"], "0.15384");
  EXPECT_EQ(r[4]["transfers"],
            (std::vector<std::string>{"0.00000", "-0.50000", "0.34614", "0.00000", "0.00000"}));
  EXPECT_EQ(r[4]["votes"][2], "5.84614");
  EXPECT_EQ(r[4]["lost"], "0.00002");
  EXPECT_EQ(r[5]["action"], "exclude");
  EXPECT_EQ(r[5]["candidate"], 4);
  EXPECT_EQ(r[5]["non_transferable"], "2.00000");
  EXPECT_EQ(r[6]["action"], "exclude");
  EXPECT_EQ(r[6]["candidate"], 3);
  EXPECT_EQ(r[6]["non_transferable"], "3.00000");
  EXPECT_EQ(r[6]["exhausted"], "5.15384");
  EXPECT_EQ(r[7]["action"], "elect_remaining");
  EXPECT_EQ(r[7]["candidates"], (std::vector<int32_t>{2}));
  EXPECT_TRUE(j["tie_breaks"].empty());
}

// One seat, quota floor(15 / 2) + 1 = 8.
//   5 A, 2 D B, 3 C A, 4 B, 1 E D   (A 0, B 1, C 2, D 3, E 4)
// Stage 1: A 5, B 4, C 3, D 2, E 1. Stage 2: E excluded, D 3.
// Stage 3: C and D tie on 3; at stage 1, the most recent stage where they
//   differ, D had fewer (2 < 3): D is excluded, its 2 D B papers go to B
//   (6) and the E D paper is exhausted.
// Stage 4: C (3) excluded, A 8: elected.
TEST(StvScottish, ExclusionTieBrokenByEarlierStage) {
  BallotSet b = set_of(5);
  add(b, 5, {0});
  add(b, 2, {3, 1});
  add(b, 3, {2, 0});
  add(b, 4, {1});
  add(b, 1, {4, 3});
  Json j = count(Method::scottish_stv, b, seats(1));
  EXPECT_EQ(j["quota"], "8.00000");
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0}));
  ASSERT_EQ(j["tie_breaks"].size(), 1u);
  const Json& t = j["tie_breaks"][0];
  EXPECT_EQ(t["between"], (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(t["rule"], "earlier round");
  EXPECT_EQ(t["round"], 1);
  EXPECT_EQ(t["chosen"], 3);
  auto d = rounds_with(j, "exclude", 3);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]["votes"][1], "6.00000");
  EXPECT_EQ(d[0]["exhausted"], "1.00000");
}

// Rule 51(2) looks at the most recent preceding stage where the tied
// candidates differ, not the first one. One seat, 33 papers, quota 17:
//   10 A, 9 B, 5 C, 4 D, 2 X D, 1 Y C, 2 Y   (A 0, B 1, C 2, D 3, X 4, Y 5)
// Stage 1: A 10, B 9, C 5, D 4, X 2, Y 3.
// Stage 2: X excluded: D 6 (C 5 behind). Stage 3: Y excluded: C 6, 2 exhausted.
// Stage 4: C and D tie on 6. At stage 2 C had fewer (5 < 6), though at
//   stage 1 C had more (5 > 4): C is excluded. Stage 5: D (6) excluded.
//   Then B (9) is excluded and A is elected as the one continuing candidate.
// Meek counts the same rounds, except that once D is out the quota falls to
// 19 / 2 + 10^-9 and A (10) is elected without excluding B.
TEST(StvScottish, ExclusionTieLooksAtMostRecentDifferingStage) {
  BallotSet b = set_of(6);
  add(b, 10, {0});
  add(b, 9, {1});
  add(b, 5, {2});
  add(b, 4, {3});
  add(b, 2, {4, 3});
  add(b, 1, {5, 2});
  add(b, 2, {5});
  for (Method m : {Method::scottish_stv, Method::meek_stv}) {
    Json j = count(m, b, seats(1));
    EXPECT_EQ(j["winners"], (std::vector<int32_t>{0}));
    ASSERT_EQ(j["tie_breaks"].size(), 1u);
    const Json& t = j["tie_breaks"][0];
    EXPECT_EQ(t["between"], (std::vector<int32_t>{2, 3}));
    EXPECT_EQ(t["rule"], "earlier round");
    EXPECT_EQ(t["round"], 2);
    EXPECT_EQ(t["chosen"], 2);
    auto e = rounds_with(j, "exclude");
    ASSERT_EQ(e.size(), m == Method::scottish_stv ? 5u : 4u);
    EXPECT_EQ(e[0]["candidate"], 4);
    EXPECT_EQ(e[1]["candidate"], 5);
    EXPECT_EQ(e[2]["candidate"], 2);
    EXPECT_EQ(e[3]["candidate"], 3);
  }
}

// Three candidates with one paper each and one seat (quota 2): nothing but
// the lot separates them, twice; the seed decides and the same seed always
// gives the same result.
TEST(StvScottish, LotTieBreakDependsOnSeedOnly) {
  BallotSet b = set_of(3);
  add(b, 1, {0});
  add(b, 1, {1});
  add(b, 1, {2});
  std::set<int32_t> winners;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Json j = count(Method::scottish_stv, b, seats(1, seed));
    ASSERT_EQ(j["winners"].size(), 1u);
    winners.insert(j["winners"][0].get<int32_t>());
    ASSERT_EQ(j["tie_breaks"].size(), 2u);
    EXPECT_EQ(j["tie_breaks"][0]["rule"], "lot");
    EXPECT_EQ(j["tie_breaks"][1]["rule"], "lot");
    EXPECT_EQ(j, count(Method::scottish_stv, b, seats(1, seed)));
  }
  EXPECT_GE(winners.size(), 2u);
}

// Three seats, quota floor(41 / 4) + 1 = 11:
//   10 A, 8 B, 2 X A, 4 X B, 9 D, 8 E   (A 0, B 1, X 2, D 3, E 4)
// Stage 1: A 10, B 8, X 6, D 9, E 8. Stage 2: X excluded: A 12 and B 12,
// both elected with equal surpluses of 1. At stage 1 A had more (10 > 8),
// so A's surplus goes first (rule 49(2)): 1 x 1 / 12 = 0.08333 a paper, all
// non-transferable. Then B's; then E (8) is excluded and D elected.
TEST(StvScottish, EqualSurplusesOrderedByEarlierStage) {
  BallotSet b = set_of(5);
  add(b, 10, {0});
  add(b, 8, {1});
  add(b, 2, {2, 0});
  add(b, 4, {2, 1});
  add(b, 9, {3});
  add(b, 8, {4});
  Json j = count(Method::scottish_stv, b, seats(3));
  EXPECT_EQ(j["quota"], "11.00000");
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0, 1, 3}));
  ASSERT_EQ(j["tie_breaks"].size(), 1u);
  const Json& t = j["tie_breaks"][0];
  EXPECT_EQ(t["purpose"], "surplus");
  EXPECT_EQ(t["rule"], "earlier round");
  EXPECT_EQ(t["round"], 1);
  EXPECT_EQ(t["chosen"], 0);
  auto s = rounds_with(j, "surplus");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["candidate"], 0);
  EXPECT_EQ(s[0]["transfer_values"][0]["transfer_value"], "0.08333");
  EXPECT_EQ(s[0]["non_transferable"], "0.99996");
  EXPECT_EQ(s[0]["lost"], "0.00004");
  EXPECT_EQ(s[1]["candidate"], 1);
}

// Three seats, quota floor(14 / 4) + 1 = 4: 5 A C, 5 B D, 2 C, 1 D, 1 E.
// A and B are elected at stage 1 with equal surpluses of 1 and no earlier
// stage to tell them apart (rule 49(3)): the lot picks whose surplus goes
// first, and the seed decides.
TEST(StvScottish, EqualSurplusesOrderedByLot) {
  BallotSet b = set_of(5);
  add(b, 5, {0, 2});
  add(b, 5, {1, 3});
  add(b, 2, {2});
  add(b, 1, {3});
  add(b, 1, {4});
  std::set<int32_t> first;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    Json j = count(Method::scottish_stv, b, seats(3, seed));
    ASSERT_EQ(j["tie_breaks"].size(), 1u);
    const Json& t = j["tie_breaks"][0];
    EXPECT_EQ(t["purpose"], "surplus");
    EXPECT_EQ(t["rule"], "lot");
    EXPECT_EQ(t["stage"], "stage 2");
    EXPECT_EQ(t["between"], (std::vector<int32_t>{0, 1}));
    auto s = rounds_with(j, "surplus");
    ASSERT_GE(s.size(), 1u);
    EXPECT_EQ(s[0]["candidate"], t["chosen"]);
    EXPECT_EQ(s[0]["transfer_values"][0]["transfer_value"], "0.20000");
    first.insert(t["chosen"].get<int32_t>());
  }
  EXPECT_EQ(first.size(), 2u);
}

TEST(StvScottish, WeightsBlankAndInvalidBallots) {
  BallotSet one_by_one = set_of(5);
  for (int i = 0; i < 9; ++i) add(one_by_one, 1, {0, 1, 2});
  for (int i = 0; i < 3; ++i) add(one_by_one, 1, {0, 2});
  for (int i = 0; i < 2; ++i) add(one_by_one, 1, {1});
  for (int i = 0; i < 4; ++i) add(one_by_one, 1, {2});
  for (int i = 0; i < 3; ++i) add(one_by_one, 1, {3, 4});
  for (int i = 0; i < 2; ++i) add(one_by_one, 1, {4});
  EXPECT_EQ(count(Method::scottish_stv, one_by_one, seats(3)),
            count(Method::scottish_stv, three_seat_election(), seats(3)));

  BallotSet b = three_seat_election();
  add(b, 2, {0, 0});
  add(b, 1, {1, 7});
  add(b, 4, {});
  Json j = count(Method::scottish_stv, b, seats(3));
  EXPECT_EQ(j["invalid"], 3);
  EXPECT_EQ(j["invalid_reasons"],
            Json::parse(R"({"repeated option": 2, "option out of range": 1})"));
  EXPECT_EQ(j["blank"], 4);
  EXPECT_EQ(j["ballots"], 27);
  EXPECT_EQ(j["quota"], "6.00000");  // blank and invalid papers are not valid votes
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0, 1, 2}));
}

TEST(StvScottish, NoMoreCandidatesThanSeatsElectsEveryone) {
  BallotSet b = set_of(2);
  add(b, 3, {1, 0});
  add(b, 1, {0});
  for (int32_t s : {2, 3}) {
    Json j = count(Method::scottish_stv, b, seats(s));
    EXPECT_EQ(j["winners"], (std::vector<int32_t>{1, 0})) << s;
    auto last = j["rounds"].back();
    EXPECT_EQ(last["action"], "elect_remaining");
    EXPECT_EQ(last["note"], "no more candidates than seats: every candidate is elected");
  }
}

TEST(StvScottish, EveryBallotBlankStillFillsSeatsByLot) {
  BallotSet b = set_of(3);
  add(b, 5, {});
  Json j = count(Method::scottish_stv, b, seats(2));
  EXPECT_EQ(j["ballots"], 5);
  EXPECT_EQ(j["blank"], 5);
  EXPECT_EQ(j["quota"], "1.00000");
  EXPECT_EQ(j["winners"].size(), 2u);
}

// ---------------------------------------------------------------- Meek

// GPUS Steering Committee 2005 against Droop's reference report
// SC-meek-prf-o6-fixed-p9-d9.txt (9 decimals, rounded up, omega 10^-6).
// Meek elects Olsen where Scottish STV elects Sevigny.
TEST(StvMeek, GpusSteeringCommittee2005MatchesReferenceCount) {
  Blt blt = read_blt("gpus-2005.blt");
  Json j = count(Method::meek_stv, blt.ballots, blt.options);
  std::vector<int32_t> winners = j["winners"];
  EXPECT_EQ(std::set<int32_t>(winners.begin(), winners.end()), (std::set<int32_t>{3, 6, 7, 12}));
  EXPECT_EQ(winners, (std::vector<int32_t>{6, 3, 12, 7}));

  // The first exclusion: the count converged with quota 18.800000001.
  auto e = rounds_with(j, "exclude");
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e[0]["quota"], "18.800000001");
  EXPECT_EQ(e[0]["surplus"], "0.000000906");
  EXPECT_EQ(e[0]["votes"][3], "18.800000609");
  EXPECT_EQ(e[0]["votes"][6], "18.800000299");
  EXPECT_EQ(e[0]["votes"][7], "13.000470959");
  EXPECT_EQ(e[0]["votes"][12], "18.556796080");
  EXPECT_EQ(e[0]["votes"][0], "8.006073598");

  auto kirit = rounds_with(j, "exclude", 1);
  ASSERT_EQ(kirit.size(), 1u);
  EXPECT_EQ(kirit[0]["quota"], "18.799133306");
  EXPECT_EQ(kirit[0]["votes"][1], "3.730149807");
  EXPECT_EQ(kirit[0]["exhausted"], "0.004333472");

  auto olsen = rounds_with(j, "elect", 7);
  ASSERT_EQ(olsen.size(), 1u);
  EXPECT_EQ(olsen[0]["quota"], "18.586296861");
  EXPECT_EQ(olsen[0]["votes"][7], "19.085721549");
  EXPECT_EQ(olsen[0]["votes"][2], "16.482212783");
  EXPECT_EQ(olsen[0]["exhausted"], "1.068515700");
  EXPECT_EQ(j["quota"], "18.586296861");
}

// Two seats: 6 A B, 2 A, 4 B, 3 C (A 0, B 1, C 2); 15 votes.
// Round 1, iteration 1: A 8, B 4, C 3; quota 15/3 = 5 + 10^-9 = 5.000000001:
//   A elected.
// Round 2, iteration 1: same votes, surplus 2.999999999 >= omega, so
//   kf(A) = 1 x 5.000000001 / 8 = 0.625000000125 -> 0.625000001 (up).
// Iteration 2: each A paper keeps 0.625000001, passes 0.374999999:
//   A 8 x 0.625000001 = 5.000000008; B 4 + 6 x 0.374999999 = 6.249999994;
//   the 2 A-only papers exhaust 0.749999998; C 3.
//   quota = 14.250000002 / 3 = 4.750000000(67) -> 4.750000000 + 10^-9
//   = 4.750000001: B elected.
TEST(StvMeek, TwoSeatsKeepFactorCheckedByHand) {
  BallotSet b = set_of(3);
  add(b, 6, {0, 1});
  add(b, 2, {0});
  add(b, 4, {1});
  add(b, 3, {2});
  Json j = count(Method::meek_stv, b, seats(2));
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0, 1}));
  auto a = rounds_with(j, "elect", 0);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["quota"], "5.000000001");
  EXPECT_EQ(a[0]["round"], 1);
  auto bb = rounds_with(j, "elect", 1);
  ASSERT_EQ(bb.size(), 1u);
  EXPECT_EQ(bb[0]["round"], 2);
  EXPECT_EQ(bb[0]["iterations"], 2);
  EXPECT_EQ(bb[0]["keep_factors"],
            (std::vector<std::string>{"0.625000001", "1.000000000", "1.000000000"}));
  EXPECT_EQ(bb[0]["votes"],
            (std::vector<std::string>{"5.000000008", "6.249999994", "3.000000000"}));
  EXPECT_EQ(bb[0]["exhausted"], "0.749999998");
  EXPECT_EQ(bb[0]["quota"], "4.750000001");
  EXPECT_EQ(j["quota"], "4.750000001");
}

// One seat: 5 A, 2 D B, 3 C A, 4 B, 1 E D (as the Scottish case above).
// Round 1: no quota (15/2 -> 7.500000001); E (1) excluded. Round 2: C 3 and
// D 3 tie; in round 1 D had 2 < 3: D excluded (earlier round). Round 3:
// B 6, A 5, C 3: C excluded. Round 4: A 8 >= 14/2 + 10^-9: elected.
TEST(StvMeek, ExclusionTieBrokenByEarlierRound) {
  BallotSet b = set_of(5);
  add(b, 5, {0});
  add(b, 2, {3, 1});
  add(b, 3, {2, 0});
  add(b, 4, {1});
  add(b, 1, {4, 3});
  Json j = count(Method::meek_stv, b, seats(1));
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0}));
  ASSERT_EQ(j["tie_breaks"].size(), 1u);
  EXPECT_EQ(j["tie_breaks"][0]["rule"], "earlier round");
  EXPECT_EQ(j["tie_breaks"][0]["round"], 1);
  EXPECT_EQ(j["tie_breaks"][0]["chosen"], 3);
  auto e = rounds_with(j, "exclude");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0]["candidate"], 4);
  EXPECT_EQ(e[1]["candidate"], 3);
  EXPECT_EQ(e[2]["candidate"], 2);
  auto a = rounds_with(j, "elect", 0);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["quota"], "7.000000001");  // the E D paper is exhausted: 14 / 2
  EXPECT_EQ(a[0]["exhausted"], "1.000000000");
}

TEST(StvMeek, LotTieBreakDependsOnSeedOnly) {
  BallotSet b = set_of(3);
  add(b, 1, {0});
  add(b, 1, {1});
  add(b, 1, {2});
  std::set<int32_t> winners;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Json j = count(Method::meek_stv, b, seats(1, seed));
    ASSERT_EQ(j["winners"].size(), 1u);
    winners.insert(j["winners"][0].get<int32_t>());
    ASSERT_EQ(j["tie_breaks"].size(), 2u);
    EXPECT_EQ(j["tie_breaks"][1]["rule"], "lot");
    EXPECT_EQ(j, count(Method::meek_stv, b, seats(1, seed)));
  }
  EXPECT_GE(winners.size(), 2u);
}

TEST(StvMeek, WeightsBlankAndInvalidBallots) {
  BallotSet grouped = set_of(3);
  add(grouped, 6, {0, 1});
  add(grouped, 2, {0});
  add(grouped, 4, {1});
  add(grouped, 3, {2});
  BallotSet one_by_one = set_of(3);
  for (int i = 0; i < 6; ++i) add(one_by_one, 1, {0, 1});
  for (int i = 0; i < 2; ++i) add(one_by_one, 1, {0});
  for (int i = 0; i < 4; ++i) add(one_by_one, 1, {1});
  for (int i = 0; i < 3; ++i) add(one_by_one, 1, {2});
  EXPECT_EQ(count(Method::meek_stv, one_by_one, seats(2)),
            count(Method::meek_stv, grouped, seats(2)));

  add(grouped, 2, {1, 1});
  add(grouped, 1, {-1});
  add(grouped, 3, {});
  Json j = count(Method::meek_stv, grouped, seats(2));
  EXPECT_EQ(j["invalid"], 3);
  EXPECT_EQ(j["invalid_reasons"],
            Json::parse(R"({"repeated option": 2, "option out of range": 1})"));
  EXPECT_EQ(j["blank"], 3);
  EXPECT_EQ(j["ballots"], 18);
  EXPECT_EQ(j["winners"], (std::vector<int32_t>{0, 1}));
}

TEST(StvMeek, NoMoreCandidatesThanSeatsElectsEveryone) {
  BallotSet b = set_of(2);
  add(b, 3, {1, 0});
  add(b, 1, {0});
  for (int32_t s : {2, 5}) {
    Json j = count(Method::meek_stv, b, seats(s));
    EXPECT_EQ(j["winners"], (std::vector<int32_t>{1, 0})) << s;
    ASSERT_EQ(j["rounds"].size(), 1u);
    EXPECT_EQ(j["rounds"][0]["action"], "elect_remaining");
    EXPECT_EQ(j["rounds"][0]["note"], "no more candidates than seats: every candidate is elected");
  }
}

TEST(StvMeek, TooMuchWeightIsRefused) {
  BallotSet b = set_of(2);
  add(b, 1'000'000'000, {0});
  add(b, 1, {1});
  try {
    tally(Method::meek_stv, b, seats(1));
    FAIL() << "expected out_of_range";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::out_of_range);
  }
}

// ---------------------------------------------------------------- both

// Many random ballots: both counts finish, fill every seat, and Scottish
// STV's books balance (votes + exhausted + lost = valid papers) at every stage.
TEST(StvBoth, RandomElectionsFillSeatsAndBalance) {
  std::mt19937_64 rng(7);
  BallotSet b = set_of(12);
  for (int i = 0; i < 20000; ++i) {
    std::vector<int32_t> perm(12);
    for (int32_t k = 0; k < 12; ++k) perm[static_cast<size_t>(k)] = k;
    std::shuffle(perm.begin(), perm.end(), rng);
    // A skewed first choice so that some candidates reach the quota.
    if (rng() % 3 == 0) {
      auto zero = std::find(perm.begin(), perm.end(), 0);
      std::rotate(perm.begin(), zero, zero + 1);
    }
    perm.resize(1 + rng() % 12);
    b.add(1 + static_cast<int64_t>(rng() % 3), perm);
  }
  for (Method m : {Method::scottish_stv, Method::meek_stv}) {
    Json j = count(m, b, seats(5));
    EXPECT_EQ(j["winners"].size(), 5u);
    std::vector<int32_t> w = j["winners"];
    EXPECT_EQ(std::set<int32_t>(w.begin(), w.end()).size(), 5u);
  }
}

}  // namespace
}  // namespace agora::governance::voting
