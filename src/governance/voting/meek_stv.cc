// Meek STV as I.D. Hill, B.A. Wichmann and D.R. Woodall, "Algorithm 123 -
// Single Transferable Vote by Meek's method", Computer Journal 30(3) 1987,
// in the fixed-point form of I.D. Hill, "Implementing STV by Meek's method",
// Voting Matters 22 (2006), which the New Zealand rules and the PR
// Foundation's reference rule follow:
//  - values are units of 10^-9;
//  - a ballot of weight w meeting a candidate of keep factor kf gives it
//    w*kf rounded up and passes on the rest;
//  - quota = (votes credited to candidates) / (seats + 1), truncated, plus 10^-9;
//  - hopeful candidates with votes >= quota are elected (all at once);
//  - otherwise, while the total surplus is at least omega = 10^-6 and still
//    falling, every elected kf becomes kf*quota (rounded up) / votes (rounded up);
//  - then the lowest hopeful is excluded (kf = 0): ties go to the earlier
//    round where the tied differed (most recent first), else to the lot.
//
// Blank and invalid rankings are treated as in scottish_stv.cc. Iterations
// stop when a candidate is elected, when the surplus is below omega, when
// it no longer falls, or after kMaxIterations (the entry says which).
//
// working: "quota" (the last one computed), "omega", "valid_votes",
// "invalid_reasons", "tie_breaks" and "rounds": per election or exclusion
// {"round", "action": "elect" | "exclude" | "elect_remaining", "candidate"
// (or "candidates"), "quota", "votes" and "keep_factors" per candidate at
// the decision (before an excluded candidate's votes move on), "exhausted"
// (value passed beyond every preference, rounding included), "surplus",
// "iterations", "stopped" (exclusions: why the iteration ended)}.
//
// A ballot's distribution depends only on its elected candidates up to its
// first hopeful one (a hopeful keeps all; excluded candidates pass all on),
// so ballots are reduced to those prefixes and grouped: each iteration walks
// a few thousand prefixes, not a million ballots. A ballot is walked again
// only when the candidate its prefix stops at is elected or excluded.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "governance/voting/fixed.h"
#include "governance/voting/ties.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {

constexpr int kPlaces = 9;
constexpr int64_t kOne = fixed::scale(kPlaces);  // 1.000000000
constexpr int64_t kOmega = 1000;                 // 0.000001
// Total ballot weight the count accepts: 10^9 ballots of 10^9 units stay
// below 2^63 in every sum.
constexpr int64_t kMaxTotalWeight = 1'000'000'000;
static_assert(kMaxTotalWeight <= INT64_MAX / kOne);
// A round stops iterating here even if the surplus still falls (it falls
// geometrically, so real counts stop far sooner); the working says so.
constexpr int32_t kMaxIterations = 100000;

enum class State : uint8_t { hopeful, elected, excluded };

std::string amount(int64_t units) { return fixed::to_string(units, kPlaces); }

Json amounts(const std::vector<int64_t>& v) {
  Json a = Json::array();
  for (int64_t x : v) a.push_back(amount(x));
  return a;
}

class Count {
 public:
  Count(const BallotSet& ballots, const Options& o) : o_(o), groups_(group_identical(ballots)) {
    n_ = groups_.option_count;
    state_.assign(static_cast<size_t>(n_), State::hopeful);
    kf_.assign(static_cast<size_t>(n_), kOne);
    votes_.assign(static_cast<size_t>(n_), 0);
    ending_at_.resize(static_cast<size_t>(n_));
  }

  Result run() {
    Result r;
    r.counts.assign(static_cast<size_t>(n_), 0);
    check_ballots(r);
    r.ballots = checked_add(valid_weight_, r.blank);
    build_prefixes();

    int32_t round = 0;
    while (true) {
      if (elected_count() == o_.seats) break;
      if (elected_count() + hopeful_count() <= o_.seats) {
        distribute();
        elect_remaining(round);
        break;
      }
      ++round;
      iterate_and_act(round);
    }

    r.winners = winners_;
    r.working["quota"] = amount(quota_);
    r.working["omega"] = amount(kOmega);
    r.working["valid_votes"] = valid_weight_;
    r.working["rounds"] = std::move(rounds_);
    r.working["tie_breaks"] = std::move(tie_breaks_);
    Json reasons = Json::object();
    for (const auto& [k, v] : invalid_reasons_) reasons[k] = v;
    r.working["invalid_reasons"] = reasons;
    return r;
  }

