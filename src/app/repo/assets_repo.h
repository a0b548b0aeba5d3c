#pragma once
// Rows of assets, their stakes and events, stake buy-outs and their
// installments (0009_workplaces.sql), the decisions they used (each serves
// once), and the facts of a decision the asset lock checks. SQL only; the
// rules live in app/workplaces_assets.cc and workplaces/stakes.h.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

struct AssetRow {
  int64_t id = 0;
  std::string kind = "workplace";
  std::string name{}, description{}, address{}, territory{};
  int64_t floor_area_m2 = 0;
  int64_t valuation = 0;
  std::string currency{};
  std::optional<std::string> valued_on = std::nullopt;
  std::string use_text{}, statutes{};
  std::string status = "active";
  std::optional<int64_t> created_by_person = std::nullopt;
  Timestamp created_at{}, updated_at{};
};
int64_t insert_asset(store::Tx& tx, const AssetRow& a);
std::optional<AssetRow> find_asset(store::Tx& tx, int64_t asset_id);
// Writes every column but id, kind, currency, created_by_person, created_at.
void update_asset(store::Tx& tx, const AssetRow& a);
// Assets with id > after in which org_id holds a stake (0: every asset), by
// id, at most limit.
std::vector<AssetRow> list_assets(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit);

struct StakeRow {
  int64_t org_id = 0;
  std::string name{};  // the org's, joined
  int64_t share_bps = 0;
};
// Largest stake first, then by org id.
std::vector<StakeRow> stakes_of(store::Tx& tx, int64_t asset_id);
// Replaces the asset's stakes by `stakes` (org_id, share_bps; name unused).
void replace_stakes(store::Tx& tx, int64_t asset_id, const std::vector<StakeRow>& stakes);

struct AssetEventRow {
  int64_t id = 0;
  int64_t asset_id = 0;
  std::string kind{};
  std::string detail{};
  std::optional<int64_t> from_org_id{}, to_org_id{}, share_bps{}, amount{}, transfer_id{},
      owner_decision_id{}, federation_decision_id{}, person_id{};
  Timestamp created_at{};
};
int64_t insert_event(store::Tx& tx, const AssetEventRow& e);
// Oldest first: ids after `after`, at most limit.
std::vector<AssetEventRow> events_of(store::Tx& tx, int64_t asset_id, int64_t after, int64_t limit);

// ---- decisions

struct AssetDecision {
  int64_t id = 0;
  int64_t org_id = 0;
  std::optional<int64_t> counterparty_org_id = std::nullopt;
  std::string domain{}, subject{}, status{};
  // The orgs whose bodies decided it: its proposals' orgs (a joint decision
  // lists both parties); with no proposal recorded, its org and counterparty.
  std::vector<int64_t> deciders{};
};
std::optional<AssetDecision> find_decision_facts(store::Tx& tx, int64_t decision_id);
// Whether an asset event or a buy-out already used the decision.
bool asset_decision_used(store::Tx& tx, int64_t decision_id);
void insert_asset_decision(store::Tx& tx, int64_t decision_id, int64_t asset_id,
                           std::optional<int64_t> event_id, std::optional<int64_t> buyout_id,
                           Timestamp now);

// ---- buy-outs

struct BuyoutRow {
  int64_t id = 0;
  int64_t asset_id = 0;
  int64_t seller_org_id = 0, buyer_org_id = 0;
  int64_t share_bps = 0, price_total = 0;
  std::string currency{};
  int64_t installments = 1, period_months = 12;
  std::string starts_on{};
  std::string state = "active";
  std::optional<int64_t> decision_id = std::nullopt;
  Timestamp created_at{};
};
int64_t insert_buyout(store::Tx& tx, const BuyoutRow& b);
std::optional<BuyoutRow> find_buyout(store::Tx& tx, int64_t buyout_id);
std::vector<BuyoutRow> buyouts_of(store::Tx& tx, int64_t asset_id);  // by id
// Guarded: only an active buy-out changes; returns whether it did.
bool set_buyout_state(store::Tx& tx, int64_t buyout_id, const std::string& state);

struct InstallmentRow {
  int64_t buyout_id = 0;
  int64_t n = 0;
  std::string due_on{};
  int64_t share_bps = 0, amount = 0;
  std::optional<int64_t> transfer_id = std::nullopt;
  std::optional<Timestamp> done_at = std::nullopt;
};
void insert_installment(store::Tx& tx, const InstallmentRow& i);
std::vector<InstallmentRow> installments_of(store::Tx& tx, int64_t buyout_id);  // by n
// Guarded: only an installment not yet done; returns whether it changed.
bool mark_installment_done(store::Tx& tx, int64_t buyout_id, int64_t n,
                           std::optional<int64_t> transfer_id, Timestamp now);
// Drops the installments not yet done (a cancelled buy-out); returns how many.
int64_t drop_undone_installments(store::Tx& tx, int64_t buyout_id);
// Installments of active buy-outs not done, due on or before `today`
// (YYYY-MM-DD): by due_on, buy-out and n (a buy-out's earlier installments
// come first), at most limit.
std::vector<InstallmentRow> due_installments(store::Tx& tx, const std::string& today,
                                             int64_t limit);
bool any_installment_due(store::Tx& tx, const std::string& today);
// Basis points `seller_org_id` still has to hand over in the active
// buy-outs of the asset (their installments not yet done).
int64_t pending_sale_bps(store::Tx& tx, int64_t asset_id, int64_t seller_org_id);

}  // namespace agora::app::repo
