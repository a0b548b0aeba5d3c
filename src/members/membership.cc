#include "members/membership.h"

#include "core/error.h"

namespace agora::members {

void check_class(std::string_view code, const MemberClass& c) {
  bool ok = !code.empty() && code.size() <= 32;
  for (char ch : code) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_');
  if (!ok) throw Error(Code::invalid_value, "class code must be 1-32 of a-z, 0-9 and '_'", "/code");
  if (c.share_price_minor < 1 || c.share_price_minor > kMaxSharePriceMinor) {
    throw Error(Code::out_of_range, "share price out of range", "/share_price_minor");
  }
  if (c.min_shares < 1 || c.min_shares > kMaxShares) {
    throw Error(Code::out_of_range, "minimum shares out of range", "/min_shares");
  }
}

std::string_view status_name(Status s) { return kStatusNames[static_cast<size_t>(s)]; }

Status parse_status(std::string_view s) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i) {
    if (kStatusNames[i] == s) return static_cast<Status>(i);
  }
  throw Error(Code::invalid_value, "unknown membership status", "/status");
}

bool is_open(Status s) { return s == Status::applied || s == Status::active; }

std::string_view transition_name(Transition t) {
  switch (t) {
    case Transition::apply: return "applied";
    case Transition::admit: return "admitted";
    case Transition::reject: return "rejected";
    case Transition::leave: return "left";
    case Transition::expel: return "expelled";
    case Transition::lose_shares: return "shares_exhausted";
  }
  return "unknown";
}

Event apply(Admission admission, const MemberClass& cls, int64_t shares) {
  if (shares < cls.min_shares) {
    throw Error(Code::rule_violation,
                "this class requires at least " + std::to_string(cls.min_shares) + " shares",
                "/shares");
  }
  if (shares > kMaxShares) throw Error(Code::out_of_range, "too many shares", "/shares");
  Status to = admission == Admission::automatic ? Status::active : Status::applied;
  return Event{.kind = Transition::apply, .from = std::nullopt, .to = to};
}

Event transition(Status from, Transition t) {
  auto refuse = [&]() -> Event {
    throw Error(Code::invalid_state, std::string("a membership that is ") +
                                         std::string(status_name(from)) + " cannot be " +
                                         std::string(transition_name(t)));
  };
  switch (t) {
    case Transition::admit:
      if (from != Status::applied) return refuse();
      return Event{t, from, Status::active};
    case Transition::reject:
      if (from != Status::applied) return refuse();
      return Event{t, from, Status::rejected};
    case Transition::leave:
      if (from != Status::active) return refuse();
      return Event{t, from, Status::left};
    case Transition::expel:
      if (from != Status::active) return refuse();
      return Event{t, from, Status::expelled};
    case Transition::lose_shares:
      if (from != Status::active) return refuse();
      return Event{t, from, Status::left};
    case Transition::apply:
      break;
  }
  return refuse();
}

int64_t take_member_number(int64_t& next) {
  if (next < 1) throw Error(Code::internal, "member number counter is corrupt");
  return next++;
}

}  // namespace agora::members
