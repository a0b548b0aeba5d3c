// Golden files, one exchange after another:
//
//   # a comment
//   ### title
//   METHOD /target
//   Header: value          (optional, until a blank line or ---)
//
//   {"request": "body"}    (optional, until ---)
//   ---
//   200
//   {"expected": "{{any}}"}   (until the next ###; "-" skips the check)
//
// Besides {{any}}, {{capture:NAME}} and {{NAME}} (see docs of the contract),
// {{bytes:N}} in a request expands to N letters 'x', for size limits.
//
// Time: a line `@clock +14d` between exchanges (after an expected body,
// before the next ###) advances the server's ManualClock before the next
// exchange; units d, h, m, s. The clock starts at 2026-01-01T00:00:00Z.
//
// A response that is not JSON (text/plain, application/toml) is compared
// as text with the expected body, trailing newlines ignored.
//
// Writing a case: AGORA_GOLDEN_LOG=FILE build/tests/api_tests
// --gtest_filter='*Golden*NAME*' appends every actual response to FILE and
// runs past mismatches.

#include "api/golden.h"

#include <optional>
#include <sstream>
#include <stdexcept>

namespace agora::test_api {
namespace {

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string join(const std::vector<std::string>& lines) {
  size_t first = 0, last = lines.size();
  while (first < last && lines[first].empty()) ++first;
  while (last > first && lines[last - 1].empty()) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) out += '\n';
    out += lines[i];
  }
  return out;
}

std::string short_dump(const Json& j) {
  std::string s = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 200) {
    s.resize(200);
    s += "…";
  }
  return s;
}

// "+14d" -> microseconds; nullopt when malformed.
std::optional<int64_t> parse_advance(const std::string& arg) {
  if (arg.size() < 3 || arg.front() != '+') return std::nullopt;
  int64_t unit_us = 0;
  switch (arg.back()) {
    case 'd': unit_us = int64_t{86400} * 1'000'000; break;
    case 'h': unit_us = int64_t{3600} * 1'000'000; break;
    case 'm': unit_us = int64_t{60} * 1'000'000; break;
    case 's': unit_us = 1'000'000; break;
    default: return std::nullopt;
  }
  std::string digits = arg.substr(1, arg.size() - 2);
  if (digits.empty() || digits.size() > 6) return std::nullopt;
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n * unit_us;
}

}  // namespace

std::vector<Exchange> parse_golden(const std::string& text, const std::string& file_name) {
  std::vector<Exchange> out;
  std::istringstream in(text);
  std::string raw;
  int n = 0;
  enum class State { outside, request_line, headers, body, status, expected } state = State::outside;
  std::vector<std::string> body, expected;
  int64_t pending_advance_us = 0;
  auto fail = [&](const std::string& what) {
    throw std::runtime_error(file_name + ":" + std::to_string(n) + ": " + what);
  };
  auto finish = [&] {
    if (out.empty()) return;
    if (state != State::expected) fail("exchange \"" + out.back().title + "\" is incomplete");
    out.back().expected_body = join(expected);
    expected.clear();
  };
  while (std::getline(in, raw)) {
    ++n;
    std::string line = trim_right(raw);
    if (line.starts_with("###")) {
      finish();
      Exchange e;
      e.title = line.substr(3);
      while (!e.title.empty() && e.title.front() == ' ') e.title.erase(0, 1);
      e.line = n;
      e.clock_advance_us = pending_advance_us;
      pending_advance_us = 0;
      out.push_back(std::move(e));
      state = State::request_line;
      continue;
    }
    if (line.starts_with("#") && state != State::body) continue;
    if (line.starts_with("@clock") && (state == State::expected || state == State::outside)) {
      auto d = parse_advance(line.size() > 7 ? line.substr(7) : "");
      if (line.size() < 7 || line[6] != ' ' || !d) {
        fail("expected \"@clock +N\" with a unit d, h, m or s");
      }
      pending_advance_us += *d;
      continue;
    }
    Exchange* e = out.empty() ? nullptr : &out.back();
    switch (state) {
      case State::outside:
        if (!line.empty()) fail("text before the first ### line");
        break;
      case State::request_line: {
        if (line.empty()) break;
        auto sp = line.find(' ');
        if (sp == std::string::npos) fail("expected \"METHOD /path\"");
        e->method = line.substr(0, sp);
        e->target = line.substr(sp + 1);
        state = State::headers;
        break;
      }
      case State::headers:
        if (line == "---") {
          state = State::status;
        } else if (line.empty()) {
          state = State::body;
        } else {
          auto colon = line.find(':');
          if (colon == std::string::npos) fail("expected a header \"Name: value\"");
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          e->headers.emplace_back(line.substr(0, colon), value);
        }
        break;
      case State::body:
        if (line == "---") {
          e->body = join(body);
          body.clear();
          state = State::status;
        } else {
          body.push_back(raw);
        }
        break;
      case State::status:
        if (line.empty()) break;
        try {
          size_t used = 0;
          e->expected_status = std::stoi(line, &used);
          if (used != line.size()) throw std::invalid_argument("status");
        } catch (const std::exception&) {
          fail("expected a status code after ---");
        }
        state = State::expected;
        break;
      case State::expected:
        expected.push_back(line);
        break;
    }
  }
  if (state == State::body) fail("request body without ---");
  if (pending_advance_us != 0) fail("@clock after the last exchange");
  finish();
  return out;
}

