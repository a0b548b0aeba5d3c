// The registry's use cases (app/registry.h) on every engine under test:
// nesting, the membership lifecycle, member numbers, share capital (and its
// money in the ledger: instalments bank -> share_capital, sell-backs back),
// privacy of member data, and that a refused command writes nothing.

#include "app/registry.h"

#include <gtest/gtest.h>

#include <functional>

#include "app/ledger.h"
#include "app/registry_internal.h"
#include "app/repo/registry_repo.h"
#include "core/error.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

using test_support::code_of;

class RegistryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor{.account_id = 0, .person_id = 0, .admin = true, .address = "test"};
    national_ = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    region_ = org(national_, "federation", "region");
    coop_ = org(region_, "consumer", "coop");
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_class(tx, ctx, coop_,
                          ClassInput{.code = "user", .name = "User", .share_price_minor = 1000,
                                     .min_shares = 2});
    });
    ana_ = person("ana");
    bea_ = person("bea");
    coordinator_ = person("coord");
    db_->write([&](store::Tx& tx) {
      tx.exec("INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, "
              "'coordinator', 0)",
              {coordinator_.person_id, region_});
    });
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  int64_t org(int64_t parent, const std::string& kind, const std::string& slug) {
    return write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.parent_id = parent, .kind = kind, .name = slug, .slug = slug});
    })["id"];
  }

  Actor person(const std::string& name) {
    Actor a{.address = "test"};
    db_->write([&](store::Tx& tx) {
      Ctx ctx{admin_, clock_.now()};
      a.person_id = create_person(tx, ctx,
                                  PersonInput{.given_name = name,
                                              .family_name = "Test",
                                              .email = name + "@test.agora",
                                              .phone = "+34 600 000 000"});
      a.account_id = tx.query("INSERT INTO accounts (person_id, email, password_hash, admin, "
                              "created_at) VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                              {a.person_id, name + "@test.agora"})
                         .one()
                         .i64(0);
    });
    return a;
  }

  Json apply(const Actor& a, int64_t org_id, int64_t shares = 2) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, org_id, ApplicationInput{.class_code = "user", .shares = shares});
    });
  }
  Json admit(const Actor& a, int64_t m) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return admit_member(tx, ctx, m); });
  }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }

  // Share capital helpers: the membership's waiting subscription, an
  // instalment by the coordinator, and the co-op's ledger accounts.
  int64_t waiting_sub(int64_t m) {
    int64_t id = 0;
    db_->read([&](store::Tx& tx) { id = repo::waiting_subscriptions(tx, m).front().id; });
    return id;
  }
  Json pay(int64_t sub, int64_t amount) {
    return write(coordinator_, [=](store::Tx& tx, const Ctx& ctx) {
      return pay_subscription(tx, ctx, sub, amount);
    });
  }
  Json sell_back(int64_t m, int64_t shares) {
    return write(coordinator_, [=](store::Tx& tx, const Ctx& ctx) {
      return sell_back_shares(tx, ctx, m, shares);
    });
  }
  // The posted balance of the co-op's org/share_capital or external/bank
  // account in EUR (0 while it does not exist).
  int64_t coop_balance(const std::string& holder, const std::string& kind) {
    return count("SELECT coalesce(sum(credits_posted - debits_posted), 0) FROM ledger_accounts "
                 "WHERE org_id = " + std::to_string(coop_) + " AND holder = '" + holder +
                 "' AND kind = '" + kind + "' AND currency = 'EUR'");
  }
  int64_t transfers() { return count("SELECT count(*) FROM ledger_transfers"); }
  Json transfer_by_key(const std::string& key) {
    return read(admin_, [=](store::Tx& tx, const Ctx& ctx) { return ledger::get_transfer_by_key(tx, ctx, key); });
  }
  void expect_ledger_ok() {
    Json check = read(admin_, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
    EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
  }
  // The register's paid-in capital of the co-op (entries are signed).
  int64_t register_capital() {
    return count("SELECT coalesce(sum(amount_minor), 0) FROM share_register WHERE org_id = " +
                 std::to_string(coop_));
  }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, ana_, bea_, coordinator_;
  int64_t national_ = 0, region_ = 0, coop_ = 0;
};

