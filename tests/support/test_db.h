#pragma once
// Fresh databases for tests, one per test, on every engine under test:
// SQLite always, PostgreSQL too when AGORA_TEST_PG_URL is set (make test sets
// it). Thread-safe: each call makes its own database.
//
// Use from a parameterized test:
//
//   class MyTest : public ::testing::TestWithParam<std::string> {};
//   TEST_P(MyTest, Something) {
//     auto db = agora::test_db::fresh_database(GetParam());  // migrated
//     db->write([](agora::store::Tx& tx) { ... });
//   }
//   INSTANTIATE_TEST_SUITE_P(Engines, MyTest,
//                            ::testing::ValuesIn(agora::test_db::test_engines()),
//                            agora::test_db::engine_name);
//
// A test that needs a URL instead (a server or the CLI opening it itself)
// keeps a ScratchDatabase alive for as long as the URL is used.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace agora::test_db {

// How much slower this build runs than an optimized one: a test bounding a
// latency multiplies its bound by it. AddressSanitizer builds (-Og, shadow
// memory, checks on every access) run several times slower and share the
// machine with other test stages.
#ifdef AGORA_SANITIZED
inline constexpr double kTimingSlack = 10.0;
#else
inline constexpr double kTimingSlack = 1.0;
#endif

// {"sqlite"} plus "postgres" when AGORA_TEST_PG_URL is set.
std::vector<std::string> test_engines();

// For INSTANTIATE_TEST_SUITE_P: names the instances "sqlite" / "postgres".
std::string engine_name(const ::testing::TestParamInfo<std::string>& info);

// An empty database reachable by url(), removed when destroyed. SQLite: a file
// in a fresh temporary directory. PostgreSQL: a new schema agora_t_<random> in
// the database of AGORA_TEST_PG_URL, with the URL setting search_path to it
// (a schema costs a fraction of CREATE DATABASE); DROP SCHEMA ... CASCADE after.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const std::string& engine);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& engine() const { return engine_; }
  // A directory removed with the database, for backups and other files.
  const std::string& dir() const { return dir_; }

 private:
  std::string engine_;
  std::string url_;
  std::string dir_;
  std::string pg_admin_url_;
  std::string pg_name_;
};

// Opens a fresh database with every migration applied (options.migrate is
// honoured, so pass {.migrate = false} for an empty one). The returned object
// drops the database when destroyed.
std::unique_ptr<store::Database> fresh_database(const std::string& engine,
                                                const store::Options& options = {});

}  // namespace agora::test_db
