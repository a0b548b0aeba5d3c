// `agora demo`: the federation it loads is the same on every run and every
// engine, meets the sizes the foundation issue asks for, and its logins work.

#include "app/demo.h"

#include <gtest/gtest.h>

#include <set>

#include "app/auth.h"
#include "app/authz.h"
#include "app/demo_data.h"
#include "core/error.h"
#include "support/demo_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_demo::dump;
using test_demo::number;
using test_demo::Table;

// The tables a demo writes, in a fixed order; created_at columns included
// (the demo's history is dated from its own calendar, not the clock).
const std::vector<std::string> kDumps = {
    "SELECT * FROM orgs ORDER BY id",
    "SELECT * FROM member_classes ORDER BY id",
    "SELECT * FROM persons ORDER BY id",
    "SELECT * FROM memberships ORDER BY id",
    "SELECT * FROM membership_events ORDER BY id",
    "SELECT * FROM share_subscriptions ORDER BY id",
    "SELECT * FROM share_payments ORDER BY id",
    "SELECT * FROM share_register ORDER BY id",
    "SELECT id, person_id, org_id, role, granted_at FROM role_grants ORDER BY id",
    "SELECT id, person_id, email, admin FROM accounts ORDER BY id",
};

using test_demo::Loaded;

void expect_same_rows(const Loaded& a, const Loaded& b, const std::vector<std::string>& dumps) {
  for (const auto& sql : dumps) {
    const Table ta = dump(*a.db, sql);
    const Table tb = dump(*b.db, sql);
    EXPECT_FALSE(ta.empty()) << sql;
    ASSERT_EQ(ta.size(), tb.size()) << sql;
    for (size_t i = 0; i < ta.size(); ++i) {
      ASSERT_EQ(ta[i], tb[i]) << sql << " row " << i;
    }
  }
}

void expect_sizes_of_the_foundation_issue(Loaded& l) {
  store::Database& db = *l.db;
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL"), 1);
  EXPECT_GE(number(db,
                   "SELECT COUNT(*) FROM orgs o WHERE kind = 'federation' AND parent_id IN "
                   "(SELECT id FROM orgs WHERE parent_id IS NULL)"),
            3);
  EXPECT_GE(number(db, "SELECT COUNT(*) FROM orgs WHERE kind = 'consumer'"), 12);
  EXPECT_GE(number(db, "SELECT COUNT(*) FROM orgs WHERE kind IN ('worker', 'producer')"), 20);
  EXPECT_GE(number(db, "SELECT COUNT(*) FROM persons"), 2000);
  EXPECT_GE(number(db,
                   "SELECT COUNT(*) FROM memberships WHERE status = 'active' AND "
                   "person_id IS NOT NULL"),
            2000);
  // People in several co-ops; worker co-ops members of a consumer co-op.
  EXPECT_GE(number(db,
                   "SELECT COUNT(*) FROM (SELECT person_id FROM memberships WHERE person_id "
                   "IS NOT NULL AND status = 'active' GROUP BY person_id HAVING COUNT(*) > 1) "
                   "AS x"),
            100);
  EXPECT_GE(number(db,
                   "SELECT COUNT(*) FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN "
                   "orgs w ON w.id = m.member_org_id WHERE o.kind = 'consumer' AND "
                   "w.kind = 'worker'"),
            15);
  // Share capital in every state.
  EXPECT_GT(number(db,
                   "SELECT COUNT(*) FROM share_subscriptions WHERE state = 'waiting' AND "
                   "paid_minor > 0"),
            20);
  EXPECT_GT(number(db,
                   "SELECT COUNT(*) FROM share_subscriptions WHERE state = 'waiting' AND "
                   "paid_minor = 0"),
            20);
  EXPECT_GT(number(db, "SELECT COUNT(*) FROM share_payments"),
            number(db, "SELECT COUNT(*) FROM share_subscriptions WHERE state = 'paid'"));
  EXPECT_GT(number(db, "SELECT COUNT(*) FROM memberships WHERE status = 'left'"), 10);
  EXPECT_GT(number(db, "SELECT COUNT(*) FROM memberships WHERE status = 'applied'"), 20);
  EXPECT_GT(number(db,
                   "SELECT COUNT(*) FROM persons WHERE given_name LIKE '%í%' OR "
                   "family_name LIKE '%ã%' OR family_name LIKE '%ñ%'"),
            50);
  // Nothing is dated after the demo's calendar ends or before it starts.
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM share_payments WHERE at > " +
                           std::to_string(parse_iso8601("2026-07-01T00:00:00Z").us)),
            0);
  EXPECT_EQ(l.report.persons, number(db, "SELECT COUNT(*) FROM persons"));
  EXPECT_EQ(l.report.memberships, number(db, "SELECT COUNT(*) FROM memberships"));
  EXPECT_EQ(l.report.left, number(db, "SELECT COUNT(*) FROM memberships WHERE status = 'left'"));
  EXPECT_EQ(l.report.logins.size(), 3u);

  // A loaded database is refused.
  try {
    load_demo(*l.app);
    FAIL() << "expected invalid_state";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::invalid_state);
  }
}

