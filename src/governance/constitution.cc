// Constitutions: TOML in (strict: unknown keys, wrong types and values out
// of range are refused with the key path), canonical TOML and JSON out, and
// subsidiarity. toml++ does the TOML syntax; everything here is about what
// the keys mean.

#include "governance/constitution.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <toml++/toml.h>

#include "core/error.h"

namespace agora::governance {

namespace {

inline constexpr size_t kMaxBodies = 50;
inline constexpr size_t kMaxDomains = 200;
inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxClasses = 50;
inline constexpr size_t kMaxChambers = 20;
inline constexpr size_t kMaxBodyRefs = 50;
inline constexpr int64_t kMaxSeats = 1000;
inline constexpr int64_t kMaxRatioDen = 1'000'000;
inline constexpr int64_t kMaxSpendMinor = 1'000'000'000'000'000;  // 10^15 minor units
inline constexpr int64_t kMaxDays = 36'500;

constexpr std::string_view kBodyKindNames[] = {"general_meeting", "worker_assembly", "board",
                                               "committee",       "council",         "congress"};
constexpr std::string_view kWeightNames[] = {"one_member_one_vote", "delegate"};

std::string_view weight_name(WeightRule w) { return kWeightNames[static_cast<size_t>(w)]; }
std::string_view of_name(voting::Threshold::Of o) {
  return o == voting::Threshold::Of::cast ? "cast" : "eligible";
}

// "2/3"; written here (not voting::ratio_text) so the canonical text never
// depends on another file's formatting.
std::string ratio_str(voting::Ratio r) {
  return std::to_string(r.num) + "/" + std::to_string(r.den);
}

// At most `n` bytes of `s` for a message, never cutting a UTF-8 sequence
// (toml++ hands over valid UTF-8; a message must stay valid for JSON).
std::string clip(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

// Where a key sits in the document, for messages: "domain[2].quorum".
std::string join(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  bool bare = !key.empty() && key.size() <= 64;
  for (char ch : key) {
    bare = bare && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-');
  }
  if (bare) {
    out += key;
  } else {
    out += Json(clip(key, 64)).dump();
  }
  return out;
}
std::string indexed(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

[[noreturn]] void fail(Code code, const std::string& path, const toml::node* at,
                       std::string_view reason) {
  std::string msg = path.empty() ? std::string(reason) : path + ": " + std::string(reason);
  if (at != nullptr && at->source().begin.line > 0) {
    msg += " (line " + std::to_string(at->source().begin.line) + ")";
  }
  throw Error(code, std::move(msg), path);
}

std::string_view type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a decimal number";
    case toml::node_type::boolean:
      return "true or false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

bool is_key_text(std::string_view s, size_t max_len, bool allow_dot_star) {
  if (s.empty() || s.size() > max_len) return false;
  for (char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    (allow_dot_star && (ch == '.' || ch == '*'));
    if (!ok) return false;
  }
  return true;
}

// Reads one TOML table key by key; done() refuses every key that was never
// asked for, naming the nearest known key so a typo in a statute is caught.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string path) : t_(t), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return join(path_, key); }

  const toml::node* get(std::string_view key) {
    asked_.emplace(key);
    return t_.get(key);
  }

  std::optional<std::string> opt_str(std::string_view key, size_t max_len) {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    const auto* v = n->as_string();
    if (v == nullptr) wrong(key, n, "a string");
    const std::string& s = v->get();
    if (s.size() > max_len) {
      fail(Code::out_of_range, at(key), n, "longer than " + std::to_string(max_len) + " bytes");
    }
    return s;
  }
  std::string str(std::string_view key, size_t max_len) {
    auto s = opt_str(key, max_len);
    if (!s) missing(key);
    return *s;
  }
  // One line of text for people to read: no control characters.
  std::string text(std::string_view key, bool required) {
    auto s = opt_str(key, kMaxNameChars);
    if (!s) {
      if (required) missing(key);
      return {};
    }
    for (unsigned char ch : *s) {
      if (ch < 0x20 || ch == 0x7f)
        fail(Code::invalid_value, at(key), t_.get(key), "must be one line of text");
    }
    return *s;
  }
  int64_t integer(std::string_view key, int64_t min, int64_t max, int64_t dflt) {
    const toml::node* n = get(key);
    if (n == nullptr) return dflt;
    const auto* v = n->as_integer();
    if (v == nullptr) wrong(key, n, "an integer");
    const int64_t x = v->get();
    if (x < min || x > max) {
      fail(Code::out_of_range, at(key), n,
           std::to_string(x) + " is out of range " + std::to_string(min) + ".." +
               std::to_string(max));
    }
    return x;
  }
  bool boolean(std::string_view key, bool dflt) {
    const toml::node* n = get(key);
    if (n == nullptr) return dflt;
    const auto* v = n->as_boolean();
    if (v == nullptr) wrong(key, n, "true or false");
    return v->get();
  }
  // An array of strings, each checked by `check` (returns a reason or "").
  template <typename Check>
  std::vector<std::string> strings(std::string_view key, size_t max_items, Check check) {
    std::vector<std::string> out;
    const toml::node* n = get(key);
    if (n == nullptr) return out;
    const auto* arr = n->as_array();
    if (arr == nullptr) wrong(key, n, "an array of strings");
    if (arr->size() > max_items) {
      fail(Code::out_of_range, at(key), n, "more than " + std::to_string(max_items) + " items");
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& item = *arr->get(i);
      const std::string p = indexed(at(key), i);
      const auto* v = item.as_string();
      if (v == nullptr)
        fail(Code::invalid_value, p, &item,
             std::string("expected a string, found ") + std::string(type_name(item)));
      const std::string reason = check(v->get());
      if (!reason.empty()) fail(Code::invalid_value, p, &item, reason);
      if (std::find(out.begin(), out.end(), v->get()) != out.end()) {
        fail(Code::invalid_value, p, &item, "\"" + v->get() + "\" is listed twice");
      }
      out.push_back(v->get());
    }
    return out;
  }
  voting::Ratio ratio(std::string_view key, voting::Ratio dflt) {
    const toml::node* n = get(key);
    if (n == nullptr) return dflt;
    const auto* v = n->as_string();
    if (v == nullptr) wrong(key, n, "a ratio as a string such as \"2/3\"");
    // Two decimal integers around one slash; nothing else (no spaces, signs
    // or percentages), so a statute means exactly one thing.
    const std::string& s = v->get();
    const size_t slash = s.find('/');
    voting::Ratio r{-1, 0};
    const auto whole = [](std::string_view d, int64_t& out) {
      if (d.empty() || d.size() > 18) return false;
      for (char ch : d) {
        if (ch < '0' || ch > '9') return false;
      }
      std::from_chars(d.data(), d.data() + d.size(), out);
      return true;
    };
    if (slash == std::string::npos || !whole(std::string_view(s).substr(0, slash), r.num) ||
        !whole(std::string_view(s).substr(slash + 1), r.den)) {
      fail(Code::invalid_value, at(key), n,
           "\"" + clip(s, 40) + "\" is not a ratio such as \"2/3\"");
    }
    if (r.den < 1 || r.den > kMaxRatioDen || r.num > r.den) {
      fail(Code::out_of_range, at(key), n,
           "\"" + s + "\": the denominator must be 1.." + std::to_string(kMaxRatioDen) +
               " and the numerator at most the denominator");
    }
    return r;
  }
  // An optional sub-table.
  const toml::table* table(std::string_view key) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    const auto* t = n->as_table();
    if (t == nullptr) wrong(key, n, "a table");
    return t;
  }
  // An optional array of tables ([[key]]).
  const toml::array* tables(std::string_view key, size_t max_items) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    const auto* arr = n->as_array();
    // An empty array is no array of tables to toml++, but holds no entry either.
    if (arr == nullptr || (!arr->empty() && !arr->is_array_of_tables())) {
      wrong(key, n, "an array of tables, written [[" + std::string(key) + "]]");
    }
    if (arr->size() > max_items) {
      fail(Code::out_of_range, at(key), n, "more than " + std::to_string(max_items) + " entries");
    }
    return arr;
  }

