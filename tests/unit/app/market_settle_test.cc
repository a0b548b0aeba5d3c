// After a market cycle closes (app/market.h) on every engine under test:
// producers confirm their purchase orders, the coordinator records a short
// delivery, the shortfall is shared out proportionally or first come first
// served, and settlement charges every member exactly what they received
// plus their point's fee, releases the rest of each hold, pays producers and
// every fee account their parts, leaves the clearing account at zero and
// records members' spend — or refuses when it is too early or done already.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "app/repo/settle_repo.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_app::error_of;

constexpr int64_t kSettleFunds = 100'000;
constexpr int64_t kPointFee = 150;

class MarketSettleTest : public test_market::CoopTest {
 protected:
  void SetUp() override {
    CoopTest::SetUp();
    dairy_ = org(national_, "producer", "Dairy", "dairy");
    trucks_ = org(national_, "worker", "Trucks", "trucks");
    fred_ = person("fred", farm_, "coordinator");   // the farm's coordinator
    dora_ = person("dora", dairy_, "coordinator");  // the dairy's
    ana_ = member("ana", coop_, kSettleFunds);
    bea_ = member("bea", coop_, kSettleFunds);
    cat_ = member("cat", coop_, kSettleFunds);
    carrots_ = variant(farm_, "Carrots", 6, 200);
    milk_ = variant(dairy_, "Milk", 12, 100);
  }

