#pragma once
// Quorum and thresholds over a tally: the part of a decision that needs the
// electorate's size (DOMAIN.md §2 "Thresholds and quorum"). The outcome is
// reported with the numbers it was decided on.
// Thread-safe: pure functions.

#include <cstdint>
#include <string>

#include "core/json.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {

struct DecisionRule {
  Ratio quorum{0, 1};    // share of eligible weight that must take part (ballots incl. blank/abstain)
  Threshold threshold{}; // majority: "for" must meet it; other single-winner methods:
                         // the winner's count must meet it ({0/1, at least} = no threshold)
};

enum class Outcome { passed, rejected, no_quorum };
std::string_view outcome_name(Outcome o);  // "passed" | "rejected" | "no_quorum"

struct Decision {
  Outcome outcome = Outcome::rejected;
  bool quorum_met = false;
  int64_t eligible = 0;     // weight
  int64_t turnout = 0;      // weight of ballots (blank and invalid included)
  std::string reason;       // one sentence: "2/3 of votes cast needed, 61 of 100 for"
  Ratio quorum{0, 1};       // the rule it was decided on, for to_json
  Threshold threshold{};
  Json to_json() const;     // {"outcome","quorum_met","eligible","turnout","quorum":"1/10","threshold":{...},"reason"}
};

// majority: passed iff quorum met and "for" meets the threshold (of cast =
// for+against; of eligible = `eligible`). consent: passed iff quorum met and
// no objection. Election methods: passed iff quorum met and every seat was
// filled (and, single-seat, the winner's count meets the threshold).
Decision decide(Method m, const Result& r, const DecisionRule& rule, int64_t eligible);

// "2/3" <-> Ratio; Error(invalid_value) on anything else (den 1..10^6).
Ratio parse_ratio(std::string_view s);
std::string ratio_text(Ratio r);

}  // namespace agora::governance::voting
