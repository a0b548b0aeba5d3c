// The proposals half of governance (app/governance.h) on every engine under
// test: constitutions and who decides (subsidiarity), a proposal's lifecycle
// from draft to counted, notice, withdrawal, joint and two-stage decisions,
// constitution amendments, elections seating the elected, comments, and who
// may do what. Ballots are cast through cast_ballot (the other half).

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "app/authz.h"
#include "app/governance.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

using test_support::kDayUs;

using test_support::code_of;

std::string field_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.field();
  }
  ADD_FAILURE() << "expected an agora::Error";
  return "";
}

std::string coop_constitution(const std::string& name = "Test co-op") {
  return "name = \"" + name + R"("

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"
  [body.electorate]
  classes = ["consumer"]

[[body]]
key = "board"
kind = "board"
name = "Board"
seats = 3
elected_by = "general_meeting"

[[domain]]
key = "market.policy"
bodies = ["general_meeting"]
method = "majority"
notice_days = 7
voting_days = 7

[[domain]]
key = "fund.allocation"
bodies = ["general_meeting"]
method = "approval"
notice_days = 0
voting_days = 3

[[domain]]
key = "workplace.lease"
bodies = ["general_meeting"]
joint_with = ["worker_assembly"]
method = "majority"
notice_days = 0
voting_days = 7

[[domain]]
key = "constitution.amend"
bodies = ["general_meeting"]
method = "majority"
threshold = "2/3"
threshold_strict = false
notice_days = 0
voting_days = 7
  [domain.two_stage]
  second_threshold = "1/2"
  second_threshold_strict = true
  min_gap_days = 14
  max_gap_days = 31

[[domain]]
key = "board.election"
bodies = ["general_meeting"]
method = "approval"
seats = 2
notice_days = 2
voting_days = 7
)";
}

const std::string kWorkerConstitution = R"(name = "Test worker co-op"

[[body]]
key = "worker_assembly"
kind = "worker_assembly"
name = "Worker assembly"

[[domain]]
key = "workplace.lease"
bodies = ["worker_assembly"]
joint_with = ["general_meeting"]
method = "majority"
notice_days = 0
voting_days = 5
)";

const std::string kFederationConstitution = R"(name = "Test federation"
reserved = ["asset.sale"]

[[body]]
key = "congress"
kind = "congress"
name = "Congress"
weights = "delegate"

[[domain]]
key = "asset.sale"
bodies = ["congress"]
method = "majority"
threshold = "2/3"
threshold_strict = false
notice_days = 28
voting_days = 14
secret = true
)";

class GovProposalsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor{.account_id = 0, .person_id = 0, .admin = true, .address = "test"};
    national_ = write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.kind = "federation", .name = "National", .slug = "national"});
    })["id"];
    coop_ = org(national_, "consumer", "coop");
    worker_ = org(national_, "worker", "works");
    klass(coop_, "consumer");
    klass(worker_, "worker");
    ana_ = person("ana");
    bea_ = person("bea");
    cal_ = person("cal");
    wen_ = person("wen");
    coordinator_ = person("coord");
    fed_coordinator_ = person("fedcoord");
    outsider_ = person("out");
    grant(coordinator_, coop_);
    grant(coordinator_, worker_);
    grant(fed_coordinator_, national_);
    for (const Actor* a : {&ana_, &bea_, &cal_}) join(*a, coop_, "consumer");
    join(wen_, worker_, "worker");
    found(coop_, coop_constitution());
    found(worker_, kWorkerConstitution);
    found(national_, kFederationConstitution);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  int64_t org(int64_t parent, const std::string& kind, const std::string& slug) {
    return write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = parent, .kind = kind, .name = slug, .slug = slug});
    })["id"];
  }
  void klass(int64_t org_id, const std::string& code) {
    write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return create_class(
          tx, ctx, org_id,
          ClassInput{.code = code, .name = code, .share_price_minor = 1000, .min_shares = 1});
    });
  }
  Actor person(const std::string& name) {
    Actor a{.address = "test"};
    db_->write([&](store::Tx& tx) {
      Ctx ctx{admin_, clock_.now()};
      a.person_id = create_person(tx, ctx, PersonInput{.given_name = name, .family_name = "Test"});
      a.account_id = tx.query(
                           "INSERT INTO accounts (person_id, email, password_hash, admin, "
                           "created_at) VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                           {a.person_id, name + "@test.agora"})
                         .one()
                         .i64(0);
    });
    return a;
  }
  void grant(const Actor& a, int64_t org_id) {
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, "
          "'coordinator', 0)",
          {a.person_id, org_id});
    });
  }
  void join(const Actor& a, int64_t org_id, const std::string& code) {
    Json m = write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return apply_for_membership(tx, ctx, org_id,
                                  ApplicationInput{.class_code = code, .shares = 1});
    });
    write(admin_, [=](store::Tx& tx, const Ctx& ctx) { return admit_member(tx, ctx, m["id"]); });
  }
  Json found(int64_t org_id, const std::string& toml) {
    return write(admin_, [=](store::Tx& tx, const Ctx& ctx) {
      return found_constitution(tx, ctx, org_id, toml);
    });
  }

  Json create(const Actor& a, const ProposalInput& in) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return create_proposal(tx, ctx, in); });
  }
  Json motion(const Actor& a, const std::string& domain = "market.policy") {
    return create(a, ProposalInput{.org_id = coop_,
                                   .domain = domain,
                                   .title = "Stock local bread",
                                   .text = "From the bakery on Mill Street."});
  }
  Json open(const Actor& a, int64_t id, std::optional<Timestamp> at = std::nullopt) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return open_proposal(tx, ctx, id, at); });
  }
  Json close(const Actor& a, int64_t id) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return close_proposal(tx, ctx, id); });
  }
  Json withdraw(const Actor& a, int64_t id) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return withdraw_proposal(tx, ctx, id); });
  }
  Json vote(const Actor& a, int64_t id, Json ballot) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return cast_ballot(tx, ctx, id, CastInput{.ballot = ballot});
    });
  }
  Json get(int64_t id) {
    return read(Actor{}, [=](store::Tx& tx, const Ctx& ctx) { return get_proposal(tx, ctx, id); });
  }
  Json decision(int64_t id) {
    return read(Actor{}, [=](store::Tx& tx, const Ctx& ctx) { return get_decision(tx, ctx, id); });
  }
  Timestamp now() const { return clock_.now(); }
  void days(int64_t n) { clock_.advance_us(n * kDayUs); }
  static Json yes() { return Json{{"choice", 0}}; }
  static Json no() { return Json{{"choice", 1}}; }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, ana_, bea_, cal_, wen_, coordinator_, fed_coordinator_, outsider_;
  int64_t national_ = 0, coop_ = 0, worker_ = 0;
};

TEST_P(GovProposalsTest, ConstitutionIsFoundedOnceAndVersioned) {
  Json c = read(Actor{},
                [&](store::Tx& tx, const Ctx& ctx) { return get_constitution(tx, ctx, coop_); });
  EXPECT_EQ(c["version"], 1);
  EXPECT_TRUE(c["adopted_by_proposal"].is_null());
  EXPECT_EQ(c["constitution"]["name"], "Test co-op");
  EXPECT_EQ(code_of([&] { found(coop_, coop_constitution("Again")); }), Code::invalid_state);
  // Only a coordinator founds one; a bad text is refused.
  int64_t bare = org(national_, "consumer", "bare");
  EXPECT_EQ(code_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return found_constitution(tx, ctx, bare, coop_constitution());
              });
            }),
            Code::forbidden);
  EXPECT_EQ(code_of([&] { found(bare, "name = "); }), Code::bad_file);
  EXPECT_EQ(code_of([&] {
              read(Actor{},
                   [&](store::Tx& tx, const Ctx& ctx) { return get_constitution(tx, ctx, bare); });
            }),
            Code::not_found);
  Json versions = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return constitution_versions(tx, ctx, coop_, PageReq{});
  });
  ASSERT_EQ(versions["items"].size(), 1u);
  EXPECT_EQ(versions["items"][0]["version"], 1);
}

