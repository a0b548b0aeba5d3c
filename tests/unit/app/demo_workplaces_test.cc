// The demo's workplaces (demo_workplaces.h): O Forno de Sar's bakery owned
// 51/49 by A Cesta and the Federación Galega after half a buy-out; its
// indexed lease's invoices equal its schedule to the cent, most paid and the
// last two months in arrears; the funds' balances equal their flows; every
// lease rests on a passed joint decision taken under the co-ops' rules; A
// Cesta's budgeting rounds (one paid, one voting, one taking projects); the
// ledger checks ok. Checked on Demo's one load per engine (demo_test.cc).

#include "app/demo_workplaces.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "app/auth.h"
#include "app/budgeting.h"
#include "app/demo.h"
#include "app/governance.h"
#include "app/ledger.h"
#include "app/workplaces.h"
#include "support/demo_test.h"
#include "support/test_db.h"
#include "workplaces/calendar.h"

namespace agora::app {
namespace {

using test_demo::actor_of;
using test_demo::number;

namespace wk = agora::app::workplaces;
namespace wp = agora::workplaces;

int64_t org_id(store::Database& db, const std::string& slug) {
  return number(db, "SELECT id FROM orgs WHERE slug = '" + slug + "'");
}

}  // namespace
}  // namespace agora::app

