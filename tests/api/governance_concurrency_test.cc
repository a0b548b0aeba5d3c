// Casting is exactly-once under concurrency: many simultaneous POSTs of the
// same voter's ballot, and of a proxy holder for that voter racing the voter
// themself, give exactly one 201 and 409 duplicate for the rest, and exactly
// one ballot is stored. On both engines, against a live server.

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api/client.h"
#include "api/test_server.h"
#include "app/auth.h"
#include "core/json.h"
#include "support/test_db.h"

namespace agora::test_api {
namespace {

constexpr int kRacers = 16;

const char* kRaceConstitution = R"(name = "Race test"

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"
proxies = true
max_proxies_per_holder = 2

[[domain]]
key = "*"
bodies = ["general_meeting"]
method = "majority"
notice_days = 0
voting_days = 7
)";

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers auth(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

// One request that must answer `status`; returns the JSON body.
Json call(HttpClient& c, const std::string& method, const std::string& target,
          const std::string& token, const Json& body, int status) {
  Headers h = token.empty() ? Headers{{"Content-Type", "application/json"}} : auth(token);
  std::string text = body.is_null() ? std::string() : body.dump();
  HttpResponse r = c.request(method, target, h, text);
  EXPECT_EQ(r.status, status) << method << " " << target << " -> " << r.body;
  if (r.status != status) throw std::runtime_error(method + " " + target + " failed");
  return r.body.empty() ? Json() : Json::parse(r.body);
}

struct Member {
  std::string token;
  int64_t person_id = 0;
};

class GovernanceConcurrency : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    app::bootstrap_admin(server_->app(), "admin@test.agora", "admin-password-1");
    HttpClient c(server_->port());
    admin_ = call(c, "POST", "/api/v1/auth/login", "",
                  Json{{"email", "admin@test.agora"}, {"password", "admin-password-1"}}, 200)
                 .at("token")
                 .get<std::string>();
    int64_t federation =
        call(c, "POST", "/api/v1/orgs", admin_,
             Json{{"kind", "federation"}, {"name", "Race Federation"}, {"slug", "race-fed"}}, 201)
            .at("id")
            .get<int64_t>();
    org_ = call(c, "POST", "/api/v1/orgs", admin_,
                Json{{"parent_id", federation},
                     {"kind", "consumer"},
                     {"name", "Race Co-op"},
                     {"slug", "race"}},
                201)
               .at("id")
               .get<int64_t>();
    call(c, "POST", "/api/v1/orgs/" + std::to_string(org_) + "/classes", admin_,
         Json{{"code", "user"}, {"name", "User"}, {"share_price_minor", 100}}, 201);
    ana_ = member(c, "ana");
    bruno_ = member(c, "bruno");
    call(c, "PUT", "/api/v1/orgs/" + std::to_string(org_) + "/constitution", admin_,
         Json{{"toml", kRaceConstitution}}, 201);
    // Bruno gives Ana his proxy before the roll is fixed.
    call(c, "POST", "/api/v1/orgs/" + std::to_string(org_) + "/proxies", bruno_.token,
         Json{{"body_key", "general_meeting"}, {"holder_person_id", ana_.person_id}}, 201);
    proposal_ =
        call(c, "POST", "/api/v1/proposals", admin_,
             Json{{"org_id", org_}, {"domain", "budget.approval"}, {"title", "Budget"}}, 201)
            .at("id")
            .get<int64_t>();
    Json opened = call(c, "POST", "/api/v1/proposals/" + std::to_string(proposal_) + "/open",
                       admin_, Json(), 200);
    ASSERT_EQ(opened.at("status"), "voting") << opened.dump();
  }
  void TearDown() override { server_.reset(); }

  Member member(HttpClient& c, const std::string& name) {
    Json reg = call(c, "POST", "/api/v1/auth/register", "",
                    Json{{"given_name", name},
                         {"family_name", "Test"},
                         {"email", name + "@test.agora"},
                         {"password", name + "-password-1"}},
                    201);
    Member m{reg.at("token").get<std::string>(), reg.at("account").at("person_id").get<int64_t>()};
    int64_t ms = call(c, "POST", "/api/v1/orgs/" + std::to_string(org_) + "/applications", m.token,
                      Json{{"class", "user"}, {"shares", 1}}, 201)
                     .at("id")
                     .get<int64_t>();
    call(c, "POST", "/api/v1/memberships/" + std::to_string(ms) + "/admit", admin_, Json(), 200);
    return m;
  }

