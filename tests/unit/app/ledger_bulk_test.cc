// ledger::apply_bulk (app/ledger.h) on every engine under test: hold posts
// in full, for less and voided, plain transfers after them, the same rows,
// running balances, totals and body hashes as apply_transfers writes for
// the same batch, and refusals (a hold resolved twice, overdraft, a stored
// or repeated key, an expired hold) that leave nothing of the batch.

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "app/ledger.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using ledger::Action;
using ledger::BulkPost;
using ledger::BulkResult;
using ledger::BulkTransfer;
using ledger::TransferInput;
using test_app::error_of;

class LedgerBulkTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    int64_t national = write([](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = write([=](store::Tx& tx, const Ctx& ctx) {
      return create_org(
          tx, ctx,
          OrgInput{.parent_id = national, .kind = "consumer", .name = "Coop", .slug = "coop"});
    })["id"];
    bank_ = open({.org_id = coop_, .holder = "external", .kind = "bank"});
    ops_ = open({.org_id = coop_, .holder = "org", .kind = "operating"});
    fund_ = open({.org_id = coop_, .holder = "fund", .kind = "solidarity"});
    for (int i = 0; i < 3; ++i) {
      // Spending accounts that may not go below zero.
      members_.push_back(open({.org_id = coop_,
                               .holder = "org",
                               .kind = i == 0 ? "clearing" : (i == 1 ? "share_capital" : "surplus"),
                               .debits_must_not_exceed_credits = true}));
    }
  }
  void TearDown() override { app_->stop(); }

  Json write(WriteFn fn) { return app_->write(admin_, "test", Json::object(), fn); }
  Json read(ReadFn fn) { return app_->read(admin_, fn); }

  int64_t open(ledger::AccountInput in) {
    return write([=](store::Tx& tx, const Ctx& ctx) { return ledger::open_account(tx, ctx, in); })["id"];
  }
  Json apply(std::vector<TransferInput> in) {
    return write([=](store::Tx& tx, const Ctx& ctx) {
      Json items = Json::array();
      for (auto& j : ledger::apply_transfers(tx, ctx.now, 0, in)) items.push_back(std::move(j));
      return items;
    });
  }
  Json move(const std::string& key, int64_t from, int64_t to, int64_t amount, bool pending = false,
            std::optional<int64_t> timeout_s = std::nullopt) {
    return apply({TransferInput{.key = key,
                                .debit_account_id = from,
                                .credit_account_id = to,
                                .amount = amount,
                                .pending = pending,
                                .timeout_s = timeout_s,
                                .code = "order"}})[0];
  }
  int64_t hold(const std::string& key, int64_t from, int64_t amount) {
    return move(key, from, ops_, amount, true)["id"];
  }
  BulkResult bulk(std::vector<BulkPost> posts, std::vector<BulkTransfer> transfers,
                  int64_t later_s = 0) {
    BulkResult r;
    write([&](store::Tx& tx, const Ctx& ctx) {
      r = ledger::apply_bulk(tx, Timestamp{ctx.now.us + later_s * 1'000'000}, 0, posts, transfers);
      return Json::object();
    });
    return r;
  }
  Json account(int64_t id) {
    return read([=](store::Tx& tx, const Ctx& ctx) { return ledger::get_account(tx, ctx, id); });
  }
  int64_t balance(int64_t id) { return account(id)["balance"]; }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }
  void expect_ledger_ok() {
    Json c = read([](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
    EXPECT_TRUE(c["ok"]) << c.dump();
  }
  // Transfers with id > after, ids made relative to the first of them (a
  // PostgreSQL sequence does not roll back), with their holds' states and
  // every account's totals.
  Json snapshot(store::Tx& tx, int64_t after) {
    Json out = Json::object();
    Json rows = Json::array();
    int64_t first = 0;
    auto rel = [&](const store::Row& r, size_t c) -> Json {
      if (r.is_null(c)) return nullptr;
      int64_t v = r.i64(c);
      return v > after ? Json(v - first) : Json(v);
    };
    for (const auto& r :
         tx.query("SELECT id, body_hash, created_by, action, pending, debit_account_id, "
                  "credit_account_id, amount, currency, code, memo, pending_id, batch_id, "
                  "debit_balance, credit_balance, created_at, timeout_at, reverses_id, "
                  "payment_request_id FROM ledger_transfers WHERE id > $1 ORDER BY id",
                  {after})
             .rows) {
      if (first == 0) first = r.i64(0);
      rows.push_back(Json{{"id", rel(r, 0)},          {"body_hash", r.str(1)},
                          {"created_by", r.i64(2)},   {"action", r.str(3)},
                          {"pending", r.i64(4)},      {"debit", r.i64(5)},
                          {"credit", r.i64(6)},       {"amount", r.i64(7)},
                          {"currency", r.str(8)},     {"code", r.str(9)},
                          {"memo", r.str(10)},        {"pending_id", rel(r, 11)},
                          {"batch_id", rel(r, 12)},   {"debit_balance", r.i64(13)},
                          {"credit_balance", r.i64(14)}, {"created_at", r.i64(15)},
                          {"timeout_at", r.opt_i64(16) ? Json(*r.opt_i64(16)) : Json(nullptr)},
                          {"reverses_id", r.is_null(17) ? Json(nullptr) : Json(r.i64(17))},
                          {"payment_request_id", r.is_null(18) ? Json(nullptr) : Json(r.i64(18))}});
    }
    out["transfers"] = rows;
    Json holds = Json::array();
    for (const auto& r :
         tx.query("SELECT transfer_id, state, resolved_by FROM ledger_pending ORDER BY transfer_id")
             .rows) {
      holds.push_back(Json{{"id", r.i64(0)}, {"state", r.str(1)}, {"resolved_by", rel(r, 2)}});
    }
    out["holds"] = holds;
    Json accounts = Json::array();
    for (const auto& r : tx.query("SELECT id, debits_posted, credits_posted, debits_pending, "
                                  "credits_pending FROM ledger_accounts ORDER BY id")
                             .rows) {
      accounts.push_back(Json{r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4)});
    }
    out["accounts"] = accounts;
    return out;
  }
  int64_t max_id() { return count("SELECT COALESCE(MAX(id), 0) FROM ledger_transfers"); }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_;
  int64_t coop_ = 0, bank_ = 0, ops_ = 0, fund_ = 0;
  std::vector<int64_t> members_;
};

