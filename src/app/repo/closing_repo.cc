#include "app/repo/closing_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Row;
using namespace values;

int64_t returning_id(const store::Rows& rows) {
  int64_t id = rows.one().i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

constexpr const char* kAccountSelect =
    "SELECT a.id, a.org_id, a.person_id, a.holder, a.kind, a.currency, a.closed, "
    "CASE WHEN a.person_id IS NULL THEN o.name ELSE p.given_name || ' ' || p.family_name END, "
    "a.credits_posted, a.debits_posted, a.debits_pending "
    "FROM ledger_accounts a JOIN orgs o ON o.id = a.org_id "
    "LEFT JOIN persons p ON p.id = a.person_id ";

AccountBrief account_of(const Row& r) {
  AccountBrief a{.id = r.i64(0),
                 .org_id = r.i64(1),
                 .person_id = r.opt_i64(2),
                 .holder = r.str(3),
                 .kind = r.str(4),
                 .currency = r.str(5),
                 .closed = r.boolean(6),
                 .holder_name = r.str(7)};
  a.balance = r.i64(8) - r.i64(9);
  a.available = a.balance - r.i64(10);
  AGORA_ASSERT(a.id > 0 && (a.holder == "member") == a.person_id.has_value());
  return a;
}

constexpr const char* kRequestSelect =
    "SELECT r.id, r.idem_key, r.body_hash, r.payee_account_id, r.payer_account_id, r.amount, "
    "r.currency, r.code, r.memo, r.due_at, r.state, r.reason, r.created_by_person, r.created_at, "
    "r.responded_at, r.responded_by_person, r.paid_transfer_id FROM payment_requests r ";

RequestRow request_of(const Row& r) {
  RequestRow q{.id = r.i64(0),
               .key = r.str(1),
               .body_hash = r.str(2),
               .payee_account_id = r.i64(3),
               .payer_account_id = r.i64(4),
               .amount = r.i64(5),
               .currency = r.str(6),
               .code = r.str(7),
               .memo = r.str(8),
               .due_at = opt_ts(r, 9),
               .state = r.str(10),
               .reason = r.opt_str(11),
               .created_by_person = r.opt_i64(12),
               .created_at = Timestamp{r.i64(13)},
               .responded_at = opt_ts(r, 14),
               .responded_by_person = r.opt_i64(15),
               .paid_transfer_id = r.opt_i64(16)};
  AGORA_ASSERT(q.id > 0 && q.amount > 0);
  return q;
}

std::vector<RequestRow> requests_of(const store::Rows& rows) {
  std::vector<RequestRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(request_of(r));
  return out;
}

constexpr const char* kClosingSelect =
    "SELECT id, org_id, kind, period, currency, total, rules, batch_id, created_at, "
    "created_by_person FROM ledger_closings ";

ClosingRow closing_of(const Row& r) {
  ClosingRow c{.id = r.i64(0),
               .org_id = r.i64(1),
               .kind = r.str(2),
               .period = r.str(3),
               .currency = r.str(4),
               .total = r.i64(5),
               .rules = r.str(6),
               .batch_id = r.opt_i64(7),
               .created_at = Timestamp{r.i64(8)},
               .created_by_person = r.opt_i64(9)};
  AGORA_ASSERT(c.id > 0 && c.total >= 0);
  return c;
}

}  // namespace

std::optional<AccountBrief> find_account_brief(store::Tx& tx, int64_t account_id) {
  auto rows = tx.query(std::string(kAccountSelect) + "WHERE a.id = $1", {account_id});
  if (rows.empty()) return std::nullopt;
  return account_of(rows.rows[0]);
}

int64_t insert_request(store::Tx& tx, const RequestRow& r) {
  AGORA_ASSERT(r.amount > 0 && r.payee_account_id != r.payer_account_id);
  return returning_id(tx.query(
      "INSERT INTO payment_requests (idem_key, body_hash, payee_account_id, payer_account_id, "
      "amount, currency, code, memo, due_at, state, created_by_person, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
      {s(r.key), s(r.body_hash), r.payee_account_id, r.payer_account_id, r.amount, s(r.currency),
       s(r.code), s(r.memo), opt(r.due_at), s(r.state), opt(r.created_by_person),
       r.created_at.us}));
}