TEST_P(GovProposalsTest, SubsidiarityMovesAReservedDomainUp) {
  Json who = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return who_decides(tx, ctx, coop_, "asset.sale");
  });
  EXPECT_EQ(who["org_id"], national_);
  EXPECT_EQ(who["reserved"], true);
  EXPECT_EQ(who["bodies"][0]["key"], "congress");
  EXPECT_EQ(who["rule"]["threshold"], "2/3");
  Json local = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return who_decides(tx, ctx, coop_, "market.policy");
  });
  EXPECT_EQ(local["org_id"], coop_);
  EXPECT_EQ(local["reserved"], false);
  EXPECT_EQ(code_of([&] {
              read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
                return who_decides(tx, ctx, coop_, "no.such");
              });
            }),
            Code::rule_violation);

  ProposalInput in{.org_id = coop_,
                   .domain = "asset.sale",
                   .title = "Sell the old depot",
                   .subject = "asset:12"};
  // A member of the co-op is no member of the federation that decides.
  EXPECT_EQ(code_of([&] { create(ana_, in); }), Code::forbidden);
  Json p = create(fed_coordinator_, in);
  EXPECT_EQ(p["org_id"], national_);
  EXPECT_EQ(p["body"]["key"], "congress");
  EXPECT_EQ(p["rule"]["secret"], true);
  EXPECT_EQ(p["rule"]["notice_days"], 28);
  Json d = decision(p["decision_id"]);
  EXPECT_EQ(d["org_id"], coop_);
  EXPECT_EQ(d["subject"], "asset:12");
  EXPECT_FALSE(read(Actor{}, [&](store::Tx& tx, const Ctx&) {
                 return Json(decision_passed(tx, coop_, "asset.sale", "asset:12"));
               }).get<bool>());
}

TEST_P(GovProposalsTest, LifecycleFromDraftToPassed) {
  Json p = motion(ana_);
  int64_t id = p["id"];
  EXPECT_EQ(p["status"], "draft");
  EXPECT_EQ(p["author"]["person_id"], ana_.person_id);
  EXPECT_EQ(p["options"], Json::array({"for", "against", "abstain"}));
  EXPECT_EQ(p["ballot_kind"], "choice");
  EXPECT_EQ(p["rule"]["threshold"], "1/2");
  EXPECT_EQ(p["decision"]["status"], "pending");
  Json changed = write(ana_, [=](store::Tx& tx, const Ctx& ctx) {
    return update_proposal(tx, ctx, id, ProposalPatch{.title = "Stock local rye bread"});
  });
  EXPECT_EQ(changed["title"], "Stock local rye bread");

  // Notice: asked for tomorrow, voting still opens after the 7 days' notice.
  Timestamp t0 = now();
  Json opened = open(ana_, id, Timestamp{t0.us + kDayUs});
  EXPECT_EQ(opened["status"], "open");
  EXPECT_EQ(opened["voting_opens_at"], format_iso8601(Timestamp{t0.us + 7 * kDayUs}));
  EXPECT_EQ(opened["voting_closes_at"], format_iso8601(Timestamp{t0.us + 14 * kDayUs}));
  EXPECT_EQ(opened["turnout"]["eligible_count"], 3);
  EXPECT_EQ(code_of([&] {
              write(ana_, [=](store::Tx& tx, const Ctx& ctx) {
                return update_proposal(tx, ctx, id, ProposalPatch{.title = "Too late"});
              });
            }),
            Code::invalid_state);
  EXPECT_EQ(code_of([&] { vote(ana_, id, yes()); }), Code::invalid_state);

  days(7);
  EXPECT_EQ(get(id)["status"], "voting");
  vote(ana_, id, yes());
  vote(bea_, id, yes());
  vote(cal_, id, no());
  EXPECT_EQ(code_of([&] { close(coordinator_, id); }), Code::invalid_state);
  days(7);
  EXPECT_EQ(get(id)["status"], "closed");
  EXPECT_EQ(code_of([&] { close(ana_, id); }), Code::forbidden);
  Json closed = close(coordinator_, id);
  EXPECT_EQ(closed["status"], "passed");
  EXPECT_EQ(closed["decision"]["status"], "passed");
  EXPECT_EQ(closed["turnout"]["voters"], 3);
  EXPECT_EQ(code_of([&] { close(coordinator_, id); }), Code::invalid_state);
  EXPECT_TRUE(read(Actor{}, [&](store::Tx& tx, const Ctx&) {
                return Json(decision_passed(tx, coop_, "market.policy", ""));
              }).get<bool>());

  Json minuted = write(coordinator_, [=](store::Tx& tx, const Ctx& ctx) {
    return record_outcome_statement(tx, ctx, id, "Carried, 2 for and 1 against.");
  });
  EXPECT_EQ(minuted["outcome_statement"], "Carried, 2 for and 1 against.");

  auto list = [&](const std::string& filter) {
    return read(Actor{}, [=, this](store::Tx& tx, const Ctx& ctx) {
      return list_proposals(tx, ctx, coop_, "", filter, PageReq{});
    });
  };
  ASSERT_EQ(list("past")["items"].size(), 1u);
  EXPECT_EQ(list("past")["items"][0]["status"], "passed");
  EXPECT_EQ(list("current")["items"].size(), 0u);
  EXPECT_EQ(code_of([&] { list("someday"); }), Code::invalid_value);
}

