// Regression tests for parse_json's edges, found by tests/fuzz/json_request_fuzz.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/json.h"

namespace agora {
namespace {

Code code_of_parsing(const std::string& text) {
  try {
    parse_json(text);
  } catch (const Error& e) {
    return e.code();
  }
  return Code::internal;  // parsed: no Error
}

TEST(ParseJson, NumberTooLargeForADoubleIsMalformedNotACrash) {
  EXPECT_EQ(code_of_parsing(R"({"f":2.5e308})"), Code::malformed_json);
  EXPECT_EQ(code_of_parsing("-1e400"), Code::malformed_json);
}

TEST(ParseJson, NestingIsBoundedSoLaterRecursionCannotOverflowTheStack) {
  EXPECT_EQ(code_of_parsing(std::string(100000, '[') + std::string(100000, ']')),
            Code::malformed_json);
  EXPECT_EQ(code_of_parsing(std::string(129, '[') + std::string(129, ']')), Code::malformed_json);
  Json ok = parse_json(std::string(128, '[') + std::string(128, ']'));
  EXPECT_TRUE(ok.is_array());
}

TEST(ParseJson, TruncatedAndInvalidUtf8AreMalformed) {
  EXPECT_EQ(code_of_parsing(R"({"kind":"consumer","name":"Co)"), Code::malformed_json);
  EXPECT_EQ(code_of_parsing("{\"s\":\"\xc3\x28\"}"), Code::malformed_json);
  EXPECT_EQ(code_of_parsing(""), Code::malformed_json);
}

}  // namespace
}  // namespace agora
