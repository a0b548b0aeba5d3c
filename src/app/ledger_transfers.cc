// Ledger use cases: transfers (single, linked batches, two-phase holds,
// reversals), their expiry, the export stream and the ledger's own
// consistency check (app/ledger.h). The single-transfer path is kept to a
// handful of prepared statements: one read of the key, one read of both
// accounts, one update per account, one insert (plus the hold row of a
// pending transfer).

#include <sodium.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/repo/ledger_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::ledger {
namespace {

namespace rules = ::agora::ledger;

using namespace ledger_detail;

constexpr int64_t kMaxTimeoutS = 31'536'000;
constexpr size_t kMaxBatch = 1000;

void check_code(const std::string& code) {
  bool ok = !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
  if (!ok) throw Error(Code::invalid_value, "code must be 1..32 of a-z and _", "/code");
}

void check_memo(const std::string& memo) { check_len(memo, 0, 200, "/memo"); }

const char* action_name(Action a) {
  switch (a) {
    case Action::create:
      return "create";
    case Action::post:
      return "post";
    case Action::void_:
      return "void";
  }
  return "create";
}

// Both accounts of a transfer, read in one statement.
struct Pair {
  repo::LedgerAccountRow debit;
  repo::LedgerAccountRow credit;
};

Pair load_pair(store::Tx& tx, int64_t debit_id, int64_t credit_id) {
  auto rows = repo::find_account_pair(tx, debit_id, credit_id);
  const repo::LedgerAccountRow* d = nullptr;
  const repo::LedgerAccountRow* c = nullptr;
  for (const auto& r : rows) {
    if (r.id == debit_id) d = &r;
    if (r.id == credit_id) c = &r;
  }
  if (!d)
    throw Error(Code::not_found, "no account " + std::to_string(debit_id), "/debit_account_id");
  if (!c)
    throw Error(Code::not_found, "no account " + std::to_string(credit_id), "/credit_account_id");
  return Pair{*d, *c};
}

// Writes both accounts' new totals and the transfer row; returns the row with its id.
repo::TransferRow write_transfer(store::Tx& tx, Pair& p, const rules::AccountState& ds,
                                 const rules::AccountState& cs, repo::TransferRow row) {
  set_totals(p.debit, ds);
  set_totals(p.credit, cs);
  repo::update_totals(tx, p.debit);
  repo::update_totals(tx, p.credit);
  row.debit_balance = rules::balance(ds);
  row.credit_balance = rules::balance(cs);
  row.id = repo::insert_transfer(tx, row);
  return row;
}

repo::TransferRow create_one(store::Tx& tx, Timestamp now, int64_t created_by,
                             const TransferInput& in, std::string hash) {
  int64_t debit_id = in.debit_account_id;
  int64_t credit_id = in.credit_account_id;
  int64_t amount = in.amount;
  if (in.pending_id)
    throw Error(Code::invalid_value, "only post and void name a pending transfer", "/pending_id");
  if (in.reverses_id) {
    auto orig = repo::find_transfer(tx, *in.reverses_id);
    if (!orig)
      throw Error(Code::not_found, "no transfer " + std::to_string(*in.reverses_id),
                  "/reverses_id");
    bool posted = (orig->action == "create" && !orig->pending) || orig->action == "post";
    if (!posted)
      throw Error(Code::invalid_value, "only posted money can be reversed", "/reverses_id");
    if (in.pending) throw Error(Code::invalid_value, "a reversal moves posted money", "/pending");
    if (debit_id == 0) debit_id = orig->credit_account_id;
    if (credit_id == 0) credit_id = orig->debit_account_id;
    if (debit_id != orig->credit_account_id) {
      throw Error(Code::invalid_value, "a reversal debits the account the original credited",
                  "/debit_account_id");
    }
    if (credit_id != orig->debit_account_id) {
      throw Error(Code::invalid_value, "a reversal credits the account the original debited",
                  "/credit_account_id");
    }
    int64_t left = orig->amount - repo::reversed_total(tx, orig->id);
    if (amount < 0) throw Error(Code::out_of_range, "amount must be positive", "/amount");
    if (left <= 0)
      throw Error(Code::rule_violation, "the transfer is already fully reversed", "/reverses_id");
    if (amount == 0) amount = left;
    if (amount > left) {
      throw Error(Code::rule_violation,
                  "only " + std::to_string(left) + " of the transfer is left to reverse",
                  "/amount");
    }
  }
  if (amount <= 0) throw Error(Code::out_of_range, "amount must be positive", "/amount");
  if (debit_id == credit_id) {
    throw Error(Code::invalid_value, "debit and credit accounts must differ", "/credit_account_id");
  }
  std::optional<Timestamp> timeout_at;
  if (in.timeout_s) {
    if (!in.pending)
      throw Error(Code::invalid_value, "only a pending transfer has a timeout", "/timeout_s");
    if (*in.timeout_s < 1 || *in.timeout_s > kMaxTimeoutS) {
      throw Error(Code::out_of_range, "timeout_s must be 1..31536000", "/timeout_s");
    }
    timeout_at = Timestamp{now.us + *in.timeout_s * 1'000'000};
  }
  Pair p = load_pair(tx, debit_id, credit_id);
  if (p.debit.currency != p.credit.currency) {
    throw Error(Code::invalid_value,
                "the accounts hold different currencies (" + p.debit.currency + ", " +
                    p.credit.currency + ")",
                "/credit_account_id");
  }
  if (p.debit.closed)
    throw Error(Code::invalid_state, "the debit account is closed", "/debit_account_id");
  if (p.credit.closed)
    throw Error(Code::invalid_state, "the credit account is closed", "/credit_account_id");
  auto leg = in.pending ? rules::Leg::pending : rules::Leg::posted;
  auto ds = state_of(p.debit);
  auto cs = state_of(p.credit);
  rules::debit(ds, amount, leg, "the debit account");
  rules::credit(cs, amount, leg, "the credit account");
  repo::TransferRow row{.key = in.key,
                        .body_hash = std::move(hash),
                        .created_by = created_by,
                        .action = "create",
                        .pending = in.pending,
                        .debit_account_id = debit_id,
                        .credit_account_id = credit_id,
                        .amount = amount,
                        .currency = p.debit.currency,
                        .code = in.code,
                        .memo = in.memo,
                        .reverses_id = in.reverses_id,
                        .payment_request_id = in.payment_request_id,
                        .timeout_at = timeout_at,
                        .created_at = now};
  row = write_transfer(tx, p, ds, cs, std::move(row));
  if (in.pending) {
    repo::insert_pending(tx, row.id, timeout_at);
    row.state = "pending";
  }
  return row;
}

// Posts (posted_amount > 0) or releases (0) the hold of `held`.
repo::TransferRow settle(store::Tx& tx, Timestamp now, const repo::TransferRow& held,
                         const std::string& action, int64_t posted_amount, repo::TransferRow row) {
  Pair p = load_pair(tx, held.debit_account_id, held.credit_account_id);
  if (action == "post" && p.debit.closed) {
    throw Error(Code::invalid_state, "the debit account is closed", "/pending_id");
  }
  if (action == "post" && p.credit.closed) {
    throw Error(Code::invalid_state, "the credit account is closed", "/pending_id");
  }
  auto ds = state_of(p.debit);
  auto cs = state_of(p.credit);
  rules::settle_debit(ds, held.amount, posted_amount, "the debit account");
  rules::settle_credit(cs, held.amount, posted_amount, "the credit account");
  row.action = action;
  row.pending = false;
  row.debit_account_id = held.debit_account_id;
  row.credit_account_id = held.credit_account_id;
  row.amount = action == "post" ? posted_amount : held.amount;
  row.currency = held.currency;
  row.pending_id = held.id;
  row.created_at = now;
  row = write_transfer(tx, p, ds, cs, std::move(row));
  static const std::map<std::string, std::string> kState = {
      {"post", "posted"}, {"void", "voided"}, {"expire", "expired"}};
  if (!repo::resolve_pending(tx, held.id, kState.at(action), row.id)) {
    throw Error(Code::invalid_state, "the pending transfer was resolved meanwhile", "/pending_id");
  }
  return row;
}

repo::TransferRow post_or_void(store::Tx& tx, Timestamp now, int64_t created_by,
                               const TransferInput& in, std::string hash) {
  if (!in.pending_id) throw Error(Code::missing_field, "pending_id is required", "/pending_id");
  auto held = repo::find_transfer(tx, *in.pending_id);
  if (!held)
    throw Error(Code::not_found, "no transfer " + std::to_string(*in.pending_id), "/pending_id");
  if (held->action != "create" || !held->pending) {
    throw Error(Code::invalid_value, "transfer " + std::to_string(held->id) + " is not pending",
                "/pending_id");
  }
  AGORA_ASSERT(held->state.has_value());
  if (*held->state != "pending") {
    throw Error(Code::invalid_state, "the pending transfer is already " + *held->state,
                "/pending_id");
  }
  if (held->timeout_at && *held->timeout_at <= now) {
    throw Error(Code::invalid_state, "the pending transfer has expired", "/pending_id");
  }
  if ((in.debit_account_id && in.debit_account_id != held->debit_account_id) ||
      (in.credit_account_id && in.credit_account_id != held->credit_account_id)) {
    throw Error(Code::invalid_value, "the accounts must be the pending transfer's",
                "/debit_account_id");
  }
  if (in.pending || in.timeout_s || in.reverses_id) {
    throw Error(Code::invalid_value, "post and void take only pending_id, amount and memo",
                "/pending");
  }
  int64_t posted = 0;
  if (in.action == Action::post) {
    if (in.amount < 0 || in.amount > held->amount) {
      throw Error(Code::out_of_range,
                  "amount must be 1.." + std::to_string(held->amount) + " (0: the full amount)",
                  "/amount");
    }
    posted = in.amount == 0 ? held->amount : in.amount;
  } else if (in.amount != 0) {
    throw Error(Code::invalid_value, "a void releases the whole hold; omit amount", "/amount");
  }
  repo::TransferRow row{.key = in.key,
                        .body_hash = std::move(hash),
                        .created_by = created_by,
                        .code = in.code == "transfer" ? held->code : in.code,
                        .memo = in.memo,
                        .payment_request_id = in.payment_request_id};
  return settle(tx, now, *held, action_name(in.action), posted, std::move(row));
}

repo::TransferRow apply_one(store::Tx& tx, Timestamp now, int64_t created_by,
                            const TransferInput& in, bool& replay) {
  check_key(in.key, "/key");
  std::string hash = body_hash(in);
  // A new key (the common case) costs one index probe; a replay then reads the row.
  if (auto old_id = repo::find_transfer_id_by_key(tx, in.key)) {
    auto old = repo::find_transfer(tx, *old_id);
    AGORA_ASSERT(old.has_value() && old->key == in.key);
    if (old->body_hash != hash || old->created_by != created_by) {
      throw Error(Code::conflict, "key " + in.key + " was used for another transfer", "/key");
    }
    replay = true;
    return *old;
  }
  replay = false;
  check_code(in.code);
  check_memo(in.memo);
  if (in.action == Action::create) return create_one(tx, now, created_by, in, std::move(hash));
  return post_or_void(tx, now, created_by, in, std::move(hash));
}

std::string prefix_of(size_t i, size_t n) {
  return n > 1 ? "/transfers/" + std::to_string(i) : std::string();
}

// Who may run one transfer (see app/ledger.h).
void authorize(store::Tx& tx, const Actor& actor, const TransferInput& in) {
  if (actor.admin) return;
  require_signed_in(actor);
  if (in.action == Action::create) {
    int64_t debit_id = in.debit_account_id;
    if (debit_id == 0 && in.reverses_id) {
      auto orig = repo::find_transfer(tx, *in.reverses_id);
      if (!orig)
        throw Error(Code::not_found, "no transfer " + std::to_string(*in.reverses_id),
                    "/reverses_id");
      debit_id = orig->credit_account_id;
    }
    auto a = load_account(tx, debit_id, "/debit_account_id");
    if (!may_debit(tx, actor, a)) deny(actor, "debit account " + std::to_string(a.id));
    return;
  }
  if (!in.pending_id) throw Error(Code::missing_field, "pending_id is required", "/pending_id");
  auto held = repo::find_transfer(tx, *in.pending_id);
  if (!held)
    throw Error(Code::not_found, "no transfer " + std::to_string(*in.pending_id), "/pending_id");
  if (actor.account_id != 0 && held->created_by == actor.account_id) return;
  auto p = load_pair(tx, held->debit_account_id, held->credit_account_id);
  if (may_debit(tx, actor, p.debit) || may_debit(tx, actor, p.credit)) return;
  deny(actor, "settle transfer " + std::to_string(held->id));
}

void may_read_transfer(store::Tx& tx, const Actor& actor, const repo::TransferRow& t) {
  if (actor.admin) return;
  require_signed_in(actor);
  auto p = load_pair(tx, t.debit_account_id, t.credit_account_id);
  if (may_read(tx, actor, p.debit) || may_read(tx, actor, p.credit)) return;
  deny(actor, "read this transfer");
}

}  // namespace