  struct Offer {
    int64_t id = 0, price = 0;
    ::agora::market::Breakdown b{};
  };
  struct Cycle {
    int64_t id = 0, point = 0;
    Offer carrots, milk;
  };
  // An open cycle with every kind of fee: transport to the Trucks co-op,
  // packing, margin, fund and tax to the coordinator, and a point fee.
  Cycle open_cycle(const std::string& rule) {
    Cycle c;
    c.id = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx,
                                  market::CycleInput{.coordinator_org_id = coop_,
                                                     .name = "Week 1",
                                                     .opens_at = Timestamp{kT0 + kHourUs},
                                                     .closes_at = Timestamp{kT0 + 24 * kHourUs},
                                                     .share_rule = rule,
                                                     .fees = {.transport_bps = 500,
                                                              .packing_per_unit = 3,
                                                              .margin_bps = 1000,
                                                              .fund_bps = 200,
                                                              .tax_bps = 1000},
                                                     .transport_org_id = trucks_});
    })["id"];
    Json offers = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, c.id, {{.variant_id = carrots_}, {.variant_id = milk_}});
    });
    auto offer = [](const Json& j) {
      const Json& b = j["breakdown"];
      return Offer{.id = j["id"],
                   .price = j["price"],
                   .b = {.producer = b["producer"],
                         .transport = b["transport"],
                         .packing = b["packing"],
                         .margin = b["margin"],
                         .fund = b["fund"],
                         .tax = b["tax"]}};
    };
    c.carrots = offer(offers["items"][0]);
    c.milk = offer(offers["items"][1]);
    c.point = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, c.id, {.name = "Shop", .fee = kPointFee});
    })["id"];
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::publish_cycle(tx, ctx, c.id); });
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, c.id); });
    return c;
  }
  // Places an order; each a minute after the last, so first come is clear.
  int64_t order(const Actor& a, const Cycle& c, std::vector<market::LineInput> lines) {
    clock_.advance_us(kMinuteUs);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, c.id, {.lines = lines, .point_id = c.point});
    });
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, c.id); })["id"];
  }
  // ana 4 (+2) carrots and 6 milk, bea 3 carrots and 6 (+6) milk, cat 1
  // carrot, in that order; closed: one case of carrots (6) and of milk (12).
  std::vector<int64_t> order_and_close(const Cycle& c) {
    std::vector<int64_t> ids;
    ids.push_back(order(ana_, c,
                        {{.offer_id = c.carrots.id, .quantity = 4, .tolerance = 2},
                         {.offer_id = c.milk.id, .quantity = 6}}));
    ids.push_back(order(bea_, c,
                        {{.offer_id = c.carrots.id, .quantity = 3},
                         {.offer_id = c.milk.id, .quantity = 6, .tolerance = 6}}));
    ids.push_back(order(cat_, c, {{.offer_id = c.carrots.id, .quantity = 1}}));
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, c.id); });
    return ids;  // ana's, bea's, cat's order
  }
  Json purchase_orders(const Actor& a, const Cycle& c) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::list_purchase_orders(tx, ctx, c.id);
    });
  }
  int64_t po_of(const Cycle& c, int64_t producer) {
    const Json all = purchase_orders(admin_, c);
    for (const auto& po : all["items"]) {
      if (po["producer"]["org_id"] == producer) return po["id"];
    }
    ADD_FAILURE() << "no purchase order for " << producer;
    return 0;
  }
  Json receive(const Cycle& c, std::vector<market::ReceiveLine> lines, bool all = false) {
    return write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::record_received(tx, ctx, c.id, lines, all);
    });
  }
  Json settle(const Cycle& c) {
    return write(
        cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::settle_cycle(tx, ctx, c.id); });
  }
  Json preview(const Cycle& c) {
    return read(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::preview_allocation(tx, ctx, c.id);
    });
  }

  // {posted balance, pending debits} of (org, holder, person, kind) in EUR; {0, 0} when not opened.
  std::pair<int64_t, int64_t> account(int64_t org_id, const std::string& holder,
                                      std::optional<int64_t> person, const std::string& kind) {
    std::pair<int64_t, int64_t> out{0, 0};
    db_->read([&](store::Tx& tx) {
      auto rows =
          person ? tx.query(
                       "SELECT credits_posted - debits_posted, debits_pending FROM ledger_accounts "
                       "WHERE org_id = $1 AND person_id = $2 AND kind = $3 AND currency = 'EUR'",
                       {org_id, *person, kind})
                 : tx.query(
                       "SELECT credits_posted - debits_posted, debits_pending FROM ledger_accounts "
                       "WHERE org_id = $1 AND person_id IS NULL AND holder = $2 AND kind = $3 AND "
                       "currency = 'EUR'",
                       {org_id, holder, kind});
      if (!rows.empty()) out = {rows.rows[0].i64(0), rows.rows[0].i64(1)};
    });
    return out;
  }
  int64_t paid_by(const Actor& a) {
    return kSettleFunds - account(coop_, "member", a.person_id, "current").first;
  }
  int64_t held_for(const Actor& a) {
    return account(coop_, "member", a.person_id, "current").second;
  }
  int64_t operating(int64_t org_id) {
    return account(org_id, "org", std::nullopt, "operating").first;
  }
  std::map<int64_t, int64_t> spend_by_person() {
    std::map<int64_t, int64_t> out;
    db_->read([&](store::Tx& tx) {
      for (const auto& r :
           tx.query("SELECT person_id, amount_minor FROM member_spend WHERE source = 'market' "
                    "AND org_id = $1",
                    {coop_})
               .rows) {
        out[r.i64(0)] += r.i64(1);
      }
    });
    return out;
  }
  // Runs the ledger's expiry of due holds; returns how many expired.
  int64_t expire_holds() {
    int64_t n = 0;
    db_->write([&](store::Tx& tx) { n = ledger::expire_pending(tx, clock_.now(), 1000); });
    return n;
  }
  // {code, idem_key} of the transfer that settled an order; {"", ""} when none.
  std::pair<std::string, std::string> settle_transfer_of(int64_t order_id) {
    std::pair<std::string, std::string> out;
    db_->read([&](store::Tx& tx) {
      auto rows = tx.query(
          "SELECT t.code, t.idem_key FROM market_orders o JOIN ledger_transfers t ON t.id = "
          "o.settle_transfer_id WHERE o.id = $1",
          {order_id});
      if (!rows.empty()) out = {rows.rows[0].str(0), rows.rows[0].str(1)};
    });
    return out;
  }
  std::string hold_state(int64_t order_id) {
    std::string out;
    db_->read([&](store::Tx& tx) {
      out = tx.query(
                  "SELECT p.state FROM market_orders o JOIN ledger_pending p ON p.transfer_id = "
                  "o.hold_transfer_id WHERE o.id = $1",
                  {order_id})
                .one()
                .str(0);
    });
    return out;
  }

  // Checks every account against the units each member was allocated.
  void expect_settled(const Cycle& c,
                      const std::map<int64_t, std::pair<int64_t, int64_t>>& units_by_person) {
    using B = ::agora::market::Breakdown;
    B parts;
    int64_t fees = 0;
    std::map<int64_t, int64_t> spend;
    int64_t carrots = 0, milk = 0;
    for (const Actor* a : {&ana_, &bea_, &cat_}) {
      auto [nc, nm] = units_by_person.at(a->person_id);
      carrots += nc;
      milk += nm;
      int64_t charge = nc * c.carrots.price + nm * c.milk.price;
      if (nc + nm > 0) {
        charge += kPointFee;
        fees += kPointFee;
        spend[a->person_id] = charge;
      }
      EXPECT_EQ(paid_by(*a), charge) << "person " << a->person_id;
      EXPECT_EQ(held_for(*a), 0) << "person " << a->person_id;
    }
    auto add = [&](const B& b, int64_t n) {
      parts.producer += n * b.producer;
      parts.transport += n * b.transport;
      parts.packing += n * b.packing;
      parts.margin += n * b.margin;
      parts.fund += n * b.fund;
      parts.tax += n * b.tax;
    };
    add(c.carrots.b, carrots);
    add(c.milk.b, milk);
    EXPECT_EQ(operating(farm_), carrots * c.carrots.b.producer);
    EXPECT_EQ(operating(dairy_), milk * c.milk.b.producer);
    EXPECT_EQ(operating(trucks_), parts.transport);
    EXPECT_EQ(operating(coop_), parts.packing + parts.margin + parts.tax + fees);
    EXPECT_EQ(account(coop_, "fund", std::nullopt, "investment").first, parts.fund);
    EXPECT_EQ(account(coop_, "org", std::nullopt, "clearing"),
              std::make_pair(int64_t{0}, int64_t{0}));
    EXPECT_EQ(spend_by_person(), spend);
    EXPECT_TRUE(ledger_ok());
  }

  Actor fred_, dora_, ana_, bea_, cat_;
  int64_t dairy_ = 0, trucks_ = 0;
  int64_t carrots_ = 0, milk_ = 0;
};

