#pragma once
// Selecting projects for a fund's budget from the members' ballots
// (DOMAIN.md §5): the Method of Equal Shares (Peters & Skowron) with cost,
// approval or points utilities and Add1 completion, and greedy. Pure
// functions over an Election (election.h); the app layer stores rounds and
// pays the funded projects out through the ledger, `agora budget` reads
// Pabulib files. Documented for users in docs/BUDGET.md.
//
// Exact arithmetic, never floating point: each voter's money starts at B/n,
// a rational, and every payment is a rational (a cost shared among
// supporters). Money and ρ are boost::multiprecision::cpp_rational
// (arbitrary precision), so no value can overflow or round; ρ values are
// compared exactly. (Inside, the method computes the same exact values with
// GMP's rationals, many times faster, and converts only what it reports.)
// The bounds of election.h (costs and budget <= 10^15, <= 10^7 voters,
// points <= 10^9) bound the size of every operand, and the Add1 completion
// stops after Options::max_completion_steps reruns, so time and memory stay
// bounded too. To keep the big-number work small, voters with
// equal money share one "money class": a purchase touches each class of its
// supporters once, not each voter.
//
// Thread-safe: pure functions; concurrent calls on the same const Election
// are fine.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "budget/election.h"
#include "core/json.h"

namespace agora::budget {

using Rational = boost::multiprecision::cpp_rational;

enum class Method { equal_shares, greedy };
// cost: u_i(p) = c(p) for an approved p (the usual default: ρ = q / c(p));
// approval: u_i(p) = 1 (ρ = q); points: u_i(p) = voter i's points for p.
// Approval ballots take cost or approval; points ballots take points.
enum class Utility { cost, approval, points };
enum class Completion { none, add1 };

struct Options {
  Method method = Method::equal_shares;
  Utility utility = Utility::cost;
  Completion completion = Completion::add1;
  // Also list each voter's payment for each funded project (small rounds, the
  // app's "who paid for what" page); otherwise payments come grouped by amount.
  bool voter_payments = false;
  // Add1 reruns at most this many times (each is a full run of the method).
  int64_t max_completion_steps = 100'000;
};

// `voters` supporters each paid `amount` (in currency units).
struct PaymentGroup {
  Rational amount;
  int64_t voters = 0;
};
struct VoterPayment {
  int64_t voter = 0;  // index of the ballot in the Election
  Rational amount;
};

struct Funded {
  int32_t project = 0;  // index into Election::projects
  int64_t cost_units = 0;
  int64_t supporters = 0;  // voters who approved it (points ballots: gave it points)
  // Equal Shares only: the ρ it was bought at, and who paid; the payments
  // sum to the cost exactly. Groups are ordered by amount, largest first.
  Rational rho;
  std::vector<PaymentGroup> payments;
  std::vector<VoterPayment> voter_payments;  // when Options::voter_payments
};

enum class LossReason {
  money_ran_out,  // Equal Shares: its supporters had `had` of its cost
  did_not_fit,    // greedy: only `left_units` of the budget was left
  no_votes,       // greedy: nobody voted for it
};

struct Unfunded {
  int32_t project = 0;
  LossReason reason = LossReason::money_ran_out;
  // How many projects were funded when the method found this out.
  int32_t step = 0;
  Rational had;            // money_ran_out
  int64_t left_units = 0;  // did_not_fit
};

struct Result {
  Options options;
  int64_t budget_units = 0;
  int64_t voters = 0;
  std::vector<Funded> funded;      // in the order the method chose them
  std::vector<Unfunded> unfunded;  // by project index
  int64_t total_cost_units = 0;    // <= budget_units
  // Equal Shares: each voter's starting money in the run whose outcome was
  // kept (B/n without completion; ⌊B/n⌋ + k after k Add1 steps).
  Rational voter_money;
  int64_t completion_steps = 0;    // Add1 reruns tried
  bool completion_capped = false;  // stopped by max_completion_steps
};

// Runs options.method. Error(invalid_value, "utility") when the utility does
// not fit the ballots; check_election()'s errors for a malformed Election.
//
// Equal Shares, as DOMAIN.md §5 states it: every voter starts with B/n. Each
// round, a project whose supporters have less money left than its cost is
// dropped for good; for the others the smallest ρ with
// Σ_{i ∈ S(p)} min(b_i, ρ·u_i(p)) = c(p) is found (supporters who cannot pay
// their share pay all they have, the rest share what remains in proportion
// to their utility). The project with the smallest ρ is bought — ties: lower
// cost, then more supporters, then the lower project id (numeric ids compare
// as numbers) — and each supporter pays min(b_i, ρ·u_i(p)). The method stops
// when no project is affordable.
// Add1 completion, as in the authors' reference code (equalshares.net): while
// some unfunded project still fits in what is left of the real budget B,
// rerun with each voter's money at ⌊B/n⌋ + k for k = 1, 2, ...; keep a run's
// outcome if its cost stays within B, and stop at the first run that does not
// (or when every project with a supporter is funded, or after
// max_completion_steps reruns).
// Greedy: projects by votes (approvals, or the sum of points) descending,
// then cost ascending, then id; each is funded if its cost fits in what is
// left, skipped otherwise (later, cheaper projects may still fit); projects
// with no votes are not funded.
Result select_projects(const Election& e, const Options& options);

// "supporters' money ran out: they had 1234.56 of the cost 20000" and the
// like (amounts shown rounded down to cents; the exact ones are in the Result).
std::string reason_text(const Unfunded& u, const Election& e);

// The result as JSON: {method, utility, completion, budget, voters,
// selected: [{id, name, cost, supporters, rho, payments: [{amount, voters}],
// voter_payments}], total_cost, left, voter_money, completion_steps,
// unselected: [{id, name, cost, reason, step, had | left}]}. Exact rationals
// are strings "p/q" (or "p"); "*_display" fields round down to 2 decimals.
Json to_json(const Result& r, const Election& e);

std::string_view method_name(Method m);  // "equal-shares", "greedy"
std::string_view utility_name(Utility u);
std::string_view completion_name(Completion c);
std::string fraction_text(const Rational& x);                 // "7/3", "5"
std::string decimal_text(const Rational& x, int digits = 2);  // rounded toward zero: "2.33"

}  // namespace agora::budget
