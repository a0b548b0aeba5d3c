// Routes of the federation registry: federations and co-ops, member classes,
// applications and the membership lifecycle, member lists, share capital.
// Decoding and encoding only; the rules live in app/registry*.cc and members/.

#include <charconv>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/registry.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;

constexpr int64_t kMaxId = INT64_MAX;
constexpr int64_t kMaxSharesPerRequest = 1'000'000;
constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000;  // 10^18, well inside int64


int query_int(const Request& req, std::string_view name, int def, int min, int max) {
  auto v = req.query_param(name);
  if (!v) return def;
  int out = 0;
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

// An optional {"reason": "..."} body; an empty body means no reason.
std::optional<std::string> reason_of(const Request& req) {
  if (req.body.empty()) return std::nullopt;
  Json body = req.json_body();
  JsonReader in(body);
  auto reason = in.opt_str("reason", 0, 2000);
  in.done();
  return reason;
}


// The JSON of GET /api/v1/orgs/{id}, the most read page, kept per org with
// the store's write generation read before the read that built it: any write
// of this process moves the generation, so an entry is served only while no
// write has ended since it was built. Only on SQLite: there this process is
// the writer, while PostgreSQL may have other agora instances writing, whose
// writes would not move our generation. The page is the same for every
// caller (get_org uses no actor), so entries are not per session.
// Thread-safe (one mutex; held only to copy a body in or out).
class OrgPageCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  std::optional<std::string> get(int64_t id, uint64_t generation) {
    std::lock_guard lock(mu_);
    auto it = map_.find(id);
    if (it == map_.end() || it->second.generation != generation) return std::nullopt;
    return it->second.body;
  }
  void put(int64_t id, uint64_t generation, const std::string& body) {
    std::lock_guard lock(mu_);
    if (map_.size() >= kMaxEntries && !map_.contains(id)) map_.clear();
    auto& e = map_[id];
    if (e.generation > generation) return;  // a newer entry was stored meanwhile
    e.generation = generation;
    e.body = body;
  }

 private:
  struct Entry {
    uint64_t generation = 0;
    std::string body;
  };
  std::mutex mu_;
  std::unordered_map<int64_t, Entry> map_;
};

}  // namespace

