#pragma once
// Ownership of an asset in stakes (DOMAIN.md §1: a dairy plant 51% a
// province's, 49% a farmers' co-op's) and stake buy-outs: checking that an
// asset's stakes are distinct organisations summing to 10,000 basis points,
// moving part of one owner's stake to another, and splitting a buy-out into
// installments of shares and amounts (equal parts, the last taking the
// remainder) with their due days. No I/O. Thread-safe: pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "workplaces/calendar.h"

namespace agora::workplaces {

inline constexpr int64_t kWholeBps = 10'000;  // 100%
inline constexpr int64_t kMaxInstallments = 600;
inline constexpr int64_t kMaxPeriodMonths = 120;

struct Stake {
  int64_t org_id = 0;
  int64_t share_bps = 0;
  bool operator==(const Stake&) const = default;
};

// Error(out_of_range, "<field>") unless 1..max_stakes stakes;
// Error(out_of_range, "<field>/i/share_bps") unless each is 1..10000;
// Error(invalid_value, "<field>/i/org_id") for an org named twice (or not
// positive); Error(rule_violation, "<field>") unless they sum to 10000.
void check_stakes(std::span<const Stake> stakes, size_t max_stakes, const char* field = "/stakes");

// `total` in `parts` (1..kMaxInstallments) equal parts, the last taking
// what is left: total / parts each, then total - (parts - 1) * (total / parts).
// total >= 0. The parts sum to total exactly.
std::vector<int64_t> split_last_takes_remainder(int64_t total, int64_t parts);

struct Installment {
  int64_t n = 0;  // 1..count
  Date due_on{};
  int64_t share_bps = 0;
  int64_t amount = 0;
};
struct BuyoutTerms {
  int64_t share_bps = 0;       // 1..10000, at least `installments` (each moves >= 1 bp)
  int64_t price_total = 0;     // >= 0, minor units
  int64_t installments = 1;    // 1..kMaxInstallments
  int64_t period_months = 12;  // 1..kMaxPeriodMonths
  Date starts_on{};            // the first installment's due day
};
// The installments of a buy-out: installment n falls due period_months ×
// (n - 1) months after starts_on (the day clamped to the month's end);
// shares and amounts split by split_last_takes_remainder, so Σ share_bps =
// terms.share_bps and Σ amount = terms.price_total. Error(out_of_range)
// naming "/share_bps", "/price_total", "/installments" or "/period_months"
// for terms outside their bounds, or when the last due day would fall after
// year 9999 ("/installments").
std::vector<Installment> buyout_schedule(const BuyoutTerms& terms);

// The stakes after `share_bps` (> 0, at most the seller's stake) moved from
// seller to buyer: a seller's stake reaching 0 ends; the buyer's grows or
// starts (appended). The sum is unchanged. Error(rule_violation,
// "/share_bps") when the seller holds less.
std::vector<Stake> move_stake(std::span<const Stake> stakes, int64_t seller_org_id,
                              int64_t buyer_org_id, int64_t share_bps);

}  // namespace agora::workplaces