TEST_P(MarketSettleTest, AWholeCycleWithAShortDeliverySettlesExactly) {
  Cycle c = open_cycle("proportional");
  order_and_close(c);

  // Each producer sees its own purchase order only; the coordinator sees both.
  EXPECT_EQ(purchase_orders(cora_, c)["items"].size(), 2u);
  Json farm_pos = purchase_orders(fred_, c);
  ASSERT_EQ(farm_pos["items"].size(), 1u);
  const Json& po = farm_pos["items"][0];
  EXPECT_EQ(po["producer"]["org_id"], farm_);
  EXPECT_EQ(po["state"], "sent");
  ASSERT_EQ(po["lines"].size(), 1u);
  EXPECT_EQ(po["lines"][0]["demand"], 8);
  EXPECT_EQ(po["lines"][0]["units"], 6);
  EXPECT_EQ(po["total_units"], 6);
  EXPECT_EQ(po["producer_amount"], 6 * c.carrots.b.producer);
  EXPECT_EQ(error_of([&] { purchase_orders(ana_, c); }).first, Code::forbidden);

  // Confirming: the producer only, never more than ordered.
  const int64_t farm_po = po_of(c, farm_);
  EXPECT_EQ(error_of([&] {
              write(dora_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::confirm_purchase_order(tx, ctx, farm_po, {}, "");
              });
            }).first,
            Code::forbidden);
  EXPECT_EQ(error_of([&] {
              write(fred_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::confirm_purchase_order(tx, ctx, farm_po,
                                                      {{.offer_id = c.carrots.id, .units = 7}}, "");
              });
            }),
            std::make_pair(Code::out_of_range, std::string("/lines/0/units")));
  Json confirmed = write(fred_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::confirm_purchase_order(
        tx, ctx, farm_po, {{.offer_id = c.carrots.id, .units = 5}}, "one crate short");
  });
  EXPECT_EQ(confirmed["state"], "confirmed");
  EXPECT_EQ(confirmed["note"], "one crate short");
  EXPECT_EQ(confirmed["lines"][0]["confirmed_units"], 5);
  EXPECT_EQ(error_of([&] {
              write(fred_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::confirm_purchase_order(tx, ctx, farm_po, {}, "");
              });
            }).first,
            Code::invalid_state);
  const int64_t dairy_po = po_of(c, dairy_);
  write(dora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::confirm_purchase_order(tx, ctx, dairy_po, {}, "");
  });

  // Too early: nothing received yet.
  Json p = preview(c);
  ASSERT_EQ(p["offers"].size(), 2u);
  EXPECT_TRUE(p["offers"][0]["received"].is_null());
  EXPECT_EQ(error_of([&] { settle(c); }).first, Code::invalid_state);

  // Carrots arrive as confirmed (5 of 8 wanted), milk 14 (2 more than the
  // case: bea's tolerance takes them).
  EXPECT_EQ(error_of([&] { receive(c, {{.offer_id = 999'999, .units = 1}}); }),
            std::make_pair(Code::invalid_value, std::string("/lines/0/offer_id")));
  EXPECT_EQ(error_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::record_received(tx, ctx, c.id, {}, true);
              });
            }).first,
            Code::forbidden);
  receive(c, {{.offer_id = c.milk.id, .units = 14}}, /*all=*/true);
  p = preview(c);
  EXPECT_EQ(p["offers"][0]["offer_id"], c.carrots.id);
  EXPECT_EQ(p["offers"][0]["received"], 5);
  EXPECT_EQ(p["offers"][0]["allocated"], 5);
  EXPECT_EQ(p["offers"][0]["short"], true);
  EXPECT_EQ(p["offers"][1]["received"], 14);
  EXPECT_EQ(p["offers"][1]["allocated"], 14);
  EXPECT_EQ(p["offers"][1]["short"], false);
  EXPECT_EQ(p["orders_changed"], 2);  // ana's and bea's carrots are cut, bea's milk grows

  EXPECT_EQ(error_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::settle_cycle(tx, ctx, c.id);
              });
            }).first,
            Code::forbidden);
  Json s = settle(c);
  EXPECT_EQ(s["cycle"]["state"], "settled");
  EXPECT_FALSE(s["cycle"]["batch_id"].is_null());
  EXPECT_EQ(s["orders"], 3);
  EXPECT_EQ(s["point_fees"], 3 * kPointFee);
  EXPECT_EQ(s["total"], 5 * c.carrots.price + 14 * c.milk.price + 3 * kPointFee);
  ASSERT_EQ(s["producers"].size(), 2u);

  // Proportional shares of 5 by 4 : 3 : 1 are 2.5, 1.875 and 0.625 → 2, 2, 1.
  expect_settled(c, {{ana_.person_id, {2, 6}}, {bea_.person_id, {2, 8}}, {cat_.person_id, {1, 0}}});
  Json ana_order =
      read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, c.id); });
  EXPECT_EQ(ana_order["state"], "settled");
  EXPECT_EQ(ana_order["total"], 2 * c.carrots.price + 6 * c.milk.price + kPointFee);
  EXPECT_FALSE(ana_order["settle_transfer_id"].is_null());
  EXPECT_EQ(ana_order["lines"][0]["allocated"], 2);
  EXPECT_EQ(ana_order["lines"][1]["allocated"], 6);

  // Only lines whose share differs from their quantity have a row.
  db_->read([&](store::Tx& tx) {
    // ana's and bea's carrots, bea's milk; cat's one carrot is what cat ordered.
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM market_allocations WHERE cycle_id = $1", {c.id})
                  .one()
                  .i64(0),
              3);
    auto keys = tx.query("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key LIKE $1",
                         {std::string("sys:market:settle:") + std::to_string(c.id) + ":%"});
    EXPECT_EQ(keys.one().i64(0), s["transfers"].get<int64_t>());
  });

  // Settling again is refused and changes nothing.
  EXPECT_EQ(error_of([&] { settle(c); }).first, Code::invalid_state);
  expect_settled(c, {{ana_.person_id, {2, 6}}, {bea_.person_id, {2, 8}}, {cat_.person_id, {1, 0}}});
}

