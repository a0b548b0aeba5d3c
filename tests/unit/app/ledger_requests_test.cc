// Payment requests (app/ledger.h) on every engine under test: the lifecycle
// open -> accepted -> paid, rejection and cancellation, idempotent creation
// by key, who may do what, refusals from the wrong state, and the open
// obligations the clearing nets.

#include <gtest/gtest.h>

#include <functional>

#include "app/ledger.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using namespace agora::app::ledger;

using test_app::error_of;

class LedgerRequestsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor{.account_id = 0, .person_id = 0, .admin = true, .address = "test"};
    national_ = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = national_, .kind = "consumer", .name = "Coop", .slug = "coop"});
    })["id"];
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_class(tx, ctx, coop_,
                          ClassInput{.code = "user", .name = "User", .share_price_minor = 1000, .min_shares = 1});
    });
    ana_ = person("ana");
    bea_ = person("bea");
    coord_ = person("coord");
    test_app::grant_role(*db_, coord_.person_id, coop_, "coordinator");
    join(ana_);
    join(bea_);
    ana_acct_ = account(ana_.person_id, "EUR");
    bea_acct_ = account(bea_.person_id, "EUR");
    fund(ana_acct_, 10000);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  Actor person(const std::string& name) { return test_app::signed_in_person(*db_, clock_.now(), name); }

  void join(const Actor& a) {
    Json m = write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, coop_, ApplicationInput{.class_code = "user", .shares = 1});
    });
    write(coord_, [&](store::Tx& tx, const Ctx& ctx) { return admit_member(tx, ctx, m["id"]); });
  }

  int64_t account(int64_t person_id, const std::string& currency) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = ensure_account(tx, clock_.now(), coop_, "member", person_id, currency, "current");
    });
    return id;
  }

  void fund(int64_t account_id, int64_t amount) {
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      int64_t bank = ensure_account(tx, ctx.now, coop_, "external", std::nullopt, "EUR", "bank");
      TransferInput t{.key = "fund:" + std::to_string(account_id), .debit_account_id = bank,
                      .credit_account_id = account_id, .amount = amount};
      return apply_transfers(tx, ctx.now, 0, std::span<const TransferInput>(&t, 1))[0];
    });
  }

  int64_t balance(int64_t account_id) {
    int64_t b = 0;
    db_->read([&](store::Tx& tx) {
      b = tx.query("SELECT credits_posted - debits_posted FROM ledger_accounts WHERE id = $1", {account_id})
              .one()
              .i64(0);
    });
    return b;
  }

  Json create(const Actor& a, RequestInput in) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return create_request(tx, ctx, in); });
  }
  RequestInput invoice(const std::string& key, int64_t amount) {
    return RequestInput{.key = key, .payee_account_id = bea_acct_, .payer_account_id = ana_acct_,
                        .amount = amount, .memo = "vegetables"};
  }
  Json act(const Actor& a, std::function<Json(store::Tx&, const Ctx&)> fn) { return write(a, fn); }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, ana_, bea_, coord_;
  int64_t national_ = 0, coop_ = 0, ana_acct_ = 0, bea_acct_ = 0;
};