TEST_P(LedgerBulkTest, EmptyBatchWritesNothing) {
  BulkResult r = bulk({}, {});
  EXPECT_EQ(r.batch_id, 0);
  EXPECT_TRUE(r.post_ids.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), 0);
}

TEST_P(LedgerBulkTest, PostsInFullForLessAndVoidsThenTransfers) {
  const int64_t a = members_[0];
  move("fund-a", bank_, a, 1000);
  int64_t h1 = hold("h1", a, 300);
  int64_t h2 = hold("h2", a, 200);
  int64_t h3 = hold("h3", a, 100);
  EXPECT_EQ(account(a)["available"], 400);
  BulkResult r = bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300, .memo = "order 1"},
                       {.key = "sys:p2", .pending_id = h2, .amount = 150},
                       {.key = "sys:p3", .pending_id = h3, .amount = 0, .memo = "nothing came"}},
                      {{.key = "sys:t1", .debit_account_id = ops_, .credit_account_id = fund_,
                        .amount = 45, .code = "market_fund"},
                       {.key = "sys:t2", .debit_account_id = a, .credit_account_id = fund_,
                        .amount = 550}});
  ASSERT_EQ(r.post_ids.size(), 3u);
  ASSERT_EQ(r.transfer_ids.size(), 2u);
  EXPECT_EQ(r.batch_id, r.post_ids[0]);
  EXPECT_EQ(balance(a), 0);
  EXPECT_EQ(account(a)["debits_pending"], 0);
  EXPECT_EQ(balance(ops_), 405);
  EXPECT_EQ(account(ops_)["credits_pending"], 0);
  EXPECT_EQ(balance(fund_), 595);

  Json items = read([&](store::Tx& tx, const Ctx& ctx) {
    Json out = Json::array();
    for (int64_t id : r.post_ids) out.push_back(ledger::get_transfer(tx, ctx, id));
    for (int64_t id : r.transfer_ids) out.push_back(ledger::get_transfer(tx, ctx, id));
    for (int64_t id : {h1, h2, h3}) out.push_back(ledger::get_transfer(tx, ctx, id));
    return out;
  });
  EXPECT_EQ(items[0]["action"], "post");
  EXPECT_EQ(items[0]["amount"], 300);
  EXPECT_EQ(items[0]["code"], "order");
  EXPECT_EQ(items[0]["memo"], "order 1");
  EXPECT_EQ(items[0]["pending_id"], h1);
  EXPECT_EQ(items[0]["debit_balance"], 700);
  EXPECT_EQ(items[0]["credit_balance"], 300);
  EXPECT_EQ(items[1]["amount"], 150);
  EXPECT_EQ(items[1]["debit_balance"], 550);
  EXPECT_EQ(items[2]["action"], "void");
  EXPECT_EQ(items[2]["amount"], 100);
  EXPECT_EQ(items[2]["debit_balance"], 550);
  EXPECT_EQ(items[3]["action"], "create");
  EXPECT_EQ(items[3]["code"], "market_fund");
  EXPECT_EQ(items[3]["debit_balance"], 405);
  EXPECT_EQ(items[4]["debit_balance"], 0);
  EXPECT_EQ(items[4]["credit_balance"], 595);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(items[i]["batch_id"], r.batch_id) << i;
  EXPECT_EQ(items[5]["state"], "posted");
  EXPECT_EQ(items[6]["state"], "posted");
  EXPECT_EQ(items[7]["state"], "voided");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_pending WHERE resolved_by IS NOT NULL"), 3);
  EXPECT_EQ(count("SELECT resolved_by FROM ledger_pending WHERE transfer_id = " + std::to_string(h3)),
            r.post_ids[2]);
  expect_ledger_ok();

  // The same keys through apply_transfers with the equivalent bodies replay
  // the stored transfers (the body hashes agree).
  Json again = apply({TransferInput{.key = "sys:p1", .action = Action::post, .amount = 300,
                                    .pending_id = h1, .memo = "order 1"},
                      TransferInput{.key = "sys:p3", .action = Action::void_, .pending_id = h3,
                                    .memo = "nothing came"},
                      TransferInput{.key = "sys:t1", .debit_account_id = ops_, .credit_account_id = fund_,
                                    .amount = 45, .code = "market_fund"}});
  EXPECT_EQ(again[0]["id"], r.post_ids[0]);
  EXPECT_EQ(again[1]["id"], r.post_ids[2]);
  EXPECT_EQ(again[2]["id"], r.transfer_ids[0]);
  EXPECT_EQ(error_of([&] {
              apply({TransferInput{.key = "sys:p2", .action = Action::post, .amount = 151,
                                   .pending_id = h2}});
            }).first,
            Code::conflict);
}

