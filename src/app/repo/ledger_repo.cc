#include "app/repo/ledger_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using store::Value;
using namespace values;

// ---- currencies

constexpr const char* kCurrencySelect =
    "SELECT code, name, kind, minor_units, issuer_org_id, mutual_credit, default_lower_limit, "
    "default_upper_limit, created_at FROM currencies ";

CurrencyRow currency_of(const Row& r) {
  return CurrencyRow{.code = r.str(0),
                     .name = r.str(1),
                     .kind = r.str(2),
                     .minor_units = r.i64(3),
                     .issuer_org_id = r.opt_i64(4),
                     .mutual_credit = r.boolean(5),
                     .default_lower_limit = r.opt_i64(6),
                     .default_upper_limit = r.opt_i64(7),
                     .created_at = Timestamp{r.i64(8)}};
}

// ---- accounts

#define AGORA_ACCOUNT_COLS                                                              \
  "a.id, a.org_id, a.currency, a.holder, a.person_id, a.kind, a.name, a.lower_limit, "  \
  "a.upper_limit, a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits, " \
  "a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending, a.closed, "  \
  "a.created_at "

constexpr size_t kAccountCols = 17;

// From a Row or, on the write path, a RowView streamed by Tx::each.
template <class R>
LedgerAccountRow account_of(const R& r, size_t o = 0) {
  LedgerAccountRow a{.id = r.i64(o + 0),
                     .org_id = r.i64(o + 1),
                     .currency = r.str(o + 2),
                     .holder = r.str(o + 3),
                     .person_id = r.opt_i64(o + 4),
                     .kind = r.str(o + 5),
                     .name = r.str(o + 6),
                     .lower_limit = r.opt_i64(o + 7),
                     .upper_limit = r.opt_i64(o + 8),
                     .debits_must_not_exceed_credits = r.boolean(o + 9),
                     .credits_must_not_exceed_debits = r.boolean(o + 10),
                     .debits_posted = r.i64(o + 11),
                     .credits_posted = r.i64(o + 12),
                     .debits_pending = r.i64(o + 13),
                     .credits_pending = r.i64(o + 14),
                     .closed = r.boolean(o + 15),
                     .created_at = Timestamp{r.i64(o + 16)}};
  AGORA_ASSERT(a.id > 0 && a.debits_posted >= 0 && a.credits_posted >= 0 && a.debits_pending >= 0 &&
               a.credits_pending >= 0);
  return a;
}

// ---- transfers

#define AGORA_TRANSFER_COLS                                                                  \
  "t.id, t.idem_key, t.body_hash, t.created_by, t.action, t.pending, t.debit_account_id, "   \
  "t.credit_account_id, t.amount, t.currency, t.code, t.memo, t.pending_id, t.reverses_id, " \
  "t.batch_id, t.payment_request_id, t.timeout_at, t.debit_balance, t.credit_balance, "      \
  "t.created_at, p.state "

#define AGORA_TRANSFER_FROM \
  "FROM ledger_transfers t LEFT JOIN ledger_pending p ON p.transfer_id = t.id "

TransferRow transfer_of(const Row& r) {
  TransferRow t{.id = r.i64(0),
                .key = r.str(1),
                .body_hash = r.str(2),
                .created_by = r.i64(3),
                .action = r.str(4),
                .pending = r.boolean(5),
                .debit_account_id = r.i64(6),
                .credit_account_id = r.i64(7),
                .amount = r.i64(8),
                .currency = r.str(9),
                .code = r.str(10),
                .memo = r.str(11),
                .pending_id = r.opt_i64(12),
                .reverses_id = r.opt_i64(13),
                .batch_id = r.opt_i64(14),
                .payment_request_id = r.opt_i64(15),
                .timeout_at = opt_ts(r, 16),
                .debit_balance = r.i64(17),
                .credit_balance = r.i64(18),
                .created_at = Timestamp{r.i64(19)},
                .state = r.opt_str(20)};
  AGORA_ASSERT(t.id > 0 && t.amount >= 0);
  return t;
}

}  // namespace

std::optional<CurrencyRow> find_currency(store::Tx& tx, const std::string& code) {
  auto rows = tx.query(std::string(kCurrencySelect) + "WHERE code = $1", {s(code)});
  if (rows.empty()) return std::nullopt;
  return currency_of(rows.rows[0]);
}

std::vector<CurrencyRow> list_currencies(store::Tx& tx) {
  auto rows = tx.query(std::string(kCurrencySelect) +
                       "ORDER BY CASE kind WHEN 'official' THEN 0 ELSE 1 END, code");
  std::vector<CurrencyRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(currency_of(r));
  return out;
}

