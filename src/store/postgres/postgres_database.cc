// The PostgreSQL engine through libpq: one dedicated writer connection behind
// the write lane (so writes serialize as on SQLite), a pool of reader
// connections running REPEATABLE READ READ ONLY snapshots, and statements
// prepared once per connection.
// Thread-safe as Database promises; each PGconn is used by one thread at a time.

#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "core/assert.h"
#include "core/error.h"
#include "store/engine.h"
#include "store/migrations.h"

extern char** environ;

namespace agora::store {
namespace {

constexpr size_t kStatementCacheLimit = 512;
constexpr Oid kInt8Oid = 20;  // pg_type.oid of bigint

struct StrHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string field(const PGresult* r, int code) {
  const char* v = r ? PQresultErrorField(r, code) : nullptr;
  return v ? v : "";
}

// "Key (org_id, member_number)=(1, 7) already exists." -> "t.org_id, t.member_number",
// the same text SQLite gives for a unique violation.
std::string key_columns(const std::string& table, const std::string& detail) {
  auto open = detail.find("Key (");
  auto close = detail.find(")=(");
  if (open == std::string::npos || close == std::string::npos || close < open) return table;
  std::string cols = detail.substr(open + 5, close - open - 5);
  std::string out;
  size_t start = 0;
  while (start <= cols.size()) {
    size_t comma = cols.find(", ", start);
    std::string col = cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!out.empty()) out += ", ";
    out += table + "." + col;
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

// smallint, integer, bigint and boolean columns arrive as integer cells.
bool is_integer_type(Oid t) { return t == 16 || t == 20 || t == 21 || t == 23; }

// One row of a result, read in place.
class View final : public RowView {
 public:
  explicit View(const PGresult* r) : r_(r), ncol_(PQnfields(r)) {}
  void at(int row) { row_ = row; }
  size_t size() const override { return static_cast<size_t>(ncol_); }
  bool is_null(size_t col) const override {
    check(col);
    return PQgetisnull(r_, row_, static_cast<int>(col)) != 0;
  }
  int64_t i64(size_t col) const override { return parse_i64(text(col), col); }
  std::string_view text(size_t col) const override {
    if (is_null(col)) throw Error(Code::database, "column " + std::to_string(col) + " is NULL");
    int c = static_cast<int>(col);
    return std::string_view(PQgetvalue(r_, row_, c), PQgetlength(r_, row_, c));
  }

 private:
  void check(size_t col) const {
    if (col >= static_cast<size_t>(ncol_)) {
      throw Error(Code::database, "column " + std::to_string(col) + " out of range (row has " +
                                      std::to_string(ncol_) + ")");
    }
  }
  const PGresult* r_;
  int ncol_;
  int row_ = 0;
};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class Conn {
 public:
  explicit Conn(const std::string& url) {
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "agora", url.c_str(), nullptr};
    pg_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (pg_ == nullptr) throw Error(Code::database, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(pg_) != CONNECTION_OK) {
      std::string msg = trimmed(PQerrorMessage(pg_));
      PQfinish(pg_);
      throw Error(Code::database, "cannot connect to PostgreSQL: " + msg);
    }
    // Notices ("relation already exists, skipping") are not errors; keep stderr quiet.
    PQsetNoticeProcessor(pg_, [](void*, const char*) {}, nullptr);
  }
  ~Conn() { PQfinish(pg_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool broken() const { return PQstatus(pg_) != CONNECTION_OK; }

  // Reconnects a broken connection (the writer is never replaced, only reset).
  void reset_if_broken() {
    if (!broken()) return;
    cache_.clear();
    PQreset(pg_);
    if (broken()) {
      throw Error(Code::database, "lost the connection to PostgreSQL: " + trimmed(PQerrorMessage(pg_)));
    }
  }

  void exec(const char* sql) { check(Result(PQexec(pg_, sql)), sql); }

  // Called outside any transaction.
  void drop_stale_statements() {
    if (!stale_statements_) return;
    stale_statements_ = false;
    cache_.clear();
    exec("DEALLOCATE ALL");
  }

  Result check(Result r, std::string_view context) {
    auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
    std::string state = field(r.get(), PG_DIAG_SQLSTATE);
    if (state == "23505") {
      throw Error(Code::duplicate, "already exists (" +
                                       key_columns(field(r.get(), PG_DIAG_TABLE_NAME),
                                                   field(r.get(), PG_DIAG_MESSAGE_DETAIL)) +
                                       ")");
    }
    if (state == "23503") {
      throw Error(Code::invalid_value, "refers to a row that does not exist, or is still referenced");
    }
    // "cached plan must not change result type": another process altered a
    // table under a prepared statement. The transaction is lost, but the next
    // one re-prepares everything.
    if (state == "0A000") stale_statements_ = true;
    std::string msg = r ? field(r.get(), PG_DIAG_MESSAGE_PRIMARY) : "";
    if (msg.empty()) msg = trimmed(PQerrorMessage(pg_));
    if (broken()) throw Error(Code::database, "lost the connection to PostgreSQL: " + msg);
    std::string full = "postgres: " + msg;
    if (!state.empty()) full += " [" + state + "]";
    if (!context.empty()) full += " (" + std::string(context.substr(0, 200)) + ")";
    throw Error(Code::database, full);
  }

  Rows query(std::string_view sql, const Params& params) {
    Result r = run(sql, params);
    Rows out;
    int ncol = PQnfields(r.get());
    int nrow = PQntuples(r.get());
    out.columns.reserve(ncol);
    std::vector<bool> integer(ncol);
    for (int c = 0; c < ncol; ++c) {
      out.columns.emplace_back(PQfname(r.get(), c));
      integer[c] = is_integer_type(PQftype(r.get(), c));
    }
    out.rows.resize(nrow);
    for (int i = 0; i < nrow; ++i) {
      auto& cells = out.rows[i].cells_;
      cells.reserve(ncol);
      for (int c = 0; c < ncol; ++c) {
        if (PQgetisnull(r.get(), i, c)) {
          cells.emplace_back(std::monostate{});
        } else if (integer[c]) {
          cells.emplace_back(parse_i64(std::string_view(PQgetvalue(r.get(), i, c),
                                                        PQgetlength(r.get(), i, c)),
                                       static_cast<size_t>(c)));
        } else {
          cells.emplace_back(std::string(PQgetvalue(r.get(), i, c), PQgetlength(r.get(), i, c)));
        }
      }
    }
    // INSERT/UPDATE/DELETE (with or without RETURNING) report rows changed; a
    // SELECT's tag also carries a count, but it changed nothing.
    const char* tuples = PQcmdTuples(r.get());
    std::string_view tag = PQcmdStatus(r.get());
    if (tuples && *tuples && tag.rfind("SELECT", 0) != 0) {
      std::from_chars(tuples, tuples + std::strlen(tuples), out.affected);
    }
    return out;
  }

  // Runs one prepared statement and returns its whole result.
  Result run(std::string_view sql, const Params& params) {
    // Integers are sent as bigint so "$1 + 1" cannot overflow an inferred
    // int4; strings and NULLs let the server infer the type from context. A
    // statement is prepared once per distinct (SQL, parameter types).
    std::string key(sql);
    key += '\x1f';
    std::vector<Oid> types(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      bool is_int = std::holds_alternative<int64_t>(params[i]);
      types[i] = is_int ? kInt8Oid : 0;
      key += is_int ? 'i' : std::holds_alternative<std::string>(params[i]) ? 's' : 'n';
    }
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      if (cache_.size() >= kStatementCacheLimit) {
        exec("DEALLOCATE ALL");
        cache_.clear();
      }
      std::string name = "a" + std::to_string(++next_statement_);
      std::string text(sql);
      check(Result(PQprepare(pg_, name.c_str(), text.c_str(), static_cast<int>(params.size()),
                             types.data())),
            sql);
      it = cache_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> ints;
    ints.reserve(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto* n = std::get_if<int64_t>(&params[i])) {
        values[i] = ints.emplace_back(std::to_string(*n)).c_str();
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
        lengths[i] = static_cast<int>(s->size());
      }
    }
    return check(Result(PQexecPrepared(pg_, it->second.c_str(), static_cast<int>(params.size()),
                                       values.data(), lengths.data(), nullptr, 0)),
                 sql);
  }

 private:
  PGconn* pg_ = nullptr;
  std::unordered_map<std::string, std::string, StrHash, std::equal_to<>> cache_;
  int64_t next_statement_ = 0;
  bool stale_statements_ = false;
};

class PgTx final : public Tx {
 public:
  explicit PgTx(Conn& conn) : conn_(conn) {}
  Rows query(std::string_view sql, const Params& params) override { return conn_.query(sql, params); }
  void each(std::string_view sql, const Params& params,
            const std::function<void(const RowView&)>& fn) override {
    Result r = conn_.run(sql, params);
    View view(r.get());
    for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
      view.at(i);
      fn(view);
    }
  }
  int64_t insert(std::string_view sql, const Params& params) override {
    std::string text(sql);
    text += " RETURNING id";
    return conn_.query(text, params).one().i64(0);
  }
  void exec_script(std::string_view sql) override { conn_.exec(std::string(sql).c_str()); }
  void savepoint(std::string_view name) override {
    check_savepoint_name(name);
    conn_.exec(("SAVEPOINT " + std::string(name)).c_str());
  }
  void release(std::string_view name) override {
    check_savepoint_name(name);
    conn_.exec(("RELEASE SAVEPOINT " + std::string(name)).c_str());
  }
  void rollback_to(std::string_view name) override {
    check_savepoint_name(name);
    conn_.exec(("ROLLBACK TO SAVEPOINT " + std::string(name)).c_str());
  }
  Dialect dialect() const override { return Dialect::postgres; }

 private:
  Conn& conn_;
};

void run_transaction(Conn& conn, const char* begin, const std::function<void(Tx&)>& fn) {
  conn.drop_stale_statements();
  conn.exec(begin);
  try {
    PgTx tx(conn);
    fn(tx);
    conn.exec("COMMIT");
  } catch (...) {
    if (!conn.broken()) {
      // After a failed COMMIT there is no transaction left and ROLLBACK only
      // warns; the original exception is the one that matters.
      try {
        conn.exec("ROLLBACK");
      } catch (const Error&) {
      }
    }
    throw;
  }
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, const Options& options)
      : url_(std::move(url)),
        writer_(url_),
        readers_(options.read_pool_size, [this] { return std::make_unique<Conn>(url_); }) {}