TEST_P(LedgerBulkTest, WritesWhatApplyTransfersWrites) {
  std::mt19937_64 rng(GetParam() == "sqlite" ? 3 : 4);
  std::vector<int64_t> holds;
  std::vector<int64_t> held;
  for (size_t m = 0; m < members_.size(); ++m) move("fund" + std::to_string(m), bank_, members_[m], 100'000);
  for (int i = 0; i < 40; ++i) {
    int64_t amount = 1 + static_cast<int64_t>(rng() % 2000);
    holds.push_back(hold("h" + std::to_string(i), members_[i % members_.size()], amount));
    held.push_back(amount);
  }
  std::vector<BulkPost> posts;
  std::vector<TransferInput> same;
  for (size_t i = 0; i < holds.size(); ++i) {
    int64_t amount = rng() % 4 == 0 ? 0 : 1 + static_cast<int64_t>(rng() % held[i]);
    std::string key = "sys:post:" + std::to_string(i);
    std::string memo = i % 3 == 0 ? "" : "line " + std::to_string(i);
    posts.push_back(BulkPost{.key = key, .pending_id = holds[i], .amount = amount, .memo = memo});
    same.push_back(TransferInput{.key = key,
                                 .action = amount == 0 ? Action::void_ : Action::post,
                                 .amount = amount,
                                 .pending_id = holds[i],
                                 .memo = memo});
  }
  std::vector<BulkTransfer> transfers;
  for (int i = 0; i < 6; ++i) {
    int64_t from = i % 2 == 0 ? ops_ : members_[i % members_.size()];
    BulkTransfer t{.key = "sys:pay:" + std::to_string(i),
                   .debit_account_id = from,
                   .credit_account_id = i < 3 ? fund_ : bank_,
                   .amount = 1 + i,
                   .code = i < 3 ? "transfer" : "producer_payment",
                   .memo = "pay " + std::to_string(i)};
    transfers.push_back(t);
    same.push_back(TransferInput{.key = t.key,
                                 .debit_account_id = t.debit_account_id,
                                 .credit_account_id = t.credit_account_id,
                                 .amount = t.amount,
                                 .code = t.code,
                                 .memo = t.memo});
  }
  const int64_t base = max_id();
  // apply_transfers' rows, rolled back; then apply_bulk's on the same state.
  Json want;
  struct Undo {};
  try {
    db_->write([&](store::Tx& tx) {
      ledger::apply_transfers(tx, clock_.now(), 0, same);
      want = snapshot(tx, base);
      throw Undo{};
    });
  } catch (const Undo&) {
  }
  ASSERT_EQ(max_id(), base);
  Json have;
  db_->write([&](store::Tx& tx) {
    BulkResult r = ledger::apply_bulk(tx, clock_.now(), 0, posts, transfers);
    EXPECT_EQ(r.post_ids.size(), posts.size());
    have = snapshot(tx, base);
  });
  ASSERT_EQ(want["transfers"].size(), holds.size() + transfers.size());
  EXPECT_EQ(have, want) << have.dump() << "\n" << want.dump();
  expect_ledger_ok();
}

TEST_P(LedgerBulkTest, HoldResolvedTwiceLeavesNothingOfTheBatch) {
  const int64_t a = members_[0];
  move("fund-a", bank_, a, 1000);
  int64_t h1 = hold("h1", a, 300);
  int64_t h2 = hold("h2", a, 200);
  const int64_t before = count("SELECT COUNT(*) FROM ledger_transfers");
  auto [code, field] = error_of([&] {
    bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300},
          {.key = "sys:p2", .pending_id = h2, .amount = 200},
          {.key = "sys:p3", .pending_id = h1, .amount = 0}},
         {});
  });
  EXPECT_EQ(code, Code::invalid_state);
  EXPECT_EQ(field, "/pending_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_pending WHERE state = 'pending'"), 2);
  EXPECT_EQ(account(a)["debits_pending"], 500);
  EXPECT_EQ(balance(a), 1000);

  bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300}}, {});
  EXPECT_EQ(error_of([&] { bulk({{.key = "sys:p9", .pending_id = h1, .amount = 1}}, {}); }).first,
            Code::invalid_state);
  // A transfer that is not a hold, and one that does not exist.
  int64_t plain = move("plain", bank_, a, 5)["id"];
  EXPECT_EQ(error_of([&] { bulk({{.key = "sys:p8", .pending_id = plain, .amount = 1}}, {}); }).first,
            Code::invalid_value);
  EXPECT_EQ(error_of([&] { bulk({{.key = "sys:p8", .pending_id = 999999, .amount = 1}}, {}); }).first,
            Code::not_found);
  // More than held.
  auto over = error_of([&] { bulk({{.key = "sys:p8", .pending_id = h2, .amount = 201}}, {}); });
  EXPECT_EQ(over.first, Code::out_of_range);
  EXPECT_EQ(over.second, "/amount");
  expect_ledger_ok();
}

