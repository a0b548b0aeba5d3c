// Routes of the solidarity market's order cycles: cycles with their offers,
// distribution points and state changes; the shopfront; members' orders and
// checkout; purchase orders, receiving, allocation and settlement; and the
// reports (pick lists, packing lists, producer statements) as CSV or
// printable HTML. Decoding and encoding only; the rules live in
// app/market_*.cc and market/.

#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/market.h"
#include "app/registry.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace market = app::market;

constexpr int64_t kMaxId = INT64_MAX;
constexpr int64_t kMaxBps = 10'000;           // fee rates: basis points of a price
constexpr int64_t kMaxUnits = 1'000'000'000;  // an offer's cap, units confirmed or received
constexpr size_t kMaxCoops = 100;             // co-ops served by one cycle
constexpr size_t kMaxAddressBytes = 500;
constexpr size_t kMaxNoteBytes = 2000;
constexpr size_t kMaxQueryBytes = 100;   // ?q= and ?category=
constexpr int64_t kMaxOffset = 100'000;  // shopfront paging
constexpr size_t kMaxTimeBytes = 40;     // an ISO 8601 time

// An optional string query parameter of 1..max_len bytes.
std::optional<std::string> opt_query_str(const Request& req, std::string_view name,
                                         size_t max_len) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  std::string field(name);
  if (v->empty() || v->size() > max_len) {
    throw Error(Code::out_of_range, field + " must be 1.." + std::to_string(max_len) + " bytes",
                field);
  }
  return v;
}

// ?sealed=true|false.
std::optional<bool> opt_query_bool(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  std::string field(name);
  throw Error(Code::invalid_value, field + " must be true or false", field);
}

// ?state= of cycle lists.
std::optional<std::string> cycle_state_of(const Request& req) {
  auto state = req.query_param("state");
  if (!state) return std::nullopt;
  if (*state != "draft" && *state != "scheduled" && *state != "open" && *state != "closed" &&
      *state != "settled" && *state != "cancelled") {
    throw Error(Code::invalid_value,
                "state must be draft, scheduled, open, closed, settled or cancelled", "state");
  }
  return state;
}

// ?format=csv|html (csv when absent).
market::ReportFormat format_of(const Request& req) {
  auto f = req.query_param("format");
  if (!f || *f == "csv") return market::ReportFormat::csv;
  if (*f == "html") return market::ReportFormat::html;
  throw Error(Code::invalid_value, "format must be csv or html", "format");
}

// A report as a download (CSV, RFC 4180) or a printable page (HTML).
Response report_response(std::string body, market::ReportFormat f, const std::string& base_name) {
  if (f == market::ReportFormat::html) {
    return Response::text(std::move(body), "text/html; charset=utf-8");
  }
  Response r = Response::text(std::move(body), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + base_name + ".csv\"");
  return r;
}

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

std::optional<Timestamp> opt_time_of(JsonReader& in, std::string_view key) {
  if (!in.has(key)) return std::nullopt;
  return time_of(in, key);
}

// {transport_bps, transport_per_unit, packing_bps, packing_per_unit,
//  margin_bps, fund_bps, tax_bps}, each optional (0).
::agora::market::FeeRates fees_of(const Json& j, const std::string& pointer) {
  JsonReader in(j, pointer);
  ::agora::market::FeeRates f;
  f.transport_bps = in.opt_i64("transport_bps", 0, kMaxBps).value_or(0);
  f.transport_per_unit = in.opt_i64("transport_per_unit", 0, market::kMaxPrice).value_or(0);
  f.packing_bps = in.opt_i64("packing_bps", 0, kMaxBps).value_or(0);
  f.packing_per_unit = in.opt_i64("packing_per_unit", 0, market::kMaxPrice).value_or(0);
  f.margin_bps = in.opt_i64("margin_bps", 0, kMaxBps).value_or(0);
  f.fund_bps = in.opt_i64("fund_bps", 0, kMaxBps).value_or(0);
  f.tax_bps = in.opt_i64("tax_bps", 0, kMaxBps).value_or(0);
  in.done();
  return f;
}

// An array of positive ids (co-ops served by a cycle), at most kMaxCoops.
std::vector<int64_t> ids_of(JsonReader& in, std::string_view key) {
  const Json& arr = in.array(key, kMaxCoops);
  std::vector<int64_t> out;
  out.reserve(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string field = in.pointer(key) + "/" + std::to_string(i);
    if (!arr[i].is_number_integer()) throw Error(Code::wrong_type, "expected an id", field);
    int64_t id = arr[i].get<int64_t>();
    if (id < 1) throw Error(Code::out_of_range, "an id is a positive integer", field);
    out.push_back(id);
  }
  return out;
}

