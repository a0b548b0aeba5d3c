// The SQLite engine: one writer connection behind the write lane, a pool of
// query_only reader connections, WAL so readers never block the writer.
// Thread-safe as Database promises; each connection is used by one thread at a
// time (SQLITE_OPEN_NOMUTEX).

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

#include "core/assert.h"
#include "core/error.h"
#include "store/engine.h"
#include "store/migrations.h"
#include "store/sqlite/wal_buffer_vfs.h"

namespace agora::store {
namespace {

// Past this many distinct statements a connection drops its cache, so SQL
// built at run time (IN lists) cannot grow memory without bound.
constexpr size_t kStatementCacheLimit = 512;

struct StrHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

std::string after(std::string_view text, std::string_view prefix) {
  auto p = text.find(prefix);
  return p == std::string_view::npos ? std::string(text) : std::string(text.substr(p + prefix.size()));
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context = {}) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw Error(Code::duplicate, "already exists (" + after(msg, "constraint failed: ") + ")");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw Error(Code::invalid_value, "refers to a row that does not exist, or is still referenced");
    default:
      break;
  }
  std::string full = "sqlite: " + msg;
  if (!context.empty()) full += " (" + std::string(context) + ")";
  throw Error(Code::database, full);
}

// SQLite reads "$1" as a *named* parameter numbered by first appearance, so
// "$2 ... $1" would bind backwards; "?N" keeps the number.
std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t j = sql.find(c, i + 1);
      j = j == std::string_view::npos ? sql.size() : j + 1;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? sql.size() : j;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t j = sql.find("*/", i + 2);
      j = j == std::string_view::npos ? sql.size() : j + 2;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '?';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

class Conn {
 public:
  Conn(const std::string& path, const Options& options, bool reader) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (!reader && options.create) flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, sqlite::wal_buffer_vfs());
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw Error(Code::database, "cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    try {
      if (!reader) {
        exec("PRAGMA journal_mode = WAL");
        // The one writer keeps up to 64 MiB of pages: a batch touching
        // accounts all over the file then rereads none of them from disk.
        exec("PRAGMA cache_size = -65536");
        // Checkpoint after 8,192 WAL pages (32 MiB) instead of SQLite's
        // 1,000: the write lane runs each checkpoint itself, and an account
        // or index page rewritten by many batches is copied back once per
        // checkpoint, so fewer checkpoints copy far fewer pages (measured on
        // bench/ledger). Durability is the WAL's fsync at each commit either
        // way; the WAL file grows to about this size before it is reused.
        exec("PRAGMA wal_autocheckpoint = 8192");
      }
      exec("PRAGMA foreign_keys = ON");
      exec("PRAGMA synchronous = FULL");
      if (reader) exec("PRAGMA query_only = ON");
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  ~Conn() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  sqlite3* db() const { return db_; }

  void exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) fail(db_, rc);
  }

  // For the statements every transaction runs (BEGIN, COMMIT): sqlite3_exec
  // would parse them again each time, a visible cost on short reads.
  void exec_prepared(const char* sql) {
    sqlite3_stmt* st = prepare(sql);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db_, rc);
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (cache_.size() >= kStatementCacheLimit) {
      for (auto& [text, st] : cache_) sqlite3_finalize(st);
      cache_.clear();
    }
    std::string rewritten = rewrite_placeholders(sql);
    sqlite3_stmt* st = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.data(), static_cast<int>(rewritten.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, &tail);
    if (rc != SQLITE_OK) fail(db_, rc, sql);
    if (st == nullptr) throw Error(Code::database, "empty SQL statement");
    for (; tail && *tail; ++tail) {
      if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';') {
        sqlite3_finalize(st);
        throw Error(Code::database, "query() takes one statement; use exec_script for several");
      }
    }
    cache_.emplace(std::string(sql), st);
    return st;
  }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, StrHash, std::equal_to<>> cache_;
};