 private:
  int32_t elected_count() const { return static_cast<int32_t>(winners_.size()); }
  int32_t hopeful_count() const {
    return static_cast<int32_t>(std::count(state_.begin(), state_.end(), State::hopeful));
  }

  // Blank and invalid (repeated option, option out of range) groups are
  // marked; the first preferences of the rest are the "counts".
  void check_ballots(Result& r) {
    valid_.assign(groups_.size(), 0);
    std::vector<size_t> seen(static_cast<size_t>(n_), SIZE_MAX);
    for (size_t g = 0; g < groups_.size(); ++g) {
      auto items = groups_.ballot(g);
      const int64_t w = groups_.weights[g];
      if (items.empty()) {
        r.blank = checked_add(r.blank, w);
        continue;
      }
      const char* reason = nullptr;
      for (int32_t o : items) {
        if (o < 0 || o >= n_) {
          reason = "option out of range";
          break;
        }
        if (seen[static_cast<size_t>(o)] == g) {
          reason = "repeated option";
          break;
        }
        seen[static_cast<size_t>(o)] = g;
      }
      if (reason != nullptr) {
        r.invalid = checked_add(r.invalid, w);
        invalid_reasons_[reason] = checked_add(invalid_reasons_[reason], w);
        continue;
      }
      valid_[g] = 1;
      valid_weight_ = checked_add(valid_weight_, w);
      r.counts[static_cast<size_t>(items[0])] += w;
    }
    if (valid_weight_ > kMaxTotalWeight)
      throw Error(Code::out_of_range, "Meek STV counts at most 10^9 ballots in total weight",
                  "ballots");
  }

  // The prefix of group g from ballot position `from`: elected candidates
  // appended to `seq`, stopping after the first hopeful one (returned, with
  // its position in stop_), or -1 when the ballot runs out.
  int32_t walk(size_t g, size_t from, std::vector<int32_t>& seq) {
    auto items = groups_.ballot(g);
    for (size_t i = from; i < items.size(); ++i) {
      const int32_t c = items[i];
      const State s = state_[static_cast<size_t>(c)];
      if (s == State::excluded) continue;
      seq.push_back(c);
      if (s == State::hopeful) {
        stop_[g] = static_cast<uint32_t>(i);
        return c;
      }
    }
    stop_[g] = static_cast<uint32_t>(items.size());
    return -1;
  }

  uint32_t prefix_id(const std::vector<int32_t>& seq) {
    key_.assign(reinterpret_cast<const char*>(seq.data()), seq.size() * sizeof(int32_t));
    auto [it, inserted] =
        prefix_index_.try_emplace(key_, static_cast<uint32_t>(prefix_weight_.size()));
    if (inserted) {
      prefix_weight_.push_back(0);
      prefix_items_.insert(prefix_items_.end(), seq.begin(), seq.end());
      prefix_starts_.push_back(prefix_items_.size());
    }
    return it->second;
  }

  void place(size_t g, const std::vector<int32_t>& seq, int32_t terminal) {
    const uint32_t id = prefix_id(seq);
    prefix_of_[g] = id;
    prefix_weight_[id] += groups_.weights[g];
    if (terminal >= 0)
      ending_at_[static_cast<size_t>(terminal)].push_back(static_cast<uint32_t>(g));
  }

