#include "governance/ballot_files.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <span>

#include "core/error.h"

// Written by hand: no Debian-packaged library reads BLT, and the JSON ballot
// file is read through nlohmann's SAX interface so that ten million ballots
// never become ten million DOM objects and every error can name its line.

namespace agora::governance {

namespace {

using voting::BallotKind;
using voting::Method;

constexpr int64_t kMaxBallotLines = 10'000'000;
constexpr int64_t kMaxWeight = 1'000'000'000;
constexpr size_t kMaxPreferences = 1000;
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxTitleBytes = 1000;
constexpr size_t kMaxReasonBytes = 2000;
static_assert(static_cast<size_t>(voting::kMaxOptions) <= kMaxPreferences,
              "a full ranking of every option must fit the preference bound");
static_assert(kMaxBallotLines * kMaxWeight < std::numeric_limits<int64_t>::max() / 2,
              "the total weight of a file must fit in 64 bits");

// A problem with one ballot: `pointer` is relative to the ballot ("/ranking/2").
struct Problem {
  Code code;
  std::string message;
  std::string pointer;
};

std::string kind_key(BallotKind k) {
  switch (k) {
    case BallotKind::choice:
      return "choice";
    case BallotKind::marks:
      return "approve";
    case BallotKind::scores:
      return "scores";
    case BallotKind::ranking:
      return "ranking";
  }
  return "choice";
}

std::optional<BallotKind> kind_of_key(std::string_view key) {
  if (key == "choice") return BallotKind::choice;
  if (key == "approve") return BallotKind::marks;
  if (key == "scores") return BallotKind::scores;
  if (key == "ranking") return BallotKind::ranking;
  return std::nullopt;
}

std::string at(std::string_view key, size_t i) {
  return "/" + std::string(key) + "/" + std::to_string(i);
}

// Checks one ballot's numbers against the options. `nums` is the choice (one
// number), the marks, the scores (one per option, or none) or the ranking, as
// given. `method` may be unknown (a JSON file naming none): then only what
// holds for every method of the kind is checked.
std::optional<Problem> check_ballot(BallotKind kind, std::optional<Method> method, int32_t n,
                                    const voting::Options& o, std::span<const int32_t> nums,
                                    const std::optional<std::string>& reason) {
  const std::string key = kind_key(kind);
  const bool consent = method == Method::consent;
  if (reason && !consent) {
    return Problem{Code::invalid_value, "only a consent ballot carries a reason", "/reason"};
  }
  switch (kind) {
    case BallotKind::choice: {
      if (nums.size() != 1) return Problem{Code::missing_field, "a choice is required", "/choice"};
      if (nums[0] < 0 || nums[0] >= n)
        return Problem{Code::out_of_range, "must be between 0 and " + std::to_string(n - 1),
                       "/choice"};
      if (consent && nums[0] == 2 && !reason)
        return Problem{Code::missing_field, "an objection needs a reason", "/reason"};
      if (consent && nums[0] != 2 && reason)
        return Problem{Code::invalid_value, "only an objection carries a reason", "/reason"};
      if (reason && (reason->empty() || reason->size() > kMaxReasonBytes))
        return Problem{Code::out_of_range,
                       "length must be between 1 and " + std::to_string(kMaxReasonBytes) + " bytes",
                       "/reason"};
      return std::nullopt;
    }
    case BallotKind::marks:
    case BallotKind::ranking: {
      if (nums.size() > static_cast<size_t>(n))
        return Problem{Code::out_of_range,
                       "at most " + std::to_string(n) + " entries, one per option", "/" + key};
      std::vector<uint8_t> seen(static_cast<size_t>(std::max(n, 0)), 0);
      for (size_t i = 0; i < nums.size(); ++i) {
        if (nums[i] < 0 || nums[i] >= n)
          return Problem{Code::out_of_range, "must be between 0 and " + std::to_string(n - 1),
                         at(key, i)};
        if (seen[nums[i]]++)
          return Problem{Code::invalid_value,
                         "option " + std::to_string(nums[i]) + " appears twice", at(key, i)};
      }
      return std::nullopt;
    }
    case BallotKind::scores: {
      if (nums.empty()) return std::nullopt;
      if (nums.size() != static_cast<size_t>(n))
        return Problem{Code::invalid_value,
                       "one score per option: expected " + std::to_string(n) + ", got " +
                           std::to_string(nums.size()),
                       "/scores"};
      const bool dot = method == Method::dot;
      const bool scored = method == Method::score || method == Method::star;
      int64_t points = 0;
      for (size_t i = 0; i < nums.size(); ++i) {
        if (nums[i] < 0) return Problem{Code::out_of_range, "must not be negative", at(key, i)};
        if (scored && nums[i] > o.score_max)
          return Problem{Code::out_of_range, "must be between 0 and " + std::to_string(o.score_max),
                         at(key, i)};
        if (dot && nums[i] > o.dots)
          return Problem{Code::out_of_range, "must be between 0 and " + std::to_string(o.dots),
                         at(key, i)};
        points += nums[i];
      }
      if (dot && points > o.dots)
        return Problem{
            Code::invalid_value,
            "the points sum to " + std::to_string(points) + ", more than " + std::to_string(o.dots),
            "/scores"};
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// Turns checked numbers into a ballot's items and values (marks sorted, so
// identical ballots group; scores as one item per option).
void to_items(BallotKind kind, std::span<const int32_t> nums, std::vector<int32_t>& items,
              std::vector<int32_t>& values) {
  items.clear();
  values.clear();
  if (kind == BallotKind::scores) {
    for (size_t i = 0; i < nums.size(); ++i) items.push_back(static_cast<int32_t>(i));
    values.assign(nums.begin(), nums.end());
    return;
  }
  items.assign(nums.begin(), nums.end());
  if (kind == BallotKind::marks) std::sort(items.begin(), items.end());
}

// An integer JSON value as int32, or a problem.
std::optional<int32_t> json_int32(const Json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) return std::nullopt;
    return static_cast<int32_t>(u);
  }
  const auto x = v.get<int64_t>();
  if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return static_cast<int32_t>(x);
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

// Why a candidate / option name is refused, or empty when it is fine.
std::string name_problem(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes)
    return "a name must be 1.." + std::to_string(kMaxNameBytes) + " bytes";
  if (!valid_utf8(s)) return "a name must be UTF-8";
  if (has_control(s)) return "a name must not hold control characters";
  return {};
}

[[noreturn]] void file_error(std::string_view file, int64_t line, const std::string& reason,
                             const std::string& field = {}) {
  throw Error(Code::bad_file, std::string(file) + ":" + std::to_string(line) + ": " + reason,
              field);
}

// ---------------------------------------------------------------------------
// BLT

struct Line {
  std::string_view text;  // without the end of line
  int64_t number = 0;
};

class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  // The next line, or nullopt at the end of the text.
  std::optional<Line> next() {
    if (pos_ >= text_.size()) return std::nullopt;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view l = text_.substr(pos_, end - pos_);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    pos_ = end + 1;
    return Line{l, ++number_};
  }
  int64_t last() const { return std::max<int64_t>(number_, 1); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t number_ = 0;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Whitespace-separated tokens before any '#'.
std::vector<std::string_view> tokens(std::string_view l) {
  if (auto hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && is_space(l[i])) ++i;
    size_t j = i;
    while (j < l.size() && !is_space(l[j])) ++j;
    if (j > i) out.push_back(l.substr(i, j - i));
    i = j;
  }
  return out;
}

// A decimal integer with an optional '-', or nullopt (also when it has more
// than 18 digits, which no bound here allows anyway).
std::optional<int64_t> integer(std::string_view t) {
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty() || t.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return neg ? -v : v;
}

std::string shown(std::string_view t) {
  std::string s = "'";
  s.append(t.substr(0, 40));
  if (t.size() > 40) s += "...";
  return s + "'";
}

// Why a preference token is not a candidate number.
std::string preference_problem(std::string_view t, int64_t c) {
  if (t.find('=') != std::string_view::npos)
    return "equal preferences (" + shown(t) + ") are not supported; rank candidates one by one";
  if (t == "-") return "a skipped preference ('-') is not supported";
  return "preference " + shown(t) + " is not a candidate number 1.." + std::to_string(c);
}

// The strings of the part after the ballots: quoted strings ("a \"b\"", with
// \" and \\ escapes), several to a line if need be, or a whole unquoted line.
struct TrailerString {
  std::string text;
  int64_t line;
};

void trailer_strings(Line l, std::string_view file, std::vector<TrailerString>& out) {
  std::string_view s = l.text;
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i == s.size() || s[i] == '#') return;
  if (s[i] != '"') {
    size_t e = s.size();
    while (e > i && is_space(s[e - 1])) --e;
    out.push_back({std::string(s.substr(i, e - i)), l.number});
    return;
  }
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size() || s[i] == '#') return;
    if (s[i] != '"')
      file_error(file, l.number, "expected a quoted name, found " + shown(s.substr(i)));
    std::string text;
    ++i;
    bool closed = false;
    while (i < s.size()) {
      char c = s[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\')) c = s[i++];
      text.push_back(c);
    }
    if (!closed) file_error(file, l.number, "a quoted name has no closing '\"'");
    out.push_back({std::move(text), l.number});
  }
}

// ---------------------------------------------------------------------------
// JSON files

// Reads the text char by char for nlohmann's parser and remembers how far it
// got, so that every SAX event knows its line.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, const char** mark) : p_(p), mark_(mark) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    *mark_ = p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** mark_;
};

