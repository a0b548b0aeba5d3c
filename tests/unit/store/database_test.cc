// The Database contract, run on every engine under test (SQLite, and
// PostgreSQL when AGORA_TEST_PG_URL is set).

#include "store/database.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "store/migrations.h"
#include "support/error_test.h"
#include "support/test_db.h"

namespace agora::store {
namespace {

using test_db::fresh_database;
using test_support::code_of;

constexpr const char* kSchema =
    "CREATE TABLE parent (id AUTO_ID, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE child (id AUTO_ID, parent_id BIGINT NOT NULL REFERENCES parent(id), "
    "  n BIGINT, s TEXT);";

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = fresh_database(GetParam());
    db_->write([](Tx& tx) { tx.exec_script(expand_dialect(kSchema, tx.dialect())); });
  }

  int64_t count(const std::string& table) {
    int64_t n = -1;
    db_->read([&](Tx& tx) { n = tx.query("SELECT count(*) FROM " + table).one().i64(0); });
    return n;
  }

  int64_t add_parent(Tx& tx, const std::string& name) {
    return tx.query("INSERT INTO parent (name) VALUES ($1) RETURNING id", {name}).one().i64(0);
  }

  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, ReportsItsDialect) {
  EXPECT_EQ(db_->dialect(), GetParam() == "sqlite" ? Dialect::sqlite : Dialect::postgres);
  db_->read([&](Tx& tx) { EXPECT_EQ(tx.dialect(), db_->dialect()); });
}

TEST_P(DatabaseTest, MigrationsApplyOnceAndAreIdempotent) {
  const auto& all = migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(db_->schema_version(), all.back().version);
  auto applied = [&] {
    int64_t n = 0;
    db_->read([&](Tx& tx) { n = tx.query("SELECT count(*) FROM schema_migrations").one().i64(0); });
    return n;
  };
  EXPECT_EQ(applied(), static_cast<int64_t>(all.size()));
  apply_migrations(*db_);
  apply_migrations(*db_);
  EXPECT_EQ(applied(), static_cast<int64_t>(all.size()));
  EXPECT_EQ(db_->schema_version(), all.back().version);
}

TEST_P(DatabaseTest, ReopeningAMigratedDatabaseKeepsItsData) {
  test_db::ScratchDatabase scratch(GetParam());
  {
    auto db = Database::open(scratch.url());
    db->write([](Tx& tx) { tx.exec("INSERT INTO agora_info (key, value) VALUES ('k', 'v')"); });
  }
  auto db = Database::open(scratch.url());
  EXPECT_EQ(db->schema_version(), migrations().back().version);
  db->read([](Tx& tx) {
    EXPECT_EQ(tx.query("SELECT value FROM agora_info WHERE key = 'k'").one().str(0), "v");
  });
}

TEST_P(DatabaseTest, UnmigratedDatabaseHasVersionZero) {
  test_db::ScratchDatabase scratch(GetParam());
  auto db = Database::open(scratch.url(), {.migrate = false});
  EXPECT_EQ(db->schema_version(), 0);
  apply_migrations(*db);
  EXPECT_EQ(db->schema_version(), migrations().back().version);
}

TEST_P(DatabaseTest, RefusesASchemaNewerThanTheProgram) {
  test_db::ScratchDatabase scratch(GetParam());
  Database::open(scratch.url())->write([](Tx& tx) {
    tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99999, 'x', 0)");
  });
  EXPECT_EQ(code_of([&] { Database::open(scratch.url()); }), Code::database);
}

TEST_P(DatabaseTest, EachMigrationCommitsOnItsOwn) {
  test_db::ScratchDatabase scratch(GetParam());
  auto db = Database::open(scratch.url(), {.migrate = false});
  std::vector<Migration> list{
      {1, "0001_one", "CREATE TABLE m1 (id AUTO_ID, b BLOB_TYPE);"},
      {2, "0002_two", "CREATE TABLE m2 (id AUTO_ID); INSERT INTO m2 (id) VALUES (1);"},
      {3, "0003_broken", "CREATE TABLE m3 (id AUTO_ID); INSERT INTO no_such_table VALUES (1);"},
      {4, "0004_after", "CREATE TABLE m4 (id AUTO_ID);"},
  };
  try {
    apply_migrations(*db, list);
    FAIL() << "a broken migration was applied";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::database);
    EXPECT_NE(std::string(e.what()).find("0003_broken"), std::string::npos) << e.what();
  }
  EXPECT_EQ(db->schema_version(), 2);
  db->read([](Tx& tx) {
    EXPECT_EQ(tx.query("SELECT count(*) FROM m2").one().i64(0), 1);
    EXPECT_EQ(tx.query("SELECT count(*) FROM schema_migrations").one().i64(0), 2);
  });
  // Nothing of the broken file stays behind, and fixing it lets the rest run.
  list[2].sql = "CREATE TABLE m3 (id AUTO_ID);";
  apply_migrations(*db, list);
  EXPECT_EQ(db->schema_version(), 4);
  db->read([](Tx& tx) { EXPECT_EQ(tx.query("SELECT count(*) FROM m4").one().i64(0), 0); });
}

