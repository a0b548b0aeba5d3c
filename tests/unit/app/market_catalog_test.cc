// The market's catalog (app/market.h) on every engine under test: products
// with honest labels (a price breakdown that must sum, refused with its
// field), producers' stories, certifications, the solidarity seal that only
// a passed decision of the federation grants or withdraws (whatever the
// caller's role; a decision serves once), browse with filters and facets,
// a cycle's shopfront and its cache, the Data Food Consortium export, and
// the catalog staying fast with 10,000 products and offers.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "app/market.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using namespace agora::app::market;
using test_app::error_of;

class MarketCatalogTest : public test_market::MarketTest {
 protected:
  void SetUp() override {
    MarketTest::SetUp();
    fed_ = org(std::nullopt, "federation", "Valley Federation", "valley", "Valley");
    other_fed_ = org(std::nullopt, "federation", "Hill Federation", "hill", "Hills");
    farm_ = org(fed_, "producer", "Green Farm", "green-farm", "Riverbank");
    dairy_ = org(fed_, "worker", "Mountain Dairy", "mountain-dairy", "Highlands");
    coord_ = person("coord");
    stranger_ = person("stranger");
    test_app::grant_role(*db_, coord_.person_id, farm_, "coordinator");
    test_app::grant_role(*db_, coord_.person_id, dairy_, "coordinator");
  }

  int64_t org(std::optional<int64_t> parent, const std::string& kind, const std::string& name,
              const std::string& slug, const std::string& territory) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = parent,
                                 .kind = kind,
                                 .name = name,
                                 .slug = slug,
                                 .territory = territory});
    })["id"];
  }

  static VariantInput variant(const std::string& name, int64_t price,
                              const std::string& unit = "H87", int64_t net_milli = 1000) {
    return VariantInput{.name = name,
                        .unit_code = unit,
                        .net_milli = net_milli,
                        .case_size = 6,
                        .price = price,
                        .breakdown = {.producer = price - price / 10, .transport = price / 10}};
  }

  ProductInput product(int64_t producer, const std::string& name, const std::string& category,
                       std::vector<VariantInput> variants) {
    return ProductInput{.producer_org_id = producer,
                        .name = name,
                        .description = "Grown with care",
                        .category = category,
                        .distance_km = 12,
                        .packaging = "returnable",
                        .variants = std::move(variants)};
  }

  Json create(const Actor& a, const ProductInput& in) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return create_product(tx, ctx, in); });
  }

  // A decision row as governance leaves it (the vote itself is governance's).
  int64_t decision(int64_t org_id, const std::string& domain, const std::string& subject,
                   const std::string& status = "passed") {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO decisions (org_id, domain, subject, status, created_at, decided_at) "
          "VALUES ($1, $2, $3, $4, 0, 0)",
          {org_id, domain, subject, status});
    });
    return id;
  }

  Json grant(const Actor& a, int64_t product_id, int64_t federation, int64_t decision_id) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return grant_seal(tx, ctx, product_id, federation, decision_id, std::nullopt);
    });
  }
  Json withdraw(const Actor& a, int64_t product_id, int64_t decision_id) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return withdraw_seal(tx, ctx, product_id, decision_id);
    });
  }

  Json browse(const CatalogQuery& q) {
    return read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return browse_catalog(tx, ctx, q); });
  }
  static std::vector<std::string> names(const Json& page) {
    std::vector<std::string> out;
    for (const auto& p : page["items"]) out.push_back(p["name"]);
    return out;
  }

  // A cycle with an offer per given variant at the variant's price (rows as
  // the cycle use cases write them).
  int64_t cycle_with_offers(const std::vector<int64_t>& variant_ids) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO market_cycles (coordinator_org_id, name, currency, opens_at, closes_at, "
          "state, share_rule, created_at) VALUES ($1, 'Week 1', 'EUR', $2, $3, 'open', "
          "'proportional', $2)",
          {fed_, clock_.now().us, clock_.now().us + 86'400'000'000});
      for (int64_t v : variant_ids) {
        tx.exec(
            "INSERT INTO market_offers (cycle_id, variant_id, product_id, producer_org_id, "
            "case_size, max_units, price, producer_part, transport, packing, margin, fund, tax) "
            "SELECT $1, v.id, v.product_id, p.producer_org_id, v.case_size, NULL, v.price, "
            "v.producer_part, v.transport, v.packing, v.margin, v.fund, v.tax "
            "FROM market_variants v JOIN market_products p ON p.id = v.product_id WHERE v.id = $2",
            {id, v});
      }
    });
    return id;
  }

  Json shop_of(int64_t cycle_id, const CatalogQuery& q) {
    return read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return shop(tx, ctx, cycle_id, q); });
  }

  Actor coord_, stranger_;
  int64_t fed_ = 0, other_fed_ = 0, farm_ = 0, dairy_ = 0;
};

