#pragma once
// JSON for Agora (nlohmann::json), with strict readers that turn a request
// body into typed values: unknown fields, wrong types and out-of-range values
// become an Error naming the field as a JSON pointer. Not thread-safe per
// reader; readers are cheap and live for one request.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agora {

using Json = nlohmann::json;

// Parses text; throws Error(malformed_json) with the byte offset.
Json parse_json(std::string_view text);

// Reads an object field by field. Call done() at the end: it refuses any field
// that was not read (Error unknown_field).
class JsonReader {
 public:
  // `path` is the JSON pointer of `obj` in the request ("" for the body).
  explicit JsonReader(const Json& obj, std::string path = "");

  std::string str(std::string_view key, size_t min_len, size_t max_len);
  std::optional<std::string> opt_str(std::string_view key, size_t min_len, size_t max_len);
  int64_t i64(std::string_view key, int64_t min, int64_t max);
  std::optional<int64_t> opt_i64(std::string_view key, int64_t min, int64_t max);
  bool boolean(std::string_view key);
  std::optional<bool> opt_boolean(std::string_view key);
  // One of `allowed`; Error(invalid_value) otherwise.
  std::string enumeration(std::string_view key, std::initializer_list<std::string_view> allowed);
  std::optional<std::string> opt_enumeration(std::string_view key,
                                             std::initializer_list<std::string_view> allowed);
  // A nested object or array, returned raw; marks the key as read.
  const Json& object(std::string_view key);
  const Json* opt_object(std::string_view key);
  const Json& array(std::string_view key, size_t max_items);
  const Json* opt_array(std::string_view key, size_t max_items);
  bool has(std::string_view key) const;

  std::string pointer(std::string_view key) const;  // "/members/3/email"
  void done();

 private:
  const Json* find(std::string_view key);
  const Json& obj_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace agora
