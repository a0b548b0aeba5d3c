#pragma once
// An RFC 4180 CSV reader for the import commands: quoted fields with embedded
// commas, quotes and line breaks, CRLF or LF line ends, UTF-8 with an optional
// byte-order mark. It reports every malformed record with its line number and
// keeps going where it can, so a user fixes a file in one pass.
// Written by hand: Debian has no small, maintained C++ CSV library that
// reports per-record errors with line numbers and enforces size bounds.
// Thread-safe: pure functions over the text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agora::app::csv {

struct Limits {
  size_t max_bytes = 50u << 20;  // whole file
  size_t max_records = 100000;   // data records, not counting the header
  size_t max_fields = 64;        // per record
  size_t max_field_bytes = 1024;
};

struct Record {
  int64_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

struct Problem {
  int64_t line = 0;  // 0 when it concerns the whole file
  std::string message;
};

struct Table {
  std::vector<std::string> header;  // empty when the file has no records
  int64_t header_line = 0;
  std::vector<Record> records;      // well-formed data records only
  std::vector<Problem> problems;    // malformed records and file-level errors, in line order
  bool truncated = false;           // parsing stopped early (a fatal problem or a bound)
};

// Parses `text` as CSV. The first non-blank record is the header. Blank lines
// are skipped. A record whose field count differs from the header's is a
// problem. Never throws for bad input: every problem lands in Table::problems.
Table parse(std::string_view text, const Limits& limits = {});

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s);

}  // namespace agora::app::csv
