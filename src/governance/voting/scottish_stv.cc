// Scottish STV: the count of The Scottish Local Government Elections Order
// 2007 (SSI 2007/42), Schedule 1, rules 45 to 52. Weighted inclusive Gregory
// surplus transfers, Droop quota, every value in units of 0.00001 with each
// transfer value truncated to five decimal places (rule 48(3)).
//
// Identical ballots are grouped first (group_identical); a group is one
// parcel: all its papers always sit with the same candidate at the same
// value, so a transfer moves whole groups and the count never loops over
// single ballot papers.
//
// Where the rules leave room:
// - A ranking naming an option outside 0..n-1 or the same option twice is
//   invalid ("option out of range", "repeated option") and takes no part; a
//   blank ranking counts in "ballots" only. The quota is over valid papers.
// - Ties (equal surpluses, rule 49; equal lowest votes, rule 51) go to the
//   votes at the end of the most recent preceding stage at which the tied
//   candidates differed, narrowing a many-way tie stage by stage; what no
//   stage separates is drawn by lot (ties.h, stage "stage N").
// - Papers reaching a transfer value of 0.00000 are set aside with the
//   non-transferable ones (they carry nothing).
// - With no more candidates than seats, or as many continuing candidates as
//   vacancies (rule 52), all are elected without further transfers.
//
// working: "quota", "valid_votes", "invalid_reasons", "tie_breaks" and
// "rounds", one entry per stage ("first_preferences", "surplus", "exclude")
// and per election ("elect", "elect_remaining"), each with "stage",
// "action", "candidate" (or "candidates"), "votes" per candidate at the end
// of the stage, "exhausted" (non-transferable value so far) and "lost"
// (value lost to truncated transfer values so far), so that votes +
// exhausted + lost is always the number of valid papers. Transfer stages
// add "transfers" (each candidate's change, the source's negative) and
// "non_transferable"; surplus stages add "surplus" and "transfer_values"
// ([{"value": when received, "transfer_value": after}], largest first).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
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

constexpr int kPlaces = 5;
constexpr int64_t kOne = fixed::scale(kPlaces);  // 1.00000
// Total ballot weight the count accepts: 10^13 papers of 10^5 units stay
// below 2^63 in every sum.
constexpr int64_t kMaxTotalWeight = 10'000'000'000'000;
static_assert(kMaxTotalWeight <= INT64_MAX / kOne / 2);
// Distinct transfer values listed per surplus stage in the working.
constexpr size_t kMaxListedTransferValues = 100;

enum class State : uint8_t { continuing, elected, excluded };

std::string amount(int64_t units) { return fixed::to_string(units, kPlaces); }

Json amounts(const std::vector<int64_t>& v) {
  Json a = Json::array();
  for (int64_t x : v) a.push_back(amount(x));
  return a;
}

// Ballots checked once: the grouped set plus which groups count.
struct Prepared {
  BallotSet groups;
  std::vector<uint8_t>
      valid;  // per group: 1 when it ranks at least one option, all in range, no repeats
  int64_t valid_weight = 0;
  int64_t blank = 0;
  int64_t invalid = 0;
  std::map<std::string, int64_t> invalid_reasons;
};

