#include "app/repo/leases_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Row;
using namespace values;

constexpr const char* kLeaseCols =
    "SELECT id, asset_id, lessor_org_id, lessee_org_id, currency, starts_on, ends_on, renewal, "
    "renew_months, rent_kind, rent_monthly, index_bps, debt_service, maintenance, floor_area_m2, "
    "solidarity_org_id, due_day, state, decision_id, end_decision_id, invoiced_through, "
    "created_at, updated_at, ended_at FROM leases ";

LeaseRow lease_of(const Row& r) {
  return LeaseRow{.id = r.i64(0),
                  .asset_id = r.i64(1),
                  .lessor_org_id = r.i64(2),
                  .lessee_org_id = r.i64(3),
                  .currency = r.str(4),
                  .starts_on = r.str(5),
                  .ends_on = r.str(6),
                  .renewal = r.str(7),
                  .renew_months = r.i64(8),
                  .rent_kind = r.str(9),
                  .rent_monthly = r.i64(10),
                  .index_bps = r.i64(11),
                  .debt_service = r.i64(12),
                  .maintenance = r.i64(13),
                  .floor_area_m2 = r.i64(14),
                  .solidarity_org_id = r.opt_i64(15),
                  .due_day = r.i64(16),
                  .state = r.str(17),
                  .decision_id = r.opt_i64(18),
                  .end_decision_id = r.opt_i64(19),
                  .invoiced_through = r.opt_str(20),
                  .created_at = Timestamp{r.i64(21)},
                  .updated_at = Timestamp{r.i64(22)},
                  .ended_at = opt_ts(r, 23)};
}

std::vector<LeaseRow> leases(const store::Rows& rows) {
  std::vector<LeaseRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(lease_of(r));
  return out;
}

}  // namespace

int64_t insert_lease(store::Tx& tx, const LeaseRow& l) {
  return tx.insert(
      "INSERT INTO leases (asset_id, lessor_org_id, lessee_org_id, currency, starts_on, ends_on, "
      "renewal, renew_months, rent_kind, rent_monthly, index_bps, debt_service, maintenance, "
      "floor_area_m2, solidarity_org_id, due_day, state, decision_id, end_decision_id, "
      "invoiced_through, created_at, updated_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
      {l.asset_id,
       l.lessor_org_id,
       l.lessee_org_id,
       s(l.currency),
       s(l.starts_on),
       s(l.ends_on),
       s(l.renewal),
       l.renew_months,
       s(l.rent_kind),
       l.rent_monthly,
       l.index_bps,
       l.debt_service,
       l.maintenance,
       l.floor_area_m2,
       opt(l.solidarity_org_id),
       l.due_day,
       s(l.state),
       opt(l.decision_id),
       opt(l.end_decision_id),
       opt(l.invoiced_through),
       l.created_at.us,
       l.updated_at.us,
       opt(l.ended_at)});
}

