// Regional group buying (app/market.h) on every engine under test: two local
// co-ops' cycles feed a hub's cycle, so that members' orders which alone
// fill no case together fill one and reach a volume price tier; members are
// charged the tier price with their saving shown; the hub's settlement
// settles the local cycles in the same linked batch, each local point fee
// going to its own coordinator; and the rules that keep a local cycle a
// local cycle (no offers, no fees, closing before its hub, settled only
// with it) and tiers well formed.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_app::error_of;

constexpr int64_t kHubFunds = 100'000;
// Carrots: producer part 200, case of 6; the hub's 10% margin makes 220.
// Tiers: from 6 units the producer's price is 180 (198 with the margin),
// from 12 units 170 (187).
constexpr int64_t kList = 220;
constexpr int64_t kTier = 198;
constexpr int64_t kNorthFee = 50;
constexpr int64_t kSouthFee = 30;

class MarketHubTest : public test_market::GroupTest {
 protected:
  void SetUp() override {
    GroupTest::SetUp();
    ana_ = member("ana", north_, kHubFunds);
    bea_ = member("bea", south_, kHubFunds);
    carrots_ = variant(farm_, "Carrots", 6, 200);
  }

  // The hub's draft cycle serving itself and both local co-ops, with the
  // carrots offer and its two tiers.
  int64_t hub_draft() {
    auto in = cycle_input(hub_, "Regional week");
    in.fees = {.margin_bps = 1000};
    in.coop_ids = {hub_, north_, south_};
    int64_t id = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx, in);
    })["id"];
    offer_ = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, id,
                                {{.variant_id = carrots_,
                                  .tiers = {{.min_units = 6, .producer_price = 180},
                                            {.min_units = 12, .producer_price = 170}}}});
    })["items"][0]["id"];
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, id, {.name = "Depot"});
    });
    return id;
  }
  void open(int64_t id) {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::publish_cycle(tx, ctx, id); });
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, id); });
  }
  Json order(const Actor& a, int64_t cycle, int64_t point, int64_t quantity, int64_t tolerance) {
    clock_.advance_us(kMinuteUs);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(
          tx, ctx, cycle,
          {.lines = {{.offer_id = offer_, .quantity = quantity, .tolerance = tolerance}},
           .point_id = point});
    });
    return write(a,
                 [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, cycle); });
  }
  Json demand(int64_t cycle) {
    return read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::group_demand(tx, ctx, cycle);
    });
  }
  Json my_order(const Actor& a, int64_t cycle) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) { return market::my_order(tx, ctx, cycle); });
  }
  std::pair<int64_t, int64_t> account(int64_t org_id, std::optional<int64_t> person,
                                      const std::string& kind) {
    std::pair<int64_t, int64_t> out{0, 0};
    db_->read([&](store::Tx& tx) {
      auto rows =
          person ? tx.query(
                       "SELECT credits_posted - debits_posted, debits_pending FROM ledger_accounts "
                       "WHERE org_id = $1 AND person_id = $2 AND kind = $3 AND currency = 'EUR'",
                       {org_id, *person, kind})
                 : tx.query(
                       "SELECT credits_posted - debits_posted, credits_pending FROM "
                       "ledger_accounts WHERE org_id = $1 AND person_id IS NULL AND holder = "
                       "'org' AND kind = $2 AND currency = 'EUR'",
                       {org_id, kind});
      if (!rows.empty()) out = {rows.rows[0].i64(0), rows.rows[0].i64(1)};
    });
    return out;
  }

  // The whole setting: the hub open, both local cycles open, ana (north)
  // 4 carrots and bea (south) 2 — neither fills a case of 6 alone.
  struct Group {
    int64_t hub = 0, north = 0, north_point = 0, south = 0, south_point = 0;
  };
  Group ordered() {
    Group g;
    g.hub = hub_draft();
    open(g.hub);
    std::tie(g.north, g.north_point) = local(nina_, north_, g.hub, kNorthFee);
    std::tie(g.south, g.south_point) = local(sam_, south_, g.hub, kSouthFee);
    clock_.set(Timestamp{kT0 + 2 * kHourUs});
    order(ana_, g.north, g.north_point, 4, 0);
    order(bea_, g.south, g.south_point, 2, 0);
    return g;
  }
  void close(const Actor& a, int64_t id) {
    write(a, [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, id); });
  }
  Json settle(const Actor& a, int64_t id) {
    return write(a,
                 [&](store::Tx& tx, const Ctx& ctx) { return market::settle_cycle(tx, ctx, id); });
  }

  Actor ana_, bea_;
  int64_t carrots_ = 0, offer_ = 0;
};

