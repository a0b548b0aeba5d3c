#include "app/repo/assets_repo.h"

#include <algorithm>

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Row;
using namespace values;

constexpr const char* kAssetCols =
    "SELECT id, kind, name, description, address, territory, floor_area_m2, valuation, currency, "
    "valued_on, use_text, statutes, status, created_by_person, created_at, updated_at FROM assets ";

AssetRow asset_of(const Row& r) {
  return AssetRow{.id = r.i64(0),
                  .kind = r.str(1),
                  .name = r.str(2),
                  .description = r.str(3),
                  .address = r.str(4),
                  .territory = r.str(5),
                  .floor_area_m2 = r.i64(6),
                  .valuation = r.i64(7),
                  .currency = r.str(8),
                  .valued_on = r.opt_str(9),
                  .use_text = r.str(10),
                  .statutes = r.str(11),
                  .status = r.str(12),
                  .created_by_person = r.opt_i64(13),
                  .created_at = Timestamp{r.i64(14)},
                  .updated_at = Timestamp{r.i64(15)}};
}

constexpr const char* kEventCols =
    "SELECT id, asset_id, kind, detail, from_org_id, to_org_id, share_bps, amount, transfer_id, "
    "owner_decision_id, federation_decision_id, person_id, created_at FROM asset_events ";

AssetEventRow event_of(const Row& r) {
  return AssetEventRow{.id = r.i64(0),
                       .asset_id = r.i64(1),
                       .kind = r.str(2),
                       .detail = r.str(3),
                       .from_org_id = r.opt_i64(4),
                       .to_org_id = r.opt_i64(5),
                       .share_bps = r.opt_i64(6),
                       .amount = r.opt_i64(7),
                       .transfer_id = r.opt_i64(8),
                       .owner_decision_id = r.opt_i64(9),
                       .federation_decision_id = r.opt_i64(10),
                       .person_id = r.opt_i64(11),
                       .created_at = Timestamp{r.i64(12)}};
}

constexpr const char* kBuyoutCols =
    "SELECT id, asset_id, seller_org_id, buyer_org_id, share_bps, price_total, currency, "
    "installments, period_months, starts_on, state, decision_id, created_at FROM asset_buyouts ";

BuyoutRow buyout_of(const Row& r) {
  return BuyoutRow{.id = r.i64(0),
                   .asset_id = r.i64(1),
                   .seller_org_id = r.i64(2),
                   .buyer_org_id = r.i64(3),
                   .share_bps = r.i64(4),
                   .price_total = r.i64(5),
                   .currency = r.str(6),
                   .installments = r.i64(7),
                   .period_months = r.i64(8),
                   .starts_on = r.str(9),
                   .state = r.str(10),
                   .decision_id = r.opt_i64(11),
                   .created_at = Timestamp{r.i64(12)}};
}

constexpr const char* kInstallmentCols =
    "SELECT i.buyout_id, i.n, i.due_on, i.share_bps, i.amount, i.transfer_id, i.done_at "
    "FROM asset_buyout_installments i ";

InstallmentRow installment_of(const Row& r) {
  return InstallmentRow{.buyout_id = r.i64(0),
                        .n = r.i64(1),
                        .due_on = r.str(2),
                        .share_bps = r.i64(3),
                        .amount = r.i64(4),
                        .transfer_id = r.opt_i64(5),
                        .done_at = opt_ts(r, 6)};
}

template <typename T, typename F>
std::vector<T> all_of(const store::Rows& rows, F f) {
  std::vector<T> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(f(r));
  return out;
}

}  // namespace

int64_t insert_asset(store::Tx& tx, const AssetRow& a) {
  return tx.insert(
      "INSERT INTO assets (kind, name, description, address, territory, floor_area_m2, "
      "valuation, currency, valued_on, use_text, statutes, status, created_by_person, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15)",
      {s(a.kind), s(a.name), s(a.description), s(a.address), s(a.territory), a.floor_area_m2,
       a.valuation, s(a.currency), opt(a.valued_on), s(a.use_text), s(a.statutes), s(a.status),
       opt(a.created_by_person), a.created_at.us, a.updated_at.us});
}

std::optional<AssetRow> find_asset(store::Tx& tx, int64_t asset_id) {
  auto rows = tx.query(std::string(kAssetCols) + "WHERE id = $1", {asset_id});
  if (rows.empty()) return std::nullopt;
  return asset_of(rows.one());
}

