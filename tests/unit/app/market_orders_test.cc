// Members' orders in the solidarity market (app/market.h) on every engine
// under test: who may order and read orders, checkout holding the order's
// maximum plus the point's fee, an order above the member's funds refused
// with both amounts named, a change after checkout re-holding in one batch,
// cancelling voiding the hold, offers' caps, and orders refused after close.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_app::failure_of;

class MarketOrdersTest : public test_market::CoopCycleTest {
 protected:
  MarketOrdersTest() : CoopCycleTest(/*ana_funds=*/1000, /*point_fee=*/50) {}
  void SetUp() override {
    CoopCycleTest::SetUp();
    aldo_ = person("aldo", coop_, "auditor");
  }

  Actor aldo_;
};

TEST_P(MarketOrdersTest, CheckoutHoldsTheMaximumPlusThePointFee) {
  Ready r = opened();
  Json o = order(ana_, r, {{.offer_id = r.carrots, .quantity = 2, .tolerance = 1}});
  EXPECT_EQ(o["state"], "placed");
  EXPECT_EQ(o["org_id"], coop_);
  EXPECT_EQ(o["account_id"], current_account(ana_));
  ASSERT_EQ(o["lines"].size(), 1u);
  EXPECT_EQ(o["lines"][0]["price"], 220);
  EXPECT_EQ(o["lines"][0]["amount"], 440);
  EXPECT_EQ(o["lines"][0]["max_amount"], 660);
  EXPECT_TRUE(o["lines"][0]["allocated"].is_null());
  EXPECT_EQ(o["subtotal"], 440);
  EXPECT_EQ(o["fee"], 50);
  EXPECT_EQ(o["hold_amount"], 710);  // 3 × 2.20 + 0.50
  EXPECT_FALSE(o["placed_at"].is_null());
  EXPECT_EQ(pending_of(current_account(ana_)), 710);
  int64_t order_id = o["id"];
  db_->read([&](store::Tx& tx) {
    const auto& t = tx.query(
                          "SELECT t.idem_key, t.amount, t.pending, a.holder, a.kind, a.org_id FROM "
                          "ledger_transfers t JOIN ledger_accounts a ON a.id = "
                          "t.credit_account_id WHERE t.id = $1",
                          {o["hold_transfer_id"].get<int64_t>()})
                        .one();
    EXPECT_EQ(t.str(0), "sys:market:hold:" + std::to_string(order_id) + ":1");
    EXPECT_EQ(t.i64(1), 710);
    EXPECT_TRUE(t.boolean(2));
    EXPECT_EQ(t.str(3), "org");
    EXPECT_EQ(t.str(4), "clearing");
    EXPECT_EQ(t.i64(5), coop_);
  });
  auto f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);  // placed once
}

TEST_P(MarketOrdersTest, AnOrderAboveTheFundsIsRefusedNamingBothAmounts) {
  Ready r = opened();
  order(ana_, r, {{.offer_id = r.carrots, .quantity = 5}}, /*place=*/false);
  auto f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/hold_amount");
  EXPECT_NE(f.message.find("11.50 EUR"), std::string::npos) << f.message;  // needed
  EXPECT_NE(f.message.find("10.00 EUR"), std::string::npos) << f.message;  // available
  EXPECT_EQ(pending_of(current_account(ana_)), 0);
  Json o = app_->read(
      ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, r.cycle); });
  EXPECT_EQ(o["state"], "cart");
}

TEST_P(MarketOrdersTest, AChangeAfterCheckoutReholdsInOneBatch) {
  Ready r = opened();
  Json o = order(ana_, r, {{.offer_id = r.carrots, .quantity = 2}});
  int64_t first_hold = o["hold_transfer_id"];
  EXPECT_EQ(o["hold_amount"], 490);
  o = write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_order(tx, ctx, r.cycle, {.lines = {{.offer_id = r.carrots, .quantity = 3}}});
  });
  EXPECT_EQ(o["state"], "placed");
  EXPECT_EQ(o["hold_amount"], 710);
  EXPECT_NE(o["hold_transfer_id"], first_hold);
  EXPECT_EQ(pending_of(current_account(ana_)), 710);
  int64_t order_id = o["id"];
  db_->read([&](store::Tx& tx) {
    auto rows = tx.query(
        "SELECT action, idem_key, batch_id FROM ledger_transfers WHERE id > $1 ORDER BY id",
        {first_hold});
    ASSERT_EQ(rows.rows.size(), 2u);
    EXPECT_EQ(rows.rows[0].str(0), "void");
    EXPECT_EQ(rows.rows[1].str(0), "create");
    EXPECT_EQ(rows.rows[1].str(1), "sys:market:hold:" + std::to_string(order_id) + ":2");
    EXPECT_EQ(rows.rows[0].opt_i64(2), rows.rows[1].opt_i64(2));  // one linked batch
    EXPECT_TRUE(rows.rows[0].opt_i64(2).has_value());
  });
  // A change the funds do not cover is refused as a whole.
  auto f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, r.cycle,
                               {.lines = {{.offer_id = r.carrots, .quantity = 5}}});
    });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/hold_amount");
  EXPECT_EQ(pending_of(current_account(ana_)), 710);
  o = app_->read(ana_,
                 [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, r.cycle); });
  EXPECT_EQ(o["lines"][0]["quantity"], 3);
  db_->read([&](store::Tx& tx) { EXPECT_TRUE(ledger::check_ledger(tx)["ok"].get<bool>()); });
}

