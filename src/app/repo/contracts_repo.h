#pragma once
// SQL for the market's fair-price contracts, their lines and their running
// account (tables of 0008_market_hub_contracts.sql). Plain functions over a
// transaction; the rules live in app/market_contracts.cc. Every SQL string
// is a constant, so the store's per-connection statement cache keeps them
// prepared.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- contracts

struct ContractRow {
  int64_t id = 0;
  int64_t buyer_org_id = 0;
  int64_t producer_org_id = 0;
  std::string name{};
  std::string currency{};
  std::string starts_on{};  // YYYY-MM-DD
  std::string ends_on{};
  int64_t account_id = 0;
  int64_t repay_bps = 0;
  std::string state{};  // proposed | active | ended | withdrawn | declined
  std::string terms{};
  std::optional<int64_t> created_by_person = std::nullopt;
  Timestamp created_at{};
  std::optional<Timestamp> accepted_at = std::nullopt;
  std::optional<int64_t> accepted_by_person = std::nullopt;
  std::optional<Timestamp> ended_at = std::nullopt;
  // Read only (joined from orgs).
  std::string buyer_name{};
  std::string producer_name{};
};
std::optional<ContractRow> find_contract(store::Tx& tx, int64_t id);
int64_t insert_contract(store::Tx& tx, const ContractRow& c);  // id, state as given
// proposed -> active, recording who accepted and when; false when the
// contract was no longer proposed.
bool activate_contract(store::Tx& tx, int64_t id, Timestamp now, std::optional<int64_t> person);
// `from` -> `to` (ended_at = now when `to` is "ended"); false when the
// contract was no longer in `from`.
bool move_contract(store::Tx& tx, int64_t id, const std::string& from, const std::string& to,
                   Timestamp now);
// Contracts where the org is buyer or producer (state optional), newest
// first: id < before (0: all), at most limit.
std::vector<ContractRow> contracts_of_org(store::Tx& tx, int64_t org_id,
                                          const std::optional<std::string>& state, int64_t before,
                                          int64_t limit);

// ---- lines

struct ContractLineRow {
  int64_t contract_id = 0;
  int64_t variant_id = 0;
  int64_t floor_price = 0;
  int64_t committed_units = 0;
  // Read only (joined from the catalog).
  int64_t product_id = 0;
  std::string product_name{};
  std::string variant_name{};
};
void insert_contract_line(store::Tx& tx, const ContractLineRow& l);
std::vector<ContractLineRow> contract_lines(store::Tx& tx, int64_t contract_id);  // by variant
// Another active contract of `buyer_org_id` whose term overlaps
// [starts_on, ends_on] and that covers one of contract_id's variants:
// {that contract's id, the variant}, or nullopt.
std::optional<std::pair<int64_t, int64_t>> overlapping_contract(store::Tx& tx, int64_t contract_id,
                                                                int64_t buyer_org_id,
                                                                const std::string& starts_on,
                                                                const std::string& ends_on);

// A line of an active contract that applies to a settlement.
struct ApplicableLine {
  int64_t contract_id = 0;
  int64_t producer_org_id = 0;
  int64_t account_id = 0;
  int64_t repay_bps = 0;
  int64_t variant_id = 0;
  int64_t floor_price = 0;
};
// Lines of the buyer's active contracts in `currency` whose term covers
// `day` (YYYY-MM-DD), by contract then variant.
std::vector<ApplicableLine> applicable_lines(store::Tx& tx, int64_t buyer_org_id,
                                             const std::string& currency, const std::string& day);

// ---- the running account

struct ContractEntryRow {
  int64_t id = 0;
  int64_t contract_id = 0;
  std::string kind{};  // advance | repayment | floor | delivery
  std::optional<int64_t> cycle_id = std::nullopt;
  std::optional<int64_t> variant_id = std::nullopt;
  int64_t units = 0;
  int64_t amount = 0;
  std::optional<int64_t> transfer_id = std::nullopt;
  std::string memo{};
  Timestamp created_at{};
};
int64_t insert_contract_entry(store::Tx& tx, const ContractEntryRow& e);
// Oldest first: id > after, at most limit.
std::vector<ContractEntryRow> contract_entries(store::Tx& tx, int64_t contract_id, int64_t after,
                                               int64_t limit);
// A cycle's repayment and floor entries of contracts with the producer,
// by id: what its settlement kept back from and added to the producer's pay.
std::vector<ContractEntryRow> settlement_entries(store::Tx& tx, int64_t cycle_id,
                                                 int64_t producer_org_id);
// The contract's entry naming this transfer, if any.
std::optional<int64_t> entry_of_transfer(store::Tx& tx, int64_t contract_id, int64_t transfer_id);

// Sums of a contract's entries per kind and variant (variant_id 0 for
// entries without one).
struct EntryTotal {
  std::string kind{};
  int64_t variant_id = 0;
  int64_t units = 0;
  int64_t amount = 0;
};
std::vector<EntryTotal> entry_totals(store::Tx& tx, int64_t contract_id);

}  // namespace agora::app::repo