  void done() const {
    for (auto&& [k, v] : t_) {
      const std::string_view key = k.str();
      if (asked_.count(key) != 0) continue;
      std::string_view best;
      size_t best_d = 3;
      for (const std::string& known : asked_) {
        const size_t d = edit_distance(key, known);
        if (d < best_d) {
          best_d = d;
          best = known;
        }
      }
      std::string reason = "unknown key";
      if (!best.empty()) {
        reason += "; did you mean \"" + std::string(best) + "\"?";
      } else {
        reason += "; known keys here:";
        for (const std::string& known : asked_) reason += " " + known;
      }
      fail(Code::invalid_value, at(key), &v, reason);
    }
  }

  [[noreturn]] void missing(std::string_view key) const {
    fail(Code::invalid_value, at(key), &t_, "missing (required)");
  }
  [[noreturn]] void wrong(std::string_view key, const toml::node* n,
                          std::string_view expected) const {
    fail(Code::invalid_value, at(key), n,
         "expected " + std::string(expected) + ", found " + std::string(type_name(*n)));
  }

 private:
  const toml::table& t_;
  std::string path_;
  std::set<std::string, std::less<>> asked_;
};

template <size_t N>
size_t enum_index(TableReader& r, std::string_view key, const std::string_view (&names)[N],
                  std::optional<size_t> dflt) {
  const auto s = r.opt_str(key, 64);
  if (!s) {
    if (!dflt) r.missing(key);
    return *dflt;
  }
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == *s) return i;
  }
  std::string known;
  for (size_t i = 0; i < N; ++i) known += (i ? ", " : "") + std::string(names[i]);
  fail(Code::invalid_value, r.at(key), r.get(key),
       "\"" + clip(*s, 64) + "\" is not one of " + known);
}

