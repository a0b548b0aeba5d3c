// Migrations with engine-specific parts, and migration 0011's rebuild of the
// ledger's transfer and hold tables over existing rows (both engines).

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/database.h"
#include "store/migrations.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::store {
namespace {

TEST(ExpandDialect, KeepsOnlyTheEnginesParts) {
  std::string sql =
      "CREATE TABLE a (id AUTO_ID);\n"
      "-- dialect: sqlite\n"
      "CREATE TABLE s (x BIGINT);\n"
      "-- dialect: postgres\n"
      "CREATE TABLE p (x BIGINT);\n"
      "-- dialect: all\n"
      "CREATE TABLE b (x BIGINT);\n";
  std::string lite = expand_dialect(sql, Dialect::sqlite);
  std::string pg = expand_dialect(sql, Dialect::postgres);
  EXPECT_NE(lite.find("CREATE TABLE a (id INTEGER PRIMARY KEY)"), std::string::npos) << lite;
  EXPECT_NE(lite.find("CREATE TABLE s"), std::string::npos);
  EXPECT_EQ(lite.find("CREATE TABLE p"), std::string::npos);
  EXPECT_NE(lite.find("CREATE TABLE b"), std::string::npos);
  EXPECT_NE(pg.find("CREATE TABLE a (id BIGINT GENERATED"), std::string::npos) << pg;
  EXPECT_EQ(pg.find("CREATE TABLE s"), std::string::npos);
  EXPECT_NE(pg.find("CREATE TABLE p"), std::string::npos);
  EXPECT_NE(pg.find("CREATE TABLE b"), std::string::npos);
  // Dropped lines stay as empty lines: an error's line number still matches the file.
  EXPECT_EQ(std::count(lite.begin(), lite.end(), '\n'), std::count(sql.begin(), sql.end(), '\n'));
  EXPECT_EQ(std::count(pg.begin(), pg.end(), '\n'), std::count(sql.begin(), sql.end(), '\n'));
  // A marker must be the whole line.
  std::string inline_marker = "SELECT 1; -- dialect: postgres\nSELECT 2;\n";
  EXPECT_EQ(expand_dialect(inline_marker, Dialect::sqlite), inline_marker);
}

// A migration whose statements are all for the other engine still applies
// (and is recorded) on this one.
class DialectMigrationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DialectMigrationTest, AppliesAFileWithNothingForThisEngine) {
  test_db::ScratchDatabase scratch(GetParam());
  auto db = Database::open(scratch.url(), {.migrate = false});
  std::vector<Migration> list{
      {1, "0001_sqlite_only", "-- only SQLite\n-- dialect: sqlite\nCREATE TABLE s (x BIGINT);\n"},
      {2, "0002_postgres_only",
       "-- only PostgreSQL\n-- dialect: postgres\nCREATE TABLE p (x BIGINT);\n"},
  };
  apply_migrations(*db, list);
  EXPECT_EQ(db->schema_version(), 2);
  bool lite = db->dialect() == Dialect::sqlite;
  db->read([&](Tx& tx) {
    int64_t s = 0, p = 0;
    if (lite) {
      s = tx.query("SELECT count(*) FROM sqlite_master WHERE name = 's'").one().i64(0);
      p = tx.query("SELECT count(*) FROM sqlite_master WHERE name = 'p'").one().i64(0);
    } else {
      s = tx.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 's' AND "
                "table_schema = current_schema()")
              .one()
              .i64(0);
      p = tx.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'p' AND "
                "table_schema = current_schema()")
              .one()
              .i64(0);
    }
    EXPECT_EQ(s, lite ? 1 : 0);
    EXPECT_EQ(p, lite ? 0 : 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, DialectMigrationTest,
                         ::testing::ValuesIn(test_db::test_engines()), test_db::engine_name);

class LedgerRebuildTest : public ::testing::TestWithParam<std::string> {};

using test_support::code_of;

// A database at version 10 holding transfers that other rows point at (a
// post naming its hold, a reversal, the hold row, a paid payment request),
// migrated on open: every row, key and index survives, the CHECKs still
// refuse what they refused, and foreign keys into the rebuilt tables still
// hold.
TEST_P(LedgerRebuildTest, KeepsRowsForeignKeysAndIndexes) {
  test_db::ScratchDatabase scratch(GetParam());
  {
    auto db = Database::open(scratch.url(), {.migrate = false});
    std::vector<Migration> before;
    for (const Migration& m : migrations()) {
      if (m.version <= 10) before.push_back(m);
    }
    ASSERT_EQ(before.back().version, 10);
    apply_migrations(*db, before);
    db->write([](Tx& tx) {
      tx.exec(
          "INSERT INTO orgs (id, kind, name, slug, territory, admission, currency, created_at) "
          "VALUES (1, 'consumer', 'Org', 'org', 'ES', 'open', 'EUR', 0)");
      for (int64_t id : {1, 2}) {
        tx.exec(
            "INSERT INTO ledger_accounts (id, org_id, currency, holder, kind, name, created_at) "
            "VALUES ($1, 1, 'EUR', 'org', $2, 'a', 0)",
            {id, "k" + std::to_string(id)});
      }
      auto transfer = [&](int64_t id, const char* action, int64_t pending, int64_t debit,
                          int64_t credit, Value pending_id, Value reverses_id) {
        tx.exec(
            "INSERT INTO ledger_transfers (id, idem_key, body_hash, created_by, action, pending, "
            "debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, "
            "reverses_id, batch_id, payment_request_id, timeout_at, debit_balance, "
            "credit_balance, created_at) VALUES ($1, $2, 'h', 7, $3, $4, $5, $6, 50, 'EUR', "
            "'transfer', 'm', $7, $8, NULL, NULL, 99, -50, 50, 1000)",
            {id, "key" + std::to_string(id), std::string(action), pending, debit, credit,
             pending_id, reverses_id});
      };
      transfer(10, "create", 1, 1, 2, nullptr, nullptr);
      transfer(11, "post", 0, 1, 2, int64_t{10}, nullptr);
      transfer(12, "create", 0, 2, 1, nullptr, int64_t{11});
      tx.exec(
          "INSERT INTO ledger_pending (transfer_id, state, timeout_at, resolved_by) "
          "VALUES (10, 'posted', 99, 11)");
      tx.exec(
          "INSERT INTO payment_requests (id, idem_key, body_hash, payee_account_id, "
          "payer_account_id, amount, currency, code, memo, state, created_at, paid_transfer_id) "
          "VALUES (5, 'pr', 'h', 2, 1, 50, 'EUR', 'transfer', '', 'paid', 0, 11)");
    });
  }
  auto db = Database::open(scratch.url());
  EXPECT_EQ(db->schema_version(), migrations().back().version);
  db->read([&](Tx& tx) {
    auto rows = tx.query(
        "SELECT id, idem_key, action, pending, pending_id, reverses_id, debit_balance, "
        "timeout_at, created_at FROM ledger_transfers ORDER BY id");
    ASSERT_EQ(rows.rows.size(), 3u);
    EXPECT_EQ(rows.rows[0].i64(0), 10);
    EXPECT_EQ(rows.rows[0].str(1), "key10");
    EXPECT_EQ(rows.rows[0].i64(3), 1);
    EXPECT_EQ(rows.rows[1].str(2), "post");
    EXPECT_EQ(rows.rows[1].opt_i64(4), 10);
    EXPECT_EQ(rows.rows[2].opt_i64(5), 11);
    EXPECT_EQ(rows.rows[2].i64(6), -50);
    EXPECT_EQ(rows.rows[2].opt_i64(7), 99);
    EXPECT_EQ(rows.rows[2].i64(8), 1000);
    const Row& hold = tx.query("SELECT state, timeout_at, resolved_by FROM ledger_pending").one();
    EXPECT_EQ(hold.str(0), "posted");
    EXPECT_EQ(hold.opt_i64(2), 11);
    if (tx.dialect() == Dialect::sqlite) {
      for (const char* table : {"ledger_transfers", "ledger_pending"}) {
        std::string sql =
            tx.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1",
                     {std::string(table)})
                .one()
                .str(0);
        EXPECT_EQ(sql.find(" IN ("), std::string::npos) << sql;
        EXPECT_EQ(sql.find("rebuilt"), std::string::npos) << sql;
      }
      int64_t indexes = tx.query(
                              "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                              "('ledger_transfers_by_debit', 'ledger_transfers_by_credit', "
                              "'ledger_transfers_by_pending', 'ledger_transfers_by_reverses', "
                              "'ledger_pending_due')")
                            .one()
                            .i64(0);
      EXPECT_EQ(indexes, 5);
      EXPECT_TRUE(tx.query("PRAGMA foreign_key_check").empty());
      EXPECT_EQ(
          tx.query("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%rebuilt%'").one().i64(0),
          0);
    }
  });
  auto insert = [&](const char* action, const char* key) {
    db->write([&](Tx& tx) {
      tx.exec(
          "INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, "
          "debit_account_id, credit_account_id, amount, currency, code, memo, debit_balance, "
          "credit_balance, created_at) VALUES ($1, 'h', 7, $2, 1, 2, 1, 'EUR', 'transfer', '', "
          "0, 0, 0)",
          {std::string(key), std::string(action)});
    });
  };
  // The CHECK still allows exactly the four actions.
  for (const char* action : {"create", "post", "void", "expire"}) {
    insert(action, (std::string("ok-") + action).c_str());
  }
  EXPECT_EQ(code_of([&] { insert("refund", "bad-action"); }), Code::database);
  EXPECT_EQ(code_of([&] { insert("Create", "bad-case"); }), Code::database);
  // The unique key, the hold's state CHECK and the foreign keys hold.
  EXPECT_EQ(code_of([&] { insert("create", "key10"); }), Code::duplicate);
  EXPECT_EQ(code_of([&] {
              db->write([](Tx& tx) { tx.exec("UPDATE ledger_pending SET state = 'lost'"); });
            }),
            Code::database);
  for (const char* state : {"pending", "voided", "expired", "posted"}) {
    db->write(
        [&](Tx& tx) { tx.exec("UPDATE ledger_pending SET state = $1", {std::string(state)}); });
  }
  EXPECT_EQ(code_of([&] {
              db->write([](Tx& tx) {
                tx.exec("INSERT INTO ledger_pending (transfer_id, state) VALUES (999, 'pending')");
              });
            }),
            Code::invalid_value);
  // payment_requests still points at the rebuilt table: its transfer cannot go.
  EXPECT_EQ(code_of([&] {
              db->write([](Tx& tx) { tx.exec("DELETE FROM ledger_transfers WHERE id = 11"); });
            }),
            Code::invalid_value);
  EXPECT_EQ(code_of([&] {
              db->write([](Tx& tx) {
                tx.exec("UPDATE payment_requests SET paid_transfer_id = 999 WHERE id = 5");
              });
            }),
            Code::invalid_value);
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerRebuildTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::store
