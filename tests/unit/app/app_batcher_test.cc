// The write batcher and the audit journal: each command atomic on its own
// inside a shared transaction, answered only after commit, journaled in order.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "app/app.h"
#include "app/journal.h"
#include "core/error.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

class AppBatcherTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    db_->write([](store::Tx& tx) {
      tx.exec("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
      tx.exec("INSERT INTO counters (id, n) VALUES (1, 0)");
    });
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
  }
  void TearDown() override {
    app_.reset();
    db_.reset();
  }

  int64_t counter() {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query("SELECT n FROM counters WHERE id = 1").one().i64(0); });
    return n;
  }
  int64_t journal_entries() {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query("SELECT COUNT(*) FROM audit_journal").one().i64(0); });
    return n;
  }

  ManualClock clock_{Timestamp{1'700'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor actor_{.account_id = 7, .person_id = 3, .address = "127.0.0.1"};
};

WriteFn increment(int64_t by) {
  return [by](store::Tx& tx, const Ctx&) {
    tx.exec("UPDATE counters SET n = n + $1 WHERE id = 1", {by});
    return Json{{"by", by}};
  };
}

TEST_P(AppBatcherTest, WriteReturnsTheCommandsResultAfterCommit) {
  Json r = app_->write(actor_, "increment", Json{{"by", 5}}, increment(5));
  EXPECT_EQ(r["by"], 5);
  EXPECT_EQ(counter(), 5);
  EXPECT_EQ(journal_entries(), 1);
}

TEST_P(AppBatcherTest, AFailingCommandLeavesNothingAndIsNotJournaled) {
  app_->write(actor_, "increment", Json::object(), increment(1));
  EXPECT_THROW(app_->write(actor_, "half_then_fail", Json::object(),
                           [](store::Tx& tx, const Ctx&) -> Json {
                             tx.exec("UPDATE counters SET n = n + 100 WHERE id = 1");
                             throw Error(Code::rule_violation, "refused");
                           }),
               Error);
  EXPECT_EQ(counter(), 1);
  EXPECT_EQ(journal_entries(), 1);
}

TEST_P(AppBatcherTest, ConcurrentCommandsAreEachAppliedOnceAndGroupCommitted) {
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every fifth command fails; it must not take its batch-mates with it.
        if (i % 5 == 4) {
          try {
            app_->write(actor_, "fail", Json::object(), [](store::Tx& tx, const Ctx&) -> Json {
              tx.exec("UPDATE counters SET n = n + 1000000 WHERE id = 1");
              throw Error(Code::conflict, "no");
            });
          } catch (const Error&) {
            failures++;
          }
        } else {
          app_->write(actor_, "increment", Json{{"t", t}}, increment(1));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  int ok = kThreads * kPerThread - failures.load();
  EXPECT_EQ(failures.load(), kThreads * kPerThread / 5);
  EXPECT_EQ(counter(), ok);
  EXPECT_EQ(journal_entries(), ok);
  auto stats = app_->batch_stats();
  EXPECT_EQ(stats.commands, kThreads * kPerThread);
  EXPECT_LE(stats.batches, stats.commands);
  auto report = verify_journal(*db_);
  EXPECT_EQ(report.entries, ok);
  EXPECT_FALSE(report.first_broken_seq.has_value());
}

TEST_P(AppBatcherTest, VerifyNamesTheFirstTamperedEntry) {
  for (int i = 0; i < 5; ++i) app_->write(actor_, "increment", Json{{"i", i}}, increment(1));
  int64_t third = 0;
  db_->read([&](store::Tx& tx) {
    third = tx.query("SELECT seq FROM audit_journal ORDER BY seq LIMIT 1 OFFSET 2").one().i64(0);
  });
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE audit_journal SET command = 'forged' WHERE seq = $1", {third});
  });
  auto report = verify_journal(*db_);
  ASSERT_TRUE(report.first_broken_seq.has_value());
  EXPECT_EQ(*report.first_broken_seq, third);
}

TEST_P(AppBatcherTest, VerifyDetectsADeletedEntry) {
  for (int i = 0; i < 4; ++i) app_->write(actor_, "increment", Json{{"i", i}}, increment(1));
  int64_t second = 0, third = 0;
  db_->read([&](store::Tx& tx) {
    auto rows = tx.query("SELECT seq FROM audit_journal ORDER BY seq");
    second = rows.rows[1].i64(0);
    third = rows.rows[2].i64(0);
  });
  db_->write([&](store::Tx& tx) { tx.exec("DELETE FROM audit_journal WHERE seq = $1", {second}); });
  auto report = verify_journal(*db_);
  ASSERT_TRUE(report.first_broken_seq.has_value());
  EXPECT_EQ(*report.first_broken_seq, third);
}

TEST_P(AppBatcherTest, WritesAfterStopAreRefused) {
  app_->stop();
  try {
    app_->write(actor_, "increment", Json::object(), increment(1));
    FAIL() << "write after stop was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::unavailable);
  }
  EXPECT_EQ(counter(), 0);
}

TEST_P(AppBatcherTest, CommandsSeeTheInjectedClock) {
  clock_.set(Timestamp{1'800'000'000'000'000});
  Json r = app_->write(actor_, "now", Json::object(),
                       [](store::Tx&, const Ctx& ctx) { return Json(ctx.now.us); });
  EXPECT_EQ(r.get<int64_t>(), 1'800'000'000'000'000);
}

INSTANTIATE_TEST_SUITE_P(Engines, AppBatcherTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