Prepared prepare(const BallotSet& in) {
  Prepared p;
  p.groups = group_identical(in);
  const int32_t n = p.groups.option_count;
  p.valid.assign(p.groups.size(), 0);
  std::vector<size_t> seen(static_cast<size_t>(n), SIZE_MAX);
  for (size_t g = 0; g < p.groups.size(); ++g) {
    auto items = p.groups.ballot(g);
    const int64_t w = p.groups.weights[g];
    if (items.empty()) {
      p.blank = checked_add(p.blank, w);
      continue;
    }
    const char* reason = nullptr;
    for (int32_t o : items) {
      if (o < 0 || o >= n) {
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
      p.invalid = checked_add(p.invalid, w);
      p.invalid_reasons[reason] = checked_add(p.invalid_reasons[reason], w);
      continue;
    }
    p.valid[g] = 1;
    p.valid_weight = checked_add(p.valid_weight, w);
  }
  if (p.valid_weight > kMaxTotalWeight)
    throw Error(Code::out_of_range, "Scottish STV counts at most 10^13 ballots in total weight",
                "ballots");
  return p;
}

class Count {
 public:
  Count(const BallotSet& ballots, const Options& o) : o_(o), p_(prepare(ballots)) {
    n_ = p_.groups.option_count;
    state_.assign(static_cast<size_t>(n_), State::continuing);
    votes_.assign(static_cast<size_t>(n_), 0);
    held_.resize(static_cast<size_t>(n_));
    surplus_done_.assign(static_cast<size_t>(n_), 0);
    pos_.assign(p_.groups.size(), 0);
    value_.assign(p_.groups.size(), 0);
    // Rule 46: valid papers / (seats + 1), decimals ignored, plus one.
    quota_ = fixed::mul(p_.valid_weight / (static_cast<int64_t>(o_.seats) + 1) + 1, kOne);
  }

  Result run() {
    Result r;
    r.ballots = checked_add(p_.valid_weight, p_.blank);
    r.blank = p_.blank;
    r.invalid = p_.invalid;
    r.counts.assign(static_cast<size_t>(n_), 0);

    // Rule 45: first preferences.
    for (size_t g = 0; g < p_.groups.size(); ++g) {
      if (!p_.valid[g]) continue;
      const int32_t c = p_.groups.ballot(g)[0];
      value_[g] = kOne;
      held_[static_cast<size_t>(c)].push_back(static_cast<uint32_t>(g));
      const int64_t papers = p_.groups.weights[g];
      r.counts[static_cast<size_t>(c)] += papers;
      votes_[static_cast<size_t>(c)] += fixed::mul(papers, kOne);
    }
    stage_ = 1;
    Json first = stage_entry("first_preferences");
    rounds_.push_back(std::move(first));
    end_stage();

    while (true) {
      if (elected_count() == o_.seats) break;
      // Rule 52: as many continuing candidates as vacancies left.
      if (continuing().size() <= static_cast<size_t>(o_.seats - elected_count())) {
        elect_remaining();
        break;
      }
      ++stage_;
      int32_t c = largest_surplus();
      if (c >= 0) {
        transfer_surplus(c);
      } else {
        exclude_lowest();
      }
      end_stage();
    }

    r.winners = winners_;
    r.working["quota"] = amount(quota_);
    r.working["valid_votes"] = p_.valid_weight;
    r.working["rounds"] = std::move(rounds_);
    r.working["tie_breaks"] = std::move(tie_breaks_);
    Json reasons = Json::object();
    for (const auto& [k, v] : p_.invalid_reasons) reasons[k] = v;
    r.working["invalid_reasons"] = reasons;
    return r;
  }

 private:
  int32_t elected_count() const { return static_cast<int32_t>(winners_.size()); }

  std::vector<int32_t> continuing() const {
    std::vector<int32_t> c;
    for (int32_t i = 0; i < n_; ++i)
      if (state_[static_cast<size_t>(i)] == State::continuing) c.push_back(i);
    return c;
  }

  // The next preference on group g after position `from` for a continuing
  // candidate, or -1 when the paper is non-transferable.
  int32_t next_continuing(size_t g, uint32_t from) const {
    auto items = p_.groups.ballot(g);
    for (size_t i = from; i < items.size(); ++i)
      if (state_[static_cast<size_t>(items[i])] == State::continuing)
        return static_cast<int32_t>(i);
    return -1;
  }

  Json stage_entry(const char* action) const {
    Json e = Json::object();
    e["stage"] = stage_;
    e["action"] = action;
    e["votes"] = amounts(votes_);
    e["exhausted"] = amount(exhausted_);
    e["lost"] = amount(lost_);
    return e;
  }

  // Records the stage's votes for later tie-breaks, checks that no value
  // was created or destroyed, and deems elected whoever reached the quota
  // (rule 47), highest vote first.
  void end_stage() {
    int64_t total = exhausted_ + lost_;
    for (int64_t v : votes_) total += v;
    AGORA_ASSERT(total == fixed::mul(p_.valid_weight, kOne));
    history_.push_back(votes_);
    std::vector<int32_t> reached;
    for (int32_t c : continuing())
      if (votes_[static_cast<size_t>(c)] >= quota_) reached.push_back(c);
    std::stable_sort(reached.begin(), reached.end(), [&](int32_t a, int32_t b) {
      return votes_[static_cast<size_t>(a)] > votes_[static_cast<size_t>(b)];
    });
    for (int32_t c : reached) {
      if (elected_count() == o_.seats) break;
      state_[static_cast<size_t>(c)] = State::elected;
      winners_.push_back(c);
      Json e = stage_entry("elect");
      e["candidate"] = c;
      rounds_.push_back(std::move(e));
    }
  }

  // Rules 49(2)-(3) and 51(2): among `tied` (equal now), the candidate with
  // the highest (or lowest) vote at the most recent preceding stage at which
  // they differed; if they never differed, by lot.
  int32_t break_tie(std::vector<int32_t> tied, bool highest, const char* purpose) {
    if (tied.size() == 1) return tied[0];
    const std::vector<int32_t> between = tied;
    Json t = Json::object();
    t["stage"] = "stage " + std::to_string(stage_);
    t["purpose"] = purpose;
    t["between"] = between;
    // history_.back() is the stage just ended, where they are equal.
    for (size_t k = history_.size(); k-- > 0;) {
      const auto& h = history_[k];
      int64_t best = h[static_cast<size_t>(tied[0])];
      for (int32_t c : tied) {
        int64_t v = h[static_cast<size_t>(c)];
        best = highest ? std::max(best, v) : std::min(best, v);
      }
      std::vector<int32_t> kept;
      for (int32_t c : tied)
        if (h[static_cast<size_t>(c)] == best) kept.push_back(c);
      tied = std::move(kept);
      if (tied.size() == 1) {
        t["rule"] = "earlier round";
        t["round"] = static_cast<int64_t>(k + 1);
        t["chosen"] = tied[0];
        tie_breaks_.push_back(std::move(t));
        return tied[0];
      }
    }
    int32_t chosen = draw_lot(o_.tie_seed, "stage " + std::to_string(stage_), tied);
    t["rule"] = "lot";
    t["chosen"] = chosen;
    tie_breaks_.push_back(std::move(t));
    return chosen;
  }

  // Rule 49(1): the largest untransferred surplus, or -1.
  int32_t largest_surplus() {
    int64_t best = 0;
    std::vector<int32_t> tied;
    for (int32_t c : winners_) {
      if (surplus_done_[static_cast<size_t>(c)]) continue;
      int64_t s = votes_[static_cast<size_t>(c)] - quota_;
      if (s <= 0) continue;
      if (s > best) {
        best = s;
        tied.clear();
      }
      if (s == best) tied.push_back(c);
    }
    if (tied.empty()) return -1;
    std::sort(tied.begin(), tied.end());
    return break_tie(tied, /*highest=*/true, "surplus");
  }

  // Moves group g (its papers at `credited` units in total) to the next
  // continuing preference, or sets it aside as non-transferable.
  void move_group(size_t g, int64_t new_value, int64_t credited, std::vector<int64_t>& delta,
                  int64_t& non_transferable) {
    int32_t p = next_continuing(g, pos_[g] + 1);
    if (p < 0 || new_value == 0) {
      non_transferable += credited;
      return;
    }
    const int32_t to = p_.groups.ballot(g)[static_cast<size_t>(p)];
    pos_[g] = static_cast<uint32_t>(p);
    value_[g] = new_value;
    held_[static_cast<size_t>(to)].push_back(static_cast<uint32_t>(g));
    delta[static_cast<size_t>(to)] += credited;
  }

  void finish_transfer(Json& e, std::vector<int64_t>& delta, int64_t non_transferable) {
    for (int32_t c = 0; c < n_; ++c)
      votes_[static_cast<size_t>(c)] += delta[static_cast<size_t>(c)];
    exhausted_ += non_transferable;
    e["votes"] = amounts(votes_);
    e["transfers"] = amounts(delta);
    e["non_transferable"] = amount(non_transferable);
    e["exhausted"] = amount(exhausted_);
    e["lost"] = amount(lost_);
  }

  // Rule 48: every paper of c moves on at (surplus x its value / c's votes),
  // truncated to five decimal places; c keeps exactly the quota.
  void transfer_surplus(int32_t c) {
    const size_t ci = static_cast<size_t>(c);
    const int64_t total = votes_[ci];
    const int64_t surplus = total - quota_;
    AGORA_ASSERT(surplus > 0);
    surplus_done_[ci] = 1;
    std::vector<int64_t> delta(static_cast<size_t>(n_), 0);
    int64_t non_transferable = 0;
    std::map<int64_t, int64_t, std::greater<>> tvs;  // value when received -> transfer value
    std::vector<uint32_t> papers = std::move(held_[ci]);
    held_[ci] = {};
    for (uint32_t g : papers) {
      const int64_t tv = fixed::mul_div_down(surplus, value_[g], total);
      if (tvs.size() < kMaxListedTransferValues) tvs.emplace(value_[g], tv);
      move_group(g, tv, fixed::mul(p_.groups.weights[g], tv), delta, non_transferable);
    }
    int64_t moved = non_transferable;
    for (int64_t d : delta) moved += d;
    AGORA_ASSERT(moved <= surplus);
    lost_ += surplus - moved;
    delta[ci] = -surplus;
    votes_[ci] = total;  // finish_transfer applies the -surplus
    Json e = stage_entry("surplus");
    e["candidate"] = c;
    e["surplus"] = amount(surplus);
    Json list = Json::array();
    for (const auto& [from, to] : tvs)
      list.push_back(Json{{"value", amount(from)}, {"transfer_value", amount(to)}});
    e["transfer_values"] = std::move(list);
    finish_transfer(e, delta, non_transferable);
    AGORA_ASSERT(votes_[ci] == quota_);
    rounds_.push_back(std::move(e));
  }

  // Rules 50-51: the lowest continuing candidate is excluded and each of
  // their papers moves on at the value at which it was received.
  void exclude_lowest() {
    std::vector<int32_t> cont = continuing();
    AGORA_ASSERT(!cont.empty());
    int64_t low = votes_[static_cast<size_t>(cont[0])];
    for (int32_t c : cont) low = std::min(low, votes_[static_cast<size_t>(c)]);
    std::vector<int32_t> tied;
    for (int32_t c : cont)
      if (votes_[static_cast<size_t>(c)] == low) tied.push_back(c);
    const int32_t c = break_tie(tied, /*highest=*/false, "exclude");
    const size_t ci = static_cast<size_t>(c);
    state_[ci] = State::excluded;
    std::vector<int64_t> delta(static_cast<size_t>(n_), 0);
    int64_t non_transferable = 0;
    std::vector<uint32_t> papers = std::move(held_[ci]);
    held_[ci] = {};
    for (uint32_t g : papers)
      move_group(g, value_[g], fixed::mul(p_.groups.weights[g], value_[g]), delta,
                 non_transferable);
    delta[ci] = -votes_[ci];
    Json e = stage_entry("exclude");
    e["candidate"] = c;
    finish_transfer(e, delta, non_transferable);
    AGORA_ASSERT(votes_[ci] == 0);
    rounds_.push_back(std::move(e));
  }

  void elect_remaining() {
    std::vector<int32_t> rest = continuing();
    std::stable_sort(rest.begin(), rest.end(), [&](int32_t a, int32_t b) {
      return votes_[static_cast<size_t>(a)] > votes_[static_cast<size_t>(b)];
    });
    for (int32_t c : rest) {
      state_[static_cast<size_t>(c)] = State::elected;
      winners_.push_back(c);
    }
    Json e = stage_entry("elect_remaining");
    e["candidates"] = rest;
    e["note"] = n_ <= o_.seats
                    ? "no more candidates than seats: every candidate is elected"
                    : "as many continuing candidates as vacancies left: all are elected (rule 52)";
    rounds_.push_back(std::move(e));
  }

  const Options& o_;
  Prepared p_;
  int32_t n_ = 0;
  int64_t quota_ = 0;
  int32_t stage_ = 0;
  std::vector<State> state_;
  std::vector<int64_t> votes_;               // per candidate, units
  std::vector<std::vector<uint32_t>> held_;  // per candidate: groups whose papers it holds
  std::vector<uint8_t> surplus_done_;
  std::vector<uint32_t> pos_;   // per group: index in the ranking of its current candidate
  std::vector<int64_t> value_;  // per group: value of each of its papers, units
  int64_t exhausted_ = 0;       // non-transferable value so far
  int64_t lost_ = 0;            // value lost to truncated transfer values so far
  std::vector<std::vector<int64_t>> history_;  // votes at the end of each stage
  std::vector<int32_t> winners_;
  Json rounds_ = Json::array();
  Json tie_breaks_ = Json::array();
};

}  // namespace

Result tally_scottish_stv(const BallotSet& b, const Options& o) { return Count(b, o).run(); }

}  // namespace agora::governance::voting