TEST_P(LedgerBulkTest, ExpiredHoldIsRefused) {
  const int64_t a = members_[0];
  move("fund-a", bank_, a, 1000);
  int64_t h = move("h", a, ops_, 100, true, 60)["id"];
  EXPECT_EQ(error_of([&] { bulk({{.key = "sys:p", .pending_id = h, .amount = 100}}, {}, 61); }).first,
            Code::invalid_state);
  BulkResult r = bulk({{.key = "sys:p", .pending_id = h, .amount = 100}}, {}, 59);
  EXPECT_EQ(r.batch_id, r.post_ids[0]);
  EXPECT_EQ(balance(ops_), 100);
  expect_ledger_ok();
}

TEST_P(LedgerBulkTest, OverdraftIsRefusedCountingTheBatch) {
  const int64_t a = members_[0];
  move("fund-a", bank_, a, 1000);
  int64_t h1 = hold("h1", a, 600);
  int64_t h2 = hold("h2", a, 300);
  const int64_t before = count("SELECT COUNT(*) FROM ledger_transfers");
  // Voiding h1 releases 600, but the held 300 still counts: 1000 - 300 = 700
  // may be spent, not 701.
  auto [code, field] = error_of([&] {
    bulk({{.key = "sys:v1", .pending_id = h1, .amount = 0}},
         {{.key = "sys:t1", .debit_account_id = a, .credit_account_id = fund_, .amount = 701}});
  });
  EXPECT_EQ(code, Code::rule_violation);
  EXPECT_EQ(field, "/amount");
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_pending WHERE state = 'pending'"), 2);
  // Transfers run in order: the second overdraws after the first.
  EXPECT_EQ(error_of([&] {
              bulk({{.key = "sys:p2", .pending_id = h2, .amount = 300}},
                   {{.key = "sys:t1", .debit_account_id = a, .credit_account_id = fund_, .amount = 100},
                    {.key = "sys:t2", .debit_account_id = a, .credit_account_id = fund_, .amount = 1}});
            }).first,
            Code::rule_violation);
  bulk({{.key = "sys:v1", .pending_id = h1, .amount = 0}, {.key = "sys:p2", .pending_id = h2, .amount = 300}},
       {{.key = "sys:t1", .debit_account_id = a, .credit_account_id = fund_, .amount = 700}});
  EXPECT_EQ(balance(a), 0);
  // Overflow is refused, never wrapped.
  int64_t cash = open({.org_id = coop_, .holder = "external", .kind = "cash"});
  int64_t education = open({.org_id = coop_, .holder = "fund", .kind = "education"});
  move("huge", cash, education, INT64_MAX - 10);
  EXPECT_EQ(error_of([&] {
              bulk({}, {{.key = "sys:o", .debit_account_id = cash, .credit_account_id = education,
                         .amount = 100}});
            }).first,
            Code::out_of_range);
  // Unknown accounts, the same account twice, a bad amount or code.
  EXPECT_EQ(error_of([&] {
              bulk({}, {{.key = "sys:x", .debit_account_id = ops_, .credit_account_id = 999999, .amount = 1}});
            }).second,
            "/credit_account_id");
  EXPECT_EQ(error_of([&] {
              bulk({}, {{.key = "sys:x", .debit_account_id = ops_, .credit_account_id = ops_, .amount = 1}});
            }).first,
            Code::invalid_value);
  EXPECT_EQ(error_of([&] {
              bulk({}, {{.key = "sys:x", .debit_account_id = ops_, .credit_account_id = fund_, .amount = 0}});
            }).first,
            Code::out_of_range);
  EXPECT_EQ(error_of([&] {
              bulk({}, {{.key = "sys:x", .debit_account_id = ops_, .credit_account_id = fund_,
                         .amount = 1, .code = "Bad Code"}});
            }).second,
            "/code");
  expect_ledger_ok();
}

