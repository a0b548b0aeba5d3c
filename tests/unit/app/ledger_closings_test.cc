// Surplus rules, worked hours, year-end closings and purchase bonuses
// (app/ledger.h) on every engine under test: the preview is what the commit
// posts, lines sum to the surplus, the levy reaches the parent federation,
// share_capital_first pays subscriptions through the registry, worker co-ops
// share by hours, and a period closes once.

#include <gtest/gtest.h>

#include <functional>

#include "app/governance.h"
#include "app/ledger.h"
#include "app/registry.h"
#include "app/repo/registry_repo.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using namespace agora::app::ledger;

using test_app::error_of;

// 2026-06-15T00:00:00Z and 2025-06-15T00:00:00Z in microseconds.
constexpr Timestamp kMid2026{1781481600LL * 1000000};
constexpr Timestamp kMid2025{1749945600LL * 1000000};
// 2026-03-10T00:00:00Z
constexpr Timestamp kMarch2026{1773100800LL * 1000000};

class LedgerClosingsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor{.account_id = 0, .person_id = 0, .admin = true, .address = "test"};
    national_ = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = org("consumer", "coop");
    ana_ = person("ana");
    bea_ = person("bea");
    coord_ = person("coord");
    grant(coord_, coop_, "coordinator");
    ana_m_ = join(ana_, coop_);
    bea_m_ = join(bea_, coop_);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  int64_t org(const std::string& kind, const std::string& slug) {
    int64_t id = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.parent_id = national_, .kind = kind, .name = slug, .slug = slug});
    })["id"];
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_class(tx, ctx, id,
                          ClassInput{.code = "user", .name = "User", .share_price_minor = 1000, .min_shares = 2});
    });
    return id;
  }

  Actor person(const std::string& name) { return test_app::signed_in_person(*db_, clock_.now(), name); }

  void grant(const Actor& a, int64_t org_id, const std::string& role) {
    test_app::grant_role(*db_, a.person_id, org_id, role);
  }

  // Applies for 2 shares (a waiting subscription of 2000) and is admitted.
  int64_t join(const Actor& a, int64_t org_id) {
    Json m = write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, org_id, ApplicationInput{.class_code = "user", .shares = 2});
    });
    write(coord_, [&](store::Tx& tx, const Ctx& ctx) { return admit_member(tx, ctx, m["id"]); });
    return m["id"];
  }

  void spend(int64_t org_id, const Actor& a, Timestamp at, int64_t amount) {
    db_->write([&](store::Tx& tx) { record_member_spend(tx, org_id, a.person_id, at, amount, "test"); });
  }

  // Money from outside into one of the org's own accounts.
  void fund(int64_t org_id, const std::string& kind, int64_t amount) {
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      int64_t bank = ensure_account(tx, ctx.now, org_id, "external", std::nullopt, "EUR", "bank");
      int64_t to = ensure_account(tx, ctx.now, org_id, "org", std::nullopt, "EUR", kind);
      TransferInput t{.key = "fund:" + std::to_string(org_id) + ":" + kind, .debit_account_id = bank,
                      .credit_account_id = to, .amount = amount};
      return apply_transfers(tx, ctx.now, 0, std::span<const TransferInput>(&t, 1))[0];
    });
  }

  // Balance of (org, holder, person, kind) in EUR; 0 when not opened.
  int64_t balance(int64_t org_id, const std::string& holder, std::optional<int64_t> person,
                  const std::string& kind) {
    int64_t b = 0;
    db_->read([&](store::Tx& tx) {
      auto rows = person ? tx.query("SELECT credits_posted - debits_posted FROM ledger_accounts WHERE org_id = $1 "
                                    "AND person_id = $2 AND kind = $3 AND currency = 'EUR'",
                                    {org_id, *person, kind})
                         : tx.query("SELECT credits_posted - debits_posted FROM ledger_accounts WHERE org_id = $1 "
                                    "AND person_id IS NULL AND holder = $2 AND kind = $3 AND currency = 'EUR'",
                                    {org_id, holder, kind});
      if (!rows.empty()) b = rows.rows[0].i64(0);
    });
    return b;
  }

  Json set_rules(int64_t org_id, Json rules) {
    return write(coord_, [=](store::Tx& tx, const Ctx& ctx) { return set_surplus_rules(tx, ctx, org_id, rules); });
  }
  Json preview(int64_t org_id, int year, std::optional<int64_t> surplus = std::nullopt) {
    return read(coord_, [=](store::Tx& tx, const Ctx& ctx) { return preview_closing(tx, ctx, org_id, year, surplus); });
  }
  Json commit(int64_t org_id, int year, std::optional<int64_t> surplus = std::nullopt) {
    return write(coord_, [=](store::Tx& tx, const Ctx& ctx) { return commit_closing(tx, ctx, org_id, year, surplus); });
  }
  static int64_t line_sum(const Json& lines) {
    int64_t s = 0;
    for (const auto& l : lines) s += l["amount"].get<int64_t>();
    return s;
  }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, ana_, bea_, coord_;
  int64_t national_ = 0, coop_ = 0, ana_m_ = 0, bea_m_ = 0;
};

