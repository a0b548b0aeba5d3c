// Routes of assets and ownership: assets owned in stakes, their events, the
// asset lock's reserved matters carried out with their decisions, and stake
// buy-outs. Decoding and encoding only; the rules live in
// app/workplaces_assets.cc (app/workplaces.h).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/registry.h"
#include "app/workplaces.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace wp = app::workplaces;

constexpr int64_t kMaxId = INT64_MAX;
constexpr size_t kMaxDateBytes = 40;  // YYYY-MM-DD, checked by the use case
constexpr size_t kMaxAddressBytes = 500;
constexpr size_t kMaxTerritoryBytes = 200;
constexpr size_t kMaxDecisionIds = 10;

// A list of integers 1..kMaxId at `key` (at most max_items).
std::vector<int64_t> id_list(JsonReader& in, const char* key, size_t max_items) {
  const Json& list = in.array(key, max_items);
  std::vector<int64_t> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string field = "/" + std::string(key) + "/" + std::to_string(i);
    if (!list[i].is_number_integer()) throw Error(Code::wrong_type, "expected an integer", field);
    int64_t v = list[i].get<int64_t>();
    if (v < 1) throw Error(Code::out_of_range, "an id is positive", field);
    out.push_back(v);
  }
  return out;
}

}  // namespace

void add_asset_routes(Router& r, app::App& app) {
  r.add("GET", "/api/v1/assets", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = query_i64(req, "org_id", 0, 0, kMaxId);
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::list_assets(tx, ctx, org_id, page);
    }));
  });

  r.add("POST", "/api/v1/assets", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    wp::AssetInput a;
    a.kind = in.opt_enumeration("kind", {"workplace", "land", "building", "equipment"})
                 .value_or("workplace");
    a.name = in.str("name", 1, wp::kMaxNameBytes);
    a.description = in.opt_str("description", 0, wp::kMaxTextBytes).value_or("");
    a.address = in.opt_str("address", 0, kMaxAddressBytes).value_or("");
    a.territory = in.opt_str("territory", 0, kMaxTerritoryBytes).value_or("");
    a.floor_area_m2 = in.opt_i64("floor_area_m2", 0, wp::kMaxArea).value_or(0);
    a.valuation = in.opt_i64("valuation", 0, wp::kMaxAmount).value_or(0);
    a.currency = in.opt_str("currency", 3, 8);
    a.valued_on = in.opt_str("valued_on", 1, kMaxDateBytes);
    a.use_text = in.opt_str("use_text", 0, wp::kMaxTextBytes).value_or("");
    a.statutes = in.opt_str("statutes", 0, wp::kMaxTextBytes).value_or("");
    const Json& stakes = in.array("stakes", wp::kMaxStakes);
    in.done();
    for (size_t i = 0; i < stakes.size(); ++i) {
      JsonReader s(stakes[i], "/stakes/" + std::to_string(i));
      wp::StakeInput st;
      st.org_id = s.i64("org_id", 1, kMaxId);
      st.share_bps = s.i64("share_bps", 1, 10'000);
      s.done();
      a.stakes.push_back(st);
    }
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [a = std::move(a)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::create_asset(tx, ctx, a);
    };
    Json result = co_await write(app, req.actor, "create_asset", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/assets/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return wp::get_asset(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/assets/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    wp::AssetPatch p;
    p.name = in.opt_str("name", 1, wp::kMaxNameBytes);
    p.description = in.opt_str("description", 0, wp::kMaxTextBytes);
    p.address = in.opt_str("address", 0, kMaxAddressBytes);
    p.territory = in.opt_str("territory", 0, kMaxTerritoryBytes);
    p.valued_on = in.opt_str("valued_on", 1, kMaxDateBytes);
    p.floor_area_m2 = in.opt_i64("floor_area_m2", 0, wp::kMaxArea);
    p.valuation = in.opt_i64("valuation", 0, wp::kMaxAmount);
    in.done();
    Json payload{{"asset_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, p = std::move(p)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::update_asset(tx, ctx, id, p);
    };
    Json result = co_await write(app, req.actor, "update_asset", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/assets/{id}/events", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return wp::asset_events(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/assets/{id}/reserved", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    wp::ReservedInput m;
    m.matter = in.enumeration("matter", {"sale", "use", "encumbrance", "statutes"});
    m.detail = in.str("detail", 1, wp::kMaxTextBytes);
    m.amount = in.opt_i64("amount", 0, wp::kMaxAmount);
    m.decision_ids = id_list(in, "decision_ids", kMaxDecisionIds);
    in.done();
    Json payload{{"asset_id", id}, {"reserved", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, m = std::move(m)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::carry_out_reserved(tx, ctx, id, m);
    };
    Json result = co_await write(app, req.actor, "carry_out_reserved", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/assets/{id}/buyouts", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    wp::BuyoutInput b;
    b.seller_org_id = in.i64("seller_org_id", 1, kMaxId);
    b.buyer_org_id = in.i64("buyer_org_id", 1, kMaxId);
    b.share_bps = in.i64("share_bps", 1, 10'000);
    b.price_total = in.i64("price_total", 0, wp::kMaxAmount);
    b.installments = in.opt_i64("installments", 1, 600).value_or(1);
    b.period_months = in.opt_i64("period_months", 1, 120).value_or(12);
    b.starts_on = in.str("starts_on", 1, kMaxDateBytes);
    b.decision_id = in.i64("decision_id", 1, kMaxId);
    in.done();
    Json payload{{"asset_id", id}, {"buyout", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, b = std::move(b)](store::Tx& tx, const app::Ctx& ctx) {
      return wp::create_buyout(tx, ctx, id, b);
    };
    Json result = co_await write(app, req.actor, "create_buyout", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/buyouts/{id}/cancel", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"buyout_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return wp::cancel_buyout(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "cancel_buyout", payload, std::move(fn));
    co_return Response::json(result);
  });
}

}  // namespace agora::http
