// The Method of Equal Shares and greedy (budget/equal_shares.h) against a
// plain reference written here straight from DOMAIN.md §5: voter by voter,
// every project evaluated every round, Boost's rationals throughout, no money
// classes, no heap, no GMP. 1,600 random small elections, built so
// that ties in ρ, in cost and in supporters are common, over both ballot
// kinds, every utility, with and without Add1, must give the same outcome.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "budget/equal_shares.h"

namespace agora::budget {
namespace {

struct RefFunded {
  int32_t project = 0;
  Rational rho;
  std::vector<std::pair<Rational, int64_t>> payments;  // largest amount first
  std::vector<std::pair<int64_t, Rational>> voter_payments;
};
struct RefRun {
  std::vector<RefFunded> funded;
  int64_t total_cost_units = 0;
};

struct Supporter {
  int64_t voter;
  int64_t u;  // utility weight: 1, or the points given
};

std::vector<std::vector<Supporter>> supporters(const Election& e) {
  std::vector<std::vector<Supporter>> s(e.projects.size());
  for (int64_t v = 0; v < e.voter_count(); ++v)
    for (uint64_t j = e.starts[v]; j < e.starts[v + 1]; ++j)
      s[e.items[j]].push_back({v, e.kind == BallotKind::points ? e.points[j] : 1});
  return s;
}

// One run of DOMAIN.md §5 with every voter starting at `money`. "price" is
// what a supporter pays per unit of weight: ρ·c(p) under cost utilities
// (weight 1), ρ under approval (weight 1) or points (weight = points).
RefRun reference_run(const Election& e, const std::vector<std::vector<Supporter>>& sup,
                     Utility utility, const Rational& money) {
  const size_t m = e.projects.size();
  std::vector<Rational> b(static_cast<size_t>(e.voter_count()), money);
  std::vector<bool> out(m, false);  // funded or dropped
  RefRun run;
  for (;;) {
    int32_t best = -1;
    Rational best_rho;
    Rational best_price;
    for (size_t p = 0; p < m; ++p) {
      if (out[p]) continue;
      const int64_t cost = e.projects[p].cost_units;
      Rational total = 0;
      for (const Supporter& s : sup[p]) total += b[s.voter];
      if (total < cost) {
        out[p] = true;  // dropped for good
        continue;
      }
      // Supporters by b_i / u_i ascending: each pays all they have while that
      // is less than their share of what remains.
      std::vector<Supporter> order = sup[p];
      std::sort(order.begin(), order.end(), [&](const Supporter& x, const Supporter& y) {
        return b[x.voter] / x.u < b[y.voter] / y.u;
      });
      Rational remaining = cost;
      int64_t weight = 0;
      for (const Supporter& s : order) weight += s.u;
      Rational price;
      for (const Supporter& s : order) {
        price = remaining / weight;
        if (b[s.voter] >= price * s.u) break;
        remaining -= b[s.voter];
        weight -= s.u;
      }
      const Rational rho = utility == Utility::cost ? price / cost : price;
      bool better = best < 0 || rho < best_rho;
      if (!better && rho == best_rho) {
        const int64_t cb = e.projects[best].cost_units;
        if (cost != cb) {
          better = cost < cb;
        } else if (sup[p].size() != sup[best].size()) {
          better = sup[p].size() > sup[best].size();
        } else {
          better = std::stoll(e.projects[p].id) < std::stoll(e.projects[best].id);
        }
      }
      if (better) {
        best = static_cast<int32_t>(p);
        best_rho = rho;
        best_price = price;
      }
    }
    if (best < 0) return run;
    RefFunded f{best, best_rho, {}, {}};
    std::map<Rational, int64_t, std::greater<>> by_amount;
    for (const Supporter& s : sup[best]) {
      if (b[s.voter] == 0) continue;
      const Rational share = best_price * s.u;
      const Rational pay = std::min(b[s.voter], share);
      b[s.voter] -= pay;
      ++by_amount[pay];
      f.voter_payments.emplace_back(s.voter, pay);
    }
    f.payments.assign(by_amount.begin(), by_amount.end());
    out[best] = true;
    run.total_cost_units += e.projects[best].cost_units;
    run.funded.push_back(std::move(f));
  }
}

struct RefResult {
  RefRun run;
  Rational voter_money;
  int64_t completion_steps = 0;
};

RefResult reference(const Election& e, Utility utility, Completion completion) {
  const auto sup = supporters(e);
  const int64_t n = e.voter_count();
  RefResult r;
  r.voter_money = n > 0 ? Rational(e.budget_units) / n : Rational(0);
  r.run = reference_run(e, sup, utility, r.voter_money);
  if (completion == Completion::none || n == 0) return r;
  int64_t supported = 0;
  for (const auto& s : sup) supported += !s.empty();
  for (int64_t k = 1;; ++k) {
    std::vector<bool> funded(e.projects.size(), false);
    for (const RefFunded& f : r.run.funded) funded[f.project] = true;
    bool fits = false;
    for (size_t p = 0; p < e.projects.size(); ++p)
      fits = fits ||
             (!funded[p] && r.run.total_cost_units + e.projects[p].cost_units <= e.budget_units);
    if (!fits || static_cast<int64_t>(r.run.funded.size()) == supported) return r;
    const Rational more = Rational(e.budget_units / n + k);
    RefRun next = reference_run(e, sup, utility, more);
    r.completion_steps = k;
    if (next.total_cost_units > e.budget_units) return r;
    r.run = std::move(next);
    r.voter_money = more;
  }
}

// Small elections where ties are common: few voters and projects, costs
// from a handful of values, ids in shuffled numeric order.
Election random_election(std::mt19937_64& rng, BallotKind kind) {
  auto below = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  Election e;
  e.kind = kind;
  const int64_t projects = 1 + below(8);
  const int64_t voters = below(14);
  std::vector<int64_t> ids(static_cast<size_t>(projects));
  for (int64_t p = 0; p < projects; ++p) ids[p] = p + 1;
  std::shuffle(ids.begin(), ids.end(), rng);
  static constexpr int64_t kCosts[] = {1, 2, 3, 6, 7, 10, 12, 30};
  int64_t total = 0;
  for (int64_t p = 0; p < projects; ++p) {
    const int64_t cost = kCosts[below(8)] * (below(4) == 0 ? 10 : 1);
    total += cost;
    e.projects.push_back(Project{std::to_string(ids[p]), "", cost});
  }
  e.budget_units = below(total + 1);
  for (int64_t v = 0; v < voters; ++v) {
    std::vector<int32_t> ballot;
    std::vector<int64_t> pts;
    for (int64_t p = 0; p < projects; ++p) {
      if (below(3) != 0) continue;
      ballot.push_back(static_cast<int32_t>(p));
      if (kind == BallotKind::points) pts.push_back(1 + below(below(2) == 0 ? 3 : 100));
    }
    std::shuffle(ballot.begin(), ballot.end(), rng);
    e.add_ballot(ballot, pts);
  }
  return e;
}

void expect_same(const Election& e, const Options& o, const std::string& label) {
  SCOPED_TRACE(label);
  const Result got = select_projects(e, o);
  const RefResult want = reference(e, o.utility, o.completion);
  ASSERT_EQ(got.funded.size(), want.run.funded.size());
  for (size_t i = 0; i < got.funded.size(); ++i) {
    const Funded& g = got.funded[i];
    const RefFunded& w = want.run.funded[i];
    ASSERT_EQ(g.project, w.project) << "funded #" << i;
    EXPECT_EQ(g.rho, w.rho) << "funded #" << i;
    EXPECT_EQ(g.supporters, static_cast<int64_t>(supporters(e)[g.project].size()));
    ASSERT_EQ(g.payments.size(), w.payments.size()) << "funded #" << i;
    for (size_t j = 0; j < g.payments.size(); ++j) {
      EXPECT_EQ(g.payments[j].amount, w.payments[j].first);
      EXPECT_EQ(g.payments[j].voters, w.payments[j].second);
    }
    ASSERT_EQ(g.voter_payments.size(), w.voter_payments.size()) << "funded #" << i;
    for (size_t j = 0; j < g.voter_payments.size(); ++j) {
      EXPECT_EQ(g.voter_payments[j].voter, w.voter_payments[j].first);
      EXPECT_EQ(g.voter_payments[j].amount, w.voter_payments[j].second);
    }
  }
  EXPECT_EQ(got.total_cost_units, want.run.total_cost_units);
  EXPECT_EQ(got.voter_money, want.voter_money);
  EXPECT_EQ(got.completion_steps, want.completion_steps);
  EXPECT_FALSE(got.completion_capped);
  // Every project not funded is reported once, as having run out of money.
  EXPECT_EQ(got.funded.size() + got.unfunded.size(), e.projects.size());
  for (const Unfunded& u : got.unfunded) EXPECT_EQ(u.reason, LossReason::money_ran_out);
}

TEST(BudgetEqualSharesRandom, MatchesThePlainReferenceOnApprovalBallots) {
  std::mt19937_64 rng(20261124);
  for (int i = 0; i < 800; ++i) {
    const Election e = random_election(rng, BallotKind::approval);
    for (Utility u : {Utility::cost, Utility::approval})
      for (Completion c : {Completion::none, Completion::add1}) {
        Options o;
        o.utility = u;
        o.completion = c;
        o.voter_payments = true;
        expect_same(e, o,
                    "election " + std::to_string(i) + ", " + std::string(utility_name(u)) + ", " +
                        std::string(completion_name(c)));
        if (HasFatalFailure()) return;
      }
  }
}

TEST(BudgetEqualSharesRandom, MatchesThePlainReferenceOnPointsBallots) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 800; ++i) {
    const Election e = random_election(rng, BallotKind::points);
    for (Completion c : {Completion::none, Completion::add1}) {
      Options o;
      o.utility = Utility::points;
      o.completion = c;
      o.voter_payments = true;
      expect_same(e, o, "election " + std::to_string(i) + ", " + std::string(completion_name(c)));
      if (HasFatalFailure()) return;
    }
  }
}

