#pragma once
// The demo's workplaces, leases and funds (docs/DEMO.md, DOMAIN.md §1 and
// §5): O Forno de Sar's bakery in Santiago, owned by A Cesta and the
// Federación Galega with a stake buy-out half paid, leased to the bakery's
// worker co-op on an indexed rent whose monthly invoices were raised by the
// scheduler's own job and mostly paid through the ledger (the last two months
// are in arrears); A Roda's workshop on a fixed rent and a bakery in Évora on
// a free lease. Every lease and buy-out rests on real passed decisions
// (joint votes of both co-ops, the federation's council). Three budgeting
// rounds of A Cesta's investment fund: one tallied by Equal Shares and paid
// after its passed decision, one voting now, one taking projects. Everything
// goes through the use cases (governance.h, workplaces.h, ledger.h,
// budgeting.h). Dates follow
// the day of loading (never before 1 July 2026), like the votes in
// demo_governance.h: the bakery's lease began fifteen months before the
// current month, so two loads on the same day write the same rows.
// Thread-safe: functions over App; the load is three App::write commands and
// a round's tally (which writes its own).

#include <cstdint>

#include "app/app.h"

namespace agora::app::demo {

struct WorkplacesReport {
  int64_t assets = 0;
  int64_t leases = 0;
  int64_t decisions = 0;        // passed decisions made for the leases and the buy-out
  int64_t lease_months = 0;     // lease-months invoiced by raise_due_invoices
  int64_t requests_paid = 0;    // invoices (payment requests) paid through the ledger
  int64_t installments = 0;     // buy-out installments paid
  int64_t bakery_asset_id = 0;  // O Forno de Sar's workplace (A Cesta 51 %, Federación Galega 49 %)
  int64_t bakery_lease_id = 0;  // indexed, two months in arrears
  int64_t buyout_id = 0;        // A Cesta buying the federation's stake, 5 of 10 installments paid
  int64_t workshop_asset_id = 0;
  int64_t workshop_lease_id = 0;  // A Roda's: fixed rent, renewed yearly
  int64_t free_asset_id = 0;
  int64_t free_lease_id = 0;        // Padaria do Rossio's, in Évora: free
  int64_t rounds = 0;               // budgeting rounds of A Cesta's investment fund
  int64_t paid_round_id = 0;        // tallied (Equal Shares + Add1) and paid
  int64_t voting_round_id = 0;      // voting now; the demo member has not voted
  int64_t submission_round_id = 0;  // taking projects now
};

// Loads them into a database holding the demo's registry, governance, ledger
// and market (load_demo calls it after the market).
WorkplacesReport load_demo_workplaces(App& app);

}  // namespace agora::app::demo
