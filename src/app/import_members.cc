#include "app/import_members.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "app/auth.h"
#include "app/authz.h"
#include "app/registry.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "members/membership.h"
#include "members/shares.h"

namespace agora::app {

namespace {

constexpr int64_t kDayUs = int64_t{86400} * 1000000;
// Instalments of a subscription are recorded a month apart.
constexpr int64_t kInstalmentStepUs = 30 * kDayUs;

}  // namespace

Enrolled enrol_member(store::Tx& tx, const Ctx& ctx, int64_t org_id, const Enrolment& e) {
  AGORA_ASSERT(e.person_id.has_value() != e.member_org_id.has_value());
  AGORA_ASSERT(e.instalments >= 1);
  ApplicationInput in;
  in.class_code = e.class_code;
  in.shares = e.shares;
  in.member_org_id = e.member_org_id;
  in.person_id = e.person_id;
  const Json applied = apply_for_membership(tx, Ctx{ctx.actor, e.applied_at}, org_id, in);
  Enrolled out;
  out.membership_id = applied.at("id").get<int64_t>();
  const auto waiting = repo::waiting_subscriptions(tx, out.membership_id);
  if (!waiting.empty()) out.subscription_id = waiting.front().id;
  if (!e.admit) return out;
  if (applied.at("status") == "applied") {
    admit_member(tx, Ctx{ctx.actor, e.admitted_at}, out.membership_id);
  }
  if (e.paid_minor == 0) return out;
  AGORA_ASSERT(out.subscription_id != 0);
  const std::vector<int64_t> weights(static_cast<size_t>(e.instalments), 1);
  Timestamp at = e.admitted_at;
  for (int64_t part : split_largest_remainder(e.paid_minor, weights)) {
    if (part == 0) continue;
    pay_subscription(tx, Ctx{ctx.actor, at}, out.subscription_id, part);
    at.us += kInstalmentStepUs;
  }
  return out;
}

void leave_at(store::Tx& tx, const Ctx& ctx, int64_t membership_id, Timestamp at) {
  leave_membership(tx, Ctx{ctx.actor, at}, membership_id);
}

// ---------------------------------------------------------------------------
// CSV import

namespace {

enum Col { given_name, family_name, email, phone, locale, klass, shares, paid_minor, joined_on,
           kColumns };

const std::vector<std::string_view> kColumnNames = {
    "given_name", "family_name", "email", "phone", "locale", "class", "shares", "paid_minor",
    "joined_on"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

// A non-negative decimal integer of at most 15 digits, else nullopt.
std::optional<int64_t> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "YYYY-MM-DD" as midnight UTC, or nullopt.
std::optional<Timestamp> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_count(s.substr(0, 4));
  auto m = parse_count(s.substr(5, 2));
  auto d = parse_count(s.substr(8, 2));
  if (!y || !m || !d || *y < 1900 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  const int64_t max_day = kDays[*m - 1] + (*m == 2 && leap ? 1 : 0);
  if (*d > max_day) return std::nullopt;
  return Timestamp{days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)) *
                   kDayUs};
}

struct Row {
  int64_t line = 0;
  std::string given_name;
  std::string family_name;
  std::string email;
  std::optional<std::string> phone;
  std::string locale;
  const repo::ClassRow* cls = nullptr;
  int64_t shares = 0;
  int64_t paid_minor = 0;
  Timestamp joined_at;
  std::optional<int64_t> person_id;  // the person this email already names
};

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

std::string file_hash(std::string_view text) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  return hex(h, sizeof h);
}

class Validator {
 public:
  Validator(const repo::OrgRow& org, const std::vector<repo::ClassRow>& classes, Timestamp today)
      : org_(org), classes_(classes), today_(today) {}