void expect_logins_with_their_roles(Loaded& l) {
  App& app = *l.app;
  const int64_t region = number(*l.db, "SELECT id FROM orgs WHERE slug = 'galicia'");
  const int64_t first_coop = number(*l.db, "SELECT id FROM orgs WHERE slug = 'a-cesta-santiago'");
  const int64_t other_region = number(*l.db, "SELECT id FROM orgs WHERE slug = 'andalucia'");

  const Session admin = login(app, kDemoAdminEmail, kDemoPassword, "test");
  auto admin_actor = resolve_session(app, admin.token, "test");
  ASSERT_TRUE(admin_actor);
  EXPECT_TRUE(admin_actor->admin);

  const Session coord = login(app, kDemoCoordinatorEmail, kDemoPassword, "test");
  auto coord_actor = resolve_session(app, coord.token, "test");
  ASSERT_TRUE(coord_actor);
  EXPECT_FALSE(coord_actor->admin);

  const Session member = login(app, kDemoMemberEmail, kDemoPassword, "test");
  auto member_actor = resolve_session(app, member.token, "test");
  ASSERT_TRUE(member_actor);

  app.read(Actor::system(), [&](store::Tx& tx, const Ctx&) {
    EXPECT_TRUE(has_role(tx, *coord_actor, region, {Role::coordinator}));
    EXPECT_TRUE(has_role(tx, *coord_actor, first_coop, {Role::coordinator}));
    EXPECT_FALSE(has_role(tx, *coord_actor, other_region, {Role::coordinator}));
    EXPECT_TRUE(has_role(tx, *member_actor, first_coop, {Role::member}));
    EXPECT_FALSE(has_role(tx, *member_actor, first_coop, {Role::coordinator}));
    return Json();
  });
  try {
    login(app, kDemoMemberEmail, "wrong-password", "test");
    FAIL() << "expected bad_credentials";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::bad_credentials);
  }
}

// One load per engine (seconds each, tens of them on PostgreSQL under the
// sanitizers) checked by every part of the demo. First its rows against a
// second load on SQLite an hour later: the loader is engine-blind, so SQLite
// alone shows that it is deterministic (nothing may follow the clock), every
// table; on PostgreSQL, that both engines hold the same people and orgs.
// Then the parts' checks (support/demo_test.h), those that write last.
class Demo : public ::testing::TestWithParam<std::string> {};

TEST_P(Demo, IsDeterministicAndEveryPartChecksOut) {
  Loaded a = test_demo::load(GetParam(), "2026-11-24T10:00:00Z");
  {
    const bool sqlite = GetParam() == "sqlite";
    SCOPED_TRACE("same rows as a second load on SQLite, an hour later");
    Loaded b = test_demo::load("sqlite", "2026-11-24T11:00:00Z");
    expect_same_rows(a, b, kDumps);
    if (sqlite) {
      expect_same_rows(a, b, test_demo::kLedgerDumps);
      expect_same_rows(a, b, test_demo::kMarketDumps);
    }
  }
  {
    SCOPED_TRACE("sizes");
    expect_sizes_of_the_foundation_issue(a);
  }
  {
    SCOPED_TRACE("logins");
    expect_logins_with_their_roles(a);
  }
  {
    SCOPED_TRACE("ledger");
    test_demo::expect_ledger(a);
  }
  {
    SCOPED_TRACE("workplaces");
    test_demo::expect_workplaces(a);
  }
  {
    SCOPED_TRACE("governance");
    test_demo::expect_governance(a);
  }
  {
    SCOPED_TRACE("market");
    test_demo::expect_market(a);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, Demo, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

TEST(DemoData, RngIsSplitmix64) {
  // Reference values of splitmix64 seeded with 1234567.
  demo::Rng rng(1234567);
  EXPECT_EQ(rng.next(), 6457827717110365317ull);
  EXPECT_EQ(rng.next(), 3203168211198807973ull);
  demo::Rng a(7), b(7);
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.below(10);
    EXPECT_EQ(x, b.below(10));
    EXPECT_LT(x, 10u);
  }
}

TEST(DemoData, NamesLookSpanishAndPortuguese) {
  demo::Rng rng(42);
  for (int i = 0; i < 200; ++i) {
    const auto es = demo::make_name(rng, demo::Culture::spanish);
    EXPECT_NE(es.family_name.find(' '), std::string::npos) << "two surnames: " << es.family_name;
    const auto pt = demo::make_name(rng, demo::Culture::portuguese);
    EXPECT_FALSE(pt.family_name.empty());
    EXPECT_FALSE(demo::ascii_fold(es.given_name).empty());
  }
  EXPECT_EQ(demo::ascii_fold("María José Núñez Conceição"), "mariajosenunezconceicao");
  EXPECT_EQ(demo::ascii_fold("ÁLVARO"), "alvaro");
}

TEST(DemoData, SpecMeetsTheMinimums) {
  const auto& spec = demo::federation_spec();
  size_t consumers = 0, enterprises = 0;
  std::set<std::string_view> slugs = {spec.slug};
  for (const auto& r : spec.regions) {
    EXPECT_TRUE(slugs.insert(r.slug).second) << r.slug;
    consumers += r.consumers.size();
    enterprises += r.producers.size();
    for (const auto& p : r.producers) EXPECT_TRUE(slugs.insert(p.slug).second) << p.slug;
    for (const auto& c : r.consumers) {
      EXPECT_TRUE(slugs.insert(c.slug).second) << c.slug;
      enterprises += c.workplaces.size();
      for (const auto& w : c.workplaces) EXPECT_TRUE(slugs.insert(w.slug).second) << w.slug;
    }
  }
  EXPECT_GE(spec.regions.size(), 3u);
  EXPECT_GE(consumers, 12u);
  EXPECT_GE(enterprises, 20u);
}

}  // namespace
}  // namespace agora::app
