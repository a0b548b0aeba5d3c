// Routes of governance: constitutions, who decides, seats, proposals and
// their lifecycle, comments, candidacies, ballots, receipts, results, the
// roll, BLT export and proxies. Decoding and encoding only; the rules live
// in app/governance*.cc and governance/.

#include <string>
#include <utility>
#include <vector>

#include "app/governance.h"
#include "core/error.h"
#include "governance/constitution.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;

constexpr int64_t kMaxId = INT64_MAX;
constexpr size_t kMaxKeyBytes = 64;      // body keys, class codes
constexpr size_t kMaxDomainBytes = 100;  // "fund.allocation"
constexpr size_t kMaxOptions = 100;      // options of a motion (governance.h)
constexpr size_t kMaxReceiptBytes = 64;  // "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" and some slack
constexpr size_t kMaxBallotJsonBytes = 64 * 1024;
static_assert(governance::kMaxConstitutionBytes < kMaxBodyBytes,
              "a constitution must fit in one request body");



std::string lower_media(const Request& req) {
  auto ct = req.header("content-type");
  std::string media = ct ? ct->substr(0, ct->find(';')) : std::string{};
  while (!media.empty() && media.back() == ' ') media.pop_back();
  while (!media.empty() && media.front() == ' ') media.erase(0, 1);
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media;
}

// The constitution's TOML: {"toml": "..."} as JSON, or the raw text as
// application/toml or text/plain.
std::string constitution_text(const Request& req) {
  std::string media = lower_media(req);
  if (media == "application/toml" || media == "text/plain") {
    if (req.body.empty()) {
      throw Error(Code::missing_field, "the constitution text is empty", "toml");
    }
    if (req.body.size() > governance::kMaxConstitutionBytes) {
      throw Error(Code::out_of_range, "the constitution is longer than 256 KiB", "toml");
    }
    return req.body;
  }
  Json body = req.json_body();
  JsonReader in(body);
  std::string toml = in.str("toml", 1, governance::kMaxConstitutionBytes);
  in.done();
  return toml;
}

std::string body_key_of(const Request& req) {
  const std::string& key = req.params.at("key");
  if (key.empty() || key.size() > kMaxKeyBytes) {
    throw Error(Code::out_of_range, "a body key is 1..64 bytes", "key");
  }
  return key;
}

