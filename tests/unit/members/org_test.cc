#include "members/org.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "support/error_test.h"

namespace agora::members {
namespace {

using test_support::code_of;

TEST(OrgKinds, RoundTripEveryKindAndRefuseUnknown) {
  for (auto name : kOrgKindNames) EXPECT_EQ(kind_name(parse_kind(name)), name);
  EXPECT_EQ(code_of([] { parse_kind("coop"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { parse_kind(""); }), Code::invalid_value);
}

TEST(OrgKinds, OnlyFederationsAndSecondaryCoopsHoldChildren) {
  EXPECT_NO_THROW(check_parent_kind(OrgKind::federation));
  EXPECT_NO_THROW(check_parent_kind(OrgKind::secondary));
  for (auto k : {OrgKind::consumer, OrgKind::worker, OrgKind::producer, OrgKind::multi_stakeholder,
                 OrgKind::informal}) {
    EXPECT_EQ(code_of([k] { check_parent_kind(k); }), Code::rule_violation) << kind_name(k);
  }
}

TEST(OrgNesting, RefusesACycle) {
  // Moving 1 under 3, whose ancestors are 2 then 1: 1 would sit below itself.
  std::vector<int64_t> chain{3, 2, 1};
  EXPECT_EQ(code_of([&] { check_no_cycle(1, chain); }), Code::rule_violation);
  // Moving 1 under itself.
  std::vector<int64_t> self{1};
  EXPECT_EQ(code_of([&] { check_no_cycle(1, self); }), Code::rule_violation);
  // Moving 4 under 3 is fine.
  EXPECT_NO_THROW(check_no_cycle(4, chain));
}

TEST(OrgNesting, AnyReasonableDepthButBounded) {
  std::vector<int64_t> deep;
  for (int i = 0; i < kMaxNestingDepth - 1; ++i) deep.push_back(100 + i);
  EXPECT_NO_THROW(check_no_cycle(1, deep));
  deep.push_back(99);
  EXPECT_EQ(code_of([&] { check_no_cycle(1, deep); }), Code::rule_violation);
}

TEST(OrgAdmission, ParsesBothRules) {
  EXPECT_EQ(parse_admission("automatic"), Admission::automatic);
  EXPECT_EQ(parse_admission("coordinator"), Admission::coordinator);
  EXPECT_EQ(code_of([] { parse_admission("vote"); }), Code::invalid_value);
}

TEST(OrgFields, SlugAndCurrency) {
  EXPECT_NO_THROW(check_slug("coop-alfama-2"));
  EXPECT_EQ(code_of([] { check_slug("Coop"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_slug("-x"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_slug("x"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_slug(std::string(65, 'a')); }), Code::invalid_value);
  EXPECT_NO_THROW(check_currency("EUR"));
  EXPECT_NO_THROW(check_currency("HOURS1"));
  EXPECT_EQ(code_of([] { check_currency("eur"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { check_currency("EU"); }), Code::invalid_value);
}

}  // namespace
}  // namespace agora::members
