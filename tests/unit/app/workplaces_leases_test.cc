// Leases and funds (app/workplaces.h, sections "leases" and "funds") on every
// engine under test: the invoices the scheduler raises equal the lease's
// schedule to the cent (36 months of an indexed lease), each month once,
// catching up missed months, stopping at ends_on or renewing; arrears seen by
// both sides and cleared by paying through the ledger; funds' balances equal
// their flows; the joint decision of both co-ops for creating, changing and
// ending, whatever the caller's role; overlaps and invalid fields refused.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/ledger.h"
#include "app/registry.h"
#include "app/scheduler.h"
#include "app/workplaces.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/test_db.h"
#include "workplaces/calendar.h"

namespace agora::app {
namespace {

using namespace agora::app::workplaces;
using test_app::error_of;
namespace cal = agora::workplaces;

Timestamp on(const std::string& day) { return cal::start_of(cal::parse_date(day)); }

class WorkplacesLeasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    fed_ = org(std::nullopt, "federation", "Valley Federation", "valley");
    coop_ = org(fed_, "consumer", "Riverside Consumers", "riverside");
    bakery_ = org(fed_, "worker", "Bakery Workers", "bakery");
    other_ = org(fed_, "worker", "Print Shop", "print-shop");
    lessor_ = person("lessor");
    lessee_ = person("lessee");
    treasurer_ = person("treasurer");
    stranger_ = person("stranger");
    test_app::grant_role(*db_, lessor_.person_id, coop_, "coordinator");
    test_app::grant_role(*db_, lessee_.person_id, bakery_, "coordinator");
    test_app::grant_role(*db_, treasurer_.person_id, bakery_, "treasurer");
    asset_ = asset("The old bakery", 250, coop_);
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
  // Asset rows as the assets use cases leave them (they are another file's).
  int64_t asset(const std::string& name, int64_t area, int64_t owner) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO assets (kind, name, floor_area_m2, valuation, currency, created_at, "
          "updated_at) VALUES ('workplace', $1, $2, 0, 'EUR', 0, 0)",
          {name, area});
      tx.exec("INSERT INTO asset_stakes (asset_id, org_id, share_bps) VALUES ($1, $2, 10000)",
              {id, owner});
    });
    return id;
  }
  // A decision row as governance leaves it (the votes are governance's).
  int64_t decision(int64_t org_id, std::optional<int64_t> counterparty, const std::string& subject,
                   const std::string& domain = "workplace.lease",
                   const std::string& status = "passed") {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      id = tx.insert(
          "INSERT INTO decisions (org_id, domain, subject, counterparty_org_id, status, "
          "created_at, decided_at) VALUES ($1, $2, $3, $4, $5, 0, 0)",
          {org_id, domain, subject,
           counterparty ? store::Value{*counterparty} : store::Value{nullptr}, status});
    });
    return id;
  }
  std::string subject_of(int64_t asset_id, int64_t lessee) {
    return "asset:" + std::to_string(asset_id) + ":lessee:" + std::to_string(lessee);
  }
  int64_t joint(int64_t asset_id = 0, int64_t lessee = 0) {
    return decision(coop_, lessee ? lessee : bakery_,
                    subject_of(asset_id ? asset_id : asset_, lessee ? lessee : bakery_));
  }
  int64_t joint_on_lease(int64_t lease_id) {
    return decision(bakery_, coop_, "lease:" + std::to_string(lease_id));
  }

  LeaseInput indexed() {
    return LeaseInput{.asset_id = asset_,
                      .lessor_org_id = coop_,
                      .lessee_org_id = bakery_,
                      .starts_on = "2026-01-01",
                      .ends_on = "2029-01-01",
                      .rent_kind = "indexed",
                      .rent_monthly = 100'000,
                      .index_bps = 250,
                      .debt_service = 40'000,
                      .maintenance = 15'000,
                      .steps = {{"2026-01-01", 10}, {"2027-01-01", 15}, {"2028-01-01", 20}}};
  }
  Json create(const Actor& a, LeaseInput in) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return create_lease(tx, ctx, in); });
  }
  Json get(const Actor& a, int64_t id) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) { return get_lease(tx, ctx, id); });
  }
  Json invoices(const Actor& a, int64_t id) {
    return read(a, [&](store::Tx& tx, const Ctx& ctx) {
      return lease_invoices(tx, ctx, id, PageReq{.limit = 200});
    });
  }
  int64_t raise_at(const std::string& day) {
    clock_.set(on(day));
    return write(admin_, [](store::Tx& tx, const Ctx& ctx) {
      return Json(raise_due_invoices(tx, ctx.now, 1000));
    });
  }
  std::map<std::string, int64_t> invoiced_by_kind(int64_t lease_id) {
    std::map<std::string, int64_t> out;
    db_->read([&](store::Tx& tx) {
      for (const auto& r : tx.query("SELECT kind, SUM(amount), COUNT(*) FROM lease_invoices "
                                    "WHERE lease_id = $1 GROUP BY kind",
                                    {lease_id})
                               .rows) {
        out[r.str(0)] = r.i64(1);
        out["count"] += r.i64(2);
      }
    });
    return out;
  }
  void pay_all(int64_t lease_id) {
    Json page = invoices(treasurer_, lease_id);
    for (const auto& i : page["items"]) {
      if (i["state"] == "paid") continue;
      int64_t request = i["request_id"];
      write(treasurer_, [&](store::Tx& tx, const Ctx& ctx) {
        ledger::accept_request(tx, ctx, request);
        return ledger::pay_request(tx, ctx, request, "pay-" + std::to_string(request));
      });
    }
  }
  Json flows(int64_t org_id, const std::string& kind) {
    return read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
      return fund_flows(tx, ctx, org_id, kind, std::nullopt, "2025-01", "2030-12");
    });
  }

  ManualClock clock_{on("2025-12-01")};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, lessor_, lessee_, treasurer_, stranger_;
  int64_t fed_ = 0, coop_ = 0, bakery_ = 0, other_ = 0, asset_ = 0;
};

