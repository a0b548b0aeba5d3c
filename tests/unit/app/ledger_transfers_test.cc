// The ledger's accounts and transfers (app/ledger.h) on every engine under
// test: balances, limits with pending holds, mutual credit, overflow,
// idempotency, two-phase post/void/expiry, reversals, linked batches,
// authorization, and a race of many writers against one account's limit.

#include <gtest/gtest.h>

#include <atomic>
#include <climits>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

#include "app/ledger.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/test_db.h"
#include "support/app_test.h"

namespace agora::app {
namespace {

using ledger::Action;
using ledger::TransferInput;

using test_app::failure_of;

class LedgerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    int64_t national = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = national,
                                 .kind = "consumer",
                                 .name = "Coop",
                                 .slug = "coop",
                                 .admission = "automatic"});
    })["id"];
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_class(
          tx, ctx, coop_,
          ClassInput{.code = "user", .name = "User", .share_price_minor = 100, .min_shares = 1});
    });
    ana_ = member("ana");
    bea_ = member("bea");
    treasurer_ = person("tess");
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, "
          "'treasurer', 0)",
          {treasurer_.person_id, coop_});
    });
    bank_ = open(admin_, {.org_id = coop_, .holder = "external", .kind = "bank"});
    ana_cur_ = open(admin_, {.org_id = coop_, .person_id = ana_.person_id});
    bea_cur_ = open(admin_, {.org_id = coop_, .person_id = bea_.person_id});
    ops_ = open(admin_, {.org_id = coop_, .holder = "org", .kind = "operating"});
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  Actor person(const std::string& name) {
    Actor a{.address = "test"};
    db_->write([&](store::Tx& tx) {
      Ctx ctx{admin_, clock_.now()};
      a.person_id = create_person(
          tx, ctx,
          PersonInput{.given_name = name, .family_name = "Test", .email = name + "@test.agora"});
      a.account_id =
          tx.query(
                "INSERT INTO accounts (person_id, email, password_hash, admin, created_at) "
                "VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                {a.person_id, name + "@test.agora"})
              .one()
              .i64(0);
    });
    return a;
  }
  Actor member(const std::string& name) {
    Actor a = person(name);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, coop_,
                                  ApplicationInput{.class_code = "user", .shares = 1});
    });
    return a;
  }
  int64_t open(const Actor& a, ledger::AccountInput in) {
    return write(
        a, [=](store::Tx& tx, const Ctx& ctx) { return ledger::open_account(tx, ctx, in); })["id"];
  }
  // Under the HTTP route's command name, so the batcher runs it the way it
  // runs POST /api/v1/transfers (on SQLite without a savepoint of its own).
  Json xfer(const Actor& a, TransferInput in) {
    return app_->write(a, "create_transfer", Json::object(), [=](store::Tx& tx, const Ctx& ctx) {
      return ledger::create_transfer(tx, ctx, in);
    });
  }
  Json move(const std::string& key, int64_t from, int64_t to, int64_t amount,
            bool pending = false) {
    return xfer(admin_, TransferInput{.key = key,
                                      .debit_account_id = from,
                                      .credit_account_id = to,
                                      .amount = amount,
                                      .pending = pending});
  }
  Json account(int64_t id) {
    return read(admin_,
                [=](store::Tx& tx, const Ctx& ctx) { return ledger::get_account(tx, ctx, id); });
  }
  int64_t balance(int64_t id) { return account(id)["balance"]; }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }
  Json check() {
    return read(admin_, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, ana_, bea_, treasurer_;
  int64_t coop_ = 0, bank_ = 0, ana_cur_ = 0, bea_cur_ = 0, ops_ = 0;
};

TEST_P(LedgerTest, MovesMoneyAndKeepsRunningBalances) {
  Json t1 = move("k1", bank_, ana_cur_, 1000);
  EXPECT_EQ(t1["state"], "posted");
  EXPECT_EQ(t1["credit_balance"], 1000);
  EXPECT_EQ(t1["debit_balance"], -1000);
  move("k2", ana_cur_, bea_cur_, 300);
  EXPECT_EQ(balance(ana_cur_), 700);
  EXPECT_EQ(balance(bea_cur_), 300);
  EXPECT_EQ(balance(bank_), -1000);
  Json st = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::statement(tx, ctx, ana_cur_, ledger::StatementReq{.limit = 1});
  });
  ASSERT_EQ(st["items"].size(), 1u);
  EXPECT_EQ(st["items"][0]["side"], "debit");
  EXPECT_EQ(st["items"][0]["amount"], -300);
  EXPECT_EQ(st["items"][0]["balance"], 700);
  int64_t next = st["next_before"];
  Json st2 = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::statement(tx, ctx, ana_cur_, ledger::StatementReq{.limit = 5, .before = next});
  });
  ASSERT_EQ(st2["items"].size(), 1u);
  EXPECT_EQ(st2["items"][0]["balance"], 1000);
  EXPECT_TRUE(st2["next_before"].is_null());
  EXPECT_TRUE(check()["ok"]) << check().dump();
}