  // Maps header names to columns; false (with errors) when the header is unusable.
  bool header(const csv::Table& t, std::vector<RowError>& errors) {
    col_.fill(-1);
    bool ok = true;
    for (size_t i = 0; i < t.header.size(); ++i) {
      const std::string name = lower_ascii(trim(t.header[i]));
      auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
      if (it == kColumnNames.end()) {
        std::string known;
        for (auto k : kColumnNames) known += (known.empty() ? "" : ", ") + std::string(k);
        errors.push_back({t.header_line, "unknown column '" + name + "' (known: " + known + ")"});
        ok = false;
        continue;
      }
      const auto c = static_cast<size_t>(it - kColumnNames.begin());
      if (col_[c] >= 0) {
        errors.push_back({t.header_line, "column '" + name + "' appears twice"});
        ok = false;
      }
      col_[c] = static_cast<int>(i);
    }
    for (Col required : {Col::given_name, Col::family_name, Col::email}) {
      if (col_[required] < 0) {
        errors.push_back({t.header_line, "missing column '" +
                                             std::string(kColumnNames[required]) + "'"});
        ok = false;
      }
    }
    if (col_[Col::klass] < 0 && classes_.size() != 1) {
      errors.push_back({t.header_line, "missing column 'class' (" + org_.name + " has " +
                                           std::to_string(classes_.size()) +
                                           " member classes, so each row must name one)"});
      ok = false;
    }
    return ok;
  }

  // Checks one record; on success fills `row`, else adds its reasons.
  bool row(const csv::Record& rec, Row& row, std::vector<std::string>& reasons) {
    row.line = rec.line;
    auto field = [&](Col c) -> std::string_view {
      return col_[c] < 0 ? std::string_view{} : trim(rec.fields[static_cast<size_t>(col_[c])]);
    };
    auto text = [&](Col c, size_t max_bytes, bool required) -> std::string {
      const std::string_view v = field(c);
      const std::string name(kColumnNames[c]);
      if (v.empty()) {
        if (required) reasons.push_back("missing " + name);
        return {};
      }
      if (v.size() > max_bytes) {
        reasons.push_back(name + " is longer than " + std::to_string(max_bytes) + " bytes");
      } else if (has_control(v)) {
        reasons.push_back(name + " contains a control character");
      }
      return std::string(v);
    };
    row.given_name = text(Col::given_name, kMaxNameBytes, true);
    row.family_name = text(Col::family_name, kMaxNameBytes, true);

    const std::string email = text(Col::email, kMaxEmailBytes, true);
    if (!email.empty()) {
      try {
        row.email = normalize_email(email, "email");
      } catch (const Error&) {
        reasons.push_back("bad email '" + email + "'");
      }
    }
    if (!row.email.empty()) {
      auto [it, fresh] = first_line_of_email_.emplace(row.email, rec.line);
      if (!fresh) {
        reasons.push_back("duplicate email " + row.email + " (also on line " +
                          std::to_string(it->second) + ")");
      }
    }

    const std::string phone = text(Col::phone, kMaxPhoneBytes, false);
    if (!phone.empty()) {
      const bool ok = std::all_of(phone.begin(), phone.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '-' || c == '(' ||
               c == ')' || c == '.';
      });
      if (ok && phone.size() >= 3) {
        row.phone = phone;
      } else {
        reasons.push_back("bad phone '" + phone + "' (3 to 32 of digits, spaces and + - ( ) .)");
      }
    }

    const std::string locale = lower_ascii(field(Col::locale));
    if (locale.empty()) {
      row.locale = "en";
    } else if (locale == "en" || locale == "es" || locale == "pt") {
      row.locale = locale;
    } else {
      reasons.push_back("bad locale '" + std::string(field(Col::locale)) + "' (en, es or pt)");
    }

    const std::string code = lower_ascii(field(Col::klass));
    if (code.empty()) {
      if (classes_.size() == 1) {
        row.cls = &classes_.front();
      } else {
        reasons.push_back("missing class");
      }
    } else {
      for (const auto& c : classes_) {
        if (c.code == code) row.cls = &c;
      }
      if (row.cls == nullptr) {
        std::string known;
        for (const auto& c : classes_) known += (known.empty() ? "" : ", ") + c.code;
        reasons.push_back("unknown class '" + std::string(field(Col::klass)) + "' (" + org_.name +
                          " has: " + (known.empty() ? "no classes" : known) + ")");
      }
    }