std::string body_hash(const TransferInput& in) {
  // Length-prefixed fields, so no two bodies share a canonical form.
  std::string canon;
  canon.reserve(128 + in.memo.size());
  auto num = [&](std::optional<int64_t> v) {
    canon += v ? std::to_string(*v) : std::string("-");
    canon += '|';
  };
  auto text = [&](const std::string& v) {
    canon += std::to_string(v.size());
    canon += ':';
    canon += v;
    canon += '|';
  };
  text(action_name(in.action));
  num(in.debit_account_id);
  num(in.credit_account_id);
  num(in.amount);
  num(in.pending ? 1 : 0);
  num(in.timeout_s);
  num(in.reverses_id);
  num(in.pending_id);
  text(in.code);
  text(in.memo);
  num(in.payment_request_id);
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(canon.data()),
                     canon.size(), nullptr, 0);
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex, sizeof out * 2);
}

std::vector<Json> apply_transfers(store::Tx& tx, Timestamp now, int64_t created_by,
                                  std::span<const TransferInput> in) {
  std::vector<repo::TransferRow> rows;
  rows.reserve(in.size());
  std::vector<bool> fresh(in.size(), false);
  for (size_t i = 0; i < in.size(); ++i) {
    bool replay = false;
    try {
      rows.push_back(apply_one(tx, now, created_by, in[i], replay));
    } catch (const Error& e) {
      if (in.size() == 1) throw;
      throw Error(e.code(), std::string("transfer ") + std::to_string(i) + ": " + e.what(),
                  prefix_of(i, in.size()) + e.field());
    }
    fresh[i] = !replay;
  }
  if (in.size() > 1) {
    int64_t first = 0;
    int64_t last = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!fresh[i]) continue;
      if (first == 0) first = rows[i].id;
      last = rows[i].id;
    }
    if (first != 0) {
      repo::set_batch_id(tx, first, last, first);
      for (size_t i = 0; i < rows.size(); ++i) {
        if (fresh[i]) rows[i].batch_id = first;
      }
    }
  }
  std::vector<Json> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(transfer_json(r));
  return out;
}

