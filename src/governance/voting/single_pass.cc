// The one-pass methods: approval, score, STAR, dot voting and plurality.
//
// Each is one tight loop over the BallotSet's flat arrays: no allocation per
// ballot and no hashing. A per-option stamp array catches repeated options
// (the stamp is the ballot's number, so nothing is cleared between ballots).
// Counts are added as the items are read; a ballot found to break the rule
// part-way has what it already added taken back, which keeps valid ballots
// (nearly all of them) to a single pass over their items.
//
// Choices this file makes where the method's definition leaves room:
// - Invalid ballots (their weight) are counted in Result::invalid and, by
//   reason, in working["invalid_reasons"] ({"repeated option": weight, ...},
//   always present, possibly empty). Reasons: "option out of range",
//   "repeated option", "value out of range" (a score outside 0..score_max,
//   negative points), "too many points" (dot: more than Options::dots),
//   "not exactly one choice" (plurality with two or more items), "missing
//   values" (a scores ballot in a set that has no values).
// - An option a ballot leaves out scores 0 (score, STAR, dot).
// - Only an option with a count above zero can be elected (approval, score,
//   dot, plurality): seats are left empty rather than filled by options nobody
//   supported. So all-blank elects no one, and fewer options than seats elects
//   every option that has support.
// - `seats` winners by count, highest first; options tied at the last seat
//   are drawn by lot (ties.h, stage "seat N"), recorded in tie_breaks. Tied
//   options that are all elected are listed by option index, with no draw.
// - score "average" is the score sum over the weight of valid, non-blank
//   ballots, to 2 decimals rounded half up, computed in integers; it orders
//   options exactly as the sums do.
// - STAR elects one winner whatever `seats` says. Finalists are the two
//   highest score sums. Ties follow the Official STAR Voting Ties Protocol
//   (starvoting.org/ties): in the scoring round, the tied candidate who wins
//   the most head-to-head match-ups among the tied ones, then the most
//   top scores (score_max), then lot; in the runoff, the higher score sum,
//   then the most top scores, then lot. Each break is in tie_breaks with rule
//   "head-to-head", "most top scores", "score" or "lot".
// - working also carries "seats" (all methods here) and "score_max" (score,
//   STAR) or "dots" (dot), which rules.cc's decide() reads; STAR adds
//   "top_scores", per option the weight of ballots giving it score_max.
// Totals are kept in unsigned 64-bit words (wrapping is defined) and checked
// once at the end against bounds that make a real overflow impossible; a tally
// whose totals do not fit in 64 bits is Error(out_of_range).

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "governance/voting/ties.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {

enum Reason : uint8_t {
  kOk,
  kOutOfRange,
  kRepeated,
  kValueOutOfRange,
  kTooManyPoints,
  kNotOneChoice,
  kMissingValues,
  kReasonCount
};
constexpr std::array<const char*, kReasonCount> kReasonNames{"",
                                                             "option out of range",
                                                             "repeated option",
                                                             "value out of range",
                                                             "too many points",
                                                             "not exactly one choice",
                                                             "missing values"};

enum class Mode { marks, scores, dots, choice };

// What one pass leaves: per-option totals and the weights of the ballots.
struct Pass {
  std::vector<uint64_t> sums;  // per option: weight or weight x value
  std::vector<uint64_t> top;   // STAR: weight of ballots giving score_max
  std::vector<uint8_t> bad;    // STAR: per ballot, 1 when skipped
  int64_t cast = 0;            // valid, non-blank
  int64_t blank = 0;
  int64_t invalid = 0;
  std::array<int64_t, kReasonCount> reasons{};
};

[[noreturn]] void overflow() {
  throw Error(Code::out_of_range, "the vote totals do not fit in 64 bits", "ballots");
}

void add_weight(int64_t& acc, int64_t w) {
  if (__builtin_add_overflow(acc, w, &acc)) overflow();
}

