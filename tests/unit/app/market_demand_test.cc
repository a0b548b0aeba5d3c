// The market's running demand per offer (market_demand, app/market.h
// check_market) on every engine under test: after random sequences of
// order commands (lines added, changed and removed in carts and placed
// orders, checkout, cancelling, ordering again after a cancel), in a hub
// cycle and two local cycles feeding it, the totals equal the sum over the
// lines of placed and settled orders; close reads them into the purchase
// orders; cancelling a cycle and settling one keep them exact.

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "app/repo/cycles_repo.h"
#include "core/error.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

constexpr int64_t kDemandFunds = 40'000;

class MarketDemandTest : public test_market::GroupTest {
 protected:
  void SetUp() override {
    GroupTest::SetUp();
    const int64_t cases[] = {1, 6, 12, 4};
    for (int k = 0; k < 4; ++k)
      variants_.push_back(variant(farm_, "Item " + std::to_string(k), cases[k], 100 + 37 * k));
  }

  // The hub cycle (serving the hub co-op and both local co-ops) with four
  // offers, a tier on the second, and two open local cycles; members of
  // each co-op. Where each member orders: (cycle, point).
  struct Member {
    Actor actor;
    int64_t cycle = 0;
    int64_t point = 0;
  };
  void setup_group() {
    auto in = cycle_input(hub_, "Regional week", 24);
    in.fees = {.margin_bps = 1000};
    in.coop_ids = {hub_, north_, south_};
    hub_cycle_ = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx, in);
    })["id"];
    std::vector<market::OfferInput> offers;
    for (size_t k = 0; k < variants_.size(); ++k) {
      market::OfferInput o{.variant_id = variants_[k]};
      if (k == 1) o.tiers = {{.min_units = 12, .producer_price = 120}};
      offers.push_back(o);
    }
    const Json made = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, hub_cycle_, offers);
    });
    for (const Json& o : made["items"]) offers_.push_back(o["id"].get<int64_t>());
    ASSERT_EQ(offers_.size(), variants_.size());
    const int64_t hub_point = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, hub_cycle_, {.name = "Depot", .fee = 10});
    })["id"];
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::publish_cycle(tx, ctx, hub_cycle_);
    });
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, hub_cycle_); });
    auto [north_cycle, north_point] = local(nina_, north_, hub_cycle_, 20);
    auto [south_cycle, south_point] = local(sam_, south_, hub_cycle_, 30);
    north_cycle_ = north_cycle;
    south_cycle_ = south_cycle;
    clock_.set(Timestamp{kT0 + 2 * kHourUs});
    for (int k = 0; k < 3; ++k) {
      members_.push_back({member("h" + std::to_string(k), hub_, kDemandFunds), hub_cycle_, hub_point});
      members_.push_back(
          {member("n" + std::to_string(k), north_, kDemandFunds), north_cycle_, north_point});
      members_.push_back(
          {member("s" + std::to_string(k), south_, kDemandFunds), south_cycle_, south_point});
    }
  }

  // One random command by a random member; a refused one (no funds, no
  // lines, wrong state, ...) writes nothing.
  void random_command(std::mt19937& rng) {
    auto pick = [&](int64_t n) { return std::uniform_int_distribution<int64_t>(0, n - 1)(rng); };
    const Member& m = members_[pick(static_cast<int64_t>(members_.size()))];
    clock_.advance_us(kMinuteUs);
    const int64_t roll = pick(6);
    const int kind = roll < 3 ? 0 : roll < 5 ? 1 : 2;  // set lines, checkout, cancel
    try {
      switch (roll) {
        case 0:
        case 1:
        case 2: {  // lines added, changed or removed (quantity 0)
          market::OrderInput in{.point_id = m.point, .replace = pick(4) == 0};
          std::vector<int64_t> shuffled = offers_;
          std::shuffle(shuffled.begin(), shuffled.end(), rng);
          for (int64_t k = 0, n = 1 + pick(static_cast<int64_t>(offers_.size())); k < n; ++k) {
            in.lines.push_back(
                {.offer_id = shuffled[k], .quantity = pick(6), .tolerance = pick(3)});
          }
          write(m.actor, [&](store::Tx& tx, const Ctx& ctx) {
            return market::set_order(tx, ctx, m.cycle, in);
          });
          break;
        }
        case 3:
        case 4:
          write(m.actor,
                [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, m.cycle); });
          break;
        default: {
          Json o = app_->read(m.actor, [&](store::Tx& tx, const Ctx& ctx) {
            return market::my_order(tx, ctx, m.cycle);
          });
          const int64_t id = o["id"];
          write(m.actor,
                [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_order(tx, ctx, id); });
        }
      }
    } catch (const Error& e) {
      // Only the refusals a member meets; anything else is a bug.
      const Code expected[] = {Code::rule_violation, Code::invalid_state, Code::not_found,
                               Code::out_of_range, Code::invalid_value};
      if (std::find(std::begin(expected), std::end(expected), e.code()) == std::end(expected))
        throw;
      ++refused_[kind];
      return;
    }
    ++done_[kind];
  }

  // The running totals against the lines, both ways: check_market, and
  // cycle_demand (what close reads) against a grouped query over the lines.
  void expect_exact(const std::string& when) {
    db_->read([&](store::Tx& tx) {
      Json check = market::check_market(tx);
      EXPECT_TRUE(check["ok"].get<bool>()) << when << ": " << check.dump();
      for (int64_t cycle : {hub_cycle_, north_cycle_, south_cycle_}) {
        std::map<int64_t, std::pair<int64_t, int64_t>> lines;
        for (const auto& r :
             tx.query("SELECT l.offer_id, SUM(l.quantity), SUM(l.tolerance) FROM market_orders r "
                      "JOIN market_order_lines l ON l.order_id = r.id WHERE r.cycle_id = $1 AND "
                      "r.state IN ('placed', 'settled') GROUP BY l.offer_id",
                      {cycle})
                 .rows) {
          lines[r.i64(0)] = {r.i64(1), r.i64(2)};
        }
        std::map<int64_t, std::pair<int64_t, int64_t>> kept;
        for (const auto& d : repo::cycle_demand(tx, cycle))
          kept[d.offer_id] = {d.quantity, d.tolerance};
        EXPECT_EQ(kept, lines) << when << ", cycle " << cycle;
      }
    });
  }

  int64_t placed_orders() {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) {
      n = tx.query("SELECT COUNT(*) FROM market_orders WHERE state = 'placed'").one().i64(0);
    });
    return n;
  }

  int64_t hub_cycle_ = 0, north_cycle_ = 0, south_cycle_ = 0;
  std::vector<int64_t> variants_, offers_;
  std::vector<Member> members_;
  int64_t done_[3] = {0, 0, 0};  // commands carried out: set lines, checkout, cancel
  int64_t refused_[3] = {0, 0, 0};
};

