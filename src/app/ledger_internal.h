#pragma once
// Helpers shared by the ledger use cases (ledger*.cc) only: loading an
// account or failing with not_found, the authorization questions the ledger
// asks, the account rule state of a row, and the JSON encoders of accounts
// and transfers (shapes in app/ledger.h). Not part of the app API; include
// app/ledger.h instead.
// Thread-safe: stateless.

#include <cstdint>
#include <string>

#include "app/app.h"
#include "app/ledger.h"
#include "app/repo/ledger_repo.h"
#include "ledger/account.h"
#include "store/database.h"

namespace agora::app::ledger_detail {

// Error(not_found, ..., field) when missing.
repo::LedgerAccountRow load_account(store::Tx& tx, int64_t account_id, const char* field = "");
repo::CurrencyRow load_currency(store::Tx& tx, const std::string& code, const char* field = "");

// Admin, a coordinator or treasurer of the account's org, or (member
// accounts) the holder. May move money out of it.
bool may_debit(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a);
// Admin, or a coordinator or treasurer of the account's org (limits,
// opening accounts, paying from org accounts).
bool may_manage(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a);
// may_debit, or an auditor of the account's org.
bool may_read(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a);
// Throws Error(unauthenticated) for an anonymous actor, else Error(forbidden).
void deny(const Actor& actor, const std::string& what);

// The rule state (ledger/account.h) of a row, and back.
::agora::ledger::AccountState state_of(const repo::LedgerAccountRow& a);
void set_totals(repo::LedgerAccountRow& a, const ::agora::ledger::AccountState& s);

// Error(invalid_value, field) unless 1..64 of [A-Za-z0-9._:-].
void check_key(const std::string& key, const std::string& field);
// Keys the system makes itself (closings, bonuses, share capital, and the
// capabilities to come) begin with this prefix; clients may not use it, so
// nobody can take a key the system will need later.
inline constexpr const char* kSystemKeyPrefix = "sys:";
// check_key, and Error(invalid_value, field) for a key in the system's namespace.
void check_client_key(const std::string& key, const std::string& field);

Json account_json(const repo::LedgerAccountRow& a);
Json transfer_json(const repo::TransferRow& t);

}  // namespace agora::app::ledger_detail
