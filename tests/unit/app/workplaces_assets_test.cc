// Assets and ownership (app/workplaces.h) on every engine under test: an
// asset owned 51% / 49%, validation errors naming their fields, the asset
// lock (a reserved matter refused for every role without the owners' and the
// federation's passed decisions, and with only one side's, a decision on
// another subject or domain, a rejected or open one, one already used;
// carried out with both, or with one joint decision), and a stake buy-out
// over several installments moving stakes and money exactly, run by the
// scheduler's job only when due, an installment the buyer cannot pay left
// overdue while another buy-out proceeds, nothing half written on refusal.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/governance.h"
#include "app/ledger.h"
#include "app/registry.h"
#include "app/workplaces.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"
#include "workplaces/calendar.h"

namespace agora::app {
namespace {

using namespace agora::app::workplaces;
using test_app::error_of;
using Refusal = std::pair<Code, std::string>;

// Reserves every matter of the asset lock, each decided by the council
// jointly with the owning co-op's general meeting.
constexpr const char* kFederationRules = R"(name = "Valley Federation: rules"
reserved = ["asset.sale", "asset.use", "asset.encumbrance", "asset.statutes"]

[[body]]
key = "council"
kind = "council"
seats = 5

[[domain]]
key = "asset.sale"
bodies = ["council"]
joint_with = ["general_meeting"]

[[domain]]
key = "asset.use"
bodies = ["council"]
joint_with = ["general_meeting"]

[[domain]]
key = "asset.encumbrance"
bodies = ["council"]
joint_with = ["general_meeting"]

[[domain]]
key = "asset.statutes"
bodies = ["council"]
joint_with = ["general_meeting"]
)";

class WorkplacesAssetsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    fed_ = org(std::nullopt, "federation", "Valley Federation", "valley");
    coop_ = org(fed_, "producer", "Dairy Farmers", "dairy-farmers");
    province_ = org(std::nullopt, "secondary", "Province of Lugo", "lugo");
    workers_ = org(fed_, "worker", "Cheese Workers", "cheese-workers");
    other_ = org(fed_, "consumer", "Other Co-op", "other-coop");
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return found_constitution(tx, ctx, fed_, kFederationRules);
    });
    coord_ = person("coord");
    treasurer_ = person("treasurer");
    auditor_ = person("auditor");
    member_ = person("member");
    fed_coord_ = person("fedcoord");
    province_coord_ = person("provcoord");
    workers_coord_ = person("workcoord");
    stranger_ = person("stranger");
    test_app::grant_role(*db_, coord_.person_id, coop_, "coordinator");
    test_app::grant_role(*db_, treasurer_.person_id, coop_, "treasurer");
    test_app::grant_role(*db_, auditor_.person_id, coop_, "auditor");
    test_app::grant_role(*db_, fed_coord_.person_id, fed_, "coordinator");
    test_app::grant_role(*db_, province_coord_.person_id, province_, "coordinator");
    test_app::grant_role(*db_, workers_coord_.person_id, workers_, "coordinator");
    make_member(member_.person_id, coop_);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }
  Actor person(const std::string& name) {
    return test_app::signed_in_person(*db_, clock_.now(), name);
  }
  int64_t org(std::optional<int64_t> parent, const std::string& kind, const std::string& name,
              const std::string& slug) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_org(
          tx, ctx,
          OrgInput{
              .parent_id = parent, .kind = kind, .name = name, .slug = slug, .territory = "Lugo"});
    })["id"];
  }
  void make_member(int64_t person_id, int64_t org_id) {
    db_->write([&](store::Tx& tx) {
      int64_t cls = tx.insert(
          "INSERT INTO member_classes (org_id, code, name, share_price_minor, min_shares, "
          "created_at) VALUES ($1, 'farmer', 'Farmer', 100, 1, 0)",
          {org_id});
      tx.exec(
          "INSERT INTO memberships (org_id, person_id, class_id, status, member_number, "
          "requested_shares, applied_at, admitted_at) VALUES ($1, $2, $3, 'active', 1, 1, 0, 0)",
          {org_id, person_id, cls});
    });
  }

  // A decision row as governance leaves it (the vote itself is governance's).
  int64_t decision(int64_t org_id, const std::string& domain, const std::string& subject,
                   const std::string& status = "passed",
                   std::optional<int64_t> counterparty = std::nullopt) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO decisions (org_id, domain, subject, counterparty_org_id, status, "
          "created_at, decided_at) VALUES ($1, $2, $3, $4, $5, 0, 0)",
          {org_id, domain, subject,
           counterparty ? store::Value{*counterparty} : store::Value{nullptr}, status});
    });
    return id;
  }

  AssetInput dairy_plant() {
    return AssetInput{
        .kind = "workplace",
        .name = "Lugo dairy plant",
        .address = "Rúa do Leite 1, Lugo",
        .floor_area_m2 = 1200,
        .valuation = 250'000'000,
        .valued_on = "2026-01-01",
        .use_text = "Processing members' milk",
        .statutes = "Held for the region's dairy farmers",
        .stakes = {{.org_id = province_, .share_bps = 5100}, {.org_id = coop_, .share_bps = 4900}}};
  }
  int64_t create(const Actor& a, const AssetInput& in) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return create_asset(tx, ctx, in); })["id"];
  }
  Json asset(int64_t id) {
    return read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_asset(tx, ctx, id); });
  }
  Json reserved(const Actor& a, int64_t asset_id, const std::string& matter,
                std::vector<int64_t> ids, const std::string& detail = "A cheese dairy") {
    ReservedInput in{.matter = matter, .detail = detail, .decision_ids = std::move(ids)};
    if (matter == "encumbrance" || matter == "sale") in.amount = 1'000'000;
    return write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return carry_out_reserved(tx, ctx, asset_id, in);
    });
  }
  Json buyout(const Actor& a, int64_t asset_id, const BuyoutInput& in) {
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return create_buyout(tx, ctx, asset_id, in); });
  }
  int64_t run_due(const std::string& day, int64_t limit = 100) {
    clock_.set(agora::workplaces::start_of(agora::workplaces::parse_date(day)));
    return write(admin_,
                 [&](store::Tx& tx, const Ctx& ctx) {
                   return Json(run_due_installments(tx, ctx.now, limit));
                 })
        .get<int64_t>();
  }
  // Money into an org's operating account from its bank.
  void fund(int64_t org_id, int64_t amount) {
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      int64_t bank =
          ledger::ensure_account(tx, ctx.now, org_id, "external", std::nullopt, "EUR", "bank");
      int64_t op =
          ledger::ensure_account(tx, ctx.now, org_id, "org", std::nullopt, "EUR", "operating");
      ledger::TransferInput t{
          .key = "fund-" + std::to_string(org_id) + "-" + std::to_string(++funded_),
          .debit_account_id = bank,
          .credit_account_id = op,
          .amount = amount};
      ledger::apply_transfers(tx, ctx.now, 0, std::span<const ledger::TransferInput>(&t, 1));
      return Json();
    });
  }
  int64_t operating_balance(int64_t org_id) {
    int64_t b = 0;
    db_->read([&](store::Tx& tx) {
      auto r = tx.query(
          "SELECT credits_posted - debits_posted FROM ledger_accounts WHERE org_id = $1 AND "
          "holder = 'org' AND kind = 'operating'",
          {org_id});
      b = r.empty() ? 0 : r.one().i64(0);
    });
    return b;
  }
  int64_t count(const std::string& table) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query("SELECT COUNT(*) FROM " + table).one().i64(0); });
    return n;
  }
  static std::map<int64_t, int64_t> stakes(const Json& a) {
    std::map<int64_t, int64_t> out;
    for (const auto& s : a["stakes"])
      out[s["org_id"].get<int64_t>()] = s["share_bps"].get<int64_t>();
    return out;
  }

  ManualClock clock_{agora::workplaces::start_of(agora::workplaces::Date{2026, 1, 10})};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, coord_, treasurer_, auditor_, member_, fed_coord_, province_coord_, workers_coord_,
      stranger_;
  int64_t fed_ = 0, coop_ = 0, province_ = 0, workers_ = 0, other_ = 0;
  int funded_ = 0;
};