std::optional<LeaseRow> find_lease(store::Tx& tx, int64_t id) {
  auto rows = tx.query(std::string(kLeaseCols) + "WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  auto l = lease_of(rows.rows[0]);
  AGORA_ASSERT(l.id == id);
  return l;
}

void update_lease(store::Tx& tx, const LeaseRow& l) {
  int64_t n = tx.exec(
      "UPDATE leases SET ends_on = $2, renewal = $3, renew_months = $4, rent_monthly = $5, "
      "index_bps = $6, debt_service = $7, maintenance = $8, floor_area_m2 = $9, "
      "solidarity_org_id = $10, due_day = $11, state = $12, end_decision_id = $13, "
      "invoiced_through = $14, updated_at = $15, ended_at = $16 WHERE id = $1",
      {l.id, s(l.ends_on), s(l.renewal), l.renew_months, l.rent_monthly, l.index_bps,
       l.debt_service, l.maintenance, l.floor_area_m2, opt(l.solidarity_org_id), l.due_day,
       s(l.state), opt(l.end_decision_id), opt(l.invoiced_through), l.updated_at.us,
       opt(l.ended_at)});
  AGORA_ASSERT(n == 1);
}

std::vector<LeaseRow> leases_of_org(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit) {
  return leases(tx.query(std::string(kLeaseCols) +
                             "WHERE (lessor_org_id = $1 OR lessee_org_id = $1) AND id > $2 "
                             "ORDER BY id LIMIT $3",
                         {org_id, after, limit}));
}

std::vector<LeaseRow> leases_of_asset(store::Tx& tx, int64_t asset_id) {
  return leases(tx.query(std::string(kLeaseCols) + "WHERE asset_id = $1 ORDER BY id", {asset_id}));
}

std::vector<LeaseRow> leases_due(store::Tx& tx, const std::string& period, const std::string& today,
                                 int64_t limit) {
  return leases(tx.query(std::string(kLeaseCols) +
                             "WHERE state = 'active' AND starts_on <= $2 AND "
                             "(invoiced_through IS NULL OR invoiced_through < $1) "
                             "ORDER BY id LIMIT $3",
                         {s(period), s(today), limit}));
}

std::vector<StepRow> steps_of(store::Tx& tx, int64_t lease_id) {
  std::vector<StepRow> out;
  for (const auto& r : tx.query("SELECT from_on, rate_per_m2 FROM lease_solidarity_steps "
                                "WHERE lease_id = $1 ORDER BY from_on",
                                {lease_id})
                           .rows) {
    out.push_back(StepRow{.from_on = r.str(0), .rate_per_m2 = r.i64(1)});
  }
  return out;
}

void replace_steps(store::Tx& tx, int64_t lease_id, const std::vector<StepRow>& steps) {
  tx.exec("DELETE FROM lease_solidarity_steps WHERE lease_id = $1", {lease_id});
  for (const auto& st : steps) {
    tx.exec(
        "INSERT INTO lease_solidarity_steps (lease_id, from_on, rate_per_m2) VALUES ($1, $2, $3)",
        {lease_id, s(st.from_on), st.rate_per_m2});
  }
}

void insert_change(store::Tx& tx, int64_t lease_id, int64_t decision_id, const std::string& detail,
                   std::optional<int64_t> person_id, Timestamp now) {
  tx.insert(
      "INSERT INTO lease_changes (lease_id, decision_id, detail, person_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {lease_id, decision_id, s(detail), opt(person_id), now.us});
}

void insert_invoice(store::Tx& tx, const InvoiceRow& i) {
  tx.exec(
      "INSERT INTO lease_invoices (lease_id, period, kind, amount, request_id, due_on, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {i.lease_id, s(i.period), s(i.kind), i.amount, i.request_id, s(i.due_on), i.created_at.us});
}

std::vector<InvoiceRow> invoices_of(store::Tx& tx, int64_t lease_id, int64_t before,
                                    int64_t limit) {
  std::vector<InvoiceRow> out;
  auto rows = tx.query(
      "SELECT i.lease_id, i.period, i.kind, i.amount, i.request_id, i.due_on, i.created_at, "
      "r.state FROM lease_invoices i JOIN payment_requests r ON r.id = i.request_id "
      "WHERE i.lease_id = $1 AND i.request_id < $2 ORDER BY i.request_id DESC LIMIT $3",
      {lease_id, before > 0 ? before : INT64_MAX, limit});
  for (const auto& r : rows.rows) {
    out.push_back(InvoiceRow{.lease_id = r.i64(0),
                             .period = r.str(1),
                             .kind = r.str(2),
                             .amount = r.i64(3),
                             .request_id = r.i64(4),
                             .due_on = r.str(5),
                             .created_at = Timestamp{r.i64(6)},
                             .state = r.str(7)});
  }
  return out;
}

std::vector<InvoicedAmount> invoiced_amounts(store::Tx& tx, int64_t lease_id,
                                             const std::string& from, const std::string& to) {
  std::vector<InvoicedAmount> out;
  auto rows = tx.query(
      "SELECT period, kind, amount FROM lease_invoices "
      "WHERE lease_id = $1 AND period >= $2 AND period <= $3 ORDER BY period, kind",
      {lease_id, from, to});
  for (const auto& r : rows.rows) {
    out.push_back(InvoicedAmount{.period = r.str(0), .kind = r.str(1), .amount = r.i64(2)});
  }
  return out;
}

Arrears arrears_of(store::Tx& tx, int64_t lease_id, const std::string& today) {
  const Row& r = tx.query(
                       "SELECT COUNT(*), COALESCE(SUM(i.amount), 0), MIN(i.due_on) "
                       "FROM lease_invoices i JOIN payment_requests r ON r.id = i.request_id "
                       "WHERE i.lease_id = $1 AND i.due_on < $2 "
                       "AND r.state IN ('open', 'accepted')",
                       {lease_id, s(today)})
                     .one();
  return Arrears{.count = r.i64(0), .amount = r.i64(1), .oldest_due_on = r.opt_str(2)};
}

std::optional<AssetFacts> find_asset_facts(store::Tx& tx, int64_t asset_id) {
  auto rows = tx.query("SELECT id, name, currency, status, floor_area_m2 FROM assets WHERE id = $1",
                       {asset_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  return AssetFacts{.id = r.i64(0),
                    .name = r.str(1),
                    .currency = r.str(2),
                    .status = r.str(3),
                    .floor_area_m2 = r.i64(4)};
}

int64_t stake_bps(store::Tx& tx, int64_t asset_id, int64_t org_id) {
  auto rows = tx.query("SELECT share_bps FROM asset_stakes WHERE asset_id = $1 AND org_id = $2",
                       {asset_id, org_id});
  return rows.empty() ? 0 : rows.rows[0].i64(0);
}

std::optional<OrgFacts> find_org_facts(store::Tx& tx, int64_t org_id) {
  auto rows =
      tx.query("SELECT id, parent_id, kind, name, currency FROM orgs WHERE id = $1", {org_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  return OrgFacts{.id = r.i64(0),
                  .parent_id = r.opt_i64(1),
                  .kind = r.str(2),
                  .name = r.str(3),
                  .currency = r.str(4)};
}

std::optional<LeaseDecision> find_lease_decision(store::Tx& tx, int64_t decision_id) {
  auto rows = tx.query(
      "SELECT id, org_id, counterparty_org_id, domain, subject, status FROM decisions "
      "WHERE id = $1",
      {decision_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows[0];
  return LeaseDecision{.id = r.i64(0),
                       .org_id = r.i64(1),
                       .counterparty_org_id = r.opt_i64(2),
                       .domain = r.str(3),
                       .subject = r.str(4),
                       .status = r.str(5)};
}

bool lease_decision_used(store::Tx& tx, int64_t decision_id) {
  return !tx.query(
                "SELECT 1 FROM leases WHERE decision_id = $1 OR end_decision_id = $1 "
                "UNION ALL SELECT 1 FROM lease_changes WHERE decision_id = $1",
                {decision_id})
              .empty();
}

std::vector<FlowRow> posted_flows(store::Tx& tx, int64_t account_id, Timestamp from, Timestamp to) {
  // Plain transfers and the posting of pending ones move posted balances;
  // a pending hold, a void and an expiry do not.
  std::vector<FlowRow> out;
  auto rows = tx.query(
      "SELECT created_at, code, CASE WHEN credit_account_id = $1 THEN amount ELSE -amount END "
      "FROM ledger_transfers WHERE (credit_account_id = $1 OR debit_account_id = $1) "
      "AND pending = 0 AND action IN ('create', 'post') AND created_at >= $2 AND created_at < $3 "
      "ORDER BY id",
      {account_id, from.us, to.us});
  for (const auto& r : rows.rows) {
    out.push_back(FlowRow{.at = Timestamp{r.i64(0)}, .code = r.str(1), .amount = r.i64(2)});
  }
  return out;
}

}  // namespace agora::app::repo
