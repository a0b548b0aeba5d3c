// Order cycles of the solidarity market (app/market.h) on every engine under
// test: who may create and change a cycle, offers priced from the producer's
// price and the cycle's fee rates, the state changes, the scheduler opening
// and closing cycles on time with a fixed clock, closing into whole cases
// per producer, and cancelling a cycle voiding every hold.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "app/scheduler.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_app::failure_of;

class MarketCyclesTest : public test_market::CoopCycleTest {
 protected:
  MarketCyclesTest() : CoopCycleTest(/*ana_funds=*/100'000, /*point_fee=*/0) {}
};

TEST_P(MarketCyclesTest, OnlyTheCoordinatorCreatesACycle) {
  auto f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx, cycle_input());
    });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  f = failure_of([&] {
    write(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx, cycle_input());
    });
  });
  EXPECT_EQ(f.code, Code::unauthenticated);
  Json c = cycle(draft());
  EXPECT_EQ(c["state"], "draft");
  EXPECT_EQ(c["currency"], "EUR");
  EXPECT_EQ(c["coordinator"]["org_id"], coop_);
  ASSERT_EQ(c["coops"].size(), 1u);
  EXPECT_EQ(c["coops"][0]["org_id"], coop_);
  EXPECT_EQ(c["fees"]["margin_bps"], 1000);
}

TEST_P(MarketCyclesTest, RefusesABadWindowAndRates) {
  auto in = cycle_input();
  in.closes_at = in.opens_at;
  auto f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::create_cycle(tx, ctx, in); });
  });
  EXPECT_EQ(f.code, Code::invalid_value);
  EXPECT_EQ(f.field, "/closes_at");
  in = cycle_input();
  in.fees.margin_bps = 20'000;
  f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::create_cycle(tx, ctx, in); });
  });
  EXPECT_EQ(f.code, Code::out_of_range);
}

TEST_P(MarketCyclesTest, OffersArePricedFromTheProducerPriceAndTheRates) {
  int64_t id = draft();
  Json offers = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(
        tx, ctx, id,
        {{.variant_id = carrots_}, {.variant_id = milk_, .producer_price = 150, .max_units = 24}});
  });
  ASSERT_EQ(offers["items"].size(), 2u);
  const Json& carrots = offers["items"][0];
  EXPECT_EQ(carrots["breakdown"]["producer"], 200);  // the variant's producer part
  EXPECT_EQ(carrots["breakdown"]["margin"], 20);     // 10 %
  EXPECT_EQ(carrots["price"], 220);
  EXPECT_EQ(carrots["case_size"], 6);
  EXPECT_EQ(carrots["producer"]["org_id"], farm_);
  const Json& milk = offers["items"][1];
  EXPECT_EQ(milk["breakdown"]["producer"], 150);
  EXPECT_EQ(milk["price"], 165);
  EXPECT_EQ(milk["max_units"], 24);

  // Changing the rates reprices every offer; the same variant replaces its offer.
  market::CyclePatch cheaper;
  cheaper.fees = ::agora::market::FeeRates{.margin_bps = 500};
  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::update_cycle(tx, ctx, id, cheaper); });
  offers = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(tx, ctx, id, {{.variant_id = carrots_}});
  });
  EXPECT_EQ(offers["items"][0]["price"], 210);
  EXPECT_EQ(cycle(id)["counts"]["offers"], 2);
  EXPECT_EQ(cycle(id)["counts"]["producers"], 2);

  auto f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, id, {{.variant_id = carrots_}});
    });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, id, {{.variant_id = 999'999}});
    });
  });
  EXPECT_EQ(f.code, Code::not_found);
  EXPECT_EQ(f.field, "/items/0/variant_id");
}

