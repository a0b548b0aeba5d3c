#pragma once
// The voting methods of DOMAIN.md §2 as pure functions: ballots in, a
// result with its full working out. No I/O, no clock, no randomness other
// than the seeded lot of Options::tie_seed, so a tally is reproducible.
//
// Every result's JSON (to_json) has at least:
//   {"method": "schulze", "options": ["Ann","Bo",...], "seats": 1,
//    "ballots": total weight of counted ballots (blank included),
//    "blank": weight of blank ballots, "invalid": weight of ballots skipped
//    as breaking the method's rule (with "invalid_reasons": {"repeated option": 3, ...}),
//    "counts": [per option: votes | approvals | score sum | first preferences],
//    "winners": [option indexes in order of election], "elected": [names],
//    "tie_breaks": [{"stage": "round 3" | ..., "between": [idx...],
//                    "rule": "earlier round" | "lot" | "...", "chosen": idx}]}
// plus the method's working:
//   majority:     "for", "against", "abstain", "threshold": {...}, "passed": bool
//   consent:      "consent", "stand_aside", "object" (counts), "passed": bool
//   score/dot:    "counts" are sums; score also "average" per option as a
//                 string with 2 decimals
//   star:         "counts" are score sums; "runoff": {"finalists":[a,b],
//                 "preferred":[n_a,n_b], "no_preference": n}
//   irv:          "rounds": [{"counts":[...], "excluded": idx|null,
//                 "exhausted": n, "transfers": {"to idx": n}}]
//   schulze:      "pairwise": d[i][j], "strongest_paths": p[i][j], "ranking": [idx...]
//   ranked_pairs: "pairwise", "pairs": [{"winner":i,"loser":j,"margin":m,
//                 "locked":bool}], "ranking"
//   scottish_stv, meek_stv: "quota" (as a decimal string), "rounds":
//                 [{"action": "elect"|"exclude"|"surplus"|..., "candidate": i,
//                   "votes": ["123.45678", ...], "exhausted": "...",
//                   "transfers": [...], "keep_factors": [...] (Meek)}]
//                 Fixed-point amounts are strings ("1234.56789") so no reader
//                 turns them into floating point.
// Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "governance/voting/ballots.h"

namespace agora::governance::voting {

enum class Method {
  majority,      // for / against / abstain, against Options::threshold
  consent,       // consent / stand aside / object; passes with no objection
  approval,      // most approvals; `seats` winners
  score,         // highest score sum; `seats` winners
  star,          // score then automatic runoff between the top two
  dot,           // points spread over options, at most Options::dots per ballot
  plurality,     // most first choices; `seats` winners
  irv,           // instant runoff
  schulze,       // widest paths
  ranked_pairs,  // Tideman, locking by margin
  scottish_stv,  // Scottish Local Government Elections Order 2007 rules
  meek_stv,      // Hill, Wichmann, Woodall, Voting Matters 22
};
std::string_view method_name(Method m);                 // "ranked_pairs"
std::optional<Method> parse_method(std::string_view s);  // the names above
const std::vector<Method>& all_methods();

enum class BallotKind { choice, marks, scores, ranking };
BallotKind ballot_kind(Method m);
std::string_view ballot_kind_name(BallotKind k);  // "choice" ...

// Fixed option names of the two motion methods (ballot items index them).
inline const std::vector<std::string> kMajorityOptions{"for", "against", "abstain"};
inline const std::vector<std::string> kConsentOptions{"consent", "stand_aside", "object"};

// a/b, 0 <= a <= b, b >= 1.
struct Ratio {
  int64_t num = 1;
  int64_t den = 2;
};
// "more than half of votes cast" is {1/2, cast, strict}.
struct Threshold {
  Ratio ratio{1, 2};
  enum class Of { cast, eligible } of = Of::cast;
  bool strict = true;  // true: more than ratio; false: at least ratio
};
// Is `part` over (strict) / at least the ratio of `whole`? Exact integer
// arithmetic (128-bit products). whole == 0: false.
bool meets(int64_t part, int64_t whole, const Threshold& t);

struct Options {
  std::vector<std::string> names;  // one per option; empty: "1", "2", ...
  int32_t seats = 1;               // winners wanted (approval, score, plurality, STV)
  int32_t score_max = 5;           // score, star: values 0..score_max
  int32_t dots = 10;               // dot: points per ballot at most
  Threshold threshold{};           // majority: what "for" must reach
  int64_t eligible = 0;            // weight of the electorate, for thresholds of eligible voters
  uint64_t tie_seed = 0;           // the lot: ties nothing else breaks are drawn from this seed
};

struct Result {
  std::vector<int32_t> winners;  // in order of election
  int64_t ballots = 0;
  int64_t blank = 0;
  int64_t invalid = 0;
  std::vector<int64_t> counts;   // see above
  Json working = Json::object(); // method-specific fields, merged by to_json
};
// The full JSON described above.
Json to_json(const Result& r, Method m, const Options& o);

// Counts `ballots` by `method`. Throws Error(invalid_value) when the
// options or seats make no sense (no options, seats < 1, names of the wrong
// size, more than kMaxOptions options); bad ballots are skipped and counted
// as invalid, never thrown.
inline constexpr int32_t kMaxOptions = 1000;
Result tally(Method method, const BallotSet& ballots, const Options& options);

// The methods one by one (tally() dispatches to these).
Result tally_majority(const BallotSet& b, const Options& o);
Result tally_consent(const BallotSet& b, const Options& o);
Result tally_approval(const BallotSet& b, const Options& o);
Result tally_score(const BallotSet& b, const Options& o);
Result tally_star(const BallotSet& b, const Options& o);
Result tally_dot(const BallotSet& b, const Options& o);
Result tally_plurality(const BallotSet& b, const Options& o);
Result tally_irv(const BallotSet& b, const Options& o);
Result tally_schulze(const BallotSet& b, const Options& o);
Result tally_ranked_pairs(const BallotSet& b, const Options& o);
Result tally_scottish_stv(const BallotSet& b, const Options& o);
Result tally_meek_stv(const BallotSet& b, const Options& o);

}  // namespace agora::governance::voting
