// The scheduler: jobs run every interval through the write batcher as the
// system actor (so they are journaled), an error is logged and retried next
// round, stop() ends the thread promptly even with a long interval; with the
// job `agora serve` registers, a proposal is counted once its window ends;
// the serve setting resolves flags > env > TOML.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/app.h"
#include "app/governance.h"
#include "app/registry.h"
#include "app/scheduler.h"
#include "core/error.h"
#include "http/settings.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using namespace std::chrono_literals;

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database("sqlite");
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
  }
  void TearDown() override {
    app_->stop();
    app_.reset();
    db_.reset();
  }
  int64_t journal_entries(const std::string& command) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) {
      n = tx.query("SELECT COUNT(*) FROM audit_journal WHERE command = $1", {command}).one().i64(0);
    });
    return n;
  }
  // Waits up to 10 s of wall time for `pred`.
  template <class Pred>
  bool eventually(Pred pred) {
    for (int i = 0; i < 1000; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  ManualClock clock_{Timestamp{1'700'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
};

TEST_F(SchedulerTest, RunsEveryJobEachIntervalAsTheSystemActor) {
  std::atomic<int> a{0}, b{0};
  std::atomic<bool> system_actor{true};
  Scheduler s(*app_, 5ms);
  s.add("job_a", [&](store::Tx&, const Ctx& ctx) {
    if (!ctx.actor.admin || ctx.actor.account_id != 0) system_actor = false;
    ++a;
    return Json::object();
  });
  s.add("job_b", [&](store::Tx&, const Ctx&) {
    ++b;
    return Json::object();
  });
  s.start();
  EXPECT_TRUE(eventually([&] { return s.rounds() >= 3; }));
  s.stop();
  EXPECT_GE(a.load(), 3);
  EXPECT_EQ(a.load(), b.load());
  EXPECT_TRUE(system_actor.load());
  EXPECT_EQ(journal_entries("job_a"), a.load());
  int after_stop = a.load();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(a.load(), after_stop) << "no job may run after stop()";
}

TEST_F(SchedulerTest, AFailingJobIsLoggedAndRetriedWithoutStoppingOthers) {
  std::atomic<int> tries{0}, ok{0};
  Scheduler s(*app_, 5ms);
  s.add("fails", [&](store::Tx&, const Ctx&) -> Json {
    ++tries;
    throw Error(Code::internal, "broken on purpose");
  });
  s.add("throws_std", [&](store::Tx&, const Ctx&) -> Json { throw std::runtime_error("boom"); });
  s.add("works", [&](store::Tx&, const Ctx&) {
    ++ok;
    return Json::object();
  });
  EXPECT_EQ(s.run_once(), 2);
  s.start();
  EXPECT_TRUE(eventually([&] { return tries.load() >= 3 && ok.load() >= 3; }));
  s.stop();
  EXPECT_GE(s.failures(), 6);
  EXPECT_EQ(journal_entries("fails"), 0) << "a refused command writes nothing";
  EXPECT_GE(journal_entries("works"), 3);
}

TEST_F(SchedulerTest, AJobThatIsNotDueIsNeitherRunNorJournaled) {
  std::atomic<bool> due{false};
  std::atomic<int> runs{0};
  Scheduler s(*app_, 1h);
  s.add(
      "when_due",
      [&](store::Tx&, const Ctx&) {
        ++runs;
        return Json::object();
      },
      [&](store::Tx&, const Ctx&) { return Json(due.load()); });
  EXPECT_EQ(s.run_once(), 0);
  EXPECT_EQ(runs.load(), 0);
  EXPECT_EQ(journal_entries("when_due"), 0);
  due = true;
  EXPECT_EQ(s.run_once(), 0);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(journal_entries("when_due"), 1);
}

TEST_F(SchedulerTest, StopIsPromptWithALongIntervalAndIdempotent) {
  std::atomic<int> runs{0};
  Scheduler s(*app_, std::chrono::hours(1));
  s.add("never", [&](store::Tx&, const Ctx&) {
    ++runs;
    return Json::object();
  });
  s.start();
  auto t0 = std::chrono::steady_clock::now();
  s.stop();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_EQ(runs.load(), 0);
  EXPECT_EQ(s.rounds(), 0);
}

const char* kConstitution = R"(name = "Scheduler test"

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"

[[domain]]
key = "*"
bodies = ["general_meeting"]
method = "majority"
notice_days = 0
voting_days = 7
)";

TEST_F(SchedulerTest, TheServeJobCountsAProposalOnceItsWindowHasEnded) {
  const Actor admin = Actor::system();
  auto write = [&](const Actor& actor, WriteFn fn) {
    return app_->write(actor, "setup", Json::object(), std::move(fn));
  };
  int64_t fed = write(admin,
                      [](store::Tx& tx, const Ctx& ctx) {
                        return create_org(
                            tx, ctx, OrgInput{.kind = "federation", .name = "F", .slug = "fed"});
                      })
                    .at("id")
                    .get<int64_t>();
  int64_t org = write(admin,
                      [fed](store::Tx& tx, const Ctx& ctx) {
                        return create_org(tx, ctx,
                                          OrgInput{.parent_id = fed,
                                                   .kind = "consumer",
                                                   .name = "C",
                                                   .slug = "coop",
                                                   .admission = "automatic"});
                      })
                    .at("id")
                    .get<int64_t>();
  write(admin, [org](store::Tx& tx, const Ctx& ctx) {
    return create_class(tx, ctx, org, ClassInput{.code = "m", .name = "M", .share_price_minor = 1});
  });
  write(admin, [org](store::Tx& tx, const Ctx& ctx) {
    return found_constitution(tx, ctx, org, kConstitution);
  });
  int64_t person = write(admin, [](store::Tx& tx, const Ctx& ctx) {
                     return Json(create_person(tx, ctx, PersonInput{.given_name = "Ana"}));
                   }).get<int64_t>();
  const Actor ana{.account_id = 1000, .person_id = person, .address = "test"};
  write(ana, [org](store::Tx& tx, const Ctx& ctx) {
    return apply_for_membership(tx, ctx, org, ApplicationInput{.class_code = "m"});
  });
  int64_t proposal = write(ana,
                           [org](store::Tx& tx, const Ctx& ctx) {
                             ProposalInput in;
                             in.org_id = org;
                             in.domain = "market.policy";
                             in.title = "Bread";
                             return create_proposal(tx, ctx, in);
                           })
                         .at("id")
                         .get<int64_t>();
  write(admin, [proposal](store::Tx& tx, const Ctx& ctx) {
    return open_proposal(tx, ctx, proposal, std::nullopt);
  });
  write(ana, [proposal](store::Tx& tx, const Ctx& ctx) {
    return cast_ballot(tx, ctx, proposal, CastInput{.ballot = Json{{"choice", 0}}});
  });
  auto status = [&] {
    return app_
        ->read(admin,
               [proposal](store::Tx& tx, const Ctx& ctx) {
                 return get_proposal(tx, ctx, proposal);
               })["status"]
        .get<std::string>();
  };

  Scheduler s(*app_, 5ms);
  s.add("close_due_proposals",
        [](store::Tx& tx, const Ctx& ctx) { return close_due_proposals(tx, ctx, 100); });
  s.start();
  EXPECT_TRUE(eventually([&] { return s.rounds() >= 2; }));
  EXPECT_EQ(status(), "voting") << "nothing is due while the window is open";
  clock_.advance_us(int64_t{7} * 86400 * 1'000'000);
  EXPECT_TRUE(eventually([&] { return status() == "passed"; })) << status();
  s.stop();
  EXPECT_EQ(s.failures(), 0);
}

TEST(SchedulerSetting, ResolvesFlagsOverEnvOverTomlAndZeroDisables) {
  EXPECT_EQ(http::resolve_settings({}, {}, {}).scheduler_interval_s, 30);
  EXPECT_EQ(http::resolve_settings({}, {}, {{"scheduler_interval_s", "60"}}).scheduler_interval_s,
            60);
  EXPECT_EQ(
      http::resolve_settings({}, {{"scheduler_interval_s", "5"}}, {{"scheduler_interval_s", "60"}})
          .scheduler_interval_s,
      5);
  EXPECT_EQ(
      http::resolve_settings({{"scheduler_interval_s", "0"}}, {{"scheduler_interval_s", "5"}}, {})
          .scheduler_interval_s,
      0);
  EXPECT_EQ(http::flag_name("scheduler_interval_s"), "--scheduler-interval-s");
  try {
    http::resolve_settings({{"scheduler_interval_s", "-1"}}, {}, {});
    ADD_FAILURE() << "a negative interval was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::bad_config);
    EXPECT_EQ(e.field(), "scheduler_interval_s");
  }
}

}  // namespace
}  // namespace agora::app