TEST_P(WorkplacesAssetsTest, OwnedFiftyOneFortyNine) {
  int64_t id = create(coord_, dairy_plant());
  Json a = asset(id);
  EXPECT_EQ(a["status"], "active");
  EXPECT_EQ(a["currency"], "EUR");
  EXPECT_EQ(a["territory"], "Lugo");
  ASSERT_EQ(a["stakes"].size(), 2u);
  EXPECT_EQ(a["stakes"][0]["org_id"], province_);
  EXPECT_EQ(a["stakes"][0]["share_bps"], 5100);
  EXPECT_EQ(a["stakes"][1]["name"], "Dairy Farmers");
  EXPECT_EQ(a["stakes"][1]["share_bps"], 4900);
  // The co-op's federation reserves every matter; the province has none above it.
  ASSERT_EQ(a["reserved"].size(), 4u);
  EXPECT_EQ(a["reserved"][0]["matter"], "sale");
  EXPECT_EQ(a["reserved"][0]["domain"], "asset.sale");
  EXPECT_EQ(a["reserved"][0]["federation"]["org_id"], fed_);
  Json events = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return asset_events(tx, ctx, id, PageReq{}); });
  ASSERT_EQ(events["items"].size(), 1u);
  EXPECT_EQ(events["items"][0]["kind"], "created");
  // Both owners list it.
  for (int64_t o : {coop_, province_}) {
    Json list = read(
        Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return list_assets(tx, ctx, o, PageReq{}); });
    ASSERT_EQ(list["items"].size(), 1u);
    EXPECT_EQ(list["items"][0]["id"], id);
  }
  Json none = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return list_assets(tx, ctx, workers_, PageReq{});
  });
  EXPECT_TRUE(none["items"].empty());
}