TEST_P(LedgerClosingsTest, RulesDefaultValidatedAndStored) {
  Json d = read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return get_surplus_rules(tx, ctx, coop_); });
  EXPECT_EQ(d["legal_reserve_bp"], 0);
  EXPECT_EQ(d["refund"], "cash");
  EXPECT_EQ(error_of([&] { set_rules(coop_, {{"legal_reserve_bp", 20000}}); }),
            std::make_pair(Code::out_of_range, std::string("/legal_reserve_bp")));
  EXPECT_EQ(error_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return set_surplus_rules(tx, ctx, coop_, Json{{"legal_reserve_bp", 3000}});
              });
            }).first,
            Code::forbidden);
  Json set = set_rules(coop_, {{"legal_reserve_bp", 3000}, {"refund", "share_capital_first"}});
  EXPECT_EQ(set["legal_reserve_bp"], 3000);
  Json got = read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return get_surplus_rules(tx, ctx, coop_); });
  EXPECT_EQ(got, set);
  EXPECT_EQ(got["refund"], "share_capital_first");
}

TEST_P(LedgerClosingsTest, ConsumerClosingPostsExactlyThePreview) {
  set_rules(coop_, {{"legal_reserve_bp", 3000}, {"education_bp", 500}, {"federation_levy_bp", 300}});
  spend(coop_, ana_, kMid2026, 30000);
  spend(coop_, bea_, kMid2026, 10000);
  spend(coop_, bea_, kMid2025, 50000);  // another year: not counted
  fund(coop_, "surplus", 100001);

  EXPECT_EQ(error_of([&] { preview(coop_, 2026, 100002); }),
            std::make_pair(Code::rule_violation, std::string("/surplus")));
  EXPECT_EQ(error_of([&] {
              read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return preview_closing(tx, ctx, coop_, 2026, std::nullopt); });
            }).first,
            Code::forbidden);

  Json p = preview(coop_, 2026);
  EXPECT_EQ(p["surplus"], 100001);
  EXPECT_EQ(line_sum(p["lines"]), 100001);
  EXPECT_EQ(p["reserves_total"].get<int64_t>() + p["members_total"].get<int64_t>() +
                p["interest_total"].get<int64_t>(),
            100001);
  // Nothing was written by the preview.
  EXPECT_EQ(balance(coop_, "reserve", std::nullopt, "legal"), 0);

  Json c = commit(coop_, 2026);
  ASSERT_TRUE(c["id"].is_number_integer());
  EXPECT_EQ(c["lines"], p["lines"]);
  EXPECT_EQ(c["parts"], p["parts"]);
  EXPECT_EQ(balance(coop_, "org", std::nullopt, "surplus"), 0);

  // Every line landed where the preview said.
  int64_t legal = 0, education = 0, levy = 0, ana = 0, bea = 0;
  for (const auto& l : p["lines"]) {
    std::string part = l["part"];
    int64_t a = l["amount"];
    if (part == "legal_reserve") legal += a;
    if (part == "education") education += a;
    if (part == "federation_levy") levy += a;
    if (part == "refund" && l["person_id"] == ana_.person_id) ana += a;
    if (part == "refund" && l["person_id"] == bea_.person_id) bea += a;
    if (part == "refund") {
      EXPECT_EQ(l["disposition"], "cash");
    }
  }
  EXPECT_EQ(legal, 30000);
  EXPECT_EQ(education, 5000);
  EXPECT_EQ(levy, 3000);
  EXPECT_EQ(ana + bea, 100001 - 38000);
  EXPECT_EQ(ana, 46501);  // 3/4 of 62001, the remainder to the larger one
  EXPECT_EQ(balance(coop_, "reserve", std::nullopt, "legal"), legal);
  EXPECT_EQ(balance(coop_, "fund", std::nullopt, "education"), education);
  EXPECT_EQ(balance(national_, "fund", std::nullopt, "mutual"), levy);
  EXPECT_EQ(balance(coop_, "member", ana_.person_id, "current"), ana);
  EXPECT_EQ(balance(coop_, "member", bea_.person_id, "current"), bea);

  // Closed once.
  EXPECT_EQ(error_of([&] { commit(coop_, 2026); }), std::make_pair(Code::duplicate, std::string("/year")));
  Json list = read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return list_closings(tx, ctx, coop_); });
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["period"], "2026");
  EXPECT_EQ(list["items"][0]["total"], 100001);
  Json one = read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return get_closing(tx, ctx, c["id"]); });
  ASSERT_EQ(one["lines"].size(), p["lines"].size());
  EXPECT_EQ(line_sum(one["lines"]), 100001);
  EXPECT_EQ(one["batch_id"], c["batch_id"]);
  Json check = read(admin_, [](store::Tx& tx, const Ctx&) { return check_ledger(tx); });
  EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
}