TEST_P(MarketCyclesTest, StateChangesFollowTheLifecycle) {
  int64_t id = draft();
  auto f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::publish_cycle(tx, ctx, id); });
  });
  EXPECT_EQ(f.code, Code::rule_violation);  // no offer, no point
  f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, id); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);  // a draft is published first

  Ready r = scheduled();
  EXPECT_EQ(cycle(r.cycle)["state"], "scheduled");
  f = failure_of([&] {
    write(ana_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  Json c = write(
      cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, r.cycle); });
  EXPECT_EQ(c["state"], "open");
  EXPECT_FALSE(c["opened_at"].is_null());
  market::CyclePatch rename;
  rename.name = "Later";
  f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::update_cycle(tx, ctx, r.cycle, rename);
    });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
  f = failure_of([&] {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, r.cycle, {.name = "Late"});
    });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
  c = write(cora_,
            [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, r.cycle); });
  EXPECT_EQ(c["state"], "closed");
  f = failure_of([&] {
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
}

TEST_P(MarketCyclesTest, TheSchedulerOpensAndClosesOnTime) {
  Ready r = scheduled();
  Scheduler scheduler(*app_, std::chrono::hours(1));
  scheduler.add(
      "open_due_cycles",
      [](store::Tx& tx, const Ctx& ctx) { return Json(market::open_due_cycles(tx, ctx.now, 100)); },
      [](store::Tx& tx, const Ctx& ctx) { return Json(market::any_cycle_due(tx, ctx.now)); });
  scheduler.add(
      "close_due_cycles",
      [](store::Tx& tx, const Ctx& ctx) { return Json(market::close_due_cycles(tx, ctx.now, 10)); },
      [](store::Tx& tx, const Ctx& ctx) { return Json(market::any_cycle_due(tx, ctx.now)); });

  clock_.set(Timestamp{kT0 + kHourUs - 1});
  EXPECT_EQ(scheduler.run_once(), 0);
  EXPECT_EQ(cycle(r.cycle)["state"], "scheduled");
  clock_.set(Timestamp{kT0 + kHourUs});
  EXPECT_EQ(scheduler.run_once(), 0);
  EXPECT_EQ(cycle(r.cycle)["state"], "open");

  order(ana_, r, {{.offer_id = r.carrots, .quantity = 6}});
  clock_.set(Timestamp{kT0 + 24 * kHourUs - 1});
  EXPECT_EQ(scheduler.run_once(), 0);
  EXPECT_EQ(cycle(r.cycle)["state"], "open");
  clock_.set(Timestamp{kT0 + 24 * kHourUs});
  EXPECT_EQ(scheduler.run_once(), 0);
  Json c = cycle(r.cycle);
  EXPECT_EQ(c["state"], "closed");
  int64_t pos = 0;
  db_->read([&](store::Tx& tx) {
    pos = tx.query("SELECT COUNT(*) FROM market_purchase_orders WHERE cycle_id = $1", {r.cycle})
              .one()
              .i64(0);
  });
  EXPECT_EQ(pos, 1);
  bool due = true;
  db_->read([&](store::Tx& tx) { due = market::any_cycle_due(tx, clock_.now()); });
  EXPECT_FALSE(due);
}

TEST_P(MarketCyclesTest, CloseOrdersWholeCasesPerProducer) {
  Ready r = opened();
  // Carrots, cases of 6: 4 + 3 ordered with 2 tolerated → one case (the
  // tolerance may not be what fills a second); milk, cases of 12: 12 with 12
  // tolerated → one case, never a second from tolerance alone.
  order(ana_, r,
        {{.offer_id = r.carrots, .quantity = 4, .tolerance = 2},
         {.offer_id = r.milk, .quantity = 12, .tolerance = 12}});
  order(bea_, r, {{.offer_id = r.carrots, .quantity = 3}});
  Actor cat = member("cat", coop_, 0);
  order(cat, r, {{.offer_id = r.milk, .quantity = 5}}, /*place=*/false);  // a cart: dropped

  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, r.cycle); });
  db_->read([&](store::Tx& tx) {
    auto rows = tx.query(
        "SELECT p.producer_org_id, l.offer_id, l.demand, l.tolerance, l.cases, l.units FROM "
        "market_po_lines l JOIN market_purchase_orders p ON p.id = l.po_id WHERE p.cycle_id = $1 "
        "ORDER BY l.offer_id",
        {r.cycle});
    ASSERT_EQ(rows.rows.size(), 2u);
    EXPECT_EQ(rows.rows[0].i64(0), farm_);
    EXPECT_EQ(rows.rows[0].i64(2), 7);
    EXPECT_EQ(rows.rows[0].i64(3), 2);
    EXPECT_EQ(rows.rows[0].i64(4), 1);
    EXPECT_EQ(rows.rows[0].i64(5), 6);
    EXPECT_EQ(rows.rows[1].i64(0), dairy_);
    EXPECT_EQ(rows.rows[1].i64(2), 12);  // the cart's 5 are not demand
    EXPECT_EQ(rows.rows[1].i64(4), 1);
    EXPECT_EQ(rows.rows[1].i64(5), 12);
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM market_purchase_orders WHERE cycle_id = $1 AND "
                       "state = 'sent'",
                       {r.cycle})
                  .one()
                  .i64(0),
              2);
    EXPECT_EQ(tx.query("SELECT state FROM market_orders WHERE person_id = $1", {cat.person_id})
                  .one()
                  .str(0),
              "cancelled");
  });
}

TEST_P(MarketCyclesTest, CancellingACycleVoidsEveryHold) {
  Ready r = opened();
  order(ana_, r, {{.offer_id = r.carrots, .quantity = 2}});
  order(bea_, r, {{.offer_id = r.milk, .quantity = 1}});
  EXPECT_EQ(pending_of(current_account(ana_)), 440);
  EXPECT_EQ(pending_of(current_account(bea_)), 110);
  auto f = failure_of([&] {
    write(ana_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_cycle(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  Json c = write(
      cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_cycle(tx, ctx, r.cycle); });
  EXPECT_EQ(c["state"], "cancelled");
  EXPECT_EQ(pending_of(current_account(ana_)), 0);
  EXPECT_EQ(pending_of(current_account(bea_)), 0);
  db_->read([&](store::Tx& tx) {
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM market_orders WHERE cycle_id = $1 AND state = "
                       "'cancelled'",
                       {r.cycle})
                  .one()
                  .i64(0),
              2);
    EXPECT_TRUE(ledger::check_ledger(tx)["ok"].get<bool>());
  });
  f = failure_of([&] {
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_cycle(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
}

TEST_P(MarketCyclesTest, ListsACoordinatorsCyclesAndAMembersOwn) {
  Ready r = scheduled();
  int64_t other = draft();
  Json all = app_->read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, coop_, std::nullopt, PageReq{});
  });
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_EQ(all["items"][0]["id"], other);  // newest first
  Json drafts = app_->read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, coop_, std::string("draft"), PageReq{});
  });
  ASSERT_EQ(drafts["items"].size(), 1u);
  Json mine = app_->read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, 0, std::nullopt, PageReq{});
  });
  ASSERT_EQ(mine["items"].size(), 1u);  // drafts are not offered to members
  EXPECT_EQ(mine["items"][0]["id"], r.cycle);
  Json page = app_->read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, coop_, std::nullopt, PageReq{.limit = 1});
  });
  ASSERT_EQ(page["items"].size(), 1u);
  Json next = app_->read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, coop_, std::nullopt,
                               PageReq{.limit = 1, .after = page["next_after"].get<int64_t>()});
  });
  ASSERT_EQ(next["items"].size(), 1u);
  EXPECT_EQ(next["items"][0]["id"], r.cycle);
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketCyclesTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
