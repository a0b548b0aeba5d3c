// The pure account rules (ledger/account.h): bounds from limits and flags,
// posted and pending legs, settling holds, and overflow refused.

#include "ledger/account.h"

#include <gtest/gtest.h>

#include <climits>
#include <functional>
#include <optional>

#include "core/error.h"
#include "support/error_test.h"

namespace agora::ledger {
namespace {

using test_support::code_of;

// An account state with the given limits, flags and totals (the rest zero).
AccountState make(std::optional<int64_t> lower, std::optional<int64_t> upper, bool no_overdraft,
                  bool no_credit, int64_t dp = 0, int64_t cp = 0) {
  AccountState a;
  a.lower_limit = lower;
  a.upper_limit = upper;
  a.debits_must_not_exceed_credits = no_overdraft;
  a.credits_must_not_exceed_debits = no_credit;
  a.debits_posted = dp;
  a.credits_posted = cp;
  return a;
}

TEST(AccountRules, FlagsActAsZeroBoundsAndTightenLimits) {
  AccountState a = make(-50, std::nullopt, true, false);
  EXPECT_EQ(lower_bound(a), 0);
  a.lower_limit = 20;
  EXPECT_EQ(lower_bound(a), 20);
  AccountState b = make(std::nullopt, 30, false, true);
  EXPECT_EQ(upper_bound(b), 0);
  EXPECT_FALSE(lower_bound(AccountState{}).has_value());
}

TEST(AccountRules, DebitsStopAtTheLowerBoundCountingPending) {
  AccountState a = make(std::nullopt, std::nullopt, true, false, 0, 100);
  debit(a, 60, Leg::pending, "the account");
  EXPECT_EQ(available(a), 40);
  EXPECT_EQ(balance(a), 100);
  AccountState before = a;
  EXPECT_EQ(code_of([&] { debit(a, 41, Leg::posted, "the account"); }), Code::rule_violation);
  EXPECT_EQ(a.debits_posted, before.debits_posted);
  debit(a, 40, Leg::posted, "the account");
  EXPECT_EQ(available(a), 0);
  EXPECT_EQ(code_of([&] { debit(a, 0, Leg::posted, "x"); }), Code::out_of_range);
}

TEST(AccountRules, CreditsStopAtTheUpperBoundCountingPending) {
  AccountState a = make(std::nullopt, 100, false, false);
  credit(a, 70, Leg::pending, "the account");
  EXPECT_EQ(code_of([&] { credit(a, 31, Leg::posted, "the account"); }), Code::rule_violation);
  credit(a, 30, Leg::posted, "the account");
  EXPECT_EQ(a.credits_posted, 30);
  EXPECT_EQ(a.credits_pending, 70);
}

TEST(AccountRules, OverflowIsRefusedAndLeavesTheStateUnchanged) {
  AccountState a = make(std::nullopt, std::nullopt, false, false, 0, INT64_MAX - 1);
  EXPECT_EQ(code_of([&] { credit(a, 2, Leg::posted, "x"); }), Code::out_of_range);
  EXPECT_EQ(a.credits_posted, INT64_MAX - 1);
  AccountState d = make(std::nullopt, std::nullopt, false, false, INT64_MAX, 0);
  debit(d, 1, Leg::pending, "x");  // exactly INT64_MIN after: still representable
  EXPECT_EQ(code_of([&] { debit(d, 1, Leg::pending, "x"); }), Code::out_of_range);
  EXPECT_EQ(d.debits_pending, 1);
}

TEST(AccountRules, SettlingMovesPendingIntoPostedOrReleasesIt) {
  AccountState d = make(std::nullopt, std::nullopt, false, false, 0, 100);
  AccountState c{};
  debit(d, 80, Leg::pending, "d");
  credit(c, 80, Leg::pending, "c");
  settle_debit(d, 80, 30, "d");
  settle_credit(c, 80, 30, "c");
  EXPECT_EQ(d.debits_pending, 0);
  EXPECT_EQ(d.debits_posted, 30);
  EXPECT_EQ(c.credits_pending, 0);
  EXPECT_EQ(balance(c), 30);
  EXPECT_EQ(code_of([&] { settle_debit(d, 10, 0, "d"); }), Code::internal);  // nothing held
  debit(d, 10, Leg::pending, "d");
  EXPECT_EQ(code_of([&] { settle_debit(d, 10, 11, "d"); }), Code::out_of_range);
  settle_debit(d, 10, 0, "d");
  EXPECT_EQ(available(d), 70);
}

}  // namespace
}  // namespace agora::ledger
