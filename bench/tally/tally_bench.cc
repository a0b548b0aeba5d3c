// The tally benchmark: each voting method against one plain pass over the
// same in-memory BallotSet (the physical limit of any count: read every
// item once). Ballots are generated deterministically from a seeded PRNG:
// approval and score ballots over 50 options, ranked ballots over 20
// candidates drawn from a few hundred opinion profiles with noise, so that
// identical ballots cluster the way real ones do and grouping matters.
//
//   tally_bench full|small OUT.json
//
// Writes OUT.json in the shape of CONVENTIONS.md ("Benchmarks"); the ratio of
// each row is the method's median time over the pass's median time, measured
// in the same run, round after round. Single-threaded.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "core/json.h"
#include "governance/voting/ballots.h"
#include "governance/voting/voting.h"

namespace {

using agora::Json;
using namespace agora::governance::voting;
using Clock = std::chrono::steady_clock;

// xoshiro256** seeded by splitmix64: small, fast and the same everywhere.
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
  // Uniform in [0, n).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

// Approval: each option approved with its own probability (2%..24%, in
// 1/65536ths), so a ballot approves about six of 50 options.
BallotSet approval_ballots(size_t count, int32_t options, uint64_t seed) {
  Rng rng(seed);
  std::vector<uint32_t> p(options);
  for (auto& x : p) x = 1300 + rng.below(14500);
  BallotSet b;
  b.option_count = options;
  b.reserve(count, count * 7);
  std::vector<int32_t> items;
  for (size_t i = 0; i < count; ++i) {
    items.clear();
    for (int32_t o = 0; o < options; o += 4) {
      const uint64_t r = rng.next();
      for (int32_t k = 0; k < 4 && o + k < options; ++k)
        if (((r >> (16 * k)) & 0xffff) < p[o + k]) items.push_back(o + k);
    }
    b.add(1, items);
  }
  return b;
}

// Score 0..5: each ballot scores about a fifth of the options (the others
// score 0 and are left out, as the methods allow), around each option's
// own mean.
BallotSet score_ballots(size_t count, int32_t options, uint64_t seed) {
  Rng rng(seed);
  std::vector<uint32_t> p(options);
  std::vector<int32_t> mean(options);
  for (int32_t o = 0; o < options; ++o) {
    p[o] = 6500 + rng.below(13000);
    mean[o] = 1 + static_cast<int32_t>(rng.below(4));
  }
  BallotSet b;
  b.option_count = options;
  b.reserve(count, count * 11);
  b.values.reserve(count * 11);
  std::vector<int32_t> items;
  std::vector<int32_t> values;
  for (size_t i = 0; i < count; ++i) {
    items.clear();
    values.clear();
    for (int32_t o = 0; o < options; o += 2) {
      const uint64_t r = rng.next();
      for (int32_t k = 0; k < 2 && o + k < options; ++k) {
        const uint64_t bits = r >> (32 * k);
        if ((bits & 0xffff) < p[o + k]) {
          const int32_t noise = static_cast<int32_t>((bits >> 16) % 3) - 1;
          items.push_back(o + k);
          values.push_back(std::clamp(mean[o + k] + noise, 0, 5));
        }
      }
    }
    b.add(1, items, values);
  }
  return b;
}

// Ranked: 300 opinion profiles (a ranking of 3..20 candidates each), chosen
// with Zipf-like popularity; a ballot follows its profile, sometimes with two
// neighbours swapped and sometimes cut short.
BallotSet ranked_ballots(size_t count, int32_t candidates, uint64_t seed) {
  Rng rng(seed);
  constexpr int kProfiles = 300;
  std::vector<std::vector<int32_t>> profiles(kProfiles);
  std::vector<uint64_t> cumulative(kProfiles);
  uint64_t total = 0;
  for (int p = 0; p < kProfiles; ++p) {
    auto& r = profiles[p];
    r.resize(candidates);
    std::iota(r.begin(), r.end(), 0);
    for (int32_t i = candidates - 1; i > 0; --i) std::swap(r[i], r[rng.below(i + 1)]);
    int32_t len = 3;
    while (len < candidates && rng.below(100) < 70) ++len;
    r.resize(len);
    total += 1'000'000 / (p + 1);
    cumulative[p] = total;
  }
  BallotSet b;
  b.option_count = candidates;
  b.reserve(count, count * 7);
  std::vector<int32_t> items;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t pick = rng.next() % total;
    const auto p =
        std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin();
    items = profiles[p];
    const uint32_t noise = rng.below(100);
    if (noise < 25 && items.size() >= 2) {
      const uint32_t at = rng.below(static_cast<uint32_t>(items.size() - 1));
      std::swap(items[at], items[at + 1]);
    }
    if (noise >= 15 && noise < 35 && items.size() > 1)
      items.resize(1 + rng.below(static_cast<uint32_t>(items.size() - 1)));
    b.add(1, items);
  }
  return b;
}

