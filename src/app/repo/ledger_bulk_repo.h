#pragma once
// SQL for the ledger's bulk posting (ledger::apply_bulk in
// app/ledger_bulk.cc): accounts and pending holds read many at a time by id.
// The rows themselves are written with app/repo/ledger_repo.h's statements,
// so a bulk batch writes exactly what apply_transfers writes. Every SQL
// string is a constant (ids are bound in fixed-size chunks), so the store's
// per-connection statement cache keeps them prepared.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/repo/ledger_repo.h"
#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// The accounts among `ids` (duplicates allowed; missing ids are absent from
// the result), in no particular order.
std::vector<LedgerAccountRow> find_accounts(store::Tx& tx, std::span<const int64_t> ids);

// What posting or voiding a hold needs to know of the transfer it names.
struct HoldRow {
  int64_t id = 0;
  std::string action{};  // create | post | void | expire
  bool pending = false;
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount = 0;
  std::string currency{};
  std::string code{};
  std::optional<Timestamp> timeout_at = std::nullopt;
  std::optional<std::string> state = std::nullopt;  // of ledger_pending, when a hold
};
// The transfers among `ids` (duplicates allowed) with their ledger_pending
// state; missing ids are absent. In no particular order. Runs of close ids
// are read as id ranges, scattered ones by lists.
std::vector<HoldRow> find_holds(store::Tx& tx, std::span<const int64_t> ids);

// Inserts the rows (their id and state are ignored) as multi-row INSERTs of
// the same columns and values insert_transfer writes; returns their ids in
// order. Error(duplicate) when a key is already stored. Rows of one chunk
// should share which optional fields are set, so PostgreSQL prepares few
// statement variants.
std::vector<int64_t> insert_transfers(store::Tx& tx, std::span<const TransferRow> rows);

// Resolves holds (pending -> state, resolved_by) in multi-row UPDATEs;
// returns how many were still pending and so changed.
struct Resolution {
  int64_t transfer_id = 0;
  std::string state{};  // posted | voided
  int64_t resolved_by = 0;
};
int64_t resolve_holds(store::Tx& tx, std::span<const Resolution> rs);

}  // namespace agora::app::repo
