#include "ledger/account.h"

#include <algorithm>

#include "core/error.h"
#include "core/money.h"

namespace agora::ledger {
namespace {

int64_t sub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) {
    throw Error(Code::out_of_range, "the amount would overflow the account's totals", "/amount");
  }
  return out;
}

int64_t add(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) {
    throw Error(Code::out_of_range, "the amount would overflow the account's totals", "/amount");
  }
  return out;
}

void require_positive(int64_t amount) {
  if (amount <= 0) throw Error(Code::out_of_range, "amount must be positive", "/amount");
}

}  // namespace

int64_t balance(const AccountState& a) { return sub(a.credits_posted, a.debits_posted); }

int64_t available(const AccountState& a) { return sub(balance(a), a.debits_pending); }

std::optional<int64_t> lower_bound(const AccountState& a) {
  std::optional<int64_t> out = a.lower_limit;
  if (a.debits_must_not_exceed_credits) out = out ? std::max<int64_t>(*out, 0) : 0;
  return out;
}

std::optional<int64_t> upper_bound(const AccountState& a) {
  std::optional<int64_t> out = a.upper_limit;
  if (a.credits_must_not_exceed_debits) out = out ? std::min<int64_t>(*out, 0) : 0;
  return out;
}

void debit(AccountState& a, int64_t amount, Leg leg, const std::string& what) {
  require_positive(amount);
  AccountState next = a;
  if (leg == Leg::posted) {
    next.debits_posted = add(a.debits_posted, amount);
  } else {
    next.debits_pending = add(a.debits_pending, amount);
  }
  int64_t after = sub(sub(next.credits_posted, next.debits_posted), next.debits_pending);
  if (auto lo = lower_bound(a); lo && after < *lo) {
    throw Error(Code::rule_violation,
                what + " would go below its limit of " + std::to_string(*lo) + " (available " +
                    std::to_string(available(a)) + ", asked " + std::to_string(amount) + ")",
                "/amount");
  }
  a = next;
}

void credit(AccountState& a, int64_t amount, Leg leg, const std::string& what) {
  require_positive(amount);
  AccountState next = a;
  if (leg == Leg::posted) {
    next.credits_posted = add(a.credits_posted, amount);
  } else {
    next.credits_pending = add(a.credits_pending, amount);
  }
  int64_t after = sub(add(next.credits_posted, next.credits_pending), next.debits_posted);
  if (auto hi = upper_bound(a); hi && after > *hi) {
    throw Error(Code::rule_violation,
                what + " would go above its limit of " + std::to_string(*hi) + " (asked " +
                    std::to_string(amount) + ")",
                "/amount");
  }
  a = next;
}

namespace {

// Moves `pending_amount` out of one side's pending total and `posted_amount`
// into its posted total; the other fields are untouched.
void settle(int64_t& pending, int64_t& posted, int64_t pending_amount, int64_t posted_amount,
            const std::string& what) {
  if (pending_amount <= 0 || posted_amount < 0 || posted_amount > pending_amount) {
    throw Error(Code::out_of_range, "the amount to post must be between 1 and the pending amount",
                "/amount");
  }
  if (pending < pending_amount) {
    throw Error(Code::internal, what + " holds less pending than the transfer reserved");
  }
  int64_t next_posted = add(posted, posted_amount);  // may throw; nothing changed yet
  pending -= pending_amount;
  posted = next_posted;
}

}  // namespace

void settle_debit(AccountState& a, int64_t pending_amount, int64_t posted_amount,
                  const std::string& what) {
  settle(a.debits_pending, a.debits_posted, pending_amount, posted_amount, what);
}

// Moving a pending credit into posted leaves credits_posted + credits_pending
// unchanged or lower, so the upper bound still holds.
void settle_credit(AccountState& a, int64_t pending_amount, int64_t posted_amount,
                   const std::string& what) {
  settle(a.credits_pending, a.credits_posted, pending_amount, posted_amount, what);
}

}  // namespace agora::ledger
