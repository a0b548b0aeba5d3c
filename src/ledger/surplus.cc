#include "ledger/surplus.h"

#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::ledger {
namespace {

constexpr int64_t kFull = 10000;        // 100% in basis points
constexpr int64_t kMaxInterestCap = 2000;
constexpr size_t kMaxBonusSteps = 20;

const char* refund_name(Refund r) {
  switch (r) {
    case Refund::cash: return "cash";
    case Refund::share_capital_first: return "share_capital_first";
    case Refund::capital_account: return "capital_account";
  }
  return "cash";
}

Refund refund_of(const std::string& s) {
  if (s == "share_capital_first") return Refund::share_capital_first;
  if (s == "capital_account") return Refund::capital_account;
  return Refund::cash;
}

// floor(amount x rate / 10000), refusing a product that does not fit.
int64_t rate_of(int64_t amount, int64_t rate_bp) { return checked_mul(amount, rate_bp) / kFull; }

}  // namespace

SurplusRules parse_rules(const Json& j) {
  JsonReader r(j);
  SurplusRules out;
  out.legal_reserve_bp = r.opt_i64("legal_reserve_bp", 0, kFull).value_or(out.legal_reserve_bp);
  out.indivisible_reserve_bp =
      r.opt_i64("indivisible_reserve_bp", 0, kFull).value_or(out.indivisible_reserve_bp);
  out.education_bp = r.opt_i64("education_bp", 0, kFull).value_or(out.education_bp);
  out.federation_levy_bp = r.opt_i64("federation_levy_bp", 0, kFull).value_or(out.federation_levy_bp);
  if (auto b = r.opt_enumeration("basis", {"purchases", "hours"})) {
    out.basis = *b == "hours" ? Basis::hours : Basis::purchases;
  }
  if (auto f = r.opt_enumeration("refund", {"cash", "share_capital_first", "capital_account"})) {
    out.refund = refund_of(*f);
  }
  out.capital_interest_cap_bp =
      r.opt_i64("capital_interest_cap_bp", 0, kMaxInterestCap).value_or(out.capital_interest_cap_bp);
  out.capital_interest_bp =
      r.opt_i64("capital_interest_bp", 0, kMaxInterestCap).value_or(out.capital_interest_bp);
  if (const Json* steps = r.opt_array("bonus_steps", kMaxBonusSteps)) {
    for (size_t i = 0; i < steps->size(); ++i) {
      std::string path = "/bonus_steps/" + std::to_string(i);
      JsonReader s((*steps)[i], path);
      BonusStep step;
      step.from_minor = s.i64("from_minor", 0, INT64_MAX / kFull);
      step.rate_bp = s.i64("rate_bp", 1, kFull);
      s.done();
      if (!out.bonus_steps.empty() && step.from_minor <= out.bonus_steps.back().from_minor) {
        throw Error(Code::invalid_value, "bonus steps must be strictly ascending by from_minor",
                    path + "/from_minor");
      }
      out.bonus_steps.push_back(step);
    }
  }
  if (auto f = r.opt_enumeration("bonus_refund", {"cash", "share_capital_first", "capital_account"})) {
    out.bonus_refund = refund_of(*f);
  }
  r.done();
  int64_t parts = out.legal_reserve_bp + out.indivisible_reserve_bp + out.education_bp +
                  out.federation_levy_bp;
  if (parts > kFull) {
    throw Error(Code::invalid_value,
                "the reserves, education fund and levy add up to more than 100% (" +
                    std::to_string(parts) + " bp)",
                "/legal_reserve_bp");
  }
  if (out.capital_interest_bp > out.capital_interest_cap_bp) {
    throw Error(Code::out_of_range,
                "the capital interest rate exceeds its cap of " +
                    std::to_string(out.capital_interest_cap_bp) + " bp",
                "/capital_interest_bp");
  }
  return out;
}