TEST_P(LedgerTest, RefusesBadTransfersWritingNothing) {
  move("fund", bank_, ana_cur_, 100);
  int64_t eur_other =
      open(admin_, {.org_id = coop_, .currency = "USD", .holder = "org", .kind = "operating"});
  EXPECT_EQ(failure_of([&] { move("a", ana_cur_, bea_cur_, 0); }).code, Code::out_of_range);
  EXPECT_EQ(failure_of([&] { move("b", ana_cur_, ana_cur_, 5); }).code, Code::invalid_value);
  EXPECT_EQ(failure_of([&] { move("c", ana_cur_, eur_other, 5); }).code, Code::invalid_value);
  EXPECT_EQ(failure_of([&] { move("d", ana_cur_, 99999, 5); }).field, "/credit_account_id");
  EXPECT_EQ(failure_of([&] { move("bad key!", ana_cur_, bea_cur_, 5); }).code, Code::invalid_value);
  auto over = failure_of([&] { move("e", ana_cur_, bea_cur_, 101); });
  EXPECT_EQ(over.code, Code::rule_violation);
  EXPECT_EQ(over.field, "/amount");
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE ledger_accounts SET closed = 1 WHERE id = $1", {bea_cur_});
  });
  EXPECT_EQ(failure_of([&] { move("f", ana_cur_, bea_cur_, 5); }).code, Code::invalid_state);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), 1);
  EXPECT_EQ(balance(ana_cur_), 100);
  EXPECT_TRUE(check()["ok"]);
}

TEST_P(LedgerTest, OverflowIsRefusedNeverWrapped) {
  move("big", bank_, ops_, INT64_MAX - 5);
  auto f = failure_of([&] { move("more", bank_, ops_, 10); });
  EXPECT_EQ(f.code, Code::out_of_range);
  EXPECT_EQ(failure_of([&] { move("more-p", bank_, ops_, 10, true); }).code, Code::out_of_range);
  move("fits", bank_, ops_, 5);
  EXPECT_EQ(balance(ops_), INT64_MAX);
  EXPECT_EQ(account(bank_)["debits_posted"], INT64_MAX);
  EXPECT_EQ(failure_of([&] { move("one", bank_, ana_cur_, 1); }).code, Code::out_of_range);
  EXPECT_TRUE(check()["ok"]) << check().dump();
}

TEST_P(LedgerTest, LimitsCountPendingHolds) {
  move("fund", bank_, ana_cur_, 1000);
  Json hold = move("hold", ana_cur_, ops_, 800, true);
  EXPECT_EQ(hold["state"], "pending");
  Json a = account(ana_cur_);
  EXPECT_EQ(a["balance"], 1000);
  EXPECT_EQ(a["available"], 200);
  EXPECT_EQ(failure_of([&] { move("spend", ana_cur_, bea_cur_, 300); }).code, Code::rule_violation);
  xfer(admin_,
       TransferInput{
           .key = "void", .action = Action::void_, .pending_id = hold["id"].get<int64_t>()});
  move("spend", ana_cur_, bea_cur_, 300);
  EXPECT_EQ(account(ana_cur_)["available"], 700);
  // An upper limit counts pending credits.
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::set_limits(tx, ctx, bea_cur_,
                              ledger::LimitsPatch{.upper_limit = std::optional<int64_t>(500)});
  });
  move("in", ana_cur_, bea_cur_, 150, true);
  EXPECT_EQ(failure_of([&] { move("in2", ana_cur_, bea_cur_, 60); }).code, Code::rule_violation);
  // Limits already crossed are refused.
  EXPECT_EQ(failure_of([&] {
              write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
                return ledger::set_limits(
                    tx, ctx, bea_cur_,
                    ledger::LimitsPatch{.upper_limit = std::optional<int64_t>(400)});
              });
            }).code,
            Code::rule_violation);
  EXPECT_TRUE(check()["ok"]) << check().dump();
}

