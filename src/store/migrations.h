#pragma once
// Versioned SQL migrations, embedded from store/migrations/NNNN_name.sql.
// Portable SQL; the engines expand two tokens before running a file:
//   AUTO_ID     -> an auto-assigned 64-bit integer primary key
//   BLOB_TYPE   -> BLOB (SQLite) / BYTEA (PostgreSQL)
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
// transaction, recording it in schema_migrations. Used by both engines.
void apply_migrations(Database& db);
// The same over an explicit list (sorted by version), for tests.
void apply_migrations(Database& db, const std::vector<Migration>& list);

// Expands AUTO_ID / BLOB_TYPE for `dialect`.
std::string expand_dialect(std::string_view sql, Dialect dialect);

// Highest applied migration version in the transaction's database (0 when
// none). Engines use it for Database::schema_version().
int read_schema_version(Tx& tx);

}  // namespace agora::store