TEST_P(MarketDemandTest, RunningTotalsEqualTheLinesThroughCloseAndSettlement) {
  setup_group();
  std::mt19937 rng(20261125);
  for (int step = 1; step <= 240; ++step) {
    random_command(rng);
    if (step % 20 == 0) expect_exact("after " + std::to_string(step) + " commands");
  }
  // The sequence exercised every command, carried out and refused.
  ASSERT_GT(placed_orders(), 0);
  for (int k = 0; k < 3; ++k) {
    EXPECT_GT(done_[k], 0) << "command kind " << k;
    EXPECT_GT(refused_[k], 0) << "command kind " << k;
  }

  // Close reads the totals: each purchase-order line's demand and tolerance
  // are the sums over every placed line of the hub and its local cycles.
  std::map<int64_t, std::pair<int64_t, int64_t>> want;
  db_->read([&](store::Tx& tx) {
    for (const auto& r :
         tx.query("SELECT l.offer_id, SUM(l.quantity), SUM(l.tolerance) FROM market_orders r "
                  "JOIN market_order_lines l ON l.order_id = r.id WHERE r.state = 'placed' "
                  "GROUP BY l.offer_id")
             .rows) {
      want[r.i64(0)] = {r.i64(1), r.i64(2)};
    }
  });
  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, hub_cycle_); });
  expect_exact("after close");
  std::map<int64_t, std::pair<int64_t, int64_t>> got;
  Json pos = app_->read(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::list_purchase_orders(tx, ctx, hub_cycle_);
  });
  for (const Json& po : pos["items"]) {
    for (const Json& l : po["lines"]) {
      got[l["offer_id"].get<int64_t>()] = {l["demand"].get<int64_t>(),
                                           l["tolerance"].get<int64_t>()};
    }
  }
  EXPECT_EQ(got, want);

  // Settled orders still count (a hub's running demand after settlement).
  write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return market::record_received(tx, ctx, hub_cycle_, {}, true);
  });
  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::settle_cycle(tx, ctx, hub_cycle_); });
  EXPECT_EQ(placed_orders(), 0);
  expect_exact("after settlement");
}

TEST_P(MarketDemandTest, CancellingTheHubLeavesNoDemand) {
  setup_group();
  std::mt19937 rng(7);
  for (int step = 1; step <= 120; ++step) random_command(rng);
  ASSERT_GT(placed_orders(), 0);
  expect_exact("before the cancel");
  write(cora_,
        [&](store::Tx& tx, const Ctx& ctx) { return market::cancel_cycle(tx, ctx, hub_cycle_); });
  expect_exact("after the cancel");
  db_->read([&](store::Tx& tx) { EXPECT_EQ(market::check_market(tx)["offers"], 0); });
}

TEST_P(MarketDemandTest, TheCheckNamesATotalThatDrifted) {
  setup_group();
  const Member& m = members_[0];
  write(m.actor, [&](store::Tx& tx, const Ctx& ctx) {
    return market::set_order(
        tx, ctx, m.cycle,
        {.lines = {{.offer_id = offers_[0], .quantity = 3, .tolerance = 1}}, .point_id = m.point});
  });
  write(m.actor, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, m.cycle); });
  expect_exact("after one order");
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE market_demand SET quantity = quantity + 1 WHERE offer_id = $1", {offers_[0]});
  });
  db_->read([&](store::Tx& tx) {
    Json check = market::check_market(tx);
    EXPECT_FALSE(check["ok"].get<bool>());
    EXPECT_EQ(check["mismatches"], 1);
    ASSERT_EQ(check["problems"].size(), 1u);
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketDemandTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
