#include "budget/equal_shares.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include <gmpxx.h>

#include "core/assert.h"
#include "core/error.h"

namespace agora::budget {

namespace {

using boost::multiprecision::cpp_int;

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Project ids in order: numeric ids as numbers and before the others, which
// compare byte by byte. The last tie-break of both methods.
bool id_less(const std::string& a, const std::string& b) {
  const bool da = all_digits(a);
  const bool db = all_digits(b);
  if (da != db) return da;
  if (da) {
    const std::string_view x =
        std::string_view(a).substr(std::min(a.find_first_not_of('0'), a.size()));
    const std::string_view y =
        std::string_view(b).substr(std::min(b.find_first_not_of('0'), b.size()));
    if (x.size() != y.size()) return x.size() < y.size();
    if (x != y) return x < y;
  }
  return a < b;
}

std::vector<int32_t> id_ranks(const Election& e) {
  std::vector<int32_t> order(e.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int32_t x, int32_t y) { return id_less(e.projects[x].id, e.projects[y].id); });
  std::vector<int32_t> rank(e.projects.size());
  for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int32_t>(i);
  return rank;
}

// Each project's supporters and their weights (1, or the points given), flat.
struct Supporters {
  std::vector<uint64_t> start;
  std::vector<int32_t> voter;
  std::vector<int64_t> weight;
  int64_t count(int32_t p) const { return static_cast<int64_t>(start[p + 1] - start[p]); }
};

Supporters supporters_of(const Election& e) {
  const size_t m = e.projects.size();
  Supporters s;
  s.start.assign(m + 1, 0);
  for (int32_t p : e.items) ++s.start[p + 1];
  for (size_t p = 0; p < m; ++p) s.start[p + 1] += s.start[p];
  s.voter.resize(e.items.size());
  s.weight.resize(e.items.size());
  std::vector<uint64_t> at(s.start.begin(), s.start.end() - 1);
  const bool points = e.kind == BallotKind::points;
  for (int64_t v = 0; v < e.voter_count(); ++v) {
    for (uint64_t j = e.starts[v]; j < e.starts[v + 1]; ++j) {
      const uint64_t k = at[e.items[j]]++;
      s.voter[k] = static_cast<int32_t>(v);
      s.weight[k] = points ? e.points[j] : 1;
    }
  }
  return s;
}

// Exact rationals for the method's inner loops: GMP's, many times faster
// than Boost's portable cpp_rational on the long numbers money reaches (a few
// hundred bits). The public Result keeps cpp_rational; only the kept run's
// numbers are converted.
using Q = mpq_class;

cpp_int to_cpp_int(mpz_srcptr z) {
  if (mpz_sgn(z) == 0) return 0;
  std::vector<uint64_t> limbs((mpz_sizeinbase(z, 2) + 63) / 64);
  size_t count = 0;
  mpz_export(limbs.data(), &count, -1, sizeof(uint64_t), 0, 0, z);
  cpp_int out;
  boost::multiprecision::import_bits(out, limbs.begin(), limbs.begin() + count, 64, false);
  return mpz_sgn(z) < 0 ? cpp_int(-out) : out;
}

Rational to_rational(const Q& x) {
  return Rational(to_cpp_int(x.get_num_mpz_t()), to_cpp_int(x.get_den_mpz_t()));
}

// One run of the method's outcome, in GMP numbers until it is reported.
// Add1 throws most runs away, so a run records who paid what by reference
// to its money classes (whose values never change once made), and only the
// kept run's payments are worked out, grouped and converted.
struct PaidGroup {
  int32_t cls = 0;     // the supporters' money class when they paid
  int64_t w = 1;       // their weight
  int64_t voters = 0;  // how many
  bool all = false;    // they paid all the class's money, else price·w
};
struct FundedQ {
  int32_t project = 0;
  Q rho;
  Q price;
  std::vector<PaidGroup> groups;
  std::vector<std::pair<int64_t, int32_t>> voter_groups;  // (voter, group) when asked for
};
struct DroppedQ {
  int32_t project = 0;
  int32_t step = 0;
  // What its supporters had: `had` plus the money of `holders` (class,
  // voters), which is summed only if the run's outcome is kept.
  Q had;
  std::vector<std::pair<int32_t, int64_t>> holders;
};
struct Run {
  std::vector<FundedQ> funded;
  std::vector<DroppedQ> dropped;
  int64_t total_cost_units = 0;
  std::vector<Q> values;  // the money of each class at the end
};

// A money class's upper bound in fixed point, ⌈x·2^32⌉, for a quick exact test
// of "the supporters have less than the cost". Money is below 2^64 (B/n +
// k, k an int64) and there are fewer than 2^24 voters, so a sum of bounds
// stays below 2^120.
constexpr int kFixedBits = 32;
static_assert(kMaxVoters < (int64_t{1} << 24));
static_assert(GMP_LIMB_BITS == 64);
using Fixed = unsigned __int128;

// The Method of Equal Shares over money classes: voters with the same money
// share a class (class 0 is "no money left"), so the big-number work of a
// round is proportional to the distinct amounts among the supporters, not to
// their number.
class EqualShares {
 public:
  EqualShares(const Election& e, const Supporters& s, const std::vector<int32_t>& rank,
              Utility utility, bool voter_payments)
      : e_(e), s_(s), rank_(rank), utility_(utility), voter_payments_(voter_payments) {}