// The single pass. `limit` is score_max (scores) or dots (dots). With
// kTrackTop it also records the weight of top scores and the bad ballots.
template <Mode M, bool kTrackTop = false>
Pass scan(const BallotSet& b, int32_t limit) {
  const int32_t n = b.option_count;
  const auto un = static_cast<uint32_t>(n);
  const auto ulimit = static_cast<uint32_t>(limit);
  Pass p;
  p.sums.assign(n, 0);
  if constexpr (kTrackTop) {
    p.top.assign(n, 0);
    p.bad.assign(b.size(), 0);
  }
  std::vector<uint32_t> seen(n, 0);
  uint32_t stamp = 0;
  const int32_t* items = b.items.data();
  const int32_t* values = b.values.empty() ? nullptr : b.values.data();
  const uint64_t* starts = b.starts.data();
  const int64_t* weights = b.weights.data();
  uint64_t* sums = p.sums.data();
  const size_t count = b.size();
  for (size_t i = 0; i < count; ++i) {
    const int64_t w = weights[i];
    const auto uw = static_cast<uint64_t>(w);
    const uint64_t s = starts[i];
    const uint64_t e = starts[i + 1];
    if (s == e) {
      add_weight(p.blank, w);
      continue;
    }
    Reason bad = kOk;
    uint64_t j = s;
    if constexpr (M == Mode::choice) {
      const auto o = static_cast<uint32_t>(items[s]);
      if (e - s != 1) {
        bad = kNotOneChoice;
      } else if (o >= un) {
        bad = kOutOfRange;
      } else {
        sums[o] += uw;
      }
    } else {
      if constexpr (M != Mode::marks) {
        if (values == nullptr) bad = kMissingValues;
      }
      if (++stamp == 0) {
        std::fill(seen.begin(), seen.end(), 0);
        stamp = 1;
      }
      [[maybe_unused]] int64_t points = 0;
      for (; bad == kOk && j < e; ++j) {
        const auto o = static_cast<uint32_t>(items[j]);
        if (o >= un) {
          bad = kOutOfRange;
          break;
        }
        if (seen[o] == stamp) {
          bad = kRepeated;
          break;
        }
        seen[o] = stamp;
        if constexpr (M == Mode::marks) {
          sums[o] += uw;
        } else {
          const int32_t v = values[j];
          if (v < 0 || (M == Mode::scores && static_cast<uint32_t>(v) > ulimit)) {
            bad = kValueOutOfRange;
            break;
          }
          if constexpr (M == Mode::dots) {
            points += v;
            if (points > limit) {
              bad = kTooManyPoints;
              break;
            }
          }
          sums[o] += uw * static_cast<uint64_t>(v);
          if constexpr (kTrackTop) {
            if (v == limit) p.top[o] += uw;
          }
        }
      }
      if (bad != kOk) {
        // Take back what this ballot added before it was found bad.
        for (uint64_t k = s; k < j; ++k) {
          const auto o = static_cast<uint32_t>(items[k]);
          if constexpr (M == Mode::marks) {
            sums[o] -= uw;
          } else {
            const auto v = static_cast<uint64_t>(values[k]);
            sums[o] -= uw * v;
            if constexpr (kTrackTop) {
              if (values[k] == limit) p.top[o] -= uw;
            }
          }
        }
      }
    }
    if (bad != kOk) {
      add_weight(p.invalid, w);
      p.reasons[bad] += w;  // <= invalid, cannot overflow
      if constexpr (kTrackTop) p.bad[i] = 1;
    } else {
      add_weight(p.cast, w);
    }
  }
  // Every sum is at most cast x (largest value per item) for marks, choice
  // and scores, and cast x dots for dots: bound that once.
  int64_t total = p.cast;
  add_weight(total, p.blank);
  add_weight(total, p.invalid);
  const int64_t per_ballot = M == Mode::marks || M == Mode::choice ? 1 : limit;
  int64_t bound = 0;
  if (__builtin_mul_overflow(p.cast, per_ballot, &bound)) overflow();
  return p;
}

Json reasons_json(const Pass& p) {
  Json j = Json::object();
  for (int r = 1; r < kReasonCount; ++r)
    if (p.reasons[r] > 0) j[kReasonNames[r]] = p.reasons[r];
  return j;
}

Result base_result(const Pass& p, int32_t seats) {
  Result r;
  r.ballots = p.cast + p.blank;  // scan() checked cast + blank + invalid fits
  r.blank = p.blank;
  r.invalid = p.invalid;
  r.counts.reserve(p.sums.size());
  for (uint64_t s : p.sums) r.counts.push_back(static_cast<int64_t>(s));
  r.working["invalid_reasons"] = reasons_json(p);
  r.working["seats"] = seats;
  r.working["tie_breaks"] = Json::array();
  return r;
}

Json tie_break(const std::string& stage, const std::vector<int32_t>& between, std::string_view rule,
               int32_t chosen) {
  return Json{{"stage", stage}, {"between", between}, {"rule", rule}, {"chosen", chosen}};
}

