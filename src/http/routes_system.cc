// System routes: health, the OpenAPI document and Prometheus metrics.

#include "http/metrics.h"
#include "http/openapi.h"
#include "http/router.h"

namespace agora::http {

namespace asio = boost::asio;

void add_system_routes(Router& r, app::App& app) {
  r.add("GET", "/api/v1/health", [&app](Request&) -> asio::awaitable<Response> {
    auto& db = app.db();
    Json body{{"status", "ok"},
              {"db", db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgres"},
              {"schema_version", db.schema_version()}};
    co_return Response::json(body);
  });
  r.add("GET", "/api/v1/openapi.json", [](Request&) -> asio::awaitable<Response> {
    Response res;
    res.body = openapi_text();
    co_return res;
  });
  r.add("GET", "/metrics", [&app](Request&) -> asio::awaitable<Response> {
    co_return Response::text(metrics().render(&app), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace agora::http
