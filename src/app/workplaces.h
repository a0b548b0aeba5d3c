#pragma once
// Use cases of workplaces, leases and funds (DOMAIN.md §1 and §5, seed
// 004): assets owned in stakes with the asset lock (reserved matters need
// the owners' and the federation's recorded decisions), stake buy-outs paid
// through the ledger over time, leases from the owning co-op to a worker
// co-op decided jointly, their rent and solidarity schedules, the invoices
// the scheduler raises each month as payment requests, arrears, and the
// flows of the funds. Rows in app/repo/assets_repo.h and leases_repo.h;
// calendar and schedule rules in workplaces/.
// Commands run inside App::write / http::write; queries inside App::read. A
// refused command throws agora::Error before anything of it is written.
// Thread-safe: stateless functions over the given transaction.
//
// JSON shapes (the HTTP API returns these):
//   asset:   {id, kind, name, description, address, territory, floor_area_m2,
//             valuation, currency, valued_on|null, use_text, statutes, status,
//             stakes:[{org_id, name, share_bps}], leases:[lease summary],
//             buyouts:[buyout], reserved:[{matter, domain, federation:{org_id,name}|null}]
//             (the matters locked for this asset and who must consent),
//             created_at, updated_at}
//   event:   {id, kind, detail, from_org_id|null, to_org_id|null, share_bps|null,
//             amount|null, transfer_id|null, owner_decision_id|null,
//             federation_decision_id|null, created_at}
//   buyout:  {id, asset_id, seller:{org_id,name}, buyer:{org_id,name}, share_bps,
//             price_total, currency, installments, period_months, starts_on, state,
//             decision_id|null, done (installments done), paid, overdue,
//             schedule:[{n, due_on, share_bps, amount, transfer_id|null, done_at|null}]}
//   lease:   {id, asset:{id,name,floor_area_m2}, lessor:{org_id,name},
//             lessee:{org_id,name}, currency, starts_on, ends_on, renewal,
//             renew_months, rent_kind, rent_monthly, index_bps, debt_service,
//             maintenance, floor_area_m2, solidarity:{org_id,name}|null, due_day,
//             state, steps:[{from_on, rate_per_m2}], decision_id|null,
//             end_decision_id|null, invoiced_through|null,
//             arrears:{count, amount, oldest_due_on|null}, created_at, ended_at|null}
//   month (schedule): {period, rent, debt_service, maintenance, surplus,
//             rate_per_m2, solidarity, total, invoiced (true: the amounts
//             its invoices charged, under the terms then in force)}
//   invoice: {lease_id, period, kind, amount, due_on, request_id, state (the
//             payment request's: open|accepted|rejected|cancelled|paid), overdue}
// Amounts are integers in the lease's (asset's) currency minor units.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/registry.h"
#include "store/database.h"