TEST_P(MarketHubTest, LocalCyclesTogetherFillACaseAtTheHub) {
  Group g = ordered();
  // The local cycles show their hub and sell its offers; the hub lists them.
  Json north = cycle(g.north);
  EXPECT_EQ(north["hub"]["id"], g.hub);
  EXPECT_EQ(north["counts"]["offers"], 1);
  Json hub = cycle(g.hub);
  ASSERT_EQ(hub["linked"].size(), 2u);
  EXPECT_EQ(hub["linked"][0]["id"], g.north);
  EXPECT_EQ(hub["linked"][0]["orders"], 1);
  EXPECT_TRUE(hub["hub"].is_null());
  Json shop = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::shop(tx, ctx, g.north, market::CatalogQuery{});
  });
  ASSERT_EQ(shop["items"].size(), 1u);
  EXPECT_EQ(shop["items"][0]["id"], offer_);
  EXPECT_EQ(shop["cycle"]["hub_cycle_id"], g.hub);
  ASSERT_EQ(shop["items"][0]["tiers"].size(), 2u);
  EXPECT_EQ(shop["items"][0]["tiers"][0]["price"], kTier);

  // The holds credit the hub coordinator's clearing account.
  EXPECT_EQ(account(hub_, std::nullopt, "clearing").second,
            4 * kList + kNorthFee + 2 * kList + kSouthFee);
  EXPECT_EQ(account(north_, std::nullopt, "clearing"), std::make_pair(int64_t{0}, int64_t{0}));

  // Running demand: one whole case, the first tier reached, 6 short of the next.
  Json d = demand(g.north);
  EXPECT_EQ(d["cycle_id"], g.hub);
  ASSERT_EQ(d["offers"].size(), 1u);
  const Json& o = d["offers"][0];
  EXPECT_EQ(o["demand"], 6);
  EXPECT_EQ(o["cases"], 1);
  EXPECT_EQ(o["units"], 6);
  EXPECT_EQ(o["tier_min_units"], 6);
  EXPECT_EQ(o["next_tier"]["min_units"], 12);
  EXPECT_EQ(o["next_tier"]["units_short"], 6);

  // A local cycle closes on its own: no purchase orders of its own.
  close(nina_, g.north);
  EXPECT_EQ(cycle(g.north)["state"], "closed");
  // The hub's close closes the still-open south cycle and orders one case.
  close(cora_, g.hub);
  EXPECT_EQ(cycle(g.south)["state"], "closed");
  Json pos = read(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_purchase_orders(tx, ctx, g.hub);
  });
  ASSERT_EQ(pos["items"].size(), 1u);
  const Json& line = pos["items"][0]["lines"][0];
  EXPECT_EQ(line["demand"], 6);
  EXPECT_EQ(line["cases"], 1);
  EXPECT_EQ(line["units"], 6);
  EXPECT_EQ(line["price"], kTier);
  EXPECT_EQ(line["producer_part"], 180);
  Json none = read(nina_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_purchase_orders(tx, ctx, g.north);
  });
  EXPECT_TRUE(none["items"].empty());
}