TEST_P(MarketCatalogTest, CreatesAProductWithItsLabel) {
  Json p = create(coord_, product(farm_, "Tomatoes", "vegetables/tomatoes",
                                  {variant("500 g bag", 240, "GRM", 500'000),
                                   variant("Crate of 5 kg", 2000, "KGM", 5'000)}));
  EXPECT_EQ(p["name"], "Tomatoes");
  EXPECT_EQ(p["producer"]["org_id"], farm_);
  EXPECT_EQ(p["producer"]["name"], "Green Farm");
  EXPECT_EQ(p["territory"], "Riverbank");  // the producer's, by default
  EXPECT_EQ(p["currency"], "EUR");
  EXPECT_EQ(p["min_price"], 240);
  EXPECT_EQ(p["max_price"], 2000);
  EXPECT_EQ(p["sealed"], false);
  EXPECT_TRUE(p["seal"].is_null());
  ASSERT_EQ(p["variants"].size(), 2u);
  const Json& bag = p["variants"][0];
  EXPECT_EQ(bag["unit_code"], "GRM");
  EXPECT_EQ(bag["unit_label"], "g");
  EXPECT_EQ(bag["base_unit"], "KGM");
  EXPECT_EQ(bag["price_per_base"], 480);  // 2.40 per 500 g is 4.80 per kg
  EXPECT_EQ(bag["breakdown"], (Json{{"producer", 216},
                                    {"transport", 24},
                                    {"packing", 0},
                                    {"margin", 0},
                                    {"fund", 0},
                                    {"tax", 0}}));
  EXPECT_EQ(p["variants"][1]["price_per_base"], 400);
  Json again =
      read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_product(tx, ctx, p["id"]); });
  EXPECT_EQ(again, p);
}

TEST_P(MarketCatalogTest, RefusesABreakdownThatDoesNotSumAndNamesTheField) {
  auto bad = variant("Jar", 500);
  bad.breakdown.fund = 1;  // the parts now sum to 501
  auto [code, field] = error_of([&] {
    create(coord_, product(farm_, "Honey", "pantry", {variant("Small jar", 300), bad}));
  });
  EXPECT_EQ(code, Code::rule_violation);
  EXPECT_EQ(field, "/variants/1/breakdown");
  EXPECT_EQ(count("market_products"), 0);  // nothing of it was written
  EXPECT_EQ(count("market_variants"), 0);

  Json p = create(coord_, product(farm_, "Honey", "pantry", {variant("Small jar", 300)}));
  auto [code2, field2] = error_of([&] {
    write(coord_,
          [&](store::Tx& tx, const Ctx& ctx) { return add_variant(tx, ctx, p["id"], bad); });
  });
  EXPECT_EQ(code2, Code::rule_violation);
  EXPECT_EQ(field2, "/breakdown");
  auto negative = variant("Jar", 500);
  negative.breakdown = {.producer = 600, .margin = -100};
  EXPECT_EQ(error_of([&] {
              write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
                return update_variant(tx, ctx, p["variants"][0]["id"], negative);
              });
            }),
            (std::pair<Code, std::string>{Code::rule_violation, "/breakdown"}));
}

TEST_P(MarketCatalogTest, ChecksEveryFieldAtTheEdge) {
  auto field_of = [&](ProductInput in) { return error_of([&] { create(coord_, in); }).second; };
  auto in = product(farm_, "Leeks", "vegetables", {variant("Bunch", 150)});
  auto c = in;
  c.category = "Vegetables";
  EXPECT_EQ(field_of(c), "/category");
  c.category = "vegetables//leeks";
  EXPECT_EQ(field_of(c), "/category");
  c = in;
  c.packaging = "styrofoam";
  EXPECT_EQ(field_of(c), "/packaging");
  c = in;
  c.variants[0].unit_code = "LB";
  EXPECT_EQ(field_of(c), "/variants/0/unit_code");
  c = in;
  c.variants[0].case_size = 0;
  EXPECT_EQ(field_of(c), "/variants/0/case_size");
  c = in;
  c.variants.clear();
  EXPECT_EQ(field_of(c), "/variants");
  c = in;
  c.distance_km = 40'001;
  EXPECT_EQ(field_of(c), "/distance_km");
  c = in;
  c.currency = "XXX";
  EXPECT_EQ(field_of(c), "/currency");
  c = in;
  c.producer_org_id = fed_;  // a federation offers no products
  EXPECT_EQ(error_of([&] { create(admin_, c); }),
            (std::pair<Code, std::string>{Code::rule_violation, "/producer_org_id"}));
}

TEST_P(MarketCatalogTest, OnlyTheProducersCoordinatorChangesItsProducts) {
  auto in = product(farm_, "Leeks", "vegetables", {variant("Bunch", 150)});
  EXPECT_EQ(error_of([&] { create(stranger_, in); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { create(Actor{}, in); }).first, Code::unauthenticated);
  Json p = create(coord_, in);
  int64_t id = p["id"];
  EXPECT_EQ(error_of([&] {
              write(stranger_, [&](store::Tx& tx, const Ctx& ctx) {
                return update_product(tx, ctx, id, ProductPatch{.name = "Mine"});
              });
            }).first,
            Code::forbidden);
  Json changed = write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_product(tx, ctx, id, ProductPatch{.name = "Winter leeks", .packaging = "none"});
  });
  EXPECT_EQ(changed["name"], "Winter leeks");
  EXPECT_EQ(changed["packaging"], "none");
  // The producer's story: its coordinator writes it, anyone reads it.
  EXPECT_EQ(error_of([&] {
              write(stranger_, [&](store::Tx& tx, const Ctx& ctx) {
                return set_producer(tx, ctx, farm_, ProducerInput{.story = "x"});
              });
            }).first,
            Code::forbidden);
  Json story = write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return set_producer(tx, ctx, farm_,
                        ProducerInput{.story = "Four families farming since 1990.",
                                      .territory_mark = "Riverbank Valley"});
  });
  EXPECT_EQ(story, (Json{{"org_id", farm_},
                         {"name", "Green Farm"},
                         {"territory", "Riverbank"},
                         {"story", "Four families farming since 1990."},
                         {"territory_mark", "Riverbank Valley"}}));
  Json read_back =
      read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_producer(tx, ctx, farm_); });
  EXPECT_EQ(read_back, story);
  EXPECT_EQ(error_of([&] {
              write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
                return set_producer(tx, ctx, fed_, ProducerInput{.story = "x"});
              });
            }).first,
            Code::rule_violation);
}

