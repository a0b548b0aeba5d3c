#include "app/import_csv.h"

#include <fmt/format.h>

namespace agora::app::csv {

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
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
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, const Limits& limits) : s_(text), limits_(limits) {}

  Table run() {
    if (s_.size() > limits_.max_bytes) {
      fatal(0, fmt::format("the file is {} bytes; the limit is {} bytes", s_.size(),
                           limits_.max_bytes));
      return std::move(t_);
    }
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    bool have_header = false;
    while (i_ < s_.size() && !t_.truncated) {
      Record rec;
      rec.line = line_;
      std::vector<std::string> reasons;
      bool blank = false;
      if (!read_record(rec, reasons, blank)) return std::move(t_);
      if (blank) continue;
      const std::vector<std::string>* names = have_header ? &t_.header : nullptr;
      check_fields(rec, reasons, names);
      if (!have_header) {
        have_header = true;
        t_.header = std::move(rec.fields);
        t_.header_line = rec.line;
        if (!reasons.empty()) t_.problems.push_back({rec.line, "header: " + join(reasons)});
        continue;
      }
      if (++records_ > limits_.max_records) {
        fatal(rec.line, fmt::format("more than {} records; the limit is {}", limits_.max_records,
                                    limits_.max_records));
        break;
      }
      if (rec.fields.size() != t_.header.size()) {
        reasons.insert(reasons.begin(),
                       fmt::format("has {} fields; the header has {}", rec.fields.size(),
                                   t_.header.size()));
      }
      if (reasons.empty()) {
        t_.records.push_back(std::move(rec));
      } else {
        t_.problems.push_back({rec.line, join(reasons)});
      }
    }
    return std::move(t_);
  }

 private:
  void fatal(int64_t line, std::string message) {
    t_.problems.push_back({line, std::move(message)});
    t_.truncated = true;
  }

  // Consumes one line end (CRLF, LF or a lone CR) at i_ and counts it.
  void eat_line_end() {
    if (s_[i_] == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
    ++i_;
    ++line_;
  }

  bool at_line_end() const { return s_[i_] == '\r' || s_[i_] == '\n'; }

  // Appends c to the field unless it is already over the bound (the record is
  // refused anyway; this keeps memory bounded on a hostile file).
  void put(std::string& field, char c, bool& too_long) {
    if (field.size() >= limits_.max_field_bytes) {
      too_long = true;
      return;
    }
    field.push_back(c);
  }

  // Reads one record starting at i_. Returns false after a fatal problem.
  bool read_record(Record& rec, std::vector<std::string>& reasons, bool& blank) {
    const size_t start = i_;
    bool any_quoted = false;
    while (true) {
      std::string field;
      bool too_long = false;
      bool stray_quote = false;
      bool after_quote = false;
      if (i_ < s_.size() && s_[i_] == '"') {
        any_quoted = true;
        const int64_t open_line = line_;
        ++i_;
        while (true) {
          if (i_ >= s_.size()) {
            fatal(open_line, fmt::format("a quoted field opened on line {} is never closed",
                                         open_line));
            return false;
          }
          const char c = s_[i_];
          if (c == '"') {
            if (i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
              put(field, '"', too_long);
              i_ += 2;
              continue;
            }
            ++i_;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i_ + 1 < s_.size() && s_[i_ + 1] == '\n'))) ++line_;
          put(field, c, too_long);
          ++i_;
        }
        // After the closing quote only a separator or the end of the record
        // may follow; skip the rest of a malformed field.
        while (i_ < s_.size() && s_[i_] != ',' && !at_line_end()) {
          after_quote = true;
          ++i_;
        }
      } else {
        while (i_ < s_.size() && s_[i_] != ',' && !at_line_end()) {
          if (s_[i_] == '"') stray_quote = true;
          put(field, s_[i_], too_long);
          ++i_;
        }
      }
      const size_t col = rec.fields.size() + 1;
      if (after_quote) reasons.push_back(fmt::format("field {}: text after the closing quote", col));
      if (stray_quote) {
        reasons.push_back(fmt::format("field {}: a quote inside an unquoted field", col));
      }
      if (too_long) {
        reasons.push_back(
            fmt::format("field {}: longer than {} bytes", col, limits_.max_field_bytes));
      }
      if (rec.fields.size() < limits_.max_fields) {
        rec.fields.push_back(std::move(field));
      } else if (rec.fields.size() == limits_.max_fields) {
        reasons.push_back(fmt::format("more than {} fields", limits_.max_fields));
        rec.fields.emplace_back();
      }
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size()) eat_line_end();
      break;
    }
    blank = !any_quoted && rec.fields.size() == 1 && rec.fields[0].empty() && i_ > start &&
            reasons.empty();
    return true;
  }

  void check_fields(const Record& rec, std::vector<std::string>& reasons,
                    const std::vector<std::string>* names) {
    for (size_t k = 0; k < rec.fields.size(); ++k) {
      if (!valid_utf8(rec.fields[k])) {
        if (names != nullptr && k < names->size()) {
          reasons.push_back(fmt::format("field {} ({}): not valid UTF-8", k + 1, (*names)[k]));
        } else {
          reasons.push_back(fmt::format("field {}: not valid UTF-8", k + 1));
        }
      }
    }
  }

  std::string_view s_;
  const Limits& limits_;
  size_t i_ = 0;
  int64_t line_ = 1;
  size_t records_ = 0;
  Table t_;
};

}  // namespace

Table parse(std::string_view text, const Limits& limits) { return Parser(text, limits).run(); }

}  // namespace agora::app::csv