// `seats` options by highest count (count > 0), ties at the last seat drawn by lot.
void elect_top(Result& r, int32_t seats, uint64_t seed) {
  std::vector<int32_t> order;
  for (int32_t o = 0; o < static_cast<int32_t>(r.counts.size()); ++o)
    if (r.counts[o] > 0) order.push_back(o);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return r.counts[a] > r.counts[b]; });
  if (order.size() <= static_cast<size_t>(seats)) {
    r.winners = order;
    return;
  }
  const int64_t last = r.counts[order[seats - 1]];
  for (int32_t o : order)
    if (r.counts[o] > last) r.winners.push_back(o);
  std::vector<int32_t> tied;
  for (int32_t o : order)
    if (r.counts[o] == last) tied.push_back(o);
  // Options level at the last seat take it without a draw when there are
  // no more of them than seats left.
  if (static_cast<int32_t>(r.winners.size() + tied.size()) <= seats) {
    r.winners.insert(r.winners.end(), tied.begin(), tied.end());
    return;
  }
  while (static_cast<int32_t>(r.winners.size()) < seats) {
    const std::string stage = "seat " + std::to_string(r.winners.size() + 1);
    const int32_t chosen = draw_lot(seed, stage, tied);
    r.working["tie_breaks"].push_back(tie_break(stage, tied, "lot", chosen));
    r.winners.push_back(chosen);
    tied.erase(std::find(tied.begin(), tied.end(), chosen));
  }
}

// "3.67": sum / weight to 2 decimals, rounded half up, in integers.
std::string average_text(uint64_t sum, int64_t weight) {
  if (weight <= 0) return "0.00";
  const unsigned __int128 w = static_cast<uint64_t>(weight);
  const unsigned __int128 hundredths = (static_cast<unsigned __int128>(sum) * 200 + w) / (2 * w);
  const auto whole = static_cast<uint64_t>(hundredths / 100);
  const auto frac = static_cast<unsigned>(hundredths % 100);
  return std::to_string(whole) + (frac < 10 ? ".0" : ".") + std::to_string(frac);
}

// A ballot's score for `option` (0 when it leaves the option out).
int32_t score_of(const BallotSet& b, size_t i, int32_t option) {
  const uint64_t e = b.starts[i + 1];
  for (uint64_t j = b.starts[i]; j < e; ++j)
    if (b.items[j] == option) return b.values[j];
  return 0;
}

// STAR, scoring round: chooses `k` options among the tied `tied` (official
// protocol: head-to-head wins among the tied, then most top scores, then lot).
std::vector<int32_t> star_break(const BallotSet& b, const Pass& p, std::vector<int32_t> tied,
                                size_t k, size_t first_slot, Result& r, uint64_t seed) {
  const size_t t = tied.size();
  std::vector<int32_t> slot(b.option_count, -1);
  for (size_t x = 0; x < t; ++x) slot[tied[x]] = static_cast<int32_t>(x);
  // prefer[x][y]: weight of ballots scoring tied[x] above tied[y].
  std::vector<int64_t> prefer(t * t, 0);
  std::vector<int32_t> score(t, 0);
  for (size_t i = 0; i < b.size(); ++i) {
    if (p.bad[i] || b.starts[i] == b.starts[i + 1]) continue;
    std::fill(score.begin(), score.end(), 0);
    for (uint64_t j = b.starts[i]; j < b.starts[i + 1]; ++j)
      if (slot[b.items[j]] >= 0) score[slot[b.items[j]]] = b.values[j];
    for (size_t x = 0; x < t; ++x)
      for (size_t y = 0; y < t; ++y)
        if (score[x] > score[y]) add_weight(prefer[x * t + y], b.weights[i]);
  }
  std::vector<int64_t> wins(t, 0);
  for (size_t x = 0; x < t; ++x)
    for (size_t y = 0; y < t; ++y)
      if (prefer[x * t + y] > prefer[y * t + x]) ++wins[x];
  // The options of `among` with the highest key.
  auto best_by = [](const std::vector<int32_t>& among, auto key) {
    int64_t best = std::numeric_limits<int64_t>::min();
    for (int32_t o : among) best = std::max(best, key(o));
    std::vector<int32_t> keep;
    for (int32_t o : among)
      if (key(o) == best) keep.push_back(o);
    return keep;
  };
  std::vector<int32_t> chosen;
  for (size_t round = 0; round < k; ++round) {
    const std::string stage = "scoring round, finalist " + std::to_string(first_slot + round);
    std::vector<int32_t> left = best_by(tied, [&](int32_t o) { return wins[slot[o]]; });
    std::string_view rule = "head-to-head";
    if (left.size() > 1) {
      left = best_by(left, [&](int32_t o) { return static_cast<int64_t>(p.top[o]); });
      rule = "most top scores";
    }
    int32_t pick = left[0];
    if (left.size() > 1) {
      pick = draw_lot(seed, stage, left);
      rule = "lot";
    }
    r.working["tie_breaks"].push_back(tie_break(stage, tied, rule, pick));
    chosen.push_back(pick);
    tied.erase(std::find(tied.begin(), tied.end(), pick));
  }
  return chosen;
}

}  // namespace

