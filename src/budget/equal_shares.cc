#include "budget/equal_shares.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "core/assert.h"
#include "core/error.h"

namespace agora::budget {

namespace {

using boost::multiprecision::cpp_int;

// a < b by cross-multiplication: Boost 1.74's rational comparison works by
// repeated division, several times slower on the long numbers money reaches.
bool less(const Rational& a, const Rational& b) {
  using boost::multiprecision::denominator;
  using boost::multiprecision::numerator;
  return numerator(a) * denominator(b) < numerator(b) * denominator(a);
}

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

// One run of the method's outcome.
struct Run {
  std::vector<Funded> funded;
  std::vector<Unfunded> dropped;
  int64_t total_cost_units = 0;
};

// The Method of Equal Shares over money classes: voters with the same money
// share a class (class 0 is "no money left"), so the big-number work of a
// round is proportional to the distinct amounts among the supporters, not to
// their number.
class EqualShares {
 public:
  EqualShares(const Election& e, const Supporters& s, const std::vector<int32_t>& rank,
              Utility utility, bool voter_payments)
      : e_(e), s_(s), rank_(rank), utility_(utility), voter_payments_(voter_payments) {}

  Run run(const Rational& money) {
    const int64_t n = e_.voter_count();
    const auto m = static_cast<int32_t>(e_.projects.size());
    value_.assign(1, Rational(0));
    value_.push_back(money);
    cls_.assign(static_cast<size_t>(n), money > 0 ? 1 : 0);
    dirty_.assign(static_cast<size_t>(m), false);
    slot_.assign(value_.size(), 0);
    Run out;

    // A max-heap on "worse": the top is the smallest key (ρ, cost, -supporters, id).
    struct Entry {
      Rational rho;
      int32_t p;
    };
    auto worse = [this](const Entry& a, const Entry& b) {
      if (a.rho != b.rho) return less(b.rho, a.rho);
      const int64_t ca = e_.projects[a.p].cost_units;
      const int64_t cb = e_.projects[b.p].cost_units;
      if (ca != cb) return ca > cb;
      if (s_.count(a.p) != s_.count(b.p)) return s_.count(a.p) < s_.count(b.p);
      return rank_[a.p] > rank_[b.p];
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);

    auto drop = [&](int32_t p) {
      out.dropped.push_back(Unfunded{.project = p,
                                     .reason = LossReason::money_ran_out,
                                     .step = static_cast<int32_t>(out.funded.size()),
                                     .had = paid_,
                                     .left_units = 0});
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
      Entry top = heap.top();
      heap.pop();
      const bool was_dirty = dirty_[top.p];
      dirty_[top.p] = false;
      if (!evaluate(top.p)) {
        drop(top.p);
        continue;
      }
      if (was_dirty) {
        heap.push({rho_, top.p});
        continue;
      }
      AGORA_ASSERT(rho_ == top.rho);
      out.total_cost_units += e_.projects[top.p].cost_units;
      out.funded.push_back(buy(top.p));
    }
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
    if (slot_.size() < value_.size()) slot_.resize(value_.size(), 0);
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
    paid_ = 0;
    int64_t weight = 0;
    for (const Group& g : groups_) weight += g.count * g.w;
    if (weight == 0) return false;
    for (;;) {
      price_ = (Rational(cost) - paid_) / weight;
      bool changed = false;
      for (Group& g : groups_) {
        if (g.out) continue;
        const Rational& money = value_[g.cls];
        if (g.w == 1 ? less(money, price_) : less(money, price_ * g.w)) {
          g.out = true;
          paid_ += money * g.count;
          weight -= g.count * g.w;
          changed = true;
        }
      }
      if (weight == 0) return false;  // all out: their money is less than the cost
      if (!changed) break;
    }
    rho_ = utility_ == Utility::cost ? price_ / cost : price_;
    return true;
  }

  // Charges p's supporters at the price evaluate(p) just found.
  Funded buy(int32_t p) {
    Funded f{.project = p,
             .cost_units = e_.projects[p].cost_units,
             .supporters = s_.count(p),
             .rho = rho_,
             .payments = {},
             .voter_payments = {}};
    std::map<Rational, int64_t, std::greater<>> by_amount;
    std::vector<Rational> pay(groups_.size());
    for (size_t i = 0; i < groups_.size(); ++i) {
      Group& g = groups_[i];
      const Rational money = value_[g.cls];
      pay[i] = g.out ? money : price_ * g.w;
      if (g.out || pay[i] == money) {
        g.new_cls = 0;
      } else {
        g.new_cls = static_cast<int32_t>(value_.size());
        value_.push_back(money - pay[i]);
      }
      by_amount[pay[i]] += g.count;
    }
    Rational sum = 0;
    for (auto& [amount, voters] : by_amount) {
      sum += amount * voters;
      f.payments.push_back(PaymentGroup{amount, voters});
    }
    AGORA_ASSERT(sum == f.cost_units);

    const bool approval = e_.kind == BallotKind::approval;
    if (slot_.size() < value_.size()) slot_.resize(value_.size(), 0);
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
      if (voter_payments_) f.voter_payments.push_back(VoterPayment{v, pay[gi]});
      for (int32_t q : e_.ballot(v)) dirty_[q] = true;
    }
    if (approval)
      for (const Group& g : groups_) slot_[g.cls] = 0;
    return f;
  }

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

  std::vector<Rational> value_;  // money of each class
  std::vector<int32_t> cls_;     // each voter's class
  std::vector<bool> dirty_;      // a supporter paid since the last evaluation
  // Scratch of evaluate()/buy().
  std::vector<int64_t> slot_;
  std::vector<int32_t> touched_;
  std::vector<std::pair<int32_t, int64_t>> pairs_;
  std::vector<Group> groups_;
  Rational paid_;
  Rational price_;
  Rational rho_;
};

bool exhaustive(const Election& e, const Run& r) {
  std::vector<bool> funded(e.projects.size(), false);
  for (const Funded& f : r.funded) funded[f.project] = true;
  for (size_t p = 0; p < e.projects.size(); ++p)
    if (!funded[p] && r.total_cost_units + e.projects[p].cost_units <= e.budget_units) return false;
  return true;
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
  Rational money = n > 0 ? Rational(e.budget_units) / n : Rational(0);
  Run kept = method.run(money);
  r.voter_money = money;
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
      const Rational more = Rational(base) + k;
      Run next = method.run(more);
      r.completion_steps = k;
      if (next.total_cost_units > e.budget_units) break;
      kept = std::move(next);
      r.voter_money = more;
    }
  }
  r.funded = std::move(kept.funded);
  r.unfunded = std::move(kept.dropped);
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
