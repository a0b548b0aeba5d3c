// Quorum and thresholds over a tally (rules.h).
//
// Choices made where rules.h leaves room:
// - Turnout is the weight of every ballot returned: counted ones (blank and
//   abstentions included) and invalid ones, since a spoilt ballot is still a
//   voter who took part.
// - The quorum is "at least": turnout / eligible >= quorum. A quorum above
//   zero is never met by a turnout of zero.
// - For an election, the seats wanted come from the result's working "seats"
//   (the methods of this folder write it); without it, any winner counts as
//   every seat filled.
// - A single-seat election's threshold is taken of the votes cast (valid,
//   non-blank ballots' weight) or of the eligible weight, times what one
//   ballot can give an option: score_max for score and STAR, dots for dot
//   voting, 1 otherwise. The winner's count is its entry in counts, except for
//   IRV, where it is the winner's votes in the final round. {0/1, at least}
//   is no threshold at all.
// - All comparisons are exact: 128-bit products of 64-bit weights.

#include "governance/voting/rules.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/error.h"

namespace agora::governance::voting {
namespace {

using i128 = __int128;

// part / whole against the threshold, with `whole` possibly beyond 64 bits.
bool meets_wide(i128 part, i128 whole, const Threshold& t) {
  if (t.ratio.num == 0 && !t.strict) return true;
  if (whole <= 0) return false;
  const i128 lhs = part * t.ratio.den;
  const i128 rhs = whole * t.ratio.num;
  return t.strict ? lhs > rhs : lhs >= rhs;
}

std::string threshold_words(const Threshold& t) {
  return std::string(t.strict ? "more than " : "at least ") + ratio_text(t.ratio);
}

std::string wide_text(i128 v) {
  if (v < 0) return "-" + wide_text(-v);
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  return out;
}

std::string seats_word(int64_t n) { return n == 1 ? "seat" : "seats"; }

int64_t working_int(const Json& w, const char* key, int64_t fallback) {
  auto it = w.find(key);
  return it != w.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

}  // namespace

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::passed:
      return "passed";
    case Outcome::rejected:
      return "rejected";
    case Outcome::no_quorum:
      return "no_quorum";
  }
  return "rejected";
}

Json Decision::to_json() const {
  return Json{{"outcome", std::string(outcome_name(outcome))},
              {"quorum_met", quorum_met},
              {"eligible", eligible},
              {"turnout", turnout},
              {"quorum", ratio_text(quorum)},
              {"threshold",
               {{"ratio", ratio_text(threshold.ratio)},
                {"of", threshold.of == Threshold::Of::cast ? "cast" : "eligible"},
                {"strict", threshold.strict}}},
              {"reason", reason}};
}

Decision decide(Method m, const Result& r, const DecisionRule& rule, int64_t eligible) {
  Decision d;
  d.eligible = eligible;
  d.quorum = rule.quorum;
  d.threshold = rule.threshold;
  if (__builtin_add_overflow(r.ballots, r.invalid, &d.turnout))
    throw Error(Code::out_of_range, "the turnout does not fit in 64 bits", "ballots");
  const i128 have = static_cast<i128>(d.turnout) * rule.quorum.den;
  const i128 need = static_cast<i128>(rule.quorum.num) * eligible;
  d.quorum_met = have >= need && (rule.quorum.num == 0 || d.turnout > 0);
  if (!d.quorum_met) {
    d.outcome = Outcome::no_quorum;
    d.reason = "quorum not met: turnout " + std::to_string(d.turnout) + " of " +
               std::to_string(eligible) + " eligible, at least " + ratio_text(rule.quorum) +
               " needed";
    return d;
  }
  const bool of_cast = rule.threshold.of == Threshold::Of::cast;
  const std::string of_words =
      of_cast ? "of votes cast" : "of " + std::to_string(eligible) + " eligible";
  bool passed = false;
  if (m == Method::majority) {
    const int64_t yes = r.counts.size() > 0 ? r.counts[0] : 0;
    const int64_t no = r.counts.size() > 1 ? r.counts[1] : 0;
    const i128 whole = of_cast ? static_cast<i128>(yes) + no : static_cast<i128>(eligible);
    passed = meets_wide(yes, whole, rule.threshold);
    d.reason = threshold_words(rule.threshold) + " " + of_words +
               " needed: " + std::to_string(yes) + " for, " + std::to_string(no) + " against";
  } else if (m == Method::consent) {
    const int64_t object = r.counts.size() > 2 ? r.counts[2] : 0;
    passed = object == 0;
    d.reason = std::string(passed ? "no objection stands" : "an objection stands") + ": " +
               std::to_string(r.counts.size() > 0 ? r.counts[0] : 0) + " consent, " +
               std::to_string(r.counts.size() > 1 ? r.counts[1] : 0) + " stand aside, " +
               std::to_string(object) + " object";
  } else {
    const auto filled = static_cast<int64_t>(r.winners.size());
    const int64_t seats = working_int(r.working, "seats", std::max<int64_t>(1, filled));
    passed = filled >= seats && filled > 0;
    d.reason = std::to_string(std::min(filled, seats)) + " of " + std::to_string(seats) + " " +
               seats_word(seats) + " filled";
    const bool no_threshold = rule.threshold.ratio.num == 0 && !rule.threshold.strict;
    if (passed && seats == 1 && !no_threshold) {
      const int32_t w = r.winners[0];
      int64_t part = w >= 0 && static_cast<size_t>(w) < r.counts.size() ? r.counts[w] : 0;
      if (m == Method::irv) {
        auto rounds = r.working.find("rounds");
        if (rounds != r.working.end() && rounds->is_array() && !rounds->empty())
          part = rounds->back().at("counts").at(w).get<int64_t>();
      }
      int64_t per_ballot = 1;
      if (m == Method::score || m == Method::star)
        per_ballot = working_int(r.working, "score_max", 1);
      if (m == Method::dot) per_ballot = working_int(r.working, "dots", 1);
      const i128 base =
          of_cast ? static_cast<i128>(r.ballots) - r.blank : static_cast<i128>(eligible);
      const i128 whole = base * per_ballot;
      passed = meets_wide(part, whole, rule.threshold);
      d.reason = threshold_words(rule.threshold) + " " + of_words + " needed: the winner has " +
                 std::to_string(part) + " of " + wide_text(whole) +
                 (per_ballot > 1 ? " possible points" : "");
    }
  }
  d.outcome = passed ? Outcome::passed : Outcome::rejected;
  return d;
}

Ratio parse_ratio(std::string_view s) {
  auto bad = [&] {
    return Error(Code::invalid_value,
                 "a ratio is written a/b with 0 <= a <= b and 1 <= b <= 1000000, like 2/3");
  };
  if (s.size() > 15) throw bad();
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) throw bad();
  auto number = [&](std::string_view t) {
    int64_t v = 0;
    if (t.empty() || t.size() > 7) throw bad();
    for (char c : t)
      if (c < '0' || c > '9') throw bad();
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  };
  Ratio r{number(s.substr(0, slash)), number(s.substr(slash + 1))};
  if (r.den < 1 || r.den > 1000000 || r.num > r.den) throw bad();
  return r;
}

std::string ratio_text(Ratio r) { return std::to_string(r.num) + "/" + std::to_string(r.den); }

}  // namespace agora::governance::voting
