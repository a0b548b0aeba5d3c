// The Method of Equal Shares and greedy (budget/equal_shares.h) on instances
// small enough to check by hand: the authors' red/blue example, a supporter
// who cannot pay an equal share, each tie-break, points utilities, Add1 and
// greedy's skipping.

#include "budget/equal_shares.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace agora::budget {
namespace {

Election make(int64_t budget, std::vector<std::pair<std::string, int64_t>> projects,
              const std::vector<std::vector<int32_t>>& ballots,
              const std::vector<std::vector<int64_t>>& points = {}) {
  Election e;
  e.budget_units = budget;
  e.kind = points.empty() ? BallotKind::approval : BallotKind::points;
  for (auto& [id, cost] : projects) e.projects.push_back(Project{id, "project " + id, cost});
  for (size_t v = 0; v < ballots.size(); ++v)
    e.add_ballot(ballots[v], points.empty() ? std::span<const int64_t>{} : points[v]);
  return e;
}

std::vector<std::string> ids(const Result& r, const Election& e) {
  std::vector<std::string> out;
  for (const Funded& f : r.funded) out.push_back(e.projects[f.project].id);
  return out;
}

Options mes(Utility u, Completion c) {
  Options o;
  o.utility = u;
  o.completion = c;
  return o;
}

// Peters & Skowron's motivating example: 51 voters approve ten "red"
// projects, 49 approve ten "blue" ones, and the money suffices for ten.
// Greedy funds the ten red ones; Equal Shares funds five and five.
Election red_blue() {
  std::vector<std::pair<std::string, int64_t>> projects;
  for (int i = 1; i <= 20; ++i) projects.emplace_back(std::to_string(i), 100);
  std::vector<std::vector<int32_t>> ballots;
  for (int v = 0; v < 100; ++v) {
    std::vector<int32_t> b;
    for (int i = 0; i < 10; ++i) b.push_back(v < 51 ? i : 10 + i);
    ballots.push_back(b);
  }
  return make(1000, projects, ballots);
}

TEST(BudgetEqualShares, RedBlueWithoutCompletionFundsFiveRedAndFourBlue) {
  const Election e = red_blue();
  const Result r = select_projects(e, mes(Utility::cost, Completion::none));
  EXPECT_EQ(ids(r, e), (std::vector<std::string>{"1", "2", "3", "4", "5", "11", "12", "13", "14"}));
  EXPECT_EQ(r.total_cost_units, 900);
  EXPECT_EQ(r.voter_money, Rational(10));
  // Each red supporter paid 100/51 five times: 10 - 500/51 = 10/51 left, 51 of them: 10.
  ASSERT_EQ(r.unfunded.size(), 11u);
  EXPECT_EQ(r.unfunded[0].project, 5);  // id 6
  EXPECT_EQ(r.unfunded[0].reason, LossReason::money_ran_out);
  EXPECT_EQ(r.unfunded[0].had, Rational(10));
  EXPECT_EQ(r.unfunded[0].step, 5);
  EXPECT_EQ(reason_text(r.unfunded[0], e),
            "supporters' money ran out: they had 10.00 of the cost 100");
  // Blue: 10 - 400/49 = 90/49 each, 49 of them: 90.
  EXPECT_EQ(r.unfunded[5].project, 14);  // id 15
  EXPECT_EQ(r.unfunded[5].had, Rational(90));
  EXPECT_EQ(r.unfunded[5].step, 9);
  ASSERT_EQ(r.funded[0].payments.size(), 1u);
  EXPECT_EQ(r.funded[0].payments[0].amount, Rational(100, 51));
  EXPECT_EQ(r.funded[0].payments[0].voters, 51);
  EXPECT_EQ(r.funded[0].rho, Rational(1, 51));
}

TEST(BudgetEqualShares, RedBlueAdd1CompletesToFiveAndFive) {
  const Election e = red_blue();
  const Result r = select_projects(e, mes(Utility::cost, Completion::add1));
  // With 11 each instead of 10, the blue voters afford a fifth project; the
  // outcome costs 1000 <= 1000 and nothing more fits, so completion stops.
  EXPECT_EQ(ids(r, e),
            (std::vector<std::string>{"1", "2", "3", "4", "5", "11", "12", "13", "14", "15"}));
  EXPECT_EQ(r.total_cost_units, 1000);
  EXPECT_EQ(r.voter_money, Rational(11));
  EXPECT_EQ(r.completion_steps, 1);
  EXPECT_FALSE(r.completion_capped);

  Options g;
  g.method = Method::greedy;
  const Result gr = select_projects(e, g);
  EXPECT_EQ(ids(gr, e),
            (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
}

TEST(BudgetEqualShares, Add1StopsAtTheFirstRunOverBudget) {
  // Budget 10 over 100 voters: 1/10 each. Raising everyone to 1 would fund
  // all twenty projects (2000 > 10), so the first outcome is kept.
  Election e = red_blue();
  for (auto& p : e.projects) p.cost_units = 1;
  e.budget_units = 10;
  const Result r = select_projects(e, mes(Utility::cost, Completion::add1));
  EXPECT_EQ(r.funded.size(), 9u);
  EXPECT_EQ(r.voter_money, Rational(1, 10));
  EXPECT_EQ(r.completion_steps, 1);
}

TEST(BudgetEqualShares, ASupporterShortOfTheShareSpendsAllAndTheOthersPayMore) {
  // v0 approves D and C; v1, v2 approve C; v3, v4, v5 approve D. 10 each.
  // D (32 among four: 8 each, ρ = 1/4) beats C (21 among three: 7 each,
  // ρ = 1/3). Then v0 has 2 left: v0 pays 2, v1 and v2 pay 19/2 each.
  const Election e = make(60, {{"1", 32}, {"2", 21}}, {{0, 1}, {1}, {1}, {0}, {0}, {0}});
  Options o = mes(Utility::cost, Completion::none);
  o.voter_payments = true;
  const Result r = select_projects(e, o);
  ASSERT_EQ(ids(r, e), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(r.funded[0].rho, Rational(1, 4));
  EXPECT_EQ(r.funded[1].rho, Rational(19, 42));
  ASSERT_EQ(r.funded[1].payments.size(), 2u);
  EXPECT_EQ(r.funded[1].payments[0].amount, Rational(19, 2));
  EXPECT_EQ(r.funded[1].payments[0].voters, 2);
  EXPECT_EQ(r.funded[1].payments[1].amount, Rational(2));
  EXPECT_EQ(r.funded[1].payments[1].voters, 1);
  ASSERT_EQ(r.funded[1].voter_payments.size(), 3u);
  EXPECT_EQ(r.funded[1].voter_payments[0].voter, 0);
  EXPECT_EQ(r.funded[1].voter_payments[0].amount, Rational(2));
  EXPECT_EQ(r.total_cost_units, 53);
  EXPECT_TRUE(r.unfunded.empty());
}

TEST(BudgetEqualShares, ApprovalUtilitiesPreferTheCheapestShare) {
  // Cost utilities: A (90 among 3, ρ = 30/90 = 1/3) beats B (10 by one
  // voter, ρ = 1). Approval utilities: B's share 10 beats A's share 30.
  const Election e = make(300, {{"A", 90}, {"B", 10}}, {{0}, {0}, {0, 1}});
  EXPECT_EQ(ids(select_projects(e, mes(Utility::cost, Completion::none)), e),
            (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(ids(select_projects(e, mes(Utility::approval, Completion::none)), e),
            (std::vector<std::string>{"B", "A"}));
}

TEST(BudgetEqualShares, TiesGoToLowerCostThenMoreSupportersThenLowerId) {
  // Approval utilities, ρ = 2 for both: X costs 4 among two, Y 6 among three.
  const Election cost_tie = make(100, {{"Y", 6}, {"X", 4}}, {{0}, {0}, {0, 1}, {1}});
  EXPECT_EQ(ids(select_projects(cost_tie, mes(Utility::approval, Completion::none)), cost_tie),
            (std::vector<std::string>{"X", "Y"}));
  // Points: project 1 gets 2 points from one voter, project 2 one point from
  // two; both cost 6, so ρ = 3 for both: more supporters wins over the id.
  const Election sup_tie = make(30, {{"1", 6}, {"2", 6}}, {{0}, {1}, {1}}, {{2}, {1}, {1}});
  const Result r = select_projects(sup_tie, mes(Utility::points, Completion::none));
  EXPECT_EQ(ids(r, sup_tie), (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(r.funded[0].rho, Rational(3));
  // Everything equal: the lower id, compared as a number (9 before 10).
  const Election id_tie = make(10, {{"10", 5}, {"9", 5}}, {{0}, {1}});
  EXPECT_EQ(ids(select_projects(id_tie, mes(Utility::cost, Completion::none)), id_tie),
            (std::vector<std::string>{"9", "10"}));
}

TEST(BudgetEqualShares, PointsSharePaymentsInProportionToPoints) {
  // 12 among a voter with 1 point and one with 2: ρ = 4, payments 4 and 8.
  const Election e = make(40, {{"P", 12}}, {{0}, {0}}, {{1}, {2}});
  Options o = mes(Utility::points, Completion::none);
  o.voter_payments = true;
  const Result r = select_projects(e, o);
  ASSERT_EQ(r.funded.size(), 1u);
  EXPECT_EQ(r.funded[0].rho, Rational(4));
  ASSERT_EQ(r.funded[0].voter_payments.size(), 2u);
  EXPECT_EQ(r.funded[0].voter_payments[0].amount, Rational(4));
  EXPECT_EQ(r.funded[0].voter_payments[1].amount, Rational(8));
  // With 20 each but points 1 and 9 on a cost of 30: the 9-point voter
  // cannot pay 27 and pays 20; the other pays 10 (ρ = 10).
  const Election short_money = make(40, {{"P", 30}}, {{0}, {0}}, {{1}, {9}});
  const Result s = select_projects(short_money, o);
  ASSERT_EQ(s.funded.size(), 1u);
  EXPECT_EQ(s.funded[0].rho, Rational(10));
  EXPECT_EQ(s.funded[0].voter_payments[0].amount, Rational(10));
  EXPECT_EQ(s.funded[0].voter_payments[1].amount, Rational(20));
}

TEST(BudgetEqualShares, ExactArithmeticWithThirds) {
  // 100 over 3 voters: 100/3 each, never rounded. A costs 100, all three
  // approve it: each pays exactly 100/3 and the budget is spent to the unit.
  const Election e = make(100, {{"A", 100}, {"B", 1}}, {{0}, {0}, {0, 1}});
  const Result r = select_projects(e, mes(Utility::cost, Completion::add1));
  ASSERT_EQ(ids(r, e), (std::vector<std::string>{"A"}));
  EXPECT_EQ(r.funded[0].payments[0].amount, Rational(100, 3));
  EXPECT_EQ(r.unfunded[0].had, Rational(0));
  // 100 + B's 1 would exceed the budget: the outcome is already exhaustive.
  EXPECT_EQ(r.completion_steps, 0);
  EXPECT_EQ(r.voter_money, Rational(100, 3));
}

TEST(BudgetEqualShares, NoSupportersMeansNoMoney) {
  const Election e = make(100, {{"A", 10}, {"B", 10}}, {{0}, {0}});
  const Result r = select_projects(e, mes(Utility::cost, Completion::add1));
  EXPECT_EQ(ids(r, e), (std::vector<std::string>{"A"}));
  ASSERT_EQ(r.unfunded.size(), 1u);
  EXPECT_EQ(r.unfunded[0].had, Rational(0));
  // Every supported project is funded: completion has nothing to add.
  EXPECT_EQ(r.completion_steps, 0);
}

TEST(BudgetGreedy, ByVotesThenCostSkippingWhatDoesNotFit) {
  // A: 3 votes, cost 6; B and C: 2 votes, costs 5 and 4; D: no votes, cost 1.
  const Election e =
      make(10, {{"A", 6}, {"B", 5}, {"C", 4}, {"D", 1}}, {{0, 1, 2}, {0, 1, 2}, {0}});
  Options o;
  o.method = Method::greedy;
  const Result r = select_projects(e, o);
  EXPECT_EQ(ids(r, e), (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(r.total_cost_units, 10);
  ASSERT_EQ(r.unfunded.size(), 2u);
  EXPECT_EQ(r.unfunded[0].reason, LossReason::did_not_fit);
  EXPECT_EQ(r.unfunded[0].left_units, 0);
  EXPECT_EQ(reason_text(r.unfunded[0], e), "did not fit: 0 left of the budget, cost 5");
  EXPECT_EQ(r.unfunded[1].reason, LossReason::no_votes);
  // A cheaper project further down still fits after one that did not.
  const Election skip = make(10, {{"A", 8}, {"B", 5}, {"C", 2}}, {{0, 1, 2}, {0, 1}, {0}});
  EXPECT_EQ(ids(select_projects(skip, o), skip), (std::vector<std::string>{"A", "C"}));
}

TEST(BudgetEqualShares, RefusesAUtilityThatDoesNotFitTheBallots) {
  const Election approval = make(10, {{"A", 5}}, {{0}});
  try {
    select_projects(approval, mes(Utility::points, Completion::none));
    FAIL() << "points utilities on approval ballots were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::invalid_value);
    EXPECT_EQ(e.field(), "utility");
  }
  const Election points = make(10, {{"A", 5}}, {{0}}, {{1}});
  EXPECT_THROW(select_projects(points, mes(Utility::cost, Completion::none)), Error);
}

TEST(BudgetEqualShares, RefusesMalformedElections) {
  Election e = make(10, {{"A", 5}, {"A", 6}}, {{0}});
  try {
    select_projects(e, Options{});
    FAIL() << "a duplicate id was accepted";
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), Code::invalid_value);
  }
  Election twice = make(10, {{"A", 5}}, {{0, 0}});
  EXPECT_THROW(select_projects(twice, Options{}), Error);
  Election free_project = make(10, {{"A", 0}}, {{0}});
  EXPECT_THROW(select_projects(free_project, Options{}), Error);
}

TEST(BudgetEqualShares, JsonNamesEveryPart) {
  const Election e = make(60, {{"1", 32}, {"2", 21}, {"3", 50}}, {{0, 1}, {1}, {1}, {0}, {0}, {0}});
  const Json j = to_json(select_projects(e, mes(Utility::cost, Completion::none)), e);
  EXPECT_EQ(j["method"], "equal-shares");
  EXPECT_EQ(j["utility"], "cost");
  EXPECT_EQ(j["completion"], "none");
  EXPECT_EQ(j["budget"], 60);
  EXPECT_EQ(j["total_cost"], 53);
  EXPECT_EQ(j["selected"][1]["rho"], "19/42");
  EXPECT_EQ(j["selected"][1]["payments"][0]["amount"], "19/2");
  EXPECT_EQ(j["selected"][1]["payments"][0]["amount_display"], "9.50");
  EXPECT_EQ(j["unselected"][0]["id"], "3");
  EXPECT_EQ(j["unselected"][0]["had"], "0");
  EXPECT_EQ(decimal_text(Rational(2, 3)), "0.66");
  EXPECT_EQ(fraction_text(Rational(4, 2)), "2");
}

}  // namespace
}  // namespace agora::budget
