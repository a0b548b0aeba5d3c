#include "market/allocation.h"

#include <algorithm>
#include <string>

#include "core/error.h"
#include "core/money.h"

namespace agora::market {

int64_t cases_to_order(int64_t quantity, int64_t tolerance, int64_t case_size, int64_t max_units) {
  if (case_size <= 0) throw Error(Code::out_of_range, "the case size must be positive", "/case_size");
  if (quantity < 0) throw Error(Code::out_of_range, "the quantity must not be negative", "/quantity");
  if (tolerance < 0) throw Error(Code::out_of_range, "the tolerance must not be negative", "/tolerance");
  if (quantity == 0) return 0;
  const __int128 filled = (static_cast<__int128>(quantity) + tolerance) / case_size;
  const __int128 needed = (static_cast<__int128>(quantity) + case_size - 1) / case_size;
  __int128 cases = std::min(filled, needed);
  if (max_units >= 0) cases = std::min<__int128>(cases, max_units / case_size);
  return static_cast<int64_t>(cases);
}

std::string_view rule_name(ShareRule r) {
  return r == ShareRule::first_come ? "first_come" : "proportional";
}

ShareRule parse_rule(std::string_view s) {
  if (s == "proportional") return ShareRule::proportional;
  if (s == "first_come") return ShareRule::first_come;
  throw Error(Code::invalid_value, "share_rule must be 'proportional' or 'first_come'", "/share_rule");
}

std::vector<int64_t> allocate(int64_t received, std::span<const Claim> claims, ShareRule rule) {
  if (received < 0) throw Error(Code::out_of_range, "the received quantity must not be negative", "/received");
  __int128 sum_q = 0, sum_t = 0;
  for (size_t i = 0; i < claims.size(); ++i) {
    const Claim& c = claims[i];
    if (c.quantity <= 0 || c.tolerance < 0)
      throw Error(Code::invalid_value, "a claim needs quantity > 0 and tolerance >= 0",
                  "/claims/" + std::to_string(i));
    int64_t both;
    if (__builtin_add_overflow(c.quantity, c.tolerance, &both))
      throw Error(Code::out_of_range, "quantity plus tolerance overflows", "/claims/" + std::to_string(i));
    sum_q += c.quantity;
    sum_t += c.tolerance;
  }
  std::vector<int64_t> out(claims.size(), 0);
  if (claims.empty() || received == 0) return out;

  if (received < sum_q) {
    // Short: quantities only, never tolerance.
    if (rule == ShareRule::proportional) {
      std::vector<int64_t> w(claims.size());
      for (size_t i = 0; i < claims.size(); ++i) w[i] = claims[i].quantity;
      return split_largest_remainder(received, w);
    }
    int64_t left = received;
    for (size_t i = 0; i < claims.size() && left > 0; ++i) {
      out[i] = std::min(left, claims[i].quantity);
      left -= out[i];
    }
    return out;
  }

  // Enough for every quantity; the rest (up to the tolerances) fills them.
  for (size_t i = 0; i < claims.size(); ++i) out[i] = claims[i].quantity;
  const int64_t rest = static_cast<int64_t>(std::min<__int128>(received - sum_q, sum_t));
  if (rest == 0) return out;
  if (rule == ShareRule::proportional) {
    std::vector<int64_t> w(claims.size());
    for (size_t i = 0; i < claims.size(); ++i) w[i] = claims[i].tolerance;
    const std::vector<int64_t> extra = split_largest_remainder(rest, w);
    for (size_t i = 0; i < claims.size(); ++i) out[i] += extra[i];
    return out;
  }
  int64_t left = rest;
  for (size_t i = 0; i < claims.size() && left > 0; ++i) {
    const int64_t give = std::min(left, claims[i].tolerance);
    out[i] += give;
    left -= give;
  }
  return out;
}

}  // namespace agora::market
