#pragma once
// Small helpers the demo tests share: a query's rows for comparing two
// loads, one number a query returns, and a demo person signed in with the
// demo password.
// Thread-safe: each call uses only its arguments.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "app/auth.h"
#include "app/demo.h"
#include "store/database.h"

namespace agora::test_demo {

using Table = std::vector<std::vector<store::Cell>>;

// Every row of `sql`, every column.
inline Table dump(store::Database& db, const std::string& sql) {
  Table t;
  db.read([&](store::Tx& tx) {
    for (const auto& row : tx.query(sql).rows) t.push_back(row.cells_);
  });
  return t;
}

// The first column of the one row `sql` returns.
inline int64_t number(store::Database& db, const std::string& sql) {
  int64_t n = 0;
  db.read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
  return n;
}

// The actor of `email` after a login with the demo password.
inline app::Actor actor_of(app::App& app, std::string_view email) {
  const app::Session s = app::login(app, email, app::kDemoPassword, "test");
  auto a = app::resolve_session(app, s.token, "test");
  EXPECT_TRUE(a.has_value());
  return a.value_or(app::Actor{});
}

}  // namespace agora::test_demo