TEST_P(DatabaseTest, PlaceholdersBindByNumberNotByPosition) {
  db_->read([](Tx& tx) {
    auto r = tx.query("SELECT CAST($2 AS TEXT), CAST($1 AS TEXT), $3 + $3, '$1'",
                      {std::string("a"), std::string("b"), int64_t{21}});
    const Row& row = r.one();
    EXPECT_EQ(row.str(0), "b");
    EXPECT_EQ(row.str(1), "a");
    EXPECT_EQ(row.i64(2), 42);
    EXPECT_EQ(row.str(3), "$1");  // a literal is not a placeholder
  });
}

TEST_P(DatabaseTest, WrongParameterCountIsADatabaseError) {
  EXPECT_EQ(code_of([&] {
              db_->read([](Tx& tx) { tx.query("SELECT count(*) FROM parent WHERE id = $1"); });
            }),
            Code::database);
}

TEST_P(DatabaseTest, NullsRoundTrip) {
  db_->write([&](Tx& tx) {
    int64_t p = add_parent(tx, "p");
    tx.exec("INSERT INTO child (parent_id, n, s) VALUES ($1, $2, $3)", {p, nullptr, nullptr});
  });
  db_->read([](Tx& tx) {
    Rows r = tx.query("SELECT n, s FROM child");
    const Row& row = r.one();
    EXPECT_TRUE(row.is_null(0));
    EXPECT_TRUE(row.is_null(1));
    EXPECT_EQ(row.opt_i64(0), std::nullopt);
    EXPECT_EQ(row.opt_str(1), std::nullopt);
    EXPECT_THROW(row.i64(0), Error);
    EXPECT_THROW(row.str(1), Error);
    EXPECT_EQ(r.columns, (std::vector<std::string>{"n", "s"}));
  });
}

TEST_P(DatabaseTest, Int64ExtremesRoundTrip) {
  const std::vector<int64_t> values{std::numeric_limits<int64_t>::min(),
                                    std::numeric_limits<int64_t>::max(), 0, -1, 1};
  db_->write([&](Tx& tx) {
    int64_t p = add_parent(tx, "p");
    for (int64_t v : values) tx.exec("INSERT INTO child (parent_id, n) VALUES ($1, $2)", {p, v});
  });
  db_->read([&](Tx& tx) {
    for (int64_t v : values) {
      Rows r = tx.query("SELECT n FROM child WHERE n = $1", {v});
      EXPECT_EQ(r.one().i64(0), v);
      EXPECT_EQ(r.one().opt_i64(0), v);
    }
    EXPECT_EQ(tx.query("SELECT max(n) FROM child").one().i64(0), values[1]);
  });
}