// A cached statement bound to its parameters for one run; reset (and its
// bindings cleared) when it goes out of scope, whatever happened.
struct Statement {
  Statement(Conn& conn, std::string_view sql, const Params& params)
      : db(conn.db()), st(conn.prepare(sql)) {
    int expected = sqlite3_bind_parameter_count(st);
    if (expected != static_cast<int>(params.size())) {
      sqlite3_clear_bindings(st);
      throw Error(Code::database, "statement takes " + std::to_string(expected) +
                                      " parameters, got " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(st, idx, *n);
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        // Parameters outlive the statement's use: reset clears the bindings.
        rc = sqlite3_bind_text64(st, idx, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(st, idx);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(st);
        fail(db, rc);
      }
    }
  }
  ~Statement() {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // True with a row to read, false when done; throws on an error.
  bool step() {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db, rc);
    return false;
  }

  sqlite3* db;
  sqlite3_stmt* st;
};

// The current row of a stepping statement, read in place.
class View final : public RowView {
 public:
  explicit View(sqlite3_stmt* st) : st_(st), ncol_(sqlite3_column_count(st)) {}
  size_t size() const override { return static_cast<size_t>(ncol_); }
  bool is_null(size_t col) const override { return type(col) == SQLITE_NULL; }
  int64_t i64(size_t col) const override {
    switch (type(col)) {
      case SQLITE_INTEGER:
        return sqlite3_column_int64(st_, static_cast<int>(col));
      case SQLITE_NULL:
        throw Error(Code::database, "column " + std::to_string(col) + " is NULL");
      default:
        return parse_i64(text(col), col);
    }
  }
  std::string_view text(size_t col) const override {
    if (type(col) == SQLITE_NULL) {
      throw Error(Code::database, "column " + std::to_string(col) + " is NULL");
    }
    int c = static_cast<int>(col);
    const unsigned char* p = sqlite3_column_text(st_, c);
    int n = sqlite3_column_bytes(st_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
             : std::string_view();
  }

 private:
  int type(size_t col) const {
    if (col >= static_cast<size_t>(ncol_)) {
      throw Error(Code::database, "column " + std::to_string(col) + " out of range (row has " +
                                      std::to_string(ncol_) + ")");
    }
    return sqlite3_column_type(st_, static_cast<int>(col));
  }

  sqlite3_stmt* st_;
  int ncol_;
};

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Conn& conn) : conn_(conn) {}

  Rows query(std::string_view sql, const Params& params) override {
    sqlite3* db = conn_.db();
    Statement stmt(conn_, sql, params);
    sqlite3_stmt* st = stmt.st;
    Rows out;
    int ncol = sqlite3_column_count(st);
    out.columns.reserve(ncol);
    for (int c = 0; c < ncol; ++c) out.columns.emplace_back(sqlite3_column_name(st, c));
    int64_t changes_before = sqlite3_total_changes64(db);
    while (stmt.step()) {
      Row& row = out.rows.emplace_back();
      row.cells_.reserve(ncol);
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL:
            row.cells_.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            row.cells_.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, c)));
            break;
          default: {
            const void* p = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            row.cells_.emplace_back(std::string(static_cast<const char*>(p), p ? n : 0));
          }
        }
      }
    }
    // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so
    // only trust it when this statement changed something.
    if (!sqlite3_stmt_readonly(st) && sqlite3_total_changes64(db) != changes_before) {
      out.affected = sqlite3_changes64(db);
    }
    return out;
  }

  void each(std::string_view sql, const Params& params,
            const std::function<void(const RowView&)>& fn) override {
    Statement stmt(conn_, sql, params);
    View view(stmt.st);
    while (stmt.step()) fn(view);
  }

  int64_t insert(std::string_view sql, const Params& params) override {
    query(sql, params);
    return sqlite3_last_insert_rowid(conn_.db());
  }

  void exec_script(std::string_view sql) override {
    std::string text(sql);
    conn_.exec(text.c_str());
  }

  // The write batcher takes and releases a savepoint per command: prepared
  // and cached like any statement, not parsed again each time.
  void savepoint(std::string_view name) override { savepoint_sql("SAVEPOINT ", name); }
  void release(std::string_view name) override { savepoint_sql("RELEASE SAVEPOINT ", name); }
  void rollback_to(std::string_view name) override {
    savepoint_sql("ROLLBACK TO SAVEPOINT ", name);
  }
  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  void savepoint_sql(std::string_view verb, std::string_view name) {
    check_savepoint_name(name);
    sql_.assign(verb);
    sql_.append(name);
    conn_.exec_prepared(sql_.c_str());
  }

  Conn& conn_;
  std::string sql_;  // reused buffer for savepoint statements
};

