// Routes of leases and funds: creating, changing and ending a lease (each
// with the joint decision of both co-ops), reading a lease, its schedule
// and its invoices with the arrears, and a fund's flows over time.
// Decoding and encoding only; the rules live in app/workplaces_leases.cc
// and app/workplaces_funds.cc.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/workplaces.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace wp = app::workplaces;

constexpr int64_t kMaxId = INT64_MAX;
constexpr size_t kMaxDateBytes = 10;  // YYYY-MM-DD, checked by the use case
constexpr size_t kMaxWordBytes = 16;  // renewal, rent_kind
constexpr size_t kMaxSteps = 50;
constexpr int64_t kMaxRate = 1'000'000'000;
constexpr int64_t kMaxBps = 10'000;
constexpr int64_t kMaxMonths = 1'200;

std::vector<wp::SolidarityStep> steps_of(const Json& steps) {
  std::vector<wp::SolidarityStep> out;
  out.reserve(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    JsonReader s(steps[i], "/steps/" + std::to_string(i));
    wp::SolidarityStep step;
    step.from_on = s.str("from_on", 1, kMaxDateBytes);
    step.rate_per_m2 = s.i64("rate_per_m2", 0, kMaxRate);
    s.done();
    out.push_back(std::move(step));
  }
  return out;
}

std::optional<std::string> query_text(const Request& req, const char* name, size_t max_len) {
  auto v = req.query_param(name);
  if (v && (v->empty() || v->size() > max_len)) {
    throw Error(Code::out_of_range,
                std::string(name) + " must be 1.." + std::to_string(max_len) + " characters", name);
  }
  return v;
}

}  // namespace

void add_lease_routes(Router& r, app::App& app) {
  r.add("POST", "/api/v1/leases", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    wp::LeaseInput l;
    l.asset_id = in.i64("asset_id", 1, kMaxId);
    l.lessor_org_id = in.i64("lessor_org_id", 1, kMaxId);
    l.lessee_org_id = in.i64("lessee_org_id", 1, kMaxId);
    l.starts_on = in.str("starts_on", 1, kMaxDateBytes);
    l.ends_on = in.str("ends_on", 1, kMaxDateBytes);
    l.renewal = in.opt_str("renewal", 1, kMaxWordBytes).value_or("none");
    l.renew_months = in.opt_i64("renew_months", 0, kMaxMonths).value_or(0);
    l.rent_kind = in.str("rent_kind", 1, kMaxWordBytes);
    l.rent_monthly = in.opt_i64("rent_monthly", 0, wp::kMaxAmount).value_or(0);
    l.index_bps = in.opt_i64("index_bps", 0, kMaxBps).value_or(0);
    l.debt_service = in.opt_i64("debt_service", 0, wp::kMaxAmount).value_or(0);
    l.maintenance = in.opt_i64("maintenance", 0, wp::kMaxAmount).value_or(0);
    l.floor_area_m2 = in.opt_i64("floor_area_m2", 0, wp::kMaxArea);
    l.solidarity_org_id = in.opt_i64("solidarity_org_id", 1, kMaxId);
    l.due_day = in.opt_i64("due_day", 1, 28).value_or(5);
    if (const Json* steps = in.opt_array("steps", kMaxSteps)) l.steps = steps_of(*steps);
    l.decision_id = in.i64("decision_id", 1, kMaxId);
    in.done();
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [l = std::move(l)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::create_lease(tx, ctx, l);
    };
    Json result = co_await write(app, req.actor, "create_lease", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/leases", [&app](Request& req) -> awaitable<Response> {
    auto org_id = opt_query_i64(req, "org_id", 1, kMaxId);
    if (!org_id) throw Error(Code::missing_field, "org_id is required", "org_id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::list_leases(tx, ctx, *org_id, page);
    }));
  });

  r.add("GET", "/api/v1/leases/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return wp::get_lease(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/leases/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    wp::LeasePatch p;
    p.ends_on = in.opt_str("ends_on", 1, kMaxDateBytes);
    p.renewal = in.opt_str("renewal", 1, kMaxWordBytes);
    p.renew_months = in.opt_i64("renew_months", 0, kMaxMonths);
    p.rent_monthly = in.opt_i64("rent_monthly", 0, wp::kMaxAmount);
    p.index_bps = in.opt_i64("index_bps", 0, kMaxBps);
    p.debt_service = in.opt_i64("debt_service", 0, wp::kMaxAmount);
    p.maintenance = in.opt_i64("maintenance", 0, wp::kMaxAmount);
    p.due_day = in.opt_i64("due_day", 1, 28);
    if (const Json* steps = in.opt_array("steps", kMaxSteps)) p.steps = steps_of(*steps);
    p.decision_id = in.i64("decision_id", 1, kMaxId);
    in.done();
    Json payload{{"lease_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, p = std::move(p)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::change_lease(tx, ctx, id, p);
    };
    Json result = co_await write(app, req.actor, "change_lease", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/leases/{id}/end", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string ends_on = in.str("ends_on", 1, kMaxDateBytes);
    int64_t decision_id = in.i64("decision_id", 1, kMaxId);
    in.done();
    Json payload{{"lease_id", id}, {"end", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, ends_on = std::move(ends_on), decision_id](store::Tx& tx,
                                                                      const app::Ctx& ctx) {
      return wp::end_lease(tx, ctx, id, ends_on, decision_id);
    };
    Json result = co_await write(app, req.actor, "end_lease", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/leases/{id}/schedule", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto from = query_text(req, "from", 7);
    int64_t months = query_i64(req, "months", 12, 1, 240);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::lease_schedule(tx, ctx, id, from, months);
    }));
  });

  r.add("GET", "/api/v1/leases/{id}/invoices", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::lease_invoices(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/funds/{kind}/flows", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string kind = req.params.at("kind");
    if (kind.size() > kMaxWordBytes) {
      throw Error(Code::out_of_range, "kind must be at most 16 characters", "kind");
    }
    auto currency = query_text(req, "currency", 8);
    auto from = query_text(req, "from", 7);
    auto to = query_text(req, "to", 7);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::fund_flows(tx, ctx, id, kind, currency, from, to);
    }));
  });
}

}  // namespace agora::http