TEST_P(LedgerBulkTest, StoredOrRepeatedKeysAreRefused) {
  const int64_t a = members_[0];
  move("fund-a", bank_, a, 1000);
  int64_t h1 = hold("h1", a, 300);
  const int64_t before = count("SELECT COUNT(*) FROM ledger_transfers");
  // A key already stored (here by a plain transfer), even late in the batch.
  auto stored = error_of([&] {
    bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300}},
         {{.key = "fund-a", .debit_account_id = ops_, .credit_account_id = fund_, .amount = 1}});
  });
  EXPECT_EQ(stored.first, Code::duplicate);
  EXPECT_EQ(stored.second, "/key");
  auto twice = error_of([&] {
    bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300}},
         {{.key = "sys:p1", .debit_account_id = ops_, .credit_account_id = fund_, .amount = 1}});
  });
  EXPECT_EQ(twice.first, Code::duplicate);
  EXPECT_EQ(twice.second, "/key");
  EXPECT_EQ(error_of([&] { bulk({{.key = "bad key", .pending_id = h1, .amount = 1}}, {}); }).first,
            Code::invalid_value);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), before);
  EXPECT_EQ(account(a)["debits_pending"], 300);
  bulk({{.key = "sys:p1", .pending_id = h1, .amount = 300}}, {});
  expect_ledger_ok();
}