TEST_P(WorkplacesAssetsTest, ValidationNamesTheField) {
  auto refused = [&](auto change) {
    AssetInput in = dairy_plant();
    change(in);
    return error_of([&] { create(coord_, in); });
  };
  EXPECT_EQ(refused([](AssetInput& in) { in.stakes[1].share_bps = 4899; }),
            (Refusal{Code::rule_violation, "/stakes"}));
  EXPECT_EQ(refused([&](AssetInput& in) { in.stakes[1].org_id = province_; }),
            (Refusal{Code::invalid_value, "/stakes/1/org_id"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.stakes[0].share_bps = 0; }),
            (Refusal{Code::out_of_range, "/stakes/0/share_bps"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.stakes[1].org_id = 999999; }),
            (Refusal{Code::not_found, "/stakes/1/org_id"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.stakes.clear(); }),
            (Refusal{Code::out_of_range, "/stakes"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.name = ""; }), (Refusal{Code::out_of_range, "/name"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.kind = "castle"; }),
            (Refusal{Code::invalid_value, "/kind"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.floor_area_m2 = -1; }),
            (Refusal{Code::out_of_range, "/floor_area_m2"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.valuation = kMaxAmount + 1; }),
            (Refusal{Code::out_of_range, "/valuation"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.valued_on = "2026-02-30"; }),
            (Refusal{Code::invalid_value, "/valued_on"}));
  EXPECT_EQ(refused([](AssetInput& in) { in.currency = "XXX"; }),
            (Refusal{Code::not_found, "/currency"}));
  // Who may create it: a coordinator of an owner.
  EXPECT_EQ(error_of([&] { create(Actor{}, dairy_plant()); }).first, Code::unauthenticated);
  EXPECT_EQ(error_of([&] { create(stranger_, dairy_plant()); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { create(treasurer_, dairy_plant()); }).first, Code::forbidden);
  EXPECT_EQ(count("assets"), 0);
  EXPECT_EQ(count("asset_stakes"), 0);
  EXPECT_GT(create(province_coord_, dairy_plant()), 0);
}

TEST_P(WorkplacesAssetsTest, AssetLockRefusedForEveryRoleWithoutBothDecisions) {
  int64_t id = create(coord_, dairy_plant());
  const std::string subject = "asset:" + std::to_string(id);
  int64_t coop_says = decision(coop_, "asset.use", subject);
  int64_t province_says = decision(province_, "asset.use", subject);
  int64_t fed_says = decision(fed_, "asset.use", subject);
  const Refusal missing{Code::rule_violation, "/decision_ids"};
  const int64_t events = count("asset_events");

  EXPECT_EQ(error_of([&] {
              reserved(Actor{}, id, "use", {coop_says, province_says, fed_says});
            }).first,
            Code::unauthenticated);
  for (const Actor* a :
       {&member_, &coord_, &treasurer_, &auditor_, &fed_coord_, &province_coord_, &admin_}) {
    // No decision at all.
    EXPECT_EQ(error_of([&] { reserved(*a, id, "use", {}); }), missing);
    // Only the owners'.
    EXPECT_EQ(error_of([&] { reserved(*a, id, "use", {coop_says, province_says}); }), missing);
    // Only the federation's.
    EXPECT_EQ(error_of([&] { reserved(*a, id, "use", {fed_says}); }), missing);
    // The federation's and one owner's.
    EXPECT_EQ(error_of([&] { reserved(*a, id, "use", {fed_says, coop_says}); }), missing);
  }
  // Each decision must be exactly the one the matter needs.
  auto bad = [&](int64_t d) {
    return error_of([&] { reserved(admin_, id, "use", {coop_says, province_says, d}); });
  };
  const Refusal third{Code::rule_violation, "/decision_ids/2"};
  EXPECT_EQ(bad(decision(fed_, "asset.use", "asset:999")), third);
  EXPECT_EQ(bad(decision(fed_, "asset.sale", subject)), third);
  EXPECT_EQ(bad(decision(fed_, "asset.use", subject, "rejected")), third);
  EXPECT_EQ(bad(decision(fed_, "asset.use", subject, "pending")), third);
  EXPECT_EQ(bad(decision(other_, "asset.use", subject)), third);
  EXPECT_EQ(bad(999999), third);
  EXPECT_EQ(error_of([&] {
              reserved(admin_, id, "use", {coop_says, coop_says});
            }),
            (Refusal{Code::invalid_value, "/decision_ids/1"}));
  // Nothing of a refused attempt was written.
  EXPECT_EQ(count("asset_events"), events);
  EXPECT_EQ(count("asset_decisions"), 0);
  EXPECT_EQ(asset(id)["use_text"], "Processing members' milk");

  // With both owners' and the federation's decisions anyone signed in carries it out.
  Json done = reserved(member_, id, "use", {province_says, fed_says, coop_says}, "A cheese dairy");
  EXPECT_EQ(done["use_text"], "A cheese dairy");
  Json ev = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return asset_events(tx, ctx, id, PageReq{}); });
  ASSERT_EQ(ev["items"].size(), 2u);
  EXPECT_EQ(ev["items"][1]["kind"], "use");
  EXPECT_EQ(ev["items"][1]["owner_decision_id"], province_says);
  EXPECT_EQ(ev["items"][1]["federation_decision_id"], fed_says);
  EXPECT_EQ(count("asset_decisions"), 3);

  // A decision serves once, the second owner's too.
  EXPECT_EQ(error_of([&] {
              reserved(admin_, id, "use", {province_says, fed_says, coop_says});
            }),
            (Refusal{Code::rule_violation, "/decision_ids/0"}));
  int64_t fresh_p = decision(province_, "asset.use", subject);
  int64_t fresh_f = decision(fed_, "asset.use", subject);
  EXPECT_EQ(error_of([&] {
              reserved(admin_, id, "use", {fresh_p, fresh_f, coop_says});
            }),
            (Refusal{Code::rule_violation, "/decision_ids/2"}));
}

