// Budgeting rounds (app/budgeting.h) on every engine under test: a full
// round by Equal Shares with Add1 selects exactly what src/budget selects on
// the same Election, with the same payments; greedy and points rounds; the
// phases follow the clock; ballots are bounded; the payout needs the org's
// passed fund.budget decision on the round whatever the caller's role, pays
// every funded project in one linked batch, and writes nothing when the fund
// cannot cover it; cancelling.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/budgeting.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/registry.h"
#include "app/workplaces.h"
#include "budget/election.h"
#include "budget/equal_shares.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

using namespace agora::app::budgeting;
using test_app::error_of;
using Err = std::pair<Code, std::string>;

using test_support::kDayUs;
const Timestamp kStart = parse_iso8601("2026-03-01T00:00:00Z");

class BudgetingTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    fed_ = org(std::nullopt, "federation", "Valley Federation", "valley");
    coop_ = org(fed_, "consumer", "Riverside Consumers", "riverside");
    other_ = org(fed_, "consumer", "Hillside Consumers", "hillside");
    coordinator_ = person("coordinator");
    treasurer_ = person("treasurer");
    stranger_ = person("stranger");
    test_app::grant_role(*db_, coordinator_.person_id, coop_, "coordinator");
    test_app::grant_role(*db_, treasurer_.person_id, coop_, "treasurer");
    int64_t cls = member_class(coop_);
    for (int i = 0; i < 6; ++i) {
      members_.push_back(person("member" + std::to_string(i)));
      join(members_.back(), coop_, cls);
    }
    fund_ = fund(coop_, 1'000'000);
  }
  void TearDown() override { app_->stop(); }

  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }
  Actor person(const std::string& name) {
    return test_app::signed_in_person(*db_, clock_.now(), name);
  }
  int64_t org(std::optional<int64_t> parent, const std::string& kind, const std::string& name,
              const std::string& slug) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx,
                        OrgInput{.parent_id = parent, .kind = kind, .name = name, .slug = slug});
    })["id"];
  }
  int64_t member_class(int64_t org_id) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO member_classes (org_id, code, name, share_price_minor, min_shares, "
          "created_at) VALUES ($1, 'member', 'Member', 1000, 1, 0)",
          {org_id});
    });
    return id;
  }
  void join(const Actor& a, int64_t org_id, int64_t class_id) {
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO memberships (org_id, person_id, class_id, status, member_number, "
          "requested_shares, shares, applied_at, admitted_at) "
          "VALUES ($1, $2, $3, 'active', $4, 1, 1, 0, 0)",
          {org_id, a.person_id, class_id, ++member_number_});
    });
  }
  // The org's investment fund, credited `amount` from its bank account.
  int64_t fund(int64_t org_id, int64_t amount) {
    return write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      int64_t f =
          ledger::ensure_account(tx, ctx.now, org_id, "fund", std::nullopt, "EUR", "investment");
      int64_t bank =
          ledger::ensure_account(tx, ctx.now, org_id, "external", std::nullopt, "EUR", "bank");
      ledger::TransferInput t{.key = "seed-" + std::to_string(org_id),
                              .debit_account_id = bank,
                              .credit_account_id = f,
                              .amount = amount,
                              .code = "deposit"};
      ledger::apply_transfers(tx, ctx.now, 0, std::span(&t, 1));
      return Json(f);
    });
  }
  // A decision row as governance leaves it (the votes are governance's).
  int64_t decision(int64_t org_id, const std::string& subject,
                   const std::string& domain = kDecisionDomain,
                   const std::string& status = "passed") {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO decisions (org_id, domain, subject, status, created_at, decided_at) "
          "VALUES ($1, $2, $3, $4, 0, 0)",
          {org_id, domain, subject, status});
    });
    return id;
  }
  std::string subject(int64_t round) { return "budget_round:" + std::to_string(round); }

  RoundInput approval_round(int64_t budget = 1'000) {
    return RoundInput{.title = "Neighbourhood projects 2026",
                      .budget = budget,
                      .submission_closes_at = Timestamp{kStart.us + 7 * kDayUs},
                      .voting_closes_at = Timestamp{kStart.us + 14 * kDayUs}};
  }
  Json open(const Actor& a, const RoundInput& in, int64_t org_id = 0) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return open_round(tx, ctx, org_id ? org_id : coop_, in);
    });
  }
  int64_t submit(const Actor& a, int64_t round, const std::string& title, int64_t cost) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return submit_project(tx, ctx, round, ProjectInput{.title = title, .cost = cost});
    })["id"];
  }
  Json vote(const Actor& a, int64_t round, const std::vector<BallotItem>& items) {
    return write(a,
                 [&](store::Tx& tx, const Ctx& ctx) { return cast_ballot(tx, ctx, round, items); });
  }
  std::vector<BallotItem> approve(std::initializer_list<int64_t> ids) {
    std::vector<BallotItem> out;
    for (int64_t id : ids) out.push_back(BallotItem{.project_id = id});
    return out;
  }
  Json tally(const Actor& a, int64_t round) {
    return tally_round(*app_, Ctx{a, clock_.now()}, round);
  }
  Json get(const Actor& a, int64_t round) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) { return get_round(tx, ctx, round); });
  }
  Json result(int64_t round) {
    return read(admin_,
                [&](store::Tx& tx, const Ctx& ctx) { return round_result(tx, ctx, round); });
  }
  Json pay(const Actor& a, int64_t round, int64_t decision_id) {
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return pay_out(tx, ctx, round, decision_id); });
  }
  Json project(int64_t id) {
    Json out;
    db_->read([&](store::Tx& tx) {
      auto r =
          tx.query("SELECT state, reason, transfer_id FROM budget_projects WHERE id = $1", {id})
              .one();
      out =
          Json{{"state", r.str(0)}, {"reason", r.str(1)}, {"transfer_id", opt_json(r.opt_i64(2))}};
    });
    return out;
  }
  int64_t balance(int64_t account) {
    int64_t b = 0;
    db_->read([&](store::Tx& tx) {
      b = tx.query("SELECT credits_posted - debits_posted FROM ledger_accounts WHERE id = $1",
                   {account})
              .one()
              .i64(0);
    });
    return b;
  }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }
  void at_day(int64_t day) { clock_.set(Timestamp{kStart.us + day * kDayUs}); }

  // The red/blue shape in small: four members back A (600) and B (300), two
  // back C (400), one of them D (100), nobody E (200); budget 1000.
  struct Small {
    int64_t round = 0;
    int64_t a = 0, b = 0, c = 0, d = 0, e = 0;
  };
  Small small_round(RoundInput in) {
    Small s;
    s.round = open(coordinator_, in)["id"];
    s.a = submit(members_[0], s.round, "Community garden", 600);
    s.b = submit(members_[1], s.round, "Bike repair shelter", 300);
    s.c = submit(members_[4], s.round, "Playground shade", 400);
    s.d = submit(members_[5], s.round, "Bench", 100);
    s.e = submit(coordinator_, s.round, "Notice board", 200);
    at_day(8);
    return s;
  }
  void small_votes(const Small& s) {
    for (int i = 0; i < 4; ++i) vote(members_[i], s.round, approve({s.a, s.b}));
    vote(members_[4], s.round, approve({s.c, s.d}));
    vote(members_[5], s.round, approve({s.c}));
  }

  ManualClock clock_{kStart};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, coordinator_, treasurer_, stranger_;
  std::vector<Actor> members_;
  int64_t fed_ = 0, coop_ = 0, other_ = 0, fund_ = 0, member_number_ = 0;
};