std::string check_class_code(const std::string& s) {
  return is_key_text(s, 32, false) ? "" : "a member class code is 1-32 of a-z, 0-9 and '_'";
}
std::string check_body_key(const std::string& s) {
  return is_key_text(s, 40, false) ? "" : "a body key is 1-40 of a-z, 0-9 and '_'";
}
std::string check_domain_key(const std::string& s) {
  if (!is_key_text(s, 60, true)) return "a domain key is 1-60 of a-z, 0-9, '_', '.' and '*'";
  if (s != "*" && s.find('*') != std::string::npos) {
    return "\"*\" stands alone as the default entry; it is no wildcard inside a key";
  }
  return "";
}

Electorate read_electorate(const toml::table& t, const std::string& path) {
  TableReader r(t, path);
  Electorate e;
  e.classes = r.strings("classes", kMaxClasses, check_class_code);
  e.min_age = static_cast<int32_t>(r.integer("min_age", 0, 150, 0));
  e.min_yearly_spend_minor = r.integer("min_yearly_spend_minor", 0, kMaxSpendMinor, 0);
  e.min_tenure_days = static_cast<int32_t>(r.integer("min_tenure_days", 0, kMaxDays, 0));
  e.candidate_min_tenure_days =
      static_cast<int32_t>(r.integer("candidate_min_tenure_days", 0, kMaxDays, 0));
  r.done();
  return e;
}

