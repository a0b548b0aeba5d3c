#pragma once
// SQL for the ledger's currencies, accounts, transfers and pending holds
// (tables of 0006_ledger.sql). Plain functions over a transaction; the rules
// live in ledger/account.h and app/ledger_*.cc. Every SQL string is a
// constant, so the store's per-connection statement cache keeps them
// prepared.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- currencies

struct CurrencyRow {
  std::string code{};
  std::string name{};
  std::string kind{};  // official | community
  int64_t minor_units = 2;
  std::optional<int64_t> issuer_org_id = std::nullopt;
  bool mutual_credit = false;
  std::optional<int64_t> default_lower_limit = std::nullopt;
  std::optional<int64_t> default_upper_limit = std::nullopt;
  Timestamp created_at{};
};
std::optional<CurrencyRow> find_currency(store::Tx& tx, const std::string& code);
std::vector<CurrencyRow> list_currencies(store::Tx& tx);    // official first, then by code
void insert_currency(store::Tx& tx, const CurrencyRow& c);  // Error(duplicate)

// ---- accounts

struct LedgerAccountRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string currency{};
  std::string holder{};
  std::optional<int64_t> person_id = std::nullopt;
  std::string kind{};
  std::string name{};
  std::optional<int64_t> lower_limit = std::nullopt;
  std::optional<int64_t> upper_limit = std::nullopt;
  bool debits_must_not_exceed_credits = false;
  bool credits_must_not_exceed_debits = false;
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;
  int64_t credits_pending = 0;
  bool closed = false;
  Timestamp created_at{};
};
std::optional<LedgerAccountRow> find_ledger_account(store::Tx& tx, int64_t id);
// Both accounts in one read (either may be missing from the result).
std::vector<LedgerAccountRow> find_account_pair(store::Tx& tx, int64_t a, int64_t b);
// The account of (org, holder, person, currency, kind), if opened.
std::optional<LedgerAccountRow> find_account_of(store::Tx& tx, int64_t org_id,
                                                const std::string& holder,
                                                std::optional<int64_t> person_id,
                                                const std::string& currency,
                                                const std::string& kind);
int64_t insert_ledger_account(store::Tx& tx, const LedgerAccountRow& a);  // Error(duplicate)
// Writes the four running totals.
void update_totals(store::Tx& tx, const LedgerAccountRow& a);
void update_limits(store::Tx& tx, int64_t id, std::optional<int64_t> lower,
                   std::optional<int64_t> upper);
// An org's accounts by id, after `after`, at most `limit`.
std::vector<LedgerAccountRow> org_accounts(store::Tx& tx, int64_t org_id, int64_t after,
                                           int64_t limit);
struct PersonLedgerAccountRow {
  LedgerAccountRow account;
  std::string org_name{};
};
std::vector<PersonLedgerAccountRow> person_accounts(store::Tx& tx, int64_t person_id);
// Every account, by id (the ledger check).
void for_each_account(store::Tx& tx, const std::function<void(const LedgerAccountRow&)>& fn);

// ---- transfers

struct TransferRow {
  int64_t id = 0;
  std::string key{};
  std::string body_hash{};
  int64_t created_by = 0;
  std::string action{};  // create | post | void | expire
  bool pending = false;
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount = 0;
  std::string currency{};
  std::string code{};
  std::string memo{};
  std::optional<int64_t> pending_id = std::nullopt;
  std::optional<int64_t> reverses_id = std::nullopt;
  std::optional<int64_t> batch_id = std::nullopt;
  std::optional<int64_t> payment_request_id = std::nullopt;
  std::optional<Timestamp> timeout_at = std::nullopt;
  int64_t debit_balance = 0;
  int64_t credit_balance = 0;
  Timestamp created_at{};
  // From ledger_pending (pending creates only): pending|posted|voided|expired.
  std::optional<std::string> state = std::nullopt;
};
std::optional<TransferRow> find_transfer(store::Tx& tx, int64_t id);
std::optional<TransferRow> find_transfer_by_key(store::Tx& tx, const std::string& key);
// The id of the transfer with idempotency key `key`, if any: one probe of the
// key's unique index, the write path's check before a new transfer.
std::optional<int64_t> find_transfer_id_by_key(store::Tx& tx, const std::string& key);
// Inserts and returns the new id (id and state are ignored). Error(duplicate)
// on an existing key.
int64_t insert_transfer(store::Tx& tx, const TransferRow& t);
void set_batch_id(store::Tx& tx, int64_t first_id, int64_t last_id, int64_t batch_id);

// A statement page: the account's transfers with id < before (0: newest),
// newest first, at most limit.
std::vector<TransferRow> account_transfers(store::Tx& tx, int64_t account_id, int64_t before,
                                           int64_t limit);
// Sum of the amounts of 'create' transfers reversing `id`.
int64_t reversed_total(store::Tx& tx, int64_t id);
struct TransferFilterSql {
  std::optional<int64_t> account_id = std::nullopt;
  std::optional<Timestamp> from = std::nullopt;
  std::optional<Timestamp> to = std::nullopt;
};
void for_each_transfer(store::Tx& tx, const TransferFilterSql& f,
                       const std::function<void(const TransferRow&)>& fn);

// ---- pending holds

void insert_pending(store::Tx& tx, int64_t transfer_id, std::optional<Timestamp> timeout_at);
// pending -> `state` (posted/voided/expired), resolved by `by`. False when it
// was no longer pending.
bool resolve_pending(store::Tx& tx, int64_t transfer_id, const std::string& state, int64_t by);
// Pending transfers due at `now` (timeout_at <= now), oldest first.
std::vector<int64_t> due_pending(store::Tx& tx, Timestamp now, int64_t limit);
bool any_pending_due(store::Tx& tx, Timestamp now);

// ---- the ledger check

// Each account's four totals recomputed from the transfers: posted creates
// and posts move the posted totals; pending creates still pending hold the
// pending totals. Accounts without transfers are absent.
struct RecomputedTotals {
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;
  int64_t credits_pending = 0;
};
std::unordered_map<int64_t, RecomputedTotals> totals_from_transfers(store::Tx& tx);
// Every pending hold with the number of post/void/expire transfers naming it.
struct PendingResolution {
  int64_t transfer_id = 0;
  std::string state{};
  int64_t resolutions = 0;
};
std::vector<PendingResolution> pending_resolutions(store::Tx& tx);
int64_t count_transfers(store::Tx& tx);

}  // namespace agora::app::repo