TEST_P(WorkplacesAssetsTest, OneJointDecisionOfFederationAndOwner) {
  AssetInput in = dairy_plant();
  in.stakes = {{.org_id = coop_, .share_bps = 10000}};
  int64_t id = create(coord_, in);
  const std::string subject = "asset:" + std::to_string(id);
  // The federation's council with the co-op's general meeting as counterparty.
  int64_t joint = decision(fed_, "asset.statutes", subject, "passed", coop_);
  Json a = reserved(auditor_, id, "statutes", {joint}, "New statutes");
  EXPECT_EQ(a["statutes"], "New statutes");
  // An encumbrance needs its own decision and names its amount.
  EXPECT_EQ(error_of([&] {
              ReservedInput r{.matter = "encumbrance", .detail = "Mortgage", .decision_ids = {1}};
              write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
                return carry_out_reserved(tx, ctx, id, r);
              });
            }),
            (Refusal{Code::missing_field, "/amount"}));
  EXPECT_EQ(error_of([&] { reserved(admin_, id, "demolition", {joint}); }),
            (Refusal{Code::invalid_value, "/matter"}));
  int64_t charge = decision(fed_, "asset.encumbrance", subject, "passed", coop_);
  reserved(coord_, id, "encumbrance", {charge}, "Mortgage with the Credit Union");
  Json ev = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return asset_events(tx, ctx, id, PageReq{}); });
  ASSERT_EQ(ev["items"].size(), 3u);
  EXPECT_EQ(ev["items"][2]["kind"], "encumbrance");
  EXPECT_EQ(ev["items"][2]["amount"], 1'000'000);
  EXPECT_EQ(ev["items"][2]["owner_decision_id"], charge);
  EXPECT_EQ(ev["items"][2]["federation_decision_id"], charge);
}