void update_asset(store::Tx& tx, const AssetRow& a) {
  int64_t n = tx.exec(
      "UPDATE assets SET name = $2, description = $3, address = $4, territory = $5, "
      "floor_area_m2 = $6, valuation = $7, valued_on = $8, use_text = $9, statutes = $10, "
      "status = $11, updated_at = $12 WHERE id = $1",
      {a.id, s(a.name), s(a.description), s(a.address), s(a.territory), a.floor_area_m2,
       a.valuation, opt(a.valued_on), s(a.use_text), s(a.statutes), s(a.status), a.updated_at.us});
  AGORA_ASSERT(n == 1);
}

std::vector<AssetRow> list_assets(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit) {
  if (org_id == 0) {
    return all_of<AssetRow>(
        tx.query(std::string(kAssetCols) + "WHERE id > $1 ORDER BY id LIMIT $2", {after, limit}),
        asset_of);
  }
  return all_of<AssetRow>(
      tx.query(std::string(kAssetCols) +
                   "WHERE id IN (SELECT asset_id FROM asset_stakes WHERE org_id = $1 AND "
                   "asset_id > $2) ORDER BY id LIMIT $3",
               {org_id, after, limit}),
      asset_of);
}

std::vector<StakeRow> stakes_of(store::Tx& tx, int64_t asset_id) {
  return all_of<StakeRow>(
      tx.query("SELECT s.org_id, o.name, s.share_bps FROM asset_stakes s JOIN orgs o ON o.id = "
               "s.org_id WHERE s.asset_id = $1 ORDER BY s.share_bps DESC, s.org_id",
               {asset_id}),
      [](const Row& r) {
        return StakeRow{.org_id = r.i64(0), .name = r.str(1), .share_bps = r.i64(2)};
      });
}

void replace_stakes(store::Tx& tx, int64_t asset_id, const std::vector<StakeRow>& stakes) {
  tx.exec("DELETE FROM asset_stakes WHERE asset_id = $1", {asset_id});
  for (const auto& st : stakes) {
    AGORA_ASSERT(st.share_bps > 0 && st.share_bps <= 10000);
    tx.exec("INSERT INTO asset_stakes (asset_id, org_id, share_bps) VALUES ($1, $2, $3)",
            {asset_id, st.org_id, st.share_bps});
  }
}

int64_t insert_event(store::Tx& tx, const AssetEventRow& e) {
  return tx.insert(
      "INSERT INTO asset_events (asset_id, kind, detail, from_org_id, to_org_id, share_bps, "
      "amount, transfer_id, owner_decision_id, federation_decision_id, person_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {e.asset_id, s(e.kind), s(e.detail), opt(e.from_org_id), opt(e.to_org_id), opt(e.share_bps),
       opt(e.amount), opt(e.transfer_id), opt(e.owner_decision_id), opt(e.federation_decision_id),
       opt(e.person_id), e.created_at.us});
}

std::vector<AssetEventRow> events_of(store::Tx& tx, int64_t asset_id, int64_t after,
                                     int64_t limit) {
  return all_of<AssetEventRow>(
      tx.query(std::string(kEventCols) + "WHERE asset_id = $1 AND id > $2 ORDER BY id LIMIT $3",
               {asset_id, after, limit}),
      event_of);
}

