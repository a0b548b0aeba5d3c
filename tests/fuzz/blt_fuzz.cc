// libFuzzer target for the ballot file readers behind `agora tally`: on
// arbitrary bytes read_blt and read_ballots_json either return a coherent
// file (every ballot's items in range, one name per option) or throw
// agora::Error naming a line; anything else escaping is a crash.
// Single-threaded, as libFuzzer calls it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/assert.h"
#include "core/error.h"
#include "governance/ballot_files.h"

namespace {

void check(const agora::governance::BallotFile& f) {
  const auto& b = f.ballots;
  AGORA_ASSERT(b.option_count == static_cast<int32_t>(f.names.size()));
  AGORA_ASSERT(b.starts.size() == b.size() + 1);
  for (size_t i = 0; i < b.size(); ++i) {
    AGORA_ASSERT(b.weights[i] >= 1);
    for (int32_t o : b.ballot(i)) AGORA_ASSERT(o >= 0 && o < b.option_count);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto f = agora::governance::read_blt(text, "fuzz.blt");
    check(f);
    // What was read writes back and reads again to the same ballots.
    auto again = agora::governance::read_blt(agora::governance::write_blt(f), "again.blt");
    AGORA_ASSERT(again.names == f.names);
    AGORA_ASSERT(again.ballots.total_weight() == f.ballots.total_weight());
  } catch (const agora::Error& e) {
    AGORA_ASSERT(e.code() == agora::Code::bad_file);
  }
  try {
    check(agora::governance::read_ballots_json(text, "fuzz.json"));
  } catch (const agora::Error& e) {
    AGORA_ASSERT(e.code() == agora::Code::bad_file);
  }
  return 0;
}
