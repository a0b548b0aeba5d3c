#pragma once
// Year-end surplus distribution and stepped purchase bonuses (DOMAIN.md §3),
// as pure functions over integers. Rates are basis points (1 bp = 0.01%).
// Every split uses largest remainder (core/money.h), so the parts always sum
// exactly to the whole.
// Thread-safe: value types and pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace agora::ledger {

// What a member's refund is paid into.
enum class Refund {
  cash,                 // the member's current account
  share_capital_first,  // unpaid share subscriptions first, the rest to cash
  capital_account,      // the member's individual capital account
};

// What the members' part is shared by.
enum class Basis {
  purchases,  // the member's purchases in the year (consumer co-ops)
  hours,      // hours worked x pay index (worker co-ops)
};

struct BonusStep {
  int64_t from_minor = 0;  // monthly purchases at least this much ...
  int64_t rate_bp = 0;     // ... earn this rate on the whole month
};

struct SurplusRules {
  int64_t legal_reserve_bp = 0;        // e.g. 3000 (Italian law: at least 30%)
  int64_t indivisible_reserve_bp = 0;  // never distributed
  int64_t education_bp = 0;            // education and social fund
  int64_t federation_levy_bp = 0;      // e.g. 300 (mutual funds, Coopfond)
  Basis basis = Basis::purchases;
  Refund refund = Refund::cash;
  int64_t capital_interest_bp = 0;      // yearly interest on capital accounts
  int64_t capital_interest_cap_bp = 750;  // the cap the rate may not exceed
  std::vector<BonusStep> bonus_steps;   // ascending from_minor; empty: no bonus
  Refund bonus_refund = Refund::share_capital_first;
};

// Strict decoding (unknown keys refused, every bound checked; the four
// percentages sum to at most 10000; the interest rate at most its cap and the
// cap at most 2000; bonus steps strictly ascending with rates 1..10000).
// Keys: legal_reserve_bp, indivisible_reserve_bp, education_bp,
// federation_levy_bp, basis ("purchases"|"hours"), refund
// ("cash"|"share_capital_first"|"capital_account"), capital_interest_bp,
// capital_interest_cap_bp, bonus_steps [{from_minor, rate_bp}],
// bonus_refund. Missing keys take the defaults above.
// Errors: Error(unknown_field|wrong_type|out_of_range|invalid_value, msg, "/key").
SurplusRules parse_rules(const Json& j);
Json rules_json(const SurplusRules& r);

// One member's inputs to the closing.
struct MemberBasis {
  int64_t person_id = 0;
  int64_t basis = 0;            // purchases (minor) or hours x pay index (milli-hours x milli / 1000)
  int64_t capital_balance = 0;  // capital account balance at closing (>= 0 counts)
};

enum class Part { legal_reserve, indivisible_reserve, education, federation_levy, interest, refund };
const char* part_name(Part p);

struct Line {
  Part part;
  int64_t person_id = 0;  // 0 for reserves, funds and the levy
  int64_t basis = 0;      // the member's basis or capital balance; 0 otherwise
  int64_t amount = 0;
};

struct Distribution {
  int64_t surplus = 0;
  int64_t interest_total = 0;   // paid first, at most the surplus (scaled down by largest remainder)
  int64_t reserves_total = 0;   // legal + indivisible + education + levy
  int64_t members_total = 0;    // shared by basis
  std::vector<Line> lines;      // reserves/funds/levy first, then interest, then refunds; zero lines omitted
};

// Distributes `surplus` (>= 0): interest on capital accounts first (each
// floor(balance x rate / 10000), scaled down together if they exceed the
// surplus), then the rest split by the four rates and the members' part, and
// the members' part by basis (members with basis 0 get nothing; with no basis
// at all the members' part goes to the indivisible reserve line). Sum of all
// lines == surplus exactly. Error(out_of_range) on overflow.
Distribution distribute(int64_t surplus, const SurplusRules& rules, const std::vector<MemberBasis>& members);

// The stepped monthly bonus on `purchases` (the highest step whose from_minor
// <= purchases, floor(purchases x rate / 10000)); 0 below the first step.
int64_t purchase_bonus(const std::vector<BonusStep>& steps, int64_t purchases);

}  // namespace agora::ledger