  Run run(const Q& money) {
    const int64_t n = e_.voter_count();
    const auto m = static_cast<int32_t>(e_.projects.size());
    value_.clear();
    upper_.clear();
    value_.reserve(classes_);  // as many as the last run made
    upper_.reserve(classes_);
    classes_ = 0;
    new_class();  // 0: no money left
    new_class();  // 1: everyone's starting money
    value_[1] = money;
    upper_[1] = upper_bound(money);
    cls_.assign(static_cast<size_t>(n), money > 0 ? 1 : 0);
    dirty_.assign(static_cast<size_t>(m), false);
    slot_.assign(value_.size(), 0);
    Run out;

    // A max-heap on "worse": the top is the smallest key (ρ, cost, -supporters, id).
    struct Entry {
      Q rho;
      int32_t p;
    };
    auto worse = [this](const Entry& a, const Entry& b) {
      const int c = cmp(a.rho, b.rho);
      if (c != 0) return c > 0;
      const int64_t ca = e_.projects[a.p].cost_units;
      const int64_t cb = e_.projects[b.p].cost_units;
      if (ca != cb) return ca > cb;
      if (s_.count(a.p) != s_.count(b.p)) return s_.count(a.p) < s_.count(b.p);
      return rank_[a.p] > rank_[b.p];
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);

    auto drop = [&](int32_t p) {
      DroppedQ d{.project = p,
                 .step = static_cast<int32_t>(out.funded.size()),
                 .had = paid_,
                 .holders = {}};
      if (had_deferred_)
        for (const Group& g : groups_) d.holders.emplace_back(g.cls, g.count);
      out.dropped.push_back(std::move(d));
    };
    for (int32_t p = 0; p < m; ++p) {
      if (evaluate(p))
        heap.push({rho_, p});
      else
        drop(p);
    }
    // Every key in the heap is a lower bound of its project's current key
    // (money only decreases, so ρ only rises). A popped project whose
    // supporters paid nothing since it was evaluated has its exact key, which
    // is then the smallest of all: buy it. Otherwise evaluate it again.
    while (!heap.empty()) {
      const int32_t p = heap.top().p;
      const bool was_dirty = dirty_[p];
      dirty_[p] = false;
      const bool affordable = evaluate(p);
      if (!affordable) {
        heap.pop();
        drop(p);
        continue;
      }
      if (was_dirty) {
        heap.pop();
        heap.push({rho_, p});
        continue;
      }
      AGORA_ASSERT(rho_ == heap.top().rho);
      heap.pop();
      out.total_cost_units += e_.projects[p].cost_units;
      out.funded.push_back(buy(p));
    }
    out.values = std::move(value_);  // run() starts the next from scratch
    return out;
  }

