// ledger::apply_bulk (app/ledger.h): a settlement's many hold posts and
// plain transfers as one linked batch. The same rules and rows as
// apply_transfers (app/ledger_transfers.cc), but the holds and accounts are
// read in chunks up front, the rules run on in-memory account states, rows
// and the holds' state changes are written by multi-row statements of
// constant SQL (prepared once per connection), and each touched account's
// totals are written once at the end.

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/encode.h"
#include "app/ledger.h"
#include "app/ledger_internal.h"
#include "app/repo/ledger_bulk_repo.h"
#include "app/repo/ledger_repo.h"
#include "core/error.h"

namespace agora::app::ledger {
namespace {

namespace rules = ::agora::ledger;

using namespace ledger_detail;

struct Slot {
  repo::LedgerAccountRow row;
  rules::AccountState state;
  bool touched = false;
};

class Accounts {
 public:
  Accounts(store::Tx& tx, std::vector<int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    map_.reserve(ids.size());
    for (auto& a : repo::find_accounts(tx, ids)) {
      Slot s{.row = std::move(a), .state = {}, .touched = false};
      s.state = state_of(s.row);
      int64_t id = s.row.id;
      map_.emplace(id, std::move(s));
    }
  }
  Slot* find(int64_t id) {
    auto it = map_.find(id);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Every touched account's totals, once, in id order.
  void write_totals(store::Tx& tx) {
    std::vector<Slot*> touched;
    for (auto& [id, s] : map_)
      if (s.touched) touched.push_back(&s);
    std::sort(touched.begin(), touched.end(),
              [](const Slot* a, const Slot* b) { return a->row.id < b->row.id; });
    for (Slot* s : touched) {
      set_totals(s->row, s->state);
      repo::update_totals(tx, s->row);
    }
  }

 private:
  std::unordered_map<int64_t, Slot> map_;
};

void check_code(const std::string& code) {
  bool ok = !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
  if (!ok) throw Error(Code::invalid_value, "code must be 1..32 of a-z and _", "/code");
}

// Runs `fn`, naming the item in the message of any Error it throws.
template <typename Fn>
auto named(const char* what, size_t i, Fn&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Error(e.code(), std::string(what) + " " + std::to_string(i) + ": " + e.what(), e.field());
  }
}

// The INSERT, with a stored key reported as the contract says.
int64_t insert_row(store::Tx& tx, const repo::TransferRow& row) {
  try {
    return repo::insert_transfer(tx, row);
  } catch (const Error& e) {
    if (e.code() != Code::duplicate) throw;
    throw Error(Code::duplicate, "key " + row.key + " is already used", "/key");
  }
}

}  // namespace

BulkResult apply_bulk(store::Tx& tx, Timestamp now, int64_t created_by,
                      std::span<const BulkPost> posts, std::span<const BulkTransfer> transfers) {
  BulkResult out;
  if (posts.empty() && transfers.empty()) return out;

  // Keys first: well formed and distinct within the batch (stored keys are
  // refused by the INSERT's unique index).
  {
    std::unordered_set<std::string_view> keys;
    keys.reserve(posts.size() + transfers.size());
    for (size_t i = 0; i < posts.size(); ++i) {
      named("post", i, [&] {
        check_key(posts[i].key, "/key");
        if (!keys.insert(posts[i].key).second)
          throw Error(Code::duplicate, "key " + posts[i].key + " appears twice in the batch", "/key");
      });
    }
    for (size_t i = 0; i < transfers.size(); ++i) {
      named("transfer", i, [&] {
        check_key(transfers[i].key, "/key");
        if (!keys.insert(transfers[i].key).second)
          throw Error(Code::duplicate, "key " + transfers[i].key + " appears twice in the batch",
                      "/key");
      });
    }
  }

  // The holds, then every account any row touches, each read once.
  std::unordered_map<int64_t, repo::HoldRow> holds;
  {
    std::vector<int64_t> ids;
    ids.reserve(posts.size());
    for (const auto& p : posts) ids.push_back(p.pending_id);
    holds.reserve(ids.size());
    for (auto& h : repo::find_holds(tx, ids)) {
      int64_t id = h.id;
      holds.emplace(id, std::move(h));
    }
  }
  std::vector<int64_t> account_ids;
  account_ids.reserve(holds.size() * 2 + transfers.size() * 2);
  for (const auto& [id, h] : holds) {
    account_ids.push_back(h.debit_account_id);
    account_ids.push_back(h.credit_account_id);
  }
  for (const auto& t : transfers) {
    account_ids.push_back(t.debit_account_id);
    account_ids.push_back(t.credit_account_id);
  }
  Accounts accounts(tx, std::move(account_ids));

  // Rows wait in `rows` and are written in multi-row statements; the first
  // is written alone, since its id is every row's batch_id.
  int64_t batch_id = 0;
  std::vector<repo::TransferRow> rows;
  std::vector<repo::Resolution> resolutions;
  constexpr size_t kFlushRows = 4096;
  auto flush = [&](std::vector<int64_t>& ids, const char* what) {
    if (rows.empty()) return;
    std::vector<int64_t> got;
    try {
      got = repo::insert_transfers(tx, rows);
    } catch (const Error& e) {
      if (e.code() != Code::duplicate) throw;
      throw Error(Code::duplicate,
                  std::string("a key among ") + what + "s " + std::to_string(ids.size()) + ".." +
                      std::to_string(ids.size() + rows.size() - 1) + " is already used",
                  "/key");
    }
    for (size_t i = 0; i < resolutions.size(); ++i) resolutions[i].resolved_by = got[i];
    if (repo::resolve_holds(tx, resolutions) != static_cast<int64_t>(resolutions.size())) {
      throw Error(Code::invalid_state, "a pending transfer was resolved meanwhile", "/pending_id");
    }
    ids.insert(ids.end(), got.begin(), got.end());
    rows.clear();
    resolutions.clear();
  };
  auto write = [&](repo::TransferRow&& row, Slot& d, Slot& c, std::vector<int64_t>& ids,
                   const char* what) {
    row.debit_balance = rules::balance(d.state);
    row.credit_balance = rules::balance(c.state);
    d.touched = true;
    c.touched = true;
    if (batch_id == 0) {
      row.id = insert_row(tx, row);
      batch_id = row.id;
      ids.push_back(row.id);
      if (row.pending_id &&
          !repo::resolve_pending(tx, *row.pending_id, row.action == "post" ? "posted" : "voided", row.id)) {
        throw Error(Code::invalid_state, "the pending transfer was resolved meanwhile", "/pending_id");
      }
      return;
    }
    row.batch_id = batch_id;
    if (row.pending_id) {
      resolutions.push_back(repo::Resolution{.transfer_id = *row.pending_id,
                                             .state = row.action == "post" ? "posted" : "voided",
                                             .resolved_by = 0});
    }
    rows.push_back(std::move(row));
    if (rows.size() >= kFlushRows) flush(ids, what);
  };

  out.post_ids.reserve(posts.size());
  std::unordered_set<int64_t> resolved;
  resolved.reserve(posts.size());
  for (size_t i = 0; i < posts.size(); ++i) {
    const BulkPost& p = posts[i];
    named("post", i, [&] {
      check_len(p.memo, 0, 200, "/memo");
      auto it = holds.find(p.pending_id);
      if (it == holds.end())
        throw Error(Code::not_found, "no transfer " + std::to_string(p.pending_id), "/pending_id");
      const repo::HoldRow& held = it->second;
      if (held.action != "create" || !held.pending) {
        throw Error(Code::invalid_value, "transfer " + std::to_string(held.id) + " is not pending",
                    "/pending_id");
      }
      if (!held.state) throw Error(Code::internal, "a pending transfer without its hold row");
      if (*held.state != "pending" || resolved.count(held.id)) {
        std::string state = *held.state != "pending" ? *held.state : std::string("resolved in this batch");
        throw Error(Code::invalid_state, "the pending transfer is already " + state, "/pending_id");
      }
      if (held.timeout_at && *held.timeout_at <= now)
        throw Error(Code::invalid_state, "the pending transfer has expired", "/pending_id");
      if (p.amount < 0 || p.amount > held.amount) {
        throw Error(Code::out_of_range,
                    "amount must be 0.." + std::to_string(held.amount) + " (0: void)", "/amount");
      }
      const bool post = p.amount > 0;
      Slot* d = accounts.find(held.debit_account_id);
      Slot* c = accounts.find(held.credit_account_id);
      if (!d || !c) throw Error(Code::internal, "a pending transfer names a missing account");
      if (post && d->row.closed)
        throw Error(Code::invalid_state, "the debit account is closed", "/pending_id");
      if (post && c->row.closed)
        throw Error(Code::invalid_state, "the credit account is closed", "/pending_id");
      rules::AccountState ds = d->state;
      rules::AccountState cs = c->state;
      rules::settle_debit(ds, held.amount, p.amount, "the debit account");
      rules::settle_credit(cs, held.amount, p.amount, "the credit account");
      d->state = ds;
      c->state = cs;

      TransferInput same{.key = p.key,
                         .action = post ? Action::post : Action::void_,
                         .amount = p.amount,
                         .pending_id = p.pending_id,
                         .memo = p.memo};
      write(repo::TransferRow{.key = p.key,
                              .body_hash = body_hash(same),
                              .created_by = created_by,
                              .action = post ? "post" : "void",
                              .pending = false,
                              .debit_account_id = held.debit_account_id,
                              .credit_account_id = held.credit_account_id,
                              .amount = post ? p.amount : held.amount,
                              .currency = held.currency,
                              .code = held.code,
                              .memo = p.memo,
                              .pending_id = held.id,
                              .created_at = now},
            *d, *c, out.post_ids, "post");
      resolved.insert(held.id);
    });
  }
  flush(out.post_ids, "post");

  out.transfer_ids.reserve(transfers.size());
  for (size_t i = 0; i < transfers.size(); ++i) {
    const BulkTransfer& t = transfers[i];
    named("transfer", i, [&] {
      check_code(t.code);
      check_len(t.memo, 0, 200, "/memo");
      if (t.amount <= 0) throw Error(Code::out_of_range, "amount must be positive", "/amount");
      if (t.debit_account_id == t.credit_account_id) {
        throw Error(Code::invalid_value, "debit and credit accounts must differ",
                    "/credit_account_id");
      }
      Slot* d = accounts.find(t.debit_account_id);
      Slot* c = accounts.find(t.credit_account_id);
      if (!d) {
        throw Error(Code::not_found, "no account " + std::to_string(t.debit_account_id),
                    "/debit_account_id");
      }
      if (!c) {
        throw Error(Code::not_found, "no account " + std::to_string(t.credit_account_id),
                    "/credit_account_id");
      }
      if (d->row.currency != c->row.currency) {
        throw Error(Code::invalid_value,
                    "the accounts hold different currencies (" + d->row.currency + ", " +
                        c->row.currency + ")",
                    "/credit_account_id");
      }
      if (d->row.closed)
        throw Error(Code::invalid_state, "the debit account is closed", "/debit_account_id");
      if (c->row.closed)
        throw Error(Code::invalid_state, "the credit account is closed", "/credit_account_id");
      rules::AccountState ds = d->state;
      rules::AccountState cs = c->state;
      rules::debit(ds, t.amount, rules::Leg::posted, "the debit account");
      rules::credit(cs, t.amount, rules::Leg::posted, "the credit account");
      d->state = ds;
      c->state = cs;

      TransferInput same{.key = t.key,
                         .action = Action::create,
                         .debit_account_id = t.debit_account_id,
                         .credit_account_id = t.credit_account_id,
                         .amount = t.amount,
                         .code = t.code,
                         .memo = t.memo};
      write(repo::TransferRow{.key = t.key,
                              .body_hash = body_hash(same),
                              .created_by = created_by,
                              .action = "create",
                              .pending = false,
                              .debit_account_id = t.debit_account_id,
                              .credit_account_id = t.credit_account_id,
                              .amount = t.amount,
                              .currency = d->row.currency,
                              .code = t.code,
                              .memo = t.memo,
                              .created_at = now},
            *d, *c, out.transfer_ids, "transfer");
    });
  }
  flush(out.transfer_ids, "transfer");

  // The first row names itself as the batch, like every later row.
  repo::set_batch_id(tx, batch_id, batch_id, batch_id);
  accounts.write_totals(tx);
  out.batch_id = batch_id;
  return out;
}

}  // namespace agora::app::ledger