// Greedy against its own plain statement: by votes, then cost, then id; fund
// what fits.
TEST(BudgetEqualSharesRandom, GreedyMatchesThePlainReference) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 800; ++i) {
    const Election e = random_election(rng, i % 2 == 0 ? BallotKind::approval : BallotKind::points);
    const size_t m = e.projects.size();
    std::vector<int64_t> votes(m, 0);
    for (size_t j = 0; j < e.items.size(); ++j)
      votes[e.items[j]] += e.kind == BallotKind::points ? e.points[j] : 1;
    std::vector<int32_t> want;
    std::vector<bool> taken(m, false);
    int64_t left = e.budget_units;
    for (size_t round = 0; round < m; ++round) {
      int32_t next = -1;
      for (size_t p = 0; p < m; ++p) {
        if (taken[p]) continue;
        const auto better = [&](size_t a, size_t b) {
          if (votes[a] != votes[b]) return votes[a] > votes[b];
          if (e.projects[a].cost_units != e.projects[b].cost_units)
            return e.projects[a].cost_units < e.projects[b].cost_units;
          return std::stoll(e.projects[a].id) < std::stoll(e.projects[b].id);
        };
        if (next < 0 || better(p, static_cast<size_t>(next))) next = static_cast<int32_t>(p);
      }
      taken[next] = true;
      if (votes[next] > 0 && e.projects[next].cost_units <= left) {
        left -= e.projects[next].cost_units;
        want.push_back(next);
      }
    }
    Options o;
    o.method = Method::greedy;
    const Result got = select_projects(e, o);
    std::vector<int32_t> ids;
    for (const Funded& f : got.funded) ids.push_back(f.project);
    ASSERT_EQ(ids, want) << "election " << i;
    EXPECT_EQ(got.total_cost_units, e.budget_units - left) << "election " << i;
  }
}

}  // namespace
}  // namespace agora::budget