TEST_P(DatabaseTest, EachStreamsTypedRowsInOrder) {
  db_->write([&](Tx& tx) {
    int64_t p = add_parent(tx, "p");
    for (int64_t i = 0; i < 1000; ++i) {
      tx.exec("INSERT INTO child (parent_id, n, s) VALUES ($1, $2, $3)",
              {p, i == 7 ? Value(nullptr) : Value(i * 3), "s" + std::to_string(i)});
    }
  });
  db_->read([&](Tx& tx) {
    int64_t seen = 0;
    int64_t sum = 0;
    tx.each("SELECT n, s, n > 10 FROM child WHERE n IS NULL OR n >= $1 ORDER BY id", {int64_t{0}},
            [&](const RowView& row) {
              ASSERT_EQ(row.size(), 3u);
              EXPECT_EQ(row.str(1), "s" + std::to_string(seen));
              if (seen == 7) {
                EXPECT_TRUE(row.is_null(0));
                EXPECT_EQ(row.opt_i64(0), std::nullopt);
                EXPECT_THROW(row.i64(0), Error);
                EXPECT_THROW(row.text(0), Error);
              } else {
                EXPECT_EQ(row.i64(0), seen * 3);
                EXPECT_EQ(row.boolean(2), seen * 3 > 10);
                sum += row.i64(0);
              }
              EXPECT_THROW(row.i64(3), Error);  // out of range
              ++seen;
            });
    EXPECT_EQ(seen, 1000);
    EXPECT_EQ(sum, 3 * (999 * 1000 / 2 - 7));
    // The same statement runs again after a full scan.
    int64_t again = 0;
    tx.each("SELECT n, s, n > 10 FROM child WHERE n IS NULL OR n >= $1 ORDER BY id", {int64_t{2997}},
            [&](const RowView& row) { again += row.is_null(0) ? 0 : 1; });
    EXPECT_EQ(again, 1);
  });
}

TEST_P(DatabaseTest, EachStopsOnAnExceptionAndLeavesTheStatementReusable) {
  db_->write([&](Tx& tx) {
    int64_t p = add_parent(tx, "p");
    for (int64_t i = 0; i < 10; ++i) tx.exec("INSERT INTO child (parent_id, n) VALUES ($1, $2)", {p, i});
  });
  db_->read([&](Tx& tx) {
    int64_t calls = 0;
    EXPECT_THROW(tx.each("SELECT n FROM child ORDER BY n", {},
                         [&](const RowView& row) {
                           ++calls;
                           if (row.i64(0) == 3) throw Error(Code::invalid_value, "stop");
                         }),
                 Error);
    EXPECT_EQ(calls, 4);
    int64_t n = 0;
    tx.each("SELECT n FROM child ORDER BY n", {}, [&](const RowView&) { ++n; });
    EXPECT_EQ(n, 10);
    EXPECT_EQ(tx.query("SELECT count(*) FROM child").one().i64(0), 10);
    // A wrong parameter count is refused before anything runs.
    EXPECT_THROW(tx.each("SELECT n FROM child WHERE n = $1", {}, [](const RowView&) {}), Error);
  });
}

TEST_P(DatabaseTest, IntegerCellsAreTypedOnBothEngines) {
  db_->write([&](Tx& tx) {
    int64_t p = add_parent(tx, "p");
    tx.exec("INSERT INTO child (parent_id, n, s) VALUES ($1, $2, $3)", {p, int64_t{42}, "42"});
  });
  db_->read([&](Tx& tx) {
    const Row row = tx.query("SELECT n, s, n = 42 FROM child").one();
    EXPECT_TRUE(std::holds_alternative<int64_t>(row.cells_[0]));
    EXPECT_TRUE(std::holds_alternative<std::string>(row.cells_[1]));
    EXPECT_EQ(row.str(0), "42");  // an integer cell reads as decimal text
    EXPECT_EQ(row.i64(1), 42);    // a text cell holding an integer parses
    EXPECT_TRUE(row.boolean(2));
  });
}

TEST_P(DatabaseTest, UnicodeTextRoundTrips) {
  const std::string text = "Cooperativa Ñandú — São João 🌻 日本 «ünïcödé»";
  db_->write([&](Tx& tx) { add_parent(tx, text); });
  db_->read([&](Tx& tx) {
    const Row& row = tx.query("SELECT name, length(name) FROM parent WHERE name = $1", {text}).one();
    EXPECT_EQ(row.str(0), text);
    EXPECT_EQ(row.i64(1), 43);  // characters, not bytes
  });
}

TEST_P(DatabaseTest, ReturningAndAffectedCounts) {
  db_->write([&](Tx& tx) {
    Rows ins = tx.query("INSERT INTO parent (name) VALUES ('a'), ('b'), ('c') RETURNING id, name");
    ASSERT_EQ(ins.rows.size(), 3u);
    EXPECT_EQ(ins.affected, 3);
    EXPECT_EQ(ins.rows[1].str(1), "b");
    EXPECT_LT(ins.rows[0].i64(0), ins.rows[1].i64(0));
    EXPECT_EQ(tx.exec("UPDATE parent SET name = name || '!' WHERE name <> 'a'"), 2);
    EXPECT_EQ(tx.exec("DELETE FROM parent WHERE name = 'nobody'"), 0);
    EXPECT_EQ(tx.query("SELECT * FROM parent").affected, 0);
  });
}

