#include "app/repo/contracts_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Row;
using namespace values;

constexpr const char* kContractCols =
    "c.id, c.buyer_org_id, c.producer_org_id, c.name, c.currency, c.starts_on, c.ends_on, "
    "c.account_id, c.repay_bps, c.state, c.terms, c.created_by_person, c.created_at, "
    "c.accepted_at, c.accepted_by_person, c.ended_at, b.name, p.name FROM market_contracts c "
    "JOIN orgs b ON b.id = c.buyer_org_id JOIN orgs p ON p.id = c.producer_org_id ";

ContractRow contract_of(const Row& r) {
  return ContractRow{.id = r.i64(0),
                     .buyer_org_id = r.i64(1),
                     .producer_org_id = r.i64(2),
                     .name = r.str(3),
                     .currency = r.str(4),
                     .starts_on = r.str(5),
                     .ends_on = r.str(6),
                     .account_id = r.i64(7),
                     .repay_bps = r.i64(8),
                     .state = r.str(9),
                     .terms = r.str(10),
                     .created_by_person = r.opt_i64(11),
                     .created_at = Timestamp{r.i64(12)},
                     .accepted_at = opt_ts(r, 13),
                     .accepted_by_person = r.opt_i64(14),
                     .ended_at = opt_ts(r, 15),
                     .buyer_name = r.str(16),
                     .producer_name = r.str(17)};
}

int64_t before_or_max(int64_t before) { return before > 0 ? before : INT64_MAX; }

constexpr const char* kEntryCols =
    "id, contract_id, kind, cycle_id, variant_id, units, amount, transfer_id, memo, created_at ";

ContractEntryRow entry_of(const Row& r) {
  return ContractEntryRow{.id = r.i64(0),
                          .contract_id = r.i64(1),
                          .kind = r.str(2),
                          .cycle_id = r.opt_i64(3),
                          .variant_id = r.opt_i64(4),
                          .units = r.i64(5),
                          .amount = r.i64(6),
                          .transfer_id = r.opt_i64(7),
                          .memo = r.str(8),
                          .created_at = Timestamp{r.i64(9)}};
}

}  // namespace

// ---- contracts

std::optional<ContractRow> find_contract(store::Tx& tx, int64_t id) {
  auto rows = tx.query(std::string("SELECT ") + kContractCols + "WHERE c.id = $1", {id});
  if (rows.empty()) return std::nullopt;
  auto c = contract_of(rows.rows[0]);
  AGORA_ASSERT(c.id == id);
  return c;
}

int64_t insert_contract(store::Tx& tx, const ContractRow& c) {
  return tx.insert(
      "INSERT INTO market_contracts (buyer_org_id, producer_org_id, name, currency, starts_on, "
      "ends_on, account_id, repay_bps, state, terms, created_by_person, created_at) VALUES ($1, "
      "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {c.buyer_org_id, c.producer_org_id, s(c.name), s(c.currency), s(c.starts_on), s(c.ends_on),
       c.account_id, c.repay_bps, s(c.state), s(c.terms), opt(c.created_by_person),
       c.created_at.us});
}

bool activate_contract(store::Tx& tx, int64_t id, Timestamp now, std::optional<int64_t> person) {
  return tx.exec(
             "UPDATE market_contracts SET state = 'active', accepted_at = $2, "
             "accepted_by_person = $3 WHERE id = $1 AND state = 'proposed'",
             {id, now.us, opt(person)}) == 1;
}

bool move_contract(store::Tx& tx, int64_t id, const std::string& from, const std::string& to,
                   Timestamp now) {
  if (to == "ended") {
    return tx.exec(
               "UPDATE market_contracts SET state = $3, ended_at = $4 WHERE id = $1 AND state = $2",
               {id, s(from), s(to), now.us}) == 1;
  }
  return tx.exec("UPDATE market_contracts SET state = $3 WHERE id = $1 AND state = $2",
                 {id, s(from), s(to)}) == 1;
}

std::vector<ContractRow> contracts_of_org(store::Tx& tx, int64_t org_id,
                                          const std::optional<std::string>& state, int64_t before,
                                          int64_t limit) {
  store::Rows rows;
  if (state) {
    rows = tx.query(std::string("SELECT ") + kContractCols +
                        "WHERE (c.buyer_org_id = $1 OR c.producer_org_id = $1) AND c.state = $2 "
                        "AND c.id < $3 ORDER BY c.id DESC LIMIT $4",
                    {org_id, s(*state), before_or_max(before), limit});
  } else {
    rows = tx.query(std::string("SELECT ") + kContractCols +
                        "WHERE (c.buyer_org_id = $1 OR c.producer_org_id = $1) AND c.id < $2 "
                        "ORDER BY c.id DESC LIMIT $3",
                    {org_id, before_or_max(before), limit});
  }
  std::vector<ContractRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(contract_of(r));
  return out;
}

// ---- lines

void insert_contract_line(store::Tx& tx, const ContractLineRow& l) {
  tx.exec(
      "INSERT INTO market_contract_lines (contract_id, variant_id, floor_price, committed_units) "
      "VALUES ($1, $2, $3, $4)",
      {l.contract_id, l.variant_id, l.floor_price, l.committed_units});
}

