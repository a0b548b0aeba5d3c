#pragma once
// Use cases of the ledger (DOMAIN.md §3): currencies, accounts, immutable
// double-entry transfers (single, linked batches, two-phase pending holds
// posted or voided exactly once or expiring, reversals), payment requests,
// statements, the ledger's own consistency check, and year-end closings with
// stepped purchase bonuses. Rules live in ledger/account.h and
// ledger/surplus.h; rows in app/repo/ledger_repo.h.
// Commands must run inside App::write / http::write (the write batcher: one
// savepoint per command, acknowledged after the durable commit); queries
// inside App::read. A refused command throws agora::Error before anything of
// it is written (the batcher rolls back its savepoint).
// Thread-safe: stateless functions over the given transaction.
//
// JSON shapes (the HTTP API returns these):
//   currency: {code, name, kind:"official"|"community", minor_units,
//              issuer_org_id|null, mutual_credit, default_lower_limit|null,
//              default_upper_limit|null}
//   account:  {id, org_id, currency, holder:"member"|"org"|"fund"|"reserve"|"external",
//              person_id|null, kind, name, lower_limit|null, upper_limit|null,
//              debits_must_not_exceed_credits, credits_must_not_exceed_debits,
//              debits_posted, credits_posted, debits_pending, credits_pending,
//              balance, available, closed, created_at}
//   transfer: {id, key, action:"create"|"post"|"void"|"expire", pending,
//              state: "posted"|"pending"|"voided"|"expired" (of a pending one,
//              else "posted"), debit_account_id, credit_account_id, amount,
//              currency, code, memo, pending_id|null, reverses_id|null,
//              batch_id|null, payment_request_id|null, timeout_at|null,
//              debit_balance, credit_balance, created_at}
//   statement line: {transfer, side:"debit"|"credit", amount (signed: credits +,
//              debits -), balance (posted balance after)}
//   payment request: {id, key, payee_account_id, payer_account_id, payee:{org_id,
//              person_id|null, name}, payer:{...}, amount, currency, code, memo,
//              due_at|null, state, reason|null, created_at, responded_at|null,
//              paid_transfer_id|null}
// Amounts are integers in the currency's minor units.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/registry.h"
#include "store/database.h"

