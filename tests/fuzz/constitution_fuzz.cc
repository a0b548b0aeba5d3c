// libFuzzer target for the constitution reader: on arbitrary bytes
// parse_constitution either returns a constitution whose canonical TOML reads
// back to the same constitution (and whose JSON can be written), or throws
// agora::Error with one of the codes it documents; anything else escaping is
// a crash. Single-threaded, as libFuzzer calls it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/assert.h"
#include "core/error.h"
#include "governance/constitution.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto c = agora::governance::parse_constitution(text);
    const auto again = agora::governance::parse_constitution(agora::governance::to_toml(c));
    AGORA_ASSERT(again == c);
    AGORA_ASSERT(agora::governance::to_json(c) == agora::governance::to_json(again));
  } catch (const agora::Error& e) {
    AGORA_ASSERT(e.code() == agora::Code::bad_file || e.code() == agora::Code::invalid_value ||
                 e.code() == agora::Code::out_of_range);
  }
  return 0;
}