TEST_P(LedgerClosingsTest, ShareCapitalFirstPaysSubscriptions) {
  set_rules(coop_, {{"refund", "share_capital_first"}});
  spend(coop_, ana_, kMid2026, 3000);
  spend(coop_, bea_, kMid2026, 1000);
  fund(coop_, "surplus", 4000);
  Json p = preview(coop_, 2026);
  // Ana: 2000 completes her subscription, 1000 in cash; Bea: 1000 towards hers.
  ASSERT_EQ(p["lines"].size(), 3u);
  EXPECT_EQ(p["lines"][0]["disposition"], "share_capital");
  EXPECT_EQ(p["lines"][0]["amount"], 2000);
  EXPECT_EQ(p["lines"][1]["disposition"], "cash");
  EXPECT_EQ(p["lines"][1]["amount"], 1000);
  EXPECT_EQ(p["lines"][2]["person_id"], bea_.person_id);
  EXPECT_EQ(p["lines"][2]["disposition"], "share_capital");
  commit(coop_, 2026);

  EXPECT_EQ(balance(coop_, "org", std::nullopt, "share_capital"), 3000);
  EXPECT_EQ(balance(coop_, "member", ana_.person_id, "current"), 1000);
  Json ana = read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return membership_shares(tx, ctx, ana_m_); });
  EXPECT_EQ(ana["shares"], 2);
  EXPECT_EQ(ana["paid_minor"], 2000);
  ASSERT_EQ(ana["register"].size(), 1u);
  EXPECT_EQ(ana["register"][0]["kind"], "subscribe");
  EXPECT_EQ(ana["subscriptions"][0]["state"], "paid");
  Json bea = read(bea_, [&](store::Tx& tx, const Ctx& ctx) { return membership_shares(tx, ctx, bea_m_); });
  EXPECT_EQ(bea["shares"], 0);
  EXPECT_EQ(bea["subscriptions"][0]["state"], "waiting");
  EXPECT_EQ(bea["subscriptions"][0]["paid_minor"], 1000);
}

TEST_P(LedgerClosingsTest, WorkerCoopSharesByHoursIntoCapitalAccounts) {
  int64_t works = org("worker", "works");
  grant(coord_, works, "coordinator");
  join(ana_, works);
  join(bea_, works);
  set_rules(works, {{"basis", "hours"}, {"refund", "capital_account"}, {"legal_reserve_bp", 2000}});
  auto hours = [&](const Actor& a, const std::string& day, int64_t h, int64_t index) {
    return write(coord_, [=](store::Tx& tx, const Ctx& ctx) {
      return record_hours(tx, ctx, works, HoursInput{.person_id = a.person_id, .day = day, .hours_milli = h,
                                                     .pay_index_milli = index});
    });
  };
  hours(ana_, "2026-02-02", 8000, 1000);
  hours(ana_, "2026-02-03", 8000, 1000);
  hours(bea_, "2026-02-02", 8000, 1500);
  hours(bea_, "2025-12-31", 8000, 1500);  // last year
  Actor eve = person("eve");
  EXPECT_EQ(error_of([&] { hours(eve, "2026-02-02", 8000, 1000); }),
            std::make_pair(Code::invalid_value, std::string("/person_id")));
  EXPECT_EQ(error_of([&] { hours(ana_, "2026-02-30", 8000, 1000); }),
            std::make_pair(Code::invalid_value, std::string("/day")));
  EXPECT_EQ(error_of([&] { hours(ana_, "2026-02-02", 24001, 1000); }),
            std::make_pair(Code::out_of_range, std::string("/hours_milli")));
  EXPECT_EQ(error_of([&] { hours(ana_, "2026-02-02", 8000, 0); }),
            std::make_pair(Code::out_of_range, std::string("/pay_index_milli")));

  fund(works, "surplus", 35001);
  Json p = preview(works, 2026);
  // 20% legal reserve; 28001 by hours x index: Ana 16000, Bea 12000.
  EXPECT_EQ(p["members_total"], 28001);
  int64_t ana = 0, bea = 0;
  for (const auto& l : p["lines"]) {
    if (l["person_id"] == ana_.person_id) {
      ana += l["amount"].get<int64_t>();
      EXPECT_EQ(l["basis"], 16000);
      EXPECT_EQ(l["disposition"], "capital_account");
    }
    if (l["person_id"] == bea_.person_id) bea += l["amount"].get<int64_t>();
  }
  EXPECT_EQ(ana, 16001);
  EXPECT_EQ(bea, 12000);
  commit(works, 2026);
  EXPECT_EQ(balance(works, "member", ana_.person_id, "capital"), 16001);
  EXPECT_EQ(balance(works, "member", bea_.person_id, "capital"), 12000);
  EXPECT_EQ(balance(works, "reserve", std::nullopt, "legal"), 7000);
}

