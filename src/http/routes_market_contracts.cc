// Routes of the market's fair-price contracts between a buying org and a
// producer: proposing, accepting, declining, withdrawing and ending them,
// paying pre-financing advances, and reading a contract with its running
// balance and its entries. Decoding and encoding only; the rules live in
// app/market_contracts.cc.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/market.h"
#include "app/registry.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace market = app::market;

constexpr int64_t kMaxId = INT64_MAX;
constexpr int64_t kMaxBps = 10'000;
constexpr int64_t kMaxUnits = 1'000'000'000;
constexpr size_t kMaxDateBytes = 40;  // YYYY-MM-DD, checked by the use case
constexpr size_t kMaxKeyBytes = 64;
constexpr size_t kMaxMemoBytes = 200;

// ?state= of contract lists.
std::optional<std::string> contract_state_of(const Request& req) {
  auto state = req.query_param("state");
  if (!state) return std::nullopt;
  if (*state != "proposed" && *state != "active" && *state != "ended" && *state != "withdrawn" &&
      *state != "declined") {
    throw Error(Code::invalid_value, "state must be proposed, active, ended, withdrawn or declined",
                "state");
  }
  return state;
}

// A state change on the {id} of its path that takes no body.
using IdCommand = Json (*)(store::Tx&, const app::Ctx&, int64_t);
void add_id_command(Router& r, app::App& app, const char* path, const char* command,
                    IdCommand run) {
  r.add("POST", path, [&app, command, run](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"contract_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, run](store::Tx& tx, const app::Ctx& ctx) { return run(tx, ctx, id); };
    Json result = co_await write(app, req.actor, command, payload, std::move(fn));
    co_return Response::json(result, 201);
  });
}

}  // namespace

void add_market_contract_routes(Router& r, app::App& app) {
  r.add("GET", "/api/v1/market/contracts", [&app](Request& req) -> awaitable<Response> {
    auto org_id = opt_query_i64(req, "org_id", 1, kMaxId);
    if (!org_id) throw Error(Code::missing_field, "org_id is required", "org_id");
    auto state = contract_state_of(req);
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::list_contracts(tx, ctx, *org_id, state, page);
    }));
  });

  r.add("POST", "/api/v1/market/contracts", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    market::ContractInput c;
    c.buyer_org_id = in.i64("buyer_org_id", 1, kMaxId);
    c.producer_org_id = in.i64("producer_org_id", 1, kMaxId);
    c.name = in.str("name", 1, market::kMaxNameBytes);
    c.starts_on = in.str("starts_on", 1, kMaxDateBytes);
    c.ends_on = in.str("ends_on", 1, kMaxDateBytes);
    c.account_id = in.i64("account_id", 1, kMaxId);
    c.repay_bps = in.opt_i64("repay_bps", 0, kMaxBps).value_or(0);
    c.terms = in.opt_str("terms", 0, market::kMaxTextBytes).value_or("");
    const Json& lines = in.array("lines", market::kMaxContractLines);
    in.done();
    if (lines.empty()) {
      throw Error(Code::out_of_range,
                  "lines holds 1.." + std::to_string(market::kMaxContractLines) + " variants",
                  "/lines");
    }
    c.lines.reserve(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      JsonReader line(lines[i], "/lines/" + std::to_string(i));
      market::ContractLineInput l;
      l.variant_id = line.i64("variant_id", 1, kMaxId);
      l.floor_price = line.i64("floor_price", 0, market::kMaxPrice);
      l.committed_units = line.opt_i64("committed_units", 0, kMaxUnits).value_or(0);
      line.done();
      c.lines.push_back(l);
    }
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [c = std::move(c)](store::Tx& tx, const app::Ctx& ctx) {
      return market::propose_contract(tx, ctx, c);
    };
    Json result = co_await write(app, req.actor, "market_propose_contract", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/market/contracts/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::get_contract(tx, ctx, id);
    }));
  });

  add_id_command(r, app, "/api/v1/market/contracts/{id}/accept", "market_accept_contract",
                 &market::accept_contract);
  add_id_command(r, app, "/api/v1/market/contracts/{id}/decline", "market_decline_contract",
                 &market::decline_contract);
  add_id_command(r, app, "/api/v1/market/contracts/{id}/withdraw", "market_withdraw_contract",
                 &market::withdraw_contract);
  add_id_command(r, app, "/api/v1/market/contracts/{id}/end", "market_end_contract",
                 &market::end_contract);

  r.add("POST", "/api/v1/market/contracts/{id}/advances",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          Json body = req.json_body();
          JsonReader in(body);
          market::AdvanceInput a;
          a.key = in.str("key", 1, kMaxKeyBytes);
          a.amount = in.i64("amount", 1, market::kMaxPrice);
          a.memo = in.opt_str("memo", 0, kMaxMemoBytes).value_or("");
          in.done();
          Json payload{{"contract_id", id}, {"advance", body}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id, a = std::move(a)](store::Tx& tx, const app::Ctx& ctx) {
            return market::pay_advance(tx, ctx, id, a);
          };
          Json result =
              co_await write(app, req.actor, "market_pay_advance", payload, std::move(fn));
          co_return Response::json(result, 201);
        });

  r.add("GET", "/api/v1/market/contracts/{id}/entries",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          auto page = page_req(req);
          co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
            return market::contract_entries(tx, ctx, id, page);
          }));
        });
}

}  // namespace agora::http
