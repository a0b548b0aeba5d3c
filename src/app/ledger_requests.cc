// Payment requests (app/ledger.h): the payee asks, the payer accepts or
// rejects, the payee may cancel, and an accepted request is paid by one
// transfer payer -> payee through apply_transfers. Creation is idempotent by
// key, like transfers.

#include <sodium.h>

#include <array>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/repo/closing_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::ledger {
namespace {

using ledger_detail::deny;
using ledger_detail::load_account;

constexpr size_t kMaxMemo = 200;
constexpr size_t kMaxReason = 200;

void check_code(const std::string& code) {
  bool ok = !code.empty() && code.size() <= 32;
  for (char c : code) ok = ok && ((c >= 'a' && c <= 'z') || c == '_');
  if (!ok) throw Error(Code::invalid_value, "code must be 1..32 of [a-z_]", "/code");
}

// BLAKE2b of the canonical body (every field but the key), hex.
std::string request_hash(const RequestInput& in) {
  Json body = Json::array({in.payee_account_id, in.payer_account_id, in.amount, in.code, in.memo,
                           in.due_at ? Json(in.due_at->us) : Json(nullptr)});
  std::string text = body.dump();
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  return std::string(hex.data());
}

Json side_json(store::Tx& tx, int64_t account_id) {
  auto a = repo::find_account_brief(tx, account_id);
  AGORA_ASSERT(a.has_value());
  return Json{{"org_id", a->org_id}, {"person_id", opt_json(a->person_id)}, {"name", a->holder_name}};
}

Json request_json(store::Tx& tx, const repo::RequestRow& r) {
  return Json{{"id", r.id},
              {"key", r.key},
              {"payee_account_id", r.payee_account_id},
              {"payer_account_id", r.payer_account_id},
              {"payee", side_json(tx, r.payee_account_id)},
              {"payer", side_json(tx, r.payer_account_id)},
              {"amount", r.amount},
              {"currency", r.currency},
              {"code", r.code},
              {"memo", r.memo},
              {"due_at", iso(r.due_at)},
              {"state", r.state},
              {"reason", opt_json(r.reason)},
              {"created_at", iso(r.created_at)},
              {"responded_at", iso(r.responded_at)},
              {"paid_transfer_id", opt_json(r.paid_transfer_id)}};
}

repo::RequestRow load_request(store::Tx& tx, int64_t id) {
  auto r = repo::find_request(tx, id);
  if (!r) throw Error(Code::not_found, "no such payment request");
  return *r;
}

// The payer side (accept, reject, pay) or the payee side (cancel).
void require_side(store::Tx& tx, const Ctx& ctx, int64_t account_id, const char* what) {
  auto a = load_account(tx, account_id);
  if (!ledger_detail::may_debit(tx, ctx.actor, a)) deny(ctx.actor, what);
}

void require_state(const repo::RequestRow& r, std::initializer_list<std::string_view> from,
                   const char* what) {
  for (auto s : from) {
    if (r.state == s) return;
  }
  throw Error(Code::invalid_state, std::string("a payment request that is ") + r.state +
                                       " cannot be " + what);
}

std::optional<int64_t> person_of(const Ctx& ctx) {
  return ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
}

Json respond(store::Tx& tx, const Ctx& ctx, int64_t request_id, const std::string& to,
             std::optional<std::string> reason) {
  auto r = load_request(tx, request_id);
  require_side(tx, ctx, r.payer_account_id,
               to == "accepted" ? "accept this payment request" : "reject this payment request");
  require_state(r, {"open"}, to == "accepted" ? "accepted" : "rejected");
  r.state = to;
  r.reason = std::move(reason);
  r.responded_at = ctx.now;
  r.responded_by_person = person_of(ctx);
  repo::update_request(tx, r);
  return request_json(tx, r);
}

}  // namespace