// Ballots as read, before the header (which may come after them) is known.
struct RawBallots {
  std::optional<BallotKind> kind;
  std::vector<int64_t> weights;
  std::vector<uint64_t> starts{0};
  std::vector<int32_t> nums;
  std::vector<int64_t> lines;
  std::map<size_t, std::string> reasons;
};

class JsonFileReader {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  JsonFileReader(std::string_view text, std::string_view file)
      : text_(text), file_(file), mark_(text.data()), counted_(text.data()) {}

  BallotFile read() {
    CountingIterator first(text_.data(), &mark_);
    CountingIterator last(text_.data() + text_.size(), &mark_);
    Json::sax_parse(first, last, this);
    if (where_ != Where::done) fail("the file ended before its JSON object was complete");
    return finish();
  }

  // nlohmann SAX interface.
  bool null() { return scalar("null"); }
  bool boolean(bool) { return scalar("true or false"); }
  bool number_float(number_float_t, const string_t&) { return scalar("a fractional number"); }
  bool binary(binary_t&) { return scalar("binary data"); }
  bool number_integer(number_integer_t v) { return integer_value(v, false); }
  bool number_unsigned(number_unsigned_t v) {
    const bool big = v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    return integer_value(big ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(v), big);
  }
  bool string(string_t& s) {
    if (where_ == Where::top && key_ == "method") {
      method_ = voting::parse_method(s);
      if (!method_) fail("unknown method " + shown(s), Code::invalid_value, "/method");
      return true;
    }
    if (where_ == Where::top && key_ == "title") {
      if (s.size() > kMaxTitleBytes)
        fail("the title is over " + std::to_string(kMaxTitleBytes) + " bytes", Code::out_of_range,
             "/title");
      if (!valid_utf8(s) || has_control(s))
        fail("the title must not hold control characters", Code::invalid_value, "/title");
      title_ = s;
      return true;
    }
    if (where_ == Where::options) {
      const std::string ptr = "/options/" + std::to_string(names_.size());
      if (names_.size() >= static_cast<size_t>(voting::kMaxOptions))
        fail("more than " + std::to_string(voting::kMaxOptions) + " options", Code::out_of_range,
             ptr);
      if (auto p = name_problem(s); !p.empty()) fail(p, Code::invalid_value, ptr);
      if (!name_set_.insert(s).second)
        fail("option " + shown(s) + " appears twice", Code::invalid_value, ptr);
      names_.push_back(s);
      return true;
    }
    if (where_ == Where::ballot && bkey_ == "reason") {
      if (s.empty() || s.size() > kMaxReasonBytes)
        fail("a reason must be 1.." + std::to_string(kMaxReasonBytes) + " bytes",
             Code::out_of_range, ballot_ptr() + "/reason");
      raw_.reasons[raw_.weights.size()] = s;
      return true;
    }
    return scalar("a string");
  }
  bool start_object(size_t) {
    if (where_ == Where::start) {
      where_ = Where::top;
      return true;
    }
    if (where_ == Where::ballots) {
      if (static_cast<int64_t>(raw_.weights.size()) >= kMaxBallotLines)
        fail("more than " + std::to_string(kMaxBallotLines) + " ballots", Code::out_of_range,
             ballot_ptr());
      where_ = Where::ballot;
      ballot_line_ = line();
      weight_ = 1;
      ballot_keys_.clear();
      ballot_kind_.reset();
      return true;
    }
    return scalar("an object");
  }
  bool key(string_t& k) {
    if (where_ == Where::top) {
      static const std::set<std::string, std::less<>> known{
          "method", "options", "seats", "score_max", "dots", "title", "ballots"};
      if (!known.contains(k)) fail("unknown field " + shown(k), Code::unknown_field, "/" + k);
      if (!top_keys_.insert(k).second)
        fail("field " + shown(k) + " appears twice", Code::invalid_value, "/" + k);
      key_ = k;
      return true;
    }
    // Where::ballot
    static const std::set<std::string, std::less<>> known{"choice",  "approve", "scores",
                                                          "ranking", "weight",  "reason"};
    if (!known.contains(k))
      fail("unknown field " + shown(k), Code::unknown_field, ballot_ptr() + "/" + k);
    if (!ballot_keys_.insert(k).second)
      fail("field " + shown(k) + " appears twice", Code::invalid_value, ballot_ptr() + "/" + k);
    bkey_ = k;
    if (auto kind = kind_of_key(k)) {
      if (ballot_kind_)
        fail("a ballot has one of choice, approve, scores or ranking", Code::invalid_value,
             ballot_ptr() + "/" + k);
      if (raw_.kind && *raw_.kind != *kind)
        fail("every ballot of a file is of one kind; this one has " + shown(k) +
                 " where the first had " + shown(kind_key(*raw_.kind)),
             Code::invalid_value, ballot_ptr() + "/" + k);
      ballot_kind_ = kind;
      raw_.kind = kind;
    }
    return true;
  }
  bool end_object() {
    if (where_ == Where::top) {
      where_ = Where::done;
      return true;
    }
    // Where::ballot
    if (!ballot_kind_)
      fail("a ballot needs one of choice, approve, scores or ranking", Code::missing_field,
           ballot_ptr());
    raw_.weights.push_back(weight_);
    raw_.starts.push_back(raw_.nums.size());
    raw_.lines.push_back(ballot_line_);
    where_ = Where::ballots;
    return true;
  }
  bool start_array(size_t) {
    if (where_ == Where::top && key_ == "options") {
      where_ = Where::options;
      return true;
    }
    if (where_ == Where::top && key_ == "ballots") {
      where_ = Where::ballots;
      return true;
    }
    if (where_ == Where::ballot && bkey_ != "choice" && kind_of_key(bkey_)) {
      where_ = Where::ballot_array;
      array_items_ = 0;
      return true;
    }
    return scalar("an array");
  }
  bool end_array() {
    where_ = where_ == Where::ballot_array ? Where::ballot : Where::top;
    return true;
  }
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    if (auto p = what.find(": "); p != std::string::npos && what.find("column") < p)
      what = what.substr(p + 2);
    mark_ = text_.data() + std::min(position, text_.size());
    fail("malformed JSON: " + what, Code::malformed_json);
  }

 private:
  enum class Where { start, top, options, ballots, ballot, ballot_array, done };

  int64_t line() {
    const char* end = std::min(mark_, text_.data() + text_.size());
    // The parser has read one character past the token it reports.
    if (end > text_.data()) --end;
    if (end > counted_) {
      line_ += std::count(counted_, end, '\n');
      counted_ = end;
    }
    return line_;
  }

  [[noreturn]] void fail(const std::string& reason, Code = Code::bad_file,
                         const std::string& pointer = {}) {
    file_error(file_, line(), pointer.empty() ? reason : reason + " (at " + pointer + ")", pointer);
  }

  std::string ballot_ptr() const { return "/ballots/" + std::to_string(raw_.weights.size()); }

  bool scalar(const std::string& what) {
    std::string ptr;
    std::string expected;
    switch (where_) {
      case Where::start:
        expected = "a JSON object";
        break;
      case Where::top:
        ptr = "/" + key_;
        if (key_ == "method" || key_ == "title")
          expected = "a string";
        else if (key_ == "options")
          expected = "an array of names";
        else if (key_ == "ballots")
          expected = "an array of ballots";
        else
          expected = "an integer";
        break;
      case Where::options:
        ptr = "/options/" + std::to_string(names_.size());
        expected = "a name";
        break;
      case Where::ballots:
        ptr = ballot_ptr();
        expected = "a ballot object";
        break;
      case Where::ballot:
        ptr = ballot_ptr() + "/" + bkey_;
        expected = bkey_ == "reason"                        ? "a string"
                   : bkey_ == "choice" || bkey_ == "weight" ? "an integer"
                                                            : "an array";
        break;
      case Where::ballot_array:
        ptr = ballot_ptr() + "/" + bkey_ + "/" + std::to_string(array_items_);
        expected = "an integer";
        break;
      case Where::done:
        expected = "nothing";
        break;
    }
    fail("expected " + expected + ", found " + what, Code::wrong_type, ptr);
  }

  bool integer_value(int64_t v, bool too_big) {
    if (where_ == Where::top && (key_ == "seats" || key_ == "score_max" || key_ == "dots")) {
      const int64_t max = key_ == "seats"       ? voting::kMaxOptions
                          : key_ == "score_max" ? 1000
                                                : 1000000;
      if (too_big || v < 1 || v > max)
        fail("must be between 1 and " + std::to_string(max), Code::out_of_range, "/" + key_);
      (key_ == "seats"       ? seats_
       : key_ == "score_max" ? score_max_
                             : dots_) = static_cast<int32_t>(v);
      return true;
    }
    if (where_ == Where::ballot && bkey_ == "weight") {
      if (too_big || v < 1 || v > kMaxWeight)
        fail("must be between 1 and " + std::to_string(kMaxWeight), Code::out_of_range,
             ballot_ptr() + "/weight");
      weight_ = v;
      return true;
    }
    const bool in_choice = where_ == Where::ballot && bkey_ == "choice";
    if (in_choice || where_ == Where::ballot_array) {
      const std::string ptr = in_choice
                                  ? ballot_ptr() + "/choice"
                                  : ballot_ptr() + "/" + bkey_ + "/" + std::to_string(array_items_);
      if (!in_choice && array_items_ >= kMaxPreferences)
        fail("more than " + std::to_string(kMaxPreferences) + " entries", Code::out_of_range, ptr);
      if (too_big || v < std::numeric_limits<int32_t>::min() ||
          v > std::numeric_limits<int32_t>::max())
        fail("integer out of range", Code::out_of_range, ptr);
      raw_.nums.push_back(static_cast<int32_t>(v));
      ++array_items_;
      return true;
    }
    return scalar("an integer");
  }

  BallotFile finish() {
    BallotFile f;
    f.title = title_;
    f.method = method_;
    const bool motion = method_ == Method::majority || method_ == Method::consent;
    if (!top_keys_.contains("ballots"))
      fail("the file has no \"ballots\"", Code::missing_field, "/ballots");
    if (motion) {
      const auto& fixed =
          *method_ == Method::majority ? voting::kMajorityOptions : voting::kConsentOptions;
      if (top_keys_.contains("options") && names_ != fixed) {
        std::string list;
        for (const auto& s : fixed) list += (list.empty() ? "" : ", ") + s;
        fail("a " + std::string(voting::method_name(*method_)) + " motion's options are " + list,
             Code::invalid_value, "/options");
      }
      names_ = fixed;
    } else if (names_.empty()) {
      fail("the file names no options", Code::missing_field, "/options");
    }
    if (method_ && raw_.kind && voting::ballot_kind(*method_) != *raw_.kind) {
      const std::string ptr = "/ballots/0/" + kind_key(*raw_.kind);
      file_error(file_, raw_.lines[0],
                 std::string(voting::method_name(*method_)) + " ballots have \"" +
                     kind_key(voting::ballot_kind(*method_)) + "\", not \"" + kind_key(*raw_.kind) +
                     "\" (at " + ptr + ")",
                 ptr);
    }
    const auto n = static_cast<int32_t>(names_.size());
    if (seats_ > n && !motion)
      fail(std::to_string(seats_) + " seats but only " + std::to_string(n) + " options",
           Code::out_of_range, "/seats");
    f.names = names_;
    f.options.names = names_;
    f.options.seats = seats_;
    f.options.score_max = score_max_;
    f.options.dots = dots_;
    f.ballots.option_count = n;
    f.ballots.reserve(raw_.weights.size(), raw_.nums.size());
    const BallotKind kind = raw_.kind.value_or(BallotKind::ranking);
    std::vector<int32_t> items;
    std::vector<int32_t> values;
    for (size_t i = 0; i < raw_.weights.size(); ++i) {
      std::span<const int32_t> nums(raw_.nums.data() + raw_.starts[i],
                                    raw_.nums.data() + raw_.starts[i + 1]);
      auto r = raw_.reasons.find(i);
      std::optional<std::string> reason;
      if (r != raw_.reasons.end()) reason = r->second;
      if (auto p = check_ballot(kind, method_, n, f.options, nums, reason)) {
        const std::string ptr = "/ballots/" + std::to_string(i) + p->pointer;
        file_error(file_, raw_.lines[i], p->message + " (at " + ptr + ")", ptr);
      }
      to_items(kind, nums, items, values);
      f.ballots.add(raw_.weights[i], items, values);
    }
    return f;
  }

  std::string_view text_;
  std::string_view file_;
  const char* mark_;
  const char* counted_;
  int64_t line_ = 1;

  Where where_ = Where::start;
  std::string key_;
  std::string bkey_;
  std::set<std::string, std::less<>> top_keys_;
  std::set<std::string, std::less<>> ballot_keys_;
  std::set<std::string, std::less<>> name_set_;
  std::optional<BallotKind> ballot_kind_;
  int64_t ballot_line_ = 0;
  int64_t weight_ = 1;
  size_t array_items_ = 0;

  std::optional<Method> method_;
  std::string title_;
  std::vector<std::string> names_;
  int32_t seats_ = 1;
  int32_t score_max_ = 5;
  int32_t dots_ = 10;
  RawBallots raw_;
};

}  // namespace