TEST_P(MarketSettleTest, FirstComeServesEarlierOrdersInFull) {
  Cycle c = open_cycle("first_come");
  order_and_close(c);
  receive(c, {{.offer_id = c.carrots.id, .units = 5}, {.offer_id = c.milk.id, .units = 12}});
  settle(c);
  // ana ordered first (4), bea next (3 → 1 left), cat last (nothing, so
  // cat's hold is voided and no point fee charged).
  expect_settled(c, {{ana_.person_id, {4, 6}}, {bea_.person_id, {1, 6}}, {cat_.person_id, {0, 0}}});
  Json cat =
      read(cat_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, c.id); });
  EXPECT_EQ(cat["total"], 0);
  EXPECT_EQ(cat["lines"][0]["allocated"], 0);
}

TEST_P(MarketSettleTest, ProportionalTiesGoToTheEarlierClaim) {
  Cycle prop = open_cycle("proportional");
  order_and_close(prop);
  receive(prop,
          {{.offer_id = prop.carrots.id, .units = 4}, {.offer_id = prop.milk.id, .units = 12}});
  Json p = preview(prop);
  EXPECT_EQ(p["offers"][0]["allocated"], 4);
  settle(prop);
  // 4 by 4 : 3 : 1 = 2, 1.5, 0.5 → 2, 1, 0 and one unit left for two equal
  // remainders: bea ordered before cat.
  std::map<int64_t, int64_t> got;
  db_->read([&](store::Tx& tx) {
    for (const auto& r :
         tx.query("SELECT o.person_id, COALESCE(a.allocated, l.quantity) FROM market_order_lines l "
                  "JOIN market_orders o ON o.id = l.order_id LEFT JOIN market_allocations a ON "
                  "a.line_id = l.id WHERE l.offer_id = $1",
                  {prop.carrots.id})
             .rows) {
      got[r.i64(0)] = r.i64(1);
    }
  });
  EXPECT_EQ(got[ana_.person_id], 2);
  EXPECT_EQ(got[bea_.person_id], 2);
  EXPECT_EQ(got[cat_.person_id], 0);
  EXPECT_TRUE(ledger_ok());
}

