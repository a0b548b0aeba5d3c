#pragma once
// The fixture the market use-case tests share: a fresh database and App per
// engine under test, a fixed clock at kT0, and the rows every market test
// builds (orgs, co-ops with a share class, people with roles, members with
// funds, products with one variant); then the settings several files run
// on: one co-op (CoopTest), one co-op's cycle (CoopCycleTest), and a hub
// with two local co-ops (GroupTest).
// Not thread-safe: one fixture per test, as gtest runs them.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/app.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "core/clock.h"
#include "support/app_test.h"
#include "support/test_db.h"

namespace agora::test_market {

using app::Actor;
using app::Ctx;

class MarketTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr int64_t kMinuteUs = 60'000'000;
  static constexpr int64_t kHourUs = 60 * kMinuteUs;
  static constexpr int64_t kDayUs = 24 * kHourUs;
  static constexpr int64_t kT0 = 1'800'000'000'000'000;  // 2027-01-15T08:00:00Z

  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = app::App::create(app::AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, app::WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, app::ReadFn fn) { return app_->read(a, fn); }

  // A federation at the top of the tree.
  int64_t federation(const std::string& name, const std::string& slug) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::create_org(tx, ctx,
                             app::OrgInput{.kind = "federation", .name = name, .slug = slug});
    })["id"];
  }
  // An org admitting members automatically.
  int64_t org(int64_t parent, const std::string& kind, const std::string& name,
              const std::string& slug) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::create_org(tx, ctx,
                             app::OrgInput{.parent_id = parent,
                                           .kind = kind,
                                           .name = name,
                                           .slug = slug,
                                           .admission = "automatic"});
    })["id"];
  }
  // A consumer co-op with the share class "user" (one share of 1.00) that member() joins.
  int64_t coop(int64_t parent, const std::string& name, const std::string& slug) {
    const int64_t id = org(parent, "consumer", name, slug);
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::create_class(
          tx, ctx, id,
          app::ClassInput{
              .code = "user", .name = "User", .share_price_minor = 100, .min_shares = 1});
    });
    return id;
  }

  Actor person(const std::string& name) {
    return test_app::signed_in_person(*db_, clock_.now(), name);
  }
  Actor person(const std::string& name, int64_t org_id, const std::string& role) {
    Actor a = person(name);
    test_app::grant_role(*db_, a.person_id, org_id, role);
    return a;
  }
  // An admitted member of `coop` with `funds` in their current account (none opened for 0).
  Actor member(const std::string& name, int64_t coop_id, int64_t funds) {
    Actor a = person(name);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return app::apply_for_membership(tx, ctx, coop_id,
                                       app::ApplicationInput{.class_code = "user", .shares = 1});
    });
    if (funds == 0) return a;
    db_->write([&](store::Tx& tx) {
      const int64_t to = app::ledger::ensure_account(tx, clock_.now(), coop_id, "member",
                                                     a.person_id, "EUR", "current");
      const int64_t bank = app::ledger::ensure_account(tx, clock_.now(), coop_id, "external",
                                                       std::nullopt, "EUR", "bank");
      std::vector<app::ledger::TransferInput> in{
          app::ledger::TransferInput{.key = "fund-" + std::to_string(a.person_id),
                                     .debit_account_id = bank,
                                     .credit_account_id = to,
                                     .amount = funds}};
      app::ledger::apply_transfers(tx, clock_.now(), 0, in);
    });
    return a;
  }
  // A product with one variant (named `variant_name`) whose producer part is the whole price.
  int64_t variant(int64_t producer, const std::string& name, int64_t case_size, int64_t price,
                  const std::string& currency = "EUR", const std::string& variant_name = "unit") {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      const int64_t product = tx.insert(
          "INSERT INTO market_products (producer_org_id, name, description, category, territory, "
          "distance_km, packaging, currency, min_price, max_price, active, search, created_at, "
          "updated_at) VALUES ($1, $2, '', 'food', 'here', 10, 'none', $4, $3, $3, 1, $2, 0, 0)",
          {producer, name, price, currency});
      id = tx.insert(
          "INSERT INTO market_variants (product_id, name, unit_code, net_milli, case_size, price, "
          "producer_part, transport, packing, margin, fund, tax, active, created_at, updated_at) "
          "VALUES ($1, $4, 'H87', 1000, $2, $3, $3, 0, 0, 0, 0, 0, 1, 0, 0)",
          {product, case_size, price, variant_name});
    });
    return id;
  }

  Json cycle(int64_t id) {
    return read(admin_,
                [&](store::Tx& tx, const Ctx& ctx) { return app::market::get_cycle(tx, ctx, id); });
  }
  int64_t count(const std::string& table) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query("SELECT COUNT(*) FROM " + table).one().i64(0); });
    return n;
  }
  // The ledger's own check; its report is a test failure when it finds anything.
  bool ledger_ok() {
    bool ok = false;
    db_->read([&](store::Tx& tx) {
      Json j = app::ledger::check_ledger(tx);
      ok = j["ok"].get<bool>();
      if (!ok) ADD_FAILURE() << j.dump();
    });
    return ok;
  }

  ManualClock clock_{Timestamp{kT0}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<app::App> app_;
  Actor admin_;
};

// A federation with one consumer co-op, coordinated by cora, and a farm.
class CoopTest : public MarketTest {
 protected:
  void SetUp() override {
    MarketTest::SetUp();
    national_ = federation("National", "national");
    coop_ = coop(national_, "Coop", "coop");
    farm_ = org(national_, "producer", "Farm", "farm");
    cora_ = person("cora", coop_, "coordinator");
  }

