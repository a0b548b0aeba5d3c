#include "budget/pabulib.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"

namespace agora::budget {

namespace {

constexpr size_t kMaxLineBytes = size_t{1} << 20;
constexpr size_t kMaxFieldBytes = size_t{64} << 10;
constexpr size_t kMaxIdBytes = 256;

class Reader {
 public:
  Reader(std::string_view text, std::string_view file_name) : text_(text), file_(file_name) {
    if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw Error(Code::bad_file, std::string(file_) + ":" + std::to_string(line_no_) + ": " + why);
  }

  // The next line without its end of line; nullopt at the end of the text.
  std::optional<std::string_view> next_line() {
    if (pos_ >= text_.size()) return std::nullopt;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes) fail("the line is longer than 1 MiB");
    return line;
  }

  // Splits a line on ';', honouring double quotes.
  std::vector<std::string> fields(std::string_view line) const {
    std::vector<std::string> out;
    std::string cur;
    size_t i = 0;
    for (;;) {
      cur.clear();
      if (i < line.size() && line[i] == '"') {
        ++i;
        for (;;) {
          if (i >= line.size()) fail("a quoted field is not closed");
          if (line[i] == '"') {
            if (i + 1 < line.size() && line[i + 1] == '"') {
              cur.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          cur.push_back(line[i++]);
        }
        if (i < line.size() && line[i] != ';') fail("text after a closing quote");
      } else {
        const size_t end = std::min(line.find(';', i), line.size());
        cur.assign(line.substr(i, end - i));
        i = end;
      }
      if (cur.size() > kMaxFieldBytes) fail("a field is longer than 64 KiB");
      out.push_back(cur);
      if (i >= line.size()) break;
      ++i;  // the ';'
    }
    return out;
  }

  // A whole number in [lo, hi]; "12.0" and "12.00" read as 12.
  int64_t whole(std::string_view s, int64_t lo, int64_t hi, const char* what) const {
    std::string_view t = s;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    const size_t dot = t.find('.');
    std::string_view digits = t.substr(0, dot);
    if (dot != std::string_view::npos) {
      const std::string_view frac = t.substr(dot + 1);
      if (frac.empty() || frac.find_first_not_of('0') != std::string_view::npos) {
        if (!frac.empty() && frac.find_first_not_of("0123456789") == std::string_view::npos)
          fail(std::string(what) + " must be a whole number, not " + std::string(s));
        fail(std::string(what) + " is not a number: '" + std::string(s) + "'");
      }
    }
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      if (ec == std::errc::result_out_of_range)
        fail(std::string(what) + " is too large: " + std::string(s));
      fail(std::string(what) + " is not a number: '" + std::string(s) + "'");
    }
    if (v < lo || v > hi)
      fail(std::string(what) + " must be " + std::to_string(lo) + ".." + std::to_string(hi) +
           ", not " + std::string(s));
    return v;
  }

  size_t line_no() const { return line_no_; }

 private:
  std::string_view text_;
  std::string_view file_;
  size_t pos_ = 0;
  size_t line_no_ = 0;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  if (s.find_first_not_of(' ') == std::string_view::npos) return out;
  size_t i = 0;
  for (;;) {
    const size_t end = std::min(s.find(',', i), s.size());
    std::string_view t = s.substr(i, end - i);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    out.push_back(t);
    if (end >= s.size()) break;
    i = end + 1;
  }
  return out;
}

int column(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (lower(header[i]) == name) return static_cast<int>(i);
  return -1;
}

}  // namespace

PabulibFile read_pabulib(std::string_view text, std::string_view file_name) {
  Reader r(text, file_name);
  if (text.size() > kMaxPabulibBytes)
    r.fail("the file is over " + std::to_string(kMaxPabulibBytes) + " bytes");
  PabulibFile f;
  Election& e = f.election;

  enum class Section { none, meta, projects, votes };
  Section section = Section::none;
  bool need_header = false;
  bool seen_meta = false, seen_projects = false, seen_votes = false;
  std::optional<int64_t> budget;
  std::vector<std::string> header;
  int col_id = -1, col_cost = -1, col_name = -1, col_vote = -1, col_points = -1, col_voter = -1;
  std::unordered_map<std::string, int32_t> project_index;
  std::unordered_set<std::string> voter_ids;
  std::vector<int32_t> ballot;
  std::vector<int64_t> points;
  std::vector<int64_t> seen;  // per project: the last voter naming it

  while (auto line = r.next_line()) {
    if (blank(*line)) continue;
    const std::string word = lower(*line);
    if (word == "meta" || word == "projects" || word == "votes") {
      const Section next = word == "meta"       ? Section::meta
                           : word == "projects" ? Section::projects
                                                : Section::votes;
      bool& seen_it = next == Section::meta       ? seen_meta
                      : next == Section::projects ? seen_projects
                                                  : seen_votes;
      if (seen_it) r.fail("a second " + word + " section");
      if (next == Section::projects && !seen_meta) r.fail("PROJECTS before META");
      if (next == Section::votes && !seen_projects) r.fail("VOTES before PROJECTS");
      if (need_header) r.fail("the section before has no header row");
      if (next == Section::projects || next == Section::votes) {
        if (!budget) r.fail("META has no budget");
        if (f.vote_type.empty()) r.fail("META has no vote_type");
      }
      if (next == Section::votes) {
        if (e.projects.empty()) r.fail("PROJECTS lists no project");
        seen.assign(e.projects.size(), -1);
      }
      seen_it = true;
      section = next;
      need_header = true;
      continue;
    }
    if (section == Section::none) r.fail("the file must start with META");
    std::vector<std::string> row = r.fields(*line);
    if (need_header) {
      header = row;
      need_header = false;
      if (section == Section::meta) {
        if (column(header, "key") != 0 || column(header, "value") != 1)
          r.fail("the META header must be key;value");
      } else if (section == Section::projects) {
        col_id = column(header, "project_id");
        col_cost = column(header, "cost");
        col_name = column(header, "name");
        if (col_id < 0) r.fail("the PROJECTS header has no project_id column");
        if (col_cost < 0) r.fail("the PROJECTS header has no cost column");
      } else {
        col_vote = column(header, "vote");
        col_points = column(header, "points");
        col_voter = column(header, "voter_id");
        if (col_vote < 0) r.fail("the VOTES header has no vote column");
        if (e.kind == BallotKind::points && col_points < 0)
          r.fail("vote_type " + f.vote_type + " needs a points column");
      }
      continue;
    }
    // Real files end some rows early (an empty vote written as "12;"):
    // missing trailing fields read as empty, extra ones are refused.
    if (row.size() > header.size())
      r.fail("expected at most " + std::to_string(header.size()) +
             " fields as in the header, found " + std::to_string(row.size()));
    row.resize(header.size());
    if (section == Section::meta) {
      const std::string key = lower(row[0]);
      if (key == "budget") {
        budget = r.whole(row[1], 0, kMaxBudgetUnits, "the budget");
        e.budget_units = *budget;
      } else if (key == "vote_type") {
        f.vote_type = row[1];
        const std::string t = lower(row[1]);
        if (t == "approval" || t == "choose-1") {
          e.kind = BallotKind::approval;
        } else if (t == "cumulative" || t == "points") {
          e.kind = BallotKind::points;
        } else if (t == "ordinal" || t == "scoring") {
          r.fail("vote_type " + row[1] +
                 " is not supported: only approval (or choose-1) and cumulative (points) ballots");
        } else {
          r.fail("unknown vote_type '" + row[1] + "'");
        }
      }
      f.meta.emplace_back(row[0], row[1]);
    } else if (section == Section::projects) {
      const std::string& id = row[col_id];
      if (id.empty() || id.size() > kMaxIdBytes) r.fail("a project_id must be 1..256 bytes");
      if (id.find(',') != std::string::npos) r.fail("a project_id cannot hold a comma: " + id);
      if (e.projects.size() >= static_cast<size_t>(kMaxProjects))
        r.fail("more than " + std::to_string(kMaxProjects) + " projects");
      const int64_t cost = r.whole(row[col_cost], 1, kMaxCostUnits, "the cost");
      if (!project_index.emplace(id, static_cast<int32_t>(e.projects.size())).second)
        r.fail("project " + id + " is listed twice");
      e.projects.push_back(Project{id, col_name >= 0 ? row[col_name] : std::string(), cost});
    } else {
      if (e.voter_count() >= kMaxVoters)
        r.fail("more than " + std::to_string(kMaxVoters) + " voters");
      if (col_voter >= 0) {
        const std::string& vid = row[col_voter];
        if (vid.size() > kMaxIdBytes) r.fail("a voter_id must be at most 256 bytes");
        if (!voter_ids.insert(vid).second) r.fail("voter " + vid + " votes twice");
        f.voter_ids.push_back(vid);
      }
      const auto ids = split_commas(row[col_vote]);
      ballot.clear();
      points.clear();
      std::vector<std::string_view> pts;
      if (e.kind == BallotKind::points) {
        pts = split_commas(row[col_points]);
        if (pts.size() != ids.size())
          r.fail(std::to_string(ids.size()) + " projects but " + std::to_string(pts.size()) +
                 " points");
      }
      const int64_t v = e.voter_count();
      for (size_t k = 0; k < ids.size(); ++k) {
        const auto it = project_index.find(std::string(ids[k]));
        if (it == project_index.end())
          r.fail("the vote names project '" + std::string(ids[k]) +
                 "', which PROJECTS does not list");
        if (seen[it->second] == v)
          r.fail("the vote names project " + std::string(ids[k]) + " twice");
        seen[it->second] = v;
        int64_t pt = 1;
        if (e.kind == BallotKind::points) {
          pt = r.whole(pts[k], 0, kMaxPoints, "points");
          if (pt == 0) continue;
          points.push_back(pt);
        }
        ballot.push_back(it->second);
      }
      if (static_cast<int64_t>(e.items.size() + ballot.size()) > kMaxBallotItems)
        r.fail("more than " + std::to_string(kMaxBallotItems) + " votes in all");
      e.add_ballot(ballot, points);
    }
  }
  if (need_header) r.fail("the last section has no header row");
  if (!seen_meta) r.fail("no META section");
  if (!seen_projects) r.fail("no PROJECTS section");
  if (!seen_votes) r.fail("no VOTES section");
  return f;
}

}  // namespace agora::budget