TEST_P(MarketHubTest, TierReachedTogetherLowersThePriceAndSettlesInOneBatch) {
  Group g = ordered();
  close(cora_, g.hub);
  // The offer is repriced by the tier; the members see their saving.
  Json ana = my_order(ana_, g.north);
  EXPECT_EQ(ana["cycle_id"], g.north);
  EXPECT_EQ(ana["lines"][0]["price"], kTier);
  EXPECT_EQ(ana["lines"][0]["list_price"], kList);
  EXPECT_EQ(ana["lines"][0]["saving"], 4 * (kList - kTier));
  EXPECT_EQ(ana["saving"], 4 * (kList - kTier));
  EXPECT_EQ(ana["hold_amount"], 4 * kList + kNorthFee);

  // Receiving, preview and settlement happen at the hub only.
  EXPECT_EQ(error_of([&] { settle(nina_, g.north); }).first, Code::invalid_state);
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::record_received(tx, ctx, g.north, {}, true);
              });
            }).first,
            Code::invalid_state);
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::record_received(tx, ctx, g.hub, {}, true);
  });
  Json s = settle(cora_, g.hub);
  EXPECT_EQ(s["orders"], 2);
  EXPECT_EQ(s["total"], 6 * kTier + kNorthFee + kSouthFee);
  ASSERT_EQ(s["linked"].size(), 2u);
  EXPECT_EQ(s["linked"][0]["point_fees"], kNorthFee);
  EXPECT_EQ(s["linked"][1]["point_fees"], kSouthFee);

  // Both local cycles settled in the hub's batch.
  const int64_t batch = s["cycle"]["batch_id"];
  EXPECT_EQ(cycle(g.north)["state"], "settled");
  EXPECT_EQ(cycle(g.north)["batch_id"], batch);
  EXPECT_EQ(cycle(g.south)["batch_id"], batch);

  // Members charged the tier price: holds posted for less.
  ana = my_order(ana_, g.north);
  EXPECT_EQ(ana["state"], "settled");
  EXPECT_EQ(ana["total"], 4 * kTier + kNorthFee);
  EXPECT_EQ(ana["lines"][0]["allocated"], 4);
  EXPECT_EQ(ana["saving"], 4 * (kList - kTier));
  EXPECT_EQ(account(north_, ana_.person_id, "current"),
            std::make_pair(kHubFunds - 4 * kTier - kNorthFee, int64_t{0}));
  EXPECT_EQ(account(south_, bea_.person_id, "current"),
            std::make_pair(kHubFunds - 2 * kTier - kSouthFee, int64_t{0}));
  // The producer at the tier's price, the hub's margin, each local point's
  // fee to its own coordinator; the clearing account ends at zero.
  EXPECT_EQ(account(farm_, std::nullopt, "operating").first, 6 * 180);
  EXPECT_EQ(account(hub_, std::nullopt, "operating").first, 6 * 18);
  EXPECT_EQ(account(north_, std::nullopt, "operating").first, kNorthFee);
  EXPECT_EQ(account(south_, std::nullopt, "operating").first, kSouthFee);
  EXPECT_EQ(account(hub_, std::nullopt, "clearing"), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_TRUE(ledger_ok());
  EXPECT_EQ(error_of([&] { settle(cora_, g.hub); }).first, Code::invalid_state);
}

TEST_P(MarketHubTest, AMemberOfACoopWithALocalCycleOrdersThereNotAtTheHub) {
  Group g = ordered();
  // The hub serves north, south and itself; north and south have their own
  // local cycles, so their members see and use only those.
  Json mine = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, 0, std::nullopt, PageReq{.limit = 50});
  });
  std::set<int64_t> ids;
  for (const auto& c : mine["items"]) ids.insert(c["id"].get<int64_t>());
  EXPECT_EQ(ids, std::set<int64_t>{g.north});
  auto refused = error_of([&] {
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, g.hub,
                               {.lines = {{.offer_id = offer_, .quantity = 1, .tolerance = 0}}});
    });
  });
  EXPECT_EQ(refused.first, Code::forbidden);
  // The hub's own members still order at the hub.
  Actor hal = member("hal", hub_, kHubFunds);
  Json hubs = read(hal, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_cycles(tx, ctx, 0, std::nullopt, PageReq{.limit = 50});
  });
  ASSERT_EQ(hubs["items"].size(), 1u);
  EXPECT_EQ(hubs["items"][0]["id"], g.hub);
  Json cart = write(hal, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_order(tx, ctx, g.hub,
                             {.lines = {{.offer_id = offer_, .quantity = 1, .tolerance = 0}}});
  });
  EXPECT_EQ(cart["state"], "cart");
}

