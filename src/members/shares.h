#pragma once
// Share capital in the style of Odoo's `cooperator`: subscription requests
// (waiting -> paid, or cancelled) paid in instalments, and an append-only
// share register (subscribe, increase, transfer out/in, sell back). A member
// whose holding reaches zero becomes a former member. Amounts are int64 minor
// units, every product and sum overflow-checked. Pure; thread-safe.

#include <cstdint>
#include <string_view>

#include "members/membership.h"

namespace agora::members {

enum class SubState { waiting, paid, cancelled };
std::string_view sub_state_name(SubState s);
SubState parse_sub_state(std::string_view s);

struct Subscription {
  int64_t shares = 0;
  int64_t price_minor = 0;   // the class's price when the request was made
  int64_t amount_minor = 0;  // shares x price
  int64_t paid_minor = 0;    // 0 <= paid <= amount
  SubState state = SubState::waiting;
};

// A new request for `shares` of class `cls`. Throws Error(out_of_range,
// "/shares") for shares outside 1..kMaxShares or an amount that overflows.
Subscription subscribe(const MemberClass& cls, int64_t shares);

// Records one instalment. Error(invalid_state) unless waiting;
// Error(out_of_range, "/amount_minor") unless 0 < amount <= what is still due.
// Returns true when this payment completes the subscription (state -> paid):
// the caller then enters the shares in the register.
bool pay(Subscription& sub, int64_t amount_minor);

// Error(invalid_state) unless waiting. Instalments already paid stay recorded
// on the request (they are owed back to the member).
void cancel(Subscription& sub);

enum class EntryKind { subscribe, increase, transfer_out, transfer_in, sell_back };
std::string_view entry_kind_name(EntryKind k);

// The first paid subscription of a membership opens its holding ("subscribe");
// later ones add to it ("increase").
EntryKind kind_for_paid(int64_t holding_before);

// Effect of a sell-back or an outgoing transfer of `shares` from a holding of
// `holding` shares in class `cls`. The holding left must be zero (the member
// leaves) or at least the class minimum. Throws Error(out_of_range, "/shares")
// or Error(rule_violation, "/shares").
struct Reduction {
  int64_t remaining = 0;
  int64_t amount_minor = 0;  // shares x class price
  bool becomes_former = false;
};
Reduction reduce(const MemberClass& cls, int64_t holding, int64_t shares);

// Shares received in a transfer; the holding must stay within kMaxShares.
int64_t receive(int64_t holding, int64_t shares);

}  // namespace agora::members