 private:
  // Finds the smallest ρ at which p's supporters can pay for it. True and
  // rho_/price_/groups_ set when they can; false with paid_ = all their money
  // when they cannot.
  bool evaluate(int32_t p) {
    groups_.clear();
    const uint64_t b = s_.start[p];
    const uint64_t end = s_.start[p + 1];
    if (slot_.size() < classes_) slot_.resize(classes_, 0);
    if (e_.kind == BallotKind::approval) {
      touched_.clear();
      for (uint64_t k = b; k < end; ++k) {
        const int32_t c = cls_[s_.voter[k]];
        if (c == 0) continue;
        if (slot_[c]++ == 0) touched_.push_back(c);
      }
      for (int32_t c : touched_) {
        groups_.push_back(Group{c, 1, slot_[c], false, 0});
        slot_[c] = 0;
      }
    } else {
      pairs_.clear();
      for (uint64_t k = b; k < end; ++k) {
        const int32_t c = cls_[s_.voter[k]];
        if (c != 0) pairs_.emplace_back(c, s_.weight[k]);
      }
      std::sort(pairs_.begin(), pairs_.end());
      for (size_t i = 0; i < pairs_.size();) {
        size_t j = i;
        while (j < pairs_.size() && pairs_[j] == pairs_[i]) ++j;
        groups_.push_back(
            Group{pairs_[i].first, pairs_[i].second, static_cast<int64_t>(j - i), false, 0});
        i = j;
      }
    }
    // Water-filling: everyone pays price·w; those who cannot pay all they
    // have, and the price of the rest rises. The price only rises, so a
    // supporter once out stays out, and this ends after at most one pass per
    // group.
    const int64_t cost = e_.projects[p].cost_units;
    mpq_set_ui(paid_.get_mpq_t(), 0, 1);
    had_deferred_ = false;
    int64_t weight = 0;
    Fixed upper = 0;
    for (const Group& g : groups_) {
      weight += g.count * g.w;
      upper += static_cast<Fixed>(g.count) * upper_[g.cls];
    }
    if (weight == 0) return false;
    // Surely short of the cost: what exactly they had is only worth summing
    // if this run's outcome is kept (Add1 throws most runs away).
    if (upper < (static_cast<Fixed>(cost) << kFixedBits)) {
      had_deferred_ = true;
      return false;
    }
    for (;;) {
      // price = (cost - paid) / weight
      mpq_set_si(tmp_.get_mpq_t(), cost, 1);
      mpq_sub(price_.get_mpq_t(), tmp_.get_mpq_t(), paid_.get_mpq_t());
      mpq_set_si(tmp_.get_mpq_t(), weight, 1);
      mpq_div(price_.get_mpq_t(), price_.get_mpq_t(), tmp_.get_mpq_t());
      bool changed = false;
      for (Group& g : groups_) {
        if (g.out) continue;
        mpq_srcptr money = value_[g.cls].get_mpq_t();
        int c;
        if (g.w == 1) {
          c = mpq_cmp(money, price_.get_mpq_t());
        } else {
          mpq_set_si(tmp_.get_mpq_t(), g.w, 1);
          mpq_mul(tmp_.get_mpq_t(), price_.get_mpq_t(), tmp_.get_mpq_t());
          c = mpq_cmp(money, tmp_.get_mpq_t());
        }
        if (c < 0) {
          g.out = true;
          if (g.count == 1) {
            mpq_add(paid_.get_mpq_t(), paid_.get_mpq_t(), money);
          } else {
            mpq_set_si(tmp_.get_mpq_t(), g.count, 1);
            mpq_mul(tmp_.get_mpq_t(), money, tmp_.get_mpq_t());
            mpq_add(paid_.get_mpq_t(), paid_.get_mpq_t(), tmp_.get_mpq_t());
          }
          weight -= g.count * g.w;
          changed = true;
        }
      }
      if (weight == 0) return false;  // all out: their money is less than the cost
      if (!changed) break;
    }
    if (utility_ == Utility::cost) {
      mpq_set_si(tmp_.get_mpq_t(), cost, 1);
      mpq_div(rho_.get_mpq_t(), price_.get_mpq_t(), tmp_.get_mpq_t());
    } else {
      rho_ = price_;
    }
    return true;
  }

