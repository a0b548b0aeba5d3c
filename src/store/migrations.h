#pragma once
// Versioned SQL migrations, embedded from store/migrations/NNNN_name.sql.
// Portable SQL; the engines expand three tokens before running a file:
//   AUTO_ID       -> an auto-assigned 64-bit integer primary key
//   BLOB_TYPE     -> BLOB (SQLite) / BYTEA (PostgreSQL)
//   WITHOUT_ROWID -> WITHOUT ROWID (SQLite) / nothing (PostgreSQL)
// A line reading exactly "-- dialect: sqlite" or "-- dialect: postgres"
// starts a part run on that engine only, "-- dialect: all" one run on both
// (the text before the first such line runs on both). SQLite runs each
// migration with foreign keys off, so a table can be rebuilt while other
// tables point at it, and checks every foreign key before committing.
// Thread-safe: immutable after first use.

#include <string>
#include <vector>

#include "store/database.h"

namespace agora::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& migrations();

// Applies every migration newer than the recorded version, each in its own
// transaction, recording it in schema_migrations. Used by both engines. On
// SQLite, when the writer's foreign keys are off (as Database::open turns
// them while it migrates), PRAGMA foreign_key_check must come back empty
// before each migration commits, else Error(invalid_value).
void apply_migrations(Database& db);
// The same over an explicit list (sorted by version), for tests.
void apply_migrations(Database& db, const std::vector<Migration>& list);

// Keeps the parts of `sql` meant for `dialect` and expands its tokens.
std::string expand_dialect(std::string_view sql, Dialect dialect);

// Highest applied migration version in the transaction's database (0 when
// none). Engines use it for Database::schema_version().
int read_schema_version(Tx& tx);

}  // namespace agora::store