std::optional<RequestRow> find_request(store::Tx& tx, int64_t request_id) {
  auto rows = tx.query(std::string(kRequestSelect) + "WHERE r.id = $1", {request_id});
  if (rows.empty()) return std::nullopt;
  return request_of(rows.rows[0]);
}

std::optional<RequestRow> find_request_by_key(store::Tx& tx, std::string_view key) {
  auto rows = tx.query(std::string(kRequestSelect) + "WHERE r.idem_key = $1", {s(key)});
  if (rows.empty()) return std::nullopt;
  return request_of(rows.rows[0]);
}

void update_request(store::Tx& tx, const RequestRow& r) {
  int64_t n = tx.exec(
      "UPDATE payment_requests SET state = $2, reason = $3, responded_at = $4, "
      "responded_by_person = $5, paid_transfer_id = $6 WHERE id = $1",
      {r.id, s(r.state), opt(r.reason), opt(r.responded_at), opt(r.responded_by_person),
       opt(r.paid_transfer_id)});
  AGORA_ASSERT(n == 1);
}

std::vector<RequestRow> list_requests(store::Tx& tx, int64_t org_id, int64_t person_id,
                                      std::optional<std::string> state, int64_t after,
                                      int64_t limit) {
  std::string where = org_id > 0
                          ? "WHERE (r.payee_account_id IN (SELECT id FROM ledger_accounts WHERE org_id = $1) "
                            "OR r.payer_account_id IN (SELECT id FROM ledger_accounts WHERE org_id = $1)) "
                          : "WHERE (r.payee_account_id IN (SELECT id FROM ledger_accounts WHERE person_id = $1) "
                            "OR r.payer_account_id IN (SELECT id FROM ledger_accounts WHERE person_id = $1)) ";
  int64_t who = org_id > 0 ? org_id : person_id;
  store::Rows rows;
  if (state) {
    rows = tx.query(std::string(kRequestSelect) + where +
                        "AND r.state = $2 AND r.id > $3 ORDER BY r.id LIMIT $4",
                    {who, s(*state), after, limit});
  } else {
    rows = tx.query(std::string(kRequestSelect) + where + "AND r.id > $2 ORDER BY r.id LIMIT $3",
                    {who, after, limit});
  }
  return requests_of(rows);
}

std::vector<RequestRow> accepted_requests(store::Tx& tx, std::string_view currency) {
  return requests_of(tx.query(
      std::string(kRequestSelect) + "WHERE r.state = 'accepted' AND r.currency = $1 ORDER BY r.id",
      {s(currency)}));
}

std::optional<std::string> find_rules(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query("SELECT rules FROM surplus_rules WHERE org_id = $1", {org_id});
  if (rows.empty()) return std::nullopt;
  return rows.rows[0].str(0);
}

void upsert_rules(store::Tx& tx, int64_t org_id, const std::string& rules, Timestamp at,
                  std::optional<int64_t> by_person) {
  tx.exec(
      "INSERT INTO surplus_rules (org_id, rules, updated_at, updated_by_person) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET rules = excluded.rules, "
      "updated_at = excluded.updated_at, updated_by_person = excluded.updated_by_person",
      {org_id, s(rules), at.us, opt(by_person)});
}

int64_t insert_hours(store::Tx& tx, const HoursRow& h) {
  AGORA_ASSERT(h.hours_milli > 0 && h.pay_index_milli > 0);
  return returning_id(tx.query(
      "INSERT INTO work_hours (org_id, person_id, day, hours_milli, pay_index_milli, recorded_at, "
      "recorded_by_person) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {h.org_id, h.person_id, s(h.day), h.hours_milli, h.pay_index_milli, h.recorded_at.us,
       opt(h.recorded_by_person)}));
}

