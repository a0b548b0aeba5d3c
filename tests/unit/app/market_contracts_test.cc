// Fair-price contracts (app/market.h) on every engine under test: who may
// propose, accept, decline, withdraw and end them; every refused input names
// its field; accepting a contract that overlaps an active one of the same
// buyer is a conflict; advances are idempotent by key; and a settled cycle
// tops up prices below the floor and keeps back repayments of advances from
// the producer's pay — in the settlement's batch, all of it or none.

#include <gtest/gtest.h>

#include <optional>
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
using Field = std::pair<Code, std::string>;

constexpr int64_t kContractFunds = 100'000;

class MarketContractsTest : public test_market::CoopTest {
 protected:
  void SetUp() override {
    CoopTest::SetUp();
    other_ = org(national_, "consumer", "Other Coop", "other");
    dairy_ = org(national_, "producer", "Dairy", "dairy");
    tess_ = person("tess", coop_, "treasurer");
    otto_ = person("otto", other_, "coordinator");
    fred_ = person("fred", farm_, "coordinator");
    dora_ = person("dora", dairy_, "coordinator");
    ana_ = member("ana", coop_, kContractFunds);
    carrots_ = variant(farm_, "Carrots", 6, 200, "EUR");
    beans_ = variant(farm_, "Beans", 1, 300, "EUR");
    milk_ = variant(dairy_, "Milk", 12, 100, "EUR");
    dollars_ = variant(farm_, "Export carrots", 6, 200, "USD");
    fund_ = account(coop_, "fund", "solidarity");
    fill(fund_, 10'000, "fund-coop");
  }

  int64_t account(int64_t org_id, const std::string& holder, const std::string& kind,
                  const std::string& currency = "EUR") {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = ledger::ensure_account(tx, clock_.now(), org_id, holder, std::nullopt, currency, kind);
    });
    return id;
  }
  // Moves `amount` into `to` from its org's bank account.
  void fill(int64_t to, int64_t amount, const std::string& key) {
    db_->write([&](store::Tx& tx) {
      auto org_id =
          tx.query("SELECT org_id, currency FROM ledger_accounts WHERE id = $1", {to}).one();
      int64_t bank = ledger::ensure_account(tx, clock_.now(), org_id.i64(0), "external",
                                            std::nullopt, org_id.str(1), "bank");
      std::vector<ledger::TransferInput> in{ledger::TransferInput{
          .key = key, .debit_account_id = bank, .credit_account_id = to, .amount = amount}};
      ledger::apply_transfers(tx, clock_.now(), 0, in);
    });
  }

  // The coop's carrot contract with the farm: floor 1.80, 100 units
  // committed, a quarter of each delivery repaying advances.
  market::ContractInput carrot_contract() {
    return market::ContractInput{
        .buyer_org_id = coop_,
        .producer_org_id = farm_,
        .name = "Carrots 2027",
        .starts_on = "2027-01-01",
        .ends_on = "2027-12-31",
        .account_id = fund_,
        .repay_bps = 2500,
        .terms = "Floor of 1.80 a kilo all year.",
        .lines = {{.variant_id = carrots_, .floor_price = 180, .committed_units = 100}}};
  }
  Json propose(const Actor& a, const market::ContractInput& in) {
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return market::propose_contract(tx, ctx, in); });
  }
  using Command = Json (*)(store::Tx&, const Ctx&, int64_t);
  Json run(const Actor& a, Command cmd, int64_t id) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return cmd(tx, ctx, id); });
  }
  Json accept(const Actor& a, int64_t id) { return run(a, &market::accept_contract, id); }
  Json advance(const Actor& a, int64_t id, const std::string& key, int64_t amount) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::pay_advance(tx, ctx, id, {.key = key, .amount = amount});
    });
  }
  Json get(const Actor& a, int64_t id) {
    return read(a,
                [&](store::Tx& tx, const Ctx& ctx) { return market::get_contract(tx, ctx, id); });
  }
  Json entries(int64_t id) {
    return read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::contract_entries(tx, ctx, id, {.limit = 200});
    });
  }
  // An active carrot contract with an advance of `advanced` paid.
  int64_t active_contract(int64_t advanced, market::ContractInput in) {
    int64_t id = propose(cora_, in)["id"];
    accept(fred_, id);
    if (advanced > 0) advance(tess_, id, "adv-" + std::to_string(id), advanced);
    return id;
  }

  // A cycle of the coordinator `coord` (acting `who`) offering each
  // {variant, producer price}; ana orders `units` of each (for coop_'s
  // cycles), everything arrives, and it is closed (not settled).
  struct Offer {
    int64_t variant_id = 0, producer_price = 0, units = 0;
  };
  int64_t closed_cycle(const Actor& who, int64_t coord, const std::vector<Offer>& offers) {
    const Timestamp now = clock_.now();
    int64_t cycle = write(who, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx,
                                  market::CycleInput{.coordinator_org_id = coord,
                                                     .name = "Week",
                                                     .opens_at = Timestamp{now.us + kHourUs},
                                                     .closes_at = Timestamp{now.us + kDayUs},
                                                     .coop_ids = {coop_}});
    })["id"];
    std::vector<market::OfferInput> in;
    for (const auto& o : offers) {
      in.push_back({.variant_id = o.variant_id, .producer_price = o.producer_price});
    }
    Json set = write(
        who, [&](store::Tx& tx, const Ctx& ctx) { return market::set_offers(tx, ctx, cycle, in); });
    int64_t point = write(who, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, cycle, {.name = "Shop"});
    })["id"];
    run(who, &market::publish_cycle, cycle);
    run(who, &market::open_cycle, cycle);
    std::vector<market::LineInput> lines;
    for (size_t i = 0; i < offers.size(); ++i) {
      lines.push_back({.offer_id = set["items"][i]["id"], .quantity = offers[i].units});
    }
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, cycle, {.lines = lines, .point_id = point});
    });
    write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, cycle); });
    run(who, &market::close_cycle, cycle);
    write(who, [&](store::Tx& tx, const Ctx& ctx) {
      return market::record_received(tx, ctx, cycle, {}, true);
    });
    return cycle;
  }
  Json settle(const Actor& who, int64_t cycle) { return run(who, &market::settle_cycle, cycle); }

  int64_t balance(int64_t account_id) {
    int64_t out = 0;
    db_->read([&](store::Tx& tx) {
      out = tx.query("SELECT credits_posted - debits_posted FROM ledger_accounts WHERE id = $1",
                     {account_id})
                .one()
                .i64(0);
    });
    return out;
  }
  int64_t operating(int64_t org_id) {
    int64_t out = 0;
    db_->read([&](store::Tx& tx) {
      auto rows = tx.query(
          "SELECT credits_posted - debits_posted FROM ledger_accounts WHERE org_id = $1 AND "
          "holder = 'org' AND kind = 'operating' AND currency = 'EUR'",
          {org_id});
      if (!rows.empty()) out = rows.rows[0].i64(0);
    });
    return out;
  }
  // {posted balance, pending} of the coordinator's clearing account.
  std::pair<int64_t, int64_t> clearing(int64_t org_id) {
    std::pair<int64_t, int64_t> out{0, 0};
    db_->read([&](store::Tx& tx) {
      auto rows = tx.query(
          "SELECT credits_posted - debits_posted, credits_pending FROM ledger_accounts WHERE "
          "org_id = $1 AND holder = 'org' AND kind = 'clearing'",
          {org_id});
      if (!rows.empty()) out = {rows.rows[0].i64(0), rows.rows[0].i64(1)};
    });
    return out;
  }
  // {code, debit, credit, amount, batch_id} of a transfer.
  struct Moved {
    std::string code;
    int64_t debit = 0, credit = 0, amount = 0;
    std::optional<int64_t> batch;
  };
  Moved transfer(int64_t id) {
    Moved m;
    db_->read([&](store::Tx& tx) {
      const auto& r = tx.query(
                            "SELECT code, debit_account_id, credit_account_id, amount, batch_id "
                            "FROM ledger_transfers WHERE id = $1",
                            {id})
                          .one();
      m = Moved{r.str(0), r.i64(1), r.i64(2), r.i64(3), r.opt_i64(4)};
    });
    return m;
  }

  Actor tess_, otto_, fred_, dora_, ana_;
  int64_t other_ = 0, dairy_ = 0;
  int64_t carrots_ = 0, beans_ = 0, milk_ = 0, dollars_ = 0;
  int64_t fund_ = 0;
};