TEST_P(MarketSettleTest, NothingReceivedVoidsEveryHold) {
  Cycle c = open_cycle("proportional");
  order_and_close(c);
  receive(c, {{.offer_id = c.carrots.id, .units = 0}, {.offer_id = c.milk.id, .units = 0}});
  Json s = settle(c);
  EXPECT_EQ(s["total"], 0);
  EXPECT_EQ(s["point_fees"], 0);
  expect_settled(c, {{ana_.person_id, {0, 0}}, {bea_.person_id, {0, 0}}, {cat_.person_id, {0, 0}}});
  EXPECT_EQ(operating(farm_), 0);
  db_->read([&](store::Tx& tx) {
    EXPECT_EQ(
        tx.query("SELECT COUNT(*) FROM market_orders WHERE cycle_id = $1 AND state = 'settled' AND "
                 "total = 0",
                 {c.id})
            .one()
            .i64(0),
        3);
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM ledger_pending WHERE state = 'voided'").one().i64(0),
              3);
  });
}

TEST_P(MarketSettleTest, SettlingNeedsEveryLineReceivedAndAClosedCycle) {
  Cycle c = open_cycle("proportional");
  order(ana_, c,
        {{.offer_id = c.carrots.id, .quantity = 6}, {.offer_id = c.milk.id, .quantity = 12}});
  EXPECT_EQ(error_of([&] { settle(c); }).first, Code::invalid_state);  // still open
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, c.id); });
  receive(c, {{.offer_id = c.carrots.id, .units = 6}});
  EXPECT_EQ(error_of([&] { settle(c); }).first, Code::invalid_state);  // milk not received
  EXPECT_EQ(error_of([&] { receive(c, {{.offer_id = c.milk.id, .units = -1}}); }),
            std::make_pair(Code::out_of_range, std::string("/lines/0/units")));
  receive(c, {{.offer_id = c.milk.id, .units = 12}});
  Json s = settle(c);
  EXPECT_EQ(s["total"], 6 * c.carrots.price + 12 * c.milk.price + kPointFee);
  EXPECT_EQ(paid_by(ana_), s["total"].get<int64_t>());
  db_->read([&](store::Tx& tx) {
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM market_allocations WHERE cycle_id = $1", {c.id})
                  .one()
                  .i64(0),
              0);
  });
  EXPECT_TRUE(ledger_ok());
  EXPECT_EQ(error_of([&] { receive(c, {{.offer_id = c.milk.id, .units = 1}}); }).first,
            Code::invalid_state);
}