  // Charges p's supporters at the price evaluate(p) just found.
  FundedQ buy(int32_t p) {
    FundedQ f{.project = p, .rho = rho_, .price = price_, .groups = {}, .voter_groups = {}};
    int64_t weight = 0;
    for (Group& g : groups_) {
      f.groups.push_back(PaidGroup{.cls = g.cls, .w = g.w, .voters = g.count, .all = g.out});
      g.new_cls = 0;
      if (g.out) continue;
      weight += g.count * g.w;
      if (g.w == 1) {
        mpq_sub(tmp_.get_mpq_t(), value_[g.cls].get_mpq_t(), price_.get_mpq_t());
      } else {
        mpq_set_si(tmp_.get_mpq_t(), g.w, 1);
        mpq_mul(tmp_.get_mpq_t(), price_.get_mpq_t(), tmp_.get_mpq_t());
        mpq_sub(tmp_.get_mpq_t(), value_[g.cls].get_mpq_t(), tmp_.get_mpq_t());
      }
      AGORA_ASSERT(mpq_sgn(tmp_.get_mpq_t()) >= 0);
      if (mpq_sgn(tmp_.get_mpq_t()) == 0) continue;
      g.new_cls = static_cast<int32_t>(new_class());
      mpq_swap(value_[g.new_cls].get_mpq_t(), tmp_.get_mpq_t());
      upper_[g.new_cls] = upper_bound(value_[g.new_cls]);
    }
    // Those who paid all they had paid paid_, the others price·w each: the
    // cost exactly (report() checks it again on the grouped payments).
    mpq_set_si(tmp_.get_mpq_t(), weight, 1);
    mpq_mul(tmp_.get_mpq_t(), price_.get_mpq_t(), tmp_.get_mpq_t());
    mpq_add(tmp_.get_mpq_t(), tmp_.get_mpq_t(), paid_.get_mpq_t());
    AGORA_ASSERT(tmp_ == e_.projects[p].cost_units);

    const bool approval = e_.kind == BallotKind::approval;
    if (slot_.size() < classes_) slot_.resize(classes_, 0);
    if (approval)
      for (size_t i = 0; i < groups_.size(); ++i)
        slot_[groups_[i].cls] = static_cast<int64_t>(i) + 1;
    for (uint64_t k = s_.start[p]; k < s_.start[p + 1]; ++k) {
      const int32_t v = s_.voter[k];
      const int32_t c = cls_[v];
      if (c == 0) continue;
      size_t gi;
      if (approval) {
        gi = static_cast<size_t>(slot_[c] - 1);
      } else {
        const Group key{c, s_.weight[k], 0, false, 0};
        gi = static_cast<size_t>(std::lower_bound(groups_.begin(), groups_.end(), key,
                                                  [](const Group& x, const Group& y) {
                                                    return std::pair(x.cls, x.w) <
                                                           std::pair(y.cls, y.w);
                                                  }) -
                                 groups_.begin());
      }
      AGORA_ASSERT(gi < groups_.size() && groups_[gi].cls == c);
      cls_[v] = groups_[gi].new_cls;
      if (voter_payments_) f.voter_groups.emplace_back(v, static_cast<int32_t>(gi));
      for (int32_t q : e_.ballot(v)) dirty_[q] = true;
    }
    if (approval)
      for (const Group& g : groups_) slot_[g.cls] = 0;
    return f;
  }

  // A fresh money class (its value and bound are set by the caller).
  size_t new_class() {
    value_.emplace_back();
    upper_.push_back(0);
    return classes_++;
  }

  // ⌈x·2^kFixedBits⌉ for money x >= 0.
  Fixed upper_bound(const Q& x) {
    mpz_mul_2exp(fixed_.get_mpz_t(), x.get_num_mpz_t(), kFixedBits);
    mpz_cdiv_q(fixed_.get_mpz_t(), fixed_.get_mpz_t(), x.get_den_mpz_t());
    AGORA_ASSERT(mpz_sgn(fixed_.get_mpz_t()) >= 0 && mpz_size(fixed_.get_mpz_t()) <= 2);
    return (static_cast<Fixed>(mpz_getlimbn(fixed_.get_mpz_t(), 1)) << 64) |
           mpz_getlimbn(fixed_.get_mpz_t(), 0);
  }

