// The two motion methods: majority (for / against / abstain against a
// threshold) and consent (consent / stand aside / object).
//
// Both read choice ballots: exactly one item, 0, 1 or 2 (kMajorityOptions,
// kConsentOptions). One loop over the flat arrays, no allocation per ballot.
// Choices made where the method leaves room:
// - A ballot with two or more items is invalid ("not exactly one choice"), one
//   naming an index outside 0..2 is invalid ("option out of range"); their
//   weight goes to Result::invalid and working["invalid_reasons"].
// - Abstentions count in `ballots` (so for turnout and quorum) but never in
//   the whole a threshold "of votes cast" is taken of: cast = for + against.
// - majority "of eligible" compares "for" with Options::eligible; with no
//   votes cast (or no eligible weight) a motion does not pass.
// - consent passes iff no objection was lodged (so also when nobody
//   answered: a quorum, in rules.h, is how a body asks for participation).
// Totals are checked: a tally whose weights do not fit in 64 bits is
// Error(out_of_range).

#include <array>
#include <cstdint>

#include "core/error.h"
#include "governance/voting/rules.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {

struct MotionCount {
  std::array<int64_t, 3> counts{};
  int64_t blank = 0;
  int64_t invalid = 0;
  int64_t out_of_range = 0;
  int64_t not_one = 0;
};

void add_weight(int64_t& acc, int64_t w) {
  if (__builtin_add_overflow(acc, w, &acc))
    throw Error(Code::out_of_range, "the vote totals do not fit in 64 bits", "ballots");
}

MotionCount count_motion(const BallotSet& b) {
  MotionCount m;
  const int32_t* items = b.items.data();
  const uint64_t* starts = b.starts.data();
  const int64_t* weights = b.weights.data();
  const size_t n = b.size();
  for (size_t i = 0; i < n; ++i) {
    const int64_t w = weights[i];
    const uint64_t len = starts[i + 1] - starts[i];
    if (len == 0) {
      add_weight(m.blank, w);
    } else if (len != 1) {
      add_weight(m.invalid, w);
      m.not_one += w;
    } else if (const auto o = static_cast<uint32_t>(items[starts[i]]); o < 3) {
      add_weight(m.counts[o], w);
    } else {
      add_weight(m.invalid, w);
      m.out_of_range += w;
    }
  }
  return m;
}

Result motion_result(const MotionCount& m) {
  Result r;
  int64_t ballots = m.blank;
  for (int64_t c : m.counts) add_weight(ballots, c);
  int64_t all = ballots;
  add_weight(all, m.invalid);
  r.ballots = ballots;
  r.blank = m.blank;
  r.invalid = m.invalid;
  r.counts.assign(m.counts.begin(), m.counts.end());
  Json reasons = Json::object();
  if (m.out_of_range > 0) reasons["option out of range"] = m.out_of_range;
  if (m.not_one > 0) reasons["not exactly one choice"] = m.not_one;
  r.working["invalid_reasons"] = reasons;
  r.working["seats"] = 1;
  return r;
}

}  // namespace

Result tally_majority(const BallotSet& b, const Options& o) {
  const MotionCount m = count_motion(b);
  Result r = motion_result(m);
  const int64_t yes = m.counts[0];
  const int64_t no = m.counts[1];
  const bool of_cast = o.threshold.of == Threshold::Of::cast;
  const int64_t whole = of_cast ? yes + no : o.eligible;  // yes + no <= ballots: no overflow
  const bool passed = meets(yes, whole, o.threshold);
  r.working["for"] = yes;
  r.working["against"] = no;
  r.working["abstain"] = m.counts[2];
  r.working["threshold"] = Json{{"ratio", ratio_text(o.threshold.ratio)},
                                {"of", of_cast ? "cast" : "eligible"},
                                {"strict", o.threshold.strict}};
  if (!of_cast) r.working["eligible"] = o.eligible;
  r.working["passed"] = passed;
  if (passed) r.winners = {0};
  return r;
}

Result tally_consent(const BallotSet& b, const Options&) {
  const MotionCount m = count_motion(b);
  Result r = motion_result(m);
  const bool passed = m.counts[2] == 0;
  r.working["consent"] = m.counts[0];
  r.working["stand_aside"] = m.counts[1];
  r.working["object"] = m.counts[2];
  r.working["passed"] = passed;
  if (passed) r.winners = {0};
  return r;
}

}  // namespace agora::governance::voting