Json create_transfer(store::Tx& tx, const Ctx& ctx, const TransferInput& in) {
  check_client_key(in.key, "/key");
  authorize(tx, ctx.actor, in);
  return std::move(apply_transfers(tx, ctx.now, ctx.actor.account_id, std::span(&in, 1)).front());
}

Json create_transfers(store::Tx& tx, const Ctx& ctx, std::span<const TransferInput> in) {
  if (in.empty() || in.size() > kMaxBatch) {
    throw Error(Code::out_of_range, "a batch holds 1..1000 transfers", "/transfers");
  }
  for (size_t i = 0; i < in.size(); ++i) {
    try {
      check_client_key(in[i].key, "/key");
      authorize(tx, ctx.actor, in[i]);
    } catch (const Error& e) {
      if (in.size() == 1) throw;
      throw Error(e.code(), e.what(), prefix_of(i, in.size()) + e.field());
    }
  }
  Json items = Json::array();
  for (auto& j : apply_transfers(tx, ctx.now, ctx.actor.account_id, in))
    items.push_back(std::move(j));
  return Json{{"items", std::move(items)}};
}

Json get_transfer(store::Tx& tx, const Ctx& ctx, int64_t transfer_id) {
  auto t = repo::find_transfer(tx, transfer_id);
  if (!t) throw Error(Code::not_found, "no transfer " + std::to_string(transfer_id));
  may_read_transfer(tx, ctx.actor, *t);
  return transfer_json(*t);
}