void insert_currency(store::Tx& tx, const CurrencyRow& c) {
  tx.exec(
      "INSERT INTO currencies (code, name, kind, minor_units, issuer_org_id, mutual_credit, "
      "default_lower_limit, default_upper_limit, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, $9)",
      {s(c.code), s(c.name), s(c.kind), c.minor_units, opt(c.issuer_org_id), flag(c.mutual_credit),
       opt(c.default_lower_limit), opt(c.default_upper_limit), c.created_at.us});
}

std::optional<LedgerAccountRow> find_ledger_account(store::Tx& tx, int64_t id) {
  auto rows = tx.query("SELECT " AGORA_ACCOUNT_COLS "FROM ledger_accounts a WHERE a.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return account_of(rows.rows[0]);
}

std::vector<LedgerAccountRow> find_account_pair(store::Tx& tx, int64_t a, int64_t b) {
  // Two key lookups, not "id IN ($1, $2)": SQLite builds and drops an
  // ephemeral table for the IN list on every run, which cost more than the
  // lookups themselves on the write batcher's path (callgrind, bench/ledger).
  // Streamed by each(): the write path reads two rows and builds no Rows.
  std::vector<LedgerAccountRow> out;
  out.reserve(2);
  tx.each("SELECT " AGORA_ACCOUNT_COLS
          "FROM ledger_accounts a WHERE a.id = $1 UNION ALL SELECT " AGORA_ACCOUNT_COLS
          "FROM ledger_accounts a WHERE a.id = $2 AND $2 <> $1",
          {a, b}, [&](const store::RowView& r) { out.push_back(account_of(r)); });
  return out;
}

std::optional<LedgerAccountRow> find_account_of(store::Tx& tx, int64_t org_id,
                                                const std::string& holder,
                                                std::optional<int64_t> person_id,
                                                const std::string& currency,
                                                const std::string& kind) {
  store::Rows rows;
  if (person_id) {
    rows = tx.query("SELECT " AGORA_ACCOUNT_COLS
                    "FROM ledger_accounts a WHERE a.org_id = $1 AND a.person_id = $2 AND "
                    "a.currency = $3 AND a.kind = $4",
                    {org_id, *person_id, s(currency), s(kind)});
  } else {
    rows = tx.query("SELECT " AGORA_ACCOUNT_COLS
                    "FROM ledger_accounts a WHERE a.org_id = $1 AND a.holder = $2 AND "
                    "a.currency = $3 AND a.kind = $4 AND a.person_id IS NULL",
                    {org_id, s(holder), s(currency), s(kind)});
  }
  if (rows.empty()) return std::nullopt;
  return account_of(rows.rows[0]);
}

int64_t insert_ledger_account(store::Tx& tx, const LedgerAccountRow& a) {
  return tx
      .query(
          "INSERT INTO ledger_accounts (org_id, currency, holder, person_id, kind, name, "
          "lower_limit, upper_limit, debits_must_not_exceed_credits, "
          "credits_must_not_exceed_debits, closed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, $10, $11, $12) RETURNING id",
          {a.org_id, s(a.currency), s(a.holder), opt(a.person_id), s(a.kind), s(a.name),
           opt(a.lower_limit), opt(a.upper_limit), flag(a.debits_must_not_exceed_credits),
           flag(a.credits_must_not_exceed_debits), flag(a.closed), a.created_at.us})
      .one()
      .i64(0);
}

void update_totals(store::Tx& tx, const LedgerAccountRow& a) {
  AGORA_ASSERT(a.debits_posted >= 0 && a.credits_posted >= 0 && a.debits_pending >= 0 &&
               a.credits_pending >= 0);
  int64_t n = tx.exec(
      "UPDATE ledger_accounts SET debits_posted = $2, credits_posted = $3, debits_pending = $4, "
      "credits_pending = $5 WHERE id = $1",
      {a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending});
  AGORA_ASSERT(n == 1);
}

void update_limits(store::Tx& tx, int64_t id, std::optional<int64_t> lower,
                   std::optional<int64_t> upper) {
  tx.exec("UPDATE ledger_accounts SET lower_limit = $2, upper_limit = $3 WHERE id = $1",
          {id, opt(lower), opt(upper)});
}

std::vector<LedgerAccountRow> org_accounts(store::Tx& tx, int64_t org_id, int64_t after,
                                           int64_t limit) {
  auto rows = tx.query("SELECT " AGORA_ACCOUNT_COLS
                       "FROM ledger_accounts a WHERE a.org_id = $1 AND a.id > $2 ORDER BY a.id "
                       "LIMIT $3",
                       {org_id, after, limit});
  std::vector<LedgerAccountRow> out;
  for (const auto& r : rows.rows) out.push_back(account_of(r));
  return out;
}

std::vector<PersonLedgerAccountRow> person_accounts(store::Tx& tx, int64_t person_id) {
  auto rows = tx.query("SELECT " AGORA_ACCOUNT_COLS
                       ", o.name FROM ledger_accounts a JOIN orgs o ON o.id = a.org_id "
                       "WHERE a.person_id = $1 ORDER BY a.id",
                       {person_id});
  std::vector<PersonLedgerAccountRow> out;
  for (const auto& r : rows.rows) {
    out.push_back(
        PersonLedgerAccountRow{.account = account_of(r), .org_name = r.str(kAccountCols)});
  }
  return out;
}

void for_each_account(store::Tx& tx, const std::function<void(const LedgerAccountRow&)>& fn) {
  auto rows = tx.query("SELECT " AGORA_ACCOUNT_COLS "FROM ledger_accounts a ORDER BY a.id");
  for (const auto& r : rows.rows) fn(account_of(r));
}

std::optional<TransferRow> find_transfer(store::Tx& tx, int64_t id) {
  auto rows = tx.query("SELECT " AGORA_TRANSFER_COLS AGORA_TRANSFER_FROM "WHERE t.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return transfer_of(rows.rows[0]);
}

std::optional<TransferRow> find_transfer_by_key(store::Tx& tx, const std::string& key) {
  auto rows =
      tx.query("SELECT " AGORA_TRANSFER_COLS AGORA_TRANSFER_FROM "WHERE t.idem_key = $1", {s(key)});
  if (rows.empty()) return std::nullopt;
  return transfer_of(rows.rows[0]);
}

std::optional<int64_t> find_transfer_id_by_key(store::Tx& tx, const std::string& key) {
  std::optional<int64_t> id;
  tx.each("SELECT id FROM ledger_transfers WHERE idem_key = $1", {s(key)},
          [&](const store::RowView& r) { id = r.i64(0); });
  return id;
}

int64_t insert_transfer(store::Tx& tx, const TransferRow& t) {
  AGORA_ASSERT(t.amount >= 0 && t.debit_account_id != t.credit_account_id);
  return tx.insert(
      "INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, pending, "
      "debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, "
      "reverses_id, batch_id, payment_request_id, timeout_at, debit_balance, credit_balance, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
      "$16, $17, $18, $19)",
      {s(t.key), s(t.body_hash), t.created_by, s(t.action), flag(t.pending), t.debit_account_id,
       t.credit_account_id, t.amount, s(t.currency), s(t.code), s(t.memo), opt(t.pending_id),
       opt(t.reverses_id), opt(t.batch_id), opt(t.payment_request_id), opt(t.timeout_at),
       t.debit_balance, t.credit_balance, t.created_at.us});
}

void set_batch_id(store::Tx& tx, int64_t first_id, int64_t last_id, int64_t batch_id) {
  tx.exec("UPDATE ledger_transfers SET batch_id = $3 WHERE id >= $1 AND id <= $2",
          {first_id, last_id, batch_id});
}

std::vector<TransferRow> account_transfers(store::Tx& tx, int64_t account_id, int64_t before,
                                           int64_t limit) {
  // Each side walks its own (account, id) index backwards; the union of the
  // two pages holds the newest `limit` of the account.
  auto rows = tx.query(
      "SELECT " AGORA_TRANSFER_COLS
      "FROM (SELECT d.id FROM (SELECT id FROM ledger_transfers WHERE debit_account_id = $1 AND "
      "id < $2 ORDER BY id DESC LIMIT $3) d UNION ALL SELECT c.id FROM (SELECT id FROM "
      "ledger_transfers WHERE credit_account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3) c) "
      "ids JOIN ledger_transfers t ON t.id = ids.id LEFT JOIN ledger_pending p ON p.transfer_id = "
      "t.id ORDER BY t.id DESC LIMIT $3",
      {account_id, before > 0 ? before : INT64_MAX, limit});
  std::vector<TransferRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(transfer_of(r));
  return out;
}

int64_t reversed_total(store::Tx& tx, int64_t id) {
  auto rows = tx.query(
      "SELECT amount FROM ledger_transfers WHERE reverses_id = $1 AND action = 'create'", {id});
  int64_t total = 0;
  for (const auto& r : rows.rows) {
    if (__builtin_add_overflow(total, r.i64(0), &total)) {
      throw Error(Code::internal, "reversals overflow");
    }
  }
  return total;
}

void for_each_transfer(store::Tx& tx, const TransferFilterSql& f,
                       const std::function<void(const TransferRow&)>& fn) {
  std::string sql = "SELECT " AGORA_TRANSFER_COLS AGORA_TRANSFER_FROM "WHERE t.id > $1";
  Params params;
  params.reserve(4);
  params.emplace_back(std::in_place_type<int64_t>, 0);
  if (f.account_id) {
    params.emplace_back(std::in_place_type<int64_t>, *f.account_id);
    sql += " AND (t.debit_account_id = $2 OR t.credit_account_id = $2)";
  }
  if (f.from) {
    params.emplace_back(std::in_place_type<int64_t>, f.from->us);
    sql += " AND t.created_at >= $" + std::to_string(params.size());
  }
  if (f.to) {
    params.emplace_back(std::in_place_type<int64_t>, f.to->us);
    sql += " AND t.created_at < $" + std::to_string(params.size());
  }
  // Pages by id so a large ledger streams in bounded memory.
  constexpr int64_t kPage = 5000;
  sql += " ORDER BY t.id LIMIT " + std::to_string(kPage);
  for (;;) {
    auto rows = tx.query(sql, params);
    for (const auto& r : rows.rows) fn(transfer_of(r));
    if (static_cast<int64_t>(rows.rows.size()) < kPage) break;
    params[0].emplace<int64_t>(rows.rows.back().i64(0));
  }
}

void insert_pending(store::Tx& tx, int64_t transfer_id, std::optional<Timestamp> timeout_at) {
  tx.exec("INSERT INTO ledger_pending (transfer_id, state, timeout_at) VALUES ($1, 'pending', $2)",
          {transfer_id, opt(timeout_at)});
}

bool resolve_pending(store::Tx& tx, int64_t transfer_id, const std::string& state, int64_t by) {
  return tx.exec(
             "UPDATE ledger_pending SET state = $2, resolved_by = $3 WHERE transfer_id = $1 AND "
             "state = 'pending'",
             {transfer_id, s(state), by}) == 1;
}

std::vector<int64_t> due_pending(store::Tx& tx, Timestamp now, int64_t limit) {
  auto rows = tx.query(
      "SELECT transfer_id FROM ledger_pending WHERE state = 'pending' AND timeout_at <= $1 "
      "ORDER BY timeout_at, transfer_id LIMIT $2",
      {now.us, limit});
  std::vector<int64_t> out;
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

bool any_pending_due(store::Tx& tx, Timestamp now) {
  return !tx.query(
                "SELECT 1 FROM ledger_pending WHERE state = 'pending' AND timeout_at <= $1 LIMIT 1",
                {now.us})
              .empty();
}

std::unordered_map<int64_t, RecomputedTotals> totals_from_transfers(store::Tx& tx) {
  std::unordered_map<int64_t, RecomputedTotals> out;
  for (const auto& r :
       tx.query("SELECT debit_account_id, SUM(amount) FROM ledger_transfers WHERE (action = "
                "'create' AND pending = 0) OR action = 'post' GROUP BY debit_account_id")
           .rows) {
    out[r.i64(0)].debits_posted = r.i64(1);
  }
  for (const auto& r :
       tx.query("SELECT credit_account_id, SUM(amount) FROM ledger_transfers WHERE (action = "
                "'create' AND pending = 0) OR action = 'post' GROUP BY credit_account_id")
           .rows) {
    out[r.i64(0)].credits_posted = r.i64(1);
  }
  for (const auto& r :
       tx.query("SELECT t.debit_account_id, SUM(t.amount) FROM ledger_transfers t JOIN "
                "ledger_pending p ON p.transfer_id = t.id WHERE p.state = 'pending' GROUP BY "
                "t.debit_account_id")
           .rows) {
    out[r.i64(0)].debits_pending = r.i64(1);
  }
  for (const auto& r :
       tx.query("SELECT t.credit_account_id, SUM(t.amount) FROM ledger_transfers t JOIN "
                "ledger_pending p ON p.transfer_id = t.id WHERE p.state = 'pending' GROUP BY "
                "t.credit_account_id")
           .rows) {
    out[r.i64(0)].credits_pending = r.i64(1);
  }
  return out;
}

std::vector<PendingResolution> pending_resolutions(store::Tx& tx) {
  auto rows = tx.query(
      "SELECT p.transfer_id, p.state, COUNT(r.id) FROM ledger_pending p LEFT JOIN "
      "ledger_transfers r ON r.pending_id = p.transfer_id GROUP BY p.transfer_id, p.state ORDER BY "
      "p.transfer_id");
  std::vector<PendingResolution> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(
        PendingResolution{.transfer_id = r.i64(0), .state = r.str(1), .resolutions = r.i64(2)});
  }
  return out;
}

int64_t count_transfers(store::Tx& tx) {
  return tx.query("SELECT COUNT(*) FROM ledger_transfers").one().i64(0);
}

}  // namespace agora::app::repo
