#pragma once
// Rows of payment requests, surplus rules, worked hours and committed
// closings (app/ledger_requests.cc, app/ledger_closings.cc), plus the reads
// those use cases make of accounts, transfers, member spending and share
// subscriptions. Money moves only through app/ledger.h apply_transfers.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- accounts (read only)

// What the requests and closings need of an account, with a display name of
// its holder (the person for member accounts, else the org).
struct AccountBrief {
  int64_t id = 0;
  int64_t org_id = 0;
  std::optional<int64_t> person_id = std::nullopt;
  std::string holder;
  std::string kind;
  std::string currency;
  bool closed = false;
  std::string holder_name;
  int64_t balance = 0;    // credits_posted - debits_posted
  int64_t available = 0;  // balance - debits_pending
};
std::optional<AccountBrief> find_account_brief(store::Tx& tx, int64_t account_id);

// ---- payment requests

struct RequestRow {
  int64_t id = 0;
  std::string key;
  std::string body_hash;
  int64_t payee_account_id = 0;
  int64_t payer_account_id = 0;
  int64_t amount = 0;
  std::string currency;
  std::string code;
  std::string memo;
  std::optional<Timestamp> due_at = std::nullopt;
  std::string state;
  std::optional<std::string> reason = std::nullopt;
  std::optional<int64_t> created_by_person = std::nullopt;
  Timestamp created_at;
  std::optional<Timestamp> responded_at = std::nullopt;
  std::optional<int64_t> responded_by_person = std::nullopt;
  std::optional<int64_t> paid_transfer_id = std::nullopt;
};
int64_t insert_request(store::Tx& tx, const RequestRow& r);
std::optional<RequestRow> find_request(store::Tx& tx, int64_t request_id);
std::optional<RequestRow> find_request_by_key(store::Tx& tx, std::string_view key);
// Writes state, reason, responded_at, responded_by_person, paid_transfer_id.
void update_request(store::Tx& tx, const RequestRow& r);
// Requests with the payer or payee account in org_id (or held by person_id
// when org_id is 0), optionally in `state`, by id after `after`.
std::vector<RequestRow> list_requests(store::Tx& tx, int64_t org_id, int64_t person_id,
                                      std::optional<std::string> state, int64_t after,
                                      int64_t limit);
std::vector<RequestRow> accepted_requests(store::Tx& tx, std::string_view currency);

// ---- surplus rules and hours

std::optional<std::string> find_rules(store::Tx& tx, int64_t org_id);
void upsert_rules(store::Tx& tx, int64_t org_id, const std::string& rules, Timestamp at,
                  std::optional<int64_t> by_person);

struct HoursRow {
  int64_t org_id = 0;
  int64_t person_id = 0;
  std::string day;
  int64_t hours_milli = 0;
  int64_t pay_index_milli = 0;
  Timestamp recorded_at;
  std::optional<int64_t> recorded_by_person = std::nullopt;
};
int64_t insert_hours(store::Tx& tx, const HoursRow& h);
// Per person: Σ hours_milli x pay_index_milli over days in [from_day, to_day).
std::map<int64_t, int64_t> hours_by_person(store::Tx& tx, int64_t org_id, std::string_view from_day,
                                           std::string_view to_day);
// Per person: Σ member_spend.amount_minor with at in [from, to).
std::map<int64_t, int64_t> spend_by_person(store::Tx& tx, int64_t org_id, Timestamp from,
                                           Timestamp to);

// ---- closings

struct ClosingRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string kind;    // "year" | "bonus"
  std::string period;  // "2026" | "2026-03"
  std::string currency;
  int64_t total = 0;
  std::string rules;   // JSON text
  std::optional<int64_t> batch_id = std::nullopt;
  Timestamp created_at;
  std::optional<int64_t> created_by_person = std::nullopt;
};
struct ClosingLineRow {
  int64_t closing_id = 0;
  int64_t line_no = 0;
  std::string part;
  std::optional<int64_t> person_id = std::nullopt;
  int64_t basis = 0;
  int64_t amount = 0;
  std::string disposition;
  std::optional<int64_t> account_id = std::nullopt;
  std::optional<int64_t> transfer_id = std::nullopt;
  std::string person_name{};  // joined; empty for none
};
bool closing_exists(store::Tx& tx, int64_t org_id, std::string_view kind, std::string_view period);
int64_t insert_closing(store::Tx& tx, const ClosingRow& c);
void insert_closing_line(store::Tx& tx, const ClosingLineRow& l);
std::optional<ClosingRow> find_closing(store::Tx& tx, int64_t closing_id);
// Newest first, at most limit.
std::vector<ClosingRow> list_closings(store::Tx& tx, int64_t org_id, int64_t limit);
std::vector<ClosingLineRow> closing_lines(store::Tx& tx, int64_t closing_id);

}  // namespace agora::app::repo
