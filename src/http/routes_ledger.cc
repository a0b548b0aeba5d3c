// Routes of the ledger: currencies, accounts and statements, transfers
// (single, linked batches, two-phase post/void, reversals), payment
// requests, surplus rules, worked hours, year-end closings and monthly
// purchase bonuses. Decoding and encoding only; the rules live in
// app/ledger*.cc and ledger/.

#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ledger.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/router.h"

namespace agora::http {
namespace {

using boost::asio::awaitable;
namespace ledger = app::ledger;

constexpr int64_t kMaxId = INT64_MAX;
// Amounts and limits in minor units: the whole int64 range (the use cases
// refuse sums that overflow). Lower limits stop at -INT64_MAX so that a
// limit can always be negated.
constexpr int64_t kMaxAmount = INT64_MAX;
constexpr int64_t kMinLimit = -INT64_MAX;
constexpr size_t kMaxKeyBytes = 64;       // idempotency keys
constexpr size_t kMaxCodeBytes = 32;      // transfer purposes, account kinds
constexpr size_t kMaxMemoBytes = 200;
constexpr size_t kMaxNameBytes = 100;
constexpr size_t kMaxReasonBytes = 2000;
constexpr size_t kMaxBatch = 1000;        // transfers in one linked batch
constexpr int64_t kMaxTimeoutS = 31'536'000;  // a pending hold: at most a year
constexpr int64_t kMaxHoursMilli = 24'000;
constexpr int64_t kMaxPayIndexMilli = 100'000;
constexpr int64_t kMinYear = 1900;
constexpr int64_t kMaxYear = 9998;
constexpr int64_t kMaxStatementLines = 200;
constexpr size_t kMaxRulesBytes = 16 * 1024;

// A required string query parameter of min..max bytes.
std::string query_str(const Request& req, std::string_view name, size_t min_len, size_t max_len) {
  auto v = req.query_param(name);
  std::string field(name);
  if (!v || v->empty()) throw Error(Code::missing_field, field + " is required", field);
  if (v->size() < min_len || v->size() > max_len) {
    throw Error(Code::out_of_range,
                field + " must be " + std::to_string(min_len) + ".." + std::to_string(max_len) +
                    " bytes",
                field);
  }
  return *v;
}

// ?state= of payment request lists.
std::optional<std::string> request_state_of(const Request& req) {
  auto state = req.query_param("state");
  if (!state) return std::nullopt;
  if (*state != "open" && *state != "accepted" && *state != "rejected" && *state != "cancelled" &&
      *state != "paid") {
    throw Error(Code::invalid_value, "state must be open, accepted, rejected, cancelled or paid",
                "state");
  }
  return state;
}

// The currency code in the path: 3..8 bytes (the use case checks the letters).
std::string currency_code_of(const Request& req) {
  const std::string& code = req.params.at("code");
  if (code.size() < 3 || code.size() > 8) {
    throw Error(Code::out_of_range, "a currency code is 3..8 characters", "code");
  }
  return code;
}

std::string key_of(JsonReader& in) { return in.str("key", 1, kMaxKeyBytes); }

// A transfer to create: {key, debit_account_id, credit_account_id, amount,
// pending?, timeout_s?, reverses_id?, code?, memo?}. A reversal may leave the
// accounts (the original's swapped) and the amount (what is left) out.
ledger::TransferInput create_of(JsonReader& in) {
  ledger::TransferInput t;
  t.action = ledger::Action::create;
  t.key = key_of(in);
  t.reverses_id = in.opt_i64("reverses_id", 1, kMaxId);
  if (t.reverses_id) {
    t.debit_account_id = in.opt_i64("debit_account_id", 1, kMaxId).value_or(0);
    t.credit_account_id = in.opt_i64("credit_account_id", 1, kMaxId).value_or(0);
    t.amount = in.opt_i64("amount", 1, kMaxAmount).value_or(0);
  } else {
    t.debit_account_id = in.i64("debit_account_id", 1, kMaxId);
    t.credit_account_id = in.i64("credit_account_id", 1, kMaxId);
    t.amount = in.i64("amount", 1, kMaxAmount);
  }
  t.pending = in.opt_boolean("pending").value_or(false);
  t.timeout_s = in.opt_i64("timeout_s", 1, kMaxTimeoutS);
  if (t.timeout_s && !t.pending) {
    throw Error(Code::invalid_value, "timeout_s is only for a pending transfer",
                in.pointer("timeout_s"));
  }
  if (auto code = in.opt_str("code", 1, kMaxCodeBytes)) t.code = *code;
  t.memo = in.opt_str("memo", 0, kMaxMemoBytes).value_or("");
  return t;
}

// Posting (all or `amount` of it) or voiding the pending transfer `pending_id`.
ledger::TransferInput settle_of(JsonReader& in, ledger::Action action, int64_t pending_id) {
  ledger::TransferInput t;
  t.action = action;
  t.key = key_of(in);
  t.pending_id = pending_id;
  if (action == ledger::Action::post) t.amount = in.opt_i64("amount", 0, kMaxAmount).value_or(0);
  t.memo = in.opt_str("memo", 0, kMaxMemoBytes).value_or("");
  return t;
}

// One item of a batch: a create, or {action:"post"|"void", key, pending_id, amount?, memo?}.
ledger::TransferInput batch_item_of(const Json& item, const std::string& pointer) {
  JsonReader in(item, pointer);
  auto action = in.opt_enumeration("action", {"create", "post", "void"}).value_or("create");
  ledger::TransferInput t;
  if (action == "create") {
    t = create_of(in);
  } else {
    int64_t pending_id = in.i64("pending_id", 1, kMaxId);
    t = settle_of(in, action == "post" ? ledger::Action::post : ledger::Action::void_, pending_id);
  }
  in.done();
  return t;
}

const char* action_name(ledger::Action a) {
  switch (a) {
    case ledger::Action::create: return "create";
    case ledger::Action::post: return "post";
    case ledger::Action::void_: return "void";
  }
  return "create";
}

// The journal's record of a transfer command: every decoded field (no secrets in a transfer).
Json transfer_payload(const ledger::TransferInput& t) {
  Json j{{"key", t.key}, {"action", action_name(t.action)}, {"code", t.code}, {"memo", t.memo}};
  if (t.action == ledger::Action::create) {
    j["debit_account_id"] = t.debit_account_id;
    j["credit_account_id"] = t.credit_account_id;
    j["amount"] = t.amount;
    j["pending"] = t.pending;
    if (t.timeout_s) j["timeout_s"] = *t.timeout_s;
    if (t.reverses_id) j["reverses_id"] = *t.reverses_id;
  } else {
    j["pending_id"] = *t.pending_id;
    if (t.action == ledger::Action::post) j["amount"] = t.amount;
  }
  return j;
}

// An optional {"reason": "..."} body; an empty body means no reason.
std::string reason_of(const Request& req) {
  if (req.body.empty()) return {};
  Json body = req.json_body();
  JsonReader in(body);
  std::string reason = in.opt_str("reason", 0, kMaxReasonBytes).value_or("");
  in.done();
  return reason;
}

// A nullable limit of PATCH /accounts/{id}: absent (unchanged), null (cleared) or a value.
std::optional<std::optional<int64_t>> nullable_limit(JsonReader& in, const Json& body,
                                                     std::string_view key, int64_t min,
                                                     int64_t max) {
  auto it = body.find(std::string(key));
  if (it == body.end()) return std::nullopt;
  auto v = in.opt_i64(key, min, max);  // marks the key read; null reads as nullopt
  if (it->is_null()) return std::optional<int64_t>{};
  return std::optional<int64_t>{v};
}

// POST /transfers/{id}/post and /void: settle the pending transfer {id}.
void add_settle_route(Router& r, app::App& app, const char* path, ledger::Action action,
                      const char* command) {
  r.add("POST", path, [&app, action, command](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    ledger::TransferInput t = settle_of(in, action, id);
    in.done();
    Json payload = transfer_payload(t);
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [t](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_transfer(tx, ctx, t);
    };
    Json result = co_await write(app, req.actor, command, payload, std::move(fn));
    co_return Response::json(result, 201);
  });
}

}  // namespace

void add_ledger_routes(Router& r, app::App& app) {
  // ---- currencies

  r.add("GET", "/api/v1/currencies", [&app](Request& req) -> awaitable<Response> {
    co_return Response::json(app.read(req.actor, [](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::list_currencies(tx, ctx);
    }));
  });

  r.add("GET", "/api/v1/currencies/{code}", [&app](Request& req) -> awaitable<Response> {
    std::string code = currency_code_of(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_currency(tx, ctx, code);
    }));
  });

  r.add("POST", "/api/v1/currencies", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    ledger::CurrencyInput c;
    c.code = in.str("code", 3, 8);
    c.name = in.str("name", 1, kMaxNameBytes);
    c.issuer_org_id = in.i64("issuer_org_id", 1, kMaxId);
    c.minor_units = in.opt_i64("minor_units", 0, 6).value_or(2);
    c.mutual_credit = in.opt_boolean("mutual_credit").value_or(true);
    c.default_lower_limit = in.opt_i64("default_lower_limit", kMinLimit, 0);
    c.default_upper_limit = in.opt_i64("default_upper_limit", 0, kMaxAmount);
    in.done();
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [c](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_currency(tx, ctx, c);
    };
    Json result = co_await write(app, req.actor, "create_currency", body, std::move(fn));
    co_return Response::json(result, 201);
  });

  // ---- accounts

  r.add("POST", "/api/v1/orgs/{id}/accounts", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    ledger::AccountInput a;
    a.org_id = id;
    a.currency = in.opt_str("currency", 3, 8).value_or("");
    a.holder = in.opt_enumeration("holder", {"member", "org", "fund", "reserve", "external"})
                   .value_or("member");
    a.person_id = in.opt_i64("person_id", 1, kMaxId);
    a.kind = in.opt_str("kind", 1, kMaxCodeBytes).value_or("current");
    a.name = in.opt_str("name", 1, kMaxNameBytes);
    a.lower_limit = in.opt_i64("lower_limit", kMinLimit, kMaxAmount);
    a.upper_limit = in.opt_i64("upper_limit", kMinLimit, kMaxAmount);
    a.debits_must_not_exceed_credits = in.opt_boolean("debits_must_not_exceed_credits");
    a.credits_must_not_exceed_debits =
        in.opt_boolean("credits_must_not_exceed_debits").value_or(false);
    in.done();
    Json payload{{"org_id", id}, {"account", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [a](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::open_account(tx, ctx, a);
    };
    Json result = co_await write(app, req.actor, "open_account", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}/accounts", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::list_org_accounts(tx, ctx, id, page);
    }));
  });

  r.add("GET", "/api/v1/accounts/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_account(tx, ctx, id);
    }));
  });

  r.add("PATCH", "/api/v1/accounts/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    ledger::LimitsPatch patch;
    patch.lower_limit = nullable_limit(in, body, "lower_limit", kMinLimit, kMaxAmount);
    patch.upper_limit = nullable_limit(in, body, "upper_limit", kMinLimit, kMaxAmount);
    in.done();
    Json payload{{"account_id", id}, {"patch", body}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, patch](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::set_limits(tx, ctx, id, patch);
    };
    Json result = co_await write(app, req.actor, "set_account_limits", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("GET", "/api/v1/accounts/{id}/statement", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    ledger::StatementReq sr;
    sr.limit = query_i64(req, "limit", 50, 1, kMaxStatementLines);
    sr.before = query_i64(req, "before", 0, 0, kMaxId);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::statement(tx, ctx, id, sr);
    }));
  });

  r.add("GET", "/api/v1/me/accounts", [&app](Request& req) -> awaitable<Response> {
    co_return Response::json(app.read(req.actor, [](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::my_accounts(tx, ctx);
    }));
  });

  // ---- transfers

  r.add("POST", "/api/v1/transfers", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    ledger::TransferInput t = create_of(in);
    in.done();
    Json payload = transfer_payload(t);
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [t](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_transfer(tx, ctx, t);
    };
    Json result = co_await write(app, req.actor, "create_transfer", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/transfers/batch", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    const Json& items = in.array("transfers", kMaxBatch);
    in.done();
    if (items.empty()) {
      throw Error(Code::out_of_range, "a batch holds 1..1000 transfers", "/transfers");
    }
    std::vector<ledger::TransferInput> batch;
    batch.reserve(items.size());
    Json journal = Json::array();
    for (size_t i = 0; i < items.size(); ++i) {
      batch.push_back(batch_item_of(items[i], "/transfers/" + std::to_string(i)));
      journal.push_back(transfer_payload(batch.back()));
    }
    Json payload{{"transfers", std::move(journal)}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [batch = std::move(batch)](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_transfers(tx, ctx, batch);
    };
    Json result = co_await write(app, req.actor, "create_transfers", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/transfers", [&app](Request& req) -> awaitable<Response> {
    std::string key = query_str(req, "key", 1, kMaxKeyBytes);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_transfer_by_key(tx, ctx, key);
    }));
  });

  r.add("GET", "/api/v1/transfers/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_transfer(tx, ctx, id);
    }));
  });

  add_settle_route(r, app, "/api/v1/transfers/{id}/post", ledger::Action::post, "post_transfer");
  add_settle_route(r, app, "/api/v1/transfers/{id}/void", ledger::Action::void_, "void_transfer");

  r.add("POST", "/api/v1/transfers/{id}/reverse", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    ledger::TransferInput t;
    t.action = ledger::Action::create;
    t.key = key_of(in);
    t.reverses_id = id;
    t.amount = in.opt_i64("amount", 1, kMaxAmount).value_or(0);
    t.code = "reversal";
    t.memo = in.opt_str("memo", 0, kMaxMemoBytes).value_or("");
    in.done();
    Json payload = transfer_payload(t);
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [t](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_transfer(tx, ctx, t);
    };
    Json result = co_await write(app, req.actor, "reverse_transfer", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  // ---- payment requests

  r.add("POST", "/api/v1/payment-requests", [&app](Request& req) -> awaitable<Response> {
    Json body = req.json_body();
    JsonReader in(body);
    ledger::RequestInput p;
    p.key = key_of(in);
    p.payee_account_id = in.i64("payee_account_id", 1, kMaxId);
    p.payer_account_id = in.i64("payer_account_id", 1, kMaxId);
    p.amount = in.i64("amount", 1, kMaxAmount);
    if (auto code = in.opt_str("code", 1, kMaxCodeBytes)) p.code = *code;
    p.memo = in.opt_str("memo", 0, kMaxMemoBytes).value_or("");
    if (auto due = in.opt_str("due_at", 1, 40)) {
      try {
        p.due_at = parse_iso8601(*due);
      } catch (const Error&) {
        throw Error(Code::invalid_value, "due_at must be an ISO 8601 UTC time", in.pointer("due_at"));
      }
    }
    in.done();
    Json payload{{"key", p.key},
                 {"payee_account_id", p.payee_account_id},
                 {"payer_account_id", p.payer_account_id},
                 {"amount", p.amount},
                 {"code", p.code},
                 {"memo", p.memo}};
    if (p.due_at) payload["due_at"] = format_iso8601(*p.due_at);
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [p](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::create_request(tx, ctx, p);
    };
    Json result = co_await write(app, req.actor, "create_payment_request", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/payment-requests/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_request(tx, ctx, id);
    }));
  });

  r.add("POST", "/api/v1/payment-requests/{id}/accept", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"payment_request_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::accept_request(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "accept_payment_request", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/payment-requests/{id}/reject", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string reason = reason_of(req);
    Json payload{{"payment_request_id", id}, {"reason", reason}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, reason](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::reject_request(tx, ctx, id, reason);
    };
    Json result = co_await write(app, req.actor, "reject_payment_request", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/payment-requests/{id}/cancel", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    no_body(req);
    Json payload{{"payment_request_id", id}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::cancel_request(tx, ctx, id);
    };
    Json result = co_await write(app, req.actor, "cancel_payment_request", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("POST", "/api/v1/payment-requests/{id}/pay", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string key = key_of(in);
    in.done();
    Json payload{{"payment_request_id", id}, {"key", key}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, key](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::pay_request(tx, ctx, id, key);
    };
    Json result = co_await write(app, req.actor, "pay_payment_request", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}/payment-requests", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    auto state = request_state_of(req);
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::list_requests(tx, ctx, id, state, page);
    }));
  });

  r.add("GET", "/api/v1/me/payment-requests", [&app](Request& req) -> awaitable<Response> {
    auto state = request_state_of(req);
    auto page = page_req(req);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::list_requests(tx, ctx, 0, state, page);
    }));
  });

  // ---- surplus rules, hours, closings and bonuses

  r.add("GET", "/api/v1/orgs/{id}/surplus-rules", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_surplus_rules(tx, ctx, id);
    }));
  });

  r.add("PUT", "/api/v1/orgs/{id}/surplus-rules", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    // The use case decodes the rules strictly (ledger/surplus.h parse_rules).
    Json rules = req.json_body();
    if (!rules.is_object()) throw Error(Code::wrong_type, "expected a JSON object", "/");
    if (rules.dump().size() > kMaxRulesBytes) {
      throw Error(Code::out_of_range, "the rules are longer than 16 KiB", "/");
    }
    Json payload{{"org_id", id}, {"rules", rules}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, rules](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::set_surplus_rules(tx, ctx, id, rules);
    };
    Json result = co_await write(app, req.actor, "set_surplus_rules", payload, std::move(fn));
    co_return Response::json(result);
  });

  r.add("POST", "/api/v1/orgs/{id}/work-hours", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    ledger::HoursInput h;
    h.person_id = in.i64("person_id", 1, kMaxId);
    h.day = in.str("day", 10, 10);
    h.hours_milli = in.i64("hours_milli", 1, kMaxHoursMilli);
    h.pay_index_milli = in.opt_i64("pay_index_milli", 1, kMaxPayIndexMilli).value_or(1000);
    in.done();
    Json payload{{"org_id", id},
                 {"person_id", h.person_id},
                 {"day", h.day},
                 {"hours_milli", h.hours_milli},
                 {"pay_index_milli", h.pay_index_milli}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, h](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::record_hours(tx, ctx, id, h);
    };
    Json result = co_await write(app, req.actor, "record_hours", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}/closings/preview", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    if (!req.query_param("year")) throw Error(Code::missing_field, "year is required", "year");
    int year = static_cast<int>(query_i64(req, "year", 0, kMinYear, kMaxYear));
    auto surplus = opt_query_i64(req, "surplus", 0, kMaxAmount);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::preview_closing(tx, ctx, id, year, surplus);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/closings", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    int year = static_cast<int>(in.i64("year", kMinYear, kMaxYear));
    std::optional<int64_t> surplus = in.opt_i64("surplus", 0, kMaxAmount);
    in.done();
    Json payload{{"org_id", id}, {"year", year}};
    if (surplus) payload["surplus"] = *surplus;
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, year, surplus](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::commit_closing(tx, ctx, id, year, surplus);
    };
    Json result = co_await write(app, req.actor, "commit_closing", payload, std::move(fn));
    co_return Response::json(result, 201);
  });

  r.add("GET", "/api/v1/orgs/{id}/closings", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::list_closings(tx, ctx, id);
    }));
  });

  r.add("GET", "/api/v1/closings/{id}", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    co_return Response::json(app.read(req.actor, [id](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::get_closing(tx, ctx, id);
    }));
  });

  r.add("GET", "/api/v1/orgs/{id}/bonuses/preview", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    std::string month = query_str(req, "month", 7, 7);
    co_return Response::json(app.read(req.actor, [&](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::preview_bonus(tx, ctx, id, month);
    }));
  });

  r.add("POST", "/api/v1/orgs/{id}/bonuses", [&app](Request& req) -> awaitable<Response> {
    int64_t id = req.id_param("id");
    Json body = req.json_body();
    JsonReader in(body);
    std::string month = in.str("month", 7, 7);
    in.done();
    Json payload{{"org_id", id}, {"month", month}};
    // Named, not a temporary: g++ 12 destroys a lambda temporary in a co_await twice.
    app::WriteFn fn = [id, month](store::Tx& tx, const app::Ctx& ctx) {
      return ledger::commit_bonus(tx, ctx, id, month);
    };
    Json result = co_await write(app, req.actor, "commit_bonus", payload, std::move(fn));
    co_return Response::json(result, 201);
  });
}

}  // namespace agora::http
