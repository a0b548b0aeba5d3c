// Routes of the market's catalog: products with their variants and price
// breakdowns, producers' labels, certifications, the solidarity seal, the
// public browse and the Data Food Consortium export. Decoding and encoding
// only; the rules live in app/market_catalog.cc and market/.

#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/market.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace market = app::market;

constexpr int64_t kMaxId = INT64_MAX;
constexpr int64_t kMaxNetMilli = 1'000'000'000'000;
constexpr int64_t kMaxDistanceKm = 40'000;
constexpr size_t kMaxVariantsInRequest = 50;

// An integer query parameter within [min, max], or nullopt when absent.
std::optional<int64_t> query_i64(const Request& req, std::string_view name, int64_t min,
                                 int64_t max) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  std::string field(name);
  if (v->empty() || ec != std::errc{} || end != v->data() + v->size()) {
    throw Error(Code::invalid_value, field + " must be an integer", field);
  }
  if (out < min || out > max) {
    throw Error(Code::out_of_range,
                field + " must be between " + std::to_string(min) + " and " + std::to_string(max),
                field);
  }
  return out;
}

// A text query parameter; an empty one counts as absent (a cleared search box).
std::optional<std::string> query_text(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

// The browse filters shared by the catalog (and the same names as a cycle's shop).
market::CatalogQuery catalog_query_of(const Request& req) {
  market::CatalogQuery q;
  q.q = query_text(req, "q");
  q.category = query_text(req, "category");
  q.territory = query_text(req, "territory");
  q.producer_org_id = query_i64(req, "producer", 1, kMaxId);
  if (auto s = query_text(req, "sealed")) {
    if (*s != "true" && *s != "false") {
      throw Error(Code::invalid_value, "sealed must be true or false", "sealed");
    }
    q.sealed = *s == "true";
  }
  q.min_price = query_i64(req, "min_price", 0, market::kMaxPrice);
  q.max_price = query_i64(req, "max_price", 0, market::kMaxPrice);
  if (auto s = query_text(req, "sort")) {
    if (*s != "name" && *s != "price" && *s != "distance") {
      throw Error(Code::invalid_value, "sort must be name, price or distance", "sort");
    }
    q.sort = *s;
  }
  q.offset = query_i64(req, "offset", 0, 100'000).value_or(0);
  q.limit = query_i64(req, "limit", 1, kMaxPageSize).value_or(50);
  return q;
}

// {producer, transport, packing, margin, fund, tax}; parts left out are 0.
// Without a breakdown the whole price is the producer's.
::agora::market::Breakdown breakdown_of(JsonReader& in, int64_t price) {
  const Json* b = in.opt_object("breakdown");
  if (!b) return ::agora::market::Breakdown{.producer = price};
  if (!b->is_object()) throw Error(Code::wrong_type, "expected an object", in.pointer("breakdown"));
  JsonReader r(*b, in.pointer("breakdown"));
  ::agora::market::Breakdown out{
      .producer = r.i64("producer", 0, market::kMaxPrice),
      .transport = r.opt_i64("transport", 0, market::kMaxPrice).value_or(0),
      .packing = r.opt_i64("packing", 0, market::kMaxPrice).value_or(0),
      .margin = r.opt_i64("margin", 0, market::kMaxPrice).value_or(0),
      .fund = r.opt_i64("fund", 0, market::kMaxPrice).value_or(0),
      .tax = r.opt_i64("tax", 0, market::kMaxPrice).value_or(0)};
  r.done();
  return out;
}

market::VariantInput variant_of(JsonReader& in) {
  market::VariantInput v;
  v.name = in.str("name", 1, market::kMaxNameBytes);
  v.unit_code = in.opt_str("unit_code", 1, 8).value_or("H87");
  v.net_milli = in.opt_i64("net_milli", 1, kMaxNetMilli).value_or(1000);
  v.case_size = in.opt_i64("case_size", 1, market::kMaxCaseSize).value_or(1);
  v.price = in.i64("price", 1, market::kMaxPrice);
  v.breakdown = breakdown_of(in, v.price);
  v.active = in.opt_boolean("active").value_or(true);
  in.done();
  return v;
}

market::VariantInput variant_body(const Request& req, Json& body) {
  body = req.json_body();
  if (!body.is_object()) throw Error(Code::wrong_type, "expected an object", "");
  JsonReader in(body);
  return variant_of(in);
}

std::optional<Timestamp> opt_time(JsonReader& in, std::string_view key) {
  auto text = in.opt_str(key, 1, 40);
  if (!text) return std::nullopt;
  try {
    return parse_iso8601(*text);
  } catch (const Error&) {
    throw Error(Code::invalid_value, "expected an ISO 8601 time", in.pointer(key));
  }
}

}  // namespace

void add_market_catalog_routes(Router& r, app::App& app) {
  // ---- browse and products

  r.add("GET", "/api/v1/market/products", [&app](Request& req) -> awaitable<Response> {
    market::CatalogQuery q = catalog_query_of(req);
    co_return Response::json(app.read(req.actor, [&q](store::Tx& tx, const app::Ctx& ctx) {
      return market::browse_catalog(tx, ctx, q);
    }));
  });

  r.add("POST", "/api/v1/market/products", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    market::ProductInput p;
    p.producer_org_id = in.i64("producer_org_id", 1, kMaxId);
    p.name = in.str("name", 1, market::kMaxNameBytes);
    p.description = in.opt_str("description", 0, market::kMaxTextBytes).value_or("");
    p.category = in.str("category", 1, 100);
    p.territory = in.opt_str("territory", 0, market::kMaxNameBytes);
    p.distance_km = in.opt_i64("distance_km", 0, kMaxDistanceKm).value_or(0);
    p.packaging = in.opt_str("packaging", 1, 32).value_or("none");
    p.currency = in.opt_str("currency", 3, 8);
    const Json& variants = in.array("variants", kMaxVariantsInRequest);
    for (size_t i = 0; i < variants.size(); ++i) {
      std::string at = in.pointer("variants") + "/" + std::to_string(i);
      if (!variants[i].is_object()) throw Error(Code::wrong_type, "expected an object", at);
      JsonReader v(variants[i], at);
      p.variants.push_back(variant_of(v));
    }
    in.done();
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [p](store::Tx& tx, const app::Ctx& ctx) {
      return market::create_product(tx, ctx, p);
    };
    Json result = co_await write(app, req.actor, "create_product", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/market/products/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::get_product(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/market/products/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    market::ProductPatch patch;
    patch.name = in.opt_str("name", 1, market::kMaxNameBytes);
    patch.description = in.opt_str("description", 0, market::kMaxTextBytes);
    patch.category = in.opt_str("category", 1, 100);
    patch.territory = in.opt_str("territory", 0, market::kMaxNameBytes);
    patch.packaging = in.opt_str("packaging", 1, 32);
    patch.distance_km = in.opt_i64("distance_km", 0, kMaxDistanceKm);
    patch.active = in.opt_boolean("active");
    in.done();
    Json payload{{"product_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, patch](store::Tx& tx, const app::Ctx& ctx) {
      return market::update_product(tx, ctx, id, patch);
    };
    Json result = co_await write(app, req.actor, "update_product", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/market/products/{id}/variants",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          Json body;
          market::VariantInput v = variant_body(req, body);
          Json payload{{"product_id", id}, {"variant", body}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id, v](store::Tx& tx, const app::Ctx& ctx) {
            return market::add_variant(tx, ctx, id, v);
          };
          Json result = co_await write(app, req.actor, "add_variant", payload, std::move(fn));
          co_return Response::json(result, 201);
        });

  r.add("PUT", "/api/v1/market/variants/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body;
    market::VariantInput v = variant_body(req, body);
    Json payload{{"variant_id", id}, {"variant", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, v](store::Tx& tx, const app::Ctx& ctx) {
      return market::update_variant(tx, ctx, id, v);
    };
    Json result = co_await write(app, req.actor, "update_variant", payload, std::move(fn));
    co_return Response::json(result);
  });

  // ---- certifications

  r.add("POST", "/api/v1/market/products/{id}/certifications",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          Json body = req.json_body();
          JsonReader in(body);
          market::CertificationInput c;
          c.name = in.str("name", 1, market::kMaxNameBytes);
          c.certifier = in.str("certifier", 1, market::kMaxNameBytes);
          c.reference = in.str("reference", 1, market::kMaxNameBytes);
          c.granted_on = in.str("granted_on", 1, 10);
          c.expires_on = in.opt_str("expires_on", 1, 10);
          in.done();
          Json payload{{"product_id", id}, {"certification", body}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id, c](store::Tx& tx, const app::Ctx& ctx) {
            return market::add_certification(tx, ctx, id, c);
          };
          Json result = co_await write(app, req.actor, "add_certification", payload, std::move(fn));
          co_return Response::json(result, 201);
        });

  r.add("DELETE", "/api/v1/market/certifications/{id}",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          no_body(req);
          Json payload{{"certification_id", id}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
            return market::remove_certification(tx, ctx, id);
          };
          Json result =
              co_await write(app, req.actor, "remove_certification", payload, std::move(fn));
          co_return Response::json(result);
        });

  // ---- the solidarity seal

  r.add("POST", "/api/v1/market/products/{id}/seal", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t federation = in.i64("federation_org_id", 1, kMaxId);
    int64_t decision = in.i64("decision_id", 1, kMaxId);
    std::optional<Timestamp> expires_at = opt_time(in, "expires_at");
    in.done();
    Json payload{{"product_id", id}, {"seal", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, federation, decision, expires_at](store::Tx& tx, const app::Ctx& ctx) {
      return market::grant_seal(tx, ctx, id, federation, decision, expires_at);
    };
    Json result = co_await write(app, req.actor, "grant_seal", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/market/products/{id}/seal/withdraw",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          Json body = req.json_body();
          JsonReader in(body);
          int64_t decision = in.i64("decision_id", 1, kMaxId);
          in.done();
          Json payload{{"product_id", id}, {"withdraw", body}};
          // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
          app::WriteFn fn = [id, decision](store::Tx& tx, const app::Ctx& ctx) {
            return market::withdraw_seal(tx, ctx, id, decision);
          };
          Json result = co_await write(app, req.actor, "withdraw_seal", payload, std::move(fn));
          co_return Response::json(result);
        });

  // ---- producers

  r.add("GET", "/api/v1/market/producers/{org_id}", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = req.id_param("org_id");
    co_return Response::json(app.read(req.actor, [org_id](store::Tx& tx, const app::Ctx& ctx) {
      return market::get_producer(tx, ctx, org_id);
    }));
  });

  r.add("PUT", "/api/v1/market/producers/{org_id}", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = req.id_param("org_id");
    Json body = req.json_body();
    JsonReader in(body);
    market::ProducerInput p;
    p.story = in.str("story", 0, market::kMaxTextBytes);
    p.territory_mark = in.opt_str("territory_mark", 1, market::kMaxNameBytes);
    in.done();
    Json payload{{"org_id", org_id}, {"producer", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [org_id, p](store::Tx& tx, const app::Ctx& ctx) {
      return market::set_producer(tx, ctx, org_id, p);
    };
    Json result = co_await write(app, req.actor, "set_producer", payload, std::move(fn));
    co_return Response::json(result);
  });

  // ---- Data Food Consortium export

  r.add("GET", "/api/v1/market/catalog.jsonld", [&app](Request& req) -> awaitable<Response> {
    std::optional<int64_t> producer = query_i64(req, "producer", 1, kMaxId);
    Json doc = app.read(req.actor, [producer](store::Tx& tx, const app::Ctx& ctx) {
      return market::export_dfc(tx, ctx, producer);
    });
    Response res = Response::json(doc);
    res.content_type = "application/ld+json";
    co_return res;
  });
}

}  // namespace agora::http
