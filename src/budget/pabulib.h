#pragma once
// The Pabulib `.pb` file (pabulib.org, the standard exchange format of
// participatory-budgeting instances) read into an Election.
//
// Sections META, PROJECTS and VOTES (names case-insensitive), each a header
// row and rows of semicolon-separated fields; a field may be quoted ("a;b",
// with "" for a quote). META needs `budget` and `vote_type`; PROJECTS needs
// `project_id` and `cost` (`name` is kept when present); VOTES needs `vote`
// (comma-separated project ids, possibly empty) and, for points ballots,
// `points` (one per project). Other columns are ignored.
// vote_type: approval and choose-1 are read as approval ballots; cumulative
// (or points) as points ballots. ordinal and scoring are refused.
// Costs, the budget and points are whole numbers; "1000000.0" (a zero
// fraction) is accepted, a real fraction is refused. A project given 0
// points is left off the ballot.
//
// Limits: the file at most kMaxPabulibBytes, a line at most 1 MiB, a field
// at most 64 KiB, a project id at most 256 bytes, and election.h's bounds on
// projects, voters, votes, costs and points.
// Thread-safe: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "budget/election.h"

namespace agora::budget {

inline constexpr uint64_t kMaxPabulibBytes = uint64_t{1} << 30;  // 1 GiB

struct PabulibFile {
  Election election;
  std::vector<std::pair<std::string, std::string>> meta;  // in file order
  std::string vote_type;                                  // as the file says
  std::vector<std::string> voter_ids;                     // empty when the file has none
};

// Error(bad_file, "<file_name>:<line>: <reason>") on anything malformed; the
// line (1-based) is where reading stopped.
PabulibFile read_pabulib(std::string_view text, std::string_view file_name);

}  // namespace agora::budget
