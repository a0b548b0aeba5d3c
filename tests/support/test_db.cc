#include "support/test_db.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <stdexcept>

namespace agora::test_db {
namespace {

std::string pg_url_env() {
  const char* v = getenv("AGORA_TEST_PG_URL");
  return v ? v : "";
}

void pg_admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test_db: cannot connect to " + url + ": " + msg);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error("test_db: " + sql + ": " + msg);
}

// The URL of the same server and database whose connections see only
// `schema`. Tests need no durability, so commits skip the WAL flush wait.
std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") +
         "options=-c%20search_path%3D" + schema + "%20-c%20synchronous_commit%3Doff";
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^ (uint64_t(getpid()) << 32));
  static const char* hex = "0123456789abcdef";
  std::string s;
  uint64_t v = rng();
  for (int i = 0; i < 16; ++i, v >>= 4) s += hex[v & 15];
  return s;
}

class OwningDatabase final : public store::Database {
 public:
  OwningDatabase(std::unique_ptr<ScratchDatabase> scratch, std::unique_ptr<store::Database> db)
      : scratch_(std::move(scratch)), db_(std::move(db)) {}
  store::Dialect dialect() const override { return db_->dialect(); }
  void read(const std::function<void(store::Tx&)>& fn) override { db_->read(fn); }
  void write(const std::function<void(store::Tx&)>& fn) override { db_->write(fn); }
  store::PoolStats stats() const override { return db_->stats(); }
  int schema_version() override { return db_->schema_version(); }
  void backup(const std::string& path) override { db_->backup(path); }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;  // declared first: outlives db_
  std::unique_ptr<store::Database> db_;
};

}  // namespace

std::vector<std::string> test_engines() {
  std::vector<std::string> out{"sqlite"};
  if (!pg_url_env().empty()) out.push_back("postgres");
  return out;
}

std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

ScratchDatabase::ScratchDatabase(const std::string& engine) : engine_(engine) {
  const char* base = getenv("AGORA_TMP");
  if (!base || !*base) base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/agora-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("test_db: mkdtemp failed");
  dir_ = tmpl;
  if (engine == "sqlite") {
    url_ = "sqlite:" + dir_ + "/test.db";
  } else if (engine == "postgres") {
    pg_admin_url_ = pg_url_env();
    if (pg_admin_url_.empty()) throw std::runtime_error("test_db: AGORA_TEST_PG_URL is not set");
    pg_name_ = "agora_t_" + random_suffix();
    pg_admin(pg_admin_url_, "CREATE SCHEMA " + pg_name_);
    url_ = with_search_path(pg_admin_url_, pg_name_);
  } else {
    throw std::runtime_error("test_db: unknown engine " + engine);
  }
}

ScratchDatabase::~ScratchDatabase() {
  if (!pg_name_.empty()) {
    try {
      pg_admin(pg_admin_url_, "DROP SCHEMA IF EXISTS " + pg_name_ + " CASCADE");
    } catch (const std::exception& e) {
      fprintf(stderr, "%s\n", e.what());
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::unique_ptr<store::Database> fresh_database(const std::string& engine,
                                                const store::Options& options) {
  auto scratch = std::make_unique<ScratchDatabase>(engine);
  auto db = store::Database::open(scratch->url(), options);
  return std::make_unique<OwningDatabase>(std::move(scratch), std::move(db));
}

}  // namespace agora::test_db