TEST_P(LedgerTest, MutualCreditSumsToZero) {
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::create_currency(tx, ctx,
                                   ledger::CurrencyInput{.code = "HOURS",
                                                         .name = "Hours",
                                                         .issuer_org_id = coop_,
                                                         .minor_units = 0,
                                                         .default_lower_limit = -100,
                                                         .default_upper_limit = 100});
  });
  int64_t a = open(admin_, {.org_id = coop_, .currency = "HOURS", .person_id = ana_.person_id});
  int64_t b = open(admin_, {.org_id = coop_, .currency = "HOURS", .person_id = bea_.person_id});
  int64_t c =
      open(admin_, {.org_id = coop_, .currency = "HOURS", .holder = "org", .kind = "clearing"});
  EXPECT_EQ(account(a)["lower_limit"], -100);
  EXPECT_FALSE(account(a)["debits_must_not_exceed_credits"]);
  move("h1", a, b, 100);
  EXPECT_EQ(failure_of([&] { move("h2", a, c, 1); }).code, Code::rule_violation);
  EXPECT_EQ(failure_of([&] { move("h3", c, b, 1); }).code,
            Code::rule_violation);  // b at its upper limit
  move("h4", b, c, 40);
  EXPECT_EQ(balance(a) + balance(b) + balance(c), 0);
  EXPECT_EQ(balance(a), -100);
  EXPECT_TRUE(check()["ok"]);
}

TEST_P(LedgerTest, IdempotentReplayAndConflict) {
  move("fund", bank_, ana_cur_, 1000);
  TransferInput in{
      .key = "pay-1", .debit_account_id = ana_cur_, .credit_account_id = bea_cur_, .amount = 10};
  Json first = xfer(ana_, in);
  Json again = xfer(ana_, in);
  EXPECT_EQ(first, again);
  EXPECT_EQ(balance(ana_cur_), 990);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key = 'pay-1'"), 1);
  TransferInput other = in;
  other.amount = 11;
  auto f = failure_of([&] { xfer(ana_, other); });
  EXPECT_EQ(f.code, Code::conflict);
  EXPECT_EQ(f.field, "/key");
  // The same body from another creator is someone else's key.
  EXPECT_EQ(failure_of([&] { xfer(treasurer_, in); }).code, Code::conflict);
  Json by_key = read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::get_transfer_by_key(tx, ctx, "pay-1");
  });
  EXPECT_EQ(by_key["id"], first["id"]);
  EXPECT_EQ(failure_of([&] {
              read(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return ledger::get_transfer_by_key(tx, ctx, "nope");
              });
            }).code,
            Code::not_found);
}

TEST_P(LedgerTest, SystemKeysAreRefusedFromClients) {
  move("fund", bank_, ana_cur_, 1000);
  TransferInput in{.key = "sys:closing:1:2026:1",
                   .debit_account_id = ana_cur_,
                   .credit_account_id = bea_cur_,
                   .amount = 10};
  auto f = failure_of([&] { xfer(ana_, in); });
  EXPECT_EQ(f.code, Code::invalid_value);
  EXPECT_EQ(f.field, "/key");
  // Also inside a batch, and for the admin through the API's entry point.
  f = failure_of([&] {
    write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      std::vector<TransferInput> batch{in};
      batch[0].key = "fine-1";
      batch.push_back(in);
      return ledger::create_transfers(tx, ctx, batch);
    });
  });
  EXPECT_EQ(f.field, "/transfers/1/key");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key LIKE 'sys:%' OR idem_key = 'fine-1'"), 0);
  EXPECT_EQ(balance(ana_cur_), 1000);
}

