#pragma once
// Ballots from outside: the JSON ballot a member casts through the API, and
// the files `agora tally` reads and `agora ballots export` writes.
//
// One ballot as JSON (the API's cast body and each entry of a JSON file), by
// the method's BallotKind (voting.h); options are 0-based indexes:
//   choice   {"choice": 0}            majority: 0 for, 1 against, 2 abstain
//                                     consent: 0 consent, 1 stand aside, 2 object
//                                     (object needs "reason": 1..2000 bytes)
//   marks    {"approve": [0, 3]}      each option at most once; [] is blank
//   scores   {"scores": [5, 0, 3]}    one per option: score 0..score_max, or
//                                     dot: points >= 0 summing to at most dots
//   ranking  {"ranking": [2, 0, 1]}   most preferred first, no repeats; may be partial
// plus, in files only, an optional "weight": 1..10^9 (default 1).
//
// A JSON ballot file (documented in docs/BALLOTS.md):
//   {"method": "approval", "options": ["A", "B", "C"], "seats": 1,
//    "score_max": 5, "dots": 10, "title": "...", "ballots": [{...}, ...]}
// BLT (the standard exchange for ranked ballots; OpenSTV, Hill's programs):
//   "C S" header, an optional line of withdrawn candidates as negative
//   numbers, ballot lines "weight p1 p2 ... 0", a "0" line, C quoted
//   candidate names, a quoted title. Equal preferences ("1=2") are refused.
//
// Limits (every input from outside gets a bound): at most
// voting::kMaxOptions options, 10^7 ballot lines in a file, 10^9 weight per
// line, 1000 preferences per ballot.
// Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "governance/voting/voting.h"

namespace agora::governance {

struct BallotFile {
  std::string title;
  std::vector<std::string> names;        // options / candidates, withdrawn ones removed
  std::optional<voting::Method> method;  // JSON files name one; BLT files do not
  voting::Options options;               // names, seats (BLT header), score_max, dots
  voting::BallotSet ballots;             // option_count == names.size()
  std::vector<std::string> withdrawn;    // BLT: candidates withdrawn (dropped from every ranking)
};

// Error(bad_file, "<file_name>:<line>: <reason>") on anything malformed; the
// message always names the line (1-based) where reading stopped.
BallotFile read_blt(std::string_view text, std::string_view file_name);
BallotFile read_ballots_json(std::string_view text, std::string_view file_name);
// Writes ranked ballots (identical ballots grouped) with names and title.
std::string write_blt(const BallotFile& f);

// One ballot in the JSON form above, checked strictly against the method and
// options: Error(missing_field/wrong_type/invalid_value/out_of_range) with a
// JSON pointer field such as "/ranking/2". Blank ballots are allowed
// ({"approve": []}, {"ranking": []}); a choice ballot always has a choice.
struct ParsedBallot {
  std::vector<int32_t> items;
  std::vector<int32_t> values;  // scores kind only
  std::optional<std::string> reason;  // consent objections
};
ParsedBallot parse_ballot(const Json& ballot, voting::Method method, int32_t option_count,
                          const voting::Options& options);
// The inverse: the JSON form of a stored ballot (no weight, no reason).
Json ballot_json(voting::Method method, int32_t option_count, std::span<const int32_t> items,
                 std::span<const int32_t> values);

}  // namespace agora::governance