BallotFile read_blt(std::string_view text, std::string_view file) {
  Lines lines(text);
  BallotFile f;
  // Header: "C S".
  std::optional<Line> l;
  std::vector<std::string_view> t;
  while ((l = lines.next())) {
    t = tokens(l->text);
    if (!t.empty()) break;
  }
  if (!l) file_error(file, lines.last(), "empty file: expected the header \"candidates seats\"");
  if (t.size() != 2)
    file_error(file, l->number, "the header must be two numbers, \"candidates seats\"");
  const auto c = integer(t[0]);
  const auto s = integer(t[1]);
  if (!c || *c < 1 || *c > voting::kMaxOptions)
    file_error(file, l->number,
               "the number of candidates must be 1.." + std::to_string(voting::kMaxOptions));
  if (!s || *s < 1 || *s > *c)
    file_error(file, l->number, "the number of seats must be 1.." + std::to_string(*c));

  // Optional withdrawn candidates, then ballot lines up to a lone "0".
  std::vector<int32_t> renumber(static_cast<size_t>(*c));
  for (int32_t i = 0; i < *c; ++i) renumber[i] = i;
  std::vector<uint8_t> withdrawn(static_cast<size_t>(*c), 0);
  bool first = true;
  bool ended = false;
  int64_t ballot_lines = 0;
  std::vector<uint32_t> seen(static_cast<size_t>(*c), 0);
  uint32_t stamp = 0;
  std::vector<int32_t> prefs;
  std::vector<int32_t> items;
  while ((l = lines.next())) {
    t = tokens(l->text);
    if (t.empty()) continue;
    if (first && t[0].size() > 1 && t[0][0] == '-') {
      first = false;
      for (auto tok : t) {
        const auto v = integer(tok);
        if (!v || *v >= 0 || -*v > *c)
          file_error(file, l->number,
                     "a withdrawn candidate is written -1..-" + std::to_string(*c) + ", not " +
                         shown(tok));
        if (withdrawn[-*v - 1]++)
          file_error(file, l->number, "candidate " + std::to_string(-*v) + " withdrawn twice");
      }
      int32_t next = 0;
      for (int32_t i = 0; i < *c; ++i) renumber[i] = withdrawn[i] ? -1 : next++;
      if (next == 0) file_error(file, l->number, "every candidate is withdrawn");
      continue;
    }
    first = false;
    size_t k = 0;
    if (t[0].size() >= 2 && t[0].front() == '(' && t[0].back() == ')') ++k;  // a ballot id
    if (k == t.size()) file_error(file, l->number, "a ballot line needs a weight");
    if (k == 0 && t.size() == 1 && t[0] == "0") {
      ended = true;
      break;
    }
    if (++ballot_lines > kMaxBallotLines)
      file_error(file, l->number, "more than " + std::to_string(kMaxBallotLines) + " ballot lines");
    const auto w = integer(t[k]);
    if (!w || *w < 1 || *w > kMaxWeight)
      file_error(file, l->number,
                 "the weight must be an integer 1.." + std::to_string(kMaxWeight) + ", not " +
                     shown(t[k]));
    ++k;
    if (++stamp == 0) {
      std::fill(seen.begin(), seen.end(), 0);
      stamp = 1;
    }
    prefs.clear();
    bool terminated = false;
    for (; k < t.size(); ++k) {
      const auto p = integer(t[k]);
      if (p && *p == 0) {
        terminated = true;
        ++k;
        break;
      }
      if (!p || *p < 1 || *p > *c) file_error(file, l->number, preference_problem(t[k], *c));
      if (seen[*p - 1] == stamp)
        file_error(file, l->number, "candidate " + std::to_string(*p) + " is ranked twice");
      seen[*p - 1] = stamp;
      prefs.push_back(static_cast<int32_t>(*p - 1));
    }
    if (!terminated) file_error(file, l->number, "a ballot line must end with 0");
    if (k < t.size())
      file_error(file, l->number, "text after the ballot's closing 0: " + shown(t[k]));
    items.clear();
    for (int32_t p : prefs)
      if (renumber[p] >= 0) items.push_back(renumber[p]);
    f.ballots.add(*w, items);
  }
  if (!ended) file_error(file, lines.last(), "the ballots are not closed by a line holding only 0");

  // Names, then the title.
  std::vector<TrailerString> strings;
  while ((l = lines.next())) {
    trailer_strings(*l, file, strings);
    if (strings.size() > static_cast<size_t>(*c) + 1)
      file_error(file, strings.back().line, "unexpected text after the title");
  }
  if (strings.size() < static_cast<size_t>(*c))
    file_error(file, lines.last(),
               "expected " + std::to_string(*c) + " candidate names, found " +
                   std::to_string(strings.size()));
  std::set<std::string, std::less<>> unique;
  for (int32_t i = 0; i < *c; ++i) {
    const auto& n = strings[i];
    if (auto p = name_problem(n.text); !p.empty()) file_error(file, n.line, p);
    if (!unique.insert(n.text).second)
      file_error(file, n.line, "candidate name " + shown(n.text) + " appears twice");
    if (withdrawn[i])
      f.withdrawn.push_back(n.text);
    else
      f.names.push_back(n.text);
  }
  if (strings.size() > static_cast<size_t>(*c)) {
    const auto& title = strings[*c];
    if (title.text.size() > kMaxTitleBytes || !valid_utf8(title.text) || has_control(title.text))
      file_error(file, title.line,
                 "the title must be UTF-8 of at most " + std::to_string(kMaxTitleBytes) +
                     " bytes without control characters");
    f.title = title.text;
  }
  const auto n = static_cast<int32_t>(f.names.size());
  f.ballots.option_count = n;
  f.options.names = f.names;
  f.options.seats = static_cast<int32_t>(std::min<int64_t>(*s, n));
  return f;
}