  // Fires every (token, body) at once from its own connection; returns the
  // statuses and the codes of the refusals.
  std::vector<std::pair<int, std::string>> race(
      const std::vector<std::pair<std::string, Json>>& casts) {
    std::vector<std::pair<int, std::string>> out(casts.size());
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    std::string target = "/api/v1/proposals/" + std::to_string(proposal_) + "/ballots";
    uint16_t port = server_->port();
    for (size_t i = 0; i < casts.size(); ++i) {
      threads.emplace_back([&, i] {
        HttpClient c(port);
        c.request("GET", "/api/v1/health");  // connect before the start line
        ++ready;
        while (ready.load() < static_cast<int>(casts.size())) std::this_thread::yield();
        HttpResponse r = c.request("POST", target, auth(casts[i].first), casts[i].second.dump());
        std::string code;
        if (r.status >= 400) code = Json::parse(r.body).value("code", "");
        out[i] = {r.status, code};
      });
    }
    for (auto& t : threads) t.join();
    return out;
  }

  void expect_exactly_one(const std::vector<std::pair<int, std::string>>& results) {
    int created = 0;
    for (const auto& [status, code] : results) {
      if (status == 201) {
        ++created;
      } else {
        EXPECT_EQ(status, 409);
        EXPECT_EQ(code, "duplicate");
      }
    }
    EXPECT_EQ(created, 1);
  }

  // Ballots stored for `person_id`, from the open ballot list.
  int ballots_of(int64_t person_id) {
    HttpClient c(server_->port());
    Json votes =
        call(c, "GET", "/api/v1/proposals/" + std::to_string(proposal_) + "/votes?limit=200",
             admin_, Json(), 200);
    int n = 0;
    for (const auto& v : votes.at("items")) n += v.at("person_id") == person_id ? 1 : 0;
    return n;
  }

  std::unique_ptr<TestServer> server_;
  std::string admin_;
  int64_t org_ = 0, proposal_ = 0;
  Member ana_, bruno_;
};

TEST_P(GovernanceConcurrency, TheSameVotersBallotRacedIsCountedOnce) {
  std::vector<std::pair<std::string, Json>> casts;
  for (int i = 0; i < kRacers; ++i) {
    casts.emplace_back(ana_.token, Json{{"ballot", {{"choice", i % 2}}}});
  }
  expect_exactly_one(race(casts));
  EXPECT_EQ(ballots_of(ana_.person_id), 1);
  EXPECT_EQ(ballots_of(bruno_.person_id), 0);
}

TEST_P(GovernanceConcurrency, AProxyHolderRacingTheGrantorCastsOneBallotForHim) {
  std::vector<std::pair<std::string, Json>> casts;
  for (int i = 0; i < kRacers; ++i) {
    if (i % 2 == 0) {
      casts.emplace_back(bruno_.token, Json{{"ballot", {{"choice", 0}}}});
    } else {
      casts.emplace_back(ana_.token,
                         Json{{"ballot", {{"choice", 1}}}, {"on_behalf_of", bruno_.person_id}});
    }
  }
  expect_exactly_one(race(casts));
  EXPECT_EQ(ballots_of(bruno_.person_id), 1);
  EXPECT_EQ(ballots_of(ana_.person_id), 0) << "voting for Bruno must not use up Ana's own vote";
  HttpClient c(server_->port());
  Json mine = call(c, "GET", "/api/v1/proposals/" + std::to_string(proposal_) + "/my-vote",
                   ana_.token, Json(), 200);
  EXPECT_EQ(mine.at("voted"), false);
}

INSTANTIATE_TEST_SUITE_P(Engines, GovernanceConcurrency,
                         ::testing::ValuesIn(test_db::test_engines()), test_db::engine_name);

}  // namespace
}  // namespace agora::test_api
