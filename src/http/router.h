#pragma once
// Routes of the HTTP API: method + path pattern ("/api/v1/coops/{id}") to a
// coroutine handler. Handlers decode JSON into typed commands, call app use
// cases and encode the result; they hold no business rules. Errors thrown as
// agora::Error become problem+json in the connection handler.
// Thread-safe after setup: add() during start-up only, match() from any thread.

#include <utility>  // boost 1.74 awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/json.h"

namespace agora::app {
struct PageReq;  // app/registry.h
}

namespace agora::http {

struct Request {
  std::string method;                           // "GET"
  std::string path;                             // "/api/v1/coops/12"
  std::map<std::string, std::string> params;    // from the pattern: {"id": "12"}
  std::map<std::string, std::string> query;     // decoded query string
  std::map<std::string, std::string> headers;   // lower-case names
  std::string body;
  app::Actor actor;                             // resolved from cookie or bearer token
  std::string session_token;                    // raw token if one was presented
  std::string request_id;
  std::string route;                            // the matched pattern, "" if none (metrics label)

  // Helpers that throw agora::Error with the offending field.
  int64_t id_param(std::string_view name) const;  // positive integer path parameter
  Json json_body() const;                         // Error(unsupported_media_type/malformed_json)
  std::optional<std::string> query_param(std::string_view name) const;
  // A header by lower-case name, or nullopt.
  std::optional<std::string> header(std::string_view lower_name) const;
  // A cookie from the Cookie header, or nullopt.
  std::optional<std::string> cookie(std::string_view name) const;
};

// Request limits, checked at the edge; the server enforces them on every read.
inline constexpr size_t kMaxBodyBytes = size_t{1} << 20;     // 413 above
inline constexpr size_t kMaxHeaderBytes = size_t{16} << 10;  // 431 above
inline constexpr size_t kMaxQueryParams = 64;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(const Json& j, int status = 200);
  static Response no_content();
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       int status = 200);
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Sets req.params on a match. nullptr with *path_exists=true means 405.
  const Route* match(Request& req, bool* path_exists) const;
  const std::vector<Route>& routes() const { return routes_; }
  // The route a (method, pattern) pair names, or nullptr; for tests.
  const Route* find(std::string_view method, std::string_view pattern) const;

 private:
  std::vector<Route> routes_;
};

// Awaitable bridge to App::write_async: suspends the handler until the
// command's batch has committed, then resumes on the handler's executor.
boost::asio::awaitable<Json> write(app::App& app, const app::Actor& actor, std::string_view name,
                                   const Json& payload, app::WriteFn fn);

// Pagination: ?limit= (1..max_page, default 50) and ?after= (an id cursor).
struct Page {
  int64_t limit = 50;
  int64_t after = 0;
};
inline constexpr int64_t kMaxPageSize = 200;
Page page_of(const Request& req);
// The same as the use cases' PageReq.
app::PageReq page_req(const Request& req);
// Refuses any body (Error(unknown_field) for a non-empty object) on
// commands that take none; an empty body passes.
void no_body(const Request& req);
// An integer query parameter within [min, max], or `def` when absent:
// Error(invalid_value) when it is not an integer, Error(out_of_range)
// outside the bounds, both naming the parameter.
int64_t query_i64(const Request& req, std::string_view name, int64_t def, int64_t min,
                  int64_t max);
// The same, nullopt when absent.
std::optional<int64_t> opt_query_i64(const Request& req, std::string_view name, int64_t min,
                                     int64_t max);

// Percent-decodes a URL component; `plus_is_space` for query strings.
// Error(bad_request) on a bad escape. Exposed for tests.
std::string percent_decode(std::string_view in, bool plus_is_space);
// Parses "a=1&b=x%20y" into a map (later duplicates win).
std::map<std::string, std::string> parse_query(std::string_view query);

// Each API area registers its routes from its own file (routes_*.cc).
void add_system_routes(Router& r, app::App& app);    // health, openapi, metrics
void add_auth_routes(Router& r, app::App& app);      // login, logout, me, accounts
void add_registry_routes(Router& r, app::App& app);  // federations, co-ops, members, shares
void add_governance_routes(Router& r, app::App& app);  // constitutions, proposals, ballots
void add_ledger_routes(Router& r, app::App& app);  // currencies, accounts, transfers, closings
void add_market_catalog_routes(Router& r, app::App& app);  // products, labels, seals, DFC export
void add_market_cycle_routes(Router& r, app::App& app);    // order cycles, orders, settlement, reports
void add_market_contract_routes(Router& r, app::App& app);  // fair-price contracts, advances
void add_asset_routes(Router& r, app::App& app);  // assets, stakes, the asset lock, buy-outs
void add_lease_routes(Router& r, app::App& app);  // leases, their invoices, funds' flows
void add_budgeting_routes(Router& r, app::App& app);  // budgeting rounds, projects, ballots, payouts

}  // namespace agora::http
