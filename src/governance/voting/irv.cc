// Instant runoff (IRV), counted over groups of identical ballots.
//
// Identical ballots are merged first (group_identical), so a round touches
// each distinct ballot once, however many voters cast it; a round only moves
// the groups sitting on the candidate just excluded.
//
// Choices made where the method leaves room (as the usual RCV tabulators do):
// - A ranking naming an option outside 0..n-1 or the same option twice is
//   invalid ("option out of range", "repeated option"): its weight goes to
//   Result::invalid and working["invalid_reasons"], and it takes no part.
// - A round elects a candidate holding more than half of the continuing
//   votes (ballots not yet exhausted), or the last one left. Otherwise the
//   candidate with the fewest votes is excluded, one per round, and its
//   ballots pass to their next continuing preference or are exhausted.
// - A tie for exclusion goes to the tied candidate with fewer votes in the
//   latest earlier round where they differ (rule "earlier round"), then to the
//   lot (ties.h, stage "round N"); either is recorded in tie_breaks.
// - No continuing votes at all (every ballot blank or invalid): no winner.
// - IRV elects one winner whatever `seats` says; working "seats" is 1.
// - counts are first preferences. Each round records "counts" (0 for
//   excluded candidates), "excluded" (index or null), "exhausted" (weight of
//   ballots exhausted before the round was counted, so counts plus exhausted
//   is always the valid, non-blank weight) and "transfers" ({"index":
//   weight} of the excluded candidate's ballots).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "governance/voting/ties.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {

void add_weight(int64_t& acc, int64_t w) {
  if (__builtin_add_overflow(acc, w, &acc))
    throw Error(Code::out_of_range, "the vote totals do not fit in 64 bits", "ballots");
}

}  // namespace

Result tally_irv(const BallotSet& in, const Options& o) {
  const BallotSet g = group_identical(in);
  const int32_t n = g.option_count;
  const auto un = static_cast<uint32_t>(n);
  const size_t groups = g.size();
  Result r;
  int64_t cast = 0, out_of_range = 0, repeated = 0;
  // Validate each group once; `valid` marks the groups that take part.
  std::vector<uint8_t> valid(groups, 0);
  std::vector<uint32_t> seen(n, 0);
  uint32_t stamp = 0;
  for (size_t i = 0; i < groups; ++i) {
    const int64_t w = g.weights[i];
    auto items = g.ballot(i);
    if (items.empty()) {
      add_weight(r.blank, w);
      continue;
    }
    if (++stamp == 0) {
      std::fill(seen.begin(), seen.end(), 0);
      stamp = 1;
    }
    bool ok = true;
    for (int32_t x : items) {
      const auto u = static_cast<uint32_t>(x);
      if (u >= un) {
        add_weight(out_of_range, w);
        ok = false;
        break;
      }
      if (seen[u] == stamp) {
        add_weight(repeated, w);
        ok = false;
        break;
      }
      seen[u] = stamp;
    }
    if (ok) {
      valid[i] = 1;
      add_weight(cast, w);
    } else {
      add_weight(r.invalid, w);
    }
  }
  r.ballots = cast;
  add_weight(r.ballots, r.blank);
  int64_t everything = r.ballots;
  add_weight(everything, r.invalid);  // every count below is at most this
  Json reasons = Json::object();
  if (out_of_range > 0) reasons["option out of range"] = out_of_range;
  if (repeated > 0) reasons["repeated option"] = repeated;
  r.working["invalid_reasons"] = reasons;
  r.working["seats"] = 1;
  r.working["tie_breaks"] = Json::array();

  // cursor[i]: position in group i's ranking of its current candidate.
  std::vector<uint64_t> cursor(groups, 0);
  std::vector<int32_t> at(groups, -1);
  std::vector<int64_t> counts(n, 0);
  for (size_t i = 0; i < groups; ++i) {
    if (!valid[i]) continue;
    cursor[i] = g.starts[i];
    at[i] = g.items[cursor[i]];
    counts[at[i]] += g.weights[i];
  }
  r.counts = counts;
  std::vector<uint8_t> continuing(n, 1);
  int32_t remaining = n;
  int64_t exhausted = 0;
  std::vector<std::vector<int64_t>> history;
  Json rounds = Json::array();
  for (int32_t round = 1;; ++round) {
    history.push_back(counts);
    Json rj{{"counts", counts},
            {"excluded", nullptr},
            {"exhausted", exhausted},
            {"transfers", Json::object()}};
    const int64_t total = cast - exhausted;
    if (total == 0) {
      rounds.push_back(rj);
      break;
    }
    int32_t top = -1;
    for (int32_t c = 0; c < n; ++c)
      if (continuing[c] && (top < 0 || counts[c] > counts[top])) top = c;
    if (remaining == 1 || static_cast<__int128>(counts[top]) * 2 > total) {
      r.winners = {top};
      rounds.push_back(rj);
      break;
    }
    // The fewest votes; ties by earlier rounds, latest first, then by lot.
    int64_t low = INT64_MAX;
    for (int32_t c = 0; c < n; ++c)
      if (continuing[c]) low = std::min(low, counts[c]);
    std::vector<int32_t> tied;
    for (int32_t c = 0; c < n; ++c)
      if (continuing[c] && counts[c] == low) tied.push_back(c);
    int32_t excluded = tied[0];
    if (tied.size() > 1) {
      const std::string stage = "round " + std::to_string(round);
      std::vector<int32_t> left = tied;
      for (int32_t k = round - 2; k >= 0 && left.size() > 1; --k) {
        const auto& past = history[k];
        int64_t least = INT64_MAX;
        for (int32_t c : left) least = std::min(least, past[c]);
        std::erase_if(left, [&](int32_t c) { return past[c] != least; });
      }
      std::string_view rule = "earlier round";
      if (left.size() > 1) {
        excluded = draw_lot(o.tie_seed, stage, left);
        rule = "lot";
      } else {
        excluded = left[0];
      }
      r.working["tie_breaks"].push_back(
          Json{{"stage", stage}, {"between", tied}, {"rule", rule}, {"chosen", excluded}});
    }
    continuing[excluded] = 0;
    --remaining;
    std::vector<int64_t> moved(n, 0);
    for (size_t i = 0; i < groups; ++i) {
      if (at[i] != excluded) continue;
      const uint64_t end = g.starts[i + 1];
      uint64_t c = cursor[i] + 1;
      while (c < end && !continuing[g.items[c]]) ++c;
      cursor[i] = c;
      if (c < end) {
        at[i] = g.items[c];
        counts[at[i]] += g.weights[i];
        moved[at[i]] += g.weights[i];
      } else {
        at[i] = -1;
        exhausted += g.weights[i];
      }
    }
    counts[excluded] = 0;
    rj["excluded"] = excluded;
    for (int32_t c = 0; c < n; ++c)
      if (moved[c] > 0) rj["transfers"][std::to_string(c)] = moved[c];
    rounds.push_back(rj);
  }
  r.working["rounds"] = rounds;
  return r;
}

}  // namespace agora::governance::voting