TEST_P(WorkplacesLeasesTest, ThirtySixMonthsOfInvoicesEqualTheScheduleToTheCent) {
  auto in = indexed();
  in.decision_id = joint();
  Json lease = create(lessor_, in);
  int64_t id = lease["id"];
  EXPECT_EQ(lease["floor_area_m2"], 250);          // the asset's
  EXPECT_EQ(lease["solidarity"]["org_id"], fed_);  // the federation above the lessor
  EXPECT_EQ(lease["state"], "active");

  Json schedule = read(lessee_, [&](store::Tx& tx, const Ctx& ctx) {
    return lease_schedule(tx, ctx, id, std::nullopt, 240);
  });
  ASSERT_EQ(schedule["items"].size(), 36u);  // clipped to the lease
  EXPECT_EQ(schedule["items"][24]["rent"], 105'063);
  EXPECT_EQ(schedule["totals"]["rent"], 12 * (100'000 + 102'500 + 105'063));
  EXPECT_EQ(schedule["totals"]["solidarity"], 12 * (2'500 + 3'750 + 5'000));

  EXPECT_EQ(raise_at("2025-12-20"), 0);  // not started yet
  EXPECT_EQ(raise_at("2026-01-02"), 1);
  EXPECT_EQ(raise_at("2026-01-30"), 0);  // the same month again: nothing
  EXPECT_EQ(raise_at("2026-02-03"), 1);
  EXPECT_EQ(raise_at("2026-06-15"), 4);  // catches up March..June
  for (const char* day :
       {"2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"}) {
    EXPECT_EQ(raise_at(day), 1);
  }
  EXPECT_EQ(raise_at("2028-12-31"), 24);
  EXPECT_EQ(raise_at("2029-03-01"), 0);           // past ends_on: no more invoices ...
  EXPECT_EQ(get(lessor_, id)["state"], "ended");  // ... and the lease ended
  EXPECT_EQ(get(lessor_, id)["invoiced_through"], "2028-12");

  auto sums = invoiced_by_kind(id);
  EXPECT_EQ(sums["count"], 36 * 4);
  EXPECT_EQ(sums["debt_service"], schedule["totals"]["debt_service"].get<int64_t>());
  EXPECT_EQ(sums["maintenance"], schedule["totals"]["maintenance"].get<int64_t>());
  EXPECT_EQ(sums["surplus"], schedule["totals"]["surplus"].get<int64_t>());
  EXPECT_EQ(sums["solidarity"], schedule["totals"]["solidarity"].get<int64_t>());
  EXPECT_EQ(sums["debt_service"] + sums["maintenance"] + sums["surplus"] + sums["solidarity"],
            schedule["totals"]["total"].get<int64_t>());
}

TEST_P(WorkplacesLeasesTest, TheSchedulerJobRaisesEachMonthOnce) {
  auto in = indexed();
  in.decision_id = joint();
  int64_t id = create(lessor_, in)["id"];
  Scheduler scheduler(*app_, std::chrono::hours(1));
  scheduler.add(
      "raise_lease_invoices",
      [](store::Tx& tx, const Ctx& ctx) { return Json(raise_due_invoices(tx, ctx.now, 1000)); },
      [](store::Tx& tx, const Ctx& ctx) { return Json(any_invoice_due(tx, ctx.now)); });
  clock_.set(on("2026-03-07"));
  EXPECT_EQ(scheduler.run_once(), 0);
  EXPECT_EQ(scheduler.run_once(), 0);
  EXPECT_EQ(invoiced_by_kind(id)["count"], 3 * 4);
  EXPECT_FALSE(read(admin_, [](store::Tx& tx, const Ctx& ctx) {
                 return Json(any_invoice_due(tx, ctx.now));
               }).get<bool>());
}

TEST_P(WorkplacesLeasesTest, AutoRenewalMovesTheEndAndKeepsInvoicing) {
  LeaseInput in{.asset_id = asset_,
                .lessor_org_id = coop_,
                .lessee_org_id = bakery_,
                .starts_on = "2026-01-01",
                .ends_on = "2026-04-01",
                .renewal = "auto",
                .renew_months = 12,
                .rent_kind = "fixed",
                .rent_monthly = 50'000,
                .debt_service = 20'000,
                .decision_id = joint()};
  int64_t id = create(lessee_, in)["id"];
  EXPECT_EQ(raise_at("2026-05-10"), 5);
  Json lease = get(lessee_, id);
  EXPECT_EQ(lease["state"], "active");
  EXPECT_EQ(lease["ends_on"], "2027-04-01");
  EXPECT_EQ(lease["invoiced_through"], "2026-05");
  auto sums = invoiced_by_kind(id);
  EXPECT_EQ(sums["count"], 5 * 2);  // no maintenance, no solidarity steps
  EXPECT_EQ(sums["surplus"], 5 * 30'000);
}

TEST_P(WorkplacesLeasesTest, ArrearsShowToBothSidesAndClearWhenPaid) {
  auto in = indexed();
  in.decision_id = joint();
  int64_t id = create(lessor_, in)["id"];
  raise_at("2026-01-03");
  // Before the due day (the 5th) nothing is in arrears.
  EXPECT_EQ(get(lessor_, id)["arrears"]["count"], 0);
  clock_.set(on("2026-01-06"));
  for (const Actor* a : {&lessor_, &lessee_, &treasurer_, &admin_}) {
    Json arrears = get(*a, id)["arrears"];
    EXPECT_EQ(arrears["count"], 4);
    EXPECT_EQ(arrears["amount"], 100'000 + 2'500);
    EXPECT_EQ(arrears["oldest_due_on"], "2026-01-05");
  }
  Json page = invoices(lessor_, id);
  EXPECT_EQ(page["arrears"]["count"], 4);
  ASSERT_EQ(page["items"].size(), 4u);
  EXPECT_TRUE(page["items"][0]["overdue"].get<bool>());
  EXPECT_EQ(page["items"][0]["state"], "open");
  EXPECT_EQ(error_of([&] { get(stranger_, id); }).first, Code::forbidden);

  pay_all(id);
  EXPECT_EQ(get(lessor_, id)["arrears"]["count"], 0);
  EXPECT_EQ(get(lessee_, id)["arrears"]["amount"], 0);
  const Json paid = invoices(lessee_, id);  // the loop must not outlive it
  for (const auto& i : paid["items"]) {
    EXPECT_EQ(i["state"], "paid");
    EXPECT_FALSE(i["overdue"].get<bool>());
  }
}

TEST_P(WorkplacesLeasesTest, FundBalancesEqualTheSumOfTheirFlows) {
  auto in = indexed();
  in.decision_id = joint();
  int64_t id = create(lessor_, in)["id"];
  raise_at("2026-01-10");
  pay_all(id);
  raise_at("2027-02-10");  // 13 more months, one of them in the second year
  pay_all(id);

  Json investment = flows(coop_, "investment");
  int64_t surplus = 12 * 45'000 + 2 * 47'500;
  EXPECT_EQ(investment["balance"], surplus);
  EXPECT_EQ(investment["totals"]["in"], surplus);
  EXPECT_EQ(investment["totals"]["out"], 0);
  EXPECT_EQ(investment["by_code"]["in"]["rent"], surplus);
  // Flows fall in the month they were paid: January 2026, then the rest in February 2027.
  ASSERT_EQ(investment["inflows"].size(), 2u);
  EXPECT_EQ(investment["inflows"][0],
            (Json{{"period", "2026-01"}, {"code", "rent"}, {"amount", 45'000}}));
  EXPECT_EQ(investment["inflows"][1],
            (Json{{"period", "2027-02"}, {"code", "rent"}, {"amount", surplus - 45'000}}));

  Json solidarity = flows(fed_, "solidarity");
  int64_t contributions = 12 * 2'500 + 2 * 3'750;
  EXPECT_EQ(solidarity["balance"], contributions);
  EXPECT_EQ(solidarity["by_code"]["in"]["solidarity"], contributions);
  EXPECT_EQ(solidarity["balance"].get<int64_t>(),
            solidarity["totals"]["in"].get<int64_t>() - solidarity["totals"]["out"].get<int64_t>());

  // An outflow (a project paid from the fund) shows too, and the balance still equals the flows.
  write(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    int64_t fund = investment["account_id"];
    int64_t bakery_ops =
        ledger::ensure_account(tx, ctx.now, bakery_, "org", std::nullopt, "EUR", "operating");
    ledger::TransferInput t{.key = "project-1",
                            .debit_account_id = fund,
                            .credit_account_id = bakery_ops,
                            .amount = 100'000,
                            .code = "project"};
    return ledger::create_transfer(tx, ctx, t);
  });
  investment = flows(coop_, "investment");
  EXPECT_EQ(investment["totals"]["out"], 100'000);
  EXPECT_EQ(investment["by_code"]["out"]["project"], 100'000);
  EXPECT_EQ(investment["balance"].get<int64_t>(),
            investment["totals"]["in"].get<int64_t>() - investment["totals"]["out"].get<int64_t>());

  Json empty = flows(coop_, "education");
  EXPECT_TRUE(empty["account_id"].is_null());
  EXPECT_EQ(empty["balance"], 0);
  EXPECT_EQ(error_of([&] { flows(coop_, "holiday"); }),
            (std::pair<Code, std::string>{Code::invalid_value, "/kind"}));
  EXPECT_EQ(error_of([&] {
              read(stranger_, [&](store::Tx& tx, const Ctx& ctx) {
                return fund_flows(tx, ctx, coop_, "investment", std::nullopt, std::nullopt,
                                  std::nullopt);
              });
            }).first,
            Code::forbidden);
}

TEST_P(WorkplacesLeasesTest, CreatingNeedsTheJointDecisionWhateverTheRole) {
  std::pair<Code, std::string> refused{Code::rule_violation, "/decision_id"};
  std::string subject = subject_of(asset_, bakery_);
  std::vector<int64_t> wrong = {
      0,
      decision(coop_, std::nullopt, subject),                // the lessor alone
      decision(bakery_, std::nullopt, subject),              // the lessee alone
      decision(coop_, other_, subject),                      // with another co-op
      decision(coop_, bakery_, subject_of(asset_, other_)),  // another subject
      decision(coop_, bakery_, subject, "asset.sale"),       // another domain
      decision(coop_, bakery_, subject, "workplace.lease", "rejected"),
      decision(fed_, bakery_, subject),  // not the lessor
  };
  for (const Actor* a : {&admin_, &lessor_, &lessee_, &treasurer_, &stranger_}) {
    for (int64_t d : wrong) {
      auto in = indexed();
      in.decision_id = d;
      EXPECT_EQ(error_of([&] { create(*a, in); }), refused) << "decision " << d;
    }
  }
  // With the joint decision a stranger is still not a party's coordinator.
  auto in = indexed();
  in.decision_id = joint();
  EXPECT_EQ(error_of([&] { create(stranger_, in); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { create(treasurer_, in); }).first, Code::forbidden);
  // Either side's decision with the other as counterparty serves.
  in.decision_id = decision(bakery_, coop_, subject);
  int64_t id = create(lessee_, in)["id"];
  EXPECT_EQ(get(lessor_, id)["decision_id"], in.decision_id);

  // A decision serves once: ending the lease, the same decision cannot lease again.
  int64_t end = joint_on_lease(id);
  write(lessor_,
        [&](store::Tx& tx, const Ctx& ctx) { return end_lease(tx, ctx, id, "2026-02-01", end); });
  EXPECT_EQ(error_of([&] { create(lessor_, in); }), refused);
  in.decision_id = joint();
  in.starts_on = "2026-02-01";
  in.steps[0].from_on = "2026-02-01";
  EXPECT_EQ(create(lessor_, in)["state"], "active");
}

TEST_P(WorkplacesLeasesTest, ChangingAndEndingNeedTheJointDecision) {
  auto in = indexed();
  in.decision_id = joint();
  int64_t id = create(lessor_, in)["id"];
  raise_at("2026-03-10");  // January..March invoiced
  auto change = [&](const Actor& a, LeasePatch p) {
    return write(a, [&](store::Tx& tx, const Ctx& ctx) { return change_lease(tx, ctx, id, p); });
  };
  auto end = [&](const Actor& a, const std::string& ends_on, int64_t d) {
    return write(a,
                 [&](store::Tx& tx, const Ctx& ctx) { return end_lease(tx, ctx, id, ends_on, d); });
  };
  std::pair<Code, std::string> refused{Code::rule_violation, "/decision_id"};
  std::string subject = "lease:" + std::to_string(id);
  std::vector<int64_t> wrong = {0, decision(coop_, std::nullopt, subject),
                                decision(bakery_, std::nullopt, subject),
                                decision(coop_, bakery_, "lease:999"), in.decision_id};
  for (const Actor* a : {&admin_, &lessor_, &lessee_, &stranger_}) {
    for (int64_t d : wrong) {
      EXPECT_EQ(error_of([&] { change(*a, LeasePatch{.rent_monthly = 90'000, .decision_id = d}); }),
                refused);
      EXPECT_EQ(error_of([&] { end(*a, "2026-06-01", d); }), refused);
    }
  }
  // A change applies from the first uninvoiced month.
  int64_t d1 = joint_on_lease(id);
  Json changed = change(lessee_, LeasePatch{.debt_service = 30'000, .decision_id = d1});
  EXPECT_EQ(changed["debt_service"], 30'000);
  raise_at("2026-04-10");
  db_->read([&](store::Tx& tx) {
    EXPECT_EQ(tx.query("SELECT amount FROM lease_invoices WHERE lease_id = $1 AND period = "
                       "'2026-03' AND kind = 'debt_service'",
                       {id})
                  .one()
                  .i64(0),
              40'000);
    EXPECT_EQ(tx.query("SELECT amount FROM lease_invoices WHERE lease_id = $1 AND period = "
                       "'2026-04' AND kind = 'debt_service'",
                       {id})
                  .one()
                  .i64(0),
              30'000);
    EXPECT_EQ(tx.query("SELECT COUNT(*) FROM lease_changes WHERE lease_id = $1", {id}).one().i64(0),
              1);
  });
  // The schedule shows what each invoiced month was charged and the new
  // terms from the first uninvoiced month on.
  Json schedule = read(lessee_, [&](store::Tx& tx, const Ctx& ctx) {
    return lease_schedule(tx, ctx, id, std::nullopt, 6);
  });
  ASSERT_EQ(schedule["items"].size(), 6u);
  for (int i = 0; i < 6; ++i) {
    const Json& m = schedule["items"][i];
    EXPECT_EQ(m["invoiced"], i < 4) << m.dump();
    EXPECT_EQ(m["debt_service"], i < 3 ? 40'000 : 30'000) << m.dump();
    EXPECT_EQ(m["rent"], 100'000) << m.dump();
    EXPECT_EQ(m["surplus"], i < 3 ? 45'000 : 55'000) << m.dump();
    EXPECT_EQ(m["solidarity"], 2'500) << m.dump();
    EXPECT_EQ(m["rate_per_m2"], 10) << m.dump();
  }
  EXPECT_EQ(schedule["totals"]["debt_service"], 3 * 40'000 + 3 * 30'000);
  // The change's decision is used; ending needs its own, not before the first uninvoiced month.
  EXPECT_EQ(error_of([&] { end(lessor_, "2026-09-01", d1); }), refused);
  int64_t d2 = joint_on_lease(id);
  EXPECT_EQ(error_of([&] { end(lessor_, "2026-04-01", d2); }),
            (std::pair<Code, std::string>{Code::out_of_range, "/ends_on"}));
  Json ended = end(lessor_, "2026-06-01", d2);
  EXPECT_EQ(ended["ends_on"], "2026-06-01");
  EXPECT_EQ(ended["end_decision_id"], d2);
  EXPECT_EQ(ended["state"], "active");   // until the scheduler reaches June
  EXPECT_EQ(raise_at("2026-08-01"), 1);  // May only
  EXPECT_EQ(get(lessor_, id)["state"], "ended");
  EXPECT_EQ(get(lessor_, id)["invoiced_through"], "2026-05");
}

TEST_P(WorkplacesLeasesTest, AnOverlappingLeaseIsRefused) {
  auto in = indexed();
  in.decision_id = joint();
  create(lessor_, in);
  LeaseInput second{.asset_id = asset_,
                    .lessor_org_id = coop_,
                    .lessee_org_id = other_,
                    .starts_on = "2028-12-01",
                    .ends_on = "2030-01-01",
                    .rent_kind = "free",
                    .decision_id = joint(asset_, other_)};
  EXPECT_EQ(error_of([&] { create(lessor_, second); }).first, Code::conflict);
  second.starts_on = "2029-01-01";
  EXPECT_EQ(create(lessor_, second)["state"], "active");
  // Another asset is free.
  int64_t shed = asset("The shed", 40, coop_);
  second.asset_id = shed;
  second.starts_on = "2026-01-01";
  second.decision_id = joint(shed, other_);
  EXPECT_EQ(create(lessor_, second)["floor_area_m2"], 40);
}

TEST_P(WorkplacesLeasesTest, InvalidFieldsAreNamed) {
  auto check = [&](const std::string& field, auto mutate) {
    auto in = indexed();
    in.decision_id = joint();
    mutate(in);
    EXPECT_EQ(error_of([&] { create(lessor_, in); }).second, field);
  };
  check("/asset_id", [](LeaseInput& in) { in.asset_id = 999; });
  check("/lessor_org_id", [&](LeaseInput& in) { in.lessor_org_id = other_; });
  check("/lessee_org_id", [&](LeaseInput& in) { in.lessee_org_id = coop_; });
  check("/starts_on", [](LeaseInput& in) { in.starts_on = "2026-01-15"; });
  check("/starts_on", [](LeaseInput& in) { in.starts_on = "January"; });
  check("/ends_on", [](LeaseInput& in) { in.ends_on = "2025-12-01"; });
  check("/rent_kind", [](LeaseInput& in) { in.rent_kind = "barter"; });
  check("/renewal", [](LeaseInput& in) { in.renewal = "sometimes"; });
  check("/renew_months", [](LeaseInput& in) { in.renewal = "auto"; });
  check("/index_bps", [](LeaseInput& in) { in.index_bps = 6'000; });
  check("/index_bps", [](LeaseInput& in) { in.rent_kind = "fixed"; });
  check("/rent_monthly", [](LeaseInput& in) {
    in.rent_kind = "free";
    in.index_bps = 0;
  });
  check("/debt_service", [](LeaseInput& in) { in.debt_service = 90'000; });
  check("/maintenance", [](LeaseInput& in) { in.maintenance = -1; });
  check("/due_day", [](LeaseInput& in) { in.due_day = 29; });
  check("/floor_area_m2", [](LeaseInput& in) { in.floor_area_m2 = -5; });
  check("/steps/0/from_on", [](LeaseInput& in) { in.steps[0].from_on = "2026-02-01"; });
  check("/steps/1/from_on", [](LeaseInput& in) { in.steps[1].from_on = "2026-01-01"; });
  check("/steps/2/rate_per_m2", [](LeaseInput& in) { in.steps[2].rate_per_m2 = -3; });
  check("/solidarity_org_id", [](LeaseInput& in) { in.solidarity_org_id = 999; });
}

INSTANTIATE_TEST_SUITE_P(Engines, WorkplacesLeasesTest,
                         ::testing::ValuesIn(test_db::test_engines()), test_db::engine_name);

}  // namespace
}  // namespace agora::app
