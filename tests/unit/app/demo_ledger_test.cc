// The demo's ledger: it loads with the demo, passes the ledger's own
// consistency check, its mutual-credit currency sums to zero, A Cesta's
// closing preview shares out exactly its surplus, every feature the docs
// point at is there to try (checked on Demo's one load per engine, which
// also compares the tables below between two loads).

#include "app/demo_ledger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "app/auth.h"
#include "app/authz.h"
#include "app/demo.h"
#include "app/ledger.h"
#include "support/demo_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_demo::actor_of;
using test_demo::dump;
using test_demo::number;


int64_t sum_amounts(const Json& lines) {
  int64_t sum = 0;
  for (const Json& l : lines) sum += l.at("amount").get<int64_t>();
  return sum;
}

}  // namespace
}  // namespace agora::app

namespace agora::test_demo {

using namespace ::agora::app;  // NOLINT(google-build-using-namespace): the checks read as app code

// The ledger's tables (and the workplaces' that feed it), each in a fixed
// order, every column.
const std::vector<std::string> kLedgerDumps = {
    "SELECT * FROM currencies ORDER BY code",
    "SELECT * FROM ledger_accounts ORDER BY id",
    "SELECT * FROM ledger_transfers ORDER BY id",
    "SELECT * FROM ledger_pending ORDER BY transfer_id",
    "SELECT * FROM payment_requests ORDER BY id",
    "SELECT * FROM surplus_rules ORDER BY org_id",
    "SELECT * FROM work_hours ORDER BY id",
    "SELECT * FROM member_spend ORDER BY id",
    // The workplaces the rent and the buy-out come from (demo_workplaces.h).
    "SELECT * FROM assets ORDER BY id",
    "SELECT * FROM asset_stakes ORDER BY asset_id, org_id",
    "SELECT * FROM asset_events ORDER BY id",
    "SELECT * FROM asset_buyouts ORDER BY id",
    "SELECT * FROM asset_buyout_installments ORDER BY buyout_id, n",
    "SELECT * FROM leases ORDER BY id",
    "SELECT * FROM lease_solidarity_steps ORDER BY lease_id, from_on",
    "SELECT * FROM lease_invoices ORDER BY lease_id, period, kind",
};

// The ledger loads consistent, and every feature the docs point at is there to try.
void expect_ledger(Loaded& l) {
  auto& db = l.db;
  auto& app = l.app;

  // The ledger's own check, and the demo is not trivially small.
  const Json check = app->read(Actor::system(),
                               [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_TRUE(check.at("ok").get<bool>()) << check.dump(2);
  EXPECT_GT(check.at("transfers").get<int64_t>(), 1000);

  // Mutual credit: a dozen accounts that have traded, summing to zero.
  const std::string xeira = "currency = '" + std::string(demo::kDemoCommunityCurrency) + "'";
  EXPECT_EQ(number(*db, "SELECT COUNT(*) FROM ledger_accounts WHERE " + xeira), 12);
  EXPECT_EQ(number(*db,
                   "SELECT COALESCE(SUM(credits_posted - debits_posted), 0) FROM "
                   "ledger_accounts WHERE " +
                       xeira),
            0);
  EXPECT_GE(number(*db, "SELECT COUNT(*) FROM ledger_accounts WHERE " + xeira +
                            " AND credits_posted - debits_posted < 0"),
            3);
  EXPECT_GE(number(*db, "SELECT COUNT(*) FROM ledger_transfers WHERE " + xeira), 30);

  // The demo coordinator keeps A Cesta's books, and its closing preview
  // shares out exactly the surplus account's balance.
  const int64_t cesta = number(*db, "SELECT id FROM orgs WHERE slug = 'a-cesta-santiago'");
  const Actor treasurer = actor_of(*app, kDemoCoordinatorEmail);
  app->read(Actor::system(), [&](store::Tx& tx, const Ctx&) {
    EXPECT_TRUE(has_role(tx, treasurer, cesta, {Role::treasurer}));
    return Json();
  });
  const Json preview = app->read(treasurer, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::preview_closing(tx, ctx, cesta, 2026, std::nullopt);
  });
  const int64_t surplus = preview.at("surplus").get<int64_t>();
  EXPECT_GT(surplus, 100000);
  EXPECT_EQ(sum_amounts(preview.at("lines")), surplus) << preview.dump(2);
  EXPECT_EQ(sum_amounts(preview.at("parts")), surplus);
  int64_t refunds = 0;
  for (const Json& l : preview.at("lines")) refunds += l.at("part") == "refund";
  EXPECT_GT(refunds, 100);
  const Json accounts = app->read(treasurer, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::list_org_accounts(tx, ctx, cesta, PageReq{.limit = 200, .after = 0});
  });
  // Its members' current accounts and the co-op's own, funds and clearing.
  EXPECT_GT(accounts.at("items").size(), 150u);

  // The worker co-op: interest on capital accounts, refunds by hours into them.
  const int64_t forno = number(*db, "SELECT id FROM orgs WHERE slug = 'forno-de-sar'");
  const Json worker = app->read(Actor::system(), [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::preview_closing(tx, ctx, forno, 2026, std::nullopt);
  });
  EXPECT_EQ(sum_amounts(worker.at("lines")), worker.at("surplus").get<int64_t>());
  EXPECT_GT(worker.at("interest_total").get<int64_t>(), 0);
  std::set<std::string> worker_parts;
  for (const Json& l : worker.at("lines")) worker_parts.insert(l.at("part").get<std::string>());
  EXPECT_TRUE(worker_parts.count("interest") && worker_parts.count("refund")) << worker.dump(2);
  EXPECT_GT(number(*db, "SELECT COUNT(*) FROM work_hours WHERE org_id = " + std::to_string(forno)),
            200);

  // Holds in every state, payment requests in every state, a reversal.
  std::map<std::string, int64_t> holds, requests;
  for (const auto& r : dump(*db, "SELECT state, COUNT(*) FROM ledger_pending GROUP BY state")) {
    holds[std::get<std::string>(r[0])] = std::get<int64_t>(r[1]);
  }
  for (const auto& r : dump(*db, "SELECT state, COUNT(*) FROM payment_requests GROUP BY state")) {
    requests[std::get<std::string>(r[0])] = std::get<int64_t>(r[1]);
  }
  for (const char* s : {"pending", "posted", "voided", "expired"}) EXPECT_GE(holds[s], 1) << s;
  for (const char* s : {"open", "accepted", "rejected", "cancelled", "paid"}) {
    EXPECT_GE(requests[s], 1) << s;
  }
  EXPECT_EQ(number(*db, "SELECT COUNT(*) FROM ledger_transfers WHERE reverses_id IS NOT NULL"), 1);

  // The demo member: a funded current account with a hold on it and a
  // request waiting for an answer.
  const Actor member = actor_of(*app, kDemoMemberEmail);
  const Json mine =
      app->read(member, [](store::Tx& tx, const Ctx& ctx) { return ledger::my_accounts(tx, ctx); });
  ASSERT_EQ(mine.at("items").size(), 1u) << mine.dump(2);
  const Json& current = mine.at("items")[0];
  EXPECT_EQ(current.at("kind"), "current");
  EXPECT_GT(current.at("available").get<int64_t>(), 4250);
  EXPECT_EQ(current.at("debits_pending").get<int64_t>(), 3500);
  const Json open = app->read(member, [](store::Tx& tx, const Ctx& ctx) {
    return ledger::list_requests(tx, ctx, 0, std::string("open"), PageReq{.limit = 50, .after = 0});
  });
  EXPECT_EQ(open.at("items").size(), 1u);
}

}  // namespace agora::test_demo