TEST_P(DatabaseTest, UniqueViolationIsDuplicateAndWritesNothing) {
  db_->write([&](Tx& tx) { add_parent(tx, "taken"); });
  EXPECT_EQ(code_of([&] {
              db_->write([&](Tx& tx) {
                add_parent(tx, "other");
                add_parent(tx, "taken");
              });
            }),
            Code::duplicate);
  EXPECT_EQ(count("parent"), 1);
}

TEST_P(DatabaseTest, ForeignKeyViolationIsInvalidValue) {
  EXPECT_EQ(code_of([&] {
              db_->write([](Tx& tx) { tx.exec("INSERT INTO child (parent_id) VALUES (12345)"); });
            }),
            Code::invalid_value);
  EXPECT_EQ(count("child"), 0);
}

TEST_P(DatabaseTest, ExceptionRollsBackTheWholeTransaction) {
  EXPECT_THROW(db_->write([&](Tx& tx) {
    add_parent(tx, "a");
    add_parent(tx, "b");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("parent"), 0);
  db_->write([&](Tx& tx) { add_parent(tx, "c"); });  // the lane is usable again
  EXPECT_EQ(count("parent"), 1);
}

TEST_P(DatabaseTest, SavepointRollbackKeepsTheRest) {
  db_->write([&](Tx& tx) {
    add_parent(tx, "kept1");
    tx.savepoint("cmd1");
    add_parent(tx, "undone");
    tx.rollback_to("cmd1");
    tx.release("cmd1");
    // A failed statement inside a savepoint must not poison the transaction
    // (PostgreSQL aborts it until the rollback): this is the batcher's path.
    tx.savepoint("cmd2");
    EXPECT_THROW(add_parent(tx, "kept1"), Error);
    tx.rollback_to("cmd2");
    tx.release("cmd2");
    tx.savepoint("cmd3");
    add_parent(tx, "kept2");
    tx.release("cmd3");
  });
  db_->read([](Tx& tx) {
    Rows r = tx.query("SELECT name FROM parent ORDER BY name");
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].str(0), "kept1");
    EXPECT_EQ(r.rows[1].str(0), "kept2");
  });
}

TEST_P(DatabaseTest, RefusesBadSavepointNames) {
  EXPECT_EQ(code_of([&] { db_->write([](Tx& tx) { tx.savepoint("x; DROP TABLE parent"); }); }),
            Code::database);
  EXPECT_EQ(count("parent"), 0);
}

TEST_P(DatabaseTest, ReadTransactionsAreReadOnly) {
  EXPECT_EQ(code_of([&] {
              db_->read([](Tx& tx) { tx.exec("INSERT INTO parent (name) VALUES ('x')"); });
            }),
            Code::database);
  EXPECT_EQ(count("parent"), 0);
}

TEST_P(DatabaseTest, ReaderKeepsItsSnapshotWhileAWriteCommits) {
  db_->write([&](Tx& tx) { add_parent(tx, "before"); });
  std::mutex mu;
  std::condition_variable cv;
  int step = 0;
  int64_t first = -1, second = -1;
  std::thread reader([&] {
    db_->read([&](Tx& tx) {
      first = tx.query("SELECT count(*) FROM parent").one().i64(0);
      {
        std::unique_lock lock(mu);
        step = 1;
        cv.notify_all();
        cv.wait(lock, [&] { return step == 2; });
      }
      second = tx.query("SELECT count(*) FROM parent").one().i64(0);
    });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return step == 1; });
  }
  db_->write([&](Tx& tx) {
    add_parent(tx, "during1");
    add_parent(tx, "during2");
  });
  {
    std::lock_guard lock(mu);
    step = 2;
  }
  cv.notify_all();
  reader.join();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(count("parent"), 3);
}

