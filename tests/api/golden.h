#pragma once
// The golden-file format of tests/api/cases/*.test (see docs in
// golden.cc) and the matcher that compares an expected JSON text, with
// {{any}} / {{capture:NAME}} / {{NAME}}, against an actual response.
// Not thread-safe: a Captures map belongs to one file's run.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"

namespace agora::test_api {

struct Exchange {
  std::string title;
  int line = 0;  // of the "###" line
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int expected_status = 0;
  std::string expected_body;  // "" means an empty body; "-" means don't check
  int64_t clock_advance_us = 0;  // @clock lines before this exchange, summed
};

// Parses a .test file; throws std::runtime_error naming the line on a bad file.
std::vector<Exchange> parse_golden(const std::string& text, const std::string& file_name);

using Captures = std::map<std::string, Json>;

// Replaces {{NAME}} by captured values (strings raw, others as JSON text);
// leaves {{any}} and {{capture:...}} alone. Throws on an unknown name.
std::string substitute(const std::string& text, const Captures& captures);

// Compares; appends one line per mismatch ("/items/0/id: expected 3, got 4")
// and stores captures.
void match_json(const Json& expected, const Json& actual, const std::string& path,
                Captures& captures, std::vector<std::string>& mismatches);

}  // namespace agora::test_api