TEST_P(MarketHubTest, NoTierWithoutTheUnits) {
  Group g;
  g.hub = hub_draft();
  open(g.hub);
  std::tie(g.north, g.north_point) = local(nina_, north_, g.hub, kNorthFee);
  clock_.set(Timestamp{kT0 + 2 * kHourUs});
  order(ana_, g.north, g.north_point, 4, 1);  // 5 units: no whole case
  Json d = demand(g.hub);
  EXPECT_EQ(d["offers"][0]["cases"], 0);
  EXPECT_TRUE(d["offers"][0]["tier_min_units"].is_null());
  EXPECT_EQ(d["offers"][0]["next_tier"]["units_short"], 6);
  close(cora_, g.hub);
  Json ana = my_order(ana_, g.north);
  EXPECT_EQ(ana["lines"][0]["price"], kList);
  EXPECT_EQ(ana["lines"][0]["list_price"], kList);
  EXPECT_EQ(ana["saving"], 0);
}

TEST_P(MarketHubTest, CancellingTheHubCancelsItsLocalCycles) {
  Group g = ordered();
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_cycle(tx, ctx, g.hub); });
  EXPECT_EQ(cycle(g.north)["state"], "cancelled");
  EXPECT_EQ(cycle(g.south)["state"], "cancelled");
  EXPECT_EQ(my_order(ana_, g.north)["state"], "cancelled");
  EXPECT_EQ(account(north_, ana_.person_id, "current"), std::make_pair(kHubFunds, int64_t{0}));
  EXPECT_EQ(account(hub_, std::nullopt, "clearing"), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_TRUE(ledger_ok());
}

TEST_P(MarketHubTest, LocalCycleRules) {
  int64_t hub = hub_draft();
  // A local cycle closing after its hub.
  auto late = cycle_input(north_, "Late", 30);
  late.hub_cycle_id = hub;
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::create_cycle(tx, ctx, late);
              });
            }),
            std::make_pair(Code::rule_violation, std::string("/closes_at")));
  // With fees of its own.
  auto fees = cycle_input(north_, "Fees", 20);
  fees.hub_cycle_id = hub;
  fees.fees.margin_bps = 100;
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::create_cycle(tx, ctx, fees);
              });
            }),
            std::make_pair(Code::rule_violation, std::string("/fees")));
  // A hub that does not serve the coordinator's co-op.
  int64_t other = coop(national_, "Elsewhere", "elsewhere");
  Actor olga = person("olga", other, "coordinator");
  auto stranger = cycle_input(other, "Stranger", 20);
  stranger.hub_cycle_id = hub;
  EXPECT_EQ(error_of([&] {
              write(olga, [&](store::Tx& tx, const Ctx& ctx) {
                return market::create_cycle(tx, ctx, stranger);
              });
            }),
            std::make_pair(Code::rule_violation, std::string("/hub_cycle_id")));

  auto [north, point] = local(nina_, north_, hub, kNorthFee);
  // A hub closing before its local cycle.
  EXPECT_EQ(error_of([&] {
              market::CyclePatch early;
              early.closes_at = Timestamp{kT0 + 10 * kHourUs};
              write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::update_cycle(tx, ctx, hub, early);
              });
            }),
            std::make_pair(Code::rule_violation, std::string("/closes_at")));
  // A local cycle of a local cycle.
  auto nested = cycle_input(north_, "Nested", 20);
  nested.hub_cycle_id = north;
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::create_cycle(tx, ctx, nested);
              });
            }).first,
            Code::rule_violation);
  // A local cycle with offers of its own (a fresh draft one).
  auto draft_in = cycle_input(north_, "Draft", 20);
  draft_in.hub_cycle_id = hub;
  int64_t draft = write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::create_cycle(tx, ctx, draft_in);
  })["id"];
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::set_offers(tx, ctx, draft, {{.variant_id = carrots_}});
              });
            }),
            std::make_pair(Code::rule_violation, std::string("/items")));

  // An order in the local cycle on an offer of another cycle.
  open(hub);
  auto other_in = cycle_input(hub_, "Other hub cycle");
  int64_t other_cycle = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::create_cycle(tx, ctx, other_in);
  })["id"];
  int64_t other_offer = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(tx, ctx, other_cycle, {{.variant_id = carrots_}});
  })["items"][0]["id"];
  clock_.set(Timestamp{kT0 + 2 * kHourUs});
  EXPECT_EQ(error_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::set_order(
                    tx, ctx, north,
                    {.lines = {{.offer_id = other_offer, .quantity = 1}}, .point_id = point});
              });
            }),
            std::make_pair(Code::not_found, std::string("/lines/0/offer_id")));
  // bea is no member of the north co-op.
  EXPECT_EQ(error_of([&] {
              write(bea_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::set_order(tx, ctx, north,
                                         {.lines = {{.offer_id = offer_, .quantity = 1}}});
              });
            }).first,
            Code::forbidden);
  // A closed local cycle is cancelled only with its hub.
  close(nina_, north);
  EXPECT_EQ(error_of([&] {
              write(nina_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::cancel_cycle(tx, ctx, north);
              });
            }).first,
            Code::invalid_state);
}