TEST_P(DatabaseTest, ManyThreadsReadAndWriteConcurrently) {
  constexpr int kThreads = 6, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        db_->write([&](Tx& tx) { add_parent(tx, std::to_string(t) + "-" + std::to_string(i)); });
        EXPECT_GE(count("parent"), 1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(count("parent"), kThreads * kEach);
  PoolStats s = db_->stats();
  EXPECT_GE(s.read_connections, 1);
  EXPECT_LE(s.read_connections, Options{}.read_pool_size);
  EXPECT_EQ(s.read_in_use, 0);
  EXPECT_GE(s.write_transactions, kThreads * kEach);
}

TEST_P(DatabaseTest, ReaderWaitsWhenThePoolIsExhausted) {
  auto db = fresh_database(GetParam(), {.read_pool_size = 1});
  std::mutex mu;
  std::condition_variable cv;
  bool holding = false;
  std::thread holder([&] {
    db->read([&](Tx&) {
      {
        std::lock_guard lock(mu);
        holding = true;
      }
      cv.notify_all();
      // Keep the only connection until the other reader is seen waiting.
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (db->stats().read_waits == 0 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return holding; });
  }
  db->read([](Tx& tx) { tx.query("SELECT 1"); });
  holder.join();
  EXPECT_EQ(db->stats().read_connections, 1);
  EXPECT_EQ(db->stats().read_waits, 1);
}

TEST_P(DatabaseTest, CachedStatementsSurviveASchemaChange) {
  auto db = fresh_database(GetParam(), {.read_pool_size = 1});
  db->write([](Tx& tx) { tx.exec_script("CREATE TABLE t (a BIGINT, b BIGINT)"); });
  auto select_all = [&] {
    size_t n = 0;
    db->read([&](Tx& tx) { n = tx.query("SELECT * FROM t").columns.size(); });
    return n;
  };
  EXPECT_EQ(select_all(), 2u);
  db->write([](Tx& tx) { tx.exec_script("ALTER TABLE t ADD COLUMN c BIGINT"); });
  // PostgreSQL may refuse the stale plan once; the next transaction re-prepares.
  try {
    select_all();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::database);
  }
  EXPECT_EQ(select_all(), 3u);
}

TEST_P(DatabaseTest, OneRequiresExactlyOneRow) {
  db_->read([](Tx& tx) {
    EXPECT_THROW(tx.query("SELECT id FROM parent").one(), Error);
    EXPECT_TRUE(tx.query("SELECT id FROM parent").empty());
  });
}

TEST_P(DatabaseTest, BackupProducesAUsableCopy) {
  db_->write([&](Tx& tx) {
    add_parent(tx, "saved");
    tx.exec("INSERT INTO agora_info (key, value) VALUES ('backup', 'yes')");
  });
  test_db::ScratchDatabase scratch("sqlite");
  std::string out = scratch.dir() + "/backup.out";
  db_->backup(out);
  ASSERT_TRUE(std::filesystem::exists(out));
  if (GetParam() == "sqlite") {
    auto copy = Database::open("sqlite:" + out);
    EXPECT_EQ(copy->schema_version(), migrations().back().version);
    copy->read([](Tx& tx) {
      EXPECT_EQ(tx.query("SELECT name FROM parent").one().str(0), "saved");
    });
  } else {
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("CREATE TABLE"), std::string::npos);
    EXPECT_NE(text.str().find("schema_migrations"), std::string::npos);
    EXPECT_NE(text.str().find("saved"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

TEST(DatabaseOpen, RefusesUnknownUrls) {
  try {
    Database::open("mysql://x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::bad_config);
  }
  EXPECT_THROW(Database::open("sqlite:"), Error);
}

TEST(DatabaseOpen, UnreachablePostgresIsADatabaseError) {
  try {
    Database::open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::database);
  }
}

TEST(DatabaseOpen, MemoryDatabaseIsSharedByAllConnections) {
  auto db = Database::open("sqlite::memory:");
  db->write([](Tx& tx) { tx.exec("INSERT INTO agora_info (key, value) VALUES ('m', '1')"); });
  db->read([](Tx& tx) {
    EXPECT_EQ(tx.query("SELECT value FROM agora_info WHERE key = 'm'").one().str(0), "1");
  });
}

TEST(ExpandDialect, ReplacesWholeWordsOnly) {
  EXPECT_EQ(expand_dialect("id AUTO_ID, b BLOB_TYPE, AUTO_IDS x", Dialect::sqlite),
            "id INTEGER PRIMARY KEY, b BLOB, AUTO_IDS x");
  EXPECT_EQ(expand_dialect("id AUTO_ID,\nb BLOB_TYPE", Dialect::postgres),
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\nb BYTEA");
}

}  // namespace
}  // namespace agora::store
