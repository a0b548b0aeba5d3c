#include "api/test_server.h"

#include <spdlog/spdlog.h>

#include "support/test_db.h"

namespace agora::test_api {

TestServer::TestServer(const std::string& engine, TestServerOptions options)
    : db_(test_db::fresh_database(engine)),
      clock_(parse_iso8601("2026-01-01T00:00:00Z")) {
  // Access lines for every exchange would bury the failures.
  spdlog::set_level(spdlog::level::warn);
  app_ = app::App::create(app::AppOptions{.db = db_.get(), .clock = &clock_});
  http::add_system_routes(router_, *app_);
  http::add_auth_routes(router_, *app_);
  http::add_registry_routes(router_, *app_);
  http::add_governance_routes(router_, *app_);
  http::add_ledger_routes(router_, *app_);
  http::add_market_catalog_routes(router_, *app_);
  http::add_market_cycle_routes(router_, *app_);
  http::add_market_contract_routes(router_, *app_);
  http::add_asset_routes(router_, *app_);
  http::add_lease_routes(router_, *app_);
  http::add_budgeting_routes(router_, *app_);
  if (options.extra_routes) options.extra_routes(router_, *app_);
  http::ServerOptions so = options.server;
  so.host = "127.0.0.1";
  so.port = 0;
  if (so.threads == 0) so.threads = 2;
  if (so.web_dir.empty()) so.web_dir = "/nonexistent/agora-web-dist";
  server_ = std::make_unique<http::Server>(*app_, router_, so);
  server_->start();
}

TestServer::~TestServer() { stop(); }

void TestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->stop();
  app_->stop();
}

}  // namespace agora::test_api
