#include "members/shares.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.h"
#include "support/error_test.h"

namespace agora::members {
namespace {

using test_support::code_of;

const MemberClass kShareUser{.share_price_minor = 2500, .min_shares = 2};

TEST(Subscribe, AmountIsSharesTimesPrice) {
  auto s = subscribe(kShareUser, 4);
  EXPECT_EQ(s.amount_minor, 10000);
  EXPECT_EQ(s.paid_minor, 0);
  EXPECT_EQ(s.price_minor, 2500);
  EXPECT_EQ(s.state, SubState::waiting);
}

TEST(Subscribe, RefusesOverflowAndBadCounts) {
  MemberClass huge{.share_price_minor = std::numeric_limits<int64_t>::max() / 2, .min_shares = 1};
  EXPECT_EQ(code_of([&] { subscribe(huge, 3); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { subscribe(kShareUser, 0); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { subscribe(kShareUser, -1); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { subscribe(kShareUser, kMaxShares + 1); }), Code::out_of_range);
}

TEST(Pay, InstalmentsUntilPaid) {
  auto s = subscribe(kShareUser, 2);  // 5000
  EXPECT_FALSE(pay(s, 2000));
  EXPECT_EQ(s.paid_minor, 2000);
  EXPECT_EQ(s.state, SubState::waiting);
  EXPECT_TRUE(pay(s, 3000));
  EXPECT_EQ(s.state, SubState::paid);
  EXPECT_EQ(s.paid_minor, s.amount_minor);
}

TEST(Pay, NeverMoreThanDueNorNothing) {
  auto s = subscribe(kShareUser, 2);
  EXPECT_EQ(code_of([&] { pay(s, 5001); }), Code::out_of_range);
  EXPECT_EQ(code_of([&] { pay(s, 0); }), Code::out_of_range);
  EXPECT_EQ(code_of([&] { pay(s, -5); }), Code::out_of_range);
  EXPECT_EQ(s.paid_minor, 0);  // refused payments change nothing
  pay(s, 4000);
  EXPECT_EQ(code_of([&] { pay(s, 1001); }), Code::out_of_range);
}

TEST(Pay, OnlyWhileWaiting) {
  auto s = subscribe(kShareUser, 2);
  pay(s, 5000);
  EXPECT_EQ(code_of([&] { pay(s, 1); }), Code::invalid_state);
  auto c = subscribe(kShareUser, 2);
  cancel(c);
  EXPECT_EQ(code_of([&] { pay(c, 1); }), Code::invalid_state);
}

TEST(Cancel, OnlyWaitingAndKeepsInstalments) {
  auto s = subscribe(kShareUser, 2);
  pay(s, 100);
  cancel(s);
  EXPECT_EQ(s.state, SubState::cancelled);
  EXPECT_EQ(s.paid_minor, 100);
  EXPECT_EQ(code_of([&] { cancel(s); }), Code::invalid_state);
  auto p = subscribe(kShareUser, 2);
  pay(p, 5000);
  EXPECT_EQ(code_of([&] { cancel(p); }), Code::invalid_state);
}

TEST(Register, FirstPaidSubscriptionSubscribesLaterOnesIncrease) {
  EXPECT_EQ(kind_for_paid(0), EntryKind::subscribe);
  EXPECT_EQ(kind_for_paid(3), EntryKind::increase);
}

TEST(Reduce, KeepsTheMinimumOrEverything) {
  auto r = reduce(kShareUser, 5, 3);
  EXPECT_EQ(r.remaining, 2);
  EXPECT_EQ(r.amount_minor, 7500);
  EXPECT_FALSE(r.becomes_former);
  // 5 - 4 = 1 < minimum 2: refused.
  EXPECT_EQ(code_of([] { reduce(kShareUser, 5, 4); }), Code::rule_violation);
}

TEST(Reduce, ZeroSharesMakesAFormerMember) {
  auto r = reduce(kShareUser, 5, 5);
  EXPECT_EQ(r.remaining, 0);
  EXPECT_TRUE(r.becomes_former);
}

TEST(Reduce, CannotTakeMoreThanHeld) {
  EXPECT_EQ(code_of([] { reduce(kShareUser, 2, 3); }), Code::rule_violation);
  EXPECT_EQ(code_of([] { reduce(kShareUser, 2, 0); }), Code::out_of_range);
}

TEST(Receive, BoundedHolding) {
  EXPECT_EQ(receive(3, 2), 5);
  EXPECT_EQ(code_of([] { receive(kMaxShares, 1); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { receive(1, 0); }), Code::out_of_range);
}

TEST(Names, EntryKindsAndStates) {
  EXPECT_EQ(entry_kind_name(EntryKind::transfer_out), "transfer_out");
  EXPECT_EQ(entry_kind_name(EntryKind::sell_back), "sell_back");
  for (auto st : {SubState::waiting, SubState::paid, SubState::cancelled}) {
    EXPECT_EQ(parse_sub_state(sub_state_name(st)), st);
  }
}

}  // namespace
}  // namespace agora::members