Body read_body(const toml::table& t, const std::string& path) {
  TableReader r(t, path);
  Body b;
  b.key = r.str("key", 40);
  if (auto why = check_body_key(b.key); !why.empty())
    fail(Code::invalid_value, r.at("key"), r.get("key"), why);
  b.kind = static_cast<BodyKind>(enum_index(r, "kind", kBodyKindNames, std::nullopt));
  b.name = r.text("name", false);
  b.weights = static_cast<WeightRule>(enum_index(r, "weights", kWeightNames, 0));
  b.proxies = r.boolean("proxies", false);
  b.max_proxies_per_holder = static_cast<int32_t>(r.integer("max_proxies_per_holder", 0, 100, 1));
  b.seats = static_cast<int32_t>(r.integer("seats", 0, kMaxSeats, 0));
  if (b.seated() && b.seats < 1) {
    fail(Code::out_of_range, r.at("seats"), r.get("seats") ? r.get("seats") : &t,
         "a " + std::string(body_kind_name(b.kind)) + " needs seats = 1.." +
             std::to_string(kMaxSeats));
  }
  if (!b.seated() && b.seats != 0) {
    fail(Code::invalid_value, r.at("seats"), r.get("seats"),
         "a " + std::string(body_kind_name(b.kind)) +
             " has no seats (its members or delegates sit in it); leave seats out");
  }
  if (auto s = r.opt_str("elected_by", 40)) {
    if (!s->empty()) {
      if (auto why = check_body_key(*s); !why.empty())
        fail(Code::invalid_value, r.at("elected_by"), r.get("elected_by"), why);
      if (!b.seated()) {
        fail(Code::invalid_value, r.at("elected_by"), r.get("elected_by"),
             "only a board, committee or council is elected");
      }
    }
    b.elected_by = *s;
  }
  if (const toml::table* e = r.table("electorate"))
    b.electorate = read_electorate(*e, r.at("electorate"));
  if (const toml::array* chambers = r.tables("chamber", kMaxChambers)) {
    if (!b.seated() && !chambers->empty()) {
      fail(Code::invalid_value, r.at("chamber"), r.get("chamber"),
           "only a body with seats has chambers");
    }
    int64_t total = 0;
    for (size_t i = 0; i < chambers->size(); ++i) {
      const std::string p = indexed(r.at("chamber"), i);
      TableReader cr(*chambers->get(i)->as_table(), p);
      Chamber c;
      c.member_class = cr.str("class", 32);
      if (auto why = check_class_code(c.member_class); !why.empty())
        fail(Code::invalid_value, cr.at("class"), cr.get("class"), why);
      c.seats = static_cast<int32_t>(cr.integer("seats", 1, kMaxSeats, 1));
      cr.done();
      for (const Chamber& other : b.chambers) {
        if (other.member_class == c.member_class) {
          fail(Code::invalid_value, cr.at("class"), cr.get("class"),
               "class \"" + c.member_class + "\" already has a chamber in this body");
        }
      }
      total += c.seats;
      b.chambers.push_back(std::move(c));
    }
    if (total > b.seats) {
      fail(Code::out_of_range, r.at("chamber"), r.get("chamber"),
           "the chambers reserve " + std::to_string(total) + " seats but the body has " +
               std::to_string(b.seats));
    }
  }
  r.done();
  return b;
}

TwoStage read_two_stage(const toml::table& t, const std::string& path) {
  TableReader r(t, path);
  TwoStage s;
  s.second.ratio = r.ratio("second_threshold", {1, 2});
  s.second.of = static_cast<voting::Threshold::Of>(
      enum_index(r, "second_threshold_of", {"cast", "eligible"}, 0));
  s.second.strict = r.boolean("second_threshold_strict", true);
  s.min_gap_days = static_cast<int32_t>(r.integer("min_gap_days", 1, 365, 14));
  s.max_gap_days = static_cast<int32_t>(r.integer("max_gap_days", 1, 365, 31));
  if (s.max_gap_days < s.min_gap_days) {
    fail(Code::out_of_range, r.at("max_gap_days"),
         r.get("max_gap_days") ? r.get("max_gap_days") : &t,
         std::to_string(s.max_gap_days) + " is less than min_gap_days (" +
             std::to_string(s.min_gap_days) + ")");
  }
  r.done();
  return s;
}

