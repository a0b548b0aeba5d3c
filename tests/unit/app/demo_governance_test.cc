// The demo's governance: every org has its constitution from the examples,
// and the demo member's co-op has votes in every state that the member can
// take part in (checked on Demo's one load per engine, demo_test.cc).

#include "app/demo_governance.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/demo.h"
#include "app/governance.h"
#include "app/repo/auth_repo.h"
#include "core/error.h"
#include "governance/constitution.h"
#include "support/demo_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

namespace fs = std::filesystem;

TEST(DemoGovernanceExamples, EmbeddedTextsAreTheFilesOnDisk) {
  const fs::path dir = fs::path(AGORA_SOURCE_DIR) / "examples" / "constitutions";
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(demo::example_constitution(entry.path().stem().string()), text.str()) << entry.path();
  }
  EXPECT_EQ(demo::example_constitutions().size(), files);
  EXPECT_THROW(demo::example_constitution("nothing"), Error);
}

}  // namespace
}  // namespace agora::app

namespace agora::test_demo {

using namespace ::agora::app;  // NOLINT(google-build-using-namespace): the checks read as app code

// Every org founded under its constitution, votes in every state; the demo
// member casts a ballot in each running vote.
void expect_governance(Loaded& l) {
  auto& db = l.db;
  auto& app = l.app;

  int64_t orgs = 0, constitutions = 0, coop = 0, member = 0, member_account = 0;
  db->read([&](store::Tx& tx) {
    orgs = tx.query("SELECT COUNT(*) FROM orgs").one().i64(0);
    constitutions = tx.query("SELECT COUNT(DISTINCT org_id) FROM constitutions").one().i64(0);
    coop = tx.query("SELECT id FROM orgs WHERE slug = 'a-cesta-santiago'").one().i64(0);
    auto account = repo::find_account_by_email(tx, kDemoMemberEmail);
    ASSERT_TRUE(account.has_value());
    member = account->person_id;
    member_account = account->id;
  });
  EXPECT_EQ(constitutions, orgs);

  const Actor anyone{};
  const Json c = app->read(
      anyone, [&](store::Tx& tx, const Ctx& ctx) { return get_constitution(tx, ctx, coop); });
  const governance::Constitution parsed =
      governance::parse_constitution(c.at("toml").get<std::string>());
  EXPECT_EQ(parsed.name, "Cooperativa de Consumo A Cesta: rules of governance");
  EXPECT_NE(parsed.domain("board.election"), nullptr);

  const Json list = app->read(anyone, [&](store::Tx& tx, const Ctx& ctx) {
    return list_proposals(tx, ctx, coop, "", "", PageReq{.limit = 50, .after = 0});
  });
  // The leases' and the budgeting round's decisions (demo_workplaces.h)
  // are passed votes too; the rest are this loader's.
  std::map<std::string, std::vector<Json>> by_status;
  int64_t workplaces_passed = 0;
  for (const Json& p : list.at("items")) {
    const std::string domain = p.at("domain").get<std::string>();
    if (domain == "workplace.lease" || domain == "fund.budget") {
      if (p.at("status") == "passed") ++workplaces_passed;
      continue;
    }
    by_status[p.at("status").get<std::string>()].push_back(p);
  }
  EXPECT_EQ(workplaces_passed, 3);
  ASSERT_EQ(by_status["voting"].size(), 2u);
  ASSERT_EQ(by_status["open"].size(), 1u);
  ASSERT_EQ(by_status["passed"].size(), 2u);
  EXPECT_EQ(by_status["open"][0].at("method"), "approval");

  // The counted votes show their counts.
  for (const Json& p : by_status["passed"]) {
    const int64_t id = p.at("id").get<int64_t>();
    const Json r =
        app->read(anyone, [&](store::Tx& tx, const Ctx& ctx) { return get_results(tx, ctx, id); });
    EXPECT_TRUE(r.at("final").get<bool>());
    EXPECT_GT(r.at("tally").at("ballots").get<int64_t>(), 10);
    EXPECT_FALSE(r.at("tally").at("counts").empty());
  }

  // The demo member has not voted on what runs now, and can.
  const Actor me{
      .account_id = member_account, .person_id = member, .admin = false, .address = "test"};
  for (const Json& p : by_status["voting"]) {
    const int64_t id = p.at("id").get<int64_t>();
    const Json mine =
        app->read(me, [&](store::Tx& tx, const Ctx& ctx) { return my_vote(tx, ctx, id); });
    EXPECT_TRUE(mine.at("on_roll").get<bool>());
    EXPECT_FALSE(mine.at("voted").get<bool>());
    const Json ballot =
        p.at("kind") == "election" ? Json{{"ranking", {1, 0}}} : Json{{"choice", 0}};
    const Json cast =
        app->write(me, "cast_ballot", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
          return cast_ballot(tx, ctx, id, CastInput{.ballot = ballot});
        });
    EXPECT_TRUE(cast.at("secret").get<bool>());
    EXPECT_TRUE(cast.contains("receipt"));
  }
}

}  // namespace agora::test_demo