TEST_P(LedgerClosingsTest, InterestOnCapitalComesFirstAndGoesAsRefundsDo) {
  set_rules(coop_, {{"capital_interest_bp", 500}, {"refund", "capital_account"}});
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    int64_t bank = ensure_account(tx, ctx.now, coop_, "external", std::nullopt, "EUR", "bank");
    int64_t capital = ensure_account(tx, ctx.now, coop_, "member", ana_.person_id, "EUR", "capital");
    TransferInput t{.key = "capital:ana", .debit_account_id = bank, .credit_account_id = capital,
                    .amount = 100000};
    return apply_transfers(tx, ctx.now, 0, std::span<const TransferInput>(&t, 1))[0];
  });
  spend(coop_, ana_, kMid2026, 1000);
  spend(coop_, bea_, kMid2026, 1000);
  fund(coop_, "surplus", 10000);
  Json p = preview(coop_, 2026);
  EXPECT_EQ(p["interest_total"], 5000);
  EXPECT_EQ(p["members_total"], 5000);
  ASSERT_EQ(p["lines"].size(), 3u);
  EXPECT_EQ(p["lines"][0]["part"], "interest");
  EXPECT_EQ(p["lines"][0]["basis"], 100000);
  EXPECT_EQ(p["lines"][0]["disposition"], "capital_account");
  commit(coop_, 2026);
  EXPECT_EQ(balance(coop_, "member", ana_.person_id, "capital"), 100000 + 5000 + 2500);
  EXPECT_EQ(balance(coop_, "member", bea_.person_id, "capital"), 2500);
}

TEST_P(LedgerClosingsTest, LevyWithoutParentIsRefused) {
  grant(coord_, national_, "coordinator");
  set_rules(national_, {{"federation_levy_bp", 300}});
  EXPECT_EQ(error_of([&] { preview(national_, 2026); }).first, Code::rule_violation);
}

TEST_P(LedgerClosingsTest, BonusMonth) {
  set_rules(coop_, {{"bonus_steps", Json::array({{{"from_minor", 5000}, {"rate_bp", 100}},
                                                 {{"from_minor", 10000}, {"rate_bp", 150}},
                                                 {{"from_minor", 90000}, {"rate_bp", 500}}})},
                    {"bonus_refund", "cash"}});
  spend(coop_, ana_, kMarch2026, 95000);
  spend(coop_, bea_, kMarch2026, 4000);   // below the first step
  spend(coop_, bea_, kMid2026, 50000);    // another month
  fund(coop_, "operating", 10000);
  Json p = read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return preview_bonus(tx, ctx, coop_, "2026-03"); });
  EXPECT_EQ(p["period"], "2026-03");
  EXPECT_EQ(p["total"], 4750);
  ASSERT_EQ(p["lines"].size(), 1u);
  EXPECT_EQ(p["lines"][0]["basis"], 95000);
  EXPECT_EQ(p["lines"][0]["disposition"], "cash");
  auto commit_march = [&] {
    return write(coord_, [&](store::Tx& tx, const Ctx& ctx) { return commit_bonus(tx, ctx, coop_, "2026-03"); });
  };
  Json c = commit_march();
  EXPECT_EQ(c["lines"], p["lines"]);
  EXPECT_EQ(balance(coop_, "member", ana_.person_id, "current"), 4750);
  EXPECT_EQ(balance(coop_, "org", std::nullopt, "operating"), 5250);
  EXPECT_EQ(error_of([&] { commit_march(); }), std::make_pair(Code::duplicate, std::string("/month")));
  EXPECT_EQ(error_of([&] {
              read(coord_, [&](store::Tx& tx, const Ctx& ctx) { return preview_bonus(tx, ctx, coop_, "2026-13"); });
            }),
            std::make_pair(Code::invalid_value, std::string("/month")));
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerClosingsTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