std::map<int64_t, int64_t> hours_by_person(store::Tx& tx, int64_t org_id, std::string_view from_day,
                                           std::string_view to_day) {
  auto rows = tx.query(
      "SELECT person_id, SUM(hours_milli * pay_index_milli) FROM work_hours "
      "WHERE org_id = $1 AND day >= $2 AND day < $3 GROUP BY person_id ORDER BY person_id",
      {org_id, s(from_day), s(to_day)});
  std::map<int64_t, int64_t> out;
  for (const auto& r : rows.rows) out[r.i64(0)] = r.i64(1);
  return out;
}

std::map<int64_t, int64_t> spend_by_person(store::Tx& tx, int64_t org_id, Timestamp from,
                                           Timestamp to) {
  auto rows = tx.query(
      "SELECT person_id, SUM(amount_minor) FROM member_spend "
      "WHERE org_id = $1 AND at >= $2 AND at < $3 GROUP BY person_id ORDER BY person_id",
      {org_id, from.us, to.us});
  std::map<int64_t, int64_t> out;
  for (const auto& r : rows.rows) out[r.i64(0)] = r.i64(1);
  return out;
}

bool closing_exists(store::Tx& tx, int64_t org_id, std::string_view kind, std::string_view period) {
  return !tx.query("SELECT 1 FROM ledger_closings WHERE org_id = $1 AND kind = $2 AND period = $3",
                   {org_id, s(kind), s(period)})
              .empty();
}

int64_t insert_closing(store::Tx& tx, const ClosingRow& c) {
  AGORA_ASSERT(c.total >= 0);
  return returning_id(tx.query(
      "INSERT INTO ledger_closings (org_id, kind, period, currency, total, rules, batch_id, "
      "created_at, created_by_person) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {c.org_id, s(c.kind), s(c.period), s(c.currency), c.total, s(c.rules), opt(c.batch_id),
       c.created_at.us, opt(c.created_by_person)}));
}

void insert_closing_line(store::Tx& tx, const ClosingLineRow& l) {
  AGORA_ASSERT(l.amount > 0);
  tx.exec(
      "INSERT INTO ledger_closing_lines (closing_id, line_no, part, person_id, basis, amount, "
      "disposition, account_id, transfer_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {l.closing_id, l.line_no, s(l.part), opt(l.person_id), l.basis, l.amount, s(l.disposition),
       opt(l.account_id), opt(l.transfer_id)});
}

std::optional<ClosingRow> find_closing(store::Tx& tx, int64_t closing_id) {
  auto rows = tx.query(std::string(kClosingSelect) + "WHERE id = $1", {closing_id});
  if (rows.empty()) return std::nullopt;
  return closing_of(rows.rows[0]);
}

std::vector<ClosingRow> list_closings(store::Tx& tx, int64_t org_id, int64_t limit) {
  auto rows = tx.query(std::string(kClosingSelect) + "WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
                       {org_id, limit});
  std::vector<ClosingRow> out;
  for (const auto& r : rows.rows) out.push_back(closing_of(r));
  return out;
}

std::vector<ClosingLineRow> closing_lines(store::Tx& tx, int64_t closing_id) {
  auto rows = tx.query(
      "SELECT l.closing_id, l.line_no, l.part, l.person_id, l.basis, l.amount, l.disposition, "
      "l.account_id, l.transfer_id, COALESCE(p.given_name || ' ' || p.family_name, '') "
      "FROM ledger_closing_lines l LEFT JOIN persons p ON p.id = l.person_id "
      "WHERE l.closing_id = $1 ORDER BY l.line_no",
      {closing_id});
  std::vector<ClosingLineRow> out;
  for (const auto& r : rows.rows) {
    out.push_back(ClosingLineRow{.closing_id = r.i64(0),
                                 .line_no = r.i64(1),
                                 .part = r.str(2),
                                 .person_id = r.opt_i64(3),
                                 .basis = r.i64(4),
                                 .amount = r.i64(5),
                                 .disposition = r.str(6),
                                 .account_id = r.opt_i64(7),
                                 .transfer_id = r.opt_i64(8),
                                 .person_name = r.str(9)});
  }
  return out;
}

}  // namespace agora::app::repo