TEST_P(MarketCatalogTest, VariantsKeepThePriceRangeAndSearchCurrent) {
  Json p = create(coord_, product(farm_, "Apples", "fruit", {variant("1 kg", 300, "KGM", 1000)}));
  int64_t id = p["id"];
  Json more = write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return add_variant(tx, ctx, id, variant("5 kg", 1200, "KGM", 5000));
  });
  EXPECT_EQ(more["min_price"], 300);
  EXPECT_EQ(more["max_price"], 1200);
  auto off = variant("1 kg", 300, "KGM", 1000);
  off.active = false;
  Json less = write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_variant(tx, ctx, more["variants"][0]["id"], off);
  });
  EXPECT_EQ(less["min_price"], 1200);
  EXPECT_EQ(less["variants"][0]["active"], false);
  // Browsing lists only active variants.
  Json page = browse(CatalogQuery{});
  ASSERT_EQ(page["items"].size(), 1u);
  ASSERT_EQ(page["items"][0]["variants"].size(), 1u);
  EXPECT_EQ(page["items"][0]["variants"][0]["name"], "5 kg");
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_product(tx, ctx, id, ProductPatch{.name = "Russet apples"});
  });
  EXPECT_EQ(browse(CatalogQuery{.q = "RUSSET"})["total"], 1);
}

