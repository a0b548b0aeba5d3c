// Routes of budgeting rounds: opening a round on a fund, submitting and
// withdrawing projects, the members' ballots, the tally and the payout with
// the org's decision. Decoding and encoding only; the rules live in
// app/budgeting.cc.

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/budgeting.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace bg = app::budgeting;

constexpr int64_t kMaxId = INT64_MAX;

// A tally may count for minutes (Equal Shares with Add1 over a large
// round): it runs on a thread of its own, one tally at a time, never on an
// I/O thread, and the handler waits for it without holding one.
boost::asio::thread_pool& tally_thread() {
  static boost::asio::thread_pool pool(1);
  return pool;
}

awaitable<Json> tally_off_io(app::App& app, app::Ctx ctx, int64_t id) {
  // Named, not a temporary inside co_await (the g++ 12 coroutine bug).
  auto run = [&app, ctx, id]() -> awaitable<Json> { co_return bg::tally_round(app, ctx, id); };
  Json result = co_await boost::asio::co_spawn(tally_thread(), run, boost::asio::use_awaitable);
  co_return result;
}
constexpr size_t kMaxWordBytes = 16;  // fund_kind, method, completion, ballot, utility
constexpr size_t kMaxCurrencyBytes = 8;
constexpr size_t kMaxTimeBytes = 40;  // an ISO 8601 time
constexpr size_t kMaxReasonBytes = 500;

// A required ISO 8601 UTC time field.
Timestamp time_of(JsonReader& in, std::string_view key) {
  std::string text = in.str(key, 1, kMaxTimeBytes);
  try {
    return parse_iso8601(text);
  } catch (const Error&) {
    throw Error(Code::invalid_value, std::string(key) + " must be an ISO 8601 UTC time",
                in.pointer(key));
  }
}

}  // namespace

void add_budgeting_routes(Router& r, app::App& app) {
  r.add("GET", "/api/v1/orgs/{id}/budget-rounds", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return bg::list_rounds(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/budget-rounds", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    bg::RoundInput ri;
    ri.fund_kind = in.str("fund_kind", 1, kMaxWordBytes);
    ri.currency = in.opt_str("currency", 1, kMaxCurrencyBytes);
    ri.title = in.str("title", 1, bg::kMaxTitleBytes);
    ri.description = in.opt_str("description", 0, bg::kMaxTextBytes).value_or("");
    ri.budget = in.i64("budget", 1, bg::kMaxBudget);
    ri.method = in.opt_enumeration("method", {"equal-shares", "greedy"}).value_or("equal-shares");
    ri.completion = in.opt_enumeration("completion", {"add1", "none"})
                        .value_or(ri.method == "greedy" ? "none" : "add1");
    ri.ballot = in.opt_enumeration("ballot", {"approval", "points"}).value_or("approval");
    ri.utility = in.opt_enumeration("utility", {"cost", "approval", "points"})
                     .value_or(ri.ballot == "points" ? "points" : "cost");
    ri.max_approvals = in.opt_i64("max_approvals", 0, bg::kMaxProjectsPerRound).value_or(0);
    ri.points_total = in.opt_i64("points_total", 0, bg::kMaxPointsTotal).value_or(0);
    ri.max_cost = in.opt_i64("max_cost", 0, bg::kMaxBudget).value_or(0);
    ri.submission_closes_at = time_of(in, "submission_closes_at");
    ri.voting_closes_at = time_of(in, "voting_closes_at");
    in.done();
    Json payload{{"org_id", id}, {"round", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, ri = std::move(ri)](store::Tx& tx, const app::Ctx& ctx) {
      return bg::open_round(tx, ctx, id, ri);
    };
    Json result = co_await write(app, req.actor, "open_budget_round", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/budget-rounds/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return bg::get_round(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/budget-rounds/{id}/cancel", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"round_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return bg::cancel_round(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "cancel_budget_round", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/budget-rounds/{id}/start-voting",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          no_body(req);
          Json payload{{"round_id", id}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
            return bg::start_voting(tx, ctx, id);
          };
          Json result =
              co_await write(app, req.actor, "start_budget_voting", payload, std::move(fn));
          co_return Response::json(result);
        });

  r.add("GET", "/api/v1/budget-rounds/{id}/projects", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return bg::list_projects(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/budget-rounds/{id}/projects", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    bg::ProjectInput p;
    p.title = in.str("title", 1, bg::kMaxTitleBytes);
    p.description = in.opt_str("description", 0, bg::kMaxTextBytes).value_or("");
    p.cost = in.i64("cost", 1, bg::kMaxBudget);
    p.payee_org_id = in.opt_i64("payee_org_id", 1, kMaxId);
    in.done();
    Json payload{{"round_id", id}, {"project", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, p = std::move(p)](store::Tx& tx, const app::Ctx& ctx) {
      return bg::submit_project(tx, ctx, id, p);
    };
    Json result = co_await write(app, req.actor, "submit_budget_project", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/budget-projects/{id}/withdraw",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          no_body(req);
          Json payload{{"project_id", id}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
            return bg::withdraw_project(tx, ctx, id);
          };
          Json result =
              co_await write(app, req.actor, "withdraw_budget_project", payload, std::move(fn));
          co_return Response::json(result);
        });

  r.add("POST", "/api/v1/budget-projects/{id}/ineligible",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          Json body = req.json_body();
          JsonReader in(body);
          std::string reason = in.str("reason", 1, kMaxReasonBytes);
          in.done();
          Json payload{{"project_id", id}, {"reason", body}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id, reason = std::move(reason)](store::Tx& tx, const app::Ctx& ctx) {
            return bg::mark_ineligible(tx, ctx, id, reason);
          };
          Json result = co_await write(app, req.actor, "mark_budget_project_ineligible", payload,
                                       std::move(fn));
          co_return Response::json(result);
        });

  r.add("PUT", "/api/v1/budget-rounds/{id}/ballot", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    const Json& list = in.array("items", static_cast<size_t>(bg::kMaxProjectsPerRound));
    std::vector<bg::BallotItem> items;
    items.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      JsonReader item(list[i], "/items/" + std::to_string(i));
      bg::BallotItem b;
      b.project_id = item.i64("project_id", 1, kMaxId);
      b.points = item.opt_i64("points", 1, bg::kMaxPointsTotal).value_or(1);
      item.done();
      items.push_back(b);
    }
    in.done();
    Json payload{{"round_id", id}, {"ballot", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, items = std::move(items)](store::Tx& tx, const app::Ctx& ctx) {
      return bg::cast_ballot(tx, ctx, id, items);
    };
    Json result = co_await write(app, req.actor, "cast_budget_ballot", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/budget-rounds/{id}/tally", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    // tally_round reads, counts outside any transaction and then writes
    // through the blocking App::write, so the write lane is held only for
    // the result's rows, never for the count; all of it off the I/O threads.
    app::Ctx ctx{req.actor, app.clock().now()};
    Json result = co_await tally_off_io(app, ctx, id);
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/budget-rounds/{id}/result", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return bg::round_result(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/budget-rounds/{id}/payout", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t decision_id = in.i64("decision_id", 1, kMaxId);
    in.done();
    Json payload{{"round_id", id}, {"payout", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, decision_id](store::Tx& tx, const app::Ctx& ctx) {
      return bg::pay_out(tx, ctx, id, decision_id);
    };
    Json result = co_await write(app, req.actor, "pay_out_budget_round", payload, std::move(fn));
    co_return Response::json(result);
  });
}

}  // namespace agora::http
