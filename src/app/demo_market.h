#pragma once
// The demo's solidarity market (docs/DEMO.md, DOMAIN.md §4): labels for the
// producer co-ops and the workplaces that sell (stories, territory marks),
// three more Galician producers (eggs, wine, cleaning products) enrolled
// through the registry, about sixty products with honest labels,
// certifications and the solidarity seal granted by passed decisions of the
// Federación Ibérica's seal committee, and two order cycles at A Cesta run
// by the demo coordinator: one closed, received short and settled through
// the ledger (the litre of milk at its volume tier), one open now that the
// demo member can order in. Regional group buying: the Federación Galega's
// hub cycle with volume tiers, fed by local cycles at A Cesta and Vigo
// Consume whose members' orders are placed and left open. A fair-price
// contract between A Cesta and Hortas do Ulla (floors, commitments, an
// advance) that the past cycle's settlement applied. Everything
// goes through the use cases (registry.h, governance.h, ledger.h, market.h).
// Catalog and governance are dated on the demo's calendar; the cycles sit
// around the day of loading (like the votes in demo_governance.h), so two
// loads on the same day write the same rows.
// Thread-safe: functions over App; the load is one App::write command.

#include <cstdint>
#include <vector>

#include "app/app.h"
#include "app/demo.h"

namespace agora::app::demo {

struct MarketReport {
  int64_t orgs = 0;       // producer and worker co-ops added for the market
  int64_t producers = 0;  // producer profiles (labels) written
  int64_t products = 0;
  int64_t variants = 0;
  int64_t certifications = 0;
  int64_t seals = 0;           // live seals
  int64_t seal_decisions = 0;  // passed decisions of the seal committee (grants and withdrawals)
  int64_t cycles = 0;
  int64_t orders = 0;  // placed (or settled) orders in every cycle
  int64_t settled_cycle_id = 0;
  int64_t open_cycle_id = 0;
  int64_t hub_cycle_id = 0;              // the Federación Galega's regional cycle (open)
  std::vector<int64_t> local_cycle_ids{};  // A Cesta's and Vigo Consume's cycles feeding it
  int64_t contracts = 0;                 // fair-price contracts (active)
  int64_t contract_id = 0;               // A Cesta's with Hortas do Ulla
};

// Loads the market into a database holding the demo's registry, governance
// and ledger (load_demo calls it last). Adds the orgs, persons and
// memberships it creates to `totals`, so the demo's summary counts them.
MarketReport load_demo_market(App& app, DemoReport& totals);

}  // namespace agora::app::demo