BallotFile read_ballots_json(std::string_view text, std::string_view file_name) {
  JsonFileReader reader(text, file_name);
  return reader.read();
}

std::string write_blt(const BallotFile& f) {
  if (f.method && voting::ballot_kind(*f.method) != BallotKind::ranking)
    throw Error(Code::invalid_value, "a BLT file holds ranked ballots only", "method");
  if (!f.ballots.values.empty())
    throw Error(Code::invalid_value, "a BLT file holds ranked ballots only", "ballots");
  const auto n = static_cast<int32_t>(f.names.size());
  if (n < 1 || f.ballots.option_count != n)
    throw Error(Code::invalid_value, "one name per candidate", "names");
  const voting::BallotSet grouped = voting::group_identical(f.ballots);
  std::string out = std::to_string(n) + " " + std::to_string(f.options.seats) + "\n";
  std::string prefs;
  for (size_t i = 0; i < grouped.size(); ++i) {
    prefs.clear();
    for (int32_t p : grouped.ballot(i)) {
      if (p < 0 || p >= n)
        throw Error(Code::invalid_value, "a ranking names no candidate", "ballots");
      prefs += " " + std::to_string(p + 1);
    }
    // A group heavier than one line may carry is written over several lines.
    for (int64_t left = grouped.weights[i]; left > 0; left -= kMaxWeight)
      out += std::to_string(std::min(left, kMaxWeight)) + prefs + " 0\n";
  }
  out += "0\n";
  auto quote = [](std::string_view s) {
    if (s.find_first_of("\r\n") != std::string_view::npos)
      throw Error(Code::invalid_value, "a name or title in a BLT file must be one line", "names");
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q.push_back('\\');
      q.push_back(c);
    }
    return q + "\"\n";
  };
  for (const auto& name : f.names) out += quote(name);
  out += quote(f.title);
  return out;
}