TEST_P(RegistryTest, OrgPageCarriesPathClassesAndCounts) {
  Json page = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_org(tx, ctx, coop_); });
  EXPECT_EQ(page["parent_id"], region_);
  ASSERT_EQ(page["path"].size(), 2u);
  EXPECT_EQ(page["path"][0]["id"], national_);
  EXPECT_EQ(page["path"][1]["id"], region_);
  ASSERT_EQ(page["classes"].size(), 1u);
  EXPECT_EQ(page["classes"][0]["share_price_minor"], 1000);
  Json region = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_org(tx, ctx, region_); });
  EXPECT_EQ(region["counts"]["children"], 1);
  Json tree = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return org_tree(tx, ctx, national_, 6); });
  EXPECT_EQ(tree["children"][0]["children"][0]["id"], coop_);
}

TEST_P(RegistryTest, NestingRules) {
  // A consumer co-op holds no organisations.
  EXPECT_EQ(code_of([&] { org(coop_, "worker", "w1"); }), Code::rule_violation);
  // The national federation cannot move below its own region.
  EXPECT_EQ(code_of([&] {
              write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
                return update_org(tx, ctx, national_, OrgPatch{.parent_id = region_});
              });
            }),
            Code::rule_violation);
  // Only an admin adds a root; a region's coordinator may add below it.
  EXPECT_EQ(code_of([&] {
              write(coordinator_, [](store::Tx& tx, const Ctx& ctx) {
                return create_org(tx, ctx, OrgInput{.kind = "federation", .name = "X", .slug = "x-root"});
              });
            }),
            Code::forbidden);
  EXPECT_NO_THROW(write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return create_org(tx, ctx, OrgInput{.parent_id = region_, .kind = "worker", .name = "W", .slug = "w2"});
  }));
  EXPECT_EQ(code_of([&] { org(region_, "worker", "w2"); }), Code::duplicate);
}

TEST_P(RegistryTest, LifecycleAndMemberNumbers) {
  Json a = apply(ana_, coop_);
  EXPECT_EQ(a["status"], "applied");
  EXPECT_TRUE(a["member_number"].is_null());
  EXPECT_EQ(code_of([&] { apply(ana_, coop_); }), Code::duplicate);
  // A plain member cannot admit.
  EXPECT_EQ(code_of([&] { admit(bea_, a["id"]); }), Code::forbidden);
  Json admitted = admit(coordinator_, a["id"]);
  EXPECT_EQ(admitted["status"], "active");
  EXPECT_EQ(admitted["member_number"], 1);
  EXPECT_EQ(code_of([&] { admit(coordinator_, a["id"]); }), Code::invalid_state);
  EXPECT_EQ(code_of([&] { apply(ana_, coop_); }), Code::duplicate);

  Json b = apply(bea_, coop_);
  EXPECT_EQ(admit(coordinator_, b["id"])["member_number"], 2);
  // Bea leaves; her number is not handed out again.
  Json left = write(bea_, [&](store::Tx& tx, const Ctx& ctx) { return leave_membership(tx, ctx, b["id"]); });
  EXPECT_EQ(left["status"], "left");
  Json again = apply(bea_, coop_);
  EXPECT_EQ(admit(coordinator_, again["id"])["member_number"], 3);
  EXPECT_EQ(count("SELECT member_count FROM orgs WHERE id = " + std::to_string(coop_)), 2);

  Json events = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return membership_events(tx, ctx, a["id"], PageReq{});
  });
  ASSERT_EQ(events["items"].size(), 2u);
  EXPECT_EQ(events["items"][0]["to_status"], "applied");
  EXPECT_EQ(events["items"][1]["to_status"], "active");
}

TEST_P(RegistryTest, RejectAndExpel) {
  Json a = apply(ana_, coop_);
  Json r = write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return reject_application(tx, ctx, a["id"], std::string("incomplete"));
  });
  EXPECT_EQ(r["status"], "rejected");
  Json b = apply(ana_, coop_);  // a rejected application is no duplicate
  admit(coordinator_, b["id"]);
  Json e = write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return expel_member(tx, ctx, b["id"], std::nullopt);
  });
  EXPECT_EQ(e["status"], "expelled");
  EXPECT_EQ(count("SELECT count(*) FROM memberships"), 2);  // history kept
}