std::vector<ContractLineRow> contract_lines(store::Tx& tx, int64_t contract_id) {
  auto rows = tx.query(
      "SELECT l.contract_id, l.variant_id, l.floor_price, l.committed_units, v.product_id, "
      "p.name, v.name FROM market_contract_lines l JOIN market_variants v ON v.id = l.variant_id "
      "JOIN market_products p ON p.id = v.product_id WHERE l.contract_id = $1 "
      "ORDER BY l.variant_id",
      {contract_id});
  std::vector<ContractLineRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(ContractLineRow{.contract_id = r.i64(0),
                                  .variant_id = r.i64(1),
                                  .floor_price = r.i64(2),
                                  .committed_units = r.i64(3),
                                  .product_id = r.i64(4),
                                  .product_name = r.str(5),
                                  .variant_name = r.str(6)});
  }
  return out;
}

std::optional<std::pair<int64_t, int64_t>> overlapping_contract(store::Tx& tx, int64_t contract_id,
                                                                int64_t buyer_org_id,
                                                                const std::string& starts_on,
                                                                const std::string& ends_on) {
  // Terms are closed intervals of ISO dates, which compare as text.
  auto rows = tx.query(
      "SELECT c.id, l.variant_id FROM market_contract_lines m JOIN market_contract_lines l ON "
      "l.variant_id = m.variant_id JOIN market_contracts c ON c.id = l.contract_id WHERE "
      "m.contract_id = $1 AND c.id <> $1 AND c.buyer_org_id = $2 AND c.state = 'active' AND "
      "c.starts_on <= $4 AND c.ends_on >= $3 ORDER BY c.id, l.variant_id LIMIT 1",
      {contract_id, buyer_org_id, s(starts_on), s(ends_on)});
  if (rows.empty()) return std::nullopt;
  return std::make_pair(rows.rows[0].i64(0), rows.rows[0].i64(1));
}

std::vector<ApplicableLine> applicable_lines(store::Tx& tx, int64_t buyer_org_id,
                                             const std::string& currency, const std::string& day) {
  auto rows = tx.query(
      "SELECT c.id, c.producer_org_id, c.account_id, c.repay_bps, l.variant_id, l.floor_price "
      "FROM market_contracts c JOIN market_contract_lines l ON l.contract_id = c.id WHERE "
      "c.buyer_org_id = $1 AND c.state = 'active' AND c.currency = $2 AND c.starts_on <= $3 AND "
      "c.ends_on >= $3 ORDER BY c.id, l.variant_id",
      {buyer_org_id, s(currency), s(day)});
  std::vector<ApplicableLine> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(ApplicableLine{.contract_id = r.i64(0),
                                 .producer_org_id = r.i64(1),
                                 .account_id = r.i64(2),
                                 .repay_bps = r.i64(3),
                                 .variant_id = r.i64(4),
                                 .floor_price = r.i64(5)});
  }
  return out;
}

// ---- the running account

int64_t insert_contract_entry(store::Tx& tx, const ContractEntryRow& e) {
  return tx.insert(
      "INSERT INTO market_contract_entries (contract_id, kind, cycle_id, variant_id, units, "
      "amount, transfer_id, memo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {e.contract_id, s(e.kind), opt(e.cycle_id), opt(e.variant_id), e.units, e.amount,
       opt(e.transfer_id), s(e.memo), e.created_at.us});
}

std::vector<ContractEntryRow> contract_entries(store::Tx& tx, int64_t contract_id, int64_t after,
                                               int64_t limit) {
  auto rows = tx.query(std::string("SELECT ") + kEntryCols +
                           "FROM market_contract_entries WHERE contract_id = $1 AND id > $2 "
                           "ORDER BY id LIMIT $3",
                       {contract_id, after, limit});
  std::vector<ContractEntryRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(entry_of(r));
  return out;
}

std::vector<ContractEntryRow> settlement_entries(store::Tx& tx, int64_t cycle_id,
                                                 int64_t producer_org_id) {
  auto rows = tx.query(
      "SELECT e.id, e.contract_id, e.kind, e.cycle_id, e.variant_id, e.units, "
      "e.amount, e.transfer_id, e.memo, e.created_at "
      "FROM market_contract_entries e JOIN market_contracts c ON c.id = "
      "e.contract_id WHERE e.cycle_id = $1 AND c.producer_org_id = $2 AND "
      "e.kind IN ('repayment', 'floor') ORDER BY e.id",
      {cycle_id, producer_org_id});
  std::vector<ContractEntryRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(entry_of(r));
  return out;
}

std::optional<int64_t> entry_of_transfer(store::Tx& tx, int64_t contract_id, int64_t transfer_id) {
  auto rows =
      tx.query("SELECT id FROM market_contract_entries WHERE contract_id = $1 AND transfer_id = $2",
               {contract_id, transfer_id});
  if (rows.empty()) return std::nullopt;
  return rows.rows[0].i64(0);
}

std::vector<EntryTotal> entry_totals(store::Tx& tx, int64_t contract_id) {
  auto rows = tx.query(
      "SELECT kind, COALESCE(variant_id, 0), SUM(units), SUM(amount) FROM "
      "market_contract_entries WHERE contract_id = $1 GROUP BY kind, COALESCE(variant_id, 0) "
      "ORDER BY kind, COALESCE(variant_id, 0)",
      {contract_id});
  std::vector<EntryTotal> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(EntryTotal{
        .kind = r.str(0), .variant_id = r.i64(1), .units = r.i64(2), .amount = r.i64(3)});
  }
  return out;
}

}  // namespace agora::app::repo