Json create_request(store::Tx& tx, const Ctx& ctx, const RequestInput& in) {
  require_signed_in(ctx.actor);
  ledger_detail::check_client_key(in.key, "/key");
  auto payee = load_account(tx, in.payee_account_id, "/payee_account_id");
  if (!ledger_detail::may_debit(tx, ctx.actor, payee)) deny(ctx.actor, "request payment into this account");
  auto payer = load_account(tx, in.payer_account_id, "/payer_account_id");
  if (in.amount <= 0) throw Error(Code::out_of_range, "amount must be positive", "/amount");
  check_code(in.code);
  check_len(in.memo, 0, kMaxMemo, "/memo");
  if (payer.id == payee.id) {
    throw Error(Code::invalid_value, "the payer and payee accounts must differ", "/payer_account_id");
  }
  if (payer.currency != payee.currency) {
    throw Error(Code::invalid_value,
                "the payer account is in " + payer.currency + ", the payee account in " + payee.currency,
                "/payer_account_id");
  }
  std::string hash = request_hash(in);
  if (auto old = repo::find_request_by_key(tx, in.key)) {
    if (old->body_hash != hash || old->created_by_person != person_of(ctx)) {
      throw Error(Code::conflict, "this key was already used for another payment request", "/key");
    }
    return request_json(tx, *old);
  }
  if (payee.closed || payer.closed) {
    throw Error(Code::invalid_state, "the account is closed",
                payee.closed ? "/payee_account_id" : "/payer_account_id");
  }
  repo::RequestRow r{.key = in.key,
                     .body_hash = hash,
                     .payee_account_id = payee.id,
                     .payer_account_id = payer.id,
                     .amount = in.amount,
                     .currency = payee.currency,
                     .code = in.code,
                     .memo = in.memo,
                     .due_at = in.due_at,
                     .state = "open",
                     .created_by_person = person_of(ctx),
                     .created_at = ctx.now};
  r.id = repo::insert_request(tx, r);
  return request_json(tx, r);
}

Json accept_request(store::Tx& tx, const Ctx& ctx, int64_t request_id) {
  return respond(tx, ctx, request_id, "accepted", std::nullopt);
}

Json reject_request(store::Tx& tx, const Ctx& ctx, int64_t request_id, const std::string& reason) {
  check_len(reason, 0, kMaxReason, "/reason");
  return respond(tx, ctx, request_id, "rejected",
                 reason.empty() ? std::nullopt : std::optional<std::string>(reason));
}

Json cancel_request(store::Tx& tx, const Ctx& ctx, int64_t request_id) {
  auto r = load_request(tx, request_id);
  require_side(tx, ctx, r.payee_account_id, "cancel this payment request");
  require_state(r, {"open", "accepted"}, "cancelled");
  r.state = "cancelled";
  r.responded_at = ctx.now;
  r.responded_by_person = person_of(ctx);
  repo::update_request(tx, r);
  return request_json(tx, r);
}

Json pay_request(store::Tx& tx, const Ctx& ctx, int64_t request_id, const std::string& key) {
  ledger_detail::check_client_key(key, "/key");
  auto r = load_request(tx, request_id);
  require_side(tx, ctx, r.payer_account_id, "pay this payment request");
  if (r.state == "paid" && r.paid_transfer_id) {
    // A retry of the same payment returns the paid request.
    auto t = repo::find_transfer(tx, *r.paid_transfer_id);
    if (t && t->key == key) return request_json(tx, r);
  }
  require_state(r, {"accepted"}, "paid");
  TransferInput t{.key = key,
                  .action = Action::create,
                  .debit_account_id = r.payer_account_id,
                  .credit_account_id = r.payee_account_id,
                  .amount = r.amount,
                  .code = r.code,
                  .memo = r.memo,
                  .payment_request_id = r.id};
  auto out = apply_transfers(tx, ctx.now, ctx.actor.account_id, std::span<const TransferInput>(&t, 1));
  AGORA_ASSERT(out.size() == 1);
  r.state = "paid";
  r.paid_transfer_id = out[0]["id"].get<int64_t>();
  repo::update_request(tx, r);
  return request_json(tx, r);
}

Json get_request(store::Tx& tx, const Ctx& ctx, int64_t request_id) {
  auto r = load_request(tx, request_id);
  auto payee = load_account(tx, r.payee_account_id);
  auto payer = load_account(tx, r.payer_account_id);
  if (!ledger_detail::may_read(tx, ctx.actor, payee) && !ledger_detail::may_read(tx, ctx.actor, payer)) {
    deny(ctx.actor, "see this payment request");
  }
  return request_json(tx, r);
}

Json list_requests(store::Tx& tx, const Ctx& ctx, int64_t org_id, std::optional<std::string> state,
                   PageReq page) {
  check_page(page);
  if (state && *state != "open" && *state != "accepted" && *state != "rejected" &&
      *state != "cancelled" && *state != "paid") {
    throw Error(Code::invalid_value, "state must be open, accepted, rejected, cancelled or paid",
                "/state");
  }
  if (org_id > 0) {
    require_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer, Role::auditor});
  } else {
    require_signed_in(ctx.actor);
  }
  auto rows = repo::list_requests(tx, org_id, ctx.actor.person_id, state, page.after, page.limit);
  Json items = Json::array();
  for (const auto& r : rows) items.push_back(request_json(tx, r));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json open_obligations(store::Tx& tx, const std::string& currency) {
  Json out = Json::array();
  for (const auto& r : repo::accepted_requests(tx, currency)) {
    out.push_back(Json{{"id", r.id},
                       {"payer_account_id", r.payer_account_id},
                       {"payee_account_id", r.payee_account_id},
                       {"amount", r.amount}});
  }
  return out;
}

}  // namespace agora::app::ledger