TEST_P(LedgerTest, PostForLessVoidAndDoublePost) {
  move("fund", bank_, ana_cur_, 1000);
  int64_t h = move("hold", ana_cur_, ops_, 500, true)["id"];
  auto post = [&](const std::string& key, int64_t id, int64_t amount) {
    return xfer(
        admin_,
        TransferInput{.key = key, .action = Action::post, .amount = amount, .pending_id = id});
  };
  EXPECT_EQ(failure_of([&] { post("p0", h, 501); }).code, Code::out_of_range);
  Json p = post("p1", h, 200);
  EXPECT_EQ(p["action"], "post");
  EXPECT_EQ(p["amount"], 200);
  EXPECT_EQ(p["pending_id"], h);
  Json a = account(ana_cur_);
  EXPECT_EQ(a["balance"], 800);
  EXPECT_EQ(a["debits_pending"], 0);
  EXPECT_EQ(account(ops_)["credits_pending"], 0);
  EXPECT_EQ(balance(ops_), 200);
  Json held =
      read(admin_, [&](store::Tx& tx, const Ctx& ctx) { return ledger::get_transfer(tx, ctx, h); });
  EXPECT_EQ(held["state"], "posted");
  auto again = failure_of([&] { post("p2", h, 0); });
  EXPECT_EQ(again.code, Code::invalid_state);
  EXPECT_EQ(failure_of([&] {
              xfer(admin_, TransferInput{.key = "v1", .action = Action::void_, .pending_id = h});
            }).code,
            Code::invalid_state);
  // A post of the full amount, and posting a non-pending transfer.
  int64_t h2 = move("hold2", ana_cur_, ops_, 300, true)["id"];
  EXPECT_EQ(post("p3", h2, 0)["amount"], 300);
  EXPECT_EQ(failure_of([&] { post("p4", p["id"].get<int64_t>(), 0); }).code, Code::invalid_value);
  EXPECT_EQ(balance(ana_cur_), 500);
  EXPECT_TRUE(check()["ok"]) << check().dump();
}

TEST_P(LedgerTest, ExpiredHoldsAreReleasedNotPosted) {
  move("fund", bank_, ana_cur_, 1000);
  Json h = xfer(admin_, TransferInput{.key = "hold",
                                      .debit_account_id = ana_cur_,
                                      .credit_account_id = ops_,
                                      .amount = 600,
                                      .pending = true,
                                      .timeout_s = 60});
  EXPECT_FALSE(h["timeout_at"].is_null());
  auto due = [&] {
    return read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return Json(ledger::any_pending_due(tx, ctx.now));
    });
  };
  EXPECT_FALSE(due());
  clock_.advance_us(61'000'000);
  EXPECT_TRUE(due());
  auto f = failure_of([&] {
    xfer(admin_, TransferInput{
                     .key = "late", .action = Action::post, .pending_id = h["id"].get<int64_t>()});
  });
  EXPECT_EQ(f.code, Code::invalid_state);
  Json n = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
    return Json(ledger::expire_pending(tx, ctx.now, 1000));
  });
  EXPECT_EQ(n, 1);
  EXPECT_FALSE(due());
  EXPECT_EQ(account(ana_cur_)["available"], 1000);
  Json held = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::get_transfer(tx, ctx, h["id"]);
  });
  EXPECT_EQ(held["state"], "expired");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE action = 'expire'"), 1);
  EXPECT_TRUE(check()["ok"]) << check().dump();
}

