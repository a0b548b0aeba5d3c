#include "workplaces/stakes.h"

#include <string>

#include "core/assert.h"
#include "core/error.h"

namespace agora::workplaces {

void check_stakes(std::span<const Stake> stakes, size_t max_stakes, const char* field) {
  const std::string f = field;
  if (stakes.empty() || stakes.size() > max_stakes) {
    throw Error(Code::out_of_range,
                "an asset has 1.." + std::to_string(max_stakes) + " owners' stakes", f);
  }
  int64_t sum = 0;
  for (size_t i = 0; i < stakes.size(); ++i) {
    const std::string at = f + "/" + std::to_string(i);
    if (stakes[i].org_id <= 0)
      throw Error(Code::invalid_value, "org_id must be positive", at + "/org_id");
    for (size_t j = 0; j < i; ++j) {
      if (stakes[j].org_id == stakes[i].org_id) {
        throw Error(Code::invalid_value,
                    "organisation " + std::to_string(stakes[i].org_id) + " holds one stake only",
                    at + "/org_id");
      }
    }
    if (stakes[i].share_bps < 1 || stakes[i].share_bps > kWholeBps) {
      throw Error(Code::out_of_range, "a stake is 1..10000 basis points", at + "/share_bps");
    }
    sum += stakes[i].share_bps;  // at most 20 × 10000: no overflow
  }
  if (sum != kWholeBps) {
    throw Error(Code::rule_violation,
                "the stakes sum to " + std::to_string(sum) + " basis points, not 10000", f);
  }
}

std::vector<int64_t> split_last_takes_remainder(int64_t total, int64_t parts) {
  AGORA_ASSERT(total >= 0 && parts >= 1 && parts <= kMaxInstallments);
  const int64_t each = total / parts;
  std::vector<int64_t> out(static_cast<size_t>(parts), each);
  out.back() = total - each * (parts - 1);  // each * (parts - 1) <= total: no overflow
  return out;
}

std::vector<Installment> buyout_schedule(const BuyoutTerms& t) {
  if (t.share_bps < 1 || t.share_bps > kWholeBps) {
    throw Error(Code::out_of_range, "share_bps is 1..10000", "/share_bps");
  }
  if (t.price_total < 0)
    throw Error(Code::out_of_range, "price_total must not be negative", "/price_total");
  if (t.installments < 1 || t.installments > kMaxInstallments) {
    throw Error(Code::out_of_range, "installments is 1..600", "/installments");
  }
  if (t.period_months < 1 || t.period_months > kMaxPeriodMonths) {
    throw Error(Code::out_of_range, "period_months is 1..120", "/period_months");
  }
  if (t.share_bps < t.installments) {
    throw Error(Code::out_of_range,
                "each installment moves at least one basis point: at most " +
                    std::to_string(t.share_bps) + " installments",
                "/installments");
  }
  // At most 599 × 120 months ahead: well inside int64, but maybe past 9999.
  const int64_t last_index = month_index(t.starts_on) + (t.installments - 1) * t.period_months;
  if (last_index / 12 > 9999) {
    throw Error(Code::out_of_range, "the last installment would fall after the year 9999",
                "/installments");
  }
  auto shares = split_last_takes_remainder(t.share_bps, t.installments);
  auto amounts = split_last_takes_remainder(t.price_total, t.installments);
  std::vector<Installment> out;
  out.reserve(shares.size());
  for (int64_t n = 1; n <= t.installments; ++n) {
    const auto i = static_cast<size_t>(n - 1);
    out.push_back(Installment{.n = n,
                              .due_on = add_months_clamped(t.starts_on, (n - 1) * t.period_months),
                              .share_bps = shares[i],
                              .amount = amounts[i]});
  }
  return out;
}

std::vector<Stake> move_stake(std::span<const Stake> stakes, int64_t seller_org_id,
                              int64_t buyer_org_id, int64_t share_bps) {
  AGORA_ASSERT(share_bps > 0 && seller_org_id != buyer_org_id);
  std::vector<Stake> out;
  out.reserve(stakes.size() + 1);
  int64_t before = 0, held = 0;
  bool buyer_holds = false;
  for (const auto& s : stakes) {
    before += s.share_bps;
    if (s.org_id == seller_org_id) held = s.share_bps;
    buyer_holds |= s.org_id == buyer_org_id;
  }
  if (held < share_bps) {
    throw Error(Code::rule_violation,
                "the seller holds " + std::to_string(held) + " basis points, less than " +
                    std::to_string(share_bps),
                "/share_bps");
  }
  for (const auto& s : stakes) {
    Stake n = s;
    if (s.org_id == seller_org_id) n.share_bps -= share_bps;
    if (s.org_id == buyer_org_id) n.share_bps += share_bps;
    if (n.share_bps > 0) out.push_back(n);
  }
  if (!buyer_holds) out.push_back(Stake{.org_id = buyer_org_id, .share_bps = share_bps});
  int64_t after = 0;
  for (const auto& s : out) after += s.share_bps;
  AGORA_ASSERT(after == before);
  return out;
}

}  // namespace agora::workplaces