Json get_transfer_by_key(store::Tx& tx, const Ctx& ctx, const std::string& key) {
  check_key(key, "/key");
  auto t = repo::find_transfer_by_key(tx, key);
  if (!t) throw Error(Code::not_found, "no transfer with key " + key);
  may_read_transfer(tx, ctx.actor, *t);
  return transfer_json(*t);
}

int64_t expire_pending(store::Tx& tx, Timestamp now, int64_t limit) {
  int64_t n = 0;
  for (int64_t id : repo::due_pending(tx, now, std::max<int64_t>(limit, 0))) {
    auto held = repo::find_transfer(tx, id);
    AGORA_ASSERT(held && held->pending && held->state == "pending");
    // '!' is outside the client key alphabet, so no client key can take it.
    repo::TransferRow row{.key = "!expire:" + std::to_string(id),
                          .body_hash = "",
                          .created_by = 0,
                          .code = held->code,
                          .memo = ""};
    settle(tx, now, *held, "expire", 0, std::move(row));
    ++n;
  }
  return n;
}

bool any_pending_due(store::Tx& tx, Timestamp now) { return repo::any_pending_due(tx, now); }

void for_each_transfer(store::Tx& tx, const TransferFilter& f,
                       const std::function<void(const Json&)>& fn) {
  repo::TransferFilterSql sql{.account_id = f.account_id, .from = f.from, .to = f.to};
  repo::for_each_transfer(tx, sql, [&](const repo::TransferRow& t) { fn(transfer_json(t)); });
}