TEST_P(LedgerTest, ReversalsTotalAtMostTheOriginal) {
  move("fund", bank_, ana_cur_, 1000);
  int64_t t = move("pay", ana_cur_, bea_cur_, 500)["id"];
  Json r1 = xfer(admin_, TransferInput{.key = "r1", .amount = 200, .reverses_id = t});
  EXPECT_EQ(r1["debit_account_id"], bea_cur_);
  EXPECT_EQ(r1["credit_account_id"], ana_cur_);
  EXPECT_EQ(r1["reverses_id"], t);
  EXPECT_EQ(failure_of([&] {
              xfer(admin_, TransferInput{.key = "r2", .amount = 301, .reverses_id = t});
            }).code,
            Code::rule_violation);
  EXPECT_EQ(failure_of([&] {
              xfer(admin_,
                   TransferInput{.key = "r3", .debit_account_id = ana_cur_, .reverses_id = t});
            }).code,
            Code::invalid_value);
  EXPECT_EQ(xfer(admin_, TransferInput{.key = "r4", .reverses_id = t})["amount"], 300);
  EXPECT_EQ(failure_of([&] { xfer(admin_, TransferInput{.key = "r5", .reverses_id = t}); }).code,
            Code::rule_violation);
  EXPECT_EQ(balance(ana_cur_), 1000);
  EXPECT_EQ(balance(bea_cur_), 0);
}

TEST_P(LedgerTest, LinkedBatchIsAllOrNothing) {
  move("fund", bank_, ana_cur_, 100);
  std::vector<TransferInput> batch = {
      {.key = "b1", .debit_account_id = ana_cur_, .credit_account_id = bea_cur_, .amount = 50},
      {.key = "b2", .debit_account_id = bea_cur_, .credit_account_id = ops_, .amount = 50},
      {.key = "b3", .debit_account_id = ana_cur_, .credit_account_id = ops_, .amount = 51}};
  auto f = failure_of([&] {
    write(admin_,
          [&](store::Tx& tx, const Ctx& ctx) { return ledger::create_transfers(tx, ctx, batch); });
  });
  EXPECT_EQ(f.code, Code::rule_violation);
  EXPECT_EQ(f.field, "/transfers/2/amount");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), 1);
  EXPECT_EQ(balance(ana_cur_), 100);
  EXPECT_EQ(balance(bea_cur_), 0);
  batch[2].amount = 50;
  Json ok = write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::create_transfers(tx, ctx, batch);
  });
  ASSERT_EQ(ok["items"].size(), 3u);
  EXPECT_EQ(ok["items"][0]["batch_id"], ok["items"][0]["id"]);
  EXPECT_EQ(ok["items"][2]["batch_id"], ok["items"][0]["id"]);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE batch_id IS NOT NULL"), 3);
  EXPECT_EQ(balance(ops_), 100);
  EXPECT_TRUE(check()["ok"]);
}

TEST_P(LedgerTest, WhoMayMoveAndReadWhat) {
  move("fund", bank_, ana_cur_, 100);
  TransferInput in{
      .key = "x", .debit_account_id = ana_cur_, .credit_account_id = bea_cur_, .amount = 5};
  EXPECT_EQ(failure_of([&] { xfer(bea_, in); }).code, Code::forbidden);
  EXPECT_EQ(failure_of([&] { xfer(Actor{}, in); }).code, Code::unauthenticated);
  xfer(ana_, in);
  in.key = "y";
  xfer(treasurer_, in);
  EXPECT_EQ(failure_of([&] {
              read(bea_, [&](store::Tx& tx, const Ctx& ctx) {
                return ledger::get_account(tx, ctx, ana_cur_);
              });
            }).code,
            Code::forbidden);
  Json mine =
      read(ana_, [](store::Tx& tx, const Ctx& ctx) { return ledger::my_accounts(tx, ctx); });
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["org"]["id"], coop_);
  EXPECT_EQ(
      failure_of([&] { open(bea_, {.org_id = coop_, .holder = "org", .kind = "surplus"}); }).code,
      Code::forbidden);
  EXPECT_EQ(failure_of([&] { open(admin_, {.org_id = coop_, .person_id = ana_.person_id}); }).code,
            Code::duplicate);
  EXPECT_EQ(failure_of([&] {
              open(admin_, {.org_id = coop_, .holder = "fund", .kind = "current"});
            }).code,
            Code::invalid_value);
  Json page = read(treasurer_, [&](store::Tx& tx, const Ctx& ctx) {
    return ledger::list_org_accounts(tx, ctx, coop_, PageReq{.limit = 2});
  });
  EXPECT_EQ(page["items"].size(), 2u);
  EXPECT_FALSE(page["next_after"].is_null());
}