namespace agora::app::workplaces {

inline constexpr size_t kMaxNameBytes = 200;
inline constexpr size_t kMaxTextBytes = 5000;
inline constexpr size_t kMaxStakes = 20;
inline constexpr int64_t kMaxAmount = 1'000'000'000'000'000;  // minor units
inline constexpr int64_t kMaxArea = 10'000'000;                // m²

// ---- assets and ownership

struct StakeInput {
  int64_t org_id = 0;
  int64_t share_bps = 0;  // 1..10000; an asset's stakes sum to 10000
};
struct AssetInput {
  std::string kind = "workplace";   // workplace | land | building | equipment
  std::string name{};               // 1..200
  std::string description{};        // 0..5000
  std::string address{};            // 0..500
  std::string territory{};          // 0..200 (default: the first owner's territory)
  int64_t floor_area_m2 = 0;        // 0..kMaxArea
  int64_t valuation = 0;            // 0..kMaxAmount
  std::optional<std::string> currency = std::nullopt;  // default: the first owner's
  std::optional<std::string> valued_on = std::nullopt; // YYYY-MM-DD
  std::string use_text{};           // 0..5000: the asset's purpose
  std::string statutes{};           // 0..5000
  std::vector<StakeInput> stakes{}; // 1..kMaxStakes distinct orgs, summing to 10000
};
// A coordinator of one of the owning orgs (admin: any). Records event "created".
Json create_asset(store::Tx& tx, const Ctx& ctx, const AssetInput& in);
// Public.
Json get_asset(store::Tx& tx, const Ctx& ctx, int64_t asset_id);
// Public: assets in which org_id holds a stake (0: all), by id.
Json list_assets(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// Public: the asset's events, oldest first.
Json asset_events(store::Tx& tx, const Ctx& ctx, int64_t asset_id, PageReq page);
// Matters decided by the owners alone: a coordinator of an owner.
// Valuation changes record event "valuation".
struct AssetPatch {
  std::optional<std::string> name{}, description{}, address{}, territory{}, valued_on{};
  std::optional<int64_t> floor_area_m2{}, valuation{};
};
Json update_asset(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const AssetPatch& in);

// The asset lock. Reserved matters: "sale" (the asset leaves the
// federation: status sold, stakes end), "use" (use_text := detail),
// "encumbrance" (a mortgage or charge of `amount`, described by detail),
// "statutes" (statutes := detail). Matter m is decided in governance domain
// "asset.<m>" on subject "asset:<id>". Carrying one out needs, whatever the
// caller's role (admins too), among decision_ids (1..10, each passed,
// in that domain, on that subject, never used by another asset event):
// - the owners' consent: for every owning org, a decision of that org or a
//   joint decision naming it as counterparty; and
// - the federation's consent: when a federation above an owner reserves
//   "asset.<m>" in its constitution in force, a decision of that federation
//   (a joint one of the federation with the owner as counterparty counts
//   for both).
// Missing any: Error(rule_violation, "/decision_ids") naming what is
// missing. The caller must be signed in (any role: the decisions are the
// authority). Records the event with both decision ids.
struct ReservedInput {
  std::string matter{};                     // sale | use | encumbrance | statutes
  std::string detail{};                     // 1..5000 (the new use or statutes, the charge, the sale)
  std::optional<int64_t> amount = std::nullopt;  // sale price or charge, 0..kMaxAmount
  std::vector<int64_t> decision_ids{};
};
Json carry_out_reserved(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const ReservedInput& in);

// A stake buy-out plan: the buyer takes share_bps of the seller's stake in
// `installments` parts (equal, the last takes the remainder — the same for
// the price), one every period_months from starts_on, each paid through the
// ledger from the buyer's operating account to the seller's (code
// "asset_buyout"). Needs a passed decision of the seller in domain
// "asset.stake" on subject "asset:<id>" (unused); created by a coordinator
// or treasurer of the buyer. share_bps <= the seller's stake.
struct BuyoutInput {
  int64_t seller_org_id = 0;
  int64_t buyer_org_id = 0;
  int64_t share_bps = 0;      // 1..10000
  int64_t price_total = 0;    // 0..kMaxAmount, in the asset's currency
  int64_t installments = 1;   // 1..600
  int64_t period_months = 12; // 1..120
  std::string starts_on{};    // YYYY-MM-DD: the first installment's due day
  int64_t decision_id = 0;
};
Json create_buyout(store::Tx& tx, const Ctx& ctx, int64_t asset_id, const BuyoutInput& in);
// Seller or buyer coordinator: active -> cancelled (undone installments dropped).
Json cancel_buyout(store::Tx& tx, const Ctx& ctx, int64_t buyout_id);
// The scheduler's job: every installment due on or before today (UTC) not
// yet done, oldest first, at most `limit`: the ledger transfer, the stakes
// moved (a stake reaching 0 ends), event "stake". An installment the buyer
// cannot pay stays due (its buy-out shows it overdue) and the others go on.
// Returns how many were done.
int64_t run_due_installments(store::Tx& tx, Timestamp now, int64_t limit);
bool any_installment_due(store::Tx& tx, Timestamp now);

// ---- leases

struct SolidarityStep {
  std::string from_on{};   // YYYY-MM-01, ascending, the first == starts_on
  int64_t rate_per_m2 = 0; // 0..10^9 minor units per m² per month
};
// A lease covers the months [starts_on, ends_on): both are first days of
// months (no proration). Rent per month: free 0; fixed rent_monthly;
// indexed rent_monthly raised by index_bps (0..5000) on each anniversary of
// starts_on, compounded, each year's rent rounded half up to the minor
// unit. debt_service + maintenance <= the first year's rent (free: both 0);
// surplus = rent - debt_service - maintenance. Solidarity contribution per
// month = rate_per_m2 in force on the month's first day × floor_area_m2.
struct LeaseInput {
  int64_t asset_id = 0;
  int64_t lessor_org_id = 0;    // an owner of the asset
  int64_t lessee_org_id = 0;    // a worker co-op (orgs.kind "worker") or any org
  std::string starts_on{}, ends_on{};
  std::string renewal = "none"; // none | auto
  int64_t renew_months = 0;     // auto: 1..120
  std::string rent_kind = "fixed";
  int64_t rent_monthly = 0;     // 0..kMaxAmount
  int64_t index_bps = 0;
  int64_t debt_service = 0, maintenance = 0;
  std::optional<int64_t> floor_area_m2 = std::nullopt;   // default: the asset's
  std::optional<int64_t> solidarity_org_id = std::nullopt;  // default: the nearest federation above the lessor
  int64_t due_day = 5;          // 1..28: invoices fall due on this day of their month
  std::vector<SolidarityStep> steps{};  // 0..50
  int64_t decision_id = 0;
};
// Creating a lease is a joint decision of lessor and lessee: a passed
// decision in domain "workplace.lease" on subject
// "asset:<asset_id>:lessee:<lessee_org_id>", of the lessor with the lessee
// as counterparty or of the lessee with the lessor as counterparty, never
// used before. Without it: Error(rule_violation, "/decision_id"), whatever
// the caller's role. Caller: a coordinator of either party. Refused when
// an active lease of the asset overlaps (Error(conflict)).
Json create_lease(store::Tx& tx, const Ctx& ctx, const LeaseInput& in);
// Changing terms (from the next uninvoiced month) or ending (ends_on moved
// earlier, at least the first uninvoiced month; state ended when reached):
// the same kind of joint decision on subject "lease:<id>".
struct LeasePatch {
  std::optional<std::string> ends_on{}, renewal{};
  std::optional<int64_t> renew_months{}, rent_monthly{}, index_bps{}, debt_service{},
      maintenance{}, due_day{};
  std::optional<std::vector<SolidarityStep>> steps{};
  int64_t decision_id = 0;
};
Json change_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id, const LeasePatch& in);
Json end_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id, const std::string& ends_on,
               int64_t decision_id);
