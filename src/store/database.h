#pragma once
// The storage contract: a Database opened from a URL (sqlite:PATH or
// postgresql://...), handing out transactions on pooled connections. Knows no
// domain type. SQL uses $1, $2 ... placeholders on both engines.
// Thread-safe: read() and write() may be called from any thread; a Tx belongs
// to the thread running the callback.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace agora::store {

enum class Dialect { sqlite, postgres };

// A bound parameter. Booleans are stored as 0/1 integers on both engines.
using Value = std::variant<std::nullptr_t, int64_t, std::string>;
using Params = std::vector<Value>;

// One result cell: SQL NULL, an integer, or text (or blob bytes). Integer
// columns arrive as integers on both engines (PostgreSQL's smallint, integer,
// bigint and boolean); anything else, such as a NUMERIC sum, as text that
// i64() parses.
using Cell = std::variant<std::monostate, int64_t, std::string>;

// One result row; columns by position. Throws Error(database) on a type that
// cannot be read as asked (a bug in the query, not in the input).
class Row {
 public:
  bool is_null(size_t col) const;
  int64_t i64(size_t col) const;
  std::string str(size_t col) const;  // an integer cell in decimal
  bool boolean(size_t col) const { return i64(col) != 0; }
  std::optional<int64_t> opt_i64(size_t col) const;
  std::optional<std::string> opt_str(size_t col) const;
  size_t size() const { return cells_.size(); }

  // Filled by the engines.
  std::vector<Cell> cells_;
};

// A row as Tx::each streams it: read in place from the engine's cursor, with
// no Row built. Valid only inside the callback; a string_view from text() only
// until the next accessor call on the same column. Same errors as Row.
class RowView {
 public:
  virtual size_t size() const = 0;
  virtual bool is_null(size_t col) const = 0;
  virtual int64_t i64(size_t col) const = 0;
  virtual std::string_view text(size_t col) const = 0;
  std::string str(size_t col) const { return std::string(text(col)); }
  bool boolean(size_t col) const { return i64(col) != 0; }
  std::optional<int64_t> opt_i64(size_t col) const {
    return is_null(col) ? std::nullopt : std::optional<int64_t>(i64(col));
  }
  std::optional<std::string> opt_str(size_t col) const {
    return is_null(col) ? std::nullopt : std::optional<std::string>(str(col));
  }

 protected:
  ~RowView() = default;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  // Exactly one row, else Error(database). On a temporary it returns a copy,
  // so `const Row& r = tx.query(...).one();` does not dangle.
  const Row& one() const&;
  Row one() &&;
};

// A transaction on one connection. Statements are prepared and cached per
// connection. An exception from the callback rolls the transaction back.
// Failures map the same on both engines: a unique/primary key violation is
// Error(duplicate), a foreign key violation Error(invalid_value), anything
// else Error(database). On PostgreSQL a failed statement aborts the
// transaction until rollback_to() a savepoint taken before it.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one query and hands each result row to fn as it is read, without
  // collecting them: for scans of many rows. An exception from fn stops the
  // scan and propagates. fn must not run other statements on this Tx.
  virtual void each(std::string_view sql, const Params& params,
                    const std::function<void(const RowView&)>& fn) = 0;
  // Runs one statement; returns rows affected.
  int64_t exec(std::string_view sql, const Params& params = {}) { return query(sql, params).affected; }
  // Runs one INSERT (written without RETURNING) into a table whose key is an
  // AUTO_ID column named id, and returns the new row's id: SQLite reads
  // last_insert_rowid() (RETURNING there materializes a temporary table per
  // statement), PostgreSQL appends RETURNING id.
  virtual int64_t insert(std::string_view sql, const Params& params) = 0;
  // Several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  // Savepoints let one transaction hold several independent commands.
  virtual void savepoint(std::string_view name) = 0;
  virtual void release(std::string_view name) = 0;
  virtual void rollback_to(std::string_view name) = 0;
  virtual Dialect dialect() const = 0;
};

struct PoolStats {
  int read_connections = 0;
  int read_in_use = 0;
  int64_t read_waits = 0;       // times a reader waited for a free connection
  int64_t write_transactions = 0;
  int64_t write_wait_us = 0;    // total time writers waited for the writer connection
};

struct Options {
  int read_pool_size = 4;
  int busy_timeout_ms = 10000;
  bool migrate = true;  // apply pending migrations on open
  bool create = true;   // SQLite: create the file if missing (else Error(database))
};

// Moves after every write transaction of this process ends (committed or
// rolled back), on any Database, before write() returns. A read-side cache
// tags an entry with the value read BEFORE its read transaction began and
// treats it as stale once the value moved. Writes by other processes do not
// move it. Thread-safe.
uint64_t write_generation();

class Database {
 public:
  virtual ~Database() = default;

  // Opens `url` ("sqlite:PATH", "sqlite::memory:", "postgresql://..."), applies
  // pending migrations when options.migrate, and returns a ready database.
  // Throws Error(bad_config) for a bad URL, Error(database) if unreachable.
  static std::unique_ptr<Database> open(const std::string& url, const Options& options = {});

  virtual Dialect dialect() const = 0;

  // Runs fn in a read-only snapshot on a pooled connection.
  virtual void read(const std::function<void(Tx&)>& fn) = 0;
  // Runs fn in the single write transaction lane; commits durably on return.
  virtual void write(const std::function<void(Tx&)>& fn) = 0;

  virtual PoolStats stats() const = 0;
  // Highest applied migration version.
  virtual int schema_version() = 0;
  // Online copy to a file (SQLite backup API) or a plain-SQL dump (pg_dump).
  virtual void backup(const std::string& path) = 0;
};

}  // namespace agora::store