// [{offer_id, units}] of confirmations and receipts (units 0..10^9).
template <typename Line>
std::vector<Line> unit_lines_of(const Json& arr, const std::string& pointer) {
  std::vector<Line> out;
  out.reserve(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonReader in(arr[i], pointer + "/" + std::to_string(i));
    Line l;
    l.offer_id = in.i64("offer_id", 1, kMaxId);
    l.units = in.i64("units", 0, kMaxUnits);
    in.done();
    out.push_back(l);
  }
  return out;
}

// The shopfront's filters and paging, as the catalog's browse takes them.
market::CatalogQuery shop_query_of(const Request& req) {
  market::CatalogQuery q;
  q.q = opt_query_str(req, "q", kMaxQueryBytes);
  q.category = opt_query_str(req, "category", kMaxQueryBytes);
  q.producer_org_id = opt_query_i64(req, "producer", 1, kMaxId);
  q.sealed = opt_query_bool(req, "sealed");
  q.min_price = opt_query_i64(req, "min_price", 0, market::kMaxPrice);
  q.max_price = opt_query_i64(req, "max_price", 0, market::kMaxPrice);
  if (auto sort = req.query_param("sort")) {
    if (*sort != "name" && *sort != "price" && *sort != "distance") {
      throw Error(Code::invalid_value, "sort must be name, price or distance", "sort");
    }
    q.sort = *sort;
  }
  q.offset = query_i64(req, "offset", 0, 0, kMaxOffset);
  q.limit = query_i64(req, "limit", 50, 1, kMaxPageSize);
  return q;
}

// A command on the {id} of its path that takes no body: state changes,
// checkout, cancelling, settling and deletions.
using IdCommand = Json (*)(store::Tx&, const app::Ctx&, int64_t);
void add_id_command(Router& r, app::App& app, const char* method, const char* path,
                    const char* command, const char* id_name, IdCommand run, int status) {
  r.add(method, path, [&app, command, id_name, run, status](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{id_name, id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, run](store::Tx& tx, const app::Ctx& ctx) { return run(tx, ctx, id); };
    Json result = co_await write(app, req.actor, command, payload, std::move(fn));
    co_return Response::json(result, status);
  });
}

}  // namespace

