// `agora verify`: walks the audit journal's hash chain end to end, then runs
// the ledger's consistency check (app/ledger.h check_ledger) and the
// market's (app/market.h check_market: running demand against the order
// lines) and names the first problem. Exit 3 when the chain is broken, 4
// when the ledger or the market is not consistent. Reads only; never
// migrates the database.

#include <cstdio>

#include "app/journal.h"
#include "app/ledger.h"
#include "app/market.h"
#include "cli/commands.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {

void add_verify_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand(
      "verify", "Check the audit journal's hash chain end to end and the ledger's consistency");
  add_db_option(cmd, g);
  cmd->callback([&g] {
    auto db = store::Database::open(g.db_url, store::Options{.migrate = false});
    auto report = app::verify_journal(*db);
    if (report.first_broken_seq) {
      std::printf("journal BROKEN at entry %lld: %s (%lld entries checked)\n",
                  static_cast<long long>(*report.first_broken_seq), report.reason.c_str(),
                  static_cast<long long>(report.entries));
      throw CLI::RuntimeError(3);
    }
    std::printf("journal ok: %lld entries, chain intact\n", static_cast<long long>(report.entries));

    // A database from before the ledger's migration has no ledger to check.
    constexpr int kLedgerSchema = 6;
    if (const int v = db->schema_version(); v < kLedgerSchema) {
      std::printf("ledger not checked: schema version %d predates the ledger\n", v);
      return;
    }
    Json ledger;
    db->read([&](store::Tx& tx) { ledger = app::ledger::check_ledger(tx); });
    const Json& problems = ledger.at("problems");
    const long long accounts = ledger.value("accounts", int64_t{0});
    const long long transfers = ledger.value("transfers", int64_t{0});
    if (!ledger.value("ok", false)) {
      std::printf(
          "ledger INCONSISTENT: %s (%zu problems; %lld accounts, %lld transfers checked; "
          "`agora ledger check` lists them)\n",
          problems.empty() ? "no detail" : problems.at(0).get<std::string>().c_str(),
          problems.size(), accounts, transfers);
      throw CLI::RuntimeError(4);
    }
    std::printf("ledger ok: %lld accounts, %lld transfers, debits equal credits\n", accounts,
                transfers);

    // The running demand per offer arrived with migration 12.
    constexpr int kDemandSchema = 12;
    if (db->schema_version() < kDemandSchema) {
      std::printf("market not checked: schema version %d predates the running demand\n",
                  db->schema_version());
      return;
    }
    Json market;
    db->read([&](store::Tx& tx) { market = app::market::check_market(tx); });
    const Json& bad = market.at("problems");
    if (!market.value("ok", false)) {
      std::printf("market INCONSISTENT: %s (%lld running demand totals differ from the order "
                  "lines)\n",
                  bad.empty() ? "no detail" : bad.at(0).get<std::string>().c_str(),
                  static_cast<long long>(market.value("mismatches", int64_t{0})));
      throw CLI::RuntimeError(4);
    }
    std::printf("market ok: %lld running demand totals equal the order lines\n",
                static_cast<long long>(market.value("offers", int64_t{0})));
  });
}

}  // namespace agora::cli
