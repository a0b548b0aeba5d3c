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
#include "support/test_db.h"

namespace agora::app {
namespace {

constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kT0 = 1'800'000'000'000'000;

struct Failure {
  Code code = Code::internal;
  std::string field;
  std::string message;
};

Failure failure_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return Failure{e.code(), e.field(), e.what()};
  }
  ADD_FAILURE() << "expected an agora::Error";
  return Failure{};
}

class MarketOrdersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    int64_t national = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = org(national, "consumer", "Coop", "coop");
    farm_ = org(national, "producer", "Farm", "farm");
    dairy_ = org(national, "producer", "Dairy", "dairy");
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_class(
          tx, ctx, coop_,
          ClassInput{.code = "user", .name = "User", .share_price_minor = 100, .min_shares = 1});
    });
    cora_ = person("cora");
    grant(cora_, coop_, "coordinator");
    ana_ = member("ana");
    bea_ = member("bea");
    fund(ana_, 1000);
    fund(bea_, 100'000);
    aldo_ = person("aldo");
    grant(aldo_, coop_, "auditor");
    carrots_ = variant(farm_, "Carrots", 6, 200);
    milk_ = variant(dairy_, "Milk", 12, 100);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }

  int64_t org(int64_t parent, const std::string& kind, const std::string& name,
              const std::string& slug) {
    return write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = parent,
                                 .kind = kind,
                                 .name = name,
                                 .slug = slug,
                                 .admission = "automatic"});
    })["id"];
  }
  Actor person(const std::string& name) {
    Actor a{.address = "test"};
    db_->write([&](store::Tx& tx) {
      Ctx ctx{admin_, clock_.now()};
      a.person_id = create_person(
          tx, ctx,
          PersonInput{.given_name = name, .family_name = "Test", .email = name + "@test.agora"});
      a.account_id = tx.insert(
          "INSERT INTO accounts (person_id, email, password_hash, admin, created_at) "
          "VALUES ($1, $2, 'x', 0, 0)",
          {a.person_id, name + "@test.agora"});
    });
    return a;
  }
  void grant(const Actor& a, int64_t org_id, const std::string& role) {
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, $3, 0)",
          {a.person_id, org_id, role});
    });
  }
  Actor member(const std::string& name) {
    Actor a = person(name);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, coop_,
                                  ApplicationInput{.class_code = "user", .shares = 1});
    });
    return a;
  }
  int64_t current_account(const Actor& a) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = ledger::ensure_account(tx, clock_.now(), coop_, "member", a.person_id, "EUR", "current");
    });
    return id;
  }
  void fund(const Actor& a, int64_t amount) {
    int64_t to = current_account(a);
    db_->write([&](store::Tx& tx) {
      int64_t bank =
          ledger::ensure_account(tx, clock_.now(), coop_, "external", std::nullopt, "EUR", "bank");
      std::vector<ledger::TransferInput> in{
          ledger::TransferInput{.key = "fund-" + std::to_string(a.person_id),
                                .debit_account_id = bank,
                                .credit_account_id = to,
                                .amount = amount}};
      ledger::apply_transfers(tx, clock_.now(), 0, in);
    });
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
  // A product with one variant; producer_part is the whole price.
  int64_t variant(int64_t producer, const std::string& name, int64_t case_size, int64_t price) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      int64_t product = tx.insert(
          "INSERT INTO market_products (producer_org_id, name, description, category, territory, "
          "distance_km, packaging, currency, min_price, max_price, active, search, created_at, "
          "updated_at) VALUES ($1, $2, '', 'vegetables', 'here', 10, 'none', 'EUR', $3, $3, 1, "
          "$2, 0, 0)",
          {producer, name, price});
      id = tx.insert(
          "INSERT INTO market_variants (product_id, name, unit_code, net_milli, case_size, price, "
          "producer_part, transport, packing, margin, fund, tax, active, created_at, updated_at) "
          "VALUES ($1, 'unit', 'H87', 1000, $2, $3, $3, 0, 0, 0, 0, 0, 1, 0, 0)",
          {product, case_size, price});
    });
    return id;
  }

  market::CycleInput cycle_input() {
    return market::CycleInput{.coordinator_org_id = coop_,
                              .name = "Week 1",
                              .opens_at = Timestamp{kT0 + kHourUs},
                              .closes_at = Timestamp{kT0 + 24 * kHourUs},
                              .fees = {.margin_bps = 1000}};
  }
  int64_t draft() {
    return write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx, cycle_input());
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
      return market::set_offers(tx, ctx, r.cycle,
                                {{.variant_id = carrots_}, {.variant_id = milk_}});
    });
    r.carrots = offers["items"][0]["id"];
    r.milk = offers["items"][1]["id"];
    r.point = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, r.cycle, {.name = "Shop", .fee = 50});
    })["id"];
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::publish_cycle(tx, ctx, r.cycle); });
    return r;
  }
  Ready opened() {
    Ready r = scheduled();
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, r.cycle); });
    return r;
  }
  Json order(const Actor& a, const Ready& r, std::vector<market::LineInput> lines,
             bool place = true) {
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, r.cycle, {.lines = lines, .point_id = r.point});
    });
    if (!place) return Json();
    return write(a,
                 [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, r.cycle); });
  }
  Json cycle(int64_t id) {
    return app_->read(
        admin_, [=](store::Tx& tx, const Ctx& ctx) { return market::get_cycle(tx, ctx, id); });
  }

  ManualClock clock_{Timestamp{kT0}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_;
  Actor cora_, ana_, bea_, aldo_;
  int64_t coop_ = 0, farm_ = 0, dairy_ = 0;
  int64_t carrots_ = 0, milk_ = 0;
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