TEST_P(MarketSettleTest, SettleNowSettlesWithoutAnActor) {
  Cycle c = open_cycle("proportional");
  order_and_close(c);
  receive(c, {}, /*all=*/true);  // carrots 6 of 8 and milk 12 as ordered
  Json s = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::settle_cycle_now(tx, ctx.now, c.id);
  });
  EXPECT_EQ(s["cycle"]["state"], "settled");
  // 6 by 4 : 3 : 1 = 3, 2.25, 0.75 → 3, 2, 1.
  expect_settled(c, {{ana_.person_id, {3, 6}}, {bea_.person_id, {2, 6}}, {cat_.person_id, {1, 0}}});
}

TEST_P(MarketSettleTest, ACycleWithoutOrdersSettlesToNothing) {
  Cycle c = open_cycle("proportional");
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, c.id); });
  EXPECT_EQ(purchase_orders(cora_, c)["items"].size(), 0u);
  Json s = settle(c);
  EXPECT_EQ(s["cycle"]["state"], "settled");
  EXPECT_TRUE(s["cycle"]["batch_id"].is_null());
  EXPECT_EQ(s["orders"], 0);
  EXPECT_EQ(s["total"], 0);
  EXPECT_EQ(s["transfers"], 0);
  EXPECT_TRUE(ledger_ok());
}

// Holds time out 30 days after the close; a cycle settled later charges
// each member by a plain transfer to the clearing account instead.
TEST_P(MarketSettleTest, ExpiredHoldsAreChargedByTransfer) {
  Cycle c = open_cycle("first_come");
  const std::vector<int64_t> ids = order_and_close(c);
  receive(c, {{.offer_id = c.carrots.id, .units = 5}, {.offer_id = c.milk.id, .units = 12}});
  clock_.advance_us(31 * 24 * kHourUs);
  EXPECT_EQ(expire_holds(), 3);
  for (const Actor* a : {&ana_, &bea_, &cat_}) EXPECT_EQ(held_for(*a), 0);

  Json s = settle(c);
  EXPECT_EQ(s["cycle"]["state"], "settled");
  // ana 4 carrots and 6 milk, bea 1 and 6, cat nothing (no transfer at all).
  expect_settled(c, {{ana_.person_id, {4, 6}}, {bea_.person_id, {1, 6}}, {cat_.person_id, {0, 0}}});
  const std::string prefix = "sys:market:settle:" + std::to_string(c.id) + ":order:";
  EXPECT_EQ(settle_transfer_of(ids[0]),
            std::make_pair(std::string("market_purchase"), prefix + std::to_string(ids[0])));
  EXPECT_EQ(settle_transfer_of(ids[1]),
            std::make_pair(std::string("market_purchase"), prefix + std::to_string(ids[1])));
  Json cat =
      read(cat_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, c.id); });
  EXPECT_EQ(cat["state"], "settled");
  EXPECT_EQ(cat["total"], 0);
  EXPECT_TRUE(cat["settle_transfer_id"].is_null());
  for (int64_t id : ids) EXPECT_EQ(hold_state(id), "expired");
  db_->read([&](store::Tx& tx) {
    auto keys = tx.query("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key LIKE $1",
                         {std::string("sys:market:settle:") + std::to_string(c.id) + ":%"});
    EXPECT_EQ(keys.one().i64(0), s["transfers"].get<int64_t>());
  });
}