ParsedBallot parse_ballot(const Json& ballot, Method method, int32_t option_count,
                          const voting::Options& options) {
  if (!ballot.is_object()) throw Error(Code::wrong_type, "a ballot is a JSON object", "/");
  const BallotKind kind = voting::ballot_kind(method);
  const std::string key = kind_key(kind);
  for (const auto& [k, v] : ballot.items()) {
    if (k == key || (k == "reason" && method == Method::consent)) continue;
    throw Error(Code::unknown_field,
                std::string(voting::method_name(method)) + " ballots have \"" + key + "\" only",
                "/" + k);
  }
  auto it = ballot.find(key);
  if (it == ballot.end()) throw Error(Code::missing_field, "required field is missing", "/" + key);
  std::vector<int32_t> nums;
  if (kind == BallotKind::choice) {
    if (!it->is_number_integer()) throw Error(Code::wrong_type, "expected an integer", "/" + key);
    auto v = json_int32(*it);
    if (!v) throw Error(Code::out_of_range, "integer out of range", "/" + key);
    nums.push_back(*v);
  } else {
    if (!it->is_array()) throw Error(Code::wrong_type, "expected an array", "/" + key);
    if (it->size() > kMaxPreferences)
      throw Error(Code::out_of_range, "at most " + std::to_string(kMaxPreferences) + " entries",
                  "/" + key);
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& e = (*it)[i];
      if (!e.is_number_integer()) throw Error(Code::wrong_type, "expected an integer", at(key, i));
      auto v = json_int32(e);
      if (!v) throw Error(Code::out_of_range, "integer out of range", at(key, i));
      nums.push_back(*v);
    }
  }
  std::optional<std::string> reason;
  if (auto r = ballot.find("reason"); r != ballot.end()) {
    if (!r->is_string()) throw Error(Code::wrong_type, "expected a string", "/reason");
    reason = r->get<std::string>();
  }
  if (auto p = check_ballot(kind, method, option_count, options, nums, reason))
    throw Error(p->code, p->message, p->pointer);
  ParsedBallot out;
  to_items(kind, nums, out.items, out.values);
  out.reason = std::move(reason);
  return out;
}

Json ballot_json(Method method, int32_t option_count, std::span<const int32_t> items,
                 std::span<const int32_t> values) {
  const BallotKind kind = voting::ballot_kind(method);
  Json j = Json::object();
  switch (kind) {
    case BallotKind::choice:
      j["choice"] = items.empty() ? Json(nullptr) : Json(items[0]);
      break;
    case BallotKind::marks:
      j["approve"] = std::vector<int32_t>(items.begin(), items.end());
      break;
    case BallotKind::ranking:
      j["ranking"] = std::vector<int32_t>(items.begin(), items.end());
      break;
    case BallotKind::scores: {
      std::vector<int32_t> scores;
      if (!items.empty()) {
        scores.assign(static_cast<size_t>(std::max(option_count, 0)), 0);
        for (size_t i = 0; i < items.size() && i < values.size(); ++i)
          if (items[i] >= 0 && items[i] < option_count) scores[items[i]] = values[i];
      }
      j["scores"] = scores;
      break;
    }
  }
  return j;
}

}  // namespace agora::governance
