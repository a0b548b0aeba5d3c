// libFuzzer target for the CSV reader behind `agora import members`: arbitrary
// bytes must never crash it or throw, and what it accepts must be coherent
// (every kept record has the header's width, lines only go forward, bounds
// hold). Single-threaded, as libFuzzer calls it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/import_csv.h"
#include "core/assert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  agora::app::csv::Limits limits{.max_bytes = 1 << 16, .max_records = 200, .max_fields = 16,
                                 .max_field_bytes = 256};
  auto table = agora::app::csv::parse(text, limits);
  AGORA_ASSERT(table.records.size() <= limits.max_records);
  // An over-wide header is kept (one field past the bound) but always reported.
  AGORA_ASSERT(table.header.size() <= limits.max_fields + 1);
  AGORA_ASSERT(table.header.size() <= limits.max_fields || !table.problems.empty());
  int64_t last_line = table.header_line;
  for (const auto& rec : table.records) {
    AGORA_ASSERT(rec.fields.size() == table.header.size());
    AGORA_ASSERT(rec.line > last_line);
    last_line = rec.line;
    for (const auto& f : rec.fields) AGORA_ASSERT(f.size() <= limits.max_field_bytes);
  }
  (void)agora::app::csv::valid_utf8(text);
  return 0;
}
