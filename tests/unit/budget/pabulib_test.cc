// The Pabulib reader (budget/pabulib.h): what it accepts from real files
// (quoted fields, zero fractions, short rows, lower-case sections) and that
// every malformed file is refused naming its line.

#include "budget/pabulib.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace agora::budget {
namespace {

const std::string kGood =
    "META\n"
    "key;value\n"
    "description;\"A test; with a semicolon\"\n"
    "budget;1000.0\n"
    "vote_type;approval\n"
    "PROJECTS\n"
    "project_id;cost;name;votes\n"
    "1;600;\"The \"\"big\"\" one\";2\n"
    "2;300.00;Small;2\n"
    "VOTES\n"
    "voter_id;vote;age\n"
    "a;1,2;30\n"
    "b;2,1\n"
    "c;;41\n";

TEST(BudgetPabulib, ReadsAnApprovalFile) {
  const PabulibFile f = read_pabulib(kGood, "t.pb");
  const Election& e = f.election;
  EXPECT_EQ(e.budget_units, 1000);
  EXPECT_EQ(e.kind, BallotKind::approval);
  ASSERT_EQ(e.projects.size(), 2u);
  EXPECT_EQ(e.projects[0].name, "The \"big\" one");
  EXPECT_EQ(e.projects[1].cost_units, 300);
  ASSERT_EQ(e.voter_count(), 3);
  EXPECT_EQ(e.ballot(1).size(), 2u);
  EXPECT_EQ(e.ballot(1)[0], 1);
  EXPECT_TRUE(e.ballot(2).empty());
  EXPECT_EQ(f.voter_ids[2], "c");
  EXPECT_EQ(f.meta[0].second, "A test; with a semicolon");
}

TEST(BudgetPabulib, ReadsPointsAndDropsZeroPoints) {
  const std::string text =
      "meta\nkey;value\nbudget;10\nvote_type;cumulative\n"
      "projects\nproject_id;cost\nx;5\ny;5\n"
      "votes\nvoter_id;vote;points\n1;x,y;3,0\n2;y;2\n3;\n";
  const Election e = read_pabulib(text, "p.pb").election;
  EXPECT_EQ(e.kind, BallotKind::points);
  ASSERT_EQ(e.voter_count(), 3);
  ASSERT_EQ(e.ballot(0).size(), 1u);
  EXPECT_EQ(e.points[0], 3);
  EXPECT_EQ(e.points[1], 2);
}

struct Bad {
  const char* what;
  std::string text;
  int line;
};

TEST(BudgetPabulib, RefusesMalformedFilesNamingTheLine) {
  const std::string meta = "META\nkey;value\nbudget;100\nvote_type;approval\n";  // lines 1-4
  const std::string projects = "PROJECTS\nproject_id;cost\n1;50\n2;60\n";        // lines 5-8
  const std::string votes = "VOTES\nvoter_id;vote\n";                            // lines 9-10
  const Bad cases[] = {
      {"a fractional cost", meta + "PROJECTS\nproject_id;cost\n1;12.5\n", 7},
      {"a cost that is not a number", meta + "PROJECTS\nproject_id;cost\n1;12a\n", 7},
      {"a zero cost", meta + "PROJECTS\nproject_id;cost\n1;0\n", 7},
      {"a negative budget", "META\nkey;value\nbudget;-5\n", 3},
      {"a fractional budget", "META\nkey;value\nbudget;100.5\n", 3},
      {"an ordinal file", "META\nkey;value\nbudget;100\nvote_type;ordinal\n", 4},
      {"a scoring file", "META\nkey;value\nbudget;100\nvote_type;scoring\n", 4},
      {"no budget", "META\nkey;value\nvote_type;approval\nPROJECTS\n", 4},
      {"a duplicate project", meta + "PROJECTS\nproject_id;cost\n1;5\n1;6\n", 8},
      {"a vote for an unknown project", meta + projects + votes + "v1;1\nv2;3\n", 12},
      {"a vote naming a project twice", meta + projects + votes + "v1;1,2,1\n", 11},
      {"a voter twice", meta + projects + votes + "v1;1\nv1;2\n", 12},
      {"too many fields", meta + projects + votes + "v1;1;extra\n", 11},
      {"an unclosed quote", meta + "PROJECTS\nproject_id;cost;name\n1;5;\"open\n", 7},
      {"no project_id column", meta + "PROJECTS\nid;cost\n", 6},
      {"votes before projects", meta + "VOTES\n", 5},
      {"no votes section", meta + projects, 8},
      {"text before META", "hello\n", 1},
      {"points count differs",
       "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n"
       "1;5\nVOTES\nvoter_id;vote;points\nv;1;2,3\n",
       10},
      {"a huge cost", meta + "PROJECTS\nproject_id;cost\n1;99999999999999999999\n", 7},
  };
  for (const Bad& c : cases) {
    try {
      read_pabulib(c.text, "bad.pb");
      ADD_FAILURE() << c.what << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::bad_file) << c.what;
      const std::string want = "bad.pb:" + std::to_string(c.line) + ": ";
      EXPECT_EQ(std::string(e.what()).rfind(want, 0), 0u) << c.what << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace agora::budget