TEST_P(MarketHubTest, TierValidationNamesTheField) {
  int64_t id = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::create_cycle(tx, ctx, cycle_input(hub_, "Tiers"));
  })["id"];
  auto refused = [&](std::vector<market::TierInput> tiers) {
    return error_of([&] {
      write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
        return market::set_offers(tx, ctx, id,
                                  {{.variant_id = carrots_, .tiers = std::move(tiers)}});
      });
    });
  };
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refused({{.min_units = 1, .producer_price = 150}}),
            P(Code::out_of_range, "/items/0/tiers/0/min_units"));
  EXPECT_EQ(refused({{.min_units = 6, .producer_price = 200}}),
            P(Code::invalid_value, "/items/0/tiers/0/producer_price"));
  EXPECT_EQ(refused({{.min_units = 6, .producer_price = 0}}),
            P(Code::out_of_range, "/items/0/tiers/0/producer_price"));
  EXPECT_EQ(
      refused({{.min_units = 12, .producer_price = 180}, {.min_units = 6, .producer_price = 170}}),
      P(Code::invalid_value, "/items/0/tiers/1/min_units"));
  EXPECT_EQ(
      refused({{.min_units = 6, .producer_price = 170}, {.min_units = 12, .producer_price = 170}}),
      P(Code::invalid_value, "/items/0/tiers/1/producer_price"));
  std::vector<market::TierInput> many;
  for (int64_t k = 0; k <= static_cast<int64_t>(market::kMaxTiers); ++k) {
    many.push_back({.min_units = 2 + k, .producer_price = 199 - k});
  }
  EXPECT_EQ(refused(many), P(Code::out_of_range, "/items/0/tiers"));
  // Good tiers are kept, priced by the cycle's fees, and replaced with the offer.
  Json ok = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(
        tx, ctx, id,
        {{.variant_id = carrots_, .tiers = {{.min_units = 6, .producer_price = 180}}}});
  });
  ASSERT_EQ(ok["items"][0]["tiers"].size(), 1u);
  EXPECT_EQ(ok["items"][0]["tiers"][0]["price"], 180);
  EXPECT_TRUE(ok["items"][0]["list_price"].is_null());
  ok = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_offers(tx, ctx, id, {{.variant_id = carrots_}});
  });
  EXPECT_TRUE(ok["items"][0]["tiers"].empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketHubTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