  void build_prefixes() {
    prefix_of_.assign(groups_.size(), UINT32_MAX);
    stop_.assign(groups_.size(), 0);
    std::vector<int32_t> seq;
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (!valid_[g]) continue;
      seq.clear();
      const int32_t t = walk(g, 0, seq);
      place(g, seq, t);
    }
  }

  // After `changed` candidates were elected or excluded, the ballots whose
  // prefix stopped at one of them walk on.
  void extend_prefixes(const std::vector<int32_t>& changed) {
    std::vector<int32_t> seq;
    for (int32_t c : changed) {
      std::vector<uint32_t> moving = std::move(ending_at_[static_cast<size_t>(c)]);
      ending_at_[static_cast<size_t>(c)] = {};
      for (uint32_t g : moving) {
        const uint32_t old = prefix_of_[g];
        seq.assign(prefix_items_.begin() + static_cast<ptrdiff_t>(prefix_starts_[old]),
                   prefix_items_.begin() + static_cast<ptrdiff_t>(prefix_starts_[old + 1]));
        AGORA_ASSERT(!seq.empty() && seq.back() == c);
        if (state_[static_cast<size_t>(c)] == State::excluded) seq.pop_back();
        prefix_weight_[old] -= groups_.weights[g];
        const int32_t t = walk(g, stop_[g] + 1, seq);
        place(g, seq, t);
      }
    }
  }

  // One distribution of every ballot by the keep factors; then the quota.
  void distribute() {
    std::fill(votes_.begin(), votes_.end(), 0);
    excess_ = 0;
    for (size_t id = 0; id < prefix_weight_.size(); ++id) {
      const int64_t m = prefix_weight_[id];
      if (m == 0) continue;
      int64_t w = kOne;
      for (size_t i = prefix_starts_[id]; i < prefix_starts_[id + 1] && w > 0; ++i) {
        const size_t c = static_cast<size_t>(prefix_items_[i]);
        const int64_t keep = std::min(w, fixed::mul_div_up(w, kf_[c], kOne));
        votes_[c] += m * keep;
        w -= keep;
      }
      excess_ += m * w;
    }
    int64_t total = 0;
    for (int64_t v : votes_) total += v;
    AGORA_ASSERT(total + excess_ == valid_weight_ * kOne);
    quota_ = total / (static_cast<int64_t>(o_.seats) + 1) + 1;
  }

  int64_t total_surplus() const {
    int64_t s = 0;
    for (int32_t c : winners_) s += votes_[static_cast<size_t>(c)] - quota_;
    return std::max<int64_t>(s, 0);
  }

  void update_keep_factors() {
    for (int32_t c : winners_) {
      const size_t ci = static_cast<size_t>(c);
      if (votes_[ci] == 0) continue;
      const __int128 kq = fixed::mul_div_up(kf_[ci], quota_, kOne);
      __int128 next = kq * kOne / votes_[ci] + ((kq * kOne) % votes_[ci] != 0 ? 1 : 0);
      // A keep factor above one keeps no more than the whole vote.
      kf_[ci] = static_cast<int64_t>(std::min<__int128>(next, kOne));
    }
  }

  void snapshot(int32_t round) {
    history_.push_back(votes_);
    history_round_.push_back(round);
  }

  Json round_entry(int32_t round, const char* action, int32_t iterations, int64_t surplus) const {
    Json e = Json::object();
    e["round"] = round;
    e["action"] = action;
    e["quota"] = amount(quota_);
    e["votes"] = amounts(votes_);
    e["keep_factors"] = amounts(kf_);
    e["exhausted"] = amount(excess_);
    e["surplus"] = amount(surplus);
    e["iterations"] = iterations;
    return e;
  }

  void iterate_and_act(int32_t round) {
    int64_t previous = 0;
    int32_t it = 0;
    const char* stop = nullptr;
    int64_t s = 0;
    while (true) {
      distribute();
      ++it;
      std::vector<int32_t> reached;
      for (int32_t c = 0; c < n_; ++c)
        if (state_[static_cast<size_t>(c)] == State::hopeful &&
            votes_[static_cast<size_t>(c)] >= quota_)
          reached.push_back(c);
      if (!reached.empty()) {
        std::stable_sort(reached.begin(), reached.end(), [&](int32_t a, int32_t b) {
          return votes_[static_cast<size_t>(a)] > votes_[static_cast<size_t>(b)];
        });
        snapshot(round);
        std::vector<int32_t> changed;
        for (int32_t c : reached) {
          if (elected_count() == o_.seats) break;
          state_[static_cast<size_t>(c)] = State::elected;
          winners_.push_back(c);
          changed.push_back(c);
        }
        const int64_t surplus = total_surplus();
        for (int32_t c : changed) {
          Json e = round_entry(round, "elect", it, surplus);
          e["candidate"] = c;
          rounds_.push_back(std::move(e));
        }
        extend_prefixes(changed);
        return;
      }
      s = total_surplus();
      if (s < kOmega) {
        stop = "surplus below omega";
        break;
      }
      if (it > 1 && s >= previous) {
        stop = "surplus no longer falling";
        break;
      }
      if (it >= kMaxIterations) {
        stop = "iteration limit";
        break;
      }
      previous = s;
      update_keep_factors();
    }
    snapshot(round);
    const int32_t c = lowest_hopeful(round);
    state_[static_cast<size_t>(c)] = State::excluded;
    kf_[static_cast<size_t>(c)] = 0;
    Json e = round_entry(round, "exclude", it, s);
    e["candidate"] = c;
    e["stopped"] = stop;
    rounds_.push_back(std::move(e));
    extend_prefixes({c});
  }

  // The hopeful candidate with the fewest votes; a tie goes to the lowest at
  // the most recent earlier round where the tied candidates differed, else
  // to the lot.
  int32_t lowest_hopeful(int32_t round) {
    int64_t low = INT64_MAX;
    for (int32_t c = 0; c < n_; ++c)
      if (state_[static_cast<size_t>(c)] == State::hopeful)
        low = std::min(low, votes_[static_cast<size_t>(c)]);
    std::vector<int32_t> tied;
    for (int32_t c = 0; c < n_; ++c)
      if (state_[static_cast<size_t>(c)] == State::hopeful && votes_[static_cast<size_t>(c)] == low)
        tied.push_back(c);
    AGORA_ASSERT(!tied.empty());
    if (tied.size() == 1) return tied[0];
    const std::string label = "round " + std::to_string(round);
    Json t = Json::object();
    t["stage"] = label;
    t["purpose"] = "exclude";
    t["between"] = tied;
    // history_.back() is this round, where they are equal.
    for (size_t k = history_.size(); k-- > 0;) {
      const auto& h = history_[k];
      int64_t best = INT64_MAX;
      for (int32_t c : tied) best = std::min(best, h[static_cast<size_t>(c)]);
      std::vector<int32_t> kept;
      for (int32_t c : tied)
        if (h[static_cast<size_t>(c)] == best) kept.push_back(c);
      tied = std::move(kept);
      if (tied.size() == 1) {
        t["rule"] = "earlier round";
        t["round"] = history_round_[k];
        t["chosen"] = tied[0];
        tie_breaks_.push_back(std::move(t));
        return tied[0];
      }
    }
    const int32_t chosen = draw_lot(o_.tie_seed, label, tied);
    t["rule"] = "lot";
    t["chosen"] = chosen;
    tie_breaks_.push_back(std::move(t));
    return chosen;
  }

  void elect_remaining(int32_t round) {
    std::vector<int32_t> rest;
    for (int32_t c = 0; c < n_; ++c)
      if (state_[static_cast<size_t>(c)] == State::hopeful) rest.push_back(c);
    std::stable_sort(rest.begin(), rest.end(), [&](int32_t a, int32_t b) {
      return votes_[static_cast<size_t>(a)] > votes_[static_cast<size_t>(b)];
    });
    for (int32_t c : rest) {
      state_[static_cast<size_t>(c)] = State::elected;
      winners_.push_back(c);
    }
    Json e = round_entry(round + 1, "elect_remaining", 1, total_surplus());
    e["candidates"] = rest;
    e["note"] = n_ <= o_.seats ? "no more candidates than seats: every candidate is elected"
                               : "as many hopeful candidates as seats left: all are elected";
    rounds_.push_back(std::move(e));
  }

  const Options& o_;
  BallotSet groups_;
  int32_t n_ = 0;
  std::vector<uint8_t> valid_;
  int64_t valid_weight_ = 0;
  std::map<std::string, int64_t> invalid_reasons_;

  std::vector<State> state_;
  std::vector<int64_t> kf_;     // keep factors, units
  std::vector<int64_t> votes_;  // per candidate, units, from the last distribution
  int64_t excess_ = 0;          // value passed beyond every candidate, units
  int64_t quota_ = 0;

  // The reduced ballots: distinct prefixes with the weight of the groups on them.
  std::vector<int64_t> prefix_weight_;
  std::vector<size_t> prefix_starts_{0};
  std::vector<int32_t> prefix_items_;
  std::unordered_map<std::string, uint32_t> prefix_index_;
  std::string key_;
  std::vector<uint32_t> prefix_of_;  // per group
  std::vector<uint32_t> stop_;       // per group: position of its prefix's last hopeful
  std::vector<std::vector<uint32_t>> ending_at_;  // per candidate: groups whose prefix stops there

  std::vector<std::vector<int64_t>> history_;  // votes at each decision
  std::vector<int32_t> history_round_;
  std::vector<int32_t> winners_;
  Json rounds_ = Json::array();
  Json tie_breaks_ = Json::array();
};

}  // namespace

Result tally_meek_stv(const BallotSet& b, const Options& o) { return Count(b, o).run(); }

}  // namespace agora::governance::voting
