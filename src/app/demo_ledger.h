#pragma once
// The demo's money (docs/DEMO.md, docs/LEDGER.md): bank, operating and
// surplus accounts for every consumer and worker co-op, members' current
// accounts with deposits and purchases in three consumer co-ops (A Cesta in
// full: holds, a reversal, payment requests in every state), a worker co-op's
// hours and capital accounts, surplus rules, the federations' mutual funds
// and a mutual-credit currency traded by a dozen Galician co-ops. Everything
// goes through the ledger's use cases (app/ledger.h), dated on the demo's own
// calendar, so two loads write the same rows.
// Thread-safe: functions over App; the load is one App::write command.

#include <cstdint>
#include <string_view>

#include "app/app.h"

namespace agora::app::demo {

// The community currency the Galician federation issues (mutual credit).
inline constexpr std::string_view kDemoCommunityCurrency = "XEIRA";

struct LedgerReport {
  int64_t accounts = 0;    // accounts opened
  int64_t transfers = 0;   // transfers written (posts, voids and expiries included)
  int64_t spend_rows = 0;  // member_spend rows
  int64_t hours_rows = 0;  // work_hours rows
  int64_t requests = 0;    // payment requests
};

// Loads the demo's ledger into a database that holds the demo registry and
// its logins (load_demo calls it after the governance). Also grants the demo
// coordinator the treasurer role in A Cesta.
LedgerReport load_demo_ledger(App& app);

}  // namespace agora::app::demo
