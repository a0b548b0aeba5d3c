#pragma once
// What the demo tests share: a demo loaded into a fresh database, the
// checks of each part of it (each in its own file, all run on one load per
// engine by Demo in demo_test.cc: a load takes seconds, on PostgreSQL tens of
// them under the sanitizers), a query's rows for comparing two loads, one
// number a query returns, and a demo person signed in with the demo password.
// Thread-safe: each call uses only its arguments.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "app/auth.h"
#include "app/demo.h"
#include "core/clock.h"
#include "store/database.h"
#include "support/test_db.h"

namespace agora::test_demo {

using Table = std::vector<std::vector<store::Cell>>;

// A demo loaded into a fresh database of `engine`, by an App whose clock
// stands at the load's time (checks read "now" from it).
struct Loaded {
  std::unique_ptr<ManualClock> clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<app::App> app;
  app::DemoReport report;
};

inline Loaded load(const std::string& engine, const std::string& at_iso8601) {
  Loaded l;
  l.clock = std::make_unique<ManualClock>(parse_iso8601(at_iso8601));
  l.db = test_db::fresh_database(engine);
  l.app = app::App::create(app::AppOptions{.db = l.db.get(), .clock = l.clock.get()});
  l.report = app::load_demo(*l.app);
  return l;
}

// Each part's checks of a loaded demo (defined in demo_<part>_test.cc).
// Demo runs them in this order on one load: those that only read first,
// then governance (casts the demo member's ballots) and the market (places
// the demo member's order, a hold on the account the ledger's checks read).
void expect_ledger(Loaded& l);
void expect_workplaces(Loaded& l);
void expect_governance(Loaded& l);
void expect_market(Loaded& l);

// The queries whose rows two loads must share, beyond demo_test.cc's own.
extern const std::vector<std::string> kLedgerDumps;
extern const std::vector<std::string> kMarketDumps;

// Every row of `sql`, every column.
inline Table dump(store::Database& db, const std::string& sql) {
  Table t;
  db.read([&](store::Tx& tx) {
    for (const auto& row : tx.query(sql).rows) t.push_back(row.cells_);
  });
  return t;
}

// The first column of the one row `sql` returns.
inline int64_t number(store::Database& db, const std::string& sql) {
  int64_t n = 0;
  db.read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
  return n;
}

// The actor of `email` after a login with the demo password.
inline app::Actor actor_of(app::App& app, std::string_view email) {
  const app::Session s = app::login(app, email, app::kDemoPassword, "test");
  auto a = app::resolve_session(app, s.token, "test");
  EXPECT_TRUE(a.has_value());
  return a.value_or(app::Actor{});
}

}  // namespace agora::test_demo
