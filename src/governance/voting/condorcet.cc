// The Condorcet methods: Schulze (widest paths) and ranked pairs (Tideman).
//
// Both start from the pairwise matrix d[i][j], the weight of ballots ranking
// i above j, built over groups of identical ballots (group_identical) in
// O(groups x ranked^2 + options^2). An option a ballot leaves unranked is
// below every ranked one and equal to the other unranked ones.
//
// Choices made where the methods leave room:
// - A ranking naming an option outside 0..n-1 or the same option twice is
//   invalid ("option out of range", "repeated option"): its weight goes to
//   Result::invalid and working["invalid_reasons"].
// - counts are first preferences. With no valid, non-blank ballot there is no
//   ranking and no winner.
// - Winners are the first `seats` options of the method's ranking (one, the
//   Schulze or ranked-pairs winner, unless more seats are asked for).
// - Schulze (M. Schulze, "A new monotonic, clone-independent, reversal
//   symmetric, and Condorcet-consistent single-winner election method",
//   Social Choice and Welfare 36, 2011): link strength by winning votes
//   (p[i][j] = d[i][j] when d[i][j] > d[j][i], else 0), strongest paths by
//   the widest-path Floyd-Warshall variant in O(C^3). The ranking places a
//   before b when p[a][b] > p[b][a]; options the relation leaves level are
//   ordered by lot (stage "rank N"), recorded in tie_breaks.
// - Ranked pairs (T.N. Tideman 1987): majorities sorted by margin, then by
//   the larger winning votes; pairs still equal follow a tie-breaking ranking
//   of the options drawn by lot (stage "ranked pairs"), as Zavist and
//   Tideman (1989) prescribe: the pair whose winner ranks higher in it first,
//   and for the same winner the pair whose loser ranks lower. Such a draw is
//   recorded in tie_breaks (with the "order" it gave) when a pair in the tied
//   group was not locked, as only then can it matter. A pair is locked unless
//   it closes a cycle; the ranking is the locked graph's order, sources first,
//   level options by lot (stage "rank N").

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "governance/voting/ties.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {

void add_weight(int64_t& acc, int64_t w) {
  if (__builtin_add_overflow(acc, w, &acc))
    throw Error(Code::out_of_range, "the vote totals do not fit in 64 bits", "ballots");
}

struct Pairwise {
  Result r;
  int64_t cast = 0;
  int32_t n = 0;
  std::vector<int64_t> d;  // n x n, row-major
};

Pairwise pairwise(const BallotSet& in, int32_t seats) {
  const BallotSet g = group_identical(in);
  Pairwise pw;
  const int32_t n = g.option_count;
  pw.n = n;
  const auto un = static_cast<uint32_t>(n);
  Result& r = pw.r;
  int64_t out_of_range = 0, repeated = 0;
  std::vector<uint8_t> valid(g.size(), 0);
  std::vector<uint32_t> seen(n, 0);
  uint32_t stamp = 0;
  auto next_stamp = [&] {
    if (++stamp == 0) {
      std::fill(seen.begin(), seen.end(), 0);
      stamp = 1;
    }
  };
  for (size_t i = 0; i < g.size(); ++i) {
    const int64_t w = g.weights[i];
    auto items = g.ballot(i);
    if (items.empty()) {
      add_weight(r.blank, w);
      continue;
    }
    next_stamp();
    bool ok = true;
    for (int32_t x : items) {
      const auto u = static_cast<uint32_t>(x);
      if (u >= un || seen[u] == stamp) {
        add_weight(u >= un ? out_of_range : repeated, w);
        ok = false;
        break;
      }
      seen[u] = stamp;
    }
    if (ok) {
      valid[i] = 1;
      add_weight(pw.cast, w);
    } else {
      add_weight(r.invalid, w);
    }
  }
  r.ballots = pw.cast;
  add_weight(r.ballots, r.blank);
  int64_t everything = r.ballots;
  add_weight(everything, r.invalid);
  Json reasons = Json::object();
  if (out_of_range > 0) reasons["option out of range"] = out_of_range;
  if (repeated > 0) reasons["repeated option"] = repeated;
  r.working["invalid_reasons"] = reasons;
  r.working["seats"] = seats;
  r.working["tie_breaks"] = Json::array();

  // d[a][b] = (weight ranking a) - (weight ranking b above a): a ballot
  // ranking a puts it above b unless it ranks b higher. So each ballot costs
  // O(ranked^2 / 2), not O(ranked x options). Every entry is at most `cast`,
  // which fits: plain adds.
  r.counts.assign(n, 0);
  std::vector<int64_t> ranked(n, 0);
  pw.d.assign(static_cast<size_t>(n) * n, 0);  // first P[b][a], then d
  int64_t* above = pw.d.data();
  for (size_t i = 0; i < g.size(); ++i) {
    if (!valid[i]) continue;
    const int64_t w = g.weights[i];
    auto items = g.ballot(i);
    r.counts[items[0]] += w;
    for (size_t x = 0; x < items.size(); ++x) {
      ranked[items[x]] += w;
      int64_t* row = above + static_cast<size_t>(items[x]) * n;
      for (size_t y = x + 1; y < items.size(); ++y) row[items[y]] += w;
    }
  }
  // Now above[b][a] is P[b][a]; turn the matrix into d in place, pairwise.
  for (int32_t a = 0; a < n; ++a) {
    above[static_cast<size_t>(a) * n + a] = 0;
    for (int32_t b = a + 1; b < n; ++b) {
      int64_t& ab = above[static_cast<size_t>(a) * n + b];
      int64_t& ba = above[static_cast<size_t>(b) * n + a];
      const int64_t p_ab = ab, p_ba = ba;
      ab = ranked[a] - p_ba;
      ba = ranked[b] - p_ab;
    }
  }
  return pw;
}