void add_market_cycle_routes(Router& r, app::App& app) {
  // ---- cycles

  r.add("GET", "/api/v1/market/cycles", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = query_i64(req, "org_id", 0, 1, kMaxId);
    auto state = cycle_state_of(req);
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::list_cycles(tx, ctx, org_id, state, page);
    }));
  });

  r.add("POST", "/api/v1/market/cycles", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    market::CycleInput c;
    c.coordinator_org_id = in.i64("coordinator_org_id", 1, kMaxId);
    c.name = in.str("name", 1, market::kMaxNameBytes);
    c.currency = in.opt_str("currency", 3, 8);
    c.opens_at = time_of(in, "opens_at");
    c.closes_at = time_of(in, "closes_at");
    c.share_rule =
        in.opt_enumeration("share_rule", {"proportional", "first_come"}).value_or("proportional");
    if (const Json* fees = in.opt_object("fees")) c.fees = fees_of(*fees, in.pointer("fees"));
    c.transport_org_id = in.opt_i64("transport_org_id", 1, kMaxId);
    c.packing_org_id = in.opt_i64("packing_org_id", 1, kMaxId);
    if (in.has("coop_ids")) c.coop_ids = ids_of(in, "coop_ids");
    c.hub_cycle_id = in.opt_i64("hub_cycle_id", 1, kMaxId);
    in.done();
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [c](store::Tx& tx, const app::Ctx& ctx) {
      return market::create_cycle(tx, ctx, c);
    };
    Json result = co_await write(app, req.actor, "market_create_cycle", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/market/cycles/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::get_cycle(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/market/cycles/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    market::CyclePatch p;
    p.name = in.opt_str("name", 1, market::kMaxNameBytes);
    p.share_rule = in.opt_enumeration("share_rule", {"proportional", "first_come"});
    p.opens_at = opt_time_of(in, "opens_at");
    p.closes_at = opt_time_of(in, "closes_at");
    if (const Json* fees = in.opt_object("fees")) p.fees = fees_of(*fees, in.pointer("fees"));
    if (in.has("coop_ids")) p.coop_ids = ids_of(in, "coop_ids");
    in.done();
    Json payload{{"cycle_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, p](store::Tx& tx, const app::Ctx& ctx) {
      return market::update_cycle(tx, ctx, id, p);
    };
    Json result = co_await write(app, req.actor, "market_update_cycle", payload, std::move(fn));
    co_return Response::json(result);
  });

  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/publish", "market_publish_cycle",
                 "cycle_id", &market::publish_cycle, 201);
  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/open", "market_open_cycle", "cycle_id",
                 &market::open_cycle, 201);
  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/close", "market_close_cycle",
                 "cycle_id", &market::close_cycle, 201);
  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/cancel", "market_cancel_cycle",
                 "cycle_id", &market::cancel_cycle, 201);

  // ---- offers, the shopfront, distribution points

  r.add("POST", "/api/v1/market/cycles/{id}/offers", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    const Json& items = in.array("items", static_cast<size_t>(market::kMaxOffers));
    in.done();
    if (items.empty()) {
      throw Error(Code::out_of_range,
                  "items holds 1.." + std::to_string(market::kMaxOffers) + " offers", "/items");
    }
    std::vector<market::OfferInput> offers;
    offers.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      JsonReader item(items[i], "/items/" + std::to_string(i));
      market::OfferInput o;
      o.variant_id = item.i64("variant_id", 1, kMaxId);
      o.producer_price = item.opt_i64("producer_price", 1, market::kMaxPrice);
      o.max_units = item.opt_i64("max_units", 1, kMaxUnits);
      if (const Json* tiers = item.opt_array("tiers", market::kMaxTiers)) {
        for (size_t k = 0; k < tiers->size(); ++k) {
          JsonReader tier((*tiers)[k], item.pointer("tiers") + "/" + std::to_string(k));
          market::TierInput t;
          t.min_units = tier.i64("min_units", 2, kMaxUnits);
          t.producer_price = tier.i64("producer_price", 1, market::kMaxPrice);
          tier.done();
          o.tiers.push_back(t);
        }
      }
      item.done();
      offers.push_back(o);
    }
    Json payload{{"cycle_id", id}, {"offers", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, offers = std::move(offers)](store::Tx& tx, const app::Ctx& ctx) {
      return market::set_offers(tx, ctx, id, offers);
    };
    Json result = co_await write(app, req.actor, "market_set_offers", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  add_id_command(r, app, "DELETE", "/api/v1/market/offers/{id}", "market_remove_offer", "offer_id",
                 &market::remove_offer, 200);

  r.add("GET", "/api/v1/market/cycles/{id}/shop", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    market::CatalogQuery q = shop_query_of(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::shop(tx, ctx, id, q);
    }));
  });

  r.add("GET", "/api/v1/market/cycles/{id}/demand", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::group_demand(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/market/cycles/{id}/points", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    market::PointInput p;
    p.name = in.str("name", 1, market::kMaxNameBytes);
    p.kind = in.opt_enumeration("kind", {"pickup", "delivery"}).value_or("pickup");
    p.address = in.opt_str("address", 0, kMaxAddressBytes).value_or("");
    p.fee = in.opt_i64("fee", 0, market::kMaxPrice).value_or(0);
    in.done();
    Json payload{{"cycle_id", id}, {"point", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, p](store::Tx& tx, const app::Ctx& ctx) {
      return market::add_point(tx, ctx, id, p);
    };
    Json result = co_await write(app, req.actor, "market_add_point", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  add_id_command(r, app, "DELETE", "/api/v1/market/points/{id}", "market_remove_point", "point_id",
                 &market::remove_point, 200);

  // ---- members' orders

  r.add("GET", "/api/v1/market/cycles/{id}/order", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::my_order(tx, ctx, id);
    }));
  });

  r.add("PUT", "/api/v1/market/cycles/{id}/order", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    market::OrderInput o;
    const Json& lines = in.array("lines", static_cast<size_t>(market::kMaxLines));
    o.point_id = in.opt_i64("point_id", 1, kMaxId);
    o.replace = in.opt_boolean("replace").value_or(false);
    in.done();
    o.lines.reserve(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      JsonReader line(lines[i], "/lines/" + std::to_string(i));
      market::LineInput l;
      l.offer_id = line.i64("offer_id", 1, kMaxId);
      l.quantity = line.i64("quantity", 0, market::kMaxQuantity);
      l.tolerance = line.opt_i64("tolerance", 0, market::kMaxQuantity).value_or(0);
      if (l.quantity + l.tolerance > market::kMaxQuantity) {
        throw Error(Code::out_of_range,
                    "quantity plus tolerance must be at most " +
                        std::to_string(market::kMaxQuantity) + " units",
                    line.pointer("tolerance"));
      }
      line.done();
      o.lines.push_back(l);
    }
    Json payload{{"cycle_id", id}, {"order", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, o = std::move(o)](store::Tx& tx, const app::Ctx& ctx) {
      return market::set_order(tx, ctx, id, o);
    };
    Json result = co_await write(app, req.actor, "market_set_order", payload, std::move(fn));
    co_return Response::json(result);
  });

  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/checkout", "market_checkout",
                 "cycle_id", &market::checkout, 201);

  r.add("GET", "/api/v1/market/orders/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return market::get_order(tx, ctx, id);
    }));
  });

  add_id_command(r, app, "POST", "/api/v1/market/orders/{id}/cancel", "market_cancel_order",
                 "order_id", &market::cancel_order, 201);

  r.add("GET", "/api/v1/market/my/orders", [&app](Request& req) -> awaitable<Response> {
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::my_orders(tx, ctx, page);
    }));
  });

  r.add("GET", "/api/v1/market/cycles/{id}/orders", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::list_orders(tx, ctx, id, page);
    }));
  });

  // ---- after close: producers, receiving, allocation, settlement

  r.add("GET", "/api/v1/market/cycles/{id}/purchase-orders",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
            return market::list_purchase_orders(tx, ctx, id);
          }));
        });

  r.add(
      "POST", "/api/v1/market/purchase-orders/{id}/confirm",
      [&app](Request& req) -> awaitable<Response> {
        int64_t id = req.id_param("id");
        std::vector<market::ConfirmLine> lines;
        std::string note;
        Json payload{{"purchase_order_id", id}};
        if (!req.body.empty()) {
          Json body = req.json_body();
          JsonReader in(body);
          if (const Json* arr = in.opt_array("lines", static_cast<size_t>(market::kMaxOffers))) {
            lines = unit_lines_of<market::ConfirmLine>(*arr, "/lines");
          }
          note = in.opt_str("note", 0, kMaxNoteBytes).value_or("");
          in.done();
          payload["confirmation"] = body;
        }
        // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
        app::WriteFn fn = [id, lines = std::move(lines), note](store::Tx& tx, const app::Ctx& ctx) {
          return market::confirm_purchase_order(tx, ctx, id, lines, note);
        };
        Json result =
            co_await write(app, req.actor, "market_confirm_purchase_order", payload, std::move(fn));
        co_return Response::json(result, 201);
      });

  r.add("POST", "/api/v1/market/cycles/{id}/received", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::vector<market::ReceiveLine> lines;
    if (const Json* arr = in.opt_array("lines", static_cast<size_t>(market::kMaxOffers))) {
      lines = unit_lines_of<market::ReceiveLine>(*arr, "/lines");
    }
    bool all_as_confirmed = in.opt_boolean("all_as_confirmed").value_or(false);
    in.done();
    Json payload{{"cycle_id", id}, {"received", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, lines = std::move(lines), all_as_confirmed](store::Tx& tx,
                                                                       const app::Ctx& ctx) {
      return market::record_received(tx, ctx, id, lines, all_as_confirmed);
    };
    Json result = co_await write(app, req.actor, "market_record_received", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/market/cycles/{id}/allocation",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
            return market::preview_allocation(tx, ctx, id);
          }));
        });

  add_id_command(r, app, "POST", "/api/v1/market/cycles/{id}/settle", "market_settle_cycle",
                 "cycle_id", &market::settle_cycle, 201);

  // ---- reports

  r.add("GET", "/api/v1/market/cycles/{id}/reports/picklist",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          auto point_id = opt_query_i64(req, "point_id", 1, kMaxId);
          auto f = format_of(req);
          std::string out;
          app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
            out = market::pick_list(tx, ctx, id, point_id, f);
            return Json();
          });
          std::string name = "cycle-" + std::to_string(id) + "-picklist";
          if (point_id) name += "-point-" + std::to_string(*point_id);
          co_return report_response(std::move(out), f, name);
        });

  r.add("GET", "/api/v1/market/orders/{id}/picklist", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto f = format_of(req);
    std::string out;
    app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      out = market::member_pick_list(tx, ctx, id, f);
      return Json();
    });
    co_return report_response(std::move(out), f, "order-" + std::to_string(id) + "-picklist");
  });

  r.add("GET", "/api/v1/market/cycles/{id}/reports/packing",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          if (!req.query_param("producer")) {
            throw Error(Code::missing_field, "producer is required", "producer");
          }
          int64_t producer = query_i64(req, "producer", 0, 1, kMaxId);
          auto f = format_of(req);
          std::string out;
          app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
            out = market::packing_list(tx, ctx, id, producer, f);
            return Json();
          });
          co_return report_response(
              std::move(out), f,
              "cycle-" + std::to_string(id) + "-packing-" + std::to_string(producer));
        });

  r.add("GET", "/api/v1/market/cycles/{id}/reports/statement",
        [&app](Request& req) -> awaitable<Response> {
          int64_t id = req.id_param("id");
          if (!req.query_param("producer")) {
            throw Error(Code::missing_field, "producer is required", "producer");
          }
          int64_t producer = query_i64(req, "producer", 0, 1, kMaxId);
          auto f = format_of(req);
          std::string out;
          app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
            out = market::producer_statement(tx, ctx, id, producer, f);
            return Json();
          });
          co_return report_response(
              std::move(out), f,
              "cycle-" + std::to_string(id) + "-statement-" + std::to_string(producer));
        });
}

}  // namespace agora::http
