#pragma once
// The one registry of error codes (stable strings clients may rely on), each
// mapped once to an HTTP status, and the Error type that carries them.
// Thread-safe: everything here is immutable.

#include <stdexcept>
#include <string>
#include <string_view>

namespace agora {

// X(enumerator, "stable_code", http_status, "title")
// Append new codes; never rename or renumber an existing one.
#define AGORA_ERROR_CODES(X)                                                        \
  X(bad_request, "bad_request", 400, "Bad request")                                 \
  X(malformed_json, "malformed_json", 400, "Malformed JSON")                        \
  X(unknown_field, "unknown_field", 400, "Unknown field")                           \
  X(wrong_type, "wrong_type", 400, "Wrong type")                                    \
  X(missing_field, "missing_field", 422, "Missing field")                           \
  X(out_of_range, "out_of_range", 422, "Value out of range")                        \
  X(invalid_value, "invalid_value", 422, "Invalid value")                           \
  X(rule_violation, "rule_violation", 422, "Refused by the co-op's rules")          \
  X(invalid_state, "invalid_state", 409, "Not allowed in the current state")        \
  X(unauthenticated, "unauthenticated", 401, "Authentication required")             \
  X(bad_credentials, "bad_credentials", 401, "Wrong email or password")             \
  X(forbidden, "forbidden", 403, "Not allowed")                                     \
  X(not_found, "not_found", 404, "Not found")                                       \
  X(method_not_allowed, "method_not_allowed", 405, "Method not allowed")            \
  X(conflict, "conflict", 409, "Conflict")                                          \
  X(duplicate, "duplicate", 409, "Already exists")                                  \
  X(payload_too_large, "payload_too_large", 413, "Request body too large")          \
  X(unsupported_media_type, "unsupported_media_type", 415, "Unsupported media type") \
  X(rate_limited, "rate_limited", 429, "Too many attempts")                         \
  X(header_too_large, "header_too_large", 431, "Request header too large")          \
  X(internal, "internal", 500, "Internal error")                                    \
  X(unavailable, "unavailable", 503, "Service unavailable")                         \
  X(timeout, "timeout", 504, "Request took too long")                               \
  X(bad_config, "bad_config", 500, "Bad configuration")                             \
  X(bad_file, "bad_file", 422, "Bad file")                                          \
  X(database, "database", 500, "Database error")

enum class Code {
#define AGORA_X(e, s, h, t) e,
  AGORA_ERROR_CODES(AGORA_X)
#undef AGORA_X
};

std::string_view code_name(Code code);   // "not_found"
int http_status(Code code);              // 404
std::string_view code_title(Code code);  // "Not found"

// An expected failure: bad input, a rule refusing a command, a conflict.
// `field` names the offending input (a JSON pointer such as "/email", a CSV
// column, a flag) when there is one.
class Error : public std::runtime_error {
 public:
  Error(Code code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), code_(code), field_(std::move(field)) {}

  Code code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  Code code_;
  std::string field_;
};

}  // namespace agora