Result tally_approval(const BallotSet& b, const Options& o) {
  const Pass p = scan<Mode::marks>(b, 1);
  Result r = base_result(p, o.seats);
  elect_top(r, o.seats, o.tie_seed);
  return r;
}

Result tally_plurality(const BallotSet& b, const Options& o) {
  const Pass p = scan<Mode::choice>(b, 1);
  Result r = base_result(p, o.seats);
  elect_top(r, o.seats, o.tie_seed);
  return r;
}

Result tally_score(const BallotSet& b, const Options& o) {
  const Pass p = scan<Mode::scores>(b, o.score_max);
  Result r = base_result(p, o.seats);
  r.working["score_max"] = o.score_max;
  Json avg = Json::array();
  for (uint64_t s : p.sums) avg.push_back(average_text(s, p.cast));
  r.working["average"] = avg;
  elect_top(r, o.seats, o.tie_seed);
  return r;
}

Result tally_dot(const BallotSet& b, const Options& o) {
  const Pass p = scan<Mode::dots>(b, o.dots);
  Result r = base_result(p, o.seats);
  r.working["dots"] = o.dots;
  elect_top(r, o.seats, o.tie_seed);
  return r;
}

Result tally_star(const BallotSet& b, const Options& o) {
  const Pass p = scan<Mode::scores, true>(b, o.score_max);
  Result r = base_result(p, 1);
  r.working["score_max"] = o.score_max;
  r.working["top_scores"] = p.top;
  const int32_t n = b.option_count;
  if (p.cast == 0) {
    r.working["runoff"] = nullptr;
    return r;
  }
  if (n == 1) {
    r.working["runoff"] = nullptr;
    r.winners = {0};
    return r;
  }
  // Scoring round: the two highest sums, ties broken by the official protocol.
  std::vector<int32_t> order(n);
  for (int32_t x = 0; x < n; ++x) order[x] = x;
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t x, int32_t y) { return p.sums[x] > p.sums[y]; });
  std::vector<int32_t> finalists;
  while (finalists.size() < 2) {
    const uint64_t level = p.sums[order[finalists.size()]];
    std::vector<int32_t> tied;
    for (int32_t x : order)
      if (p.sums[x] == level) tied.push_back(x);
    const size_t need = 2 - finalists.size();
    if (tied.size() <= need) {
      finalists.insert(finalists.end(), tied.begin(), tied.end());
    } else {
      for (int32_t x : star_break(b, p, tied, need, finalists.size() + 1, r, o.tie_seed))
        finalists.push_back(x);
    }
  }
  // Automatic runoff: each valid ballot goes to the finalist it scores higher.
  const int32_t fa = finalists[0];
  const int32_t fb = finalists[1];
  int64_t pa = 0, pb = 0, none = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    if (p.bad[i] || b.starts[i] == b.starts[i + 1]) continue;
    const int32_t sa = score_of(b, i, fa);
    const int32_t sb = score_of(b, i, fb);
    add_weight(sa > sb ? pa : sb > sa ? pb : none, b.weights[i]);
  }
  r.working["runoff"] =
      Json{{"finalists", {fa, fb}}, {"preferred", {pa, pb}}, {"no_preference", none}};
  if (pa != pb) {
    r.winners = {pa > pb ? fa : fb};
    return r;
  }
  const std::vector<int32_t> pair{fa, fb};
  const std::string stage = "runoff";
  int32_t winner = -1;
  if (p.sums[fa] != p.sums[fb]) {
    winner = p.sums[fa] > p.sums[fb] ? fa : fb;
    r.working["tie_breaks"].push_back(tie_break(stage, pair, "score", winner));
  } else if (p.top[fa] != p.top[fb]) {
    winner = p.top[fa] > p.top[fb] ? fa : fb;
    r.working["tie_breaks"].push_back(tie_break(stage, pair, "most top scores", winner));
  } else {
    winner = draw_lot(o.tie_seed, stage, pair);
    r.working["tie_breaks"].push_back(tie_break(stage, pair, "lot", winner));
  }
  r.winners = {winner};
  return r;
}

}  // namespace agora::governance::voting