Json matrix_json(const std::vector<int64_t>& m, int32_t n) {
  Json j = Json::array();
  for (int32_t i = 0; i < n; ++i)
    j.push_back(std::vector<int64_t>(m.begin() + static_cast<ptrdiff_t>(i) * n,
                                     m.begin() + static_cast<ptrdiff_t>(i + 1) * n));
  return j;
}

// Orders all options: repeatedly takes those no remaining option is above
// (`above(x, a)`), drawing by lot among several.
template <class Above>
std::vector<int32_t> rank_options(int32_t n, Above above, Result& r, uint64_t seed) {
  std::vector<int32_t> left(n);
  for (int32_t x = 0; x < n; ++x) left[x] = x;
  std::vector<int32_t> ranking;
  while (!left.empty()) {
    std::vector<int32_t> top;
    for (int32_t a : left) {
      bool beaten = false;
      for (int32_t x : left)
        if (x != a && above(x, a)) {
          beaten = true;
          break;
        }
      if (!beaten) top.push_back(a);
    }
    // The relations used are acyclic, so some option is unbeaten.
    if (top.empty()) throw Error(Code::internal, "no unbeaten option in a ranking");
    int32_t pick = top[0];
    if (top.size() > 1) {
      const std::string stage = "rank " + std::to_string(ranking.size() + 1);
      pick = draw_lot(seed, stage, top);
      r.working["tie_breaks"].push_back(
          Json{{"stage", stage}, {"between", top}, {"rule", "lot"}, {"chosen", pick}});
    }
    ranking.push_back(pick);
    left.erase(std::find(left.begin(), left.end(), pick));
  }
  return ranking;
}

void set_winners(Result& r, const std::vector<int32_t>& ranking, int32_t seats) {
  r.winners.assign(ranking.begin(),
                   ranking.begin() + std::min<size_t>(ranking.size(), static_cast<size_t>(seats)));
}

}  // namespace

Result tally_schulze(const BallotSet& b, const Options& o) {
  Pairwise pw = pairwise(b, o.seats);
  Result& r = pw.r;
  const int32_t n = pw.n;
  const auto& d = pw.d;
  auto at = [n](int32_t i, int32_t j) { return static_cast<size_t>(i) * n + j; };
  std::vector<int64_t> p(d.size(), 0);
  for (int32_t i = 0; i < n; ++i)
    for (int32_t j = 0; j < n; ++j)
      if (i != j && d[at(i, j)] > d[at(j, i)]) p[at(i, j)] = d[at(i, j)];
  for (int32_t i = 0; i < n; ++i)
    for (int32_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const int64_t ji = p[at(j, i)];
      if (ji == 0) continue;  // min(0, x) improves nothing
      for (int32_t k = 0; k < n; ++k)
        if (k != i && k != j) p[at(j, k)] = std::max(p[at(j, k)], std::min(ji, p[at(i, k)]));
    }
  r.working["pairwise"] = matrix_json(d, n);
  r.working["strongest_paths"] = matrix_json(p, n);
  std::vector<int32_t> ranking;
  if (pw.cast > 0)
    ranking = rank_options(
        n, [&](int32_t x, int32_t a) { return p[at(x, a)] > p[at(a, x)]; }, r, o.tie_seed);
  r.working["ranking"] = ranking;
  set_winners(r, ranking, o.seats);
  return std::move(r);
}

