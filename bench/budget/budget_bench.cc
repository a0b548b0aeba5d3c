// The budgeting benchmark: the Method of Equal Shares (cost utilities, with
// and without Add1 completion) and greedy against one plain pass over the
// same in-memory ballots — summing the approvals of each project, the least
// any count must do. Ballots are generated deterministically from a seeded
// PRNG: 500 projects whose popularity falls off like Zipf's law, costs spread
// log-uniformly from 5,000 to 500,000 units, a budget of 50 units per voter
// (5,000,000), and voters approving 1 to 10 projects each (about 3.4 on
// average), drawn by popularity.
//
//   budget_bench full|small OUT.json
//
// full: 100,000 voters; small: 10,000 voters, the same code. Writes OUT.json
// in the shape of CONVENTIONS.md ("Benchmarks"); each row's ratio is the
// method's median time over the pass's median time, measured in the same run,
// round after round (the pass 31 times around each round of the method: one
// pass is a fraction of a millisecond, so one sample of it is mostly noise).
// Times are the thread's CPU time: on a shared machine a long run loses the
// CPU to other processes while a sub-millisecond pass seldom does, so wall
// time would skew the ratio by the machine's load (wall times are kept in the
// rows too). Single-threaded.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "budget/election.h"
#include "budget/equal_shares.h"
#include "core/json.h"

namespace {

using agora::Json;
using namespace agora::budget;
using Clock = std::chrono::steady_clock;

// xoshiro256** seeded by splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
  // Uniform in [0, 1), for the generator only (the methods never see a double).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

Election generate(int64_t voters, int32_t projects, int64_t budget, int64_t min_cost,
                  uint64_t seed) {
  Rng rng(seed);
  Election e;
  e.budget_units = budget;
  e.kind = BallotKind::approval;
  std::vector<uint64_t> cumulative(projects);
  uint64_t total = 0;
  for (int32_t p = 0; p < projects; ++p) {
    // Costs log-uniform in [min_cost, 100 min_cost], rounded to tens.
    const double c = static_cast<double>(min_cost) * std::pow(100.0, rng.unit());
    e.projects.push_back(Project{std::to_string(p + 1), "project " + std::to_string(p + 1),
                                 static_cast<int64_t>(c / 10) * 10});
    // Popularity ~ 1 / (rank + 5): a few projects draw most approvals.
    total += static_cast<uint64_t>(1e9 / (p + 5));
    cumulative[p] = total;
  }
  // Shuffle which project is popular, so popularity and id are unrelated.
  std::vector<int32_t> who(projects);
  for (int32_t p = 0; p < projects; ++p) who[p] = p;
  for (int32_t i = projects - 1; i > 0; --i) std::swap(who[i], who[rng.below(i + 1)]);
  std::vector<int32_t> ballot;
  std::vector<int64_t> seen(projects, -1);
  e.items.reserve(static_cast<size_t>(voters) * 5);
  for (int64_t v = 0; v < voters; ++v) {
    int32_t k = 1;
    while (k < 10 && rng.below(100) < 72) ++k;
    ballot.clear();
    while (static_cast<int32_t>(ballot.size()) < k) {
      const uint64_t pick = rng.next() % total;
      const int32_t p =
          who[std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin()];
      if (seen[p] == v) continue;
      seen[p] = v;
      ballot.push_back(p);
    }
    e.add_ballot(ballot);
  }
  return e;
}

// The physical limit: one pass over the ballots counting each project's approvals.
uint64_t plain_pass(const Election& e) {
  std::vector<uint64_t> counts(e.projects.size(), 0);
  for (int32_t p : e.items) ++counts[p];
  uint64_t check = 0;
  for (size_t p = 0; p < counts.size(); ++p) check += counts[p] * (p + 1);
  return check;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of this thread, in seconds.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

volatile uint64_t g_sink = 0;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "full" && std::string(argv[1]) != "small")) {
    std::fprintf(stderr, "usage: budget_bench full|small OUT.json\n");
    return 2;
  }
  const std::string scale = argv[1];
  const bool full = scale == "full";
  const int64_t voters = full ? 100'000 : 10'000;
  const int32_t projects = 500;
  // 50 units per voter, costs from 5,000 to 500,000 units at full scale
  // (scaled down with the voters at small scale): dozens of projects funded.
  const int64_t budget = 50 * voters;
  const int64_t min_cost = 5000 * voters / 100'000;
  const int rounds = 3;
  // A case whose first round takes longer than this runs that round only.
  const double slow_s = full ? 60 : 20;

  auto t0 = Clock::now();
  const Election e = generate(voters, projects, budget, min_cost, 7);
  std::fprintf(stderr,
               "budget_bench: %lld voters, %d projects, %zu approvals, generated in %.2fs\n",
               static_cast<long long>(voters), projects, e.items.size(), seconds_since(t0));

  struct Case {
    std::string label;
    Options options;
  };
  Options add1;
  Options none;
  none.completion = Completion::none;
  Options greedy;
  greedy.method = Method::greedy;
  const std::vector<Case> cases{
      {"equal shares (cost utilities) + Add1", add1},
      {"equal shares (cost utilities), no completion", none},
      {"greedy", greedy},
  };
  Json rows = Json::array();
  for (const Case& c : cases) {
    std::vector<double> times;
    std::vector<double> wall;
    std::vector<double> pass;
    auto passes = [&] {
      for (int i = 0; i < 31; ++i) {
        const double p0 = cpu_now();
        g_sink = g_sink + plain_pass(e);
        pass.push_back(cpu_now() - p0);
      }
    };
    Result kept;
    for (int r = 0; r < rounds; ++r) {
      passes();
      t0 = Clock::now();
      const double c0 = cpu_now();
      Result res = select_projects(e, c.options);
      times.push_back(cpu_now() - c0);
      wall.push_back(seconds_since(t0));
      passes();
      if (r == 0) {
        kept = std::move(res);
        if (times[0] > slow_s) break;
      }
    }
    const double v = median(times);
    const double a = median(pass);
    const std::string label = c.label + ", " + std::to_string(voters) + " voters x " +
                              std::to_string(projects) + " projects (approval)";
    rows.push_back({{"case", label},
                    {"metric", "cpu_seconds"},
                    {"value", v},
                    {"against", "one pass over the same ballots (approvals per project)"},
                    {"against_value", a},
                    {"ratio", v / a},
                    {"higher_is_better", false},
                    {"voters", voters},
                    {"projects", projects},
                    {"approvals", e.items.size()},
                    {"budget", budget},
                    {"funded", kept.funded.size()},
                    {"total_cost", kept.total_cost_units},
                    {"completion_steps", kept.completion_steps},
                    {"rounds", times.size()},
                    {"times_s", times},
                    {"wall_times_s", wall},
                    {"pass_median_s", a},
                    {"pass_samples", pass.size()}});
    std::fprintf(stderr,
                 "budget_bench: %-80s %8.3fs  pass %7.5fs  x%.0f  (%zu funded, cost %lld, %lld "
                 "Add1 steps)\n",
                 label.c_str(), v, a, v / a, kept.funded.size(),
                 static_cast<long long>(kept.total_cost_units),
                 static_cast<long long>(kept.completion_steps));
  }
  Json doc{{"benchmark", "budget"}, {"scale", scale}, {"rows", rows}};
  std::ofstream out(argv[2]);
  out << doc.dump(2) << "\n";
  if (!out) {
    std::fprintf(stderr, "budget_bench: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