// ---- proposing and the lifecycle

TEST_P(MarketContractsTest, TheBuyerProposesAndTheProducerAccepts) {
  Json c = propose(tess_, carrot_contract());  // a treasurer may propose too
  EXPECT_EQ(c["state"], "proposed");
  EXPECT_EQ(c["buyer"], (Json{{"org_id", coop_}, {"name", "Coop"}}));
  EXPECT_EQ(c["producer"], (Json{{"org_id", farm_}, {"name", "Farm"}}));
  EXPECT_EQ(c["currency"], "EUR");
  EXPECT_EQ(c["account_id"], fund_);
  EXPECT_EQ(c["repay_bps"], 2500);
  EXPECT_EQ(c["terms"], "Floor of 1.80 a kilo all year.");
  ASSERT_EQ(c["lines"].size(), 1u);
  EXPECT_EQ(c["lines"][0]["variant_id"], carrots_);
  EXPECT_EQ(c["lines"][0]["product_name"], "Carrots");
  EXPECT_EQ(c["lines"][0]["floor_price"], 180);
  EXPECT_EQ(c["lines"][0]["committed_units"], 100);
  EXPECT_EQ(c["lines"][0]["delivered_units"], 0);
  EXPECT_EQ(c["lines"][0]["remaining_units"], 100);
  EXPECT_EQ(c["balance"], (Json{{"advanced", 0},
                                {"repaid", 0},
                                {"outstanding", 0},
                                {"floor_paid", 0},
                                {"delivered_units", 0},
                                {"delivered_amount", 0}}));
  EXPECT_TRUE(c["accepted_at"].is_null());
  const int64_t id = c["id"];

  // The buyer may not accept its own proposal, nor another producer.
  EXPECT_EQ(error_of([&] { accept(cora_, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { accept(dora_, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { run(fred_, &market::withdraw_contract, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { run(ana_, &market::decline_contract, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { run(fred_, &market::end_contract, id); }).first, Code::invalid_state);

  Json a = accept(fred_, id);
  EXPECT_EQ(a["state"], "active");
  EXPECT_FALSE(a["accepted_at"].is_null());
  EXPECT_EQ(error_of([&] { accept(fred_, id); }).first, Code::invalid_state);
  EXPECT_EQ(error_of([&] { run(cora_, &market::withdraw_contract, id); }).first,
            Code::invalid_state);

  // Both parties' officers read it; members and strangers do not.
  EXPECT_EQ(get(fred_, id)["id"], id);
  EXPECT_EQ(get(tess_, id)["id"], id);
  EXPECT_EQ(error_of([&] { get(ana_, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { get(dora_, id); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { get(Actor{}, id); }).first, Code::unauthenticated);
  EXPECT_EQ(error_of([&] { get(fred_, 999'999); }).first, Code::not_found);

  // Either side ends it; a member may not.
  EXPECT_EQ(error_of([&] { run(ana_, &market::end_contract, id); }).first, Code::forbidden);
  Json e = run(fred_, &market::end_contract, id);
  EXPECT_EQ(e["state"], "ended");
  EXPECT_FALSE(e["ended_at"].is_null());
  EXPECT_EQ(error_of([&] { run(cora_, &market::end_contract, id); }).first, Code::invalid_state);
}

TEST_P(MarketContractsTest, ProposalsAreDeclinedOrWithdrawnAndListedPerParty) {
  const int64_t declined = propose(cora_, carrot_contract())["id"];
  EXPECT_EQ(run(fred_, &market::decline_contract, declined)["state"], "declined");
  EXPECT_EQ(error_of([&] { accept(fred_, declined); }).first, Code::invalid_state);
  const int64_t withdrawn = propose(cora_, carrot_contract())["id"];
  EXPECT_EQ(run(tess_, &market::withdraw_contract, withdrawn)["state"], "withdrawn");
  const int64_t milk = propose(cora_, {.buyer_org_id = coop_,
                                       .producer_org_id = dairy_,
                                       .name = "Milk",
                                       .starts_on = "2027-01-01",
                                       .ends_on = "2027-06-30",
                                       .account_id = fund_,
                                       .lines = {{.variant_id = milk_, .floor_price = 90}}})["id"];

  auto list = [&](const Actor& a, int64_t org_id, std::optional<std::string> state,
                  PageReq page = {}) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::list_contracts(tx, ctx, org_id, state, page);
    });
  };
  auto ids = [](const Json& page) {
    std::vector<int64_t> out;
    for (const auto& c : page["items"]) out.push_back(c["id"]);
    return out;
  };
  EXPECT_EQ(ids(list(cora_, coop_, std::nullopt)),
            (std::vector<int64_t>{milk, withdrawn, declined}));
  EXPECT_EQ(ids(list(fred_, farm_, std::nullopt)), (std::vector<int64_t>{withdrawn, declined}));
  EXPECT_EQ(ids(list(cora_, coop_, "declined")), (std::vector<int64_t>{declined}));
  Json first = list(cora_, coop_, std::nullopt, {.limit = 2});
  EXPECT_EQ(ids(first), (std::vector<int64_t>{milk, withdrawn}));
  EXPECT_EQ(first["next_after"], withdrawn);
  EXPECT_EQ(ids(list(cora_, coop_, std::nullopt, {.limit = 2, .after = withdrawn})),
            (std::vector<int64_t>{declined}));
  EXPECT_EQ(error_of([&] { list(ana_, coop_, std::nullopt); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { list(dora_, farm_, std::nullopt); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { list(cora_, coop_, "finished"); }),
            (Field{Code::invalid_value, "/state"}));
  EXPECT_EQ(error_of([&] { list(cora_, 999'999, std::nullopt); }),
            (Field{Code::invalid_value, "/org_id"}));
}

TEST_P(MarketContractsTest, OnlyTheBuyersOfficersPropose) {
  EXPECT_EQ(error_of([&] { propose(ana_, carrot_contract()); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { propose(fred_, carrot_contract()); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { propose(otto_, carrot_contract()); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { propose(Actor{}, carrot_contract()); }).first, Code::unauthenticated);
  EXPECT_EQ(count("market_contracts"), 0);
}

TEST_P(MarketContractsTest, EveryRefusedInputNamesItsField) {
  const int64_t farm_account = account(farm_, "org", "operating");
  const int64_t usd_account = account(coop_, "org", "operating", "USD");
  int64_t ana_account = 0;
  db_->read([&](store::Tx& tx) {
    ana_account = tx.query("SELECT id FROM ledger_accounts WHERE person_id = $1", {ana_.person_id})
                      .one()
                      .i64(0);
  });
  auto refused = [&](const std::function<void(market::ContractInput&)>& change) {
    market::ContractInput in = carrot_contract();
    change(in);
    return error_of([&] { propose(cora_, in); });
  };
  using In = market::ContractInput;
  EXPECT_EQ(refused([](In& in) { in.buyer_org_id = 999'999; }),
            (Field{Code::invalid_value, "/buyer_org_id"}));
  EXPECT_EQ(refused([](In& in) { in.producer_org_id = 999'999; }),
            (Field{Code::invalid_value, "/producer_org_id"}));
  EXPECT_EQ(refused([&](In& in) { in.producer_org_id = coop_; }),
            (Field{Code::invalid_value, "/producer_org_id"}));
  EXPECT_EQ(refused([](In& in) { in.name = ""; }), (Field{Code::out_of_range, "/name"}));
  EXPECT_EQ(refused([](In& in) { in.name = std::string(201, 'x'); }),
            (Field{Code::out_of_range, "/name"}));
  EXPECT_EQ(refused([](In& in) { in.starts_on = "2027-13-01"; }),
            (Field{Code::invalid_value, "/starts_on"}));
  EXPECT_EQ(refused([](In& in) { in.ends_on = "2027-02-30"; }),
            (Field{Code::invalid_value, "/ends_on"}));
  EXPECT_EQ(refused([](In& in) { in.ends_on = "31/12/2027"; }),
            (Field{Code::invalid_value, "/ends_on"}));
  EXPECT_EQ(refused([](In& in) { in.ends_on = in.starts_on; }),
            (Field{Code::invalid_value, "/ends_on"}));
  EXPECT_EQ(refused([](In& in) { in.ends_on = "2037-01-02"; }),
            (Field{Code::out_of_range, "/ends_on"}));
  EXPECT_EQ(refused([](In& in) { in.account_id = 999'999; }),
            (Field{Code::invalid_value, "/account_id"}));
  EXPECT_EQ(refused([&](In& in) { in.account_id = farm_account; }),
            (Field{Code::invalid_value, "/account_id"}));
  EXPECT_EQ(refused([&](In& in) { in.account_id = ana_account; }),
            (Field{Code::invalid_value, "/account_id"}));
  EXPECT_EQ(refused([](In& in) { in.repay_bps = 10'001; }),
            (Field{Code::out_of_range, "/repay_bps"}));
  EXPECT_EQ(refused([](In& in) { in.repay_bps = -1; }), (Field{Code::out_of_range, "/repay_bps"}));
  EXPECT_EQ(refused([](In& in) { in.terms = std::string(5001, 'x'); }),
            (Field{Code::out_of_range, "/terms"}));
  EXPECT_EQ(refused([](In& in) { in.lines.clear(); }), (Field{Code::out_of_range, "/lines"}));
  EXPECT_EQ(refused([&](In& in) {
              in.lines.assign(market::kMaxContractLines + 1,
                              market::ContractLineInput{.variant_id = carrots_});
            }),
            (Field{Code::out_of_range, "/lines"}));
  EXPECT_EQ(refused([](In& in) { in.lines[0].variant_id = 999'999; }),
            (Field{Code::invalid_value, "/lines/0/variant_id"}));
  EXPECT_EQ(refused([&](In& in) { in.lines.push_back({.variant_id = milk_}); }),
            (Field{Code::invalid_value, "/lines/1/variant_id"}));
  EXPECT_EQ(refused([&](In& in) { in.lines.push_back({.variant_id = carrots_}); }),
            (Field{Code::invalid_value, "/lines/1/variant_id"}));
  EXPECT_EQ(refused([&](In& in) { in.lines[0].variant_id = dollars_; }),
            (Field{Code::invalid_value, "/lines/0/variant_id"}));
  EXPECT_EQ(refused([&](In& in) { in.account_id = usd_account; }),
            (Field{Code::invalid_value, "/lines/0/variant_id"}));
  EXPECT_EQ(refused([](In& in) { in.lines[0].floor_price = -1; }),
            (Field{Code::out_of_range, "/lines/0/floor_price"}));
  EXPECT_EQ(refused([](In& in) { in.lines[0].floor_price = market::kMaxPrice + 1; }),
            (Field{Code::out_of_range, "/lines/0/floor_price"}));
  EXPECT_EQ(refused([](In& in) { in.lines[0].committed_units = 1'000'000'001; }),
            (Field{Code::out_of_range, "/lines/0/committed_units"}));
  EXPECT_EQ(count("market_contracts"), 0);

  // Ten years to the day is the longest term; a contract in dollars is
  // fine with a dollar account and dollar variants.
  In ten = carrot_contract();
  ten.ends_on = "2037-01-01";
  EXPECT_EQ(propose(cora_, ten)["ends_on"], "2037-01-01");
  In usd = carrot_contract();
  usd.account_id = usd_account;
  usd.lines = {{.variant_id = dollars_, .floor_price = 150}};
  EXPECT_EQ(propose(cora_, usd)["currency"], "USD");
}

TEST_P(MarketContractsTest, AcceptingAnOverlappingContractOfTheSameBuyerIsAConflict) {
  const int64_t first = active_contract(0, carrot_contract());
  // The same variant in an overlapping term (only one day in common).
  market::ContractInput overlap = carrot_contract();
  overlap.starts_on = "2027-12-31";
  overlap.ends_on = "2028-06-30";
  overlap.lines.push_back({.variant_id = beans_, .floor_price = 250});
  const int64_t second = propose(cora_, overlap)["id"];
  EXPECT_EQ(error_of([&] { accept(fred_, second); }).first, Code::conflict);
  EXPECT_EQ(get(fred_, second)["state"], "proposed");

  // Once the first has ended, it no longer blocks.
  run(cora_, &market::end_contract, first);
  EXPECT_EQ(accept(fred_, second)["state"], "active");

  // A later term, another variant or another buyer do not conflict.
  market::ContractInput later = carrot_contract();
  later.starts_on = "2028-07-01";
  later.ends_on = "2029-06-30";
  EXPECT_EQ(accept(fred_, propose(cora_, later)["id"])["state"], "active");
  market::ContractInput milk{.buyer_org_id = coop_,
                             .producer_org_id = dairy_,
                             .name = "Milk",
                             .starts_on = "2027-01-01",
                             .ends_on = "2028-12-31",
                             .account_id = fund_,
                             .lines = {{.variant_id = milk_, .floor_price = 90}}};
  EXPECT_EQ(accept(dora_, propose(cora_, milk)["id"])["state"], "active");
  market::ContractInput theirs = overlap;
  theirs.buyer_org_id = other_;
  theirs.account_id = account(other_, "fund", "solidarity");
  EXPECT_EQ(accept(fred_, propose(otto_, theirs)["id"])["state"], "active");
}

TEST_P(MarketContractsTest, AContractWhoseTermIsOverCannotBeAccepted) {
  market::ContractInput past = carrot_contract();
  past.starts_on = "2026-01-01";
  past.ends_on = "2026-12-31";
  const int64_t id = propose(cora_, past)["id"];
  EXPECT_EQ(error_of([&] { accept(fred_, id); }).first, Code::invalid_state);
}

// ---- advances

TEST_P(MarketContractsTest, AdvancesArePaidOnceByKey) {
  const int64_t id = propose(cora_, carrot_contract())["id"];
  EXPECT_EQ(error_of([&] { advance(tess_, id, "adv-1", 1000); }).first, Code::invalid_state);
  accept(fred_, id);
  EXPECT_EQ(error_of([&] { advance(fred_, id, "adv-1", 1000); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { advance(ana_, id, "adv-1", 1000); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { advance(tess_, id, "adv-1", 0); }),
            (Field{Code::out_of_range, "/amount"}));
  EXPECT_EQ(error_of([&] { advance(tess_, id, "sys:adv", 1000); }),
            (Field{Code::invalid_value, "/key"}));
  EXPECT_EQ(error_of([&] { advance(tess_, id, "", 1000); }), (Field{Code::out_of_range, "/key"}));
  EXPECT_EQ(error_of([&] {
              write(tess_, [&](store::Tx& tx, const Ctx& ctx) {
                return market::pay_advance(
                    tx, ctx, id, {.key = "adv-1", .amount = 1, .memo = std::string(201, 'x')});
              });
            }),
            (Field{Code::out_of_range, "/memo"}));

  Json c = advance(tess_, id, "adv-1", 1000);
  EXPECT_EQ(c["balance"]["advanced"], 1000);
  EXPECT_EQ(c["balance"]["outstanding"], 1000);
  EXPECT_EQ(balance(fund_), 9000);
  EXPECT_EQ(operating(farm_), 1000);
  // The same key and body again: answered as before, nothing paid twice.
  EXPECT_EQ(advance(tess_, id, "adv-1", 1000)["balance"]["advanced"], 1000);
  EXPECT_EQ(balance(fund_), 9000);
  // The same key for another amount is refused.
  EXPECT_EQ(error_of([&] { advance(tess_, id, "adv-1", 2000); }), (Field{Code::conflict, "/key"}));
  // More than the fund holds is refused by the ledger.
  EXPECT_EQ(error_of([&] { advance(tess_, id, "adv-2", 9001); }).first, Code::rule_violation);

  Json es = entries(id);
  ASSERT_EQ(es["items"].size(), 1u);
  const Json& e = es["items"][0];
  EXPECT_EQ(e["kind"], "advance");
  EXPECT_EQ(e["amount"], 1000);
  EXPECT_TRUE(e["cycle_id"].is_null());
  const Moved m = transfer(e["transfer_id"]);
  EXPECT_EQ(m.code, "market_advance");
  EXPECT_EQ(m.debit, fund_);
  EXPECT_EQ(m.credit, account(farm_, "org", "operating"));
  EXPECT_EQ(m.amount, 1000);

  // A retry after the contract ended still answers; a new advance does not.
  run(fred_, &market::end_contract, id);
  EXPECT_EQ(advance(tess_, id, "adv-1", 1000)["state"], "ended");
  EXPECT_EQ(error_of([&] { advance(tess_, id, "adv-3", 10); }).first, Code::invalid_state);
  EXPECT_EQ(entries(id)["items"].size(), 1u);
  EXPECT_TRUE(ledger_ok());
}

// ---- settlement

TEST_P(MarketContractsTest, SettlementTopsUpTheFloorAndKeepsBackARepayment) {
  const int64_t id = active_contract(1000, carrot_contract());
  EXPECT_EQ(balance(fund_), 9000);
  EXPECT_EQ(operating(farm_), 1000);

  // Carrots at 1.50 (below the 1.80 floor), 12 delivered; milk has no contract.
  const int64_t cycle = closed_cycle(cora_, coop_, {{carrots_, 150, 12}, {milk_, 100, 12}});
  Json s = settle(cora_, cycle);
  // The settlement reports the producers' gross amounts.
  ASSERT_EQ(s["producers"].size(), 2u);
  EXPECT_EQ(s["producers"][0]["org_id"], farm_);
  EXPECT_EQ(s["producers"][0]["amount"], 1800);

  // 12 × 1.50 = 18.00 delivered: a quarter, 4.50, repays the advance; the
  // floor adds 12 × 0.30 = 3.60 from the fund.
  EXPECT_EQ(operating(farm_), 1000 + 1800 - 450 + 360);
  EXPECT_EQ(operating(dairy_), 1200);
  EXPECT_EQ(balance(fund_), 9000 + 450 - 360);
  EXPECT_EQ(clearing(coop_), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_TRUE(ledger_ok());

  Json c = get(fred_, id);
  EXPECT_EQ(c["balance"], (Json{{"advanced", 1000},
                                {"repaid", 450},
                                {"outstanding", 550},
                                {"floor_paid", 360},
                                {"delivered_units", 12},
                                {"delivered_amount", 1800}}));
  EXPECT_EQ(c["lines"][0]["delivered_units"], 12);
  EXPECT_EQ(c["lines"][0]["remaining_units"], 88);

  Json es = entries(id)["items"];
  ASSERT_EQ(es.size(), 4u);
  EXPECT_EQ(es[0]["kind"], "advance");
  EXPECT_EQ(es[1]["kind"], "delivery");
  EXPECT_EQ(es[1]["cycle_id"], cycle);
  EXPECT_EQ(es[1]["variant_id"], carrots_);
  EXPECT_EQ(es[1]["units"], 12);
  EXPECT_EQ(es[1]["amount"], 1800);
  EXPECT_TRUE(es[1]["transfer_id"].is_null());
  EXPECT_EQ(es[2]["kind"], "repayment");
  EXPECT_EQ(es[2]["amount"], 450);
  EXPECT_EQ(es[3]["kind"], "floor");
  EXPECT_EQ(es[3]["amount"], 360);
  EXPECT_EQ(es[3]["units"], 12);
  const int64_t batch = s["cycle"]["batch_id"];
  const Moved repay = transfer(es[2]["transfer_id"]);
  EXPECT_EQ(repay.code, "market_repayment");
  EXPECT_EQ(repay.credit, fund_);
  EXPECT_EQ(repay.amount, 450);
  EXPECT_EQ(repay.batch, batch);
  const Moved floor = transfer(es[3]["transfer_id"]);
  EXPECT_EQ(floor.code, "market_floor");
  EXPECT_EQ(floor.debit, fund_);
  EXPECT_EQ(floor.credit, account(farm_, "org", "operating"));
  EXPECT_EQ(floor.amount, 360);
  EXPECT_EQ(floor.batch, batch);
  // The producer's statement shows the gross, what was kept back, the
  // top-up and the net.
  const std::string csv = read(cora_, [&](store::Tx& tx, const Ctx& ctx) {
    return Json(market::producer_statement(tx, ctx, cycle, farm_, market::ReportFormat::csv));
  });
  const std::string n = std::to_string(id);
  EXPECT_NE(csv.find("Kept back to repay contract " + n + ",,,,,,,,-4.50," +
                     std::to_string(es[2]["transfer_id"].get<int64_t>())),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("Floor top-up from contract " + n + ",,,,,,,,3.60,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("Net to the producer,,,,,,,,17.10,"), std::string::npos) << csv;

  // A second cycle at 2.00, above the floor: no top-up; a quarter of
  // 12 × 2.00 is 6.00, capped at the 5.50 still owed.
  const int64_t again = closed_cycle(cora_, coop_, {{carrots_, 200, 12}});
  settle(cora_, again);
  c = get(fred_, id);
  EXPECT_EQ(c["balance"]["repaid"], 1000);
  EXPECT_EQ(c["balance"]["outstanding"], 0);
  EXPECT_EQ(c["balance"]["floor_paid"], 360);
  EXPECT_EQ(c["balance"]["delivered_units"], 24);
  EXPECT_EQ(c["balance"]["delivered_amount"], 1800 + 2400);
  EXPECT_EQ(c["lines"][0]["remaining_units"], 76);
  EXPECT_EQ(operating(farm_), 1000 + 1800 - 450 + 360 + 2400 - 550);
  EXPECT_EQ(balance(fund_), 9000 + 450 - 360 + 550);

  // Nothing outstanding: the third delivery is paid in full.
  const int64_t third = closed_cycle(cora_, coop_, {{carrots_, 200, 6}});
  settle(cora_, third);
  EXPECT_EQ(get(fred_, id)["balance"]["repaid"], 1000);
  EXPECT_EQ(operating(farm_), 1000 + 1800 - 450 + 360 + 2400 - 550 + 1200);
  EXPECT_EQ(entries(id)["items"].size(), 4u + 2u + 1u);
  EXPECT_EQ(clearing(coop_), std::make_pair(int64_t{0}, int64_t{0}));
  EXPECT_TRUE(ledger_ok());
}

TEST_P(MarketContractsTest, ARepaymentIsCappedByWhatIsOutstanding) {
  market::ContractInput in = carrot_contract();
  in.repay_bps = 10'000;  // every cent of a delivery, until the advance is repaid
  in.lines[0].floor_price = 0;
  const int64_t id = active_contract(100, in);
  settle(cora_, closed_cycle(cora_, coop_, {{carrots_, 200, 6}}));
  Json c = get(fred_, id);
  EXPECT_EQ(c["balance"]["repaid"], 100);
  EXPECT_EQ(c["balance"]["outstanding"], 0);
  EXPECT_EQ(c["balance"]["floor_paid"], 0);
  EXPECT_EQ(operating(farm_), 100 + 1200 - 100);
  EXPECT_EQ(balance(fund_), 10'000);
  EXPECT_TRUE(ledger_ok());
}

TEST_P(MarketContractsTest, ContractsApplyOnlyInTheirTermForTheirBuyerWhileActive) {
  // Next year's contract, another co-op's, and an ended one: none applies.
  market::ContractInput next = carrot_contract();
  next.starts_on = "2028-01-01";
  next.ends_on = "2028-12-31";
  const int64_t later = active_contract(0, next);
  market::ContractInput theirs = carrot_contract();
  theirs.buyer_org_id = other_;
  theirs.account_id = account(other_, "fund", "solidarity");
  fill(theirs.account_id, 5000, "fund-other");
  const int64_t other = propose(otto_, theirs)["id"];
  accept(fred_, other);
  market::ContractInput beans = carrot_contract();
  beans.lines = {{.variant_id = beans_, .floor_price = 500}};
  const int64_t ended = active_contract(0, beans);
  run(cora_, &market::end_contract, ended);
  const int64_t proposed = propose(cora_, carrot_contract())["id"];

  settle(cora_, closed_cycle(cora_, coop_, {{carrots_, 150, 6}, {beans_, 300, 1}}));
  EXPECT_EQ(operating(farm_), 6 * 150 + 300);
  EXPECT_EQ(balance(fund_), 10'000);
  for (int64_t id : {later, other, ended, proposed}) {
    EXPECT_EQ(entries(id)["items"].size(), 0u) << "contract " << id;
  }
  EXPECT_TRUE(ledger_ok());

  // The contract in its term applies from its first day (the clock's date).
  clock_.advance_us(365 * kDayUs);  // 2028-01-15
  settle(cora_, closed_cycle(cora_, coop_, {{carrots_, 150, 6}}));
  EXPECT_EQ(get(fred_, later)["balance"]["floor_paid"], 6 * 30);
  EXPECT_EQ(entries(other)["items"].size(), 0u);
}

TEST_P(MarketContractsTest, AFloorTheAccountCannotCoverLeavesNothingWritten) {
  // A fund of 1.00 cannot top up 6 × 0.30 = 1.80.
  market::ContractInput in = carrot_contract();
  in.account_id = account(coop_, "fund", "education");
  fill(in.account_id, 100, "fund-education");
  const int64_t id = active_contract(0, in);
  const int64_t cycle = closed_cycle(cora_, coop_, {{carrots_, 150, 6}});
  const int64_t transfers = count("ledger_transfers");
  const int64_t spends = count("member_spend");

  EXPECT_EQ(error_of([&] { settle(cora_, cycle); }).first, Code::rule_violation);
  EXPECT_EQ(count("ledger_transfers"), transfers);
  EXPECT_EQ(count("member_spend"), spends);
  EXPECT_EQ(count("market_contract_entries"), 0);
  EXPECT_EQ(operating(farm_), 0);
  EXPECT_EQ(balance(in.account_id), 100);
  EXPECT_EQ(clearing(coop_), std::make_pair(int64_t{0}, int64_t{900}));  // the hold, still pending
  Json after =
      read(cora_, [&](store::Tx& tx, const Ctx& ctx) { return market::get_cycle(tx, ctx, cycle); });
  EXPECT_EQ(after["state"], "closed");
  EXPECT_TRUE(ledger_ok());

  // Once the fund can cover it, the same settlement goes through.
  fill(in.account_id, 80, "fund-education-2");
  settle(cora_, cycle);
  EXPECT_EQ(balance(in.account_id), 0);
  EXPECT_EQ(operating(farm_), 900 + 180);
  EXPECT_EQ(get(fred_, id)["balance"]["floor_paid"], 180);
  EXPECT_TRUE(ledger_ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketContractsTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
