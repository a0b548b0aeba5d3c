// Placeholders until STV lands (removed by scottish_stv.cc / meek_stv.cc).
#include "core/error.h"
#include "governance/voting/voting.h"

namespace agora::governance::voting {
Result tally_scottish_stv(const BallotSet&, const Options&) {
  throw Error(Code::internal, "scottish_stv is not built yet");
}
Result tally_meek_stv(const BallotSet&, const Options&) { throw Error(Code::internal, "meek_stv is not built yet"); }
}  // namespace agora::governance::voting
