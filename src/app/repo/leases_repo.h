#pragma once
// Rows of leases, their solidarity steps, changes and invoices
// (0009_workplaces.sql), with the facts of assets, orgs and decisions that
// the lease use cases check, and the posted flows of a fund account.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

struct LeaseRow {
  int64_t id = 0;
  int64_t asset_id = 0;
  int64_t lessor_org_id = 0;
  int64_t lessee_org_id = 0;
  std::string currency{};
  std::string starts_on{}, ends_on{};
  std::string renewal = "none";
  int64_t renew_months = 0;
  std::string rent_kind = "fixed";
  int64_t rent_monthly = 0, index_bps = 0, debt_service = 0, maintenance = 0;
  int64_t floor_area_m2 = 0;
  std::optional<int64_t> solidarity_org_id = std::nullopt;
  int64_t due_day = 5;
  std::string state = "active";
  std::optional<int64_t> decision_id = std::nullopt;
  std::optional<int64_t> end_decision_id = std::nullopt;
  std::optional<std::string> invoiced_through = std::nullopt;  // YYYY-MM
  Timestamp created_at{}, updated_at{};
  std::optional<Timestamp> ended_at = std::nullopt;
};
int64_t insert_lease(store::Tx& tx, const LeaseRow& l);
std::optional<LeaseRow> find_lease(store::Tx& tx, int64_t id);
// Writes every column but id, asset, parties, currency, starts_on, created_at.
void update_lease(store::Tx& tx, const LeaseRow& l);
// Leases where org_id is lessor or lessee, by id after `after`.
std::vector<LeaseRow> leases_of_org(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit);
// Summaries for an asset, by id.
std::vector<LeaseRow> leases_of_asset(store::Tx& tx, int64_t asset_id);
// Active leases whose invoices are behind `period` (YYYY-MM) and that have
// started by `today` (YYYY-MM-DD), by id, at most limit.
std::vector<LeaseRow> leases_due(store::Tx& tx, const std::string& period, const std::string& today,
                                 int64_t limit);

struct StepRow {
  std::string from_on{};
  int64_t rate_per_m2 = 0;
};
std::vector<StepRow> steps_of(store::Tx& tx, int64_t lease_id);  // by from_on
void replace_steps(store::Tx& tx, int64_t lease_id, const std::vector<StepRow>& steps);

void insert_change(store::Tx& tx, int64_t lease_id, int64_t decision_id, const std::string& detail,
                   std::optional<int64_t> person_id, Timestamp now);

struct InvoiceRow {
  int64_t lease_id = 0;
  std::string period{}, kind{};
  int64_t amount = 0;
  int64_t request_id = 0;
  std::string due_on{};
  Timestamp created_at{};
  std::string state{};  // the payment request's (read only)
};
void insert_invoice(store::Tx& tx, const InvoiceRow& i);
// Newest first by request id (invoices are raised in period order), ids
// below `before` (0: from the newest).
std::vector<InvoiceRow> invoices_of(store::Tx& tx, int64_t lease_id, int64_t before, int64_t limit);
// The invoiced amounts of periods [from, to] (YYYY-MM), by period then
// kind: what was charged, whatever the terms say today.
struct InvoicedAmount {
  std::string period{}, kind{};
  int64_t amount = 0;
};
std::vector<InvoicedAmount> invoiced_amounts(store::Tx& tx, int64_t lease_id,
                                             const std::string& from, const std::string& to);
// Open or accepted invoices due before `today`.
struct Arrears {
  int64_t count = 0;
  int64_t amount = 0;
  std::optional<std::string> oldest_due_on = std::nullopt;
};
Arrears arrears_of(store::Tx& tx, int64_t lease_id, const std::string& today);

// ---- facts of other capabilities

struct AssetFacts {
  int64_t id = 0;
  std::string name{}, currency{}, status{};
  int64_t floor_area_m2 = 0;
};
std::optional<AssetFacts> find_asset_facts(store::Tx& tx, int64_t asset_id);
int64_t stake_bps(store::Tx& tx, int64_t asset_id, int64_t org_id);  // 0 when none

struct OrgFacts {
  int64_t id = 0;
  std::optional<int64_t> parent_id = std::nullopt;
  std::string kind{}, name{}, currency{};
};
std::optional<OrgFacts> find_org_facts(store::Tx& tx, int64_t org_id);

struct LeaseDecision {
  int64_t id = 0;
  int64_t org_id = 0;
  std::optional<int64_t> counterparty_org_id = std::nullopt;
  std::string domain{}, subject{}, status{};
};
std::optional<LeaseDecision> find_lease_decision(store::Tx& tx, int64_t decision_id);
// Whether a lease was created, changed or ended by this decision.
bool lease_decision_used(store::Tx& tx, int64_t decision_id);

// A posted movement of an account: +amount credited, -amount debited.
struct FlowRow {
  Timestamp at{};
  std::string code{};
  int64_t amount = 0;  // signed
};
// Posted transfers of the account created in [from, to), oldest first.
std::vector<FlowRow> posted_flows(store::Tx& tx, int64_t account_id, Timestamp from, Timestamp to);

}  // namespace agora::app::repo