TEST_P(LedgerRequestsTest, OpenAcceptPay) {
  Json r = create(bea_, invoice("inv-1", 2500));
  EXPECT_EQ(r["state"], "open");
  EXPECT_EQ(r["currency"], "EUR");
  EXPECT_EQ(r["code"], "invoice");
  EXPECT_EQ(r["payee"]["person_id"], bea_.person_id);
  EXPECT_EQ(r["payer"]["name"], "ana Test");
  EXPECT_TRUE(r["paid_transfer_id"].is_null());
  int64_t id = r["id"];

  // Paying before accepting is refused; only the payer accepts.
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, id, "pay-1"); }); }).first,
            Code::invalid_state);
  EXPECT_EQ(error_of([&] { act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return accept_request(tx, ctx, id); }); }).first,
            Code::forbidden);
  Json accepted = act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return accept_request(tx, ctx, id); });
  EXPECT_EQ(accepted["state"], "accepted");
  EXPECT_FALSE(accepted["responded_at"].is_null());
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return accept_request(tx, ctx, id); }); }).first,
            Code::invalid_state);

  Json owed = read(admin_, [](store::Tx& tx, const Ctx&) { return open_obligations(tx, "EUR"); });
  ASSERT_EQ(owed.size(), 1u);
  EXPECT_EQ(owed[0], (Json{{"id", id}, {"payer_account_id", ana_acct_}, {"payee_account_id", bea_acct_}, {"amount", 2500}}));

  // Only the payer pays.
  EXPECT_EQ(error_of([&] { act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, id, "pay-1"); }); }).first,
            Code::forbidden);
  Json paid = act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, id, "pay-1"); });
  EXPECT_EQ(paid["state"], "paid");
  ASSERT_TRUE(paid["paid_transfer_id"].is_number_integer());
  EXPECT_EQ(balance(ana_acct_), 7500);
  EXPECT_EQ(balance(bea_acct_), 2500);
  db_->read([&](store::Tx& tx) {
    auto row = tx.query("SELECT payment_request_id, code, debit_account_id, credit_account_id, amount, "
                        "idem_key FROM ledger_transfers WHERE id = $1",
                        {paid["paid_transfer_id"].get<int64_t>()})
                   .one();
    EXPECT_EQ(row.i64(0), id);
    EXPECT_EQ(row.str(1), "invoice");
    EXPECT_EQ(row.i64(2), ana_acct_);
    EXPECT_EQ(row.i64(3), bea_acct_);
    EXPECT_EQ(row.i64(4), 2500);
    EXPECT_EQ(row.str(5), "pay-1");
  });
  // A retry with the same key returns the paid request; another payment is refused.
  Json again = act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, id, "pay-1"); });
  EXPECT_EQ(again, paid);
  EXPECT_EQ(balance(ana_acct_), 7500);
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, id, "pay-2"); }); }).first,
            Code::invalid_state);
  EXPECT_EQ(error_of([&] { act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return cancel_request(tx, ctx, id); }); }).first,
            Code::invalid_state);
  EXPECT_TRUE(read(admin_, [](store::Tx& tx, const Ctx&) { return open_obligations(tx, "EUR"); }).empty());

  // Either side reads it; a stranger does not.
  EXPECT_EQ(read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return get_request(tx, ctx, id); })["state"], "paid");
  Actor eve = person("eve");
  EXPECT_EQ(error_of([&] { read(eve, [&](store::Tx& tx, const Ctx& ctx) { return get_request(tx, ctx, id); }); }).first,
            Code::forbidden);
}

TEST_P(LedgerRequestsTest, IdempotentCreateByKey) {
  Json r = create(bea_, invoice("inv-1", 2500));
  EXPECT_EQ(create(bea_, invoice("inv-1", 2500)), r);
  EXPECT_EQ(error_of([&] { create(bea_, invoice("inv-1", 2600)); }),
            std::make_pair(Code::conflict, std::string("/key")));
  // The coordinator sending the same body under Bea's key is another creator.
  EXPECT_EQ(error_of([&] { create(coord_, invoice("inv-1", 2500)); }).first, Code::conflict);
  int64_t n = 0;
  db_->read([&](store::Tx& tx) { n = tx.query("SELECT count(*) FROM payment_requests").one().i64(0); });
  EXPECT_EQ(n, 1);
}