TEST_P(MarketCatalogTest, CertificationsWithTheirValidity) {
  Json p = create(coord_, product(farm_, "Oats", "grains", {variant("1 kg", 280)}));
  int64_t id = p["id"];
  auto add = [&](const CertificationInput& c) {
    return write(coord_,
                 [&](store::Tx& tx, const Ctx& ctx) { return add_certification(tx, ctx, id, c); });
  };
  Json with = add(CertificationInput{.name = "EU organic",
                                     .certifier = "Control body ES-ECO-001",
                                     .reference = "ES-ECO-001-123",
                                     .granted_on = "2026-03-01",
                                     .expires_on = "2028-03-01"});
  add(CertificationInput{.name = "Old label",
                         .certifier = "Someone",
                         .reference = "7",
                         .granted_on = "2020-01-01",
                         .expires_on = "2021-01-01"});
  Json certs = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return get_product(tx, ctx, id);
  })["certifications"];
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0]["valid"], true);
  EXPECT_EQ(certs[1]["valid"], false);  // expired in 2021
  EXPECT_EQ(certs[0]["expires_on"], "2028-03-01");
  auto bad = CertificationInput{
      .name = "X", .certifier = "Y", .reference = "Z", .granted_on = "2026-02-30"};
  EXPECT_EQ(error_of([&] { add(bad); }).second, "/granted_on");
  bad.granted_on = "2026-02-01";
  bad.expires_on = "2026-01-01";
  EXPECT_EQ(error_of([&] { add(bad); }).second, "/expires_on");
  EXPECT_EQ(error_of([&] {
              write(stranger_, [&](store::Tx& tx, const Ctx& ctx) {
                return remove_certification(tx, ctx, certs[1]["id"]);
              });
            }).first,
            Code::forbidden);
  Json after = write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return remove_certification(tx, ctx, certs[1]["id"]);
  });
  EXPECT_EQ(after["certifications"].size(), 1u);
}