TEST_P(LedgerBulkTest, ManyHoldsAcrossChunks) {
  std::mt19937_64 rng(99);
  for (size_t m = 0; m < members_.size(); ++m) move("fund" + std::to_string(m), bank_, members_[m], 1'000'000);
  std::vector<TransferInput> in;
  for (int i = 0; i < 1000; ++i) {
    in.push_back(TransferInput{.key = "h" + std::to_string(i),
                               .debit_account_id = members_[i % members_.size()],
                               .credit_account_id = ops_,
                               .amount = 1 + static_cast<int64_t>(rng() % 1000),
                               .pending = true});
  }
  Json created = apply(in);
  // Every third hold first (ids read by lists), then the rest (by ranges).
  int64_t posted = 0;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<BulkPost> posts;
    for (size_t i = 0; i < in.size(); ++i) {
      if ((i % 3 == 0) != (pass == 0)) continue;
      int64_t amount = static_cast<int64_t>(rng() % (in[i].amount + 1));
      posted += amount;
      posts.push_back(BulkPost{.key = "sys:p" + std::to_string(i), .pending_id = created[i]["id"],
                               .amount = amount});
    }
    BulkResult r = bulk(posts, {{.key = "sys:pay" + std::to_string(pass), .debit_account_id = ops_,
                                 .credit_account_id = fund_, .amount = posted}});
    posted = 0;
    ASSERT_EQ(r.post_ids.size(), posts.size());
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE batch_id = " + std::to_string(r.batch_id)),
              static_cast<int64_t>(posts.size()) + 1);
    // Each post resolved its own hold.
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_pending p JOIN ledger_transfers t ON t.id = "
                    "p.resolved_by WHERE t.pending_id = p.transfer_id AND t.batch_id = " +
                    std::to_string(r.batch_id)),
              static_cast<int64_t>(posts.size()));
    EXPECT_EQ(balance(ops_), 0);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_pending WHERE state = 'pending'"), 0);
  expect_ledger_ok();
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerBulkTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
