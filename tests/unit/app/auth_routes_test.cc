// The auth routes' HTTP surface that golden files cannot see: the session
// cookie's attributes on login/register and its clearing on logout.
// Runs the handlers straight from the Router on an io_context (no socket).

#include <utility>  // boost 1.74 awaitable.hpp uses std::exchange without it

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "app/auth.h"
#include "core/error.h"
#include "http/router.h"
#include "support/test_db.h"

namespace agora::http {
namespace {

class AuthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database("sqlite");
    app_ = app::App::create(app::AppOptions{.db = db_.get(), .clock = &clock_});
    app::bootstrap_admin(*app_, "admin@test.agora", "admin-password-1");
    add_auth_routes(router_, *app_);
  }
  void TearDown() override { app_->stop(); }

  Response call(const std::string& method, const std::string& path, const std::string& body,
                const std::string& token = "") {
    Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    if (!body.empty()) req.headers["content-type"] = "application/json";
    req.actor.address = "127.0.0.1";
    if (!token.empty()) {
      req.session_token = token;
      if (auto a = app::resolve_session(*app_, token, "127.0.0.1")) req.actor = *a;
    }
    bool exists = false;
    const Route* route = router_.match(req, &exists);
    EXPECT_NE(route, nullptr) << method << " " << path;
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, route->handler(req), boost::asio::use_future);
    io.run();
    return fut.get();
  }

  static std::string header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  ManualClock clock_{parse_iso8601("2026-11-24T08:00:00Z")};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<app::App> app_;
  Router router_;
};

TEST_F(AuthRoutesTest, LoginSetsHttpOnlyStrictCookieWithTheToken) {
  Response r = call("POST", "/api/v1/auth/login",
                    R"({"email":"admin@test.agora","password":"admin-password-1"})");
  ASSERT_EQ(r.status, 200);
  std::string token = parse_json(r.body)["token"].get<std::string>();
  ASSERT_EQ(token.size(), 64u);
  EXPECT_EQ(header(r, "Set-Cookie"),
            "agora_session=" + token + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000");
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
}

TEST_F(AuthRoutesTest, LogoutClearsCookieAndSession) {
  Response in = call("POST", "/api/v1/auth/login",
                     R"({"email":"admin@test.agora","password":"admin-password-1"})");
  std::string token = parse_json(in.body)["token"].get<std::string>();
  Response out = call("POST", "/api/v1/auth/logout", "", token);
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(header(out, "Set-Cookie"),
            "agora_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  EXPECT_FALSE(app::resolve_session(*app_, token, "x"));
}

TEST_F(AuthRoutesTest, RegisterSetsCookieToo) {
  Response r = call("POST", "/api/v1/auth/register",
                    R"({"given_name":"Ana","family_name":"Silva","email":"ana@test.agora",)"
                    R"("password":"ana-password-1"})");
  ASSERT_EQ(r.status, 201);
  std::string token = parse_json(r.body)["token"].get<std::string>();
  EXPECT_EQ(header(r, "Set-Cookie").rfind("agora_session=" + token + "; HttpOnly;", 0), 0u);
}

TEST_F(AuthRoutesTest, FailedLoginSetsNoCookie) {
  try {
    call("POST", "/api/v1/auth/login", R"({"email":"admin@test.agora","password":"wrong-one"})");
    ADD_FAILURE() << "expected bad_credentials";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::bad_credentials);
  }
}

}  // namespace
}  // namespace agora::http