  static int cmp(const Q& a, const Q& b) { return mpq_cmp(a.get_mpq_t(), b.get_mpq_t()); }

  struct Group {
    int32_t cls;
    int64_t w;
    int64_t count;
    bool out;
    int32_t new_cls;
  };

  const Election& e_;
  const Supporters& s_;
  const std::vector<int32_t>& rank_;
  Utility utility_;
  bool voter_payments_;

  std::vector<Q> value_;      // money of each class
  std::vector<Fixed> upper_;  // upper_bound() of each class's money
  size_t classes_ = 0;        // value_.size()
  std::vector<int32_t> cls_;  // each voter's class
  std::vector<bool> dirty_;   // a supporter paid since the last evaluation
  // Scratch of evaluate()/buy().
  std::vector<int64_t> slot_;
  std::vector<int32_t> touched_;
  std::vector<std::pair<int32_t, int64_t>> pairs_;
  std::vector<Group> groups_;
  Q paid_;
  Q price_;
  Q rho_;
  Q tmp_;
  mpz_class fixed_;
  bool had_deferred_ = false;  // evaluate() found p short without summing paid_
};

bool exhaustive(const Election& e, const Run& r) {
  std::vector<bool> funded(e.projects.size(), false);
  for (const FundedQ& f : r.funded) funded[f.project] = true;
  for (size_t p = 0; p < e.projects.size(); ++p)
    if (!funded[p] && r.total_cost_units + e.projects[p].cost_units <= e.budget_units) return false;
  return true;
}

// A funded project of the kept run as the Result reports it: payments
// grouped by amount, largest first, summing to the cost exactly.
Funded report(const Election& e, const Supporters& s, const FundedQ& f,
              const std::vector<Q>& values) {
  const int64_t cost = e.projects[f.project].cost_units;
  Funded out{.project = f.project,
             .cost_units = cost,
             .supporters = s.count(f.project),
             .rho = to_rational(f.rho),
             .payments = {},
             .voter_payments = {}};
  std::vector<Q> amount(f.groups.size());
  for (size_t i = 0; i < f.groups.size(); ++i) {
    const PaidGroup& g = f.groups[i];
    amount[i] = g.all ? values[g.cls] : Q(f.price * g.w);
  }
  std::vector<size_t> order(f.groups.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return amount[a] > amount[b]; });
  std::vector<Rational> exact(f.groups.size());
  Q sum = 0;
  for (size_t k = 0; k < order.size();) {
    size_t j = k;
    int64_t voters = 0;
    for (; j < order.size() && amount[order[j]] == amount[order[k]]; ++j)
      voters += f.groups[order[j]].voters;
    const Rational a = to_rational(amount[order[k]]);
    for (size_t i = k; i < j; ++i) exact[order[i]] = a;
    out.payments.push_back(PaymentGroup{a, voters});
    sum += amount[order[k]] * voters;
    k = j;
  }
  AGORA_ASSERT(sum == cost);
  for (const auto& [voter, group] : f.voter_groups)
    out.voter_payments.push_back(VoterPayment{voter, exact[static_cast<size_t>(group)]});
  return out;
}