TEST_P(WorkplacesAssetsTest, SaleEndsStakesAndBuyouts) {
  int64_t id = create(coord_, dairy_plant());
  const std::string subject = "asset:" + std::to_string(id);
  buyout(coord_, id,
         BuyoutInput{.seller_org_id = province_,
                     .buyer_org_id = coop_,
                     .share_bps = 1000,
                     .price_total = 100,
                     .installments = 2,
                     .period_months = 12,
                     .starts_on = "2026-06-01",
                     .decision_id = decision(province_, "asset.stake", subject)});
  Json sold = reserved(fed_coord_, id, "sale",
                       {decision(fed_, "asset.sale", subject, "passed", coop_),
                        decision(province_, "asset.sale", subject)},
                       "Sold to the regional dairy co-op");
  EXPECT_EQ(sold["status"], "sold");
  EXPECT_TRUE(sold["stakes"].empty());
  EXPECT_EQ(sold["buyouts"][0]["state"], "cancelled");
  EXPECT_TRUE(sold["buyouts"][0]["schedule"].empty());
  EXPECT_EQ(error_of([&] {
              reserved(admin_, id, "use", {decision(fed_, "asset.use", subject, "passed", coop_)});
            }).first,
            Code::invalid_state);
  EXPECT_EQ(run_due("2030-01-01"), 0);
}