Json rules_json(const SurplusRules& r) {
  Json steps = Json::array();
  for (const auto& s : r.bonus_steps) steps.push_back({{"from_minor", s.from_minor}, {"rate_bp", s.rate_bp}});
  return {{"legal_reserve_bp", r.legal_reserve_bp},
          {"indivisible_reserve_bp", r.indivisible_reserve_bp},
          {"education_bp", r.education_bp},
          {"federation_levy_bp", r.federation_levy_bp},
          {"basis", r.basis == Basis::hours ? "hours" : "purchases"},
          {"refund", refund_name(r.refund)},
          {"capital_interest_bp", r.capital_interest_bp},
          {"capital_interest_cap_bp", r.capital_interest_cap_bp},
          {"bonus_steps", steps},
          {"bonus_refund", refund_name(r.bonus_refund)}};
}

const char* part_name(Part p) {
  switch (p) {
    case Part::legal_reserve: return "legal_reserve";
    case Part::indivisible_reserve: return "indivisible_reserve";
    case Part::education: return "education";
    case Part::federation_levy: return "federation_levy";
    case Part::interest: return "interest";
    case Part::refund: return "refund";
  }
  return "refund";
}

Distribution distribute(int64_t surplus, const SurplusRules& rules,
                        const std::vector<MemberBasis>& members) {
  if (surplus < 0) throw Error(Code::out_of_range, "the surplus must not be negative", "/surplus");
  Distribution d;
  d.surplus = surplus;

  // Interest on capital first: each member's floor(balance x rate), scaled
  // down together when they exceed the surplus.
  std::vector<int64_t> interest(members.size(), 0);
  int64_t wanted = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].capital_balance <= 0) continue;
    interest[i] = rate_of(members[i].capital_balance, rules.capital_interest_bp);
    wanted = checked_add(wanted, interest[i]);
  }
  if (wanted > surplus) interest = split_largest_remainder(surplus, interest);
  for (int64_t x : interest) d.interest_total += x;
  int64_t rest = surplus - d.interest_total;

  // The rest by the four rates; what is left of 100% is the members' part.
  int64_t members_bp = kFull - rules.legal_reserve_bp - rules.indivisible_reserve_bp -
                       rules.education_bp - rules.federation_levy_bp;
  if (members_bp < 0) throw Error(Code::invalid_value, "the rates add up to more than 100%");
  const int64_t weights[] = {rules.legal_reserve_bp, rules.indivisible_reserve_bp, rules.education_bp,
                             rules.federation_levy_bp, members_bp};
  std::vector<int64_t> parts = split_largest_remainder(rest, weights);

  std::vector<int64_t> basis(members.size(), 0);
  int64_t basis_total = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].basis <= 0) continue;
    basis[i] = members[i].basis;
    basis_total = checked_add(basis_total, basis[i]);
  }
  std::vector<int64_t> refunds(members.size(), 0);
  if (basis_total > 0) {
    refunds = split_largest_remainder(parts[4], basis);
    d.members_total = parts[4];
  } else {
    parts[1] += parts[4];  // nobody to share with: it stays in the co-op, indivisibly
  }
  d.reserves_total = parts[0] + parts[1] + parts[2] + parts[3];

  const Part reserve_parts[] = {Part::legal_reserve, Part::indivisible_reserve, Part::education,
                                Part::federation_levy};
  for (size_t k = 0; k < 4; ++k) {
    if (parts[k] > 0) d.lines.push_back({reserve_parts[k], 0, 0, parts[k]});
  }
  for (size_t i = 0; i < members.size(); ++i) {
    if (interest[i] > 0) {
      d.lines.push_back({Part::interest, members[i].person_id, members[i].capital_balance, interest[i]});
    }
  }
  for (size_t i = 0; i < members.size(); ++i) {
    if (refunds[i] > 0) d.lines.push_back({Part::refund, members[i].person_id, basis[i], refunds[i]});
  }

  __int128 sum = 0;
  for (const auto& l : d.lines) sum += l.amount;
  AGORA_ASSERT(sum == surplus);
  AGORA_ASSERT(d.interest_total + d.reserves_total + d.members_total == surplus);
  return d;
}

int64_t purchase_bonus(const std::vector<BonusStep>& steps, int64_t purchases) {
  if (purchases < 0) throw Error(Code::out_of_range, "purchases must not be negative", "/purchases");
  int64_t rate = 0;
  for (const auto& s : steps) {
    if (s.from_minor <= purchases) rate = s.rate_bp;
  }
  return rate_of(purchases, rate);
}

}  // namespace agora::ledger
