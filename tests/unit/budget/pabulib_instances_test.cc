// Real Pabulib instances (tests/data/pabulib/, sources in its README) against
// the outcomes of an independent reference written with Python's exact
// fractions (tests/data/pabulib/reference_mes.py), stored as
// NAME.expected.json next to each file: every method, utility and completion.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "budget/equal_shares.h"
#include "budget/pabulib.h"

namespace agora::budget {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(AGORA_SOURCE_DIR) / "tests" / "data" / "pabulib";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class BudgetPabulibInstances : public ::testing::TestWithParam<std::string> {};

TEST_P(BudgetPabulibInstances, MatchTheReference) {
  const std::string name = GetParam();
  const PabulibFile f = read_pabulib(read_text(kData / (name + ".pb")), name + ".pb");
  const Json expected = parse_json(read_text(kData / (name + ".expected.json")));
  EXPECT_EQ(expected["budget"], f.election.budget_units);
  EXPECT_EQ(expected["voters"], f.election.voter_count());
  ASSERT_FALSE(expected["cases"].empty());
  for (const Json& c : expected["cases"]) {
    Options o;
    if (c["method"] == "greedy") {
      o.method = Method::greedy;
    } else {
      o.utility = c["utility"] == "cost"       ? Utility::cost
                  : c["utility"] == "approval" ? Utility::approval
                                               : Utility::points;
      o.completion = c["completion"] == "add1" ? Completion::add1 : Completion::none;
    }
    const std::string label = c.dump();
    const Result r = select_projects(f.election, o);
    std::vector<std::string> got;
    for (const Funded& x : r.funded) got.push_back(f.election.projects[x.project].id);
    EXPECT_EQ(got, c["selected"].get<std::vector<std::string>>()) << name << " " << label;
    EXPECT_EQ(r.total_cost_units, c["total_cost"].get<int64_t>()) << name << " " << label;
    if (o.method == Method::equal_shares) {
      EXPECT_EQ(fraction_text(r.voter_money), c["voter_money"].get<std::string>()) << name;
      // Payments sum to each cost exactly (also asserted inside the method).
      for (const Funded& x : r.funded) {
        Rational sum = 0;
        for (const PaymentGroup& g : x.payments) sum += g.amount * g.voters;
        EXPECT_EQ(sum, Rational(x.cost_units));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Budget, BudgetPabulibInstances,
                         ::testing::Values("warszawa_2017_wesola", "amsterdam_166",
                                           "toulouse_2019_excerpt"));

}  // namespace
}  // namespace agora::budget