TEST_P(WorkplacesAssetsTest, BuyoutOverSeveralInstallmentsMovesStakesAndMoneyExactly) {
  int64_t id = create(coord_, dairy_plant());
  const std::string subject = "asset:" + std::to_string(id);
  BuyoutInput in{.seller_org_id = province_,
                 .buyer_org_id = coop_,
                 .share_bps = 5100,
                 .price_total = 100'000'003,
                 .installments = 4,
                 .period_months = 12,
                 .starts_on = "2026-03-01",
                 .decision_id = 0};
  const int64_t buyouts = count("asset_buyouts");
  // Refusals write nothing.
  in.decision_id = decision(coop_, "asset.stake", subject);  // the buyer's, not the seller's
  EXPECT_EQ(error_of([&] { buyout(coord_, id, in); }),
            (Refusal{Code::rule_violation, "/decision_id"}));
  in.decision_id = decision(province_, "asset.stake", "asset:999");
  EXPECT_EQ(error_of([&] { buyout(coord_, id, in); }),
            (Refusal{Code::rule_violation, "/decision_id"}));
  in.decision_id = decision(province_, "asset.stake", subject, "pending");
  EXPECT_EQ(error_of([&] { buyout(coord_, id, in); }),
            (Refusal{Code::rule_violation, "/decision_id"}));
  in.decision_id = decision(province_, "asset.stake", subject);
  EXPECT_EQ(error_of([&] { buyout(province_coord_, id, in); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { buyout(Actor{}, id, in); }).first, Code::unauthenticated);
  {
    BuyoutInput too_much = in;
    too_much.share_bps = 5101;
    EXPECT_EQ(error_of([&] { buyout(coord_, id, too_much); }),
              (Refusal{Code::rule_violation, "/share_bps"}));
    BuyoutInput bad = in;
    bad.installments = 0;
    EXPECT_EQ(error_of([&] { buyout(coord_, id, bad); }),
              (Refusal{Code::out_of_range, "/installments"}));
    bad = in;
    bad.starts_on = "2026-13-01";
    EXPECT_EQ(error_of([&] { buyout(coord_, id, bad); }),
              (Refusal{Code::invalid_value, "/starts_on"}));
    bad = in;
    bad.seller_org_id = coop_;
    EXPECT_EQ(error_of([&] { buyout(coord_, id, bad); }),
              (Refusal{Code::invalid_value, "/buyer_org_id"}));
    bad = in;
    bad.seller_org_id = workers_;
    EXPECT_EQ(error_of([&] { buyout(coord_, id, bad); }),
              (Refusal{Code::rule_violation, "/seller_org_id"}));
  }
  EXPECT_EQ(count("asset_buyouts"), buyouts);
  EXPECT_EQ(count("asset_buyout_installments"), 0);

  // The buyer's treasurer sets it up.
  Json b = buyout(treasurer_, id, in);
  const int64_t buyout_id = b["id"];
  ASSERT_EQ(b["schedule"].size(), 4u);
  int64_t shares = 0, amounts = 0;
  for (const auto& i : b["schedule"]) {
    shares += i["share_bps"].get<int64_t>();
    amounts += i["amount"].get<int64_t>();
  }
  EXPECT_EQ(shares, 5100);
  EXPECT_EQ(amounts, 100'000'003);
  EXPECT_EQ(b["schedule"][3]["amount"], 25'000'003);
  EXPECT_EQ(b["schedule"][3]["due_on"], "2029-03-01");
  // The decision served once; the promised share is not free to sell again.
  EXPECT_EQ(error_of([&] { buyout(coord_, id, in); }),
            (Refusal{Code::rule_violation, "/decision_id"}));
  in.share_bps = 1;
  in.installments = 1;
  in.decision_id = decision(province_, "asset.stake", subject);
  EXPECT_EQ(error_of([&] { buyout(coord_, id, in); }),
            (Refusal{Code::rule_violation, "/share_bps"}));

  // Another buy-out, of another asset, whose buyer can pay: it proceeds
  // while this one waits.
  AssetInput shop = dairy_plant();
  shop.name = "Cheese shop";
  shop.stakes = {{.org_id = coop_, .share_bps = 10000}};
  int64_t shop_id = create(coord_, shop);
  Json other = buyout(workers_coord_, shop_id,
                      BuyoutInput{.seller_org_id = coop_,
                                  .buyer_org_id = workers_,
                                  .share_bps = 2000,
                                  .price_total = 3'000'000,
                                  .installments = 2,
                                  .period_months = 12,
                                  .starts_on = "2027-01-15",
                                  .decision_id = decision(coop_, "asset.stake",
                                                          "asset:" + std::to_string(shop_id))});
  fund(workers_, 3'000'000);

  // Not due yet.
  EXPECT_EQ(run_due("2026-02-28"), 0);
  fund(coop_, 30'000'000);
  EXPECT_EQ(run_due("2026-03-01"), 1);
  Json a = asset(id);
  EXPECT_EQ(stakes(a), (std::map<int64_t, int64_t>{{province_, 3825}, {coop_, 6175}}));
  EXPECT_EQ(operating_balance(province_), 25'000'000);
  EXPECT_EQ(operating_balance(coop_), 5'000'000);
  EXPECT_EQ(a["buyouts"][0]["done"], 1);
  EXPECT_EQ(a["buyouts"][0]["paid"], 25'000'000);
  EXPECT_EQ(run_due("2026-03-02"), 0);  // nothing more is due

  // A year on the co-op cannot pay: its installment stays overdue, the
  // workers' first installment goes through.
  EXPECT_EQ(run_due("2027-03-02"), 1);
  a = asset(id);
  EXPECT_EQ(a["buyouts"][0]["overdue"], 1);
  EXPECT_EQ(a["buyouts"][0]["done"], 1);
  EXPECT_EQ(stakes(a), (std::map<int64_t, int64_t>{{province_, 3825}, {coop_, 6175}}));
  EXPECT_EQ(operating_balance(coop_), 5'000'000 + 1'500'000);
  EXPECT_EQ(stakes(asset(shop_id)), (std::map<int64_t, int64_t>{{coop_, 9000}, {workers_, 1000}}));
  bool due = true;
  db_->read([&](store::Tx& tx) { due = any_installment_due(tx, clock_.now()); });
  EXPECT_TRUE(due);

  // Paid up later: the overdue one and every one since run, in order, and the
  // stake is whole.
  fund(coop_, 100'000'000);
  EXPECT_EQ(run_due("2029-03-01"), 4);  // three of the plant's, the shop's second
  a = asset(id);
  EXPECT_EQ(stakes(a), (std::map<int64_t, int64_t>{{coop_, 10000}}));
  EXPECT_EQ(a["buyouts"][0]["state"], "completed");
  EXPECT_EQ(a["buyouts"][0]["paid"], 100'000'003);
  EXPECT_EQ(a["buyouts"][0]["overdue"], 0);
  EXPECT_EQ(operating_balance(province_), 100'000'003);
  EXPECT_EQ(stakes(asset(shop_id)), (std::map<int64_t, int64_t>{{coop_, 8000}, {workers_, 2000}}));
  db_->read([&](store::Tx& tx) { due = any_installment_due(tx, clock_.now()); });
  EXPECT_FALSE(due);
  EXPECT_EQ(run_due("2040-01-01"), 0);

  Json ev = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return asset_events(tx, ctx, id, PageReq{}); });
  int64_t moved = 0, paid = 0;
  for (const auto& e : ev["items"]) {
    if (e["kind"] != "stake") continue;
    EXPECT_EQ(e["from_org_id"], province_);
    EXPECT_EQ(e["to_org_id"], coop_);
    EXPECT_TRUE(e["transfer_id"].is_number());
    moved += e["share_bps"].get<int64_t>();
    paid += e["amount"].get<int64_t>();
  }
  EXPECT_EQ(moved, 5100);
  EXPECT_EQ(paid, 100'000'003);
  Json check = write(admin_, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
  (void)other;
  (void)buyout_id;
}