TEST_P(RegistryTest, AutomaticAdmission) {
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return update_org(tx, ctx, coop_, OrgPatch{.admission = "automatic"});
  });
  Json a = apply(ana_, coop_);
  EXPECT_EQ(a["status"], "active");
  EXPECT_EQ(a["member_number"], 1);
}

TEST_P(RegistryTest, ShareCapitalFromSubscriptionToFormerMember) {
  Json a = apply(ana_, coop_, 3);
  admit(coordinator_, a["id"]);
  Json b = apply(bea_, coop_, 2);
  admit(coordinator_, b["id"]);
  auto sub_of = [&](int64_t m) {
    int64_t id = 0;
    db_->read([&](store::Tx& tx) { id = repo::waiting_subscriptions(tx, m).front().id; });
    return id;
  };
  auto pay = [&](int64_t sub, int64_t amount) {
    return write(coordinator_, [=](store::Tx& tx, const Ctx& ctx) {
      return pay_subscription(tx, ctx, sub, amount);
    });
  };
  int64_t sa = sub_of(a["id"]);
  EXPECT_EQ(pay(sa, 1000)["state"], "waiting");
  EXPECT_EQ(code_of([&] { pay(sa, 2001); }), Code::out_of_range);
  EXPECT_EQ(pay(sa, 2000)["state"], "paid");
  pay(sub_of(b["id"]), 2000);
  // Only a coordinator records payments.
  Json more = write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return subscribe_shares(tx, ctx, a["id"], 2); });
  EXPECT_EQ(more["amount_minor"], 2000);
  EXPECT_EQ(code_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return pay_subscription(tx, ctx, more["id"], 2000);
              });
            }),
            Code::forbidden);
  pay(more["id"], 2000);

  Json shares = read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return membership_shares(tx, ctx, a["id"]); });
  EXPECT_EQ(shares["shares"], 5);
  EXPECT_EQ(shares["paid_minor"], 5000);
  ASSERT_EQ(shares["register"].size(), 2u);
  EXPECT_EQ(shares["register"][0]["kind"], "increase");
  EXPECT_EQ(shares["register"][1]["kind"], "subscribe");

  // Ana keeps at least 2 or gives all: 4 of 5 is refused, nothing written.
  int64_t entries = count("SELECT count(*) FROM share_register");
  EXPECT_EQ(code_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return transfer_shares(tx, ctx, a["id"], b["id"], 4); });
            }),
            Code::rule_violation);
  EXPECT_EQ(count("SELECT count(*) FROM share_register"), entries);
  write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return transfer_shares(tx, ctx, a["id"], b["id"], 3); });
  Json bs = read(bea_, [&](store::Tx& tx, const Ctx& ctx) { return membership_shares(tx, ctx, b["id"]); });
  EXPECT_EQ(bs["shares"], 5);
  EXPECT_EQ(bs["register"][0]["kind"], "transfer_in");

  // Selling back the last 2 shares makes Ana a former member.
  Json sold = write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return sell_back_shares(tx, ctx, a["id"], 2);
  });
  EXPECT_EQ(sold["status"], "left");
  EXPECT_EQ(sold["shares"], 0);
  EXPECT_EQ(count("SELECT member_count FROM orgs WHERE id = " + std::to_string(coop_)), 1);
  EXPECT_EQ(count("SELECT sum(shares) FROM share_register WHERE membership_id = " +
                  std::to_string(a["id"].get<int64_t>())),
            0);
}

