#pragma once
// Member classes and the membership lifecycle: applied -> active (admitted by
// a coordinator, or at once where the co-op admits automatically) -> left or
// expelled; applied -> rejected. Every transition yields an event; history is
// kept, never deleted. Member numbers are sequential per co-op, assigned at
// admission and never reused. Pure functions over value types; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "members/org.h"

namespace agora::members {

struct MemberClass {
  int64_t share_price_minor = 0;  // nominal price of one share, > 0
  int64_t min_shares = 1;         // a member of this class holds at least this many
};

inline constexpr int64_t kMaxSharePriceMinor = 1'000'000'000'000;  // 10^12 minor units
inline constexpr int64_t kMaxShares = 1'000'000;                   // per request and per holding
// Throws Error(out_of_range / invalid_value) naming /code, /share_price_minor or /min_shares.
void check_class(std::string_view code, const MemberClass& c);

enum class Status { applied, active, left, expelled, rejected };
inline constexpr std::string_view kStatusNames[] = {"applied", "active", "left", "expelled",
                                                    "rejected"};
std::string_view status_name(Status s);
Status parse_status(std::string_view s);  // Error(invalid_value, "/status")

// Applied or active: the states that make a second application a duplicate.
bool is_open(Status s);

enum class Transition { apply, admit, reject, leave, expel, lose_shares };
std::string_view transition_name(Transition t);

// One line of a membership's history.
struct Event {
  Transition kind;
  std::optional<Status> from;  // none for the application itself
  Status to;
};

// What an application becomes: applied, or active when the co-op admits
// automatically. The shares asked for must meet the class minimum.
// Throws Error(rule_violation, "/shares").
Event apply(Admission admission, const MemberClass& cls, int64_t shares);

// The transition from `from`, or Error(invalid_state) when the lifecycle does
// not allow it (e.g. admitting a member who already left).
Event transition(Status from, Transition t);

// Member numbers: `next` is the co-op's counter (starts at 1). Returns the
// number to give and advances the counter; numbers are never reused.
int64_t take_member_number(int64_t& next);

}  // namespace agora::members
