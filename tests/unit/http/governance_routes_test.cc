// What the governance routes hand to the audit journal, which golden files
// cannot see: a cast ballot's journal payload names the proposal, the voter
// and who cast it, and never the ballot (secret ballots must not be tied to
// a voter anywhere). The handlers run straight from the Router on an
// io_context against an App that records each command instead of running it.

#include <utility>  // boost 1.74 awaitable.hpp uses std::exchange without it

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/error.h"
#include "http/router.h"
#include "support/test_db.h"

namespace agora::http {
namespace {

// Records commands and answers each with {"ok": true} without running it.
class RecordingApp final : public app::App {
 public:
  explicit RecordingApp(store::Database& db) : db_(db) {}
  store::Database& db() override { return db_; }
  const Clock& clock() override { return clock_; }
  app::Random& random() override { return *random_; }
  void write_async(const app::Actor& actor, std::string_view name, const Json& payload,
                   app::WriteFn, app::Done done) override {
    names.emplace_back(name);
    payloads.push_back(payload);
    actors.push_back(actor);
    done(nullptr, Json{{"ok", true}});
  }
  app::BatchStats batch_stats() const override { return {}; }
  void stop() override {}

  std::vector<std::string> names;
  std::vector<Json> payloads;
  std::vector<app::Actor> actors;

 private:
  store::Database& db_;
  ManualClock clock_{Timestamp{}};
  std::unique_ptr<app::Random> random_ = app::system_random();
};

class GovernanceRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { add_governance_routes(router_, app_); }

  Response call(const std::string& method, const std::string& path, const std::string& body,
                const app::Actor& actor) {
    Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    req.headers["content-type"] = "application/json";
    req.actor = actor;
    bool exists = false;
    const Route* route = router_.match(req, &exists);
    EXPECT_NE(route, nullptr) << method << " " << path;
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, route->handler(req), boost::asio::use_future);
    io.run();
    return fut.get();
  }

  std::unique_ptr<store::Database> db_ = test_db::fresh_database("sqlite");
  RecordingApp app_{*db_};
  Router router_;
  const app::Actor ana_{.account_id = 7, .person_id = 21, .address = "127.0.0.1"};
};

TEST_F(GovernanceRoutesTest, ACastBallotIsJournaledWithoutItsContent) {
  Response r =
      call("POST", "/api/v1/proposals/5/ballots", R"({"ballot":{"ranking":[2,0,1]}})", ana_);
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(app_.payloads.size(), 1u);
  EXPECT_EQ(app_.names[0], "cast_ballot");
  EXPECT_EQ(app_.payloads[0], (Json{{"proposal_id", 5}, {"voter", 21}, {"cast_by", 21}}));
}

TEST_F(GovernanceRoutesTest, AProxyVoteIsJournaledForTheGrantorCastByTheHolder) {
  Response r = call("POST", "/api/v1/proposals/5/ballots",
                    R"({"ballot":{"choice":1},"on_behalf_of":33})", ana_);
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(app_.payloads.size(), 1u);
  EXPECT_EQ(app_.payloads[0], (Json{{"proposal_id", 5}, {"voter", 33}, {"cast_by", 21}}));
  EXPECT_EQ(app_.payloads[0].dump().find("choice"), std::string::npos);
}

TEST_F(GovernanceRoutesTest, ABadCastBodyIsRefusedBeforeAnythingIsQueued) {
  auto code_of = [&](const std::string& body) {
    try {
      call("POST", "/api/v1/proposals/5/ballots", body, ana_);
    } catch (const Error& e) {
      return e.code();
    }
    return Code::internal;
  };
  EXPECT_EQ(code_of(R"({"ballot":{"choice":0},"weight":3})"), Code::unknown_field);
  EXPECT_EQ(code_of(R"({"on_behalf_of":33})"), Code::missing_field);
  EXPECT_EQ(code_of(R"({"ballot":[0]})"), Code::wrong_type);
  EXPECT_EQ(code_of(R"({"ballot":{"choice":0},"on_behalf_of":0})"), Code::out_of_range);
  EXPECT_TRUE(app_.payloads.empty());
}

TEST_F(GovernanceRoutesTest, AConstitutionIsAcceptedAsRawTomlOrJson) {
  Request req;
  req.method = "PUT";
  req.path = "/api/v1/orgs/3/constitution";
  req.body = "name = \"x\"\n";
  req.headers["content-type"] = "application/toml; charset=utf-8";
  req.actor = ana_;
  bool exists = false;
  const Route* route = router_.match(req, &exists);
  ASSERT_NE(route, nullptr);
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, route->handler(req), boost::asio::use_future);
  io.run();
  EXPECT_EQ(fut.get().status, 201);
  Response r = call("PUT", "/api/v1/orgs/3/constitution", R"({"toml":"name = \"x\"\n"})", ana_);
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(app_.payloads.size(), 2u);
  EXPECT_EQ(app_.payloads[0], app_.payloads[1]) << "both forms journal the same text";
  EXPECT_EQ(app_.payloads[0], (Json{{"org_id", 3}, {"toml", "name = \"x\"\n"}}));
}

}  // namespace
}  // namespace agora::http
