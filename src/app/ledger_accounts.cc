// Ledger use cases: currencies and accounts (app/ledger.h), and the helpers
// of app/ledger_internal.h every ledger*.cc shares.

#include <algorithm>
#include <cctype>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/repo/auth_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {

namespace rules = ::agora::ledger;

namespace ledger_detail {

repo::LedgerAccountRow load_account(store::Tx& tx, int64_t account_id, const char* field) {
  auto a = repo::find_ledger_account(tx, account_id);
  if (!a) throw Error(Code::not_found, "no account " + std::to_string(account_id), field);
  return *a;
}

repo::CurrencyRow load_currency(store::Tx& tx, const std::string& code, const char* field) {
  auto c = repo::find_currency(tx, code);
  if (!c) throw Error(Code::not_found, "no currency " + code, field);
  return *c;
}

bool may_manage(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a) {
  if (actor.admin) return true;
  return has_role(tx, actor, a.org_id, {Role::coordinator, Role::treasurer});
}

bool may_debit(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a) {
  if (actor.admin) return true;
  if (a.holder == "member" && a.person_id && actor.person_id > 0 &&
      *a.person_id == actor.person_id) {
    return true;
  }
  return may_manage(tx, actor, a);
}

bool may_read(store::Tx& tx, const Actor& actor, const repo::LedgerAccountRow& a) {
  if (actor.admin) return true;
  if (a.holder == "member" && a.person_id && actor.person_id > 0 &&
      *a.person_id == actor.person_id) {
    return true;
  }
  return has_role(tx, actor, a.org_id, {Role::coordinator, Role::treasurer, Role::auditor});
}

void deny(const Actor& actor, const std::string& what) {
  require_signed_in(actor);
  throw Error(Code::forbidden, "not allowed to " + what);
}

rules::AccountState state_of(const repo::LedgerAccountRow& a) {
  return rules::AccountState{.lower_limit = a.lower_limit,
                             .upper_limit = a.upper_limit,
                             .debits_must_not_exceed_credits = a.debits_must_not_exceed_credits,
                             .credits_must_not_exceed_debits = a.credits_must_not_exceed_debits,
                             .debits_posted = a.debits_posted,
                             .credits_posted = a.credits_posted,
                             .debits_pending = a.debits_pending,
                             .credits_pending = a.credits_pending};
}

void set_totals(repo::LedgerAccountRow& a, const rules::AccountState& s) {
  a.debits_posted = s.debits_posted;
  a.credits_posted = s.credits_posted;
  a.debits_pending = s.debits_pending;
  a.credits_pending = s.credits_pending;
}

void check_key(const std::string& key, const std::string& field) {
  bool ok = !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
  if (!ok) throw Error(Code::invalid_value, "key must be 1..64 of A-Z a-z 0-9 . _ : -", field);
}

void check_client_key(const std::string& key, const std::string& field) {
  check_key(key, field);
  if (key.rfind(kSystemKeyPrefix, 0) == 0) {
    throw Error(Code::invalid_value,
                "keys beginning with \"" + std::string(kSystemKeyPrefix) + "\" are reserved for the system",
                field);
  }
}

Json account_json(const repo::LedgerAccountRow& a) {
  auto st = state_of(a);
  return Json{{"id", a.id},
              {"org_id", a.org_id},
              {"currency", a.currency},
              {"holder", a.holder},
              {"person_id", opt_json(a.person_id)},
              {"kind", a.kind},
              {"name", a.name},
              {"lower_limit", opt_json(a.lower_limit)},
              {"upper_limit", opt_json(a.upper_limit)},
              {"debits_must_not_exceed_credits", a.debits_must_not_exceed_credits},
              {"credits_must_not_exceed_debits", a.credits_must_not_exceed_debits},
              {"debits_posted", a.debits_posted},
              {"credits_posted", a.credits_posted},
              {"debits_pending", a.debits_pending},
              {"credits_pending", a.credits_pending},
              {"balance", rules::balance(st)},
              {"available", rules::available(st)},
              {"closed", a.closed},
              {"created_at", iso(a.created_at)}};
}

Json transfer_json(const repo::TransferRow& t) {
  // Built member by member in key order (the object's own order), each at
  // the end: a braced list of pairs builds a temporary array per member and
  // copies every value again, and every transfer the write batcher applies
  // answers with this object.
  Json j(Json::value_t::object);
  auto& o = j.get_ref<Json::object_t&>();
  auto put = [&o](const char* key, Json v) { o.emplace_hint(o.end(), key, std::move(v)); };
  put("action", t.action);
  put("amount", t.amount);
  put("batch_id", opt_json(t.batch_id));
  put("code", t.code);
  put("created_at", iso(t.created_at));
  put("credit_account_id", t.credit_account_id);
  put("credit_balance", t.credit_balance);
  put("currency", t.currency);
  put("debit_account_id", t.debit_account_id);
  put("debit_balance", t.debit_balance);
  put("id", t.id);
  put("key", t.key);
  put("memo", t.memo);
  put("payment_request_id", opt_json(t.payment_request_id));
  put("pending", t.pending);
  put("pending_id", opt_json(t.pending_id));
  put("reverses_id", opt_json(t.reverses_id));
  put("state", t.pending && t.state ? *t.state : "posted");
  put("timeout_at", iso(t.timeout_at));
  AGORA_ASSERT(o.size() == 19);
  return j;
}

}  // namespace ledger_detail