TEST_P(BudgetingTest, AFullEqualSharesRoundSelectsWhatTheLibrarySelects) {
  Json opened = open(coordinator_, approval_round());
  int64_t round = opened["id"];
  EXPECT_EQ(opened["state"], "submission");
  EXPECT_EQ(opened["phase"], "submission");
  EXPECT_EQ(opened["fund"]["account_id"], fund_);
  EXPECT_EQ(opened["fund"]["balance"], 1'000'000);
  EXPECT_EQ(opened["method"], "equal-shares");
  EXPECT_EQ(opened["completion"], "add1");
  EXPECT_EQ(opened["can"], (Json{{"submit", true}, {"vote", false}, {"manage", true}}));

  // A member outside the org cannot submit; the org's members can.
  EXPECT_EQ(error_of([&] { submit(stranger_, round, "Elsewhere", 100); }).first, Code::forbidden);
  Small s;
  s.round = round;
  s.a = submit(members_[0], round, "Community garden", 600);
  s.b = submit(members_[1], round, "Bike repair shelter", 300);
  s.c = submit(members_[4], round, "Playground shade", 400);
  s.d = submit(members_[5], round, "Bench", 100);
  s.e = submit(coordinator_, round, "Notice board", 200);
  EXPECT_EQ(error_of([&] { submit(members_[2], round, "Too dear", 1'001); }),
            (Err{Code::out_of_range, "/cost"}));

  at_day(8);  // voting, by the clock
  Json seen = get(members_[0], round);
  EXPECT_EQ(seen["phase"], "voting");
  EXPECT_EQ(seen["projects_count"], 5);
  EXPECT_EQ(seen["can"]["vote"], true);
  EXPECT_EQ(seen["my_ballot"], (Json{{"voted", false}, {"items", Json::array()}}));
  EXPECT_EQ(get(stranger_, round)["my_ballot"], nullptr);
  EXPECT_EQ(get(stranger_, round)["can"],
            (Json{{"submit", false}, {"vote", false}, {"manage", false}}));
  EXPECT_EQ(error_of([&] { vote(stranger_, round, approve({s.a})); }).first, Code::forbidden);
  small_votes(s);
  Json mine = get(members_[4], round);
  EXPECT_EQ(mine["voters"], 6);
  EXPECT_EQ(mine["my_ballot"]["voted"], true);
  EXPECT_EQ(mine["my_ballot"]["items"],
            (Json{{{"project_id", s.c}, {"points", 1}}, {{"project_id", s.d}, {"points", 1}}}));

  EXPECT_EQ(error_of([&] { tally(coordinator_, round); }).first, Code::invalid_state);
  at_day(15);
  EXPECT_EQ(get(members_[0], round)["phase"], "counting");
  EXPECT_EQ(error_of([&] { tally(members_[0], round); }).first, Code::forbidden);
  Json res = tally(treasurer_, round);

  // The same Election through src/budget.
  budget::Election e;
  e.budget_units = 1'000;
  std::vector<int64_t> ids{s.a, s.b, s.c, s.d, s.e};
  const int64_t costs[] = {600, 300, 400, 100, 200};
  for (size_t i = 0; i < ids.size(); ++i) {
    e.projects.push_back(
        budget::Project{.id = std::to_string(ids[i]), .name = "", .cost_units = costs[i]});
  }
  std::vector<int32_t> ab{0, 1}, cd{2, 3}, c{2};
  for (int i = 0; i < 4; ++i) e.add_ballot(ab);
  e.add_ballot(cd);
  e.add_ballot(c);
  auto lib = budget::select_projects(e, budget::Options{});

  ASSERT_EQ(res["funded"].size(), lib.funded.size());
  int64_t spent = 0;
  for (size_t i = 0; i < lib.funded.size(); ++i) {
    const auto& f = lib.funded[i];
    const Json& got = res["funded"][i];
    EXPECT_EQ(got["project_id"], ids[f.project]);
    EXPECT_EQ(got["cost"], f.cost_units);
    EXPECT_EQ(got["supporters"], f.supporters);
    EXPECT_EQ(got["order"], static_cast<int64_t>(i + 1));
    ASSERT_EQ(got["paid_by"].size(), f.payments.size());
    for (size_t g = 0; g < f.payments.size(); ++g) {
      EXPECT_EQ(got["paid_by"][g]["share"], budget::decimal_text(f.payments[g].amount));
      EXPECT_EQ(got["paid_by"][g]["voters"], f.payments[g].voters);
    }
    spent += f.cost_units;
  }
  EXPECT_EQ(res["spent"], lib.total_cost_units);
  EXPECT_EQ(res["spent"], spent);
  // What the library chooses here: B (four supporters at 75 each), then C
  // (both of its supporters at 200) once Add1 raised the money; A and D lose.
  ASSERT_EQ(res["funded"].size(), 2u);
  EXPECT_EQ(res["funded"][0]["project_id"], s.b);
  EXPECT_EQ(res["funded"][0]["paid_by"], (Json{{{"share", "75.00"}, {"voters", 4}}}));
  EXPECT_EQ(res["funded"][1]["project_id"], s.c);
  EXPECT_EQ(res["funded"][1]["paid_by"], (Json{{{"share", "200.00"}, {"voters", 2}}}));
  EXPECT_EQ(res["voters"], 6);
  EXPECT_EQ(res["budget"], 1'000);
  ASSERT_EQ(res["unfunded"].size(), lib.unfunded.size());
  for (size_t i = 0; i < lib.unfunded.size(); ++i) {
    const auto& u = lib.unfunded[i];
    int64_t id = ids[u.project];
    EXPECT_EQ(res["unfunded"][i]["project_id"], id);
    EXPECT_EQ(res["unfunded"][i]["reason"], budget::reason_text(u, e));
    EXPECT_FALSE(res["unfunded"][i]["reason"].get<std::string>().empty());
    EXPECT_EQ(project(id)["state"], "unfunded");
    EXPECT_EQ(project(id)["reason"], res["unfunded"][i]["reason"]);
  }
  EXPECT_EQ(project(s.b)["state"], "funded");
  EXPECT_EQ(project(s.c)["state"], "funded");
  EXPECT_EQ(res["decision"], (Json{{"subject", subject(round)}, {"domain", "fund.budget"}}));
  EXPECT_EQ(res["decision_id"], nullptr);
  EXPECT_EQ(res["paid"], Json::array());

  // Public afterwards, and tallying again answers the same.
  EXPECT_EQ(result(round), res);
  EXPECT_EQ(tally(coordinator_, round), res);
  EXPECT_EQ(get(stranger_, round)["state"], "tallied");
  EXPECT_EQ(error_of([&] { vote(members_[0], round, approve({s.a})); }).first, Code::invalid_state);
}

TEST_P(BudgetingTest, GreedyFundsByVotesUntilNothingFits) {
  auto in = approval_round();
  in.method = "greedy";
  Small s = small_round(in);
  EXPECT_EQ(get(admin_, s.round)["completion"], "none");
  small_votes(s);
  at_day(14);
  Json res = tally(coordinator_, s.round);
  std::vector<int64_t> funded;
  for (const auto& f : res["funded"]) {
    funded.push_back(f["project_id"]);
    EXPECT_EQ(f["paid_by"], Json::array());
  }
  // B and A have four votes each (the cheaper first), C does not fit, D does.
  EXPECT_EQ(funded, (std::vector<int64_t>{s.b, s.a, s.d}));
  EXPECT_EQ(res["spent"], 1'000);
  ASSERT_EQ(res["unfunded"].size(), 2u);
  EXPECT_EQ(res["unfunded"][0]["project_id"], s.c);
  EXPECT_EQ(res["unfunded"][0]["code"], "did_not_fit");
  EXPECT_EQ(res["unfunded"][0]["votes"], 2);
  EXPECT_EQ(res["unfunded"][1]["project_id"], s.e);
  EXPECT_EQ(res["unfunded"][1]["code"], "no_votes");
  EXPECT_EQ(res["unfunded"][1]["supporters"], 0);
}

TEST_P(BudgetingTest, PointsRoundsPayInProportionToPoints) {
  auto in = approval_round();
  in.ballot = "points";
  in.utility = "points";
  in.points_total = 10;
  EXPECT_EQ(error_of([&] {
              auto bad = in;
              bad.utility = "cost";
              open(coordinator_, bad);
            }),
            (Err{Code::invalid_value, "/utility"}));
  Small s = small_round(in);
  EXPECT_EQ(error_of([&] {
              vote(members_[0], s.round, {{s.a, 6}, {s.b, 5}});
            }),
            (Err{Code::out_of_range, "/items"}));
  EXPECT_EQ(error_of([&] {
              vote(members_[0], s.round, {{s.a, 11}});
            }),
            (Err{Code::out_of_range, "/items/0/points"}));
  std::vector<std::vector<BallotItem>> ballots = {{{s.a, 7}, {s.b, 3}}, {{s.a, 5}, {s.b, 5}},
                                                  {{s.b, 10}},          {{s.a, 2}, {s.e, 8}},
                                                  {{s.c, 6}, {s.d, 4}}, {{s.c, 10}}};
  for (size_t i = 0; i < ballots.size(); ++i) vote(members_[i], s.round, ballots[i]);
  at_day(14);
  Json res = tally(treasurer_, s.round);

  budget::Election e;
  e.budget_units = 1'000;
  e.kind = budget::BallotKind::points;
  std::vector<int64_t> ids{s.a, s.b, s.c, s.d, s.e};
  std::map<int64_t, int32_t> index;
  int64_t costs[] = {600, 300, 400, 100, 200};
  for (size_t i = 0; i < ids.size(); ++i) {
    index[ids[i]] = static_cast<int32_t>(i);
    e.projects.push_back(
        budget::Project{.id = std::to_string(ids[i]), .name = "", .cost_units = costs[i]});
  }
  for (const auto& b : ballots) {
    std::vector<int32_t> items;
    std::vector<int64_t> pts;
    for (const auto& item : b) {
      items.push_back(index[item.project_id]);
      pts.push_back(item.points);
    }
    e.add_ballot(items, pts);
  }
  auto lib = budget::select_projects(e, budget::Options{.utility = budget::Utility::points});
  ASSERT_EQ(res["funded"].size(), lib.funded.size());
  ASSERT_FALSE(lib.funded.empty());
  for (size_t i = 0; i < lib.funded.size(); ++i) {
    const auto& f = lib.funded[i];
    EXPECT_EQ(res["funded"][i]["project_id"], ids[f.project]);
    ASSERT_EQ(res["funded"][i]["paid_by"].size(), f.payments.size());
    for (size_t g = 0; g < f.payments.size(); ++g) {
      EXPECT_EQ(res["funded"][i]["paid_by"][g]["share"],
                budget::decimal_text(f.payments[g].amount));
      EXPECT_EQ(res["funded"][i]["paid_by"][g]["voters"], f.payments[g].voters);
    }
  }
  EXPECT_EQ(res["spent"], lib.total_cost_units);
  EXPECT_EQ(res["utility"], "points");
  // Votes are the sums of points.
  for (const auto& f : res["funded"]) {
    if (f["project_id"] == s.b) {
      EXPECT_EQ(f["votes"], 18);
    }
  }
  for (const auto& u : res["unfunded"]) {
    if (u["project_id"] == s.b) {
      EXPECT_EQ(u["votes"], 18);
    }
  }
}

TEST_P(BudgetingTest, PayoutNeedsTheOrgsDecisionWhateverTheRole) {
  Small s = small_round(approval_round());
  small_votes(s);
  at_day(14);
  tally(coordinator_, s.round);
  // Another round of the same org, paid out first with its own decision.
  auto in = approval_round();
  in.submission_closes_at = Timestamp{clock_.now().us + kDayUs};
  in.voting_closes_at = Timestamp{clock_.now().us + 2 * kDayUs};
  int64_t t = open(coordinator_, in)["id"];
  int64_t tb = submit(members_[1], t, "Bike repair shelter", 300);
  at_day(14 + 1);
  vote(members_[0], t, approve({tb}));
  at_day(14 + 2);
  tally(coordinator_, t);
  pay(treasurer_, t, decision(coop_, subject(t)));
  // A decision on this round that another round (here a cancelled one) recorded.
  int64_t used = decision(coop_, subject(s.round));
  auto later = approval_round();
  later.submission_closes_at = Timestamp{clock_.now().us + kDayUs};
  later.voting_closes_at = Timestamp{clock_.now().us + 2 * kDayUs};
  int64_t u = open(coordinator_, later)["id"];
  db_->write([&](store::Tx& tx) {
    tx.exec("UPDATE budget_rounds SET state = 'cancelled', decision_id = $1 WHERE id = $2",
            {used, u});
  });

  int64_t wrong_domain = decision(coop_, subject(s.round), "workplace.lease");
  int64_t wrong_subject = decision(coop_, "budget_round:999999");
  int64_t wrong_org = decision(other_, subject(s.round));
  int64_t rejected = decision(coop_, subject(s.round), kDecisionDomain, "rejected");
  for (const Actor* a : {&admin_, &coordinator_, &treasurer_, &members_[0], &stranger_}) {
    for (int64_t d :
         {int64_t{0}, int64_t{987654}, wrong_domain, wrong_subject, wrong_org, rejected, used}) {
      EXPECT_EQ(error_of([&] { pay(*a, s.round, d); }), (Err{Code::rule_violation, "/decision_id"}))
          << "decision " << d;
    }
  }
  EXPECT_EQ(get(admin_, s.round)["state"], "tallied");

  int64_t ok = decision(coop_, subject(s.round));
  EXPECT_EQ(error_of([&] { pay(members_[0], s.round, ok); }).first, Code::forbidden);
  int64_t before = balance(fund_);
  Json res = pay(treasurer_, s.round, ok);
  int64_t total = 0;
  for (const auto& f : res["funded"]) total += f["cost"].get<int64_t>();
  EXPECT_EQ(total, 700);
  EXPECT_EQ(balance(fund_), before - total);
  EXPECT_EQ(res["decision_id"], ok);
  ASSERT_EQ(res["paid"].size(), 2u);
  for (const auto& p : res["paid"]) {
    EXPECT_EQ(project(p["project_id"])["state"], "paid");
    EXPECT_EQ(project(p["project_id"])["transfer_id"], p["transfer_id"]);
  }
  // One linked batch, coded budget_payout, with the system's keys.
  EXPECT_EQ(count("SELECT COUNT(DISTINCT batch_id) FROM ledger_transfers WHERE idem_key LIKE "
                  "'sys:budget:" +
                  std::to_string(s.round) + ":%' AND code = 'budget_payout'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE idem_key LIKE 'sys:budget:" +
                  std::to_string(s.round) + ":%'"),
            2);
  Json check = read(admin_, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
  EXPECT_EQ(check["ok"], true) << check.dump();
  Json flows = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return workplaces::fund_flows(tx, ctx, coop_, "investment", std::nullopt, "2026-01", "2026-12");
  });
  EXPECT_EQ(flows["balance"], balance(fund_));
  EXPECT_EQ(flows["balance"].get<int64_t>(),
            flows["totals"]["in"].get<int64_t>() - flows["totals"]["out"].get<int64_t>());
  EXPECT_EQ(flows["by_code"]["out"]["budget_payout"], 700 + 300);

  Json round = get(members_[0], s.round);
  EXPECT_EQ(round["state"], "paid");
  EXPECT_EQ(round["decision_id"], ok);
  EXPECT_EQ(result(s.round), res);
  EXPECT_EQ(error_of([&] { pay(treasurer_, s.round, ok); }).first, Code::invalid_state);
  EXPECT_EQ(error_of([&] {
              write(coordinator_,
                    [&](store::Tx& tx, const Ctx& ctx) { return cancel_round(tx, ctx, s.round); });
            }).first,
            Code::invalid_state);
}

TEST_P(BudgetingTest, PayoutWritesNothingWhenTheFundCannotCoverIt) {
  Small s = small_round(approval_round());
  small_votes(s);
  at_day(14);
  tally(coordinator_, s.round);
  // The fund is spent elsewhere meanwhile: 500 left, the projects cost 700.
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    int64_t bank =
        ledger::ensure_account(tx, ctx.now, coop_, "external", std::nullopt, "EUR", "bank");
    ledger::TransferInput t{.key = "drain",
                            .debit_account_id = fund_,
                            .credit_account_id = bank,
                            .amount = 1'000'000 - 500,
                            .code = "withdrawal"};
    ledger::apply_transfers(tx, ctx.now, 0, std::span(&t, 1));
    return Json();
  });
  int64_t transfers = count("SELECT COUNT(*) FROM ledger_transfers");
  int64_t ok = decision(coop_, subject(s.round));
  EXPECT_EQ(error_of([&] { pay(treasurer_, s.round, ok); }).first, Code::rule_violation);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers"), transfers);
  EXPECT_EQ(balance(fund_), 500);
  Json round = get(admin_, s.round);
  EXPECT_EQ(round["state"], "tallied");
  EXPECT_EQ(round["decision_id"], nullptr);
  EXPECT_EQ(project(s.b)["state"], "funded");
}

TEST_P(BudgetingTest, PhasesFollowTheClock) {
  Json opened = open(coordinator_, approval_round());
  int64_t round = opened["id"];
  EXPECT_EQ(error_of([&] {
              write(coordinator_,
                    [&](store::Tx& tx, const Ctx& ctx) { return start_voting(tx, ctx, round); });
            }),
            (Err{Code::rule_violation, ""}));
  int64_t a = submit(members_[0], round, "Community garden", 600);
  // Voting before voting opens.
  EXPECT_EQ(error_of([&] { vote(members_[0], round, approve({a})); }).first, Code::invalid_state);
  at_day(7);  // submission_closes_at itself: closed
  EXPECT_EQ(error_of([&] { submit(members_[1], round, "Late", 100); }).first, Code::invalid_state);
  EXPECT_EQ(error_of([&] {
              write(members_[0],
                    [&](store::Tx& tx, const Ctx& ctx) { return withdraw_project(tx, ctx, a); });
            }).first,
            Code::invalid_state);
  vote(members_[0], round, approve({a}));
  at_day(13);
  EXPECT_EQ(error_of([&] { tally(coordinator_, round); }).first, Code::invalid_state);
  at_day(14);
  EXPECT_EQ(error_of([&] { vote(members_[1], round, approve({a})); }).first, Code::invalid_state);
  Json res = tally(coordinator_, round);
  EXPECT_EQ(res["funded"].size(), 1u);  // one voter with all 1000 buys the garden

  // Starting voting early ends submission now.
  auto in = approval_round();
  in.submission_closes_at = Timestamp{clock_.now().us + 7 * kDayUs};
  in.voting_closes_at = Timestamp{clock_.now().us + 14 * kDayUs};
  int64_t next = open(coordinator_, in)["id"];
  int64_t p = submit(members_[2], next, "Bench", 100);
  EXPECT_EQ(error_of([&] {
              write(members_[2],
                    [&](store::Tx& tx, const Ctx& ctx) { return start_voting(tx, ctx, next); });
            }).first,
            Code::forbidden);
  Json voting = write(coordinator_,
                      [&](store::Tx& tx, const Ctx& ctx) { return start_voting(tx, ctx, next); });
  EXPECT_EQ(voting["state"], "voting");
  EXPECT_EQ(voting["phase"], "voting");
  EXPECT_EQ(error_of([&] { submit(members_[1], next, "Late", 100); }).first, Code::invalid_state);
  vote(members_[2], next, approve({p}));
}

TEST_P(BudgetingTest, BallotsAreBounded) {
  auto in = approval_round();
  in.max_approvals = 2;
  Small s = small_round(in);
  // A project of another round.
  auto other_in = approval_round();
  other_in.submission_closes_at = Timestamp{clock_.now().us + kDayUs};
  other_in.voting_closes_at = Timestamp{clock_.now().us + 2 * kDayUs};
  int64_t other_round = open(coordinator_, other_in)["id"];
  int64_t foreign = submit(members_[0], other_round, "Elsewhere", 100);

  const Actor& m = members_[0];
  EXPECT_EQ(error_of([&] {
              vote(m, s.round, approve({s.a, s.a}));
            }),
            (Err{Code::invalid_value, "/items/1/project_id"}));
  EXPECT_EQ(error_of([&] {
              vote(m, s.round, approve({s.a, 999'999}));
            }),
            (Err{Code::invalid_value, "/items/1/project_id"}));
  EXPECT_EQ(error_of([&] { vote(m, s.round, approve({foreign})); }),
            (Err{Code::invalid_value, "/items/0/project_id"}));
  EXPECT_EQ(error_of([&] {
              vote(m, s.round, approve({s.a, s.b, s.c}));
            }),
            (Err{Code::out_of_range, "/items"}));
  EXPECT_EQ(error_of([&] {
              vote(m, s.round, {{s.a, 2}});
            }),
            (Err{Code::out_of_range, "/items/0/points"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM budget_votes"), 0);

  Json r = vote(m, s.round, approve({s.a, s.b}));
  EXPECT_EQ(r["voters"], 1);
  r = vote(m, s.round, approve({s.c}));  // replaces the ballot
  EXPECT_EQ(r["my_ballot"]["items"], (Json{{{"project_id", s.c}, {"points", 1}}}));
  r = vote(m, s.round, {});  // withdraws it
  EXPECT_EQ(r["voters"], 0);
  EXPECT_EQ(r["my_ballot"]["voted"], false);

  // An ineligible project stays listed but cannot be voted for.
  auto late = approval_round();
  late.submission_closes_at = Timestamp{clock_.now().us + kDayUs};
  late.voting_closes_at = Timestamp{clock_.now().us + 2 * kDayUs};
  int64_t third = open(coordinator_, late)["id"];
  int64_t bad = submit(members_[1], third, "Private car park", 500);
  int64_t good = submit(members_[2], third, "Library shelves", 200);
  EXPECT_EQ(error_of([&] {
              write(members_[1], [&](store::Tx& tx, const Ctx& ctx) {
                return mark_ineligible(tx, ctx, bad, "not public");
              });
            }).first,
            Code::forbidden);
  Json marked = write(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return mark_ineligible(tx, ctx, bad, "serves no common purpose");
  });
  EXPECT_EQ(marked["state"], "ineligible");
  EXPECT_EQ(marked["reason"], "serves no common purpose");
  clock_.set(Timestamp{clock_.now().us + kDayUs});
  EXPECT_EQ(error_of([&] {
              vote(m, third, approve({good, bad}));
            }),
            (Err{Code::rule_violation, "/items/1/project_id"}));
  Json listed = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_projects(tx, ctx, third, PageReq{});
  });
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][0]["state"], "ineligible");
  clock_.set(Timestamp{clock_.now().us + kDayUs});
  Json res = tally(coordinator_, third);
  EXPECT_EQ(res["funded"].size() + res["unfunded"].size(), 1u);  // the ineligible one is out
}

TEST_P(BudgetingTest, OpeningNeedsAFundThatCoversTheBudget) {
  EXPECT_EQ(error_of([&] { open(members_[0], approval_round()); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { open(coordinator_, approval_round(), other_); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { open(admin_, approval_round(), other_); }),
            (Err{Code::rule_violation, "/fund_kind"}));
  EXPECT_EQ(error_of([&] { open(treasurer_, approval_round(1'000'001)); }),
            (Err{Code::rule_violation, "/budget"}));
  auto late = approval_round();
  late.submission_closes_at = kStart;
  EXPECT_EQ(error_of([&] { open(treasurer_, late); }),
            (Err{Code::out_of_range, "/submission_closes_at"}));
  auto far = approval_round();
  far.voting_closes_at = Timestamp{kStart.us + 400 * kDayUs};
  EXPECT_EQ(error_of([&] { open(treasurer_, far); }),
            (Err{Code::out_of_range, "/voting_closes_at"}));
  auto untitled = approval_round();
  untitled.title = "";
  EXPECT_EQ(error_of([&] { open(treasurer_, untitled); }), (Err{Code::out_of_range, "/title"}));
  Json r = open(treasurer_, approval_round(1'000'000));
  EXPECT_EQ(r["budget"], 1'000'000);
  Json page = read(stranger_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_rounds(tx, ctx, coop_, PageReq{});
  });
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], r["id"]);
}

TEST_P(BudgetingTest, CancellingEndsTheRound) {
  Small s = small_round(approval_round());
  EXPECT_EQ(error_of([&] {
              write(members_[0],
                    [&](store::Tx& tx, const Ctx& ctx) { return cancel_round(tx, ctx, s.round); });
            }).first,
            Code::forbidden);
  Json r = write(coordinator_,
                 [&](store::Tx& tx, const Ctx& ctx) { return cancel_round(tx, ctx, s.round); });
  EXPECT_EQ(r["state"], "cancelled");
  EXPECT_EQ(r["phase"], "cancelled");
  EXPECT_EQ(r["can"]["vote"], false);
  EXPECT_EQ(error_of([&] { vote(members_[0], s.round, approve({s.a})); }).first,
            Code::invalid_state);
  at_day(14);
  EXPECT_EQ(error_of([&] { tally(coordinator_, s.round); }).first, Code::invalid_state);
  EXPECT_EQ(error_of([&] { result(s.round); }).first, Code::not_found);
  EXPECT_EQ(error_of([&] {
              write(coordinator_,
                    [&](store::Tx& tx, const Ctx& ctx) { return cancel_round(tx, ctx, s.round); });
            }).first,
            Code::invalid_state);
}

INSTANTIATE_TEST_SUITE_P(Engines, BudgetingTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