namespace agora::test_demo {

using namespace ::agora::app;  // NOLINT(google-build-using-namespace): the checks read as app code

// The bakery, its lease and buy-out, the funds and the budgeting rounds.
void expect_workplaces(Loaded& l) {
  ManualClock& clock_ = *l.clock;
  auto& db = l.db;
  auto& app = l.app;
  const Actor admin = Actor::system();
  const int64_t cesta = org_id(*db, "a-cesta-santiago");
  const int64_t galicia = org_id(*db, "galicia");
  const int64_t forno = org_id(*db, "forno-de-sar");

  // The asset: A Cesta 51 %, the federation 49 %, after 5 of the buy-out's
  // 10 monthly installments (none overdue).
  const Json assets = app->read(admin, [&](store::Tx& tx, const Ctx& ctx) {
    return wk::list_assets(tx, ctx, cesta, PageReq{.limit = 50, .after = 0});
  });
  Json bakery;
  for (const Json& a : assets.at("items")) {
    if (a.at("name").get<std::string>().find("rúa do Sar") != std::string::npos) bakery = a;
  }
  ASSERT_FALSE(bakery.is_null()) << assets.dump(2);
  EXPECT_EQ(bakery.at("floor_area_m2"), 210);
  EXPECT_GT(bakery.at("valuation").get<int64_t>(), 0);
  std::map<int64_t, int64_t> stakes;
  for (const Json& s : bakery.at("stakes")) stakes[s.at("org_id")] = s.at("share_bps");
  EXPECT_EQ(stakes, (std::map<int64_t, int64_t>{{cesta, 5100}, {galicia, 4900}}));
  ASSERT_EQ(bakery.at("buyouts").size(), 1u);
  const Json& buyout = bakery.at("buyouts")[0];
  EXPECT_EQ(buyout.at("done"), 5);
  EXPECT_EQ(buyout.at("installments"), 10);
  EXPECT_EQ(buyout.at("overdue"), 0);
  EXPECT_EQ(buyout.at("paid"), 1'200'000);

  // The lease: indexed, 16 months invoiced (August 2025 to November 2026),
  // each kind's invoices summing to the schedule of those months.
  ASSERT_EQ(bakery.at("leases").size(), 1u);
  const int64_t lease_id = bakery.at("leases")[0].at("id");
  const Json lease = app->read(
      admin, [&](store::Tx& tx, const Ctx& ctx) { return wk::get_lease(tx, ctx, lease_id); });
  EXPECT_EQ(lease.at("rent_kind"), "indexed");
  EXPECT_EQ(lease.at("lessee").at("org_id"), forno);
  EXPECT_EQ(lease.at("solidarity").at("org_id"), galicia);
  EXPECT_EQ(lease.at("starts_on"), "2025-08-01");
  EXPECT_EQ(lease.at("invoiced_through"), "2026-11");
  EXPECT_EQ(lease.at("steps").size(), 3u);
  const Json schedule = app->read(admin, [&](store::Tx& tx, const Ctx& ctx) {
    return wk::lease_schedule(tx, ctx, lease_id, std::nullopt, 16);
  });
  ASSERT_EQ(schedule.at("items").size(), 16u);
  std::map<std::string, int64_t> invoiced;
  int64_t unpaid = 0, overdue = 0, count = 0;
  const Json invoices = app->read(admin, [&](store::Tx& tx, const Ctx& ctx) {
    return wk::lease_invoices(tx, ctx, lease_id, PageReq{.limit = 200, .after = 0});
  });
  for (const Json& i : invoices.at("items")) {
    invoiced[i.at("kind").get<std::string>()] += i.at("amount").get<int64_t>();
    ++count;
    if (i.at("state") != "paid") ++unpaid;
    if (i.at("overdue").get<bool>()) ++overdue;
  }
  EXPECT_EQ(count, 64);  // four kinds a month
  for (const char* kind : {"debt_service", "maintenance", "surplus", "solidarity"}) {
    EXPECT_EQ(invoiced[kind], schedule.at("totals").at(kind).get<int64_t>()) << kind;
  }
  // October and November unpaid: the arrears both sides see.
  EXPECT_EQ(unpaid, 8);
  EXPECT_EQ(overdue, 8);
  EXPECT_EQ(lease.at("arrears").at("count"), 8);
  EXPECT_EQ(lease.at("arrears").at("oldest_due_on"), "2026-10-05");

  // Every lease rests on a passed joint decision of both co-ops.
  const int64_t leases = number(*db, "SELECT COUNT(*) FROM leases");
  EXPECT_EQ(leases, 3);
  EXPECT_EQ(number(*db,
                   "SELECT COUNT(*) FROM leases l JOIN decisions d ON d.id = l.decision_id "
                   "WHERE d.status = 'passed' AND d.domain = 'workplace.lease' AND "
                   "d.counterparty_org_id IS NOT NULL"),
            leases);
  // Like every proposal of the demo, the lease decisions come after their
  // co-ops adopted their rules of governance.
  EXPECT_EQ(number(*db,
                   "SELECT COUNT(*) FROM proposals p WHERE NOT EXISTS (SELECT 1 FROM "
                   "constitutions c WHERE c.org_id = p.org_id AND c.adopted_at <= p.created_at)"),
            0);
  EXPECT_EQ(number(*db, "SELECT COUNT(*) FROM leases WHERE rent_kind = 'free'"), 1);
  EXPECT_EQ(number(*db, "SELECT COUNT(*) FROM leases WHERE rent_kind = 'fixed'"), 1);

  // The funds the rent feeds: each balance equals its flows, and each has
  // inflows.
  struct Fund {
    int64_t org;
    const char* kind;
  };
  for (const Fund& f : {Fund{cesta, "investment"}, Fund{galicia, "solidarity"}}) {
    const Json flows = app->read(admin, [&](store::Tx& tx, const Ctx& ctx) {
      return wk::fund_flows(tx, ctx, f.org, f.kind, std::nullopt, "2025-01", "2026-12");
    });
    ASSERT_FALSE(flows.at("account_id").is_null()) << f.kind;
    EXPECT_EQ(flows.at("balance").get<int64_t>(), flows.at("totals").at("in").get<int64_t>() -
                                                      flows.at("totals").at("out").get<int64_t>())
        << f.kind;
    EXPECT_GT(flows.at("totals").at("in").get<int64_t>(), 0) << f.kind;
  }

  // The maintenance reserve holds exactly the maintenance invoices paid.
  EXPECT_EQ(
      number(*db, "SELECT credits_posted - debits_posted FROM ledger_accounts WHERE org_id = " +
                      std::to_string(cesta) + " AND holder = 'reserve' AND kind = 'maintenance'"),
      number(*db,
             "SELECT SUM(i.amount) FROM lease_invoices i JOIN payment_requests r ON "
             "r.id = i.request_id WHERE i.kind = 'maintenance' AND r.state = 'paid'"));

  // Budgeting rounds of A Cesta's investment fund: one tallied by Equal
  // Shares with Add1 and paid (some projects unfunded), one voting now that
  // the demo member has not voted in, one taking projects.
  const Actor member = actor_of(*app, kDemoMemberEmail);
  const Json rounds = app->read(member, [&](store::Tx& tx, const Ctx& ctx) {
    return budgeting::list_rounds(tx, ctx, cesta, PageReq{.limit = 50, .after = 0});
  });
  std::map<std::string, Json> by_phase;
  for (const Json& r : rounds.at("items")) by_phase[r.at("phase").get<std::string>()] = r;
  ASSERT_EQ(rounds.at("items").size(), 3u) << rounds.dump(2);
  ASSERT_TRUE(by_phase.count("paid") && by_phase.count("voting") && by_phase.count("submission"))
      << rounds.dump(2);
  const int64_t paid_round = by_phase["paid"].at("id");
  const Json result = app->read(member, [&](store::Tx& tx, const Ctx& ctx) {
    return budgeting::round_result(tx, ctx, paid_round);
  });
  EXPECT_EQ(result.at("method"), "equal-shares");
  EXPECT_EQ(result.at("completion"), "add1");
  EXPECT_GE(result.at("voters").get<int64_t>(), 30);
  EXPECT_EQ(result.at("funded").size() + result.at("unfunded").size(), 8u);
  EXPECT_FALSE(result.at("funded").empty());
  EXPECT_FALSE(result.at("unfunded").empty());
  EXPECT_LE(result.at("spent").get<int64_t>(), result.at("budget").get<int64_t>());
  EXPECT_EQ(result.at("paid").size(), result.at("funded").size());
  EXPECT_FALSE(result.at("decision_id").is_null());
  const Json& voting = by_phase["voting"];
  EXPECT_GT(parse_iso8601(voting.at("voting_closes_at").get<std::string>()).us, clock_.now().us);
  EXPECT_GE(voting.at("voters").get<int64_t>(), 20);
  EXPECT_FALSE(voting.at("my_ballot").at("voted").get<bool>());
  EXPECT_TRUE(voting.at("can").at("vote").get<bool>());
  EXPECT_GT(parse_iso8601(by_phase["submission"].at("submission_closes_at").get<std::string>()).us,
            clock_.now().us);
  EXPECT_TRUE(by_phase["submission"].at("can").at("submit").get<bool>());

  const Json check =
      app->read(admin, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_TRUE(check.at("ok").get<bool>()) << check.dump(2);
}

}  // namespace agora::test_demo