Result tally_ranked_pairs(const BallotSet& b, const Options& o) {
  Pairwise pw = pairwise(b, o.seats);
  Result& r = pw.r;
  const int32_t n = pw.n;
  const auto& d = pw.d;
  auto at = [n](int32_t i, int32_t j) { return static_cast<size_t>(i) * n + j; };
  struct Pair {
    int32_t winner, loser;
    int64_t margin, votes;
  };
  std::vector<Pair> pairs;
  for (int32_t i = 0; i < n; ++i)
    for (int32_t j = 0; j < n; ++j)
      if (d[at(i, j)] > d[at(j, i)])
        pairs.push_back({i, j, d[at(i, j)] - d[at(j, i)], d[at(i, j)]});
  // The tie-breaking ranking of options: position by lot.
  std::vector<int32_t> tbrc(n);
  {
    std::vector<int32_t> order(n);
    for (int32_t x = 0; x < n; ++x) order[x] = x;
    std::sort(order.begin(), order.end(), [&](int32_t x, int32_t y) {
      const uint64_t vx = lot_value(o.tie_seed, "ranked pairs", x);
      const uint64_t vy = lot_value(o.tie_seed, "ranked pairs", y);
      return vx != vy ? vx < vy : x < y;
    });
    for (int32_t k = 0; k < n; ++k) tbrc[order[k]] = k;
  }
  auto level = [](const Pair& x, const Pair& y) {
    return x.margin == y.margin && x.votes == y.votes;
  };
  std::sort(pairs.begin(), pairs.end(), [&](const Pair& x, const Pair& y) {
    if (x.margin != y.margin) return x.margin > y.margin;
    if (x.votes != y.votes) return x.votes > y.votes;
    if (x.winner != y.winner) return tbrc[x.winner] < tbrc[y.winner];
    return tbrc[x.loser] > tbrc[y.loser];
  });
  // reach[x][y]: y is reachable from x over locked pairs (transitive closure).
  std::vector<uint8_t> reach(d.size(), 0);
  std::vector<uint8_t> locked(pairs.size(), 0);
  for (size_t k = 0; k < pairs.size(); ++k) {
    const int32_t a = pairs[k].winner, z = pairs[k].loser;
    if (reach[at(z, a)]) continue;  // would close a cycle
    locked[k] = 1;
    if (reach[at(a, z)]) continue;  // already implied
    for (int32_t x = 0; x < n; ++x) {
      if (x != a && !reach[at(x, a)]) continue;
      reach[at(x, z)] = 1;
      for (int32_t y = 0; y < n; ++y)
        if (reach[at(z, y)]) reach[at(x, y)] = 1;
    }
  }
  Json pj = Json::array();
  for (size_t k = 0; k < pairs.size(); ++k)
    pj.push_back(Json{{"winner", pairs[k].winner},
                      {"loser", pairs[k].loser},
                      {"margin", pairs[k].margin},
                      {"locked", locked[k] == 1}});
  // Record each lot-ordered group of level pairs in which a pair was refused.
  for (size_t s = 0; s < pairs.size();) {
    size_t e = s + 1;
    while (e < pairs.size() && level(pairs[s], pairs[e])) ++e;
    bool refused = false;
    for (size_t k = s; k < e; ++k) refused = refused || !locked[k];
    if (e - s > 1 && refused) {
      std::vector<int32_t> between;
      Json order = Json::array();
      for (size_t k = s; k < e; ++k) {
        between.push_back(pairs[k].winner);
        between.push_back(pairs[k].loser);
        order.push_back({pairs[k].winner, pairs[k].loser});
      }
      std::sort(between.begin(), between.end());
      between.erase(std::unique(between.begin(), between.end()), between.end());
      r.working["tie_breaks"].push_back(
          Json{{"stage", "pairs with margin " + std::to_string(pairs[s].margin)},
               {"between", between},
               {"rule", "lot"},
               {"chosen", pairs[s].winner},
               {"order", order}});
    }
    s = e;
  }
  r.working["pairwise"] = matrix_json(d, n);
  r.working["pairs"] = pj;
  std::vector<int32_t> ranking;
  if (pw.cast > 0)
    ranking = rank_options(
        n, [&](int32_t x, int32_t a) { return reach[at(x, a)] == 1; }, r, o.tie_seed);
  r.working["ranking"] = ranking;
  set_winners(r, ranking, o.seats);
  return std::move(r);
}

}  // namespace agora::governance::voting