TEST_P(LedgerRequestsTest, CreateRefusals) {
  // Ana may not ask for money into Bea's account.
  EXPECT_EQ(error_of([&] { create(ana_, invoice("inv-x", 100)); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { create(bea_, invoice("inv-x", 0)); }),
            std::make_pair(Code::out_of_range, std::string("/amount")));
  EXPECT_EQ(error_of([&] { create(bea_, invoice("bad key!", 100)); }),
            std::make_pair(Code::invalid_value, std::string("/key")));
  RequestInput bad_code = invoice("inv-x", 100);
  bad_code.code = "Invoice";
  EXPECT_EQ(error_of([&] { create(bea_, bad_code); }), std::make_pair(Code::invalid_value, std::string("/code")));
  RequestInput long_memo = invoice("inv-x", 100);
  long_memo.memo = std::string(201, 'x');
  EXPECT_EQ(error_of([&] { create(bea_, long_memo); }), std::make_pair(Code::out_of_range, std::string("/memo")));
  RequestInput usd = invoice("inv-x", 100);
  usd.payer_account_id = account(ana_.person_id, "USD");
  EXPECT_EQ(error_of([&] { create(bea_, usd); }),
            std::make_pair(Code::invalid_value, std::string("/payer_account_id")));
  RequestInput missing = invoice("inv-x", 100);
  missing.payer_account_id = 999999;
  EXPECT_EQ(error_of([&] { create(bea_, missing); }).first, Code::not_found);
  // The coordinator of the payee's org may ask on its behalf.
  EXPECT_EQ(create(coord_, invoice("inv-c", 100))["state"], "open");
}

TEST_P(LedgerRequestsTest, RejectCancelAndLists) {
  int64_t r1 = create(bea_, invoice("inv-1", 100))["id"];
  int64_t r2 = create(bea_, invoice("inv-2", 200))["id"];
  int64_t r3 = create(bea_, invoice("inv-3", 300))["id"];

  Json rejected = act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return reject_request(tx, ctx, r1, "not ordered"); });
  EXPECT_EQ(rejected["state"], "rejected");
  EXPECT_EQ(rejected["reason"], "not ordered");
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return accept_request(tx, ctx, r1); }); }).first,
            Code::invalid_state);
  EXPECT_EQ(error_of([&] { act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return cancel_request(tx, ctx, r1); }); }).first,
            Code::invalid_state);

  // Only the payee side cancels; open or accepted.
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return cancel_request(tx, ctx, r2); }); }).first,
            Code::forbidden);
  EXPECT_EQ(act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return cancel_request(tx, ctx, r2); })["state"], "cancelled");
  act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return accept_request(tx, ctx, r3); });
  EXPECT_EQ(act(bea_, [&](store::Tx& tx, const Ctx& ctx) { return cancel_request(tx, ctx, r3); })["state"], "cancelled");
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return pay_request(tx, ctx, r3, "p3"); }); }).first,
            Code::invalid_state);
  EXPECT_EQ(error_of([&] { act(ana_, [&](store::Tx& tx, const Ctx& ctx) { return reject_request(tx, ctx, r3, ""); }); }).first,
            Code::invalid_state);
  EXPECT_EQ(balance(ana_acct_), 10000);

  Json mine = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_requests(tx, ctx, 0, std::nullopt, PageReq{.limit = 2, .after = 0});
  });
  ASSERT_EQ(mine["items"].size(), 2u);
  EXPECT_EQ(mine["items"][0]["id"], r1);
  EXPECT_EQ(mine["next_after"], r2);
  Json cancelled = read(coord_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_requests(tx, ctx, coop_, std::string("cancelled"), PageReq{});
  });
  ASSERT_EQ(cancelled["items"].size(), 2u);
  EXPECT_EQ(cancelled["items"][1]["id"], r3);
  EXPECT_EQ(error_of([&] { read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return list_requests(tx, ctx, coop_, std::nullopt, PageReq{}); }); }).first,
            Code::forbidden);
  EXPECT_EQ(error_of([&] { read(ana_, [&](store::Tx& tx, const Ctx& ctx) { return list_requests(tx, ctx, 0, std::string("late"), PageReq{}); }); }),
            std::make_pair(Code::invalid_value, std::string("/state")));
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerRequestsTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
