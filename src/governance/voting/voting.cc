#include "governance/voting/voting.h"

#include <string>

#include "core/error.h"

namespace agora::governance::voting {

namespace {
struct MethodInfo {
  Method method;
  std::string_view name;
  BallotKind kind;
};
constexpr MethodInfo kMethods[] = {
    {Method::majority, "majority", BallotKind::choice},
    {Method::consent, "consent", BallotKind::choice},
    {Method::approval, "approval", BallotKind::marks},
    {Method::score, "score", BallotKind::scores},
    {Method::star, "star", BallotKind::scores},
    {Method::dot, "dot", BallotKind::scores},
    {Method::plurality, "plurality", BallotKind::choice},
    {Method::irv, "irv", BallotKind::ranking},
    {Method::schulze, "schulze", BallotKind::ranking},
    {Method::ranked_pairs, "ranked_pairs", BallotKind::ranking},
    {Method::scottish_stv, "scottish_stv", BallotKind::ranking},
    {Method::meek_stv, "meek_stv", BallotKind::ranking},
};
const MethodInfo& info(Method m) {
  for (const auto& i : kMethods)
    if (i.method == m) return i;
  throw Error(Code::internal, "unknown voting method");
}
}  // namespace

std::string_view method_name(Method m) { return info(m).name; }

std::optional<Method> parse_method(std::string_view s) {
  for (const auto& i : kMethods)
    if (i.name == s) return i.method;
  return std::nullopt;
}

const std::vector<Method>& all_methods() {
  static const std::vector<Method> all = [] {
    std::vector<Method> v;
    for (const auto& i : kMethods) v.push_back(i.method);
    return v;
  }();
  return all;
}

BallotKind ballot_kind(Method m) { return info(m).kind; }

std::string_view ballot_kind_name(BallotKind k) {
  switch (k) {
    case BallotKind::choice: return "choice";
    case BallotKind::marks: return "marks";
    case BallotKind::scores: return "scores";
    case BallotKind::ranking: return "ranking";
  }
  return "choice";
}

bool meets(int64_t part, int64_t whole, const Threshold& t) {
  if (whole <= 0 || t.ratio.den <= 0) return false;
  // part/whole > num/den  <=>  part*den > num*whole
  __int128 lhs = static_cast<__int128>(part) * t.ratio.den;
  __int128 rhs = static_cast<__int128>(t.ratio.num) * whole;
  return t.strict ? lhs > rhs : lhs >= rhs;
}

Json to_json(const Result& r, Method m, const Options& o) {
  Json j = Json::object();
  j["method"] = std::string(method_name(m));
  std::vector<std::string> names = o.names;
  int32_t n = static_cast<int32_t>(r.counts.size());
  if (m == Method::majority) names = kMajorityOptions;
  if (m == Method::consent) names = kConsentOptions;
  if (names.empty())
    for (int32_t i = 0; i < n; ++i) names.push_back(std::to_string(i + 1));
  j["options"] = names;
  j["seats"] = o.seats;
  j["ballots"] = r.ballots;
  j["blank"] = r.blank;
  j["invalid"] = r.invalid;
  j["counts"] = r.counts;
  j["winners"] = r.winners;
  Json elected = Json::array();
  for (int32_t w : r.winners)
    elected.push_back(w >= 0 && static_cast<size_t>(w) < names.size() ? names[w] : std::to_string(w + 1));
  j["elected"] = elected;
  j["tie_breaks"] = Json::array();
  for (const auto& [k, v] : r.working.items()) j[k] = v;
  return j;
}

Result tally(Method method, const BallotSet& ballots, const Options& options) {
  int32_t n = ballots.option_count;
  if (method == Method::majority || method == Method::consent) {
    if (n != 3) throw Error(Code::invalid_value, "a motion has exactly three options", "options");
  } else {
    if (n < 1) throw Error(Code::invalid_value, "there must be at least one option", "options");
    if (n > kMaxOptions)
      throw Error(Code::out_of_range, "at most " + std::to_string(kMaxOptions) + " options", "options");
    if (!options.names.empty() && static_cast<int32_t>(options.names.size()) != n)
      throw Error(Code::invalid_value, "one name per option", "options");
  }
  if (options.seats < 1) throw Error(Code::out_of_range, "seats must be at least 1", "seats");
  if (options.seats != 1 && (method == Method::irv || method == Method::star))
    throw Error(Code::invalid_value,
                std::string(method_name(method)) +
                    " elects one option; use scottish_stv or meek_stv for several seats",
                "seats");
  if (options.score_max < 1 || options.score_max > 1000)
    throw Error(Code::out_of_range, "score_max must be 1..1000", "score_max");
  if (options.dots < 1 || options.dots > 1000000)
    throw Error(Code::out_of_range, "dots must be 1..1000000", "dots");
  switch (method) {
    case Method::majority: return tally_majority(ballots, options);
    case Method::consent: return tally_consent(ballots, options);
    case Method::approval: return tally_approval(ballots, options);
    case Method::score: return tally_score(ballots, options);
    case Method::star: return tally_star(ballots, options);
    case Method::dot: return tally_dot(ballots, options);
    case Method::plurality: return tally_plurality(ballots, options);
    case Method::irv: return tally_irv(ballots, options);
    case Method::schulze: return tally_schulze(ballots, options);
    case Method::ranked_pairs: return tally_ranked_pairs(ballots, options);
    case Method::scottish_stv: return tally_scottish_stv(ballots, options);
    case Method::meek_stv: return tally_meek_stv(ballots, options);
  }
  throw Error(Code::internal, "unknown voting method");
}

}  // namespace agora::governance::voting