Result equal_shares(const Election& e, const Options& o) {
  const Supporters s = supporters_of(e);
  const std::vector<int32_t> rank = id_ranks(e);
  EqualShares method(e, s, rank, o.utility, o.voter_payments);
  const int64_t n = e.voter_count();
  Result r;
  r.options = o;
  r.budget_units = e.budget_units;
  r.voters = n;
  Q money = 0;
  if (n > 0) {
    mpq_set_si(money.get_mpq_t(), e.budget_units, static_cast<unsigned long>(n));
    money.canonicalize();
  }
  Run kept = method.run(money);
  Q kept_money = money;
  if (o.completion == Completion::add1 && n > 0) {
    int64_t supported = 0;
    for (size_t p = 0; p < e.projects.size(); ++p)
      supported += s.count(static_cast<int32_t>(p)) > 0;
    const int64_t base = e.budget_units / n;
    for (int64_t k = 1;; ++k) {
      if (exhaustive(e, kept) || static_cast<int64_t>(kept.funded.size()) == supported) break;
      if (k > o.max_completion_steps) {
        r.completion_capped = true;
        break;
      }
      const Q more = Q(base) + Q(k);
      Run next = method.run(more);
      r.completion_steps = k;
      if (next.total_cost_units > e.budget_units) break;
      kept = std::move(next);
      kept_money = more;
    }
  }
  r.voter_money = to_rational(kept_money);
  for (const FundedQ& f : kept.funded) r.funded.push_back(report(e, s, f, kept.values));
  for (DroppedQ& d : kept.dropped) {
    for (const auto& [cls, voters] : d.holders) d.had += kept.values[cls] * voters;
    r.unfunded.push_back(Unfunded{.project = d.project,
                                  .reason = LossReason::money_ran_out,
                                  .step = d.step,
                                  .had = to_rational(d.had),
                                  .left_units = 0});
  }
  r.total_cost_units = kept.total_cost_units;
  AGORA_ASSERT(r.total_cost_units <= e.budget_units);
  std::sort(r.unfunded.begin(), r.unfunded.end(),
            [](const Unfunded& a, const Unfunded& b) { return a.project < b.project; });
  return r;
}

Result greedy(const Election& e, const Options& o) {
  const std::vector<int32_t> rank = id_ranks(e);
  const size_t m = e.projects.size();
  std::vector<int64_t> votes(m, 0);
  std::vector<int64_t> supporters(m, 0);
  const bool points = e.kind == BallotKind::points;
  for (size_t j = 0; j < e.items.size(); ++j) {
    votes[e.items[j]] += points ? e.points[j] : 1;
    ++supporters[e.items[j]];
  }
  std::vector<int32_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    if (votes[a] != votes[b]) return votes[a] > votes[b];
    const int64_t ca = e.projects[a].cost_units;
    const int64_t cb = e.projects[b].cost_units;
    if (ca != cb) return ca < cb;
    return rank[a] < rank[b];
  });
  Result r;
  r.options = o;
  r.budget_units = e.budget_units;
  r.voters = e.voter_count();
  int64_t left = e.budget_units;
  for (int32_t p : order) {
    const int64_t cost = e.projects[p].cost_units;
    const auto step = static_cast<int32_t>(r.funded.size());
    if (votes[p] == 0) {
      Unfunded u;
      u.project = p;
      u.reason = LossReason::no_votes;
      u.step = step;
      r.unfunded.push_back(std::move(u));
    } else if (cost <= left) {
      left -= cost;
      r.total_cost_units += cost;
      Funded f;
      f.project = p;
      f.cost_units = cost;
      f.supporters = supporters[p];
      r.funded.push_back(std::move(f));
    } else {
      Unfunded u;
      u.project = p;
      u.reason = LossReason::did_not_fit;
      u.step = step;
      u.left_units = left;
      r.unfunded.push_back(std::move(u));
    }
  }
  std::sort(r.unfunded.begin(), r.unfunded.end(),
            [](const Unfunded& a, const Unfunded& b) { return a.project < b.project; });
  return r;
}

Json rational_json(const Rational& x) { return fraction_text(x); }

}  // namespace

std::string_view method_name(Method m) {
  return m == Method::equal_shares ? "equal-shares" : "greedy";
}
std::string_view utility_name(Utility u) {
  switch (u) {
    case Utility::cost:
      return "cost";
    case Utility::approval:
      return "approval";
    case Utility::points:
      return "points";
  }
  return "?";
}
std::string_view completion_name(Completion c) { return c == Completion::add1 ? "add1" : "none"; }

std::string fraction_text(const Rational& x) {
  const cpp_int num = boost::multiprecision::numerator(x);
  const cpp_int den = boost::multiprecision::denominator(x);
  return den == 1 ? num.str() : num.str() + "/" + den.str();
}

