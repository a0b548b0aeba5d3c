#include "core/json.h"

#include "core/error.h"

namespace agora {

// nlohmann's parser is iterative, but dump(), copies and comparisons recurse:
// a body of a million '[' would overflow the stack later, so refuse it here.
constexpr int kMaxJsonDepth = 128;

Json parse_json(std::string_view text) {
  auto bound_depth = [](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth) {
      throw Error(Code::malformed_json,
                  "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), bound_depth);
  } catch (const Json::parse_error& e) {
    throw Error(Code::malformed_json,
                "malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e400") is reported this way.
    throw Error(Code::malformed_json, std::string("malformed JSON: ") + e.what());
  }
}

JsonReader::JsonReader(const Json& obj, std::string path) : obj_(obj), path_(std::move(path)) {
  if (!obj_.is_object()) throw Error(Code::wrong_type, "expected a JSON object", path_.empty() ? "/" : path_);
}

std::string JsonReader::pointer(std::string_view key) const {
  std::string p = path_ + "/";
  for (char c : key) {
    if (c == '~') p += "~0";
    else if (c == '/') p += "~1";
    else p += c;
  }
  return p;
}

bool JsonReader::has(std::string_view key) const {
  auto it = obj_.find(std::string(key));
  return it != obj_.end() && !it->is_null();
}

const Json* JsonReader::find(std::string_view key) {
  seen_.emplace(key);
  auto it = obj_.find(std::string(key));
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

static void check_len(const std::string& s, size_t min_len, size_t max_len, const std::string& ptr) {
  if (s.size() < min_len || s.size() > max_len) {
    throw Error(Code::out_of_range,
                "length must be between " + std::to_string(min_len) + " and " +
                    std::to_string(max_len) + " bytes",
                ptr);
  }
}

std::optional<std::string> JsonReader::opt_str(std::string_view key, size_t min_len, size_t max_len) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw Error(Code::wrong_type, "expected a string", pointer(key));
  std::string s = v->get<std::string>();
  check_len(s, min_len, max_len, pointer(key));
  return s;
}

std::string JsonReader::str(std::string_view key, size_t min_len, size_t max_len) {
  auto s = opt_str(key, min_len, max_len);
  if (!s) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *s;
}

std::optional<int64_t> JsonReader::opt_i64(std::string_view key, int64_t min, int64_t max) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) throw Error(Code::wrong_type, "expected an integer", pointer(key));
  int64_t x;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) {
      throw Error(Code::out_of_range, "integer out of range", pointer(key));
    }
    x = static_cast<int64_t>(u);
  } else {
    x = v->get<int64_t>();
  }
  if (x < min || x > max) {
    throw Error(Code::out_of_range,
                "must be between " + std::to_string(min) + " and " + std::to_string(max),
                pointer(key));
  }
  return x;
}

int64_t JsonReader::i64(std::string_view key, int64_t min, int64_t max) {
  auto x = opt_i64(key, min, max);
  if (!x) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *x;
}

std::optional<bool> JsonReader::opt_boolean(std::string_view key) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) throw Error(Code::wrong_type, "expected true or false", pointer(key));
  return v->get<bool>();
}

bool JsonReader::boolean(std::string_view key) {
  auto b = opt_boolean(key);
  if (!b) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *b;
}

std::optional<std::string> JsonReader::opt_enumeration(
    std::string_view key, std::initializer_list<std::string_view> allowed) {
  auto s = opt_str(key, 0, 64);
  if (!s) return std::nullopt;
  for (auto a : allowed) {
    if (*s == a) return s;
  }
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  throw Error(Code::invalid_value, "must be one of: " + list, pointer(key));
}

std::string JsonReader::enumeration(std::string_view key,
                                    std::initializer_list<std::string_view> allowed) {
  auto s = opt_enumeration(key, allowed);
  if (!s) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *s;
}

const Json* JsonReader::opt_object(std::string_view key) {
  const Json* v = find(key);
  if (v && !v->is_object()) throw Error(Code::wrong_type, "expected an object", pointer(key));
  return v;
}

const Json& JsonReader::object(std::string_view key) {
  const Json* v = opt_object(key);
  if (!v) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *v;
}

const Json* JsonReader::opt_array(std::string_view key, size_t max_items) {
  const Json* v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) throw Error(Code::wrong_type, "expected an array", pointer(key));
  if (v->size() > max_items) {
    throw Error(Code::out_of_range, "at most " + std::to_string(max_items) + " items", pointer(key));
  }
  return v;
}

const Json& JsonReader::array(std::string_view key, size_t max_items) {
  const Json* v = opt_array(key, max_items);
  if (!v) throw Error(Code::missing_field, "required field is missing", pointer(key));
  return *v;
}

void JsonReader::done() {
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    if (!seen_.contains(it.key())) throw Error(Code::unknown_field, "unknown field", pointer(it.key()));
  }
}

}  // namespace agora
