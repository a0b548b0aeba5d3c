// Routes for login, logout, registration, the signed-in person (/me) and role
// grants. Decoding and encoding only; the rules live in app/auth.cc and
// app/authz.cc.

#include <string>

#include "app/auth.h"
#include "app/authz.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;

constexpr int64_t kSessionMaxAgeS = app::kSessionLifetimeUs / 1000000;

// Secure is left off so the cookie also works for plain-HTTP local use; a
// deployment behind TLS gets it from the proxy (or a later setting).
std::string session_cookie(const std::string& token) {
  return std::string(app::kSessionCookie) + "=" + token +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(kSessionMaxAgeS);
}

std::string cleared_cookie() {
  return std::string(app::kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
}

// The body of login and register answers; the cookie carries the same token.
Response session_response(const Json& result, int status) {
  app::Session s = app::finish_login(result);
  Response res = Response::json(Json{{"token", s.token}, {"account", result.at("account")}}, status);
  res.headers.emplace_back("Set-Cookie", session_cookie(s.token));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_auth_routes(Router& r, app::App& app) {
  r.add("POST", "/api/v1/auth/login", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    std::string email = in.str("email", 1, app::kMaxEmailBytes);
    std::string password = in.str("password", 1, app::kMaxPasswordBytes);
    in.done();
    app::PreparedWrite p = app::prepare_login(app, email, password, req.actor.address);
    Json result = co_await write(app, p.actor, p.name, p.payload, std::move(p.fn));
    co_return session_response(result, 200);
  });

  r.add("POST", "/api/v1/auth/logout", [&app](Request& req) -> awaitable<Response> {
    if (!req.session_token.empty()) {
      app::PreparedWrite p = app::prepare_logout(req.session_token);
      co_await write(app, req.actor, p.name, p.payload, std::move(p.fn));
    }
    Response res = Response::no_content();
    res.headers.emplace_back("Set-Cookie", cleared_cookie());
    co_return res;
  });

  r.add("POST", "/api/v1/auth/register", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    app::Registration reg;
    reg.given_name = in.str("given_name", 1, 100);
    reg.family_name = in.str("family_name", 0, 100);
    reg.email = in.str("email", 1, app::kMaxEmailBytes);
    reg.password = in.str("password", app::kMinPasswordBytes, app::kMaxPasswordBytes);
    reg.locale = in.opt_enumeration("locale", {"en", "es", "pt"}).value_or("en");
    in.done();
    app::PreparedWrite p = app::prepare_register(app, reg);
    Json result = co_await write(app, req.actor, p.name, p.payload, std::move(p.fn));
    co_return session_response(result, 201);
  });

  r.add("GET", "/api/v1/me", [&app](Request& req) -> awaitable<Response> {
    app::require_signed_in(req.actor);
    co_return Response::json(app.read(req.actor, [](store::Tx& tx, const app::Ctx& ctx) {
      return app::me(tx, ctx);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/roles", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = req.id_param("id");
    Page page = page_of(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_role_grants(tx, ctx, org_id, page.after, page.limit);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/roles", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = req.id_param("id");
    app::require_signed_in(req.actor);
    Json body = req.json_body();
    JsonReader in(body);
    int64_t person_id = in.i64("person_id", 1, INT64_MAX);
    app::Role role = app::parse_role(
        in.enumeration("role", {"coordinator", "worker_member", "delegate", "auditor", "treasurer"}));
    in.done();
    Json payload{{"org_id", org_id}, {"person_id", person_id}, {"role", app::role_name(role)}};
    // A named WriteFn, not a temporary inside the co_await: g++ 12 has bugs
    // with non-trivial temporaries in co_await expressions.
    app::WriteFn fn = [=](store::Tx& tx, const app::Ctx& ctx) {
      return app::grant_role(tx, ctx, org_id, person_id, role);
    };
    Json grant = co_await write(app, req.actor, "grant_role", payload, std::move(fn));
    co_return Response::json(grant, 201);
  });

  r.add("DELETE", "/api/v1/orgs/{id}/roles/{grant_id}", [&app](Request& req) -> awaitable<Response> {
    int64_t org_id = req.id_param("id");
    int64_t grant_id = req.id_param("grant_id");
    app::require_signed_in(req.actor);
    Json payload{{"org_id", org_id}, {"grant_id", grant_id}};
    app::WriteFn fn = [=](store::Tx& tx, const app::Ctx& ctx) {
      app::revoke_role(tx, ctx, org_id, grant_id);
      return Json();
    };
    co_await write(app, req.actor, "revoke_role", payload, std::move(fn));
    co_return Response::no_content();
  });
}

}  // namespace agora::http