  Dialect dialect() const override { return Dialect::postgres; }

  void read(const std::function<void(Tx&)>& fn) override {
    Lease<Conn> conn(readers_);
    try {
      run_transaction(*conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
    } catch (...) {
      if (conn->broken()) conn.discard();
      throw;
    }
  }

  void write(const std::function<void(Tx&)>& fn) override {
    WriteLane::Hold hold(lane_);
    writer_.reset_if_broken();
    run_transaction(writer_, "BEGIN", fn);
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
    std::vector<std::string> args{"pg_dump",  "--format=plain", "--no-owner", "--no-privileges",
                                  "--file",   tmp,              "--dbname",   url_};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, "pg_dump", nullptr, nullptr, argv.data(), environ) != 0) {
      throw Error(Code::database, "cannot run pg_dump (is postgresql-client installed?)");
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) throw Error(Code::database, "waiting for pg_dump failed");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::remove(tmp.c_str());
      throw Error(Code::database, "pg_dump failed (exit status " +
                                      std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                                      ")");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      std::remove(tmp.c_str());
      throw Error(Code::database, "cannot move the backup into place at " + path);
    }
  }

 private:
  std::string url_;
  WriteLane lane_;
  Conn writer_;
  mutable ConnectionPool<Conn> readers_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const Options& options) {
  if (options.read_pool_size < 1 || options.read_pool_size > 256) {
    throw Error(Code::bad_config, "read pool size must be 1..256");
  }
  auto db = std::make_unique<PostgresDatabase>(url, options);
  if (options.migrate) apply_migrations(*db);
  return db;
}

}  // namespace agora::store