Domain read_domain(const toml::table& t, const std::string& path, const std::vector<Body>& bodies) {
  TableReader r(t, path);
  Domain d;
  d.key = r.str("key", 60);
  if (auto why = check_domain_key(d.key); !why.empty())
    fail(Code::invalid_value, r.at("key"), r.get("key"), why);
  d.bodies = r.strings("bodies", kMaxBodyRefs, [&](const std::string& k) -> std::string {
    if (auto why = check_body_key(k); !why.empty()) return why;
    for (const Body& b : bodies) {
      if (b.key == k) return "";
    }
    return "no body has key \"" + k + "\"";
  });
  if (d.bodies.empty()) {
    fail(Code::invalid_value, r.at("bodies"), r.get("bodies") ? r.get("bodies") : &t,
         "name at least one body that decides");
  }
  d.joint_with = r.strings("joint_with", kMaxBodyRefs, check_body_key);
  if (auto m = r.opt_str("method", 64)) {
    const auto parsed = voting::parse_method(*m);
    if (!parsed) {
      std::string known;
      for (voting::Method x : voting::all_methods())
        known += (known.empty() ? "" : ", ") + std::string(voting::method_name(x));
      fail(Code::invalid_value, r.at("method"), r.get("method"),
           "\"" + clip(*m, 64) + "\" is not one of " + known);
    }
    d.method = *parsed;
  }
  d.rule.quorum = r.ratio("quorum", {0, 1});
  d.rule.threshold.ratio = r.ratio("threshold", {1, 2});
  d.rule.threshold.of =
      static_cast<voting::Threshold::Of>(enum_index(r, "threshold_of", {"cast", "eligible"}, 0));
  d.rule.threshold.strict = r.boolean("threshold_strict", true);
  d.notice_days = static_cast<int32_t>(r.integer("notice_days", 0, 365, 0));
  d.voting_days = static_cast<int32_t>(r.integer("voting_days", 1, 90, 7));
  d.secret = r.boolean("secret", false);
  d.results_hidden = r.boolean("results_hidden", false);
  d.seats = static_cast<int32_t>(r.integer("seats", 1, kMaxSeats, 1));
  const bool motion = d.method == voting::Method::majority || d.method == voting::Method::consent;
  if (motion && d.seats != 1) {
    fail(Code::invalid_value, r.at("seats"), r.get("seats"),
         "a " + std::string(voting::method_name(d.method)) +
             " motion has no seats; leave seats out");
  }
  const bool single = d.method == voting::Method::irv || d.method == voting::Method::star;
  if (single && d.seats != 1) {
    fail(Code::invalid_value, r.at("seats"), r.get("seats"),
         std::string(voting::method_name(d.method)) +
             " elects one; use scottish_stv or meek_stv for several seats");
  }
  if (const toml::table* ts = r.table("two_stage")) {
    if (d.method != voting::Method::majority) {
      fail(Code::invalid_value, r.at("two_stage"), ts,
           "only a majority motion is confirmed at a second meeting");
    }
    d.two_stage = read_two_stage(*ts, r.at("two_stage"));
  }
  r.done();
  return d;
}

// An elected_by chain that returns to where it started would leave no body
// to hold the first election.
void check_elections(const std::vector<Body>& bodies, const toml::array* nodes) {
  for (size_t i = 0; i < bodies.size(); ++i) {
    const Body* b = &bodies[i];
    const std::string p = join(indexed("body", i), "elected_by");
    const toml::node* at = nodes->get(i);
    if (b->elected_by.empty()) continue;
    if (b->elected_by == b->key) fail(Code::invalid_value, p, at, "a body cannot elect itself");
    size_t steps = 0;
    while (b != nullptr && !b->elected_by.empty()) {
      const Body* next = nullptr;
      for (const Body& x : bodies) {
        if (x.key == b->elected_by) next = &x;
      }
      if (next == nullptr)
        fail(Code::invalid_value, p, at, "no body has key \"" + b->elected_by + "\"");
      if (++steps > bodies.size())
        fail(Code::invalid_value, p, at, "bodies elect each other in a circle");
      b = next;
    }
  }
}

void escape_toml(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (ch < 0x20 || ch == 0x7f) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          out += "\\u00";
          out += kHex[ch >> 4];
          out += kHex[ch & 15];
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
}

