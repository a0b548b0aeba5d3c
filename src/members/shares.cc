#include "members/shares.h"

#include "core/error.h"
#include "core/money.h"

namespace agora::members {

std::string_view sub_state_name(SubState s) {
  switch (s) {
    case SubState::waiting: return "waiting";
    case SubState::paid: return "paid";
    case SubState::cancelled: return "cancelled";
  }
  return "unknown";
}

SubState parse_sub_state(std::string_view s) {
  if (s == "waiting") return SubState::waiting;
  if (s == "paid") return SubState::paid;
  if (s == "cancelled") return SubState::cancelled;
  throw Error(Code::database, "unknown subscription state in the database");
}

Subscription subscribe(const MemberClass& cls, int64_t shares) {
  if (shares < 1 || shares > kMaxShares) {
    throw Error(Code::out_of_range, "shares must be between 1 and " + std::to_string(kMaxShares),
                "/shares");
  }
  Subscription s;
  s.shares = shares;
  s.price_minor = cls.share_price_minor;
  try {
    s.amount_minor = checked_mul(shares, cls.share_price_minor);
  } catch (const Error&) {
    throw Error(Code::out_of_range, "the subscription amount is too large", "/shares");
  }
  return s;
}

bool pay(Subscription& sub, int64_t amount_minor) {
  if (sub.state != SubState::waiting) {
    throw Error(Code::invalid_state, "only a waiting subscription takes payments");
  }
  int64_t due = sub.amount_minor - sub.paid_minor;
  if (amount_minor < 1 || amount_minor > due) {
    throw Error(Code::out_of_range, "payment must be between 1 and the " + std::to_string(due) +
                                        " still due", "/amount_minor");
  }
  sub.paid_minor += amount_minor;
  if (sub.paid_minor == sub.amount_minor) {
    sub.state = SubState::paid;
    return true;
  }
  return false;
}

void cancel(Subscription& sub) {
  if (sub.state != SubState::waiting) {
    throw Error(Code::invalid_state, "only a waiting subscription can be cancelled");
  }
  sub.state = SubState::cancelled;
}

std::string_view entry_kind_name(EntryKind k) {
  switch (k) {
    case EntryKind::subscribe: return "subscribe";
    case EntryKind::increase: return "increase";
    case EntryKind::transfer_out: return "transfer_out";
    case EntryKind::transfer_in: return "transfer_in";
    case EntryKind::sell_back: return "sell_back";
  }
  return "unknown";
}

EntryKind kind_for_paid(int64_t holding_before) {
  return holding_before == 0 ? EntryKind::subscribe : EntryKind::increase;
}

Reduction reduce(const MemberClass& cls, int64_t holding, int64_t shares) {
  if (shares < 1 || shares > kMaxShares) {
    throw Error(Code::out_of_range, "shares must be between 1 and " + std::to_string(kMaxShares),
                "/shares");
  }
  if (shares > holding) {
    throw Error(Code::rule_violation,
                "only " + std::to_string(holding) + " shares are held", "/shares");
  }
  Reduction r;
  r.remaining = holding - shares;
  if (r.remaining != 0 && r.remaining < cls.min_shares) {
    throw Error(Code::rule_violation,
                "a member of this class keeps at least " + std::to_string(cls.min_shares) +
                    " shares, or sells back all of them",
                "/shares");
  }
  r.amount_minor = checked_mul(shares, cls.share_price_minor);
  r.becomes_former = r.remaining == 0;
  return r;
}

int64_t receive(int64_t holding, int64_t shares) {
  if (shares < 1 || shares > kMaxShares || holding > kMaxShares - shares) {
    throw Error(Code::out_of_range, "the receiving holding would exceed " +
                                        std::to_string(kMaxShares) + " shares", "/shares");
  }
  return holding + shares;
}

}  // namespace agora::members