namespace ledger {
namespace {

using namespace ledger_detail;

Json currency_json(const repo::CurrencyRow& c) {
  return Json{{"code", c.code},
              {"name", c.name},
              {"kind", c.kind},
              {"minor_units", c.minor_units},
              {"issuer_org_id", opt_json(c.issuer_org_id)},
              {"mutual_credit", c.mutual_credit},
              {"default_lower_limit", opt_json(c.default_lower_limit)},
              {"default_upper_limit", opt_json(c.default_upper_limit)}};
}

// The closed vocabulary of kinds per holder (app/ledger.h).
bool kind_allowed(const std::string& holder, const std::string& kind) {
  static const std::pair<const char*, const char*> kKinds[] = {
      {"member", "current"},  {"member", "capital"},    {"org", "operating"},
      {"org", "surplus"},     {"org", "share_capital"}, {"org", "clearing"},
      {"fund", "investment"}, {"fund", "solidarity"},   {"fund", "education"},
      {"fund", "mutual"},     {"reserve", "legal"},     {"reserve", "indivisible"},
      {"reserve", "maintenance"},
      {"external", "bank"},   {"external", "cash"}};
  for (const auto& [h, k] : kKinds) {
    if (holder == h && kind == k) return true;
  }
  return false;
}

bool holder_allowed(const std::string& holder) {
  return holder == "member" || holder == "org" || holder == "fund" || holder == "reserve" ||
         holder == "external";
}

std::string default_name(const std::string& kind) {
  std::string n = kind;
  std::replace(n.begin(), n.end(), '_', ' ');
  if (!n.empty()) n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
  return n + " account";
}

void check_bounds_order(std::optional<int64_t> lower, std::optional<int64_t> upper) {
  if (lower && upper && *lower > *upper) {
    throw Error(Code::invalid_value, "lower_limit must not exceed upper_limit", "/lower_limit");
  }
}

// A new account's row with the defaults of its currency and holder.
repo::LedgerAccountRow new_account(const repo::CurrencyRow& cur, Timestamp now, int64_t org_id,
                                   const std::string& holder, std::optional<int64_t> person_id,
                                   const std::string& kind) {
  repo::LedgerAccountRow a{.org_id = org_id,
                           .currency = cur.code,
                           .holder = holder,
                           .person_id = person_id,
                           .kind = kind,
                           .name = default_name(kind),
                           .created_at = now};
  if (holder == "external") return a;
  if (cur.mutual_credit) {
    a.lower_limit = cur.default_lower_limit;
    a.upper_limit = cur.default_upper_limit;
  }
  a.debits_must_not_exceed_credits =
      (holder == "member" && !cur.mutual_credit) || holder == "fund" || holder == "reserve";
  return a;
}

}  // namespace

Json list_currencies(store::Tx& tx, const Ctx&) {
  Json items = Json::array();
  for (const auto& c : repo::list_currencies(tx)) items.push_back(currency_json(c));
  return Json{{"items", std::move(items)}};
}

Json get_currency(store::Tx& tx, const Ctx&, const std::string& code) {
  if (code.size() > 8) throw Error(Code::not_found, "no currency " + code.substr(0, 8));
  return currency_json(load_currency(tx, code));
}

Json create_currency(store::Tx& tx, const Ctx& ctx, const CurrencyInput& in) {
  require_signed_in(ctx.actor);
  bool code_ok = in.code.size() >= 3 && in.code.size() <= 8 &&
                 std::all_of(in.code.begin(), in.code.end(), [](char c) {
                   return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                 });
  if (!code_ok) throw Error(Code::invalid_value, "code must be 3..8 of A-Z 0-9", "/code");
  check_len(in.name, 1, 100, "/name");
  if (in.minor_units < 0 || in.minor_units > 6) {
    throw Error(Code::out_of_range, "minor_units must be 0..6", "/minor_units");
  }
  if (in.default_lower_limit && *in.default_lower_limit > 0) {
    throw Error(Code::out_of_range, "default_lower_limit must be <= 0", "/default_lower_limit");
  }
  if (in.default_upper_limit && *in.default_upper_limit < 0) {
    throw Error(Code::out_of_range, "default_upper_limit must be >= 0", "/default_upper_limit");
  }
  if (!repo::find_org(tx, in.issuer_org_id)) {
    throw Error(Code::not_found, "no organisation " + std::to_string(in.issuer_org_id),
                "/issuer_org_id");
  }
  require_role(tx, ctx.actor, in.issuer_org_id, {Role::coordinator, Role::treasurer});
  if (repo::find_currency(tx, in.code)) {
    throw Error(Code::duplicate, "currency " + in.code + " exists", "/code");
  }
  repo::CurrencyRow c{.code = in.code,
                      .name = in.name,
                      .kind = "community",
                      .minor_units = in.minor_units,
                      .issuer_org_id = in.issuer_org_id,
                      .mutual_credit = in.mutual_credit,
                      .default_lower_limit = in.default_lower_limit,
                      .default_upper_limit = in.default_upper_limit,
                      .created_at = ctx.now};
  repo::insert_currency(tx, c);
  return currency_json(c);
}

Json open_account(store::Tx& tx, const Ctx& ctx, const AccountInput& in) {
  require_signed_in(ctx.actor);
  auto org = repo::find_org(tx, in.org_id);
  if (!org) throw Error(Code::not_found, "no organisation " + std::to_string(in.org_id));
  if (!holder_allowed(in.holder)) {
    throw Error(Code::invalid_value, "holder must be member, org, fund, reserve or external",
                "/holder");
  }
  if (!kind_allowed(in.holder, in.kind)) {
    throw Error(Code::invalid_value,
                "kind " + in.kind + " is not one of the " + in.holder + " account kinds", "/kind");
  }
  if (in.holder == "member") {
    if (!in.person_id)
      throw Error(Code::missing_field, "a member account needs person_id", "/person_id");
  } else if (in.person_id) {
    throw Error(Code::invalid_value, "only member accounts have a person_id", "/person_id");
  }
  bool own = in.holder == "member" && in.kind == "current" && ctx.actor.person_id > 0 &&
             *in.person_id == ctx.actor.person_id;
  if (!own) require_role(tx, ctx.actor, in.org_id, {Role::coordinator, Role::treasurer});
  if (in.person_id && !repo::is_active_member(tx, *in.person_id, in.org_id)) {
    throw Error(Code::rule_violation, "the holder must be an active member of the organisation",
                "/person_id");
  }
  std::string code = in.currency.empty() ? org->currency : in.currency;
  auto cur = load_currency(tx, code, "/currency");
  if (in.name) check_len(*in.name, 1, 100, "/name");
  repo::LedgerAccountRow a = new_account(cur, ctx.now, in.org_id, in.holder, in.person_id, in.kind);
  if (in.name) a.name = *in.name;
  if (in.holder == "external") {
    if (in.lower_limit || in.upper_limit || in.debits_must_not_exceed_credits.value_or(false) ||
        in.credits_must_not_exceed_debits) {
      throw Error(Code::invalid_value, "external accounts are never limited", "/lower_limit");
    }
  } else {
    if (in.lower_limit) a.lower_limit = in.lower_limit;
    if (in.upper_limit) a.upper_limit = in.upper_limit;
    if (in.debits_must_not_exceed_credits) {
      a.debits_must_not_exceed_credits = *in.debits_must_not_exceed_credits;
    }
    a.credits_must_not_exceed_debits = in.credits_must_not_exceed_debits;
  }
  check_bounds_order(a.lower_limit, a.upper_limit);
  if (rules::lower_bound(state_of(a)).value_or(0) > 0 ||
      rules::upper_bound(state_of(a)).value_or(0) < 0) {
    throw Error(Code::invalid_value, "a new account's balance of 0 must be within its limits",
                "/lower_limit");
  }
  if (repo::find_account_of(tx, a.org_id, a.holder, a.person_id, a.currency, a.kind)) {
    throw Error(Code::duplicate, "that account exists");
  }
  a.id = repo::insert_ledger_account(tx, a);
  return account_json(a);
}

int64_t ensure_account(store::Tx& tx, Timestamp now, int64_t org_id, const std::string& holder,
                       std::optional<int64_t> person_id, const std::string& currency,
                       const std::string& kind) {
  AGORA_ASSERT(holder_allowed(holder) && kind_allowed(holder, kind));
  AGORA_ASSERT((holder == "member") == person_id.has_value());
  if (auto a = repo::find_account_of(tx, org_id, holder, person_id, currency, kind)) return a->id;
  auto cur = load_currency(tx, currency, "/currency");
  return repo::insert_ledger_account(tx, new_account(cur, now, org_id, holder, person_id, kind));
}

Json get_account(store::Tx& tx, const Ctx& ctx, int64_t account_id) {
  auto a = load_account(tx, account_id);
  if (!may_read(tx, ctx.actor, a)) deny(ctx.actor, "read this account");
  return account_json(a);
}

Json set_limits(store::Tx& tx, const Ctx& ctx, int64_t account_id, const LimitsPatch& in) {
  auto a = load_account(tx, account_id);
  if (!may_manage(tx, ctx.actor, a)) deny(ctx.actor, "set this account's limits");
  if (a.holder == "external" &&
      ((in.lower_limit && *in.lower_limit) || (in.upper_limit && *in.upper_limit))) {
    throw Error(Code::invalid_value, "external accounts are never limited", "/lower_limit");
  }
  if (in.lower_limit) a.lower_limit = *in.lower_limit;
  if (in.upper_limit) a.upper_limit = *in.upper_limit;
  check_bounds_order(a.lower_limit, a.upper_limit);
  auto st = state_of(a);
  if (auto lo = rules::lower_bound(st); lo && rules::available(st) < *lo) {
    throw Error(Code::rule_violation,
                "the balance after pending debits (" + std::to_string(rules::available(st)) +
                    ") is already below that limit",
                "/lower_limit");
  }
  if (auto hi = rules::upper_bound(st)) {
    __int128 after =
        static_cast<__int128>(st.credits_posted) + st.credits_pending - st.debits_posted;
    if (after > *hi) {
      throw Error(Code::rule_violation,
                  "the balance after pending credits is already above that limit", "/upper_limit");
    }
  }
  repo::update_limits(tx, a.id, a.lower_limit, a.upper_limit);
  return account_json(a);
}

Json list_org_accounts(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  check_page(page);
  if (!repo::find_org(tx, org_id))
    throw Error(Code::not_found, "no organisation " + std::to_string(org_id));
  require_role(tx, ctx.actor, org_id, {Role::coordinator, Role::treasurer, Role::auditor});
  auto rows = repo::org_accounts(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& a : rows) items.push_back(account_json(a));
  bool full = static_cast<int64_t>(rows.size()) == page.limit;
  return page_json(std::move(items), full, rows.empty() ? 0 : rows.back().id);
}

Json my_accounts(store::Tx& tx, const Ctx& ctx) {
  require_signed_in(ctx.actor);
  Json items = Json::array();
  if (ctx.actor.person_id > 0) {
    for (const auto& pa : repo::person_accounts(tx, ctx.actor.person_id)) {
      Json j = account_json(pa.account);
      j["org"] = Json{{"id", pa.account.org_id}, {"name", pa.org_name}};
      items.push_back(std::move(j));
    }
  }
  return Json{{"items", std::move(items)}};
}

Json statement(store::Tx& tx, const Ctx& ctx, int64_t account_id, StatementReq req) {
  if (req.limit < 1 || req.limit > 200)
    throw Error(Code::out_of_range, "limit must be 1..200", "/limit");
  if (req.before < 0) throw Error(Code::out_of_range, "before must be >= 0", "/before");
  auto a = load_account(tx, account_id);
  if (!may_read(tx, ctx.actor, a)) deny(ctx.actor, "read this account");
  auto rows = repo::account_transfers(tx, account_id, req.before, req.limit);
  Json items = Json::array();
  for (const auto& t : rows) {
    bool debit = t.debit_account_id == account_id;
    // Pending holds and releases move no posted money: their signed amount is 0.
    int64_t moved = (t.action == "create" && !t.pending) || t.action == "post" ? t.amount : 0;
    items.push_back(Json{{"transfer", transfer_json(t)},
                         {"side", debit ? "debit" : "credit"},
                         {"amount", debit ? -moved : moved},
                         {"balance", debit ? t.debit_balance : t.credit_balance}});
  }
  bool full = static_cast<int64_t>(rows.size()) == req.limit;
  return Json{{"account", account_json(a)},
              {"items", std::move(items)},
              {"next_before", full ? Json(rows.back().id) : Json(nullptr)}};
}

}  // namespace ledger
}  // namespace agora::app
