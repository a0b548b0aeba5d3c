#include "members/membership.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/error_test.h"

namespace agora::members {
namespace {

using test_support::code_of;

const MemberClass kUser{.share_price_minor = 1000, .min_shares = 2};

TEST(Apply, CoordinatorRuleLeavesTheApplicationWaiting) {
  auto ev = apply(Admission::coordinator, kUser, 2);
  EXPECT_EQ(ev.kind, Transition::apply);
  EXPECT_FALSE(ev.from.has_value());
  EXPECT_EQ(ev.to, Status::applied);
}

TEST(Apply, AutomaticRuleAdmitsAtOnce) {
  EXPECT_EQ(apply(Admission::automatic, kUser, 3).to, Status::active);
}

TEST(Apply, EnforcesTheClassMinimumAndTheBound) {
  EXPECT_EQ(code_of([] { apply(Admission::coordinator, kUser, 1); }), Code::rule_violation);
  EXPECT_EQ(code_of([] { apply(Admission::coordinator, kUser, kMaxShares + 1); }), Code::out_of_range);
}

TEST(Lifecycle, AllowedTransitions) {
  EXPECT_EQ(transition(Status::applied, Transition::admit).to, Status::active);
  EXPECT_EQ(transition(Status::applied, Transition::reject).to, Status::rejected);
  EXPECT_EQ(transition(Status::active, Transition::leave).to, Status::left);
  EXPECT_EQ(transition(Status::active, Transition::expel).to, Status::expelled);
  EXPECT_EQ(transition(Status::active, Transition::lose_shares).to, Status::left);
  auto ev = transition(Status::applied, Transition::admit);
  EXPECT_EQ(ev.from, Status::applied);
  EXPECT_EQ(ev.kind, Transition::admit);
}

TEST(Lifecycle, EveryOtherTransitionIsRefused) {
  const Status all[] = {Status::applied, Status::active, Status::left, Status::expelled,
                        Status::rejected};
  const Transition moves[] = {Transition::apply, Transition::admit, Transition::reject,
                              Transition::leave, Transition::expel, Transition::lose_shares};
  int allowed = 0;
  for (auto from : all) {
    for (auto t : moves) {
      try {
        transition(from, t);
        ++allowed;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::invalid_state);
      }
    }
  }
  EXPECT_EQ(allowed, 5);  // exactly the five of AllowedTransitions
}

TEST(Lifecycle, OpenStatesMakeDuplicates) {
  EXPECT_TRUE(is_open(Status::applied));
  EXPECT_TRUE(is_open(Status::active));
  EXPECT_FALSE(is_open(Status::left));
  EXPECT_FALSE(is_open(Status::expelled));
  EXPECT_FALSE(is_open(Status::rejected));
}

TEST(Lifecycle, StatusNamesRoundTrip) {
  for (auto n : kStatusNames) EXPECT_EQ(status_name(parse_status(n)), n);
  EXPECT_EQ(code_of([] { parse_status("pending"); }), Code::invalid_value);
}

TEST(MemberNumbers, SequentialAndNeverReused) {
  int64_t next = 1;
  EXPECT_EQ(take_member_number(next), 1);
  EXPECT_EQ(take_member_number(next), 2);
  EXPECT_EQ(take_member_number(next), 3);
  EXPECT_EQ(next, 4);
}

TEST(Classes, Bounds) {
  EXPECT_NO_THROW(check_class("user", kUser));
  EXPECT_EQ(code_of([] { check_class("User", kUser); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_class("", kUser); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_class("x", MemberClass{0, 1}); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { check_class("x", MemberClass{kMaxSharePriceMinor + 1, 1}); }),
            Code::out_of_range);
  EXPECT_EQ(code_of([] { check_class("x", MemberClass{100, 0}); }), Code::out_of_range);
}

}  // namespace
}  // namespace agora::members