class TomlWriter {
 public:
  void str(std::string_view key, std::string_view v) {
    line(key);
    escape_toml(out_, v);
    out_ += '\n';
  }
  void num(std::string_view key, int64_t v) {
    line(key);
    out_ += std::to_string(v) + "\n";
  }
  void flag(std::string_view key, bool v) {
    line(key);
    out_ += v ? "true\n" : "false\n";
  }
  void list(std::string_view key, const std::vector<std::string>& v) {
    line(key);
    out_ += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out_ += ", ";
      escape_toml(out_, v[i]);
    }
    out_ += "]\n";
  }
  void header(std::string_view h) { out_ += "\n" + std::string(h) + "\n"; }
  std::string take() { return std::move(out_); }

 private:
  void line(std::string_view key) { out_ += std::string(key) + " = "; }
  std::string out_;
};

bool same(const voting::Ratio& a, const voting::Ratio& b) {
  return a.num == b.num && a.den == b.den;
}
bool same(const voting::Threshold& a, const voting::Threshold& b) {
  return same(a.ratio, b.ratio) && a.of == b.of && a.strict == b.strict;
}
bool same(const Electorate& a, const Electorate& b) {
  return a.classes == b.classes && a.min_age == b.min_age &&
         a.min_yearly_spend_minor == b.min_yearly_spend_minor &&
         a.min_tenure_days == b.min_tenure_days &&
         a.candidate_min_tenure_days == b.candidate_min_tenure_days;
}
bool same(const Body& a, const Body& b) {
  if (a.chambers.size() != b.chambers.size()) return false;
  for (size_t i = 0; i < a.chambers.size(); ++i) {
    if (a.chambers[i].member_class != b.chambers[i].member_class ||
        a.chambers[i].seats != b.chambers[i].seats) {
      return false;
    }
  }
  return a.key == b.key && a.kind == b.kind && a.name == b.name && a.weights == b.weights &&
         a.proxies == b.proxies && a.max_proxies_per_holder == b.max_proxies_per_holder &&
         a.seats == b.seats && a.elected_by == b.elected_by && same(a.electorate, b.electorate);
}
bool same(const Domain& a, const Domain& b) {
  if (a.two_stage.has_value() != b.two_stage.has_value()) return false;
  if (a.two_stage && !(same(a.two_stage->second, b.two_stage->second) &&
                       a.two_stage->min_gap_days == b.two_stage->min_gap_days &&
                       a.two_stage->max_gap_days == b.two_stage->max_gap_days)) {
    return false;
  }
  return a.key == b.key && a.bodies == b.bodies && a.joint_with == b.joint_with &&
         a.method == b.method && same(a.rule.quorum, b.rule.quorum) &&
         same(a.rule.threshold, b.rule.threshold) && a.notice_days == b.notice_days &&
         a.voting_days == b.voting_days && a.secret == b.secret &&
         a.results_hidden == b.results_hidden && a.seats == b.seats;
}

}  // namespace

std::string_view body_kind_name(BodyKind k) { return kBodyKindNames[static_cast<size_t>(k)]; }

bool Body::seated() const {
  return kind == BodyKind::board || kind == BodyKind::committee || kind == BodyKind::council;
}

const Body* Constitution::body(std::string_view key) const {
  for (const Body& b : bodies) {
    if (b.key == key) return &b;
  }
  return nullptr;
}

const Domain* Constitution::domain(std::string_view key) const {
  const Domain* fallback = nullptr;
  for (const Domain& d : domains) {
    if (d.key == key) return &d;
    if (d.key == "*") fallback = &d;
  }
  return fallback;
}

bool Constitution::reserves(std::string_view domain_key) const {
  return std::find(reserved.begin(), reserved.end(), domain_key) != reserved.end();
}