TEST_P(MarketOrdersTest, CancellingVoidsTheHold) {
  Ready r = opened();
  Json o = order(ana_, r, {{.offer_id = r.carrots, .quantity = 2}});
  int64_t id = o["id"];
  auto f = failure_of([&] {
    write(bea_, [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_order(tx, ctx, id); });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  o = write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_order(tx, ctx, id); });
  EXPECT_EQ(o["state"], "cancelled");
  EXPECT_EQ(pending_of(current_account(ana_)), 0);
  // Ordering again starts a new cart and a new hold.
  o = order(ana_, r, {{.offer_id = r.milk, .quantity = 1}});
  EXPECT_EQ(o["id"], id);
  EXPECT_EQ(o["hold_amount"], 160);
  ASSERT_EQ(o["lines"].size(), 1u);
  EXPECT_EQ(pending_of(current_account(ana_)), 160);
  // The coordinator may cancel too.
  o = write(cora_,
            [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_order(tx, ctx, id); });
  EXPECT_EQ(o["state"], "cancelled");
  EXPECT_EQ(pending_of(current_account(ana_)), 0);
}

TEST_P(MarketOrdersTest, OrdersAreRefusedOutsideTheOpenWindow) {
  Ready r = scheduled();
  auto set = [&](const Actor& a) {
    return failure_of([&] {
      write(a, [&](store::Tx& tx, const Ctx& ctx) {
        return market::set_order(tx, ctx, r.cycle,
                                 {.lines = {{.offer_id = r.carrots, .quantity = 1}}});
      });
    });
  };
  EXPECT_EQ(set(ana_).code, Code::invalid_state);  // not open yet
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, r.cycle); });
  Json o = order(ana_, r, {{.offer_id = r.carrots, .quantity = 1}});
  int64_t id = o["id"];
  clock_.set(Timestamp{kT0 + 24 * kHourUs});  // closes_at, before the scheduler ran
  auto f = set(ana_);
  EXPECT_EQ(f.code, Code::invalid_state);
  EXPECT_NE(f.message.find("closed"), std::string::npos) << f.message;
  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, r.cycle); });
  EXPECT_EQ(set(ana_).code, Code::invalid_state);
  f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
  f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_order(tx, ctx, id); });
  });
  EXPECT_EQ(f.code, Code::invalid_state);
  EXPECT_EQ(pending_of(current_account(ana_)), 270);  // the hold stays for settlement
}

TEST_P(MarketOrdersTest, OnlyMembersOrderAndOnlyTheyAndTheCoordinationRead) {
  Ready r = opened();
  Actor carl = person("carl");  // not a member of the cycle's co-op
  auto f = failure_of([&] {
    write(carl, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, r.cycle,
                               {.lines = {{.offer_id = r.carrots, .quantity = 1}}});
    });
  });
  EXPECT_EQ(f.code, Code::forbidden);
  f = failure_of([&] {
    write(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, r.cycle,
                               {.lines = {{.offer_id = r.carrots, .quantity = 1}}});
    });
  });
  EXPECT_EQ(f.code, Code::unauthenticated);

  Json o = order(ana_, r, {{.offer_id = r.carrots, .quantity = 1}});
  int64_t id = o["id"];
  auto get = [&](const Actor& a) {
    return app_->read(
        a, [&](store::Tx& tx, const Ctx& ctx) { return market::get_order(tx, ctx, id); });
  };
  EXPECT_EQ(get(ana_)["id"], id);
  EXPECT_EQ(get(cora_)["id"], id);
  EXPECT_EQ(get(aldo_)["id"], id);
  f = failure_of([&] { get(bea_); });
  EXPECT_EQ(f.code, Code::forbidden);

  auto list = [&](const Actor& a) {
    return app_->read(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::list_orders(tx, ctx, r.cycle, PageReq{});
    });
  };
  Json all = list(aldo_);
  ASSERT_EQ(all["items"].size(), 1u);
  EXPECT_EQ(all["items"][0]["person_name"], "ana Test");
  EXPECT_EQ(all["items"][0]["subtotal"], 220);
  f = failure_of([&] { list(ana_); });
  EXPECT_EQ(f.code, Code::forbidden);

  Json mine = app_->read(
      ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_orders(tx, ctx, PageReq{}); });
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["cycle"]["id"], r.cycle);
  EXPECT_EQ(mine["items"][0]["hold_amount"], 270);
  f = failure_of([&] {
    app_->read(bea_,
               [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::not_found);
}

TEST_P(MarketOrdersTest, CheckoutNeedsAPointAndLinesAndOffersKeepTheirCap) {
  Ready r = scheduled();
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(tx, ctx, r.cycle, {{.variant_id = milk_, .max_units = 10}});
  });
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, r.cycle); });
  write(bea_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_order(tx, ctx, r.cycle, {.lines = {{.offer_id = r.milk, .quantity = 8}}});
  });
  auto f = failure_of([&] {
    write(bea_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/point_id");
  f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, r.cycle, {.lines = {{.offer_id = r.milk, .quantity = 3}}});
    });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/lines/0/quantity");
  // Removing the only line of a cart leaves nothing to check out.
  write(bea_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_order(tx, ctx, r.cycle, {.lines = {}, .point_id = r.point, .replace = true});
  });
  f = failure_of([&] {
    write(bea_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/lines");
  // Bounds on a line.
  f = failure_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(
          tx, ctx, r.cycle,
          {.lines = {{.offer_id = r.carrots, .quantity = 1, .tolerance = 100'000}}});
    });
  });
  EXPECT_EQ(f.code, Code::out_of_range);
  EXPECT_EQ(f.field, "/lines/0/tolerance");
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketOrdersTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
