// The demo's market: it loads with the demo; the catalog has labelled
// products whose breakdowns sum to their prices, seals granted (and one
// withdrawn) by passed decisions of the federation's seal committee; the
// past cycle was settled with a short delivery (and a volume tier that shows
// as the member's saving) and the ledger checks ok; the regional hub cycle
// with two local cycles shows running demand against its tiers; the
// fair-price contract's balance shows the advance, a repayment and floor
// top-ups; the open cycle takes the demo member's order (checked on Demo's
// one load per engine, which also compares the tables below between two
// loads).

#include "app/demo_market.h"

#include <gtest/gtest.h>

#include <set>

#include "app/auth.h"
#include "app/demo.h"
#include "app/governance.h"
#include "app/ledger.h"
#include "app/market.h"
#include "support/demo_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using test_demo::actor_of;
using test_demo::number;

namespace mk = agora::app::market;

// Every product of the catalog, paging through browse_catalog.
std::vector<Json> all_products(App& app, const mk::CatalogQuery& base) {
  std::vector<Json> out;
  mk::CatalogQuery q = base;
  q.limit = 200;
  for (;;) {
    const Json page = app.read(
        Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return mk::browse_catalog(tx, ctx, q); });
    for (const Json& p : page.at("items")) out.push_back(p);
    if (page.at("items").empty() ||
        static_cast<int64_t>(out.size()) >= page.at("total").get<int64_t>())
      break;
    q.offset += q.limit;
  }
  return out;
}

int64_t parts_sum(const Json& b) {
  int64_t sum = 0;
  for (const char* part : {"producer", "transport", "packing", "margin", "fund", "tax"}) {
    sum += b.at(part).get<int64_t>();
  }
  return sum;
}

// The org's one cycle in `state` of its own (not feeding a hub: `local`
// false) or its one local cycle feeding a hub (`local` true).
Json cycle_in_state(App& app, int64_t org_id, const std::string& state, bool local = false) {
  const Json list = app.read(Actor::system(), [&](store::Tx& tx, const Ctx& ctx) {
    return mk::list_cycles(tx, ctx, org_id, state, PageReq{.limit = 50, .after = 0});
  });
  std::vector<Json> mine;
  for (const Json& c : list.at("items")) {
    if (c.at("hub").is_null() != local) mine.push_back(c);
  }
  EXPECT_EQ(mine.size(), 1u) << state << " " << list.dump(2);
  return mine.empty() ? Json::object() : mine[0];
}

}  // namespace
}  // namespace agora::app