// Either party's active members, coordinators, treasurers, auditors; admins.
Json get_lease(store::Tx& tx, const Ctx& ctx, int64_t lease_id);
// Leases where org_id is lessor or lessee (same access), by id.
Json list_leases(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// The schedule of `months` (1..240) months from `from` (YYYY-MM, default the
// lease's first month), clipped to the lease: {items:[month], totals:{rent,
// debt_service, maintenance, surplus, solidarity, total}}. Invoiced months
// show what was charged; later months the terms in force now.
Json lease_schedule(store::Tx& tx, const Ctx& ctx, int64_t lease_id,
                    std::optional<std::string> from, int64_t months);
// The lease's invoices, newest period first, with their requests' states
// and {arrears:{count, amount, oldest_due_on|null}}.
Json lease_invoices(store::Tx& tx, const Ctx& ctx, int64_t lease_id, PageReq page);
// The scheduler's job: for every active lease, each month from the first
// uninvoiced one through the current month (UTC) gets its invoices: up to
// four payment requests (only amounts > 0) from the lessee's operating
// account, keys "sys:lease:<id>:<period>:<kind>", code "rent" (debt_service,
// maintenance, surplus) or "solidarity", due on due_day of the month;
// invoiced_through advances; a lease past ends_on with renewal none is
// ended, with auto renewal ends_on moves by renew_months. At most `limit`
// lease-months per run. Returns how many lease-months were invoiced.
int64_t raise_due_invoices(store::Tx& tx, Timestamp now, int64_t limit);
bool any_invoice_due(store::Tx& tx, Timestamp now);

// ---- funds

// A fund's flows over time: the org's "fund" account of `kind`
// (investment | solidarity | education | ...) in `currency` (default the
// org's): {account_id|null, balance, inflows:[{period (YYYY-MM), code,
// amount}], outflows:[...], totals:{in, out}, by_code:{in:{code:amount},
// out:{code:amount}}}, from `from` to `to` (YYYY-MM, default the last 24
// months). balance equals Σ inflows - Σ outflows over the whole history.
// Public for the org's members; coordinators, treasurers, auditors.
Json fund_flows(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& kind,
                std::optional<std::string> currency, std::optional<std::string> from,
                std::optional<std::string> to);

}  // namespace agora::app::workplaces
