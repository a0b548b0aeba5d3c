#pragma once
// Group orders in whole cases, and sharing out what was received
// (DOMAIN.md §4). Members order a quantity plus a tolerance (extra units they
// accept so that a case fills); the co-op orders whole cases; after delivery
// the received units are shared out by the cycle's rule.
// Thread-safe: pure functions.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace agora::market {

// Whole cases to order for `quantity` units demanded plus `tolerance`
// units accepted: the most cases that quantities plus tolerances fill, but
// never a case that tolerance alone would fill — min(floor((q + t) / c),
// ceil(q / c)) — and at most max_units / c cases when there is a cap
// (max_units < 0: none). 0 when quantity is 0.
int64_t cases_to_order(int64_t quantity, int64_t tolerance, int64_t case_size, int64_t max_units = -1);

enum class ShareRule { proportional, first_come };
std::string_view rule_name(ShareRule r);
ShareRule parse_rule(std::string_view s);  // Error(invalid_value, "/share_rule")

// One order line competing for an offer's received units, in the order
// first-come sharing serves them (earliest first).
struct Claim {
  int64_t quantity = 0;   // > 0
  int64_t tolerance = 0;  // >= 0
};

// Shares `received` units among the claims; returns one allocation per
// claim, in the same order. Always: 0 <= a[i] <= quantity + tolerance, and
// sum(a) = min(received, sum(quantity + tolerance)).
// - received >= sum(quantity): everyone gets their quantity; the rest goes
//   to tolerances — proportional to tolerance (largest remainder, ties to
//   the earlier claim) or first come first served.
// - received < sum(quantity): nobody gets tolerance; proportional shares of
//   `received` by quantity with largest remainder (each share differs from
//   the exact proportion by less than one unit), or first come first served
//   (earlier claims filled in full first).
// Integer arithmetic with 128-bit intermediates; never overflows.
std::vector<int64_t> allocate(int64_t received, std::span<const Claim> claims, ShareRule rule);

}  // namespace agora::market