namespace agora::test_demo {

using namespace ::agora::app;  // NOLINT(google-build-using-namespace): the checks read as app code

// The market's tables, each in a fixed order, every column.
const std::vector<std::string> kMarketDumps = {
    "SELECT * FROM market_producers ORDER BY org_id",
    "SELECT * FROM market_products ORDER BY id",
    "SELECT * FROM market_variants ORDER BY id",
    "SELECT * FROM market_certifications ORDER BY id",
    "SELECT * FROM market_seals ORDER BY id",
    "SELECT * FROM market_cycles ORDER BY id",
    "SELECT * FROM market_offers ORDER BY id",
    "SELECT * FROM market_points ORDER BY id",
    "SELECT * FROM market_orders ORDER BY id",
    "SELECT * FROM market_order_lines ORDER BY id",
    "SELECT * FROM market_purchase_orders ORDER BY id",
    "SELECT * FROM market_po_lines ORDER BY po_id, offer_id",
    "SELECT * FROM market_allocations ORDER BY line_id",
    "SELECT * FROM market_offer_tiers ORDER BY offer_id, min_units",
    "SELECT * FROM market_contracts ORDER BY id",
    "SELECT * FROM market_contract_lines ORDER BY contract_id, variant_id",
    "SELECT * FROM market_contract_entries ORDER BY id",
};

// The catalog, seals, the settled, hub and open cycles, the contract; the
// demo member orders in the open cycle.
void expect_market(Loaded& l) {
  ManualClock& clock_ = *l.clock;
  auto& db = l.db;
  auto& app = l.app;
  const DemoReport& report = l.report;
  // The orgs and people added for the market are counted in the summary.
  EXPECT_EQ(report.orgs, number(*db, "SELECT COUNT(*) FROM orgs"));
  EXPECT_EQ(report.persons, number(*db, "SELECT COUNT(*) FROM persons"));
  EXPECT_EQ(report.memberships, number(*db, "SELECT COUNT(*) FROM memberships"));
  for (const char* slug : {"ovos-ulloa", "adega-ribeiro", "xabonaria-escuma"}) {
    EXPECT_EQ(number(*db, std::string("SELECT COUNT(*) FROM orgs WHERE slug = '") + slug + "'"), 1)
        << slug;
  }

  // The catalog: about sixty products, every variant's breakdown summing
  // to its price, in kilograms, grams, litres and pieces.
  const std::vector<Json> products = all_products(*app, mk::CatalogQuery{});
  EXPECT_GE(products.size(), 55u);
  std::set<std::string> units, categories;
  int64_t variants = 0;
  for (const Json& p : products) {
    categories.insert(p.at("category").get<std::string>());
    for (const Json& v : p.at("variants")) {
      ++variants;
      units.insert(v.at("unit_code").get<std::string>());
      EXPECT_EQ(parts_sum(v.at("breakdown")), v.at("price").get<int64_t>()) << v.dump();
      EXPECT_GT(v.at("breakdown").at("producer").get<int64_t>(), v.at("price").get<int64_t>() / 2);
    }
  }
  EXPECT_GT(variants, static_cast<int64_t>(products.size()));
  for (const char* u : {"KGM", "GRM", "LTR", "MLT", "H87"}) EXPECT_TRUE(units.count(u)) << u;
  EXPECT_GE(categories.size(), 10u);

  // Seals: several live, each granted by a passed decision of the Federación
  // Ibérica's seal committee on that very product.
  mk::CatalogQuery sealed_only;
  sealed_only.sealed = true;
  const std::vector<Json> sealed = all_products(*app, sealed_only);
  EXPECT_GE(sealed.size(), 5u);
  const int64_t iberica = number(*db, "SELECT id FROM orgs WHERE slug = 'iberica'");
  for (const Json& s : sealed) {
    const Json p = app->read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
      return mk::get_product(tx, ctx, s.at("id").get<int64_t>());
    });
    ASSERT_TRUE(p.at("sealed").get<bool>());
    const Json& seal = p.at("seal");
    EXPECT_EQ(seal.at("federation_org_id").get<int64_t>(), iberica);
    const Json decision = app->read(Actor::system(), [&](store::Tx& tx, const Ctx& ctx) {
      return get_decision(tx, ctx, seal.at("grant_decision_id").get<int64_t>());
    });
    EXPECT_EQ(decision.at("status"), "passed") << decision.dump(2);
    EXPECT_EQ(decision.at("subject"), "seal:product:" + std::to_string(p.at("id").get<int64_t>()));
    // The label: who made it and where.
    EXPECT_FALSE(p.at("producer").at("story").get<std::string>().empty());
    EXPECT_FALSE(p.at("producer").at("territory_mark").is_null());
    EXPECT_FALSE(p.at("certifications").empty()) << p.at("name");
  }
  // One seal was withdrawn by a later decision.
  EXPECT_EQ(number(*db, "SELECT COUNT(*) FROM market_seals WHERE withdraw_decision_id IS NOT NULL"),
            1);
  // An expired certification, shown as not valid.
  EXPECT_GE(
      number(*db, "SELECT COUNT(*) FROM market_certifications WHERE expires_on < '2026-07-01'"), 1);

  // The settled cycle: a short delivery shared out, settled by one linked
  // batch; the ledger checks ok.
  const int64_t cesta = number(*db, "SELECT id FROM orgs WHERE slug = 'a-cesta-santiago'");
  const Actor coordinator = actor_of(*app, kDemoCoordinatorEmail);
  const Actor member = actor_of(*app, kDemoMemberEmail);
  const Json settled = cycle_in_state(*app, cesta, "settled");
  const int64_t past = settled.at("id").get<int64_t>();
  EXPECT_FALSE(settled.at("batch_id").is_null());
  EXPECT_GE(
      number(*db, "SELECT COUNT(*) FROM market_orders WHERE state = 'settled' AND cycle_id = " +
                      std::to_string(past)),
      20);
  EXPECT_GE(number(*db,
                   "SELECT COUNT(*) FROM market_po_lines l JOIN market_purchase_orders p ON "
                   "p.id = l.po_id WHERE l.received_units < l.demand AND p.cycle_id = " +
                       std::to_string(past)),
            1);
  EXPECT_GE(number(*db, "SELECT COUNT(*) FROM market_allocations WHERE cycle_id = " +
                            std::to_string(past)),
            1);
  const Json pos = app->read(coordinator, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::list_purchase_orders(tx, ctx, past);
  });
  EXPECT_GE(pos.at("items").size(), 5u);
  Json check = app->read(Actor::system(),
                         [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_TRUE(check.at("ok").get<bool>()) << check.dump(2);

  // The member's settled order is among their orders.
  const Json mine = app->read(member, [](store::Tx& tx, const Ctx& ctx) {
    return mk::my_orders(tx, ctx, PageReq{.limit = 50, .after = 0});
  });
  ASSERT_EQ(mine.at("items").size(), 1u) << mine.dump(2);
  EXPECT_EQ(mine.at("items")[0].at("state"), "settled");
  // The litre of milk reached its volume tier at close: the member's order
  // shows the list price, the tier price and the saving.
  const Json my_settled = app->read(member, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::get_order(tx, ctx, mine.at("items")[0].at("id").get<int64_t>());
  });
  EXPECT_GT(my_settled.at("saving").get<int64_t>(), 0) << my_settled.dump(2);
  bool milk_saved = false;
  for (const Json& l : my_settled.at("lines")) {
    if (l.at("product_name") == "Leite enteira fresca" && l.at("saving").get<int64_t>() > 0) {
      milk_saved = l.at("list_price").get<int64_t>() > l.at("price").get<int64_t>();
    }
  }
  EXPECT_TRUE(milk_saved) << my_settled.dump(2);

  // The fair-price contract between A Cesta and Hortas do Ulla: active, an
  // advance paid, and the past cycle's settlement recorded the deliveries,
  // kept back a quarter of them as repayment and topped the price up to the
  // floor.
  const int64_t ulla = number(*db, "SELECT id FROM orgs WHERE slug = 'hortas-do-ulla'");
  const Json contracts = app->read(coordinator, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::list_contracts(tx, ctx, ulla, std::nullopt, PageReq{.limit = 50, .after = 0});
  });
  ASSERT_EQ(contracts.at("items").size(), 1u) << contracts.dump(2);
  const Json contract = contracts.at("items")[0];
  EXPECT_EQ(contract.at("state"), "active");
  EXPECT_EQ(contract.at("buyer").at("org_id").get<int64_t>(), cesta);
  const Json& bal = contract.at("balance");
  EXPECT_EQ(bal.at("advanced").get<int64_t>(), 30000);
  EXPECT_GT(bal.at("repaid").get<int64_t>(), 0);
  EXPECT_EQ(bal.at("outstanding").get<int64_t>(),
            bal.at("advanced").get<int64_t>() - bal.at("repaid").get<int64_t>());
  EXPECT_GT(bal.at("floor_paid").get<int64_t>(), 0);
  EXPECT_GT(bal.at("delivered_units").get<int64_t>(), 0);
  const Json entries = app->read(coordinator, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::contract_entries(tx, ctx, contract.at("id").get<int64_t>(),
                                PageReq{.limit = 100, .after = 0});
  });
  std::set<std::string> entry_kinds;
  for (const Json& e : entries.at("items")) {
    entry_kinds.insert(e.at("kind").get<std::string>());
    if (!e.at("cycle_id").is_null()) {
      EXPECT_EQ(e.at("cycle_id").get<int64_t>(), past);
    }
  }
  EXPECT_EQ(entry_kinds, (std::set<std::string>{"advance", "repayment", "floor", "delivery"}));

  // The open cycle: open now, closing within a week, coordinated by the
  // demo coordinator, with members' orders placed and pickup and delivery
  // points.
  const Json open = cycle_in_state(*app, cesta, "open");
  const int64_t current = open.at("id").get<int64_t>();
  EXPECT_LT(parse_iso8601(open.at("opens_at").get<std::string>()).us, clock_.now().us);
  const int64_t closes = parse_iso8601(open.at("closes_at").get<std::string>()).us;
  EXPECT_GT(closes, clock_.now().us);
  EXPECT_LT(closes, clock_.now().us + int64_t{7} * 86400 * 1000000);
  const Json full = app->read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return mk::get_cycle(tx, ctx, current); });
  std::set<std::string> kinds;
  for (const Json& p : full.at("points")) kinds.insert(p.at("kind").get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"pickup", "delivery"}));
  const Json orders = app->read(coordinator, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::list_orders(tx, ctx, current, PageReq{.limit = 200, .after = 0});
  });
  int64_t placed = 0;
  for (const Json& o : orders.at("items")) placed += o.at("state") == "placed";
  EXPECT_GE(placed, 10);

  // The demo member orders in it: bread and eggs, picked up at the shop.
  const Json shop = app->read(member, [&](store::Tx& tx, const Ctx& ctx) {
    mk::CatalogQuery q;
    q.limit = 200;
    return mk::shop(tx, ctx, current, q);
  });
  ASSERT_GE(shop.at("items").size(), 50u);
  mk::OrderInput in;
  for (const Json& o : shop.at("items")) {
    const std::string name = o.at("product_name").get<std::string>();
    if (in.lines.size() < 2 && (name == "Pan de masa nai" || name == "Ovos camperos")) {
      in.lines.push_back(
          mk::LineInput{.offer_id = o.at("id").get<int64_t>(), .quantity = 1, .tolerance = 0});
    }
  }
  ASSERT_EQ(in.lines.size(), 2u);
  in.point_id = full.at("points")[0].at("id").get<int64_t>();
  const Json placed_order =
      app->write(member, "test_order", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
        mk::set_order(tx, ctx, current, in);
        return mk::checkout(tx, ctx, current);
      });
  EXPECT_EQ(placed_order.at("state"), "placed") << placed_order.dump(2);
  EXPECT_FALSE(placed_order.at("hold_transfer_id").is_null());
  check = app->read(Actor::system(),
                    [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_TRUE(check.at("ok").get<bool>()) << check.dump(2);

  // Regional group buying: the Federación Galega's hub cycle is open with
  // two local cycles (A Cesta's and Vigo Consume's) feeding it, each with
  // placed orders; the running demand has reached some volume tiers and
  // is short of others.
  const int64_t galicia = number(*db, "SELECT id FROM orgs WHERE slug = 'galicia'");
  const int64_t vigo = number(*db, "SELECT id FROM orgs WHERE slug = 'vigo-consume'");
  const Json hub = cycle_in_state(*app, galicia, "open");
  const int64_t hub_id = hub.at("id").get<int64_t>();
  ASSERT_EQ(hub.at("linked").size(), 2u) << hub.dump(2);
  std::set<int64_t> local_coordinators;
  for (const Json& l : hub.at("linked")) {
    local_coordinators.insert(l.at("coordinator").at("org_id").get<int64_t>());
    EXPECT_EQ(l.at("state"), "open");
    EXPECT_GE(l.at("orders").get<int64_t>(), 10) << l.dump();
  }
  EXPECT_EQ(local_coordinators, (std::set<int64_t>{cesta, vigo}));
  const Json local = cycle_in_state(*app, cesta, "open", true);
  EXPECT_EQ(local.at("hub").at("id").get<int64_t>(), hub_id);
  const Json demand = app->read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return mk::group_demand(tx, ctx, local.at("id").get<int64_t>());
  });
  EXPECT_EQ(demand.at("cycle_id").get<int64_t>(), hub_id);
  int64_t reached = 0, short_of_next = 0;
  for (const Json& d : demand.at("offers")) {
    reached += !d.at("tier_min_units").is_null();
    short_of_next += d.at("demand").get<int64_t>() > 0 && !d.at("next_tier").is_null();
  }
  EXPECT_GE(reached, 2) << demand.dump(2);
  EXPECT_GE(short_of_next, 3) << demand.dump(2);
}

}  // namespace agora::test_demo