TEST_P(GovProposalsTest, RejectedWhenTheVotesFallShort) {
  int64_t id = motion(ana_)["id"];
  open(ana_, id);
  days(7);
  vote(ana_, id, yes());
  vote(bea_, id, no());
  days(7);
  Json closed = close(coordinator_, id);
  EXPECT_EQ(closed["status"], "rejected");
  EXPECT_EQ(decision(closed["decision_id"])["status"], "rejected");
}

TEST_P(GovProposalsTest, WithdrawOnlyBeforeVotingOpens) {
  int64_t id = motion(ana_)["id"];
  open(ana_, id);
  EXPECT_EQ(code_of([&] { withdraw(bea_, id); }), Code::forbidden);
  Json w = withdraw(ana_, id);
  EXPECT_EQ(w["status"], "withdrawn");
  EXPECT_EQ(w["decision"]["status"], "rejected");
  EXPECT_EQ(code_of([&] { open(ana_, id); }), Code::invalid_state);

  int64_t late = motion(bea_)["id"];
  open(coordinator_, late);  // a coordinator may give notice for a member
  days(8);
  EXPECT_EQ(code_of([&] { withdraw(bea_, late); }), Code::invalid_state);
}

TEST_P(GovProposalsTest, WhoMayPropose) {
  EXPECT_EQ(code_of([&] { motion(Actor{}); }), Code::unauthenticated);
  EXPECT_EQ(code_of([&] { motion(outsider_); }), Code::forbidden);
  EXPECT_NO_THROW(motion(coordinator_));
  // Options per method: fixed for majority, 2..100 for approval.
  EXPECT_EQ(field_of([&] {
              create(ana_, ProposalInput{.org_id = coop_,
                                         .domain = "market.policy",
                                         .title = "T",
                                         .options = {"a", "b"}});
            }),
            "/options");
  EXPECT_EQ(field_of([&] {
              create(ana_, ProposalInput{.org_id = coop_,
                                         .domain = "fund.allocation",
                                         .title = "T",
                                         .options = {"a", "a"}});
            }),
            "/options/1");
  Json fund = create(ana_, ProposalInput{.org_id = coop_,
                                         .domain = "fund.allocation",
                                         .title = "Fund",
                                         .options = {"Solar roof", "Bike shed"}});
  EXPECT_EQ(fund["ballot_kind"], "marks");
  EXPECT_EQ(field_of([&] {
              create(ana_, ProposalInput{.org_id = coop_, .domain = "market.policy", .title = ""});
            }),
            "/title");
  // A joint decision needs its counterparty.
  EXPECT_EQ(field_of([&] {
              create(ana_,
                     ProposalInput{.org_id = coop_, .domain = "workplace.lease", .title = "Lease"});
            }),
            "/counterparty_org_id");
}