    const std::string_view shares = field(Col::shares);
    std::optional<int64_t> n;
    if (!shares.empty()) {
      n = parse_count(shares);
      if (!n || *n < 1 || *n > members::kMaxShares) {
        reasons.push_back("bad shares '" + std::string(shares) + "' (a whole number from 1 to " +
                          std::to_string(members::kMaxShares) + ")");
        n.reset();
      }
    }
    if (row.cls != nullptr) {
      row.shares = n.value_or(row.cls->min_shares);
      if (n && *n < row.cls->min_shares) {
        reasons.push_back("shares " + std::to_string(*n) + " is below the minimum of " +
                          std::to_string(row.cls->min_shares) + " for class " + row.cls->code);
      }
    }

    const std::string_view paid = field(Col::paid_minor);
    if (row.cls != nullptr && row.shares > 0) {
      const int64_t amount = checked_mul(row.shares, row.cls->share_price_minor);
      row.paid_minor = amount;
      if (!paid.empty()) {
        auto p = parse_count(paid);
        if (!p || *p > amount) {
          reasons.push_back("bad paid_minor '" + std::string(paid) + "' (whole " + org_.currency +
                            " minor units from 0 to " + std::to_string(amount) + ")");
        } else {
          row.paid_minor = *p;
        }
      }
    } else if (!paid.empty() && !parse_count(paid)) {
      reasons.push_back("bad paid_minor '" + std::string(paid) + "'");
    }

    const std::string_view joined = field(Col::joined_on);
    row.joined_at = today_;
    if (!joined.empty()) {
      auto d = parse_date(joined);
      if (!d) {
        reasons.push_back("bad joined_on '" + std::string(joined) + "' (YYYY-MM-DD)");
      } else if (d->us > today_.us) {
        reasons.push_back("joined_on " + std::string(joined) + " is in the future");
      } else {
        row.joined_at = *d;
      }
    }
    return reasons.empty();
  }

 private:
  const repo::OrgRow& org_;
  const std::vector<repo::ClassRow>& classes_;
  Timestamp today_;
  std::array<int, kColumns> col_{};
  std::unordered_map<std::string, int64_t> first_line_of_email_;
};

// Person rows belong to the registry repository, which finds them by id;
// the import looks them up by (lower-case) email.
std::optional<int64_t> person_by_email(store::Tx& tx, std::string_view email) {
  auto rows = tx.query("SELECT id FROM persons WHERE email = $1", {std::string(email)});
  if (rows.empty()) return std::nullopt;
  return rows.rows.front().i64(0);
}

void sort_errors(std::vector<RowError>& errors) {
  std::stable_sort(errors.begin(), errors.end(),
                   [](const RowError& a, const RowError& b) { return a.line < b.line; });
}

}  // namespace

const std::vector<std::string_view>& member_columns() { return kColumnNames; }

