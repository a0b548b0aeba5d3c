// `agora import members`: every bad row reported with its line, nothing
// written unless all rows are good, then one journaled command; on every
// engine under test.

#include "app/import_members.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/registry.h"
#include "core/error.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(AGORA_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ImportMembers : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    app_->write(admin_, "setup", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
      OrgInput fed;
      fed.kind = "federation";
      fed.name = "Federación de Prueba";
      fed.slug = "prueba";
      const int64_t fed_id = create_org(tx, ctx, fed).at("id").get<int64_t>();
      OrgInput coop;
      coop.parent_id = fed_id;
      coop.kind = "consumer";
      coop.name = "A Cesta";
      coop.slug = "a-cesta";
      org_ = create_org(tx, ctx, coop).at("id").get<int64_t>();
      create_class(tx, ctx, org_, ClassInput{"consumer", "Persoa consumidora", 1000, 5});
      create_class(tx, ctx, org_, ClassInput{"supporter", "Persoa colaboradora", 1000, 10});
      return Json::object();
    });
  }

  int64_t count(const std::string& sql) {
    int64_t n = 0;
    app_->read(admin_, [&](store::Tx& tx, const Ctx&) {
      n = tx.query(sql).one().i64(0);
      return Json();
    });
    return n;
  }

  ManualClock clock_{parse_iso8601("2026-11-24T10:00:00Z")};
  Actor admin_ = Actor::system();
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  int64_t org_ = 0;
};

TEST_P(ImportMembers, GoodFileImportsEveryRowInOneCommand) {
  const int64_t commands_before = app_->batch_stats().commands;
  const ImportReport r = import_members(*app_, admin_, org_, read_fixture("members_good.csv"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].line << ": " << r.errors[0].reason;
  EXPECT_EQ(app_->batch_stats().commands - commands_before, 1);
  EXPECT_EQ(r.rows, 4);
  EXPECT_EQ(r.imported, 4);
  EXPECT_EQ(r.new_persons, 4);
  EXPECT_EQ(r.shares, 5 + 10 + 12 + 5);
  EXPECT_EQ(r.capital_minor, 32 * 1000);
  EXPECT_EQ(r.paid_minor, 32 * 1000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE status = 'active' AND org_id = " +
                  std::to_string(org_)),
            4);
  EXPECT_EQ(count("SELECT COALESCE(SUM(shares), 0) FROM memberships"), 32);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons WHERE given_name = 'Ana \"Anita\"' AND "
                  "family_name = 'Núñez Souto' AND email = 'ana.nunez@import.example'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE admitted_at = " +
                  std::to_string(parse_iso8601("2024-03-01T00:00:00Z").us)),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_register WHERE kind = 'subscribe'"), 4);

  // Importing the same file again: every row is now already a member.
  const ImportReport again = import_members(*app_, admin_, org_, read_fixture("members_good.csv"));
  ASSERT_EQ(again.errors.size(), 4u);
  EXPECT_EQ(again.errors[0].line, 2);
  EXPECT_NE(again.errors[0].reason.find("already a member"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships"), 4);
}

TEST_P(ImportMembers, BadFileReportsEveryBadRowAndImportsNothing) {
  const int64_t commands_before = app_->batch_stats().commands;
  const ImportReport r = import_members(*app_, admin_, org_, read_fixture("members_bad.csv"));
  std::vector<int64_t> lines;
  for (const auto& e : r.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{3, 4, 5, 6, 7, 8, 9}));
  ASSERT_EQ(r.errors.size(), 7u);
  EXPECT_NE(r.errors[0].reason.find("missing given_name"), std::string::npos);
  EXPECT_NE(r.errors[1].reason.find("bad email"), std::string::npos);
  EXPECT_NE(r.errors[2].reason.find("unknown class 'platinum'"), std::string::npos);
  EXPECT_NE(r.errors[3].reason.find("also on line 2"), std::string::npos);
  EXPECT_NE(r.errors[4].reason.find("below the minimum of 5"), std::string::npos);
  EXPECT_NE(r.errors[5].reason.find("after the closing quote"), std::string::npos);
  EXPECT_NE(r.errors[6].reason.find("has 4 fields"), std::string::npos);
  EXPECT_EQ(r.imported, 0);
  EXPECT_EQ(app_->batch_stats().commands, commands_before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships"), 0);
}

TEST_P(ImportMembers, HeaderProblemsStopBeforeTheRows) {
  const ImportReport r = import_members(
      *app_, admin_, org_, "given_name,surname,email,class\nAna,Silva,ana@x.example,consumer\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_NE(r.errors[0].reason.find("unknown column 'surname'"), std::string::npos);
  EXPECT_NE(r.errors[1].reason.find("missing column 'family_name'"), std::string::npos);

  const ImportReport empty = import_members(*app_, admin_, org_, "");
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].line, 0);
}

TEST_P(ImportMembers, KnownPersonIsReusedAndPartPaymentLeavesSharesWaiting) {
  app_->write(admin_, "person", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
    PersonInput p;
    p.given_name = "Sabela";
    p.family_name = "Rey Pazos";
    p.email = "sabela.rey@correo.example";
    create_person(tx, ctx, p);
    return Json::object();
  });
  const ImportReport r = import_members(
      *app_, admin_, org_,
      "given_name,family_name,email,class,shares,paid_minor,locale\n"
      "Sabela,Rey Pazos,SABELA.REY@correo.example,consumer,6,2000,es\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].reason;
  EXPECT_EQ(r.existing_persons, 1);
  EXPECT_EQ(r.new_persons, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 1);
  EXPECT_EQ(count("SELECT shares FROM memberships"), 0);
  EXPECT_EQ(count("SELECT paid_minor FROM share_subscriptions WHERE state = 'waiting'"), 2000);
}

TEST_P(ImportMembers, UnknownOrgIsNotFound) {
  try {
    import_members(*app_, admin_, 9999, read_fixture("members_good.csv"));
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::not_found);
  }
}

TEST_P(ImportMembers, AnonymousActorMayNotImport) {
  Actor nobody;
  try {
    import_members(*app_, nobody, org_, read_fixture("members_good.csv"));
    FAIL() << "expected unauthenticated";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::unauthenticated);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, ImportMembers, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