TEST_P(MarketCatalogTest, TheSealNeedsThePassedDecisionWhateverTheRole) {
  Json p = create(coord_, product(farm_, "Bread", "bakery", {variant("Loaf", 350)}));
  int64_t id = p["id"];
  const std::string subject = "seal:product:" + std::to_string(id);
  std::pair<Code, std::string> refused{Code::rule_violation, "/decision_id"};

  // No decision: refused for the producer's coordinator and the platform admin alike.
  EXPECT_EQ(error_of([&] { grant(coord_, id, fed_, 999'999); }), refused);
  EXPECT_EQ(error_of([&] { grant(admin_, id, fed_, 999'999); }), refused);
  EXPECT_EQ(error_of([&] { grant(Actor{}, id, fed_, 999'999); }).first, Code::unauthenticated);
  // Decisions that are not the one: pending, another subject, another
  // domain, another federation's.
  EXPECT_EQ(error_of([&] {
              grant(admin_, id, fed_, decision(fed_, "solidarity.seal", subject, "pending"));
            }),
            refused);
  EXPECT_EQ(
      error_of([&] { grant(admin_, id, fed_, decision(fed_, "solidarity.seal", subject + "0")); }),
      refused);
  EXPECT_EQ(error_of([&] { grant(admin_, id, fed_, decision(fed_, "asset.sale", subject)); }),
            refused);
  EXPECT_EQ(
      error_of([&] { grant(admin_, id, fed_, decision(other_fed_, "solidarity.seal", subject)); }),
      refused);
  // A federation not above the producer cannot grant it at all.
  EXPECT_EQ(error_of([&] {
              grant(admin_, id, other_fed_, decision(other_fed_, "solidarity.seal", subject));
            }),
            (std::pair<Code, std::string>{Code::rule_violation, "/federation_org_id"}));
  EXPECT_EQ(count("market_seals"), 0);

  // With the decision anyone signed in records it, even without a role.
  int64_t granted = decision(fed_, "solidarity.seal", subject);
  Json sealed = grant(stranger_, id, fed_, granted);
  EXPECT_EQ(sealed["sealed"], true);
  EXPECT_EQ(sealed["seal"]["grant_decision_id"], granted);
  EXPECT_EQ(sealed["seal"]["federation_org_id"], fed_);
  EXPECT_EQ(sealed["seal"]["live"], true);
  EXPECT_TRUE(sealed["seal"]["withdrawn_at"].is_null());
  // A second live seal is a duplicate.
  EXPECT_EQ(
      error_of([&] { grant(admin_, id, fed_, decision(fed_, "solidarity.seal", subject)); }).first,
      Code::duplicate);

  // Withdrawing needs its own decision: the granting one does not serve.
  EXPECT_EQ(error_of([&] { withdraw(admin_, id, granted); }), refused);
  int64_t withdrawn =
      decision(fed_, "solidarity.seal", "seal-withdraw:product:" + std::to_string(id));
  Json after = withdraw(stranger_, id, withdrawn);
  EXPECT_EQ(after["sealed"], false);
  EXPECT_EQ(after["seal"]["live"], false);
  EXPECT_EQ(after["seal"]["withdraw_decision_id"], withdrawn);
  EXPECT_EQ(error_of([&] { withdraw(admin_, id, withdrawn); }).first, Code::invalid_state);

  // A decision serves once: the first grant cannot seal the product again.
  EXPECT_EQ(error_of([&] { grant(admin_, id, fed_, granted); }), refused);
  Json again = grant(coord_, id, fed_, decision(fed_, "solidarity.seal", subject));
  EXPECT_EQ(again["sealed"], true);
}

TEST_P(MarketCatalogTest, ASealMayLapse) {
  Json p = create(coord_, product(farm_, "Cider", "drinks", {variant("Bottle", 450)}));
  int64_t id = p["id"];
  int64_t d = decision(fed_, "solidarity.seal", "seal:product:" + std::to_string(id));
  Timestamp in_a_day{clock_.now().us + 86'400'000'000};
  EXPECT_EQ(error_of([&] {
              write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
                return grant_seal(tx, ctx, id, fed_, d, clock_.now());
              });
            }).second,
            "/expires_at");
  Json s = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return grant_seal(tx, ctx, id, fed_, d, in_a_day);
  });
  EXPECT_EQ(s["sealed"], true);
  EXPECT_EQ(browse(CatalogQuery{.sealed = true})["total"], 1);
  clock_.advance_us(2 * 86'400'000'000);
  EXPECT_EQ(browse(CatalogQuery{.sealed = true})["total"], 0);
  Json lapsed =
      read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_product(tx, ctx, id); });
  EXPECT_EQ(lapsed["sealed"], false);
  EXPECT_EQ(lapsed["seal"]["live"], false);
}

TEST_P(MarketCatalogTest, BrowseFiltersSortsAndCountsFacets) {
  auto make = [&](int64_t producer, const std::string& name, const std::string& category,
                  int64_t price, int64_t km, const std::string& territory) {
    auto in = product(producer, name, category, {variant("Unit", price)});
    in.distance_km = km;
    in.territory = territory;
    return create(coord_, in)["id"].get<int64_t>();
  };
  make(farm_, "Carrots", "vegetables", 180, 5, "Riverbank");
  make(farm_, "Açaí bowl", "fruit", 650, 900, "Coast");
  int64_t brie = make(dairy_, "Brie", "dairy/cheese", 900, 40, "Highlands");
  make(dairy_, "Milk", "dairy", 120, 40, "Highlands");
  make(dairy_, "Yoghurt", "dairy/yoghurt", 200, 60, "Valley");
  int64_t hidden = make(farm_, "Beans", "vegetables", 300, 5, "Riverbank");
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_product(tx, ctx, hidden, ProductPatch{.active = false});
  });
  grant(admin_, brie, fed_,
        decision(fed_, "solidarity.seal", "seal:product:" + std::to_string(brie)));

  Json all = browse(CatalogQuery{});
  EXPECT_EQ(all["total"], 5);  // the inactive product is not listed
  EXPECT_EQ(names(all),
            (std::vector<std::string>{"Açaí bowl", "Brie", "Carrots", "Milk", "Yoghurt"}));
  EXPECT_EQ(all["facets"]["categories"][0], (Json{{"category", "dairy"}, {"count", 1}}));
  EXPECT_EQ(all["facets"]["territories"][0], (Json{{"territory", "Highlands"}, {"count", 2}}));
  EXPECT_EQ(all["items"][1]["producer"], (Json{{"org_id", dairy_}, {"name", "Mountain Dairy"}}));
  EXPECT_EQ(all["items"][1]["sealed"], true);

  // A category matches itself and below; its facet ignores the category filter.
  Json dairy = browse(CatalogQuery{.category = "dairy"});
  EXPECT_EQ(names(dairy), (std::vector<std::string>{"Brie", "Milk", "Yoghurt"}));
  EXPECT_EQ(dairy["total"], 3);
  EXPECT_EQ(dairy["facets"]["categories"].size(), 5u);
  EXPECT_EQ(dairy["facets"]["territories"],
            (Json::array({Json{{"territory", "Highlands"}, {"count", 2}},
                          Json{{"territory", "Valley"}, {"count", 1}}})));
  Json dairy_valley = browse(CatalogQuery{.category = "dairy", .territory = "Valley"});
  EXPECT_EQ(names(dairy_valley), (std::vector<std::string>{"Yoghurt"}));
  EXPECT_EQ(dairy_valley["total"], 1);
  // Search is case-insensitive, also beyond ASCII, over name, producer and description.
  EXPECT_EQ(names(browse(CatalogQuery{.q = "AÇAÍ"})), (std::vector<std::string>{"Açaí bowl"}));
  EXPECT_EQ(browse(CatalogQuery{.q = "mountain"})["total"], 3);
  EXPECT_EQ(browse(CatalogQuery{.q = "with CARE"})["total"], 5);
  EXPECT_EQ(browse(CatalogQuery{.q = "100%"})["total"], 0);  // wildcards are literal
  EXPECT_EQ(browse(CatalogQuery{.producer_org_id = farm_})["total"], 2);
  EXPECT_EQ(names(browse(CatalogQuery{.sealed = true})), (std::vector<std::string>{"Brie"}));
  EXPECT_EQ(browse(CatalogQuery{.sealed = false})["total"], 4);
  EXPECT_EQ(names(browse(CatalogQuery{.min_price = 180, .max_price = 650})),
            (std::vector<std::string>{"Açaí bowl", "Carrots", "Yoghurt"}));
  EXPECT_EQ(names(browse(CatalogQuery{.sort = "price"})),
            (std::vector<std::string>{"Milk", "Carrots", "Yoghurt", "Açaí bowl", "Brie"}));
  EXPECT_EQ(names(browse(CatalogQuery{.sort = "distance", .limit = 2})),
            (std::vector<std::string>{"Carrots", "Brie"}));
  Json second = browse(CatalogQuery{.sort = "price", .offset = 2, .limit = 2});
  EXPECT_EQ(names(second), (std::vector<std::string>{"Yoghurt", "Açaí bowl"}));
  EXPECT_EQ(second["total"], 5);
  EXPECT_EQ(second["offset"], 2);

  EXPECT_EQ(error_of([&] { browse(CatalogQuery{.sort = "rating"}); }).second, "/sort");
  EXPECT_EQ(error_of([&] { browse(CatalogQuery{.limit = 201}); }).second, "/limit");
  EXPECT_EQ(error_of([&] { browse(CatalogQuery{.category = "Dairy"}); }).second, "/category");
  EXPECT_EQ(error_of([&] { browse(CatalogQuery{.q = std::string(101, 'a')}); }).second, "/q");
}

TEST_P(MarketCatalogTest, TheShopfrontShowsOffersWithLabelsAndFollowsWrites) {
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return set_producer(tx, ctx, farm_,
                        ProducerInput{.story = "Four families.", .territory_mark = "Riverbank"});
  });
  Json carrots = create(
      coord_, product(farm_, "Carrots", "vegetables",
                      {variant("1 kg", 180, "KGM", 1000), variant("5 kg", 800, "KGM", 5000)}));
  Json milk = create(coord_, product(dairy_, "Milk", "dairy", {variant("1 l", 120, "LTR", 1000)}));
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return add_certification(tx, ctx, carrots["id"],
                             CertificationInput{.name = "EU organic",
                                                .certifier = "ES-ECO",
                                                .reference = "1",
                                                .granted_on = "2026-01-01"});
  });
  int64_t cycle = cycle_with_offers(
      {carrots["variants"][0]["id"], carrots["variants"][1]["id"], milk["variants"][0]["id"]});
  Json page = shop_of(cycle, CatalogQuery{});
  EXPECT_EQ(page["cycle"]["id"], cycle);
  EXPECT_EQ(page["cycle"]["state"], "open");
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["items"].size(), 3u);
  const Json& first = page["items"][0];
  EXPECT_EQ(first["product_name"], "Carrots");
  EXPECT_EQ(first["variant_name"], "1 kg");
  EXPECT_EQ(first["unit_label"], "kg");
  EXPECT_EQ(first["price"], 180);
  EXPECT_EQ(first["breakdown"]["transport"], 18);
  EXPECT_EQ(first["producer"]["name"], "Green Farm");
  EXPECT_EQ(first["label"]["story"], "Four families.");
  EXPECT_EQ(first["label"]["territory_mark"], "Riverbank");
  EXPECT_EQ(first["label"]["packaging"], "returnable");
  EXPECT_EQ(first["label"]["certifications"][0]["name"], "EU organic");
  EXPECT_EQ(page["items"][2]["label"]["certifications"], Json::array());
  EXPECT_EQ(shop_of(cycle, CatalogQuery{.category = "dairy"})["total"], 1);
  EXPECT_EQ(shop_of(cycle, CatalogQuery{.min_price = 500})["items"][0]["variant_name"], "5 kg");
  Json by_price = shop_of(cycle, CatalogQuery{.sort = "price"});
  EXPECT_EQ(by_price["items"][0]["product_name"], "Milk");
  EXPECT_EQ(by_price["facets"]["categories"].size(), 2u);

  // The same query twice gives the same answer; a write is seen at once.
  EXPECT_EQ(shop_of(cycle, CatalogQuery{}), page);
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_product(tx, ctx, carrots["id"], ProductPatch{.description = "Sweet and crunchy"});
  });
  EXPECT_EQ(shop_of(cycle, CatalogQuery{})["items"][0]["label"]["description"],
            "Sweet and crunchy");
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE market_offers SET max_units = 7 WHERE cycle_id = $1", {cycle});
  });
  EXPECT_EQ(shop_of(cycle, CatalogQuery{})["items"][0]["max_units"], 7);

  EXPECT_EQ(error_of([&] { shop_of(cycle + 1000, CatalogQuery{}); }).first, Code::not_found);
  EXPECT_EQ(error_of([&] { shop_of(cycle, CatalogQuery{.sort = "x"}); }).second, "/sort");
}