ImportReport import_members(App& app, const Actor& actor, int64_t org_id,
                            std::string_view csv_text, const ImportProgress& progress) {
  auto report_progress = [&](int64_t done, int64_t total, std::string_view stage) {
    if (progress) progress(done, total, stage);
  };
  ImportReport report;
  const csv::Limits limits{.max_bytes = kMaxImportBytes,
                           .max_records = kMaxImportRows,
                           .max_fields = kColumns + 8,
                           .max_field_bytes = kMaxImportFieldBytes};
  csv::Table table = csv::parse(csv_text, limits);
  for (auto& p : table.problems) report.errors.push_back({p.line, std::move(p.message)});
  report.rows = static_cast<int64_t>(table.records.size()) +
                std::count_if(table.problems.begin(), table.problems.end(),
                              [&](const csv::Problem& p) { return p.line > table.header_line; });
  if (table.header.empty() && report.errors.empty()) {
    report.errors.push_back({0, "the file is empty (expected a header row: given_name, "
                                "family_name, email, class ...)"});
  }

  std::vector<Row> rows;
  std::optional<repo::OrgRow> org;
  std::vector<repo::ClassRow> classes;
  app.read(actor, [&](store::Tx& tx, const Ctx& ctx) -> Json {
    auto found = repo::find_org_with_classes(tx, org_id);
    if (!found) throw Error(Code::not_found, "no organisation " + std::to_string(org_id), "--org");
    require_role(tx, ctx.actor, org_id, {Role::coordinator});
    org = std::move(found->first);
    classes = std::move(found->second);
    report.org_name = org->name;
    report.currency = org->currency;
    if (table.truncated || table.header.empty()) return {};

    Validator v(*org, classes, ctx.now);
    if (!v.header(table, report.errors)) return {};
    const auto total = static_cast<int64_t>(table.records.size());
    rows.reserve(table.records.size());
    std::vector<std::string> reasons;
    for (size_t i = 0; i < table.records.size(); ++i) {
      const csv::Record& rec = table.records[i];
      Row row;
      reasons.clear();
      if (v.row(rec, row, reasons)) {
        row.person_id = person_by_email(tx, row.email);
        if (row.person_id && repo::open_membership_exists(tx, org_id, row.person_id, std::nullopt)) {
          reasons.push_back(row.email + " is already a member of (or applicant to) " + org->name);
        }
      }
      if (reasons.empty()) {
        rows.push_back(std::move(row));
      } else {
        std::string joined;
        for (const auto& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
        report.errors.push_back({rec.line, std::move(joined)});
      }
      if ((i & 255) == 0 || i + 1 == table.records.size()) {
        report_progress(static_cast<int64_t>(i + 1), total, "checking");
      }
    }
    return {};
  });
  sort_errors(report.errors);
  if (!report.errors.empty()) return report;

  const Json payload{{"org_id", org_id},
                     {"rows", static_cast<int64_t>(rows.size())},
                     {"file_blake2b", file_hash(csv_text)}};
  const Json result = app.write(actor, "import_members", payload, [&](store::Tx& tx, const Ctx& ctx) {
    // Re-read inside the write: someone may have joined since the check.
    auto fresh = repo::find_org(tx, org_id);
    if (!fresh) throw Error(Code::not_found, "the organisation disappeared", "--org");
    require_role(tx, ctx.actor, org_id, {Role::coordinator});
    int64_t new_persons = 0, existing = 0, shares = 0, capital = 0, paid = 0;
    const auto total = static_cast<int64_t>(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      std::optional<int64_t> person = person_by_email(tx, r.email);
      if (person) {
        ++existing;
      } else {
        PersonInput p;
        p.given_name = r.given_name;
        p.family_name = r.family_name;
        p.email = r.email;
        p.phone = r.phone;
        p.locale = r.locale;
        person = create_person(tx, ctx, p);
        ++new_persons;
      }
      if (repo::open_membership_exists(tx, org_id, person, std::nullopt)) {
        throw Error(Code::conflict, "line " + std::to_string(r.line) + ": " + r.email +
                                        " became a member while the file was being checked");
      }
      Enrolment e;
      e.person_id = person;
      e.class_code = r.cls->code;
      e.shares = r.shares;
      e.paid_minor = r.paid_minor;
      e.applied_at = r.joined_at;
      e.admitted_at = r.joined_at;
      enrol_member(tx, ctx, org_id, e);
      shares += r.shares;
      capital += r.shares * r.cls->share_price_minor;
      paid += r.paid_minor;
      if ((i & 255) == 0 || i + 1 == rows.size()) {
        report_progress(static_cast<int64_t>(i + 1), total, "importing");
      }
    }
    return Json{{"imported", total}, {"new_persons", new_persons}, {"existing_persons", existing},
                {"shares", shares}, {"capital_minor", capital}, {"paid_minor", paid}};
  });
  report.imported = result.at("imported").get<int64_t>();
  report.new_persons = result.at("new_persons").get<int64_t>();
  report.existing_persons = result.at("existing_persons").get<int64_t>();
  report.shares = result.at("shares").get<int64_t>();
  report.capital_minor = result.at("capital_minor").get<int64_t>();
  report.paid_minor = result.at("paid_minor").get<int64_t>();
  return report;
}

}  // namespace agora::app
