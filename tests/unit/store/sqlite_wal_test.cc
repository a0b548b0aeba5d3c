// SQLite's WAL through agora's buffering VFS (store/sqlite/wal_buffer_vfs.h):
// transactions far larger than its buffer, two writers on one file (the
// server and a CLI job), a rolled-back transaction whose pages spilled into
// the WAL, and a writer process killed mid-stream. Each time every
// connection sees exactly the committed rows and the file passes SQLite's
// integrity check.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "core/error.h"
#include "store/database.h"
#include "support/test_db.h"

namespace agora::store {
namespace {

constexpr const char* kWalSchema = "CREATE TABLE blob_rows (id INTEGER PRIMARY KEY, tag TEXT, body TEXT)";

class SqliteWalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open();
    db_->write([](Tx& tx) { tx.exec(kWalSchema); });
  }
  std::unique_ptr<Database> open() { return Database::open(scratch_.url()); }

  // `n` rows of `bytes` each, tagged.
  static void insert(Tx& tx, const std::string& tag, int n, size_t bytes) {
    const std::string body(bytes, tag.empty() ? 'x' : tag[0]);
    for (int i = 0; i < n; ++i)
      tx.exec("INSERT INTO blob_rows (tag, body) VALUES ($1, $2)", {tag, body});
  }
  static int64_t count(Database& db, const std::string& tag) {
    int64_t n = -1;
    db.read([&](Tx& tx) {
      n = tx.query("SELECT COUNT(*) FROM blob_rows WHERE tag = $1", {tag}).one().i64(0);
    });
    return n;
  }
  static std::string integrity(Database& db) {
    std::string out;
    db.read([&](Tx& tx) {
      for (const auto& r : tx.query("PRAGMA integrity_check").rows) out += r.str(0);
    });
    return out;
  }

  test_db::ScratchDatabase scratch_{"sqlite"};
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteWalTest, ATransactionLargerThanTheBufferReachesEveryConnection) {
  // ~6 MiB of pages in one commit: several buffer flushes, each written in
  // pieces, then many small commits.
  db_->write([](Tx& tx) { insert(tx, "big", 1500, 4000); });
  for (int i = 0; i < 50; ++i) db_->write([](Tx& tx) { insert(tx, "small", 3, 100); });
  EXPECT_EQ(count(*db_, "big"), 1500);
  EXPECT_EQ(count(*db_, "small"), 150);
  auto other = open();
  EXPECT_EQ(count(*other, "big"), 1500);
  EXPECT_EQ(count(*other, "small"), 150);
  other.reset();
  db_.reset();
  auto again = open();
  EXPECT_EQ(count(*again, "big"), 1500);
  EXPECT_EQ(integrity(*again), "ok");
}

TEST_F(SqliteWalTest, TwoWritersOnOneFileSeeEachOthersCommits) {
  auto second = open();
  for (int round = 0; round < 20; ++round) {
    // Alternate large and small commits between the two writers.
    const int n = round % 3 == 0 ? 400 : 5;
    db_->write([&](Tx& tx) { insert(tx, "a", n, 3000); });
    EXPECT_EQ(count(*second, "a"), count(*db_, "a")) << "round " << round;
    second->write([&](Tx& tx) { insert(tx, "b", n, 3000); });
    EXPECT_EQ(count(*db_, "b"), count(*second, "b")) << "round " << round;
  }
  const int64_t want = 7 * 400 + 13 * 5;
  EXPECT_EQ(count(*db_, "a"), want);
  EXPECT_EQ(count(*db_, "b"), want);
  second.reset();
  db_.reset();
  auto again = open();
  EXPECT_EQ(count(*again, "a"), want);
  EXPECT_EQ(count(*again, "b"), want);
  EXPECT_EQ(integrity(*again), "ok");
}

TEST_F(SqliteWalTest, SpilledPagesOfARolledBackTransactionNeverShow) {
  auto second = open();
  // A tiny page cache makes the writer spill uncommitted pages into the WAL.
  db_->write([](Tx& tx) { tx.exec("PRAGMA cache_size = 10"); });
  EXPECT_THROW(db_->write([](Tx& tx) {
    insert(tx, "gone", 300, 3000);
    throw Error(Code::invalid_state, "changed my mind");
  }),
               Error);
  // The other writer's larger commit lands where the spilled frames were.
  second->write([](Tx& tx) { insert(tx, "kept", 600, 3000); });
  db_->write([](Tx& tx) { insert(tx, "after", 10, 3000); });
  EXPECT_EQ(count(*db_, "gone"), 0);
  EXPECT_EQ(count(*db_, "kept"), 600);
  EXPECT_EQ(count(*second, "after"), 10);
  db_.reset();  // closing flushes nothing stale over the other's frames
  EXPECT_EQ(count(*second, "kept"), 600);
  second.reset();
  auto again = open();
  EXPECT_EQ(count(*again, "gone"), 0);
  EXPECT_EQ(count(*again, "kept"), 600);
  EXPECT_EQ(count(*again, "after"), 10);
  EXPECT_EQ(integrity(*again), "ok");
}

TEST_F(SqliteWalTest, EveryCommitAWriterKilledMidStreamReportedIsKept) {
  db_.reset();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    try {
      auto db = Database::open(scratch_.url());
      for (int64_t i = 1;; ++i) {
        // Every seventh commit is larger than the buffer.
        const int rows = i % 7 == 0 ? 700 : 2;
        db->write([&](Tx& tx) { insert(tx, "t" + std::to_string(i), rows, 3500); });
        // Reported only once write() returned: committed and synced.
        if (write(fds[1], &i, sizeof i) != sizeof i) _exit(3);
      }
    } catch (...) {
      _exit(2);
    }
  }
  close(fds[1]);
  std::set<int64_t> reported;
  int64_t id = 0;
  while (reported.size() < 60 && read(fds[0], &id, sizeof id) == sizeof id) reported.insert(id);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  // Commits reported while the kill was on its way count too.
  while (read(fds[0], &id, sizeof id) == sizeof id) reported.insert(id);
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped on its own: " << status;
  ASSERT_GE(reported.size(), 60u);

  auto again = open();
  EXPECT_EQ(integrity(*again), "ok");
  for (int64_t i : reported)
    EXPECT_EQ(count(*again, "t" + std::to_string(i)), i % 7 == 0 ? 700 : 2) << "commit " << i;
}

}  // namespace
}  // namespace agora::store