TEST_P(RegistryTest, InstalmentMovesExactlyItsAmountFromBankToShareCapital) {
  Json a = apply(ana_, coop_, 3);
  admit(coordinator_, a["id"]);
  int64_t sub = waiting_sub(a["id"]);
  EXPECT_EQ(transfers(), 0);

  pay(sub, 1000);
  EXPECT_EQ(transfers(), 1);
  EXPECT_EQ(coop_balance("org", "share_capital"), 1000);
  EXPECT_EQ(coop_balance("external", "bank"), -1000);
  int64_t payment = count("SELECT max(id) FROM share_payments");
  Json t = transfer_by_key("sys:share-payment:" + std::to_string(payment));
  EXPECT_EQ(t["amount"], 1000);
  EXPECT_EQ(t["code"], "share_capital");
  EXPECT_EQ(t["currency"], "EUR");
  EXPECT_NE(t["memo"].get<std::string>().find("member 1"), std::string::npos) << t["memo"];
  EXPECT_EQ(t["debit_balance"], -1000);
  EXPECT_EQ(t["credit_balance"], 1000);
  Json capital = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::get_account(tx, ctx, t["credit_account_id"]);
  });
  EXPECT_EQ(capital["holder"], "org");
  EXPECT_EQ(capital["kind"], "share_capital");
  EXPECT_EQ(capital["org_id"], coop_);
  EXPECT_FALSE(capital["debits_must_not_exceed_credits"].get<bool>());
  Json bank = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::get_account(tx, ctx, t["debit_account_id"]);
  });
  EXPECT_EQ(bank["holder"], "external");
  EXPECT_EQ(bank["kind"], "bank");

  // A refused instalment (more than is due, or not by a coordinator) moves nothing.
  EXPECT_EQ(code_of([&] { pay(sub, 2001); }), Code::out_of_range);
  EXPECT_EQ(code_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_subscription(tx, ctx, sub, 500); });
            }),
            Code::forbidden);
  EXPECT_EQ(transfers(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM share_payments"), 1);

  // The completing instalment: the shares enter the register, the money
  // the share capital account; one transfer per payment, each its own key.
  EXPECT_EQ(pay(sub, 2000)["state"], "paid");
  EXPECT_EQ(transfers(), 2);
  EXPECT_EQ(coop_balance("org", "share_capital"), 3000);
  EXPECT_EQ(coop_balance("external", "bank"), -3000);
  EXPECT_EQ(register_capital(), 3000);
  EXPECT_EQ(count("SELECT count(DISTINCT idem_key) FROM ledger_transfers WHERE code = 'share_capital'"), 2);
  expect_ledger_ok();
}

TEST_P(RegistryTest, SellBackMovesTheMoneyBackToTheBank) {
  Json a = apply(ana_, coop_, 3);
  admit(coordinator_, a["id"]);
  pay(waiting_sub(a["id"]), 3000);
  ASSERT_EQ(coop_balance("org", "share_capital"), 3000);

  sell_back(a["id"], 1);
  int64_t entry = count("SELECT max(id) FROM share_register");
  Json t = transfer_by_key("sys:share-sellback:" + std::to_string(entry));
  EXPECT_EQ(t["amount"], 1000);
  EXPECT_EQ(t["code"], "share_capital");
  EXPECT_EQ(coop_balance("org", "share_capital"), 2000);
  EXPECT_EQ(coop_balance("external", "bank"), -2000);

  // A refused sell-back (below the class minimum of 2) moves nothing.
  int64_t before = transfers();
  EXPECT_EQ(code_of([&] { sell_back(a["id"], 1); }), Code::rule_violation);
  EXPECT_EQ(transfers(), before);

  // The last shares: Ana becomes a former member, the capital is all paid back.
  EXPECT_EQ(sell_back(a["id"], 2)["status"], "left");
  EXPECT_EQ(coop_balance("org", "share_capital"), 0);
  EXPECT_EQ(coop_balance("external", "bank"), 0);
  EXPECT_EQ(register_capital(), 0);
  expect_ledger_ok();
}

TEST_P(RegistryTest, SellBackIsNotLimitedByWhatTheLedgerHolds) {
  // Capital paid in before share capital moved through the ledger is in the
  // register only; buying it back takes share_capital below zero.
  Json a = apply(ana_, coop_, 2);
  admit(coordinator_, a["id"]);
  int64_t sub = waiting_sub(a["id"]);
  write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
    return registry_detail::subscription_json(
        registry_detail::record_instalment(tx, ctx, sub, 2000).subscription, "EUR");
  });
  EXPECT_EQ(transfers(), 0);  // recording an instalment alone moves no money
  EXPECT_EQ(register_capital(), 2000);
  sell_back(a["id"], 2);
  EXPECT_EQ(coop_balance("org", "share_capital"), -2000);
  EXPECT_EQ(coop_balance("external", "bank"), 2000);
  expect_ledger_ok();
}