// Runs fn between `begin` and COMMIT; rolls back on any exception.
void run_transaction(Conn& conn, const char* begin, const std::function<void(Tx&)>& fn) {
  conn.exec_prepared(begin);
  try {
    SqliteTx tx(conn);
    fn(tx);
    conn.exec_prepared("COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(conn.db())) {
      sqlite3_exec(conn.db(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    throw;
  }
  AGORA_ASSERT(sqlite3_get_autocommit(conn.db()));
}

// "sqlite::memory:" still needs one database shared by every pooled
// connection, so it lives in a private temporary directory removed on close.
class TempDir {
 public:
  TempDir() = default;
  explicit TempDir(bool make) {
    if (!make) return;
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/agora-mem-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
      throw Error(Code::database, "cannot create a temporary directory for sqlite::memory:");
    }
    path_ = tmpl;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, bool temporary, const Options& options)
      : temp_(temporary),
        path_(temporary ? temp_.path() + "/agora.db" : std::move(path)),
        options_(options),
        writer_(path_, options, /*reader=*/false),
        readers_(options.read_pool_size,
                 [this] { return std::make_unique<Conn>(path_, options_, /*reader=*/true); }) {}

  Dialect dialect() const override { return Dialect::sqlite; }

  void read(const std::function<void(Tx&)>& fn) override {
    Lease<Conn> conn(readers_);
    run_transaction(*conn, "BEGIN", fn);
  }

  void write(const std::function<void(Tx&)>& fn) override {
    WriteLane::Hold hold(lane_);
    run_transaction(writer_, "BEGIN IMMEDIATE", fn);
  }

  // Applies pending migrations with the writer's foreign keys off, as
  // SQLite's table-rebuild procedure asks (the pragma is a no-op inside a
  // transaction); apply_migrations checks every key before each commit.
  // Runs from open(), before any other thread can reach the database.
  void migrate() {
    writer_.exec("PRAGMA foreign_keys = OFF");
    struct Restore {
      Conn& conn;
      ~Restore() { sqlite3_exec(conn.db(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr); }
    } restore{writer_};
    apply_migrations(*this);
  }

  PoolStats stats() const override {
    PoolStats s;
    readers_.fill(s);
    lane_.fill(s);
    return s;
  }

  int schema_version() override {
    int v = 0;
    read([&](Tx& tx) { v = read_schema_version(tx); });
    return v;
  }

  void backup(const std::string& path) override {
    std::string tmp = path + ".partial";
    std::remove(tmp.c_str());
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(tmp.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
      sqlite3_close_v2(dest);
      throw Error(Code::database, "cannot create backup file " + path + ": " + msg);
    }
    {
      Lease<Conn> src(readers_);
      sqlite3_backup* b = sqlite3_backup_init(dest, "main", src->db(), "main");
      if (b == nullptr) {
        std::string msg = sqlite3_errmsg(dest);
        sqlite3_close_v2(dest);
        std::remove(tmp.c_str());
        throw Error(Code::database, "backup failed: " + msg);
      }
      // One step copies every page under a single read snapshot.
      rc = sqlite3_backup_step(b, -1);
      sqlite3_backup_finish(b);
    }
    if (rc == SQLITE_DONE) rc = sqlite3_close_v2(dest);
    else sqlite3_close_v2(dest);
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
      std::remove(tmp.c_str());
      throw Error(Code::database, std::string("backup failed: ") + sqlite3_errstr(rc));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      std::remove(tmp.c_str());
      throw Error(Code::database, "cannot move the backup into place at " + path);
    }
  }

 private:
  TempDir temp_;  // first member: removed after every connection closed
  std::string path_;
  Options options_;
  WriteLane lane_;
  Conn writer_;
  mutable ConnectionPool<Conn> readers_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& url, const Options& options) {
  std::string rest = url.substr(std::string_view("sqlite:").size());
  bool memory = rest == ":memory:" || rest == "//:memory:";
  if (rest.rfind("//", 0) == 0) rest = rest.substr(2);
  if (!memory && rest.empty()) {
    throw Error(Code::bad_config, "sqlite URL needs a path: sqlite:PATH", "--db");
  }
  if (options.read_pool_size < 1 || options.read_pool_size > 256) {
    throw Error(Code::bad_config, "read pool size must be 1..256");
  }
  Options effective = options;
  if (memory) effective.create = true;
  auto db = std::make_unique<SqliteDatabase>(rest, memory, effective);
  if (options.migrate) db->migrate();
  return db;
}

}  // namespace agora::store