TEST_P(MarketSettleTest, OneExpiredHoldAndTwoPendingSettleTogether) {
  Cycle c = open_cycle("proportional");
  const std::vector<int64_t> ids = order_and_close(c);
  receive(c, {}, /*all=*/true);  // carrots 6 of 8 and milk 12 as ordered
  // Only ana's hold falls due (the others keep their 30 days).
  db_->write([&](store::Tx& tx) {
    tx.exec(
        "UPDATE ledger_pending SET timeout_at = $1 WHERE transfer_id = (SELECT hold_transfer_id "
        "FROM market_orders WHERE id = $2)",
        {clock_.now().us, ids[0]});
  });
  EXPECT_EQ(expire_holds(), 1);
  EXPECT_EQ(held_for(ana_), 0);

  settle(c);
  expect_settled(c, {{ana_.person_id, {3, 6}}, {bea_.person_id, {2, 6}}, {cat_.person_id, {1, 0}}});
  EXPECT_EQ(settle_transfer_of(ids[0]).first, "market_purchase");
  EXPECT_EQ(hold_state(ids[0]), "expired");
  EXPECT_EQ(hold_state(ids[1]), "posted");
  EXPECT_EQ(hold_state(ids[2]), "posted");
  EXPECT_NE(settle_transfer_of(ids[1]).first, "market_purchase");
  EXPECT_FALSE(settle_transfer_of(ids[1]).second.empty());
}

TEST_P(MarketSettleTest, AnExpiredHoldsMemberWhoCannotPayIsNamed) {
  Cycle c = open_cycle("proportional");
  const std::vector<int64_t> ids = order_and_close(c);
  receive(c, {}, /*all=*/true);
  clock_.advance_us(31 * 24 * kHourUs);
  EXPECT_EQ(expire_holds(), 3);
  // ana spends everything once the hold is gone.
  db_->write([&](store::Tx& tx) {
    int64_t from =
        ledger::ensure_account(tx, clock_.now(), coop_, "member", ana_.person_id, "EUR", "current");
    int64_t bank =
        ledger::ensure_account(tx, clock_.now(), coop_, "external", std::nullopt, "EUR", "bank");
    std::vector<ledger::TransferInput> in{ledger::TransferInput{
        .key = "spent", .debit_account_id = from, .credit_account_id = bank, .amount = kSettleFunds}};
    ledger::apply_transfers(tx, clock_.now(), 0, in);
  });
  try {
    settle(c);
    ADD_FAILURE() << "settled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::rule_violation);
    EXPECT_EQ(e.field(), "/amount");
    EXPECT_EQ(std::string(e.what()).rfind("order " + std::to_string(ids[0]) + ": ", 0), 0u)
        << e.what();
  }
  Json ana =
      read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, c.id); });
  EXPECT_EQ(ana["state"], "placed");
  EXPECT_EQ(account(coop_, "org", std::nullopt, "clearing"),
            std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_TRUE(ledger_ok());
}