TEST_P(RegistryTest, ShareCapitalAccountEqualsTheRegistersPaidInCapital) {
  Json a = apply(ana_, coop_, 3);
  admit(coordinator_, a["id"]);
  Json b = apply(bea_, coop_, 2);
  admit(coordinator_, b["id"]);
  int64_t sa = waiting_sub(a["id"]);
  pay(sa, 1200);
  pay(sa, 1800);
  pay(waiting_sub(b["id"]), 2000);
  Json more = write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return subscribe_shares(tx, ctx, a["id"], 2); });
  pay(more["id"], 2000);
  EXPECT_EQ(coop_balance("org", "share_capital"), 7000);
  EXPECT_EQ(register_capital(), 7000);

  // Members settle a transfer between themselves: no money through the co-op.
  int64_t before = transfers();
  write(ana_, [&](store::Tx& tx, const Ctx& ctx) { return transfer_shares(tx, ctx, a["id"], b["id"], 3); });
  EXPECT_EQ(transfers(), before);
  EXPECT_EQ(coop_balance("org", "share_capital"), 7000);
  EXPECT_EQ(register_capital(), 7000);

  sell_back(b["id"], 3);
  EXPECT_EQ(coop_balance("org", "share_capital"), 4000);
  EXPECT_EQ(register_capital(), 4000);
  EXPECT_EQ(count("SELECT sum(paid_minor) FROM memberships WHERE org_id = " + std::to_string(coop_)), 4000);
  EXPECT_EQ(coop_balance("org", "share_capital") + coop_balance("external", "bank"), 0);
  expect_ledger_ok();
}

TEST_P(RegistryTest, ShareCapitalNeedsALedgerCurrency) {
  int64_t other = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return create_org(tx, ctx, OrgInput{.parent_id = region_, .kind = "consumer", .name = "Vale",
                                        .slug = "vale", .currency = "VALE"});
  })["id"];
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return create_class(tx, ctx, other, ClassInput{.code = "user", .name = "User", .share_price_minor = 10});
  });
  Json a = apply(ana_, other, 1);
  admit(coordinator_, a["id"]);
  int64_t sub = waiting_sub(a["id"]);
  EXPECT_EQ(code_of([&] { pay(sub, 10); }), Code::invalid_state);
  // Refused as a whole: no payment recorded either.
  EXPECT_EQ(count("SELECT count(*) FROM share_payments"), 0);
  EXPECT_EQ(count("SELECT paid_minor FROM share_subscriptions WHERE id = " + std::to_string(sub)), 0);
}

TEST_P(RegistryTest, MembersSeeNoPrivateData) {
  Json a = apply(ana_, coop_);
  admit(coordinator_, a["id"]);
  Json b = apply(bea_, coop_);
  admit(coordinator_, b["id"]);
  Json as_member = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_members(tx, ctx, coop_, "", PageReq{});
  });
  ASSERT_EQ(as_member["items"].size(), 2u);
  EXPECT_FALSE(as_member["items"][1]["person"].contains("email"));
  EXPECT_FALSE(as_member["items"][1].contains("shares"));
  Json as_coord = read(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_members(tx, ctx, coop_, "active", PageReq{});
  });
  EXPECT_EQ(as_coord["items"][1]["person"]["email"], "bea@test.agora");
  EXPECT_EQ(code_of([&] {
              read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return get_membership(tx, ctx, b["id"]); });
            }),
            Code::forbidden);
  EXPECT_EQ(code_of([&] {
              read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
                return list_members(tx, ctx, coop_, "", PageReq{});
              });
            }),
            Code::unauthenticated);
  Actor carl = person("carl");
  EXPECT_EQ(code_of([&] {
              read(carl, [&](store::Tx& tx, const Ctx& ctx) { return list_members(tx, ctx, coop_, "", PageReq{}); });
            }),
            Code::forbidden);
}

TEST_P(RegistryTest, RefusedApplicationWritesNothing) {
  EXPECT_EQ(code_of([&] { apply(ana_, coop_, 1); }), Code::rule_violation);  // minimum is 2
  EXPECT_EQ(count("SELECT count(*) FROM memberships"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM share_subscriptions"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM membership_events"), 0);
}

TEST_P(RegistryTest, PersonEmailIsUniqueIgnoringCase) {
  EXPECT_EQ(code_of([&] {
              db_->write([&](store::Tx& tx) {
                Ctx ctx{admin_, clock_.now()};
                create_person(tx, ctx, PersonInput{.given_name = "A", .email = "ANA@test.agora"});
              });
            }),
            Code::duplicate);
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