Constitution parse_constitution(std::string_view toml_text) {
  if (toml_text.size() > kMaxConstitutionBytes) {
    throw Error(Code::out_of_range,
                "a constitution is at most " + std::to_string(kMaxConstitutionBytes) +
                    " bytes of TOML; this one has " + std::to_string(toml_text.size()));
  }
  toml::table doc;
  try {
    doc = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    // The one place toml++'s own exception is turned into ours.
    const auto& pos = e.source().begin;
    throw Error(Code::bad_file, std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
                                    std::string(e.description()));
  }

  TableReader r(doc, "");
  Constitution c;
  c.name = r.text("name", true);
  if (c.name.empty()) fail(Code::invalid_value, "name", r.get("name"), "must not be empty");
  c.reserved = r.strings("reserved", kMaxDomains, [](const std::string& k) -> std::string {
    if (k == "*")
      return "reserve named domains; \"*\" would take every decision away from the orgs below";
    return check_domain_key(k);
  });

  const toml::array* body_nodes = r.tables("body", kMaxBodies);
  if (body_nodes == nullptr || body_nodes->empty()) {
    fail(Code::invalid_value, "body", nullptr, "a constitution has at least one body ([[body]])");
  }
  for (size_t i = 0; i < body_nodes->size(); ++i) {
    Body b = read_body(*body_nodes->get(i)->as_table(), indexed("body", i));
    if (c.body(b.key) != nullptr) {
      fail(Code::invalid_value, join(indexed("body", i), "key"), body_nodes->get(i),
           "another body already has key \"" + b.key + "\"");
    }
    c.bodies.push_back(std::move(b));
  }
  check_elections(c.bodies, body_nodes);

  if (const toml::array* domain_nodes = r.tables("domain", kMaxDomains)) {
    for (size_t i = 0; i < domain_nodes->size(); ++i) {
      Domain d = read_domain(*domain_nodes->get(i)->as_table(), indexed("domain", i), c.bodies);
      for (const Domain& other : c.domains) {
        if (other.key == d.key) {
          fail(Code::invalid_value, join(indexed("domain", i), "key"), domain_nodes->get(i),
               "another domain already has key \"" + d.key + "\"");
        }
      }
      c.domains.push_back(std::move(d));
    }
  }
  r.done();

  for (size_t i = 0; i < c.reserved.size(); ++i) {
    if (c.domain(c.reserved[i]) == nullptr) {
      fail(Code::invalid_value, indexed("reserved", i), r.get("reserved"),
           "\"" + c.reserved[i] +
               "\" is reserved here but no [[domain]] entry (nor \"*\") says who decides it");
    }
  }
  return c;
}

std::string to_toml(const Constitution& c) {
  TomlWriter w;
  w.str("name", c.name);
  if (!c.reserved.empty()) w.list("reserved", c.reserved);
  for (const Body& b : c.bodies) {
    w.header("[[body]]");
    w.str("key", b.key);
    w.str("kind", body_kind_name(b.kind));
    w.str("name", b.name);
    w.str("weights", weight_name(b.weights));
    w.flag("proxies", b.proxies);
    w.num("max_proxies_per_holder", b.max_proxies_per_holder);
    w.num("seats", b.seats);
    if (!b.elected_by.empty()) w.str("elected_by", b.elected_by);
    w.header("[body.electorate]");
    if (!b.electorate.classes.empty()) w.list("classes", b.electorate.classes);
    w.num("min_age", b.electorate.min_age);
    w.num("min_yearly_spend_minor", b.electorate.min_yearly_spend_minor);
    w.num("min_tenure_days", b.electorate.min_tenure_days);
    w.num("candidate_min_tenure_days", b.electorate.candidate_min_tenure_days);
    for (const Chamber& ch : b.chambers) {
      w.header("[[body.chamber]]");
      w.str("class", ch.member_class);
      w.num("seats", ch.seats);
    }
  }
  for (const Domain& d : c.domains) {
    w.header("[[domain]]");
    w.str("key", d.key);
    w.list("bodies", d.bodies);
    if (!d.joint_with.empty()) w.list("joint_with", d.joint_with);
    w.str("method", voting::method_name(d.method));
    w.str("quorum", ratio_str(d.rule.quorum));
    w.str("threshold", ratio_str(d.rule.threshold.ratio));
    w.str("threshold_of", of_name(d.rule.threshold.of));
    w.flag("threshold_strict", d.rule.threshold.strict);
    w.num("notice_days", d.notice_days);
    w.num("voting_days", d.voting_days);
    w.flag("secret", d.secret);
    w.flag("results_hidden", d.results_hidden);
    w.num("seats", d.seats);
    if (d.two_stage) {
      w.header("[domain.two_stage]");
      w.str("second_threshold", ratio_str(d.two_stage->second.ratio));
      w.str("second_threshold_of", of_name(d.two_stage->second.of));
      w.flag("second_threshold_strict", d.two_stage->second.strict);
      w.num("min_gap_days", d.two_stage->min_gap_days);
      w.num("max_gap_days", d.two_stage->max_gap_days);
    }
  }
  return w.take();
}