TEST_P(GovProposalsTest, JointDecisionPassesOnlyWhenBothSidesPass) {
  auto lease = [&] {
    return create(ana_, ProposalInput{.org_id = coop_,
                                      .domain = "workplace.lease",
                                      .title = "Lease the bakery",
                                      .subject = "lease:1",
                                      .counterparty_org_id = worker_});
  };
  Json ours = lease();
  ASSERT_EQ(ours["decision"]["proposals"].size(), 2u);
  int64_t theirs = ours["decision"]["proposals"][1]["id"];
  Json their = get(theirs);
  EXPECT_EQ(their["org_id"], worker_);
  EXPECT_EQ(their["body"]["key"], "worker_assembly");
  EXPECT_EQ(their["rule"]["voting_days"], 5);  // the worker co-op's own rule
  open(ana_, ours["id"]);
  open(ana_, theirs);
  vote(ana_, ours["id"], yes());
  vote(bea_, ours["id"], yes());
  vote(wen_, theirs, yes());
  days(5);
  EXPECT_EQ(close(coordinator_, theirs)["status"], "passed");
  EXPECT_EQ(decision(ours["decision_id"])["status"], "pending");
  days(2);
  EXPECT_EQ(close(coordinator_, ours["id"])["decision"]["status"], "passed");
  EXPECT_TRUE(read(Actor{}, [&](store::Tx& tx, const Ctx&) {
                return Json(decision_passed(tx, coop_, "workplace.lease", "lease:1"));
              }).get<bool>());

  // The worker assembly says no: the decision fails whatever the co-op says.
  Json second = lease();
  int64_t no_side = second["decision"]["proposals"][1]["id"];
  open(ana_, second["id"]);
  open(ana_, no_side);
  vote(ana_, second["id"], yes());
  vote(wen_, no_side, no());
  days(7);
  close(coordinator_, second["id"]);
  EXPECT_EQ(close(coordinator_, no_side)["decision"]["status"], "rejected");
}

TEST_P(GovProposalsTest, TwoStageAmendmentAdoptsTheNewConstitution) {
  EXPECT_EQ(field_of([&] {
              create(ana_, ProposalInput{.org_id = coop_,
                                         .domain = "constitution.amend",
                                         .title = "Bad",
                                         .constitution_toml = "name = [[["});
            }),
            "/constitution_toml");
  Json first = create(ana_, ProposalInput{.org_id = coop_,
                                          .domain = "constitution.amend",
                                          .title = "Rename the co-op",
                                          .constitution_toml = coop_constitution("Riverside")});
  int64_t id = first["id"];
  EXPECT_EQ(first["stage"], 1);
  EXPECT_EQ(first["gap_days"]["min"], 14);
  EXPECT_EQ(first["rule"]["threshold"], "2/3");
  open(ana_, id);
  for (const Actor* a : {&ana_, &bea_, &cal_}) vote(*a, id, yes());
  days(7);
  Json closed = close(coordinator_, id);
  EXPECT_EQ(closed["status"], "passed");
  EXPECT_EQ(closed["decision"]["status"], "pending");
  ASSERT_TRUE(closed["second_stage_id"].is_number());
  int64_t second = closed["second_stage_id"];
  Json s = get(second);
  EXPECT_EQ(s["stage"], 2);
  EXPECT_EQ(s["status"], "draft");
  EXPECT_EQ(s["first_stage_id"], id);
  EXPECT_EQ(s["rule"]["threshold"], "1/2");
  EXPECT_EQ(s["rule"]["threshold_strict"], true);

  Timestamp first_close = parse_iso8601(closed["voting_closes_at"]);
  EXPECT_EQ(code_of([&] { open(ana_, second); }), Code::rule_violation);  // too early
  EXPECT_EQ(code_of([&] { open(ana_, second, Timestamp{first_close.us + 32 * kDayUs}); }),
            Code::rule_violation);  // too late
  open(ana_, second, Timestamp{first_close.us + 14 * kDayUs});
  days(14);
  vote(ana_, second, yes());
  vote(bea_, second, yes());
  days(7);
  Json done = close(coordinator_, second);
  EXPECT_EQ(done["status"], "passed");
  EXPECT_EQ(done["decision"]["status"], "passed");
  Json c = read(Actor{},
                [&](store::Tx& tx, const Ctx& ctx) { return get_constitution(tx, ctx, coop_); });
  EXPECT_EQ(c["version"], 2);
  EXPECT_EQ(c["adopted_by_proposal"], second);
  EXPECT_EQ(c["constitution"]["name"], "Riverside");
  EXPECT_EQ(code_of([&] { found(coop_, coop_constitution()); }), Code::invalid_state);
}

