// Placeholders until the methods land; each file that implements a method
// removes its placeholder here (and this file goes when it is empty).
#include "core/error.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
namespace {
[[noreturn]] void pending(const char* m) { throw Error(Code::internal, std::string(m) + " is not built yet"); }
}  // namespace
Result tally_majority(const BallotSet&, const Options&) { pending("majority"); }
Result tally_consent(const BallotSet&, const Options&) { pending("consent"); }
Result tally_approval(const BallotSet&, const Options&) { pending("approval"); }
Result tally_score(const BallotSet&, const Options&) { pending("score"); }
Result tally_star(const BallotSet&, const Options&) { pending("star"); }
Result tally_dot(const BallotSet&, const Options&) { pending("dot"); }
Result tally_plurality(const BallotSet&, const Options&) { pending("plurality"); }
Result tally_irv(const BallotSet&, const Options&) { pending("irv"); }
Result tally_schulze(const BallotSet&, const Options&) { pending("schulze"); }
Result tally_ranked_pairs(const BallotSet&, const Options&) { pending("ranked_pairs"); }
}  // namespace agora::governance::voting