std::string decimal_text(const Rational& x, int digits) {
  cpp_int scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  cpp_int q = boost::multiprecision::numerator(x) * scale / boost::multiprecision::denominator(x);
  const bool negative = q < 0;
  if (negative) q = -q;
  std::string s = q.str();
  if (digits > 0) {
    if (s.size() <= static_cast<size_t>(digits))
      s.insert(0, static_cast<size_t>(digits) + 1 - s.size(), '0');
    s.insert(s.size() - static_cast<size_t>(digits), ".");
  }
  return negative ? "-" + s : s;
}

Result select_projects(const Election& e, const Options& options) {
  check_election(e);
  if (options.method == Method::equal_shares) {
    const bool fits = e.kind == BallotKind::points ? options.utility == Utility::points
                                                   : options.utility != Utility::points;
    if (!fits)
      throw Error(Code::invalid_value,
                  e.kind == BallotKind::points
                      ? "points ballots are counted with points utilities"
                      : "approval ballots are counted with cost or approval utilities",
                  "utility");
    if (options.max_completion_steps < 0)
      throw Error(Code::out_of_range, "max_completion_steps must be >= 0", "max_completion_steps");
    return equal_shares(e, options);
  }
  return greedy(e, options);
}

std::string reason_text(const Unfunded& u, const Election& e) {
  const std::string cost = std::to_string(e.projects[u.project].cost_units);
  switch (u.reason) {
    case LossReason::money_ran_out:
      return "supporters' money ran out: they had " + decimal_text(u.had) + " of the cost " + cost;
    case LossReason::did_not_fit:
      return "did not fit: " + std::to_string(u.left_units) + " left of the budget, cost " + cost;
    case LossReason::no_votes:
      return "no votes";
  }
  return "?";
}

Json to_json(const Result& r, const Election& e) {
  const bool mes = r.options.method == Method::equal_shares;
  Json selected = Json::array();
  for (const Funded& f : r.funded) {
    const Project& p = e.projects[f.project];
    Json j{{"id", p.id}, {"name", p.name}, {"cost", f.cost_units}, {"supporters", f.supporters}};
    if (mes) {
      j["rho"] = rational_json(f.rho);
      Json pay = Json::array();
      for (const PaymentGroup& g : f.payments)
        pay.push_back({{"amount", rational_json(g.amount)},
                       {"amount_display", decimal_text(g.amount)},
                       {"voters", g.voters}});
      j["payments"] = pay;
      if (r.options.voter_payments) {
        Json vp = Json::array();
        for (const VoterPayment& x : f.voter_payments)
          vp.push_back({{"voter", x.voter}, {"amount", rational_json(x.amount)}});
        j["voter_payments"] = vp;
      }
    }
    selected.push_back(j);
  }
  Json unselected = Json::array();
  for (const Unfunded& u : r.unfunded) {
    const Project& p = e.projects[u.project];
    Json j{{"id", p.id},
           {"name", p.name},
           {"cost", p.cost_units},
           {"reason", reason_text(u, e)},
           {"step", u.step}};
    if (u.reason == LossReason::money_ran_out) j["had"] = rational_json(u.had);
    if (u.reason == LossReason::did_not_fit) j["left"] = u.left_units;
    unselected.push_back(j);
  }
  Json out{{"method", method_name(r.options.method)},
           {"utility", mes ? Json(utility_name(r.options.utility)) : Json(nullptr)},
           {"completion", mes ? Json(completion_name(r.options.completion)) : Json(nullptr)},
           {"budget", r.budget_units},
           {"voters", r.voters},
           {"projects", e.projects.size()},
           {"selected", selected},
           {"total_cost", r.total_cost_units},
           {"left", r.budget_units - r.total_cost_units},
           {"unselected", unselected}};
  if (mes) {
    out["voter_money"] = rational_json(r.voter_money);
    out["voter_money_display"] = decimal_text(r.voter_money);
    out["completion_steps"] = r.completion_steps;
    out["completion_capped"] = r.completion_capped;
  }
  return out;
}

}  // namespace agora::budget