std::string substitute(const std::string& text, const Captures& captures) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    if (open == std::string::npos) {
      out += text.substr(i);
      break;
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    std::string name = text.substr(open + 2, close - open - 2);
    out += text.substr(i, open - i);
    if (name.starts_with("bytes:")) {
      out += std::string(std::stoul(name.substr(6)), 'x');
    } else if (name == "any" || name.starts_with("capture:")) {
      out += text.substr(open, close + 2 - open);
    } else {
      auto it = captures.find(name);
      if (it == captures.end()) throw std::runtime_error("{{" + name + "}} was never captured");
      out += it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
    }
    i = close + 2;
  }
  return out;
}

void match_json(const Json& expected, const Json& actual, const std::string& path,
                Captures& captures, std::vector<std::string>& mismatches) {
  const std::string where = path.empty() ? "/" : path;
  if (expected.is_string()) {
    const auto& s = expected.get_ref<const std::string&>();
    if (s == "{{any}}") return;
    if (s.starts_with("{{capture:") && s.ends_with("}}")) {
      captures[s.substr(10, s.size() - 12)] = actual;
      return;
    }
  }
  if (expected.is_object()) {
    if (!actual.is_object()) {
      mismatches.push_back(where + ": expected an object, got " + short_dump(actual));
      return;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (!actual.contains(it.key())) mismatches.push_back(where + ": missing key \"" + it.key() + "\"");
    }
    for (auto it = actual.begin(); it != actual.end(); ++it) {
      if (!expected.contains(it.key())) {
        mismatches.push_back(where + ": unexpected key \"" + it.key() + "\" = " + short_dump(*it));
      }
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (actual.contains(it.key())) {
        match_json(*it, actual.at(it.key()), path + "/" + it.key(), captures, mismatches);
      }
    }
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) {
      mismatches.push_back(where + ": expected an array, got " + short_dump(actual));
      return;
    }
    if (expected.size() != actual.size()) {
      mismatches.push_back(where + ": expected " + std::to_string(expected.size()) +
                           " elements, got " + std::to_string(actual.size()));
    }
    for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
      match_json(expected[i], actual[i], path + "/" + std::to_string(i), captures, mismatches);
    }
    return;
  }
  if (expected != actual) {
    mismatches.push_back(where + ": expected " + short_dump(expected) + ", got " + short_dump(actual));
  }
}

}  // namespace agora::test_api
