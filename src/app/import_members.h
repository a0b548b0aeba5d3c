#pragma once
// Bulk enrolment: `agora import members FILE.csv` (validate every row, report
// every bad one, import nothing unless all are good, then write all rows as
// one journaled command) and the enrolment step it shares with `agora demo`:
// a person or organisation becoming an active member with subscribed shares,
// written through the registry's repository and the members/ rules.
// Thread-safe: functions over App and a transaction; no state of their own.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "app/import_csv.h"
#include "app/repo/registry_repo.h"

namespace agora::app {

// ---- enrolment (shared with the demo loader)

// One member joining an org with shares, told as its history: the
// application at applied_at, the admission at admitted_at, and paid_minor
// arriving in `instalments` payments a month apart from admitted_at. Each
// step runs the registry's own use case (app/registry.h) with the time of
// that step, so the result is exactly what the API would have produced.
struct Enrolment {
  std::optional<int64_t> person_id;      // exactly one of person_id and member_org_id
  std::optional<int64_t> member_org_id;
  std::string class_code;
  int64_t shares = 0;                    // at least the class minimum
  int64_t paid_minor = 0;                // 0..shares x price; all of it registers the shares
  int instalments = 1;
  bool admit = true;                     // false leaves an open application
  Timestamp applied_at;
  Timestamp admitted_at;
};

struct Enrolled {
  int64_t membership_id = 0;
  int64_t subscription_id = 0;  // the waiting (or since paid) subscription; 0 if none
};

// ctx.actor must be admin or a coordinator of org_id (and of member_org_id).
// Throws what the use cases throw (duplicate, rule_violation, out_of_range).
Enrolled enrol_member(store::Tx& tx, const Ctx& ctx, int64_t org_id, const Enrolment& e);

// The member leaves at `at` (shares sold back, waiting subscriptions
// cancelled) through the registry's leave_membership.
void leave_at(store::Tx& tx, const Ctx& ctx, int64_t membership_id, Timestamp at);

// ---- CSV import

// Bounds of an import file, checked before anything else.
inline constexpr size_t kMaxImportBytes = 50u << 20;
inline constexpr size_t kMaxImportRows = 100000;
inline constexpr size_t kMaxNameBytes = 100;
inline constexpr size_t kMaxPhoneBytes = 32;
inline constexpr size_t kMaxImportFieldBytes = 512;
static_assert(kMaxNameBytes <= kMaxImportFieldBytes && kMaxPhoneBytes <= kMaxImportFieldBytes);

// The columns a members file may have, in the order documented (docs/DEMO.md).
// Required: given_name, family_name, email, class (optional when the co-op has
// a single class). Optional: phone, locale (en|es|pt, default en), shares
// (default the class minimum), paid_minor (default all of it), joined_on
// (YYYY-MM-DD, default today).
const std::vector<std::string_view>& member_columns();

struct RowError {
  int64_t line = 0;  // physical line in the file; 0 for the whole file
  std::string reason;
};

struct ImportReport {
  int64_t rows = 0;          // data rows in the file
  int64_t imported = 0;      // memberships created (0 when any row is bad)
  int64_t new_persons = 0;
  int64_t existing_persons = 0;  // rows naming someone already known by email
  int64_t shares = 0;
  int64_t capital_minor = 0;     // subscribed
  int64_t paid_minor = 0;
  std::string org_name;
  std::string currency;
  std::vector<RowError> errors;  // every bad row, by line; non-empty => nothing written
};

using ImportProgress = std::function<void(int64_t done, int64_t total, std::string_view stage)>;

// Validates `csv_text` against org_id's classes and current members, then
// imports every row as an active member in a single App::write command
// ("import_members"). The actor must be admin or a coordinator of the org.
// Error(not_found) for an unknown org; row problems land in report.errors.
ImportReport import_members(App& app, const Actor& actor, int64_t org_id,
                            std::string_view csv_text, const ImportProgress& progress = {});

}  // namespace agora::app