// The physical limit: one pass summing weight x value per option.
uint64_t plain_pass(const BallotSet& b) {
  std::vector<uint64_t> sums(b.option_count, 0);
  const int32_t* items = b.items.data();
  const int32_t* values = b.values.empty() ? nullptr : b.values.data();
  const uint64_t* starts = b.starts.data();
  const int64_t* weights = b.weights.data();
  const size_t n = b.size();
  if (values) {
    for (size_t i = 0; i < n; ++i) {
      const auto w = static_cast<uint64_t>(weights[i]);
      for (uint64_t j = starts[i]; j < starts[i + 1]; ++j)
        sums[items[j]] += w * static_cast<uint64_t>(values[j]);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      const auto w = static_cast<uint64_t>(weights[i]);
      for (uint64_t j = starts[i]; j < starts[i + 1]; ++j) sums[items[j]] += w;
    }
  }
  uint64_t check = 0;
  for (size_t o = 0; o < sums.size(); ++o) check += sums[o] * (o + 1);
  return check;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string count_text(size_t n) {
  int e = 0;
  size_t m = n;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  return m == 1 ? "1e" + std::to_string(e) : std::to_string(n);
}

struct Case {
  std::string label;  // "approval"
  const BallotSet* ballots;
  std::vector<Method> methods;
  Options options;
};

volatile uint64_t g_sink = 0;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "full" && std::string(argv[1]) != "small")) {
    std::fprintf(stderr, "usage: tally_bench full|small OUT.json\n");
    return 2;
  }
  const std::string scale = argv[1];
  const bool full = scale == "full";
  const size_t flat = full ? 10'000'000 : 100'000;
  const size_t ranked = full ? 1'000'000 : 10'000;
  const int rounds = full ? 5 : 3;
  // A method whose first round takes longer than this runs that one round only.
  const double slow_s = full ? 30 : 5;

  auto t0 = Clock::now();
  const BallotSet approval = approval_ballots(flat, 50, 1);
  const BallotSet score = score_ballots(flat, 50, 2);
  const BallotSet ranking = ranked_ballots(ranked, 20, 3);
  std::fprintf(stderr,
               "tally_bench: generated %zu + %zu + %zu ballots (%zu + %zu + %zu items) in %.1fs\n",
               approval.size(), score.size(), ranking.size(), approval.items.size(),
               score.items.size(), ranking.items.size(), seconds_since(t0));

  Options flat_options;
  flat_options.seats = 1;
  flat_options.score_max = 5;
  Options stv_options;
  stv_options.seats = 5;
  const std::vector<Case> cases{
      {"approval", &approval, {Method::approval}, flat_options},
      {"score", &score, {Method::score}, flat_options},
      {"ranked", &ranking, {Method::irv, Method::schulze}, Options{}},
      {"ranked", &ranking, {Method::scottish_stv, Method::meek_stv}, stv_options},
  };

  // Grouping of the ranked ballots, which every ranked method starts with.
  t0 = Clock::now();
  const size_t groups = group_identical(ranking).size();
  std::fprintf(stderr, "tally_bench: %zu ranked ballots form %zu groups (%.2fs)\n", ranking.size(),
               groups, seconds_since(t0));

  Json rows = Json::array();
  auto add_row = [&](const std::string& label, const BallotSet& b, std::vector<double>& times,
                     std::vector<double>& pass, Json extra) {
    const double v = median(times);
    const double a = median(pass);
    Json row{{"case", label},
             {"metric", "seconds"},
             {"value", v},
             {"against", "one pass over the same ballot arrays"},
             {"against_value", a},
             {"ratio", v / a},
             {"higher_is_better", false},
             {"ballots", b.size()},
             {"items", b.items.size()},
             {"rounds", times.size()},
             {"times_s", times},
             {"pass_times_s", pass}};
    for (auto& [k, x] : extra.items()) row[k] = x;
    rows.push_back(row);
    std::fprintf(stderr, "tally_bench: %-58s %8.3fs  pass %7.4fs  x%.2f\n", label.c_str(), v, a,
                 v / a);
  };

  for (const auto& c : cases) {
    const BallotSet& b = *c.ballots;
    for (Method m : c.methods) {
      std::vector<double> times;
      std::vector<double> pass;
      std::string winners;
      for (int r = 0; r < rounds; ++r) {
        t0 = Clock::now();
        g_sink = g_sink + plain_pass(b);
        pass.push_back(seconds_since(t0));
        t0 = Clock::now();
        const Result res = tally(m, b, c.options);
        times.push_back(seconds_since(t0));
        if (r == 0) {
          for (int32_t w : res.winners) winners += (winners.empty() ? "" : ",") + std::to_string(w);
          if (times[0] > slow_s) break;
        }
      }
      const bool is_ranked = ballot_kind(m) == BallotKind::ranking;
      std::string label = std::string(method_name(m)) + ", " + count_text(b.size()) +
                          " ballots x " + std::to_string(b.option_count) +
                          (is_ranked ? " candidates" : " options");
      if (c.options.seats > 1) label += ", " + std::to_string(c.options.seats) + " seats";
      if (is_ranked) label += " (" + std::to_string(groups) + " groups)";
      Json extra{{"winners", winners}};
      if (is_ranked) extra["groups"] = groups;
      add_row(label, b, times, pass, extra);
    }
  }
  // Grouping alone, the step that makes the ranked methods independent of
  // the number of ballots.
  {
    std::vector<double> times;
    std::vector<double> pass;
    for (int r = 0; r < rounds; ++r) {
      t0 = Clock::now();
      g_sink = g_sink + plain_pass(ranking);
      pass.push_back(seconds_since(t0));
      t0 = Clock::now();
      g_sink = g_sink + group_identical(ranking).size();
      times.push_back(seconds_since(t0));
    }
    add_row("group_identical, " + count_text(ranking.size()) + " ranked ballots (" +
                std::to_string(groups) + " groups)",
            ranking, times, pass, Json{{"groups", groups}});
  }

  Json doc{{"benchmark", "tally"}, {"scale", scale}, {"rows", rows}};
  std::ofstream out(argv[2]);
  out << doc.dump(2) << "\n";
  if (!out) {
    std::fprintf(stderr, "tally_bench: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