TEST_P(MarketCatalogTest, ExportsTheCatalogAsDataFoodConsortiumJsonLd) {
  write(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return set_producer(tx, ctx, farm_, ProducerInput{.story = "Four families."});
  });
  Json tomatoes = create(coord_, product(farm_, "Tomatoes", "vegetables",
                                         {variant("500 g bag", 240, "GRM", 500'000)}));
  create(coord_, product(dairy_, "Eggs", "eggs", {variant("Dozen", 390, "DZN", 1000)}));
  auto dfc = [&](std::optional<int64_t> producer) {
    return read(Actor{},
                [&](store::Tx& tx, const Ctx& ctx) { return export_dfc(tx, ctx, producer); });
  };
  Json doc = dfc(std::nullopt);
  EXPECT_EQ(doc["@context"][0], "https://www.datafoodconsortium.org");
  const Json& graph = doc["@graph"];
  ASSERT_EQ(graph.size(), 8u);  // two enterprises, each with a product, item and offer
  EXPECT_EQ(graph[0]["@type"], "dfc-b:Enterprise");
  EXPECT_EQ(graph[0]["dfc-b:name"], "Green Farm");
  EXPECT_EQ(graph[0]["dfc-b:hasDescription"], "Four families.");
  std::string sp_id =
      "/api/v1/market/variants/" + std::to_string(tomatoes["variants"][0]["id"].get<int64_t>());
  EXPECT_EQ(graph[0]["dfc-b:supplies"], Json::array({sp_id}));
  EXPECT_EQ(graph[1]["@type"], "dfc-b:SuppliedProduct");
  EXPECT_EQ(graph[1]["@id"], sp_id);
  EXPECT_EQ(graph[1]["dfc-b:name"], "Tomatoes - 500 g bag");
  EXPECT_EQ(graph[1]["dfc-b:hasQuantity"]["dfc-b:hasUnit"], "dfc-m:Gram");
  EXPECT_EQ(graph[1]["dfc-b:hasQuantity"]["dfc-b:value"], 500);
  EXPECT_EQ(graph[1]["agora:unitCode"], "GRM");
  EXPECT_EQ(graph[2]["@type"], "dfc-b:CatalogItem");
  EXPECT_EQ(graph[2]["dfc-b:references"], sp_id);
  EXPECT_EQ(graph[3]["@type"], "dfc-b:Offer");
  EXPECT_EQ(graph[3]["dfc-b:hasPrice"]["dfc-b:value"], 2.4);
  EXPECT_EQ(graph[3]["dfc-b:hasPrice"]["dfc-b:hasUnit"], "dfc-m:Euro");
  EXPECT_EQ(graph[3]["dfc-b:hasPrice"]["agora:minorUnits"], 240);
  EXPECT_EQ(graph[5]["dfc-b:hasQuantity"]["dfc-b:hasUnit"], "dfc-m:Piece");
  EXPECT_EQ(graph[5]["dfc-b:hasQuantity"]["dfc-b:value"], 12);
  EXPECT_EQ(graph[5]["agora:unitCode"], "DZN");

  EXPECT_EQ(dfc(dairy_)["@graph"].size(), 4u);
  EXPECT_EQ(error_of([&] { dfc(999'999); }).first, Code::not_found);
}

// 10,000 products (and a cycle offering them all) written straight as rows,
// then the catalog's queries timed. The bounds are loose (shared machines,
// sanitizer builds); they catch a query that scans per row or loses its
// indexes, not a few milliseconds.
TEST_P(MarketCatalogTest, StaysFastWithTenThousandProducts) {
  constexpr int64_t kProducts = 10'000;
  int64_t cycle = 0;
  db_->write([&](store::Tx& tx) {
    tx.exec(
        "INSERT INTO market_products (producer_org_id, name, description, category, territory, "
        "distance_km, packaging, currency, min_price, max_price, active, search, created_at, "
        "updated_at) "
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(kProducts) + ") SELECT CASE WHEN i % 2 = 0 THEN " + std::to_string(farm_) +
        " ELSE " + std::to_string(dairy_) +
        " END, 'Product ' || CAST(i AS TEXT), 'Described', "
        "CASE i % 4 WHEN 0 THEN 'vegetables' WHEN 1 THEN 'dairy/cheese' WHEN 2 THEN 'dairy' "
        "ELSE 'fruit' END, CASE i % 3 WHEN 0 THEN 'Riverbank' WHEN 1 THEN 'Highlands' ELSE "
        "'Coast' END, i % 500, 'none', 'EUR', 100 + i % 997, 100 + i % 997, 1, "
        "'product ' || CAST(i AS TEXT) || ' described', 0, 0 FROM n");
    tx.exec(
        "INSERT INTO market_variants (product_id, name, unit_code, net_milli, case_size, price, "
        "producer_part, transport, packing, margin, fund, tax, active, created_at, updated_at) "
        "SELECT id, 'Unit', 'H87', 1000, 1, min_price, min_price, 0, 0, 0, 0, 0, 1, 0, 0 "
        "FROM market_products");
    cycle = tx.insert(
        "INSERT INTO market_cycles (coordinator_org_id, name, currency, opens_at, closes_at, "
        "state, share_rule, created_at) VALUES ($1, 'Big week', 'EUR', 0, 1, 'open', "
        "'proportional', 0)",
        {fed_});
    tx.exec(
        "INSERT INTO market_offers (cycle_id, variant_id, product_id, producer_org_id, "
        "case_size, price, producer_part, transport, packing, margin, fund, tax) "
        "SELECT $1, v.id, v.product_id, p.producer_org_id, 1, v.price, v.price, 0, 0, 0, 0, 0 "
        "FROM market_variants v JOIN market_products p ON p.id = v.product_id",
        {cycle});
  });
  if (GetParam() == "postgres") {
    // As autovacuum would after a bulk load: the planner needs the sizes.
    db_->write([&](store::Tx& tx) {
      tx.exec("ANALYZE market_products, market_variants, market_offers, market_seals");
    });
  }
  using Clock = std::chrono::steady_clock;
  auto ms_of = [](auto fn) {
    auto t0 = Clock::now();
    fn();
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  std::vector<CatalogQuery> queries = {
      CatalogQuery{},
      CatalogQuery{.q = "product 99"},
      CatalogQuery{.category = "dairy", .sort = "price"},
      CatalogQuery{.territory = "Coast", .sealed = false, .min_price = 500, .sort = "distance"},
      CatalogQuery{.producer_org_id = farm_, .offset = 4'000, .limit = 200},
  };
  Json first = browse(queries[0]);
  EXPECT_EQ(first["total"], kProducts);
  EXPECT_EQ(first["items"].size(), 50u);
  EXPECT_EQ(browse(queries[2])["total"], kProducts / 2);
  double worst = 0;
  for (const auto& q : queries) worst = std::max(worst, ms_of([&] { browse(q); }));
  EXPECT_LT(worst, 1000.0 * test_db::kTimingSlack)
      << "a browse of 10,000 products took " << worst << " ms";

  // The shopfront: a first answer computes (loosely bounded, like browse);
  // repeated ones come from the cache on SQLite, p99 well under 50 ms there.
  EXPECT_EQ(shop_of(cycle, CatalogQuery{})["total"], kProducts);
  double cold = 0;
  for (const auto& q : queries) cold = std::max(cold, ms_of([&] { shop_of(cycle, q); }));
  EXPECT_LT(cold, 1000.0 * test_db::kTimingSlack)
      << "a shopfront of 10,000 offers took " << cold << " ms";
  std::vector<double> times;
  for (int round = 0; round < 40; ++round) {
    for (const auto& q : queries) times.push_back(ms_of([&] { shop_of(cycle, q); }));
  }
  std::sort(times.begin(), times.end());
  double p99 = times[times.size() * 99 / 100];
  EXPECT_LT(p99, (GetParam() == "sqlite" ? 50.0 : 1000.0) * test_db::kTimingSlack)
      << "shop p99 " << p99 << " ms";
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketCatalogTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
