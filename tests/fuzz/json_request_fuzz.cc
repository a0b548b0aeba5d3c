// libFuzzer target for the JSON request decoding: parse_json on arbitrary
// bytes, then JsonReader reading the shapes the API's commands use (create a
// co-op with its classes, apply for membership, log in). Any exception other
// than agora::Error, any sanitizer report or a stack overflow is a bug.
// Single-threaded, as libFuzzer calls it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/assert.h"
#include "core/error.h"
#include "core/json.h"

namespace {

using agora::Json;
using agora::JsonReader;

void read_class(const Json& j, const std::string& path) {
  JsonReader r(j, path);
  r.str("code", 1, 32);
  r.str("name", 1, 200);
  r.i64("share_price_minor", 0, 100'000'000'000);
  r.i64("min_shares", 0, 1'000'000);
  r.done();
}

// POST /api/v1/orgs, with an optional nested list of classes.
void read_create_org(const Json& body) {
  JsonReader r(body);
  r.opt_i64("parent_id", 1, INT64_MAX);
  r.enumeration("kind", {"federation", "consumer", "worker", "producer", "multi_stakeholder",
                         "secondary", "informal"});
  r.str("name", 1, 200);
  r.str("slug", 1, 64);
  r.opt_str("territory", 0, 200);
  r.opt_enumeration("admission", {"coordinator", "automatic"});
  r.opt_str("currency", 3, 3);
  if (const Json* classes = r.opt_array("classes", 20)) {
    for (size_t i = 0; i < classes->size(); ++i) {
      read_class((*classes)[i], r.pointer("classes") + "/" + std::to_string(i));
    }
  }
  if (const Json* meta = r.opt_object("meta")) {
    JsonReader m(*meta, r.pointer("meta"));
    m.opt_boolean("public");
    m.done();
  }
  r.done();
}

// POST /api/v1/orgs/{id}/applications
void read_application(const Json& body) {
  JsonReader r(body);
  r.str("class", 1, 32);
  r.i64("shares", 1, 1'000'000);
  r.opt_i64("member_org_id", 1, INT64_MAX);
  r.opt_str("message", 0, 2000);
  r.done();
}

// POST /api/v1/auth/login
void read_login(const Json& body) {
  JsonReader r(body);
  r.str("email", 3, 254);
  r.str("password", 1, 1024);
  r.done();
}

template <typename F>
void expect_only_agora_errors(F&& f, const Json& body) {
  try {
    f(body);
  } catch (const agora::Error&) {
    // Refusing bad input with a coded error is the expected outcome.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Json body;
  try {
    body = agora::parse_json(text);
  } catch (const agora::Error& e) {
    AGORA_ASSERT(e.code() == agora::Code::malformed_json);
    return 0;
  }
  // What parsed must serialize (the journal hashes the dump) and parse back
  // to the same value.
  const std::string dumped = body.dump();
  AGORA_ASSERT(agora::parse_json(dumped) == body);

  if (body.is_object()) {
    expect_only_agora_errors(read_create_org, body);
    expect_only_agora_errors(read_application, body);
    expect_only_agora_errors(read_login, body);
  } else {
    try {
      JsonReader r(body);
      AGORA_ASSERT(false && "JsonReader accepted a non-object");
    } catch (const agora::Error& e) {
      AGORA_ASSERT(e.code() == agora::Code::wrong_type);
    }
  }
  return 0;
}