Json check_ledger(store::Tx& tx) {
  constexpr size_t kMaxProblems = 100;
  std::vector<std::string> problems;
  auto problem = [&](std::string p) {
    if (problems.size() < kMaxProblems) problems.push_back(std::move(p));
  };
  auto recomputed = repo::totals_from_transfers(tx);
  struct Sums {
    __int128 debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
  };
  std::map<std::string, Sums> by_currency;
  int64_t accounts = 0;
  std::unordered_set<int64_t> seen;
  repo::for_each_account(tx, [&](const repo::LedgerAccountRow& a) {
    ++accounts;
    seen.insert(a.id);
    repo::RecomputedTotals want;
    if (auto it = recomputed.find(a.id); it != recomputed.end()) want = it->second;
    std::string name = "account " + std::to_string(a.id);
    auto compare = [&](const char* what, int64_t have, int64_t should) {
      if (have != should) {
        problem(name + ": " + what + " is " + std::to_string(have) + " but its transfers sum to " +
                std::to_string(should));
      }
    };
    compare("debits_posted", a.debits_posted, want.debits_posted);
    compare("credits_posted", a.credits_posted, want.credits_posted);
    compare("debits_pending", a.debits_pending, want.debits_pending);
    compare("credits_pending", a.credits_pending, want.credits_pending);
    auto& s = by_currency[a.currency];
    s.debits_posted += a.debits_posted;
    s.credits_posted += a.credits_posted;
    s.debits_pending += a.debits_pending;
    s.credits_pending += a.credits_pending;
    auto st = state_of(a);
    __int128 low = static_cast<__int128>(a.credits_posted) - a.debits_posted - a.debits_pending;
    __int128 high = static_cast<__int128>(a.credits_posted) + a.credits_pending - a.debits_posted;
    if (auto lo = rules::lower_bound(st); lo && low < *lo) {
      problem(name + ": the balance after pending debits is below its lower bound " +
              std::to_string(*lo));
    }
    if (auto hi = rules::upper_bound(st); hi && high > *hi) {
      problem(name + ": the balance after pending credits is above its upper bound " +
              std::to_string(*hi));
    }
  });
  for (const auto& [id, _] : recomputed) {
    if (!seen.count(id)) problem("transfers name a missing account " + std::to_string(id));
  }
  for (const auto& [code, s] : by_currency) {
    if (s.debits_posted != s.credits_posted) problem(code + ": posted debits and credits differ");
    if (s.debits_pending != s.credits_pending)
      problem(code + ": pending debits and credits differ");
  }
  for (const auto& p : repo::pending_resolutions(tx)) {
    int64_t want = p.state == "pending" ? 0 : 1;
    if (p.resolutions != want) {
      problem("pending transfer " + std::to_string(p.transfer_id) + " (" + p.state +
              ") is resolved " + std::to_string(p.resolutions) + " times");
    }
  }
  int64_t transfers = repo::count_transfers(tx);
  bool ok = problems.empty();
  return Json{{"ok", ok}, {"accounts", accounts}, {"transfers", transfers}, {"problems", problems}};
}

}  // namespace agora::app::ledger