TEST_P(GovProposalsTest, ElectionSeatsTheElected) {
  // The founding board: cal, appointed.
  write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return appoint_seat(tx, ctx, coop_, "board", cal_.person_id, "");
  });
  EXPECT_EQ(code_of([&] {
              write(ana_, [&](store::Tx& tx, const Ctx& ctx) {
                return appoint_seat(tx, ctx, coop_, "board", ana_.person_id, "");
              });
            }),
            Code::forbidden);
  Json e = create(ana_, ProposalInput{.org_id = coop_,
                                      .domain = "board.election",
                                      .title = "Board 2027",
                                      .kind = "election",
                                      .elects_body = "board"});
  int64_t id = e["id"];
  EXPECT_EQ(e["candidates"].size(), 0u);
  EXPECT_EQ(code_of([&] { open(ana_, id); }), Code::rule_violation);  // nobody stands
  auto stand = [&](const Actor& a, std::optional<int64_t> who) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) {
      return stand_candidate(tx, ctx, id, who, "I will listen.");
    });
  };
  stand(ana_, std::nullopt);
  stand(bea_, std::nullopt);
  EXPECT_EQ(code_of([&] { stand(outsider_, std::nullopt); }), Code::rule_violation);
  EXPECT_EQ(code_of([&] { stand(bea_, cal_.person_id); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { stand(ana_, std::nullopt); }), Code::duplicate);
  Json opened = open(ana_, id);
  EXPECT_EQ(opened["options"].size(), 2u);
  // In notice a candidacy still counts; it closes when voting opens.
  Json late = stand(coordinator_, cal_.person_id);
  EXPECT_EQ(get(id)["options"].size(), 3u);
  write(cal_,
        [&](store::Tx& tx, const Ctx& ctx) { return withdraw_candidacy(tx, ctx, late["id"]); });
  EXPECT_EQ(get(id)["options"].size(), 2u);
  days(2);
  EXPECT_EQ(code_of([&] { stand(cal_, std::nullopt); }), Code::invalid_state);
  vote(ana_, id, Json{{"approve", Json::array({0, 1})}});
  vote(bea_, id, Json{{"approve", Json::array({0, 1})}});
  vote(cal_, id, Json{{"approve", Json::array({0})}});
  days(7);
  Json closed = close(coordinator_, id);
  EXPECT_EQ(closed["status"], "passed");
  Json seats = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return list_body_seats(tx, ctx, coop_, "board");
  });
  ASSERT_EQ(seats["items"].size(), 2u);
  EXPECT_EQ(seats["items"][0]["person_id"], ana_.person_id);
  EXPECT_EQ(seats["items"][1]["person_id"], bea_.person_id);
}

TEST_P(GovProposalsTest, AmendmentIsItsOwnProposal) {
  int64_t id = motion(ana_)["id"];
  Json a =
      create(bea_, ProposalInput{.org_id = coop_, .title = "Also local butter", .amends_id = id});
  EXPECT_EQ(a["amends_id"], id);
  EXPECT_EQ(a["domain"], "market.policy");
  EXPECT_NE(a["decision_id"], get(id)["decision_id"]);
  EXPECT_EQ(get(id)["amendments"], Json::array({a["id"]}));
  EXPECT_EQ(field_of([&] {
              create(bea_, ProposalInput{.org_id = worker_, .title = "X", .amends_id = id});
            }),
            "/amends_id");
  withdraw(ana_, id);
  EXPECT_EQ(
      code_of([&] { create(bea_, ProposalInput{.org_id = coop_, .title = "Y", .amends_id = id}); }),
      Code::invalid_state);
}