TEST_P(LedgerTest, ConcurrentWritersCannotOverspend) {
  move("fund", bank_, ana_cur_, 1000);
  constexpr int kThreads = 16;
  constexpr int64_t kAmount = 70;
  std::atomic<int> ok{0}, refused{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      TransferInput in{.key = "race-" + std::to_string(i),
                       .debit_account_id = ana_cur_,
                       .credit_account_id = bea_cur_,
                       .amount = kAmount};
      start.arrive_and_wait();
      std::latch done(1);
      app_->write_async(
          ana_, "create_transfer", Json::object(),
          [in](store::Tx& tx, const Ctx& ctx) { return ledger::create_transfer(tx, ctx, in); },
          [&](std::exception_ptr e, Json) {
            (e ? refused : ok)++;
            done.count_down();
          });
      done.wait();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1000 / kAmount);
  EXPECT_EQ(refused.load(), kThreads - 1000 / kAmount);
  EXPECT_EQ(balance(ana_cur_), 1000 - (1000 / kAmount) * kAmount);
  EXPECT_TRUE(check()["ok"]);
}

// A command that fails after writing, under a name the batcher trusts to
// check everything first: nothing of it is committed (on SQLite its whole
// batch rolls back; elsewhere its savepoint), and the ledger stays whole.
TEST_P(LedgerTest, ACommandFailingAfterItsFirstWriteLeavesNothing) {
  move("fund", bank_, ana_cur_, 1000);
  int64_t journal = count("SELECT COUNT(*) FROM audit_journal");
  TransferInput in{
      .key = "late", .debit_account_id = ana_cur_, .credit_account_id = bea_cur_, .amount = 10};
  auto late = failure_of([&] {
    app_->write(admin_, "create_transfer", Json::object(), [=](store::Tx& tx, const Ctx& ctx) {
      ledger::create_transfer(tx, ctx, in);
      throw Error(Code::rule_violation, "refused after writing");
      return Json();
    });
  });
  EXPECT_EQ(late.code, Code::rule_violation);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key = 'late'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_journal"), journal);
  EXPECT_EQ(balance(ana_cur_), 1000);
  EXPECT_EQ(balance(bea_cur_), 0);
  EXPECT_TRUE(check()["ok"]);
  // The batcher goes on: the same transfer then succeeds once.
  EXPECT_EQ(move("late", ana_cur_, bea_cur_, 10)["amount"], 10);
  EXPECT_EQ(balance(bea_cur_), 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_journal"), journal + 1);
}

// Refusals and successes of single transfers share batches: each refused
// one leaves no transfer and no journal entry, each accepted one both.
TEST_P(LedgerTest, RefusedTransfersInABatchLeaveNoJournalEntry) {
  move("fund", bank_, ana_cur_, 100);
  int64_t journal = count("SELECT COUNT(*) FROM audit_journal");
  constexpr int kCommands = 40;
  std::atomic<int> ok{0}, refused{0};
  std::latch done(kCommands);
  for (int i = 0; i < kCommands; ++i) {
    // Every other one overdraws bea's empty account.
    TransferInput in{.key = "mixed-" + std::to_string(i),
                     .debit_account_id = i % 2 == 0 ? ana_cur_ : bea_cur_,
                     .credit_account_id = i % 2 == 0 ? bea_cur_ : ana_cur_,
                     .amount = i % 2 == 0 ? 1 : 1000};
    app_->write_async(
        admin_, "create_transfer", Json::object(),
        [in](store::Tx& tx, const Ctx& ctx) { return ledger::create_transfer(tx, ctx, in); },
        [&](std::exception_ptr e, Json) {
          (e ? refused : ok)++;
          done.count_down();
        });
  }
  done.wait();
  EXPECT_EQ(ok.load(), kCommands / 2);
  EXPECT_EQ(refused.load(), kCommands / 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_journal"), journal + kCommands / 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key LIKE 'mixed-%'"),
            kCommands / 2);
  EXPECT_EQ(balance(bea_cur_), kCommands / 2);
  EXPECT_TRUE(check()["ok"]);
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
