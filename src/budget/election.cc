#include "budget/election.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "core/error.h"

namespace agora::budget {

void check_election(const Election& e) {
  if (e.budget_units < 0 || e.budget_units > kMaxBudgetUnits)
    throw Error(Code::out_of_range,
                "the budget must be 0.." + std::to_string(kMaxBudgetUnits) + " units", "budget");
  if (e.projects.empty()) throw Error(Code::invalid_value, "there are no projects", "projects");
  if (e.projects.size() > static_cast<size_t>(kMaxProjects))
    throw Error(Code::out_of_range, "more than " + std::to_string(kMaxProjects) + " projects",
                "projects");
  std::unordered_set<std::string_view> ids;
  for (size_t p = 0; p < e.projects.size(); ++p) {
    const Project& pr = e.projects[p];
    const std::string field = "/projects/" + std::to_string(p);
    if (pr.cost_units < 1 || pr.cost_units > kMaxCostUnits)
      throw Error(
          Code::out_of_range,
          "project " + pr.id + ": the cost must be 1.." + std::to_string(kMaxCostUnits) + " units",
          field + "/cost");
    if (!ids.insert(pr.id).second)
      throw Error(Code::invalid_value, "project id " + pr.id + " appears twice", field + "/id");
  }
  if (e.starts.empty() || e.starts.front() != 0 || e.starts.back() != e.items.size())
    throw Error(Code::invalid_value, "the ballots are not well formed", "ballots");
  if (e.voter_count() > kMaxVoters)
    throw Error(Code::out_of_range, "more than " + std::to_string(kMaxVoters) + " voters",
                "ballots");
  if (static_cast<int64_t>(e.items.size()) > kMaxBallotItems)
    throw Error(Code::out_of_range,
                "more than " + std::to_string(kMaxBallotItems) + " votes over all ballots",
                "ballots");
  const bool points = e.kind == BallotKind::points;
  if (points ? e.points.size() != e.items.size() : !e.points.empty())
    throw Error(Code::invalid_value,
                points ? "points ballots need one number of points per project"
                       : "approval ballots carry no points",
                "ballots");
  const int32_t m = static_cast<int32_t>(e.projects.size());
  std::vector<int64_t> seen(static_cast<size_t>(m), -1);
  for (int64_t v = 0; v < e.voter_count(); ++v) {
    if (e.starts[v + 1] < e.starts[v])
      throw Error(Code::invalid_value, "the ballots are not well formed", "ballots");
    for (uint64_t j = e.starts[v]; j < e.starts[v + 1]; ++j) {
      const std::string field = "/ballots/" + std::to_string(v);
      const int32_t p = e.items[j];
      if (p < 0 || p >= m)
        throw Error(Code::invalid_value, "ballot " + std::to_string(v) + " names no project",
                    field);
      if (seen[p] == v)
        throw Error(Code::invalid_value,
                    "ballot " + std::to_string(v) + " names project " + e.projects[p].id + " twice",
                    field);
      seen[p] = v;
      if (points && (e.points[j] < 1 || e.points[j] > kMaxPoints))
        throw Error(
            Code::out_of_range,
            "ballot " + std::to_string(v) + ": points must be 1.." + std::to_string(kMaxPoints),
            field);
    }
  }
}

}  // namespace agora::budget