// Two cycles open at once: their lines interleave by id, and each cycle's
// allocation and settlement take exactly its own.
TEST_P(MarketSettleTest, TwoCyclesOpenAtOnceEachSettleTheirOwnLines) {
  Cycle c1 = open_cycle("proportional");
  Cycle c2 = open_cycle("proportional");
  order(ana_, c1,
        {{.offer_id = c1.carrots.id, .quantity = 4, .tolerance = 2},
         {.offer_id = c1.milk.id, .quantity = 6}});
  order(cat_, c2, {{.offer_id = c2.carrots.id, .quantity = 6}});
  order(bea_, c2, {{.offer_id = c2.milk.id, .quantity = 12}});
  order(bea_, c1,
        {{.offer_id = c1.carrots.id, .quantity = 3},
         {.offer_id = c1.milk.id, .quantity = 6, .tolerance = 6}});
  order(cat_, c1, {{.offer_id = c1.carrots.id, .quantity = 1}});
  for (const Cycle* c : {&c1, &c2}) {
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, c->id); });
  }
  receive(c1, {}, /*all=*/true);  // carrots 6 of 8 and milk 12 as ordered
  receive(c2, {}, /*all=*/true);  // both as ordered
  Json p2 = preview(c2);
  EXPECT_EQ(p2["offers"][0]["allocated"], 6);
  EXPECT_EQ(p2["offers"][1]["allocated"], 12);

  auto total_of = [&](const Actor& a, const Cycle& c) {
    Json o =
        read(a, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, c.id); });
    EXPECT_EQ(o["state"], "settled") << "cycle " << c.id;
    return o["total"].get<int64_t>();
  };
  Json s1 = settle(c1);
  // 6 carrots by 4 : 3 : 1 = 3, 2.25, 0.75 -> 3, 2, 1; milk as ordered.
  const int64_t ana1 = 3 * c1.carrots.price + 6 * c1.milk.price + kPointFee;
  const int64_t bea1 = 2 * c1.carrots.price + 6 * c1.milk.price + kPointFee;
  const int64_t cat1 = 1 * c1.carrots.price + kPointFee;
  EXPECT_EQ(s1["orders"], 3);
  EXPECT_EQ(s1["total"], ana1 + bea1 + cat1);
  EXPECT_EQ(total_of(ana_, c1), ana1);
  EXPECT_EQ(total_of(bea_, c1), bea1);
  EXPECT_EQ(total_of(cat_, c1), cat1);
  EXPECT_GT(held_for(bea_), 0);  // c2's holds wait for c2
  EXPECT_GT(held_for(cat_), 0);

  Json s2 = settle(c2);
  const int64_t bea2 = 12 * c2.milk.price + kPointFee;
  const int64_t cat2 = 6 * c2.carrots.price + kPointFee;
  EXPECT_EQ(s2["orders"], 2);
  EXPECT_EQ(s2["total"], bea2 + cat2);
  EXPECT_EQ(total_of(bea_, c2), bea2);
  EXPECT_EQ(total_of(cat_, c2), cat2);
  EXPECT_EQ(paid_by(ana_), ana1);
  EXPECT_EQ(paid_by(bea_), bea1 + bea2);
  EXPECT_EQ(paid_by(cat_), cat1 + cat2);
  for (const Actor* a : {&ana_, &bea_, &cat_}) EXPECT_EQ(held_for(*a), 0);
  EXPECT_TRUE(ledger_ok());
}

// A cycle's lines are found by the by-cycle index and read from the table
// between their first and last id, never by a scan of every cycle's lines.
TEST_P(MarketSettleTest, ACyclesLinesAreReadByTheirIdRange) {
  if (db_->dialect() != store::Dialect::sqlite) GTEST_SKIP() << "SQLite's query plans";
  auto plan = [&](const char* sql, store::Params params) {
    std::string out;
    db_->read([&](store::Tx& tx) {
      for (const auto& r : tx.query(std::string("EXPLAIN QUERY PLAN ") + sql, params).rows) {
        out += r.str(3);
        out += '\n';
      }
    });
    return out;
  };
  // The first and last id: one seek each (a lone MIN or MAX over the
  // index), not a walk over the cycle's entries.
  const std::string range = plan(repo::kCycleLineRangeSql, {int64_t{1}});
  size_t seeks = 0;
  for (size_t at = 0; (at = range.find("SCALAR SUBQUERY", at)) != std::string::npos; ++at) ++seeks;
  EXPECT_EQ(seeks, 2u) << range;
  size_t searches = 0;
  const std::string by_cycle =
      "SEARCH market_order_lines USING COVERING INDEX market_order_lines_by_cycle (cycle_id=?)";
  for (size_t at = 0; (at = range.find(by_cycle, at)) != std::string::npos; ++at) ++searches;
  EXPECT_EQ(searches, 2u) << range;
  const std::string lines = plan(repo::kSettleLinesSql, {int64_t{1}, int64_t{1}, int64_t{9}});
  EXPECT_NE(lines.find("SEARCH market_order_lines USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
            std::string::npos)
      << lines;
  EXPECT_EQ(lines.find("SCAN"), std::string::npos) << lines;
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketSettleTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