TEST_P(GovProposalsTest, Comments) {
  int64_t id = motion(ana_)["id"];
  auto say = [&](const Actor& a, const std::string& text) {
    return write(a, [=](store::Tx& tx, const Ctx& ctx) { return add_comment(tx, ctx, id, text); });
  };
  say(bea_, "Which bakery?");
  say(ana_, "Mill Street.");
  EXPECT_EQ(code_of([&] { say(outsider_, "Spam"); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { say(Actor{}, "Spam"); }), Code::unauthenticated);
  EXPECT_EQ(code_of([&] { say(bea_, ""); }), Code::out_of_range);
  Json page = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return list_comments(tx, ctx, id, PageReq{.limit = 1});
  });
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["text"], "Which bakery?");
  Json rest = read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
    return list_comments(tx, ctx, id, PageReq{.limit = 10, .after = page["next_after"]});
  });
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["text"], "Mill Street.");
  EXPECT_TRUE(rest["next_after"].is_null());
}

TEST_P(GovProposalsTest, SchedulerClosesDueProposals) {
  int64_t a = motion(ana_)["id"];
  int64_t b = motion(bea_)["id"];
  int64_t later = create(ana_, ProposalInput{.org_id = coop_,
                                             .domain = "fund.allocation",
                                             .title = "Fund",
                                             .options = {"Roof", "Shed"}})["id"];
  open(ana_, a);
  open(bea_, b);
  days(1);
  open(ana_, later);  // closes 3 days from now
  days(12);
  vote(ana_, a, yes());
  days(2);
  EXPECT_EQ(code_of([&] {
              write(coordinator_,
                    [](store::Tx& tx, const Ctx& ctx) { return close_due_proposals(tx, ctx, 10); });
            }),
            Code::forbidden);
  Json r = write(Actor::system(),
                 [](store::Tx& tx, const Ctx& ctx) { return close_due_proposals(tx, ctx, 10); });
  EXPECT_EQ(r["closed"], Json::array({later, a, b}));
  EXPECT_EQ(r["failed"].size(), 0u);
  EXPECT_EQ(get(a)["status"], "passed");
  EXPECT_EQ(get(b)["status"], "rejected");  // nobody voted: no majority for
}

TEST_P(GovProposalsTest, OneFailedCloseLeavesTheOthersCounted) {
  int64_t bad = create(ana_, ProposalInput{.org_id = coop_,
                                           .domain = "fund.allocation",
                                           .title = "Fund",
                                           .options = {"Roof", "Shed"}})["id"];
  int64_t good = create(ana_, ProposalInput{.org_id = coop_,
                                            .domain = "fund.allocation",
                                            .title = "Fund 2",
                                            .options = {"Roof", "Shed"}})["id"];
  open(ana_, bad);
  open(ana_, good);
  vote(ana_, good, Json{{"approve", Json::array({0})}});
  // A row no command could write: a vote with no options cannot be counted.
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE proposals SET options_json = '[]' WHERE id = $1", {bad});
  });
  days(3);
  Json r = write(Actor::system(),
                 [](store::Tx& tx, const Ctx& ctx) { return close_due_proposals(tx, ctx, 10); });
  EXPECT_EQ(r["closed"], Json::array({good}));
  ASSERT_EQ(r["failed"].size(), 1u);
  EXPECT_EQ(r["failed"][0]["id"], bad);
  EXPECT_EQ(get(good)["status"], "passed");
  EXPECT_EQ(get(bad)["status"], "closed");  // still waiting to be counted
  EXPECT_TRUE(get(bad)["decision"]["status"] == "pending");
}

INSTANTIATE_TEST_SUITE_P(GovProposals, GovProposalsTest,
                         ::testing::ValuesIn(test_db::test_engines()), test_db::engine_name);

}  // namespace
}  // namespace agora::app