namespace agora::app::ledger {

// ---- currencies

// Public: official currencies first, then community ones, by code.
Json list_currencies(store::Tx& tx, const Ctx& ctx);
Json get_currency(store::Tx& tx, const Ctx& ctx, const std::string& code);  // Error(not_found)

struct CurrencyInput {
  std::string code{};          // 3..8 of [A-Z0-9], not an existing code
  std::string name{};          // 1..100
  int64_t issuer_org_id = 0;   // a co-op or federation
  int64_t minor_units = 2;     // 0..6
  bool mutual_credit = true;
  std::optional<int64_t> default_lower_limit = std::nullopt;  // <= 0 (mutual credit: -credit limit)
  std::optional<int64_t> default_upper_limit = std::nullopt;  // >= 0
};
// Coordinator or treasurer of the issuer. Error(duplicate, "/code").
Json create_currency(store::Tx& tx, const Ctx& ctx, const CurrencyInput& in);

// ---- accounts

// Account kinds by holder (the vocabulary is closed; anything else is
// Error(invalid_value, "/kind")):
//   member:   current (spending; debits may not exceed credits unless the
//             currency is mutual credit), capital (individual capital account)
//   org:      operating, surplus (the year's result to distribute),
//             share_capital, clearing (a mutual-credit trading account)
//   fund:     investment, solidarity, education, mutual (the federation's
//             fund fed by levies)
//   reserve:  legal, indivisible, maintenance (a leased asset's upkeep)
//   external: bank, cash (money outside the ledger; never limited)
struct AccountInput {
  int64_t org_id = 0;
  std::string currency{};               // default: the org's currency
  std::string holder = "member";
  std::optional<int64_t> person_id = std::nullopt;  // holder member: an active member of org_id
  std::string kind = "current";
  std::optional<std::string> name = std::nullopt;   // 1..100; default derived ("Current account")
  std::optional<int64_t> lower_limit = std::nullopt;  // default: the currency's default (mutual credit) or none
  std::optional<int64_t> upper_limit = std::nullopt;
  std::optional<bool> debits_must_not_exceed_credits = std::nullopt;  // default: true for member accounts in a non-mutual currency and for funds and reserves
  bool credits_must_not_exceed_debits = false;
};
// Coordinator or treasurer of org_id (a member may open their own current
// account). Error(duplicate) when that account exists.
Json open_account(store::Tx& tx, const Ctx& ctx, const AccountInput& in);

// The account of (org, holder, person, currency, kind), opened with the
// defaults when missing. No authorization: for the use cases that pay
// members, funds and reserves (closings, the market, leases). Returns its id.
int64_t ensure_account(store::Tx& tx, Timestamp now, int64_t org_id, const std::string& holder,
                       std::optional<int64_t> person_id, const std::string& currency,
                       const std::string& kind);

// The holder (member) or a coordinator/treasurer/auditor of its org.
Json get_account(store::Tx& tx, const Ctx& ctx, int64_t account_id);
struct LimitsPatch {
  std::optional<std::optional<int64_t>> lower_limit = std::nullopt;  // set; nullopt inside clears
  std::optional<std::optional<int64_t>> upper_limit = std::nullopt;
};
// Coordinator or treasurer. Error(rule_violation) if the current balance
// (after pending) is already outside the new limits.
Json set_limits(store::Tx& tx, const Ctx& ctx, int64_t account_id, const LimitsPatch& in);
// Coordinator/treasurer/auditor: the org's accounts (all holders), by id.
Json list_org_accounts(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// The signed-in person's own accounts in every org: {items:[account + org:{id,name}]}.
Json my_accounts(store::Tx& tx, const Ctx& ctx);

// Statement, newest first: lines with transfer id < before (0: from the
// newest), at most limit (1..200). {account, items:[line], next_before|null}.
struct StatementReq {
  int64_t limit = 50;
  int64_t before = 0;
};
Json statement(store::Tx& tx, const Ctx& ctx, int64_t account_id, StatementReq req);

// ---- transfers

enum class Action { create, post, void_ };

struct TransferInput {
  std::string key{};              // the client's idempotency id: 1..64 of [A-Za-z0-9._:-];
                                  // "sys:..." is the system's (refused from clients)
  Action action = Action::create;
  // create:
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount = 0;             // create: > 0; post: optional (0 = the full pending amount), <= pending
  bool pending = false;           // create: reserve instead of moving
  std::optional<int64_t> timeout_s = std::nullopt;  // pending only: 1..31,536,000 seconds
  // create: corrects this posted transfer. Accounts left 0 are the
  // original's swapped (given ones must be); amount 0 is what is left
  // unreversed; all reversals of one transfer total at most its amount.
  std::optional<int64_t> reverses_id = std::nullopt;
  // post / void:
  std::optional<int64_t> pending_id = std::nullopt;
  std::string code = "transfer";  // purpose, 1..32 of [a-z_]
  std::string memo{};             // 0..200 bytes
  std::optional<int64_t> payment_request_id = std::nullopt;  // set by pay_request only
};

// The canonical body hashed for idempotency (every field but the key).
std::string body_hash(const TransferInput& in);

// Applies transfers in order, as one linked batch (all or none): validates
// each, checks and updates both accounts' totals, inserts the rows (batch_id
// = the first transfer's id when more than one). A key already stored with
// the same body returns the stored transfer unchanged; with a different body
// (or another creator) it is Error(conflict, "/transfers/i/key"). Field
// paths in errors are prefixed "/transfers/i" when in.size() > 1.
// No authorization: callers check who may move which account. created_by is
// the acting account's id (Actor::account_id; 0 for the system).
// Returns one transfer JSON per input.
std::vector<Json> apply_transfers(store::Tx& tx, Timestamp now, int64_t created_by,
                                  std::span<const TransferInput> in);

// The bulk form of apply_transfers for settlements of many orders (the
// market's settle_cycle: 100,000 holds in one batch): first each hold is
// posted for `amount` (0 voids it; amount <= the pending amount, the rest
// released), then each plain transfer is posted, in order, all as one
// linked batch (batch_id = the first row's id) — the same rules (bounds
// counting pending, overflow refused, a hold resolved once) and the same
// rows, running balances and account totals as apply_transfers would write,
// but statements prepared once, accounts read once and each account's
// totals written once at the end. Every key must be new (a stored key:
// Error(duplicate, "/key")); any refusal throws before the caller's
// savepoint is released (nothing of the batch stays). No authorization.
struct BulkPost {
  std::string key{};        // "sys:..." allowed (the system's keys)
  int64_t pending_id = 0;   // a pending transfer still held
  int64_t amount = 0;       // 0: void
  std::string memo{};
};
struct BulkTransfer {
  std::string key{};
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount = 0;       // > 0
  std::string code = "transfer";
  std::string memo{};
};
struct BulkResult {
  int64_t batch_id = 0;            // 0 when both lists were empty
  std::vector<int64_t> post_ids;   // the post/void transfer of each BulkPost, in order
  std::vector<int64_t> transfer_ids;
};
BulkResult apply_bulk(store::Tx& tx, Timestamp now, int64_t created_by,
                      std::span<const BulkPost> posts, std::span<const BulkTransfer> transfers);

// Authorized forms. Debiting an account (create) needs its holder (member
// accounts) or a coordinator/treasurer of its org; post/void needs the
// pending transfer's creator, or the holder or a coordinator/treasurer of
// either account. A batch holds 1..1000 transfers.
Json create_transfer(store::Tx& tx, const Ctx& ctx, const TransferInput& in);
Json create_transfers(store::Tx& tx, const Ctx& ctx, std::span<const TransferInput> in);  // {items:[...]}
// Anyone who may read either account.
Json get_transfer(store::Tx& tx, const Ctx& ctx, int64_t transfer_id);
Json get_transfer_by_key(store::Tx& tx, const Ctx& ctx, const std::string& key);

// Expires pending transfers whose timeout_at <= now (at most `limit`, oldest
// first): each gets an 'expire' transfer releasing its hold. Returns how many.
int64_t expire_pending(store::Tx& tx, Timestamp now, int64_t limit);
bool any_pending_due(store::Tx& tx, Timestamp now);

// Every transfer in id order (optionally only one account's, or between two
// times), streamed to `fn` (the CSV export). No authorization (CLI).
struct TransferFilter {
  std::optional<int64_t> account_id;
  std::optional<Timestamp> from;   // created_at >= from
  std::optional<Timestamp> to;     // created_at < to
};
void for_each_transfer(store::Tx& tx, const TransferFilter& f, const std::function<void(const Json&)>& fn);

// The ledger's consistency: per currency the sum of debits equals the sum of
// credits; each account's four totals equal the sums of its transfers; no
// balance is outside its bounds; each pending transfer is resolved at most
// once. {ok, accounts, transfers, problems:[string] (at most 100)}.
Json check_ledger(store::Tx& tx);

// ---- payment requests

struct RequestInput {
  std::string key{};               // idempotency id, as for transfers
  int64_t payee_account_id = 0;    // the requester's account (credited when paid)
  int64_t payer_account_id = 0;    // same currency
  int64_t amount = 0;              // > 0
  std::string code = "invoice";
  std::string memo{};              // 0..200
  std::optional<Timestamp> due_at = std::nullopt;
};
// Holder or coordinator/treasurer of the payee account.
Json create_request(store::Tx& tx, const Ctx& ctx, const RequestInput& in);
// Holder or coordinator/treasurer of the payer account; open -> accepted/rejected.
Json accept_request(store::Tx& tx, const Ctx& ctx, int64_t request_id);
Json reject_request(store::Tx& tx, const Ctx& ctx, int64_t request_id, const std::string& reason);
// The payee side; open or accepted -> cancelled.
Json cancel_request(store::Tx& tx, const Ctx& ctx, int64_t request_id);
// The payer side; accepted -> paid by a transfer payer -> payee with key
// `key` (code = the request's code). Returns the request with paid_transfer_id.
Json pay_request(store::Tx& tx, const Ctx& ctx, int64_t request_id, const std::string& key);
// Either side.
Json get_request(store::Tx& tx, const Ctx& ctx, int64_t request_id);
// Requests where an account of org_id (coordinator/treasurer/auditor) or of
// the signed-in person (org_id = 0) is payer or payee; state filter optional.
// {items, next_after} by id.
Json list_requests(store::Tx& tx, const Ctx& ctx, int64_t org_id, std::optional<std::string> state,
                   PageReq page);
// Accepted, unpaid requests in one currency (the obligations clearing nets):
// [{id, payer_account_id, payee_account_id, amount}].
Json open_obligations(store::Tx& tx, const std::string& currency);

// ---- surplus rules, hours and closings

// Coordinator/treasurer/auditor reads; coordinator/treasurer sets (body as
// ledger/surplus.h parse_rules). Default rules when none are set.
Json get_surplus_rules(store::Tx& tx, const Ctx& ctx, int64_t org_id);
Json set_surplus_rules(store::Tx& tx, const Ctx& ctx, int64_t org_id, const Json& rules);

struct HoursInput {
  int64_t person_id = 0;            // an active member of org_id
  std::string day{};                // YYYY-MM-DD
  int64_t hours_milli = 0;          // 1..24,000
  int64_t pay_index_milli = 1000;   // 1..100,000
};
// Coordinator/treasurer records worked hours (worker co-ops); {id, ...}.
Json record_hours(store::Tx& tx, const Ctx& ctx, int64_t org_id, const HoursInput& in);

// The year-end closing of `year` (e.g. 2026): the surplus is the balance of
// the org's surplus account in its currency unless `surplus` is given (then
// at most that balance). Preview (coordinator/treasurer/auditor) computes
// {org_id, year, currency, surplus, rules, interest_total, reserves_total,
//  members_total, parts:[{part, amount, account:{holder,kind,org_id}}] (the
//  reserve/fund/levy/interest/refund totals), lines:[{part, person_id|null,
//  name|null, basis, amount, disposition}]} without writing; commit
// (coordinator/treasurer) posts every line as one linked batch from the
// surplus account (levy to the parent federation's mutual fund; refunds as
// the rules say; share_capital_first pays open share subscriptions through
// the registry) and records the closing: the preview plus {id, batch_id}.
// Error(duplicate) when the year is closed; Error(rule_violation) when the
// surplus account holds less than asked.
Json preview_closing(store::Tx& tx, const Ctx& ctx, int64_t org_id, int year,
                     std::optional<int64_t> surplus);
Json commit_closing(store::Tx& tx, const Ctx& ctx, int64_t org_id, int year,
                    std::optional<int64_t> surplus);

// A month's stepped purchase bonus ("2026-03"): each member's purchases that
// month (member_spend) earn the step's rate; paid from the org's operating
// account. Same preview/commit pattern: {org_id, period, currency, total,
// lines:[{person_id, name, basis, amount, disposition}]}.
Json preview_bonus(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& month);
Json commit_bonus(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& month);

// Coordinator/treasurer/auditor: committed closings of an org, newest first,
// and one closing with its lines.
Json list_closings(store::Tx& tx, const Ctx& ctx, int64_t org_id);
Json get_closing(store::Tx& tx, const Ctx& ctx, int64_t closing_id);

}  // namespace agora::app::ledger