TEST_P(WorkplacesAssetsTest, CancelDropsWhatIsLeft) {
  int64_t id = create(coord_, dairy_plant());
  Json b = buyout(coord_, id,
                  BuyoutInput{.seller_org_id = province_,
                              .buyer_org_id = coop_,
                              .share_bps = 300,
                              .price_total = 0,
                              .installments = 3,
                              .period_months = 1,
                              .starts_on = "2026-01-10",
                              .decision_id = decision(province_, "asset.stake",
                                                      "asset:" + std::to_string(id))});
  // A gift: no money moves, the stake does.
  EXPECT_EQ(run_due("2026-01-10"), 1);
  EXPECT_EQ(stakes(asset(id)), (std::map<int64_t, int64_t>{{province_, 5000}, {coop_, 5000}}));
  auto cancel = [&](const Actor& a) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return cancel_buyout(tx, ctx, b["id"].get<int64_t>());
    });
  };
  EXPECT_EQ(error_of([&] { cancel(stranger_); }).first, Code::forbidden);
  Json c = cancel(province_coord_);
  EXPECT_EQ(c["state"], "cancelled");
  EXPECT_EQ(c["schedule"].size(), 1u);
  EXPECT_EQ(error_of([&] { cancel(province_coord_); }).first, Code::invalid_state);
  EXPECT_EQ(run_due("2026-06-01"), 0);
}

TEST_P(WorkplacesAssetsTest, OwnersUpdateAndRevalue) {
  int64_t id = create(coord_, dairy_plant());
  auto update = [&](const Actor& a, const AssetPatch& p) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return update_asset(tx, ctx, id, p); });
  };
  EXPECT_EQ(error_of([&] { update(stranger_, AssetPatch{.name = "Mine"}); }).first,
            Code::forbidden);
  EXPECT_EQ(error_of([&] { update(coord_, AssetPatch{.valuation = -5}); }),
            (Refusal{Code::out_of_range, "/valuation"}));
  Json a = update(province_coord_, AssetPatch{.valued_on = "2026-06-30", .valuation = 260'000'000});
  EXPECT_EQ(a["valuation"], 260'000'000);
  EXPECT_EQ(a["valued_on"], "2026-06-30");
  Json ev = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return asset_events(tx, ctx, id, PageReq{}); });
  ASSERT_EQ(ev["items"].size(), 2u);
  EXPECT_EQ(ev["items"][1]["kind"], "valuation");
  EXPECT_EQ(ev["items"][1]["amount"], 260'000'000);
}

INSTANTIATE_TEST_SUITE_P(Engines, WorkplacesAssetsTest,
                         ::testing::ValuesIn(test_db::test_engines()), test_db::engine_name);

}  // namespace
}  // namespace agora::app
