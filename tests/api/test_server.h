#pragma once
// A real Agora server for API tests: a fresh database on one engine, an App
// with a ManualClock, every route area registered, listening on 127.0.0.1
// port 0. Not thread-safe: owned by one test.

#include <functional>
#include <memory>
#include <string>

#include "app/app.h"
#include "core/clock.h"
#include "http/router.h"
#include "http/server.h"
#include "store/database.h"

namespace agora::test_api {

struct TestServerOptions {
  http::ServerOptions server;  // host/port are forced to 127.0.0.1:0
  // Extra routes registered after the real ones (tests of the server itself).
  std::function<void(http::Router&, app::App&)> extra_routes;
};

class TestServer {
 public:
  explicit TestServer(const std::string& engine, TestServerOptions options = {});
  ~TestServer();

  uint16_t port() const { return server_->port(); }
  app::App& app() { return *app_; }
  http::Router& router() { return router_; }
  http::Server& server() { return *server_; }
  ManualClock& clock() { return clock_; }
  // Graceful stop of the server, then of the app (idempotent).
  void stop();

 private:
  std::unique_ptr<store::Database> db_;
  ManualClock clock_;
  std::unique_ptr<app::App> app_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  bool stopped_ = false;
};

}  // namespace agora::test_api