std::vector<std::string> string_list(const Json& arr, const std::string& pointer, size_t min_len,
                                     size_t max_len) {
  std::vector<std::string> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string where = pointer + "/" + std::to_string(i);
    if (!arr[i].is_string()) throw Error(Code::wrong_type, "must be a string", where);
    const auto& s = arr[i].get_ref<const std::string&>();
    if (s.size() < min_len || s.size() > max_len) {
      throw Error(Code::out_of_range,
                  "must be " + std::to_string(min_len) + ".." + std::to_string(max_len) + " bytes",
                  where);
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

void add_governance_routes(Router& r, app::App& app) {
  // ---- constitutions

  r.add("GET", "/api/v1/orgs/{id}/constitution", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_constitution(tx, ctx, id);
    }));
  });

  r.add("PUT", "/api/v1/orgs/{id}/constitution", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string toml = constitution_text(req);
    // The journal keeps only the payload's hash: it attests the exact text.
    Json payload{{"org_id", id}, {"toml", toml}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, toml](store::Tx& tx, const app::Ctx& ctx) {
      return app::found_constitution(tx, ctx, id, toml);
    };
    Json result = co_await write(app, req.actor, "found_constitution", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}/constitution.toml", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json c = app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_constitution(tx, ctx, id);
    });
    co_return Response::text(c.at("toml").get<std::string>(), "application/toml; charset=utf-8");
  });

  r.add("GET", "/api/v1/orgs/{id}/constitution/versions", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::constitution_versions(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/who-decides", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto domain = req.query_param("domain");
    if (!domain || domain->empty()) {
      throw Error(Code::missing_field, "domain is required", "domain");
    }
    if (domain->size() > kMaxDomainBytes) {
      throw Error(Code::out_of_range, "domain is at most 100 bytes", "domain");
    }
    std::string d = *domain;
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::who_decides(tx, ctx, id, d);
    }));
  });

  // ---- seats

  r.add("GET", "/api/v1/orgs/{id}/bodies/{key}/seats", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string key = body_key_of(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_body_seats(tx, ctx, id, key);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/bodies/{key}/seats", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string key = body_key_of(req);
    Json body = req.json_body();
    JsonReader in(body);
    int64_t person = in.i64("person_id", 1, kMaxId);
    std::string chamber = in.opt_str("chamber", 0, kMaxKeyBytes).value_or("");
    in.done();
    Json payload{{"org_id", id}, {"body_key", key}, {"person_id", person}, {"chamber", chamber}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, key, person, chamber](store::Tx& tx, const app::Ctx& ctx) {
      return app::appoint_seat(tx, ctx, id, key, person, chamber);
    };
    Json result = co_await write(app, req.actor, "appoint_seat", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("DELETE", "/api/v1/seats/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"seat_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::end_seat(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "end_seat", payload, std::move(fn));
    co_return Response::json(result);
  });

  // ---- proposals

  r.add("GET", "/api/v1/orgs/{id}/proposals", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    std::string body_key = req.query_param("body").value_or("");
    if (body_key.size() > kMaxKeyBytes) {
      throw Error(Code::out_of_range, "body is at most 64 bytes", "body");
    }
    std::string filter = req.query_param("filter").value_or("");
    if (filter != "" && filter != "current" && filter != "past") {
      throw Error(Code::invalid_value, "filter must be current or past", "filter");
    }
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_proposals(tx, ctx, id, body_key, filter, page);
    }));
  });

  r.add("POST", "/api/v1/proposals", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    app::ProposalInput p;
    p.org_id = in.i64("org_id", 1, kMaxId);
    p.domain = in.str("domain", 1, kMaxDomainBytes);
    p.title = in.str("title", 1, 200);
    p.text = in.opt_str("text", 0, 20000).value_or("");
    p.kind = in.opt_enumeration("kind", {"motion", "election"}).value_or("motion");
    if (const Json* opts = in.opt_array("options", kMaxOptions)) {
      p.options = string_list(*opts, in.pointer("options"), 1, 200);
    }
    p.subject = in.opt_str("subject", 0, 200);
    p.counterparty_org_id = in.opt_i64("counterparty_org_id", 1, kMaxId);
    p.amends_id = in.opt_i64("amends_id", 1, kMaxId);
    p.elects_body = in.opt_str("elects_body", 1, kMaxKeyBytes);
    p.chamber = in.opt_str("chamber", 0, kMaxKeyBytes);
    p.constitution_toml = in.opt_str("constitution_toml", 1, governance::kMaxConstitutionBytes);
    in.done();
    Json payload = body;
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [p](store::Tx& tx, const app::Ctx& ctx) {
      return app::create_proposal(tx, ctx, p);
    };
    Json result = co_await write(app, req.actor, "create_proposal", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/proposals/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_proposal(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/proposals/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    app::ProposalPatch patch;
    patch.title = in.opt_str("title", 1, 200);
    patch.text = in.opt_str("text", 0, 20000);
    if (const Json* opts = in.opt_array("options", kMaxOptions)) {
      patch.options = string_list(*opts, in.pointer("options"), 1, 200);
    }
    in.done();
    Json payload{{"proposal_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, patch](store::Tx& tx, const app::Ctx& ctx) {
      return app::update_proposal(tx, ctx, id, patch);
    };
    Json result = co_await write(app, req.actor, "update_proposal", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/proposals/{id}/open", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::optional<Timestamp> opens_at;
    if (!req.body.empty()) {
      Json body = req.json_body();
      JsonReader in(body);
      if (auto at = in.opt_str("voting_opens_at", 1, 40)) {
        try {
          opens_at = parse_iso8601(*at);
        } catch (const Error&) {
          throw Error(Code::invalid_value, "voting_opens_at must be an ISO 8601 UTC time",
                      in.pointer("voting_opens_at"));
        }
      }
      in.done();
    }
    Json payload{{"proposal_id", id}};
    if (opens_at) payload["voting_opens_at"] = format_iso8601(*opens_at);
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, opens_at](store::Tx& tx, const app::Ctx& ctx) {
      return app::open_proposal(tx, ctx, id, opens_at);
    };
    Json result = co_await write(app, req.actor, "open_proposal", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/proposals/{id}/withdraw", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"proposal_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::withdraw_proposal(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "withdraw_proposal", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/proposals/{id}/close", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"proposal_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::close_proposal(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "close_proposal", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/proposals/{id}/statement", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string statement = in.str("statement", 1, 5000);
    in.done();
    Json payload{{"proposal_id", id}, {"statement", statement}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, statement](store::Tx& tx, const app::Ctx& ctx) {
      return app::record_outcome_statement(tx, ctx, id, statement);
    };
    Json result =
        co_await write(app, req.actor, "record_outcome_statement", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/decisions/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_decision(tx, ctx, id);
    }));
  });

  // ---- discussion

  r.add("GET", "/api/v1/proposals/{id}/comments", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_comments(tx, ctx, id, page);
    }));
  });

  r.add("POST", "/api/v1/proposals/{id}/comments", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string text = in.str("text", 1, 5000);
    in.done();
    Json payload{{"proposal_id", id}, {"text", text}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, text](store::Tx& tx, const app::Ctx& ctx) {
      return app::add_comment(tx, ctx, id, text);
    };
    Json result = co_await write(app, req.actor, "add_comment", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  // ---- elections

  r.add("POST", "/api/v1/proposals/{id}/candidates", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::optional<int64_t> person = in.opt_i64("person_id", 1, kMaxId);
    std::string statement = in.opt_str("statement", 0, 5000).value_or("");
    in.done();
    Json payload{{"proposal_id", id}, {"person_id", person ? Json(*person) : Json(nullptr)},
                 {"statement", statement}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, person, statement](store::Tx& tx, const app::Ctx& ctx) {
      return app::stand_candidate(tx, ctx, id, person, statement);
    };
    Json result = co_await write(app, req.actor, "stand_candidate", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("DELETE", "/api/v1/candidacies/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"candidacy_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::withdraw_candidacy(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "withdraw_candidacy", payload, std::move(fn));
    co_return Response::json(result);
  });

  // ---- voting

  r.add("POST", "/api/v1/proposals/{id}/ballots", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    app::CastInput cast;
    cast.ballot = in.object("ballot");
    if (!cast.ballot.is_object()) {
      throw Error(Code::wrong_type, "ballot must be an object", in.pointer("ballot"));
    }
    if (cast.ballot.dump().size() > kMaxBallotJsonBytes) {
      throw Error(Code::out_of_range, "the ballot is too long", in.pointer("ballot"));
    }
    cast.on_behalf_of = in.opt_i64("on_behalf_of", 1, kMaxId);
    in.done();
    // Never the ballot: the journal must not tie a voter to a choice.
    int64_t voter = cast.on_behalf_of.value_or(req.actor.person_id);
    Json payload{{"proposal_id", id}, {"voter", voter}, {"cast_by", req.actor.person_id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, cast](store::Tx& tx, const app::Ctx& ctx) {
      return app::cast_ballot(tx, ctx, id, cast);
    };
    Json result = co_await write(app, req.actor, "cast_ballot", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/proposals/{id}/my-vote", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::my_vote(tx, ctx, id);
    }));
  });

  r.add("GET", "/api/v1/proposals/{id}/results", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::get_results(tx, ctx, id);
    }));
  });

  r.add("GET", "/api/v1/proposals/{id}/votes", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_votes(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/proposals/{id}/roll", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::list_roll(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/proposals/{id}/receipts/{code}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    const std::string& code = req.params.at("code");
    if (code.empty() || code.size() > kMaxReceiptBytes) {
      throw Error(Code::out_of_range, "a receipt code is 1..64 bytes", "code");
    }
    std::string c = code;
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return app::check_receipt(tx, ctx, id, c);
    }));
  });

  r.add("GET", "/api/v1/proposals/{id}/ballots.blt", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json blt = app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return Json(app::export_ballots_blt(tx, ctx, id));
    });
    co_return Response::text(blt.get<std::string>());
  });

  // ---- proxies

  r.add("POST", "/api/v1/orgs/{id}/proxies", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string body_key = in.str("body_key", 1, kMaxKeyBytes);
    int64_t holder = in.i64("holder_person_id", 1, kMaxId);
    std::optional<int64_t> proposal = in.opt_i64("proposal_id", 1, kMaxId);
    in.done();
    Json payload{{"org_id", id}, {"body_key", body_key}, {"holder_person_id", holder},
                 {"proposal_id", proposal ? Json(*proposal) : Json(nullptr)}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, body_key, holder, proposal](store::Tx& tx, const app::Ctx& ctx) {
      return app::grant_proxy(tx, ctx, id, body_key, holder, proposal);
    };
    Json result = co_await write(app, req.actor, "grant_proxy", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("DELETE", "/api/v1/proxies/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"proxy_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return app::revoke_proxy(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "revoke_proxy", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/me/proxies", [&app](Request& req) -> awaitable<Response> {
    co_return Response::json(app.read(req.actor, [](store::Tx& tx, const app::Ctx& ctx) {
      return app::my_proxies(tx, ctx);
    }));
  });
}

}  // namespace agora::http