void add_registry_routes(Router& r, app::App& app) {
  std::shared_ptr<OrgPageCache> org_pages;
  if (app.db().dialect() == store::Dialect::sqlite) org_pages = std::make_shared<OrgPageCache>();
  // ---- organisations

  r.add("GET", "/api/v1/federations", [&app](Request& req) -> awaitable<Response> {
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_federations(tx, ctx, page);
    }));
  });

  r.add("POST", "/api/v1/orgs", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    app::OrgInput org;
    org.parent_id = in.opt_i64("parent_id", 1, kMaxId);
    org.kind = in.enumeration("kind", {"federation", "consumer", "worker", "producer",
                                       "multi_stakeholder", "secondary", "informal"});
    org.name = in.str("name", 1, 200);
    org.slug = in.str("slug", 2, 64);
    org.territory = in.opt_str("territory", 0, 200).value_or("");
    org.admission = in.opt_enumeration("admission", {"coordinator", "automatic"}).value_or("coordinator");
    org.currency = in.opt_str("currency", 3, 8).value_or("EUR");
    in.done();
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [org](store::Tx& tx, const app::Ctx& ctx) {
      return app::create_org(tx, ctx, org);
    };
    Json result = co_await write(app, req.actor, "create_org", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}", [&app, org_pages](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    // Read before the read transaction starts: see OrgPageCache.
    uint64_t generation = store::write_generation();
    if (org_pages) {
      if (auto body = org_pages->get(id, generation)) {
        Response hit;
        hit.body = std::move(*body);
        co_return hit;
      }
    }
    Response res = Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_org(tx, ctx, id);
    }));
    if (org_pages) org_pages->put(id, generation, res.body);
    co_return res;
  });

  r.add("PATCH", "/api/v1/orgs/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    app::OrgPatch patch;
    patch.name = in.opt_str("name", 1, 200);
    patch.territory = in.opt_str("territory", 0, 200);
    patch.admission = in.opt_enumeration("admission", {"coordinator", "automatic"});
    patch.parent_id = in.opt_i64("parent_id", 1, kMaxId);
    in.done();
    Json payload{{"org_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, patch](store::Tx& tx, const app::Ctx& ctx) {
      return app::update_org(tx, ctx, id, patch);
    };
    Json result = co_await write(app, req.actor, "update_org", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/orgs/{id}/children", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_children(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/tree", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    int depth = query_int(req, "depth", 2, 1, 6);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::org_tree(tx, ctx, id, depth);
    }));
  });

  // ---- member classes

  r.add("GET", "/api/v1/orgs/{id}/classes", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_classes(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/classes", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    app::ClassInput c;
    c.code = in.str("code", 1, 32);
    c.name = in.str("name", 1, 100);
    c.share_price_minor = in.i64("share_price_minor", 1, 1'000'000'000'000);
    c.min_shares = in.opt_i64("min_shares", 1, kMaxSharesPerRequest).value_or(1);
    in.done();
    Json payload{{"org_id", id}, {"class", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, c](store::Tx& tx, const app::Ctx& ctx) {
      return app::create_class(tx, ctx, id, c);
    };
    Json result = co_await write(app, req.actor, "create_class", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  // ---- members and applications

  r.add("GET", "/api/v1/orgs/{id}/members", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    std::string status;
    if (auto s = req.query_param("status")) {
      if (*s != "active" && *s != "applied" && *s != "left" && *s != "expelled" && *s != "rejected") {
        throw Error(Code::invalid_value, "status must be active, applied, left, expelled or rejected",
                    "status");
      }
      status = *s;
    }
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_members(tx, ctx, id, status, page);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/applications", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_applications(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/applications", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    app::ApplicationInput a;
    a.class_code = in.str("class", 1, 32);
    a.shares = in.i64("shares", 1, kMaxSharesPerRequest);
    a.member_org_id = in.opt_i64("member_org_id", 1, kMaxId);
    a.message = in.opt_str("message", 0, 2000);
    in.done();
    Json payload{{"org_id", id}, {"application", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary inside a
    // co_await expression twice (double free of the captured strings).
    app::WriteFn fn = [id, a](store::Tx& tx, const app::Ctx& ctx) {
      return app::apply_for_membership(tx, ctx, id, a);
    };
    Json result = co_await write(app, req.actor, "apply_for_membership", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/memberships/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_membership(tx, ctx, id);
    }));
  });

  r.add("GET", "/api/v1/memberships/{id}/events", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::membership_events(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/memberships/{id}/admit", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"membership_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::admit_member(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "admit_member", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/memberships/{id}/reject", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto reason = reason_of(req);
    Json payload{{"membership_id", id}, {"reason", reason ? Json(*reason) : Json(nullptr)}};
    // Named, not a temporary: see apply_for_membership above.
    app::WriteFn fn = [id, reason](store::Tx& tx, const app::Ctx& ctx) {
      return app::reject_application(tx, ctx, id, reason);
    };
    Json result = co_await write(app, req.actor, "reject_application", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/memberships/{id}/leave", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"membership_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::leave_membership(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "leave_membership", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/memberships/{id}/expel", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto reason = reason_of(req);
    Json payload{{"membership_id", id}, {"reason", reason ? Json(*reason) : Json(nullptr)}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, reason](store::Tx& tx, const app::Ctx& ctx) {
      return app::expel_member(tx, ctx, id, reason);
    };
    Json result = co_await write(app, req.actor, "expel_member", payload, std::move(fn));
    co_return Response::json(result);
  });

  // ---- share capital

  r.add("GET", "/api/v1/memberships/{id}/shares", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::membership_shares(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/memberships/{id}/subscriptions", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t shares = in.i64("shares", 1, kMaxSharesPerRequest);
    in.done();
    Json payload{{"membership_id", id}, {"shares", shares}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, shares](store::Tx& tx, const app::Ctx& ctx) {
      return app::subscribe_shares(tx, ctx, id, shares);
    };
    Json result = co_await write(app, req.actor, "subscribe_shares", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/subscriptions/{id}/payments", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t amount = in.i64("amount_minor", 1, kMaxAmountMinor);
    in.done();
    Json payload{{"subscription_id", id}, {"amount_minor", amount}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, amount](store::Tx& tx, const app::Ctx& ctx) {
      return app::pay_subscription(tx, ctx, id, amount);
    };
    Json result = co_await write(app, req.actor, "pay_subscription", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/subscriptions/{id}/cancel", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"subscription_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::cancel_subscription(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "cancel_subscription", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/memberships/{id}/share-transfers", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t to = in.i64("to_membership_id", 1, kMaxId);
    int64_t shares = in.i64("shares", 1, kMaxSharesPerRequest);
    in.done();
    Json payload{{"membership_id", id}, {"to_membership_id", to}, {"shares", shares}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, to, shares](store::Tx& tx, const app::Ctx& ctx) {
      return app::transfer_shares(tx, ctx, id, to, shares);
    };
    Json result = co_await write(app, req.actor, "transfer_shares", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/memberships/{id}/sell-back", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int64_t shares = in.i64("shares", 1, kMaxSharesPerRequest);
    in.done();
    Json payload{{"membership_id", id}, {"shares", shares}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, shares](store::Tx& tx, const app::Ctx& ctx) {
      return app::sell_back_shares(tx, ctx, id, shares);
    };
    Json result = co_await write(app, req.actor, "sell_back_shares", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/orgs/{id}/share-register", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::org_share_register(tx, ctx, id, page);
    }));
  });
}

}  // namespace agora::http