  int64_t national_ = 0, coop_ = 0, farm_ = 0;
  Actor cora_;
};

// CoopTest with a dairy, ana and bea members of the co-op, the farm's
// carrots in cases of 6 at 2.00 and the dairy's milk in cases of 12 at 1.00,
// and a cycle of the co-op offering both with a 10% margin and one point.
class CoopCycleTest : public CoopTest {
 protected:
  // ana's funds and the point's fee differ between the files that use it.
  CoopCycleTest(int64_t ana_funds, int64_t point_fee)
      : ana_funds_(ana_funds), point_fee_(point_fee) {}

  void SetUp() override {
    CoopTest::SetUp();
    dairy_ = org(national_, "producer", "Dairy", "dairy");
    ana_ = member("ana", coop_, ana_funds_);
    bea_ = member("bea", coop_, 100'000);
    carrots_ = variant(farm_, "Carrots", 6, 200);
    milk_ = variant(dairy_, "Milk", 12, 100);
  }

  int64_t current_account(const Actor& a) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = app::ledger::ensure_account(tx, clock_.now(), coop_, "member", a.person_id, "EUR",
                                       "current");
    });
    return id;
  }
  int64_t pending_of(int64_t account_id) {
    int64_t v = 0;
    db_->read([&](store::Tx& tx) {
      v = tx.query("SELECT debits_pending FROM ledger_accounts WHERE id = $1", {account_id})
              .one()
              .i64(0);
    });
    return v;
  }

  app::market::CycleInput cycle_input() {
    return app::market::CycleInput{.coordinator_org_id = coop_,
                                   .name = "Week 1",
                                   .opens_at = Timestamp{kT0 + kHourUs},
                                   .closes_at = Timestamp{kT0 + 24 * kHourUs},
                                   .fees = {.margin_bps = 1000}};
  }
  int64_t draft() {
    return write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::create_cycle(tx, ctx, cycle_input());
    })["id"];
  }
  // A published cycle with both offers and one point; {cycle, carrots offer, milk offer, point}.
  struct Ready {
    int64_t cycle = 0, carrots = 0, milk = 0, point = 0;
  };
  Ready scheduled() {
    Ready r;
    r.cycle = draft();
    Json offers = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::set_offers(tx, ctx, r.cycle,
                                     {{.variant_id = carrots_}, {.variant_id = milk_}});
    });
    r.carrots = offers["items"][0]["id"];
    r.milk = offers["items"][1]["id"];
    r.point = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::add_point(tx, ctx, r.cycle, {.name = "Shop", .fee = point_fee_});
    })["id"];
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::publish_cycle(tx, ctx, r.cycle);
    });
    return r;
  }
  Ready opened() {
    Ready r = scheduled();
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return app::market::open_cycle(tx, ctx, r.cycle); });
    return r;
  }
  // a's order at the cycle's point; checked out (its result returned) when `place`.
  Json order(const Actor& a, const Ready& r, std::vector<app::market::LineInput> lines,
             bool place = true) {
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::set_order(tx, ctx, r.cycle, {.lines = lines, .point_id = r.point});
    });
    if (!place) return Json();
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return app::market::checkout(tx, ctx, r.cycle); });
  }

  const int64_t ana_funds_, point_fee_;
  Actor ana_, bea_;
  int64_t dairy_ = 0, carrots_ = 0, milk_ = 0;
};

// Regional group buying: a hub co-op and two local co-ops (north and south)
// whose cycles feed the hub's, a farm, and each co-op's coordinator: cora
// (hub), nina (north) and sam (south).
class GroupTest : public MarketTest {
 protected:
  void SetUp() override {
    MarketTest::SetUp();
    national_ = federation("National", "national");
    hub_ = coop(national_, "Hub", "hub");
    north_ = coop(national_, "North", "north");
    south_ = coop(national_, "South", "south");
    farm_ = org(national_, "producer", "Farm", "farm");
    cora_ = person("cora", hub_, "coordinator");
    nina_ = person("nina", north_, "coordinator");
    sam_ = person("sam", south_, "coordinator");
  }

  app::market::CycleInput cycle_input(int64_t coordinator, const std::string& name,
                                      int64_t closes_h = 24) {
    return app::market::CycleInput{.coordinator_org_id = coordinator,
                                   .name = name,
                                   .opens_at = Timestamp{kT0 + kHourUs},
                                   .closes_at = Timestamp{kT0 + closes_h * kHourUs}};
  }
  // A local cycle of `coop` feeding the hub's cycle `hub`, published and
  // open, with one point charging `fee`; {cycle, point}.
  std::pair<int64_t, int64_t> local(const Actor& coord, int64_t coop_id, int64_t hub, int64_t fee) {
    auto in = cycle_input(coop_id, "Local week", 20);
    in.hub_cycle_id = hub;
    const int64_t id = write(coord, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::create_cycle(tx, ctx, in);
    })["id"];
    const int64_t point = write(coord, [&](store::Tx& tx, const Ctx& ctx) {
      return app::market::add_point(tx, ctx, id, {.name = "Shop", .fee = fee});
    })["id"];
    write(coord,
          [&](store::Tx& tx, const Ctx& ctx) { return app::market::publish_cycle(tx, ctx, id); });
    write(coord,
          [&](store::Tx& tx, const Ctx& ctx) { return app::market::open_cycle(tx, ctx, id); });
    return {id, point};
  }

  int64_t national_ = 0, hub_ = 0, north_ = 0, south_ = 0, farm_ = 0;
  Actor cora_, nina_, sam_;
};

}  // namespace agora::test_market
