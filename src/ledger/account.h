#pragma once
// An account's running totals and limits, and the checks a transfer makes
// against them (TigerBeetle's model: posted and pending debits and credits).
// balance = credits_posted - debits_posted. A debit (posted or pending) must
// leave credits_posted - debits_posted - debits_pending >= the lower bound; a
// credit must leave credits_posted + credits_pending - debits_posted <= the
// upper bound. Every sum is checked for 64-bit overflow and refused, never
// wrapped.
// Thread-safe: value types and pure functions.

#include <cstdint>
#include <optional>
#include <string>

namespace agora::ledger {

struct AccountState {
  std::optional<int64_t> lower_limit;  // lowest allowed balance (e.g. -credit limit, 0)
  std::optional<int64_t> upper_limit;  // highest allowed balance
  bool debits_must_not_exceed_credits = false;  // a lower bound of 0
  bool credits_must_not_exceed_debits = false;  // an upper bound of 0
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;
  int64_t credits_pending = 0;
};

// credits_posted - debits_posted (Error(out_of_range) on overflow).
int64_t balance(const AccountState& a);
// balance - debits_pending: what may still be spent before the lower bound counts.
int64_t available(const AccountState& a);
// The effective bounds: the tighter of the limit and the flag's 0.
std::optional<int64_t> lower_bound(const AccountState& a);
std::optional<int64_t> upper_bound(const AccountState& a);

enum class Leg { posted, pending };

// Debits `amount` (> 0) as posted or pending. Throws Error(rule_violation,
// "...would go below its limit of N...", "/amount") when the bound would be
// crossed, Error(out_of_range, ..., "/amount") on overflow; `a` is unchanged
// on a throw. `what` names the account in messages ("the debit account").
void debit(AccountState& a, int64_t amount, Leg leg, const std::string& what);
void credit(AccountState& a, int64_t amount, Leg leg, const std::string& what);

// Settles a pending transfer of `pending_amount` for `posted_amount`
// (0 < posted <= pending for a post; 0 for a void or expiry): the debit side
// moves pending_amount out of debits_pending and posted_amount into
// debits_posted (the credit side likewise). Releasing a hold never crosses a
// lower bound, so only the upper bound and overflow are checked again.
void settle_debit(AccountState& a, int64_t pending_amount, int64_t posted_amount, const std::string& what);
void settle_credit(AccountState& a, int64_t pending_amount, int64_t posted_amount, const std::string& what);

}  // namespace agora::ledger
