// The server's own behaviour over real TCP: keep-alive, request ids, limits,
// graceful shutdown with a request in flight, metrics by route pattern.

#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "api/client.h"
#include "api/test_server.h"
#include "core/error.h"
#include "http/problem.h"

namespace agora::test_api {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

TEST(Server, KeepsConnectionsAlive) {
  TestServer s("sqlite");
  HttpClient c(s.port());
  for (int i = 0; i < 5; ++i) {
    auto r = c.request("GET", "/api/v1/health");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.keep_alive);
  }
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST(Server, GivesEveryRequestAnId) {
  TestServer s("sqlite");
  HttpClient c(s.port());
  auto a = c.request("GET", "/api/v1/health");
  auto b = c.request("GET", "/api/v1/health");
  EXPECT_FALSE(a.header("x-request-id").empty());
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
  auto mine = c.request("GET", "/api/v1/health", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(mine.header("x-request-id"), "trace-42");
  auto hostile = c.request("GET", "/api/v1/health", {{"X-Request-Id", "a b\"c"}});
  EXPECT_NE(hostile.header("x-request-id"), "a b\"c");
}

TEST(Server, RefusesAHeaderOverTheLimitWith431) {
  TestServer s("sqlite");
  std::string req = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                    std::string(20 * 1024, 'a') + "\r\n\r\n";
  auto r = raw_exchange(s.port(), req);
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_NE(r.body.find("\"code\":\"header_too_large\""), std::string::npos) << r.body;
  // Just under the limit is fine.
  HttpClient c(s.port());
  EXPECT_EQ(c.request("GET", "/api/v1/health", {{"X-Big", std::string(12 * 1024, 'a')}}).status, 200);
}

TEST(Server, RefusesABodyOverTheLimitWith413BeforeReadingIt) {
  TestServer s("sqlite");
  // Announce a large body and send none: the answer must not wait for it.
  std::string req =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2000000\r\n\r\n{";
  auto r = raw_exchange(s.port(), req);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("\"code\":\"payload_too_large\""), std::string::npos) << r.body;
  EXPECT_FALSE(r.keep_alive);
}

TEST(Server, AnswersGarbageWith400) {
  TestServer s("sqlite");
  auto r = raw_exchange(s.port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"code\":\"bad_request\""), std::string::npos) << r.body;
}

TEST(Server, TurnsErrorsIntoProblemsAndHidesInternalDetails) {
  TestServer s("sqlite", TestServerOptions{.server = {}, .extra_routes = [](http::Router& r, app::App&) {
    r.add("GET", "/api/v1/test/refuse", [](Request&) -> asio::awaitable<Response> {
      throw Error(Code::duplicate, "already there", "/email");
      co_return Response{};
    });
    r.add("GET", "/api/v1/test/crash", [](Request&) -> asio::awaitable<Response> {
      throw std::runtime_error("secret table name");
      co_return Response{};
    });
    r.add("GET", "/api/v1/test/db", [](Request&) -> asio::awaitable<Response> {
      throw Error(Code::database, "SELECT secret FROM x failed");
      co_return Response{};
    });
  }});
  HttpClient c(s.port());
  auto refuse = c.request("GET", "/api/v1/test/refuse");
  EXPECT_EQ(refuse.status, 409);
  auto j = Json::parse(refuse.body);
  EXPECT_EQ(j["code"], "duplicate");
  EXPECT_EQ(j["field"], "/email");
  EXPECT_EQ(j["detail"], "already there");
  for (const char* path : {"/api/v1/test/crash", "/api/v1/test/db"}) {
    auto crash = c.request("GET", path);
    EXPECT_EQ(crash.status, 500) << path;
    EXPECT_EQ(crash.header("content-type"), "application/problem+json");
    EXPECT_EQ(crash.body.find("secret"), std::string::npos) << crash.body;
  }
  // The connection survives a handler's failure.
  EXPECT_EQ(c.request("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST(Server, BridgesWritesThroughTheBatcher) {
  TestServer s("sqlite", TestServerOptions{.server = {}, .extra_routes = [](http::Router& r, app::App& app) {
    r.add("POST", "/api/v1/test/write", [&app](Request& req) -> asio::awaitable<Response> {
      auto before = co_await asio::this_coro::executor;
      Json out = co_await http::write(app, req.actor, "test_write", Json::object(),
                                      [](store::Tx&, const app::Ctx&) { return Json{{"ok", 1}}; });
      auto after = co_await asio::this_coro::executor;
      out["same_executor"] = before == after;
      co_return Response::json(out);
    });
    r.add("POST", "/api/v1/test/write-fails", [&app](Request& req) -> asio::awaitable<Response> {
      co_await http::write(app, req.actor, "test_write_fails", Json::object(),
                           [](store::Tx&, const app::Ctx&) -> Json {
                             throw Error(Code::invalid_state, "no");
                           });
      co_return Response::no_content();
    });
  }});
  HttpClient c(s.port());
  auto ok = c.request("POST", "/api/v1/test/write");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json::parse(ok.body), (Json{{"ok", 1}, {"same_executor", true}}));
  auto bad = c.request("POST", "/api/v1/test/write-fails");
  EXPECT_EQ(bad.status, 409);
  EXPECT_EQ(Json::parse(bad.body)["code"], "invalid_state");
}

TEST(Server, GracefulShutdownFinishesTheRequestInFlight) {
  std::promise<void> entered;
  auto entered_future = entered.get_future();
  TestServer s("sqlite", TestServerOptions{.server = {}, .extra_routes = [&entered](http::Router& r, app::App&) {
    r.add("GET", "/api/v1/test/slow", [&entered](Request&) -> asio::awaitable<Response> {
      entered.set_value();
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(400));
      co_await t.async_wait(asio::use_awaitable);
      co_return Response::json(Json{{"slow", true}});
    });
  }});
  // An idle keep-alive connection must not hold up the shutdown.
  HttpClient idle(s.port());
  ASSERT_EQ(idle.request("GET", "/api/v1/health").status, 200);

  auto answer = std::async(std::launch::async, [port = s.port()] {
    HttpClient c(port);
    return c.request("GET", "/api/v1/test/slow");
  });
  ASSERT_EQ(entered_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  // The health request's client has its answer a moment before the server
  // counts that request done; only the slow one stays in flight.
  for (int i = 0; i < 2000 && s.server().in_flight() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(s.server().in_flight(), 1);
  auto t0 = std::chrono::steady_clock::now();
  s.stop();
  auto took = std::chrono::steady_clock::now() - t0;
  auto r = answer.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"slow":true})");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_LT(took, std::chrono::seconds(5));
  // Once stopped, nobody is listening.
  HttpClient late(s.port());
  EXPECT_THROW(late.request("GET", "/api/v1/health"), std::exception);
}

TEST(Server, CountsRequestsByRoutePatternNotPath) {
  TestServer s("sqlite", TestServerOptions{.server = {}, .extra_routes = [](http::Router& r, app::App&) {
    r.add("GET", "/api/v1/test/items/{id}", [](Request& req) -> asio::awaitable<Response> {
      co_return Response::json(Json{{"id", req.id_param("id")}});
    });
  }});
  HttpClient c(s.port());
  EXPECT_EQ(c.request("GET", "/api/v1/test/items/7").status, 200);
  EXPECT_EQ(c.request("GET", "/api/v1/test/items/8").status, 200);
  EXPECT_EQ(c.request("GET", "/api/v1/test/items/x").status, 404);
  auto m = c.request("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find(R"(agora_http_requests_total{route="/api/v1/test/items/{id}",method="GET",status="200"} 2)"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find(R"(agora_http_request_duration_seconds_count{route="/api/v1/test/items/{id}"} 3)"),
            std::string::npos);
  EXPECT_EQ(m.body.find("/items/7"), std::string::npos);
  EXPECT_NE(m.body.find("agora_db_read_connections"), std::string::npos);
  EXPECT_NE(m.body.find("agora_write_batches_total"), std::string::npos);
}

TEST(Server, ServesAPlaceholderWithoutAWebBuild) {
  TestServer s("sqlite");
  HttpClient c(s.port());
  auto r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("Agora"), std::string::npos);
}

}  // namespace
}  // namespace agora::test_api
