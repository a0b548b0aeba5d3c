#pragma once
// A participatory-budgeting election as the budgeting rules read it: a
// budget, projects with whole-unit costs, and each voter's ballot (approved
// projects, or projects with points), stored flat (CSR) so that 10^5 voters
// cost a few arrays, not 10^5 vectors. Built by the Pabulib reader
// (pabulib.h) or by the app layer from a budgeting round in the database.
// Thread-safe: a plain value; concurrent readers of a const Election are fine.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace agora::budget {

// Bounds every Election must respect (checked by check_election(), and by the
// Pabulib reader while it reads). They keep every intermediate of the exact
// arithmetic finite and every loop short; see equal_shares.h.
inline constexpr int64_t kMaxBudgetUnits = 1'000'000'000'000'000;  // 10^15
inline constexpr int64_t kMaxCostUnits = kMaxBudgetUnits;
inline constexpr int32_t kMaxProjects = 100'000;
inline constexpr int64_t kMaxVoters = 10'000'000;
inline constexpr int64_t kMaxBallotItems = 100'000'000;  // approvals over all voters
inline constexpr int64_t kMaxPoints = 1'000'000'000;     // points one voter gives one project

enum class BallotKind { approval, points };

struct Project {
  std::string id;          // the file's project_id; unique
  std::string name;        // may be empty
  int64_t cost_units = 0;  // 1..kMaxCostUnits
};

struct Election {
  int64_t budget_units = 0;  // 0..kMaxBudgetUnits
  BallotKind kind = BallotKind::approval;
  std::vector<Project> projects;
  // Voter v's ballot is items[starts[v] .. starts[v+1]): project indexes, each
  // at most once; points[j] (points ballots only) is the points given to
  // items[j], >= 1 (a project given 0 points is simply not on the ballot).
  std::vector<uint64_t> starts{0};
  std::vector<int32_t> items;
  std::vector<int64_t> points;

  int64_t voter_count() const { return static_cast<int64_t>(starts.size()) - 1; }
  std::span<const int32_t> ballot(int64_t v) const {
    return {items.data() + starts[v], items.data() + starts[v + 1]};
  }
  // Appends one voter; `pts` is empty for approval ballots.
  void add_ballot(std::span<const int32_t> projects_of_voter, std::span<const int64_t> pts = {}) {
    items.insert(items.end(), projects_of_voter.begin(), projects_of_voter.end());
    points.insert(points.end(), pts.begin(), pts.end());
    starts.push_back(items.size());
  }
};

// Error(invalid_value / out_of_range, field) on anything outside the bounds
// above: no projects, a cost out of range, a duplicate project id, a ballot
// naming a project twice or one that does not exist, points < 1, the wrong
// number of points. The rules call it first.
void check_election(const Election& e);

}  // namespace agora::budget
