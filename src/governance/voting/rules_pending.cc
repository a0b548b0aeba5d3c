// Placeholder until rules.cc lands.
#include "core/error.h"
#include "governance/voting/rules.h"

namespace agora::governance::voting {
std::string_view outcome_name(Outcome o) {
  return o == Outcome::passed ? "passed" : o == Outcome::rejected ? "rejected" : "no_quorum";
}
Json Decision::to_json() const { return Json::object(); }
Decision decide(Method, const Result&, const DecisionRule&, int64_t) { throw Error(Code::internal, "decide is not built yet"); }
Ratio parse_ratio(std::string_view) { throw Error(Code::internal, "parse_ratio is not built yet"); }
std::string ratio_text(Ratio r) { return std::to_string(r.num) + "/" + std::to_string(r.den); }
}  // namespace agora::governance::voting