Json to_json(const Constitution& c) {
  Json bodies = Json::array();
  for (const Body& b : c.bodies) {
    Json chambers = Json::array();
    for (const Chamber& ch : b.chambers)
      chambers.push_back({{"class", ch.member_class}, {"seats", ch.seats}});
    bodies.push_back({
        {"key", b.key},
        {"kind", body_kind_name(b.kind)},
        {"name", b.name},
        {"weights", weight_name(b.weights)},
        {"proxies", b.proxies},
        {"max_proxies_per_holder", b.max_proxies_per_holder},
        {"seats", b.seats},
        {"elected_by", b.elected_by},
        {"electorate",
         {{"classes", b.electorate.classes},
          {"min_age", b.electorate.min_age},
          {"min_yearly_spend_minor", b.electorate.min_yearly_spend_minor},
          {"min_tenure_days", b.electorate.min_tenure_days},
          {"candidate_min_tenure_days", b.electorate.candidate_min_tenure_days}}},
        {"chamber", chambers},
    });
  }
  Json domains = Json::array();
  for (const Domain& d : c.domains) {
    Json two_stage = nullptr;
    if (d.two_stage) {
      two_stage = {{"second_threshold", ratio_str(d.two_stage->second.ratio)},
                   {"second_threshold_of", of_name(d.two_stage->second.of)},
                   {"second_threshold_strict", d.two_stage->second.strict},
                   {"min_gap_days", d.two_stage->min_gap_days},
                   {"max_gap_days", d.two_stage->max_gap_days}};
    }
    domains.push_back({
        {"key", d.key},
        {"bodies", d.bodies},
        {"joint_with", d.joint_with},
        {"method", voting::method_name(d.method)},
        {"quorum", ratio_str(d.rule.quorum)},
        {"threshold", ratio_str(d.rule.threshold.ratio)},
        {"threshold_of", of_name(d.rule.threshold.of)},
        {"threshold_strict", d.rule.threshold.strict},
        {"notice_days", d.notice_days},
        {"voting_days", d.voting_days},
        {"secret", d.secret},
        {"results_hidden", d.results_hidden},
        {"seats", d.seats},
        {"two_stage", two_stage},
    });
  }
  return {{"name", c.name}, {"reserved", c.reserved}, {"body", bodies}, {"domain", domains}};
}

bool operator==(const Constitution& a, const Constitution& b) {
  if (a.name != b.name || a.reserved != b.reserved || a.bodies.size() != b.bodies.size() ||
      a.domains.size() != b.domains.size()) {
    return false;
  }
  for (size_t i = 0; i < a.bodies.size(); ++i) {
    if (!same(a.bodies[i], b.bodies[i])) return false;
  }
  for (size_t i = 0; i < a.domains.size(); ++i) {
    if (!same(a.domains[i], b.domains[i])) return false;
  }
  return true;
}

std::optional<Where> where_decided(std::span<const Constitution* const> chain,
                                   std::string_view domain_key) {
  if (chain.empty()) return std::nullopt;
  size_t level = 0;
  for (size_t i = chain.size(); i-- > 1;) {
    if (chain[i] != nullptr && chain[i]->reserves(domain_key)) {
      level = i;
      break;
    }
  }
  if (chain[level] == nullptr) return std::nullopt;
  const Domain* d = chain[level]->domain(domain_key);
  if (d == nullptr) return std::nullopt;
  return Where{.level = level, .domain = d, .reserved = level > 0};
}

}  // namespace agora::governance