std::optional<AssetDecision> find_decision_facts(store::Tx& tx, int64_t decision_id) {
  auto rows = tx.query(
      "SELECT id, org_id, counterparty_org_id, domain, subject, status FROM decisions "
      "WHERE id = $1",
      {decision_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows.front();
  AssetDecision d{.id = r.i64(0),
                  .org_id = r.i64(1),
                  .counterparty_org_id = r.opt_i64(2),
                  .domain = r.str(3),
                  .subject = r.str(4),
                  .status = r.str(5)};
  for (const auto& p : tx.query("SELECT DISTINCT org_id FROM proposals WHERE decision_id = $1 "
                                "ORDER BY org_id",
                                {decision_id})
                           .rows) {
    d.deciders.push_back(p.i64(0));
  }
  if (d.deciders.empty()) {
    d.deciders.push_back(d.org_id);
    if (d.counterparty_org_id && *d.counterparty_org_id != d.org_id) {
      d.deciders.push_back(*d.counterparty_org_id);
    }
  }
  return d;
}

bool asset_decision_used(store::Tx& tx, int64_t decision_id) {
  return !tx.query(
                "SELECT 1 FROM asset_decisions WHERE decision_id = $1 "
                "UNION ALL SELECT 1 FROM asset_events WHERE owner_decision_id = $1 "
                "OR federation_decision_id = $1 "
                "UNION ALL SELECT 1 FROM asset_buyouts WHERE decision_id = $1",
                {decision_id})
              .empty();
}

void insert_asset_decision(store::Tx& tx, int64_t decision_id, int64_t asset_id,
                           std::optional<int64_t> event_id, std::optional<int64_t> buyout_id,
                           Timestamp now) {
  tx.exec(
      "INSERT INTO asset_decisions (decision_id, asset_id, event_id, buyout_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {decision_id, asset_id, opt(event_id), opt(buyout_id), now.us});
}

int64_t insert_buyout(store::Tx& tx, const BuyoutRow& b) {
  return tx.insert(
      "INSERT INTO asset_buyouts (asset_id, seller_org_id, buyer_org_id, share_bps, price_total, "
      "currency, installments, period_months, starts_on, state, decision_id, created_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {b.asset_id, b.seller_org_id, b.buyer_org_id, b.share_bps, b.price_total, s(b.currency),
       b.installments, b.period_months, s(b.starts_on), s(b.state), opt(b.decision_id),
       b.created_at.us});
}

std::optional<BuyoutRow> find_buyout(store::Tx& tx, int64_t buyout_id) {
  auto rows = tx.query(std::string(kBuyoutCols) + "WHERE id = $1", {buyout_id});
  if (rows.empty()) return std::nullopt;
  return buyout_of(rows.one());
}

std::vector<BuyoutRow> buyouts_of(store::Tx& tx, int64_t asset_id) {
  return all_of<BuyoutRow>(
      tx.query(std::string(kBuyoutCols) + "WHERE asset_id = $1 ORDER BY id", {asset_id}),
      buyout_of);
}

bool set_buyout_state(store::Tx& tx, int64_t buyout_id, const std::string& state) {
  return tx.exec("UPDATE asset_buyouts SET state = $2 WHERE id = $1 AND state = 'active'",
                 {buyout_id, s(state)}) == 1;
}

void insert_installment(store::Tx& tx, const InstallmentRow& i) {
  tx.exec(
      "INSERT INTO asset_buyout_installments (buyout_id, n, due_on, share_bps, amount, "
      "transfer_id, done_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {i.buyout_id, i.n, s(i.due_on), i.share_bps, i.amount, opt(i.transfer_id), opt(i.done_at)});
}

std::vector<InstallmentRow> installments_of(store::Tx& tx, int64_t buyout_id) {
  return all_of<InstallmentRow>(
      tx.query(std::string(kInstallmentCols) + "WHERE i.buyout_id = $1 ORDER BY i.n", {buyout_id}),
      installment_of);
}

bool mark_installment_done(store::Tx& tx, int64_t buyout_id, int64_t n,
                           std::optional<int64_t> transfer_id, Timestamp now) {
  return tx.exec(
             "UPDATE asset_buyout_installments SET transfer_id = $3, done_at = $4 "
             "WHERE buyout_id = $1 AND n = $2 AND done_at IS NULL",
             {buyout_id, n, opt(transfer_id), now.us}) == 1;
}

int64_t drop_undone_installments(store::Tx& tx, int64_t buyout_id) {
  return tx.exec("DELETE FROM asset_buyout_installments WHERE buyout_id = $1 AND done_at IS NULL",
                 {buyout_id});
}

namespace {
constexpr const char* kDueWhere =
    "JOIN asset_buyouts b ON b.id = i.buyout_id "
    "WHERE i.done_at IS NULL AND i.due_on <= $1 AND b.state = 'active' ";
}  // namespace

std::vector<InstallmentRow> due_installments(store::Tx& tx, const std::string& today,
                                             int64_t limit) {
  return all_of<InstallmentRow>(tx.query(std::string(kInstallmentCols) + kDueWhere +
                                             "ORDER BY i.due_on, i.buyout_id, i.n LIMIT $2",
                                         {s(today), limit}),
                                installment_of);
}

bool any_installment_due(store::Tx& tx, const std::string& today) {
  return !tx.query(
                std::string("SELECT 1 FROM asset_buyout_installments i ") + kDueWhere + "LIMIT 1",
                {s(today)})
              .empty();
}

int64_t pending_sale_bps(store::Tx& tx, int64_t asset_id, int64_t seller_org_id) {
  return tx
      .query(
          "SELECT COALESCE(SUM(i.share_bps), 0) FROM asset_buyout_installments i JOIN "
          "asset_buyouts b ON b.id = i.buyout_id WHERE b.asset_id = $1 AND b.seller_org_id = $2 "
          "AND b.state = 'active' AND i.done_at IS NULL",
          {asset_id, seller_org_id})
      .one()
      .i64(0);
}

}  // namespace agora::app::repo
