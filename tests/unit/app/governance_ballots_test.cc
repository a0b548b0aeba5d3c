// The ballots half of governance (app/governance.h, governance_internal.h)
// on every engine under test: the roll by class, tenure, age, spend, seats
// and congress delegates; casting secret and open ballots inside the
// window; receipts; proxies; counting with quorum and thresholds; hidden
// results; BLT export. Proposals are written as rows here so that these
// tests pin this half alone.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <functional>
#include <regex>

#include "app/governance.h"
#include "core/error.h"
#include "governance/voting/voting.h"
#include "support/test_db.h"

// See governance_ballots.cc: the same alias, declared before the header uses it.
namespace agora::app::gov {
namespace voting = governance::voting;
}  // namespace agora::app::gov

#include "app/governance_internal.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

using test_support::kDayUs;
// 2027-01-15T08:00:00Z
constexpr int64_t kStartUs = 1'800'000'000'000'000;

using test_support::code_of;

// How parse_ballot refuses a ballot (ballot_files.h).
bool bad_ballot(Code c) {
  return c == Code::missing_field || c == Code::wrong_type || c == Code::invalid_value ||
         c == Code::out_of_range || c == Code::unknown_field;
}

struct Prop {
  std::string body = "general_meeting";
  std::string method = "majority";
  std::string options = R"(["for","against","abstain"])";
  bool secret = false;
  bool hidden = false;
  std::string chamber = "";
  int64_t quorum_num = 0, quorum_den = 1;
  int64_t threshold_num = 1, threshold_den = 2;
  bool strict = true;
  int64_t org_id = 0;  // 0: the co-op
  int64_t opens_in_days = 0;
};

governance::Body general_body() {
  governance::Body b;
  b.key = "general_meeting";
  b.kind = governance::BodyKind::general_meeting;
  b.name = "General meeting";
  return b;
}

class GovBallotsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor{.admin = true, .address = "test"};
    db_->write([&](store::Tx& tx) {
      national_ = org(tx, std::nullopt, "federation", "National");
      coop_ = org(tx, national_, "consumer", "Riverside");
      consumer_ = member_class(tx, coop_, "consumer");
      worker_ = member_class(tx, coop_, "worker");
    });
    coordinator_ = person("coord");
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, "
          "'coordinator', 0)",
          {coordinator_.person_id, coop_});
    });
  }
  void TearDown() override { app_->stop(); }

  static int64_t org(store::Tx& tx, std::optional<int64_t> parent, const std::string& kind,
                     const std::string& name) {
    std::string slug = name;
    for (char& c : slug) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    store::Value p = parent ? store::Value{*parent} : store::Value{nullptr};
    return tx
        .query(
            "INSERT INTO orgs (parent_id, kind, name, slug, territory, admission, currency, "
            "created_at) VALUES ($1, $2, $3, $4, '', 'coordinator', 'EUR', 0) RETURNING id",
            {p, kind, name, slug})
        .one()
        .i64(0);
  }
  static int64_t member_class(store::Tx& tx, int64_t org_id, const std::string& code) {
    return tx
        .query(
            "INSERT INTO member_classes (org_id, code, name, share_price_minor, min_shares, "
            "created_at) VALUES ($1, $2, $2, 1000, 1, 0) RETURNING id",
            {org_id, code})
        .one()
        .i64(0);
  }

  Actor person(const std::string& name, std::optional<std::string> birth_date = std::nullopt) {
    Actor a{.address = "test"};
    db_->write([&](store::Tx& tx) {
      store::Value b = birth_date ? store::Value{*birth_date} : store::Value{nullptr};
      a.person_id = tx.query(
                          "INSERT INTO persons (given_name, family_name, email, birth_date, "
                          "created_at) VALUES ($1, 'Test', $2, $3, 0) RETURNING id",
                          {name, name + "@test.agora", b})
                        .one()
                        .i64(0);
      a.account_id = tx.query(
                           "INSERT INTO accounts (person_id, email, password_hash, admin, "
                           "created_at) VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                           {a.person_id, name + "@test.agora"})
                         .one()
                         .i64(0);
    });
    return a;
  }

  // An active membership admitted `days_ago` days before now.
  void join(const Actor& a, int64_t class_id, int64_t days_ago = 100, int64_t org_id = 0,
            const std::string& status = "active") {
    db_->write([&](store::Tx& tx) {
      int64_t at = clock_.now().us - days_ago * kDayUs;
      tx.exec(
          "INSERT INTO memberships (org_id, person_id, class_id, status, member_number, "
          "requested_shares, shares, applied_at, admitted_at) "
          "VALUES ($1, $2, $3, $4, $5, 1, 1, $6, $6)",
          {org_id ? org_id : coop_, a.person_id, class_id, status, ++member_number_, at});
    });
  }

  void spend(const Actor& a, int64_t days_ago, int64_t amount_minor) {
    db_->write([&](store::Tx& tx) {
      record_member_spend(tx, coop_, a.person_id, Timestamp{clock_.now().us - days_ago * kDayUs},
                          amount_minor, "market");
    });
  }

  int64_t proposal(const Prop& p) {
    int64_t id = 0;
    db_->write([&](store::Tx& tx) {
      int64_t now = clock_.now().us;
      int64_t org_id = p.org_id ? p.org_id : coop_;
      int64_t decision = tx.query(
                               "INSERT INTO decisions (org_id, domain, subject, status, "
                               "created_at) VALUES ($1, 'fund.allocation', '', 'pending', $2) "
                               "RETURNING id",
                               {org_id, now})
                             .one()
                             .i64(0);
      int64_t opens = now + p.opens_in_days * kDayUs;
      id = tx.query(
                 "INSERT INTO proposals (decision_id, org_id, body_key, domain, kind, title, "
                 "text, method, options_json, seats, chamber, quorum_num, quorum_den, "
                 "threshold_num, threshold_den, threshold_of, threshold_strict, notice_days, "
                 "voting_days, secret, results_hidden, status, tie_seed, created_at, "
                 "opened_at, voting_opens_at, voting_closes_at) VALUES ($1, $2, $3, "
                 "'fund.allocation', 'motion', 'A motion', '', $4, $5, 1, $6, $7, $8, $9, "
                 "$10, 'cast', $11, 0, 7, $12, $13, 'open', 42, $14, $14, $15, $16) "
                 "RETURNING id",
                 {decision, org_id, p.body, p.method, p.options, p.chamber, p.quorum_num,
                  p.quorum_den, p.threshold_num, p.threshold_den, int64_t{p.strict},
                  int64_t{p.secret}, int64_t{p.hidden}, now, opens, opens + 7 * kDayUs})
               .one()
               .i64(0);
    });
    return id;
  }

  gov::Roll roll(int64_t proposal_id, const governance::Body& body) {
    gov::Roll r;
    db_->write([&](store::Tx& tx) {
      Ctx ctx{admin_, clock_.now()};
      auto p = gov::load_proposal(tx, proposal_id);
      r = gov::fix_roll(tx, ctx, p, body);
      tx.exec("UPDATE proposals SET eligible_count = $2, eligible_weight = $3 WHERE id = $1",
              {proposal_id, r.count, r.weight});
    });
    return r;
  }

  std::vector<int64_t> roll_ids(int64_t proposal_id) {
    std::vector<int64_t> out;
    db_->read([&](store::Tx& tx) {
      for (const auto& r : tx.query("SELECT person_id FROM electorate WHERE proposal_id = $1 "
                                    "ORDER BY person_id",
                                    {proposal_id})
                               .rows) {
        out.push_back(r.i64(0));
      }
    });
    return out;
  }

  Json cast(const Actor& a, int64_t proposal_id, Json ballot,
            std::optional<int64_t> on_behalf_of = std::nullopt) {
    CastInput in{.ballot = std::move(ballot), .on_behalf_of = on_behalf_of};
    return app_->write(a, "cast_ballot", Json::object(), [=](store::Tx& tx, const Ctx& ctx) {
      return cast_ballot(tx, ctx, proposal_id, in);
    });
  }
  Json write(const Actor& a, WriteFn fn) { return app_->write(a, "test", Json::object(), fn); }
  Json read(const Actor& a, ReadFn fn) { return app_->read(a, fn); }

  gov::Count count(int64_t proposal_id) {
    gov::Count c;
    db_->read(
        [&](store::Tx& tx) { c = gov::count_ballots(tx, gov::load_proposal(tx, proposal_id)); });
    return c;
  }

  // What close_proposal does to the row, as far as this half reads it.
  void mark_counted(int64_t proposal_id) {
    db_->write([&](store::Tx& tx) {
      auto c = gov::count_ballots(tx, gov::load_proposal(tx, proposal_id));
      Json result{{"proposal_id", proposal_id},
                  {"final", true},
                  {"tally", c.tally},
                  {"decision", c.decision.to_json()}};
      tx.exec(
          "UPDATE proposals SET status = 'closed', outcome = $2, result_json = $3, "
          "closed_at = $4 WHERE id = $1",
          {proposal_id, std::string(governance::voting::outcome_name(c.decision.outcome)),
           result.dump(), clock_.now().us});
    });
  }

  int64_t count_rows(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }

  // A constitution whose general meeting allows one proxy per holder and
  // whose board allows none.
  void insert_constitution() {
    const char* toml = R"(name = "Test rules"

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"
weights = "one_member_one_vote"
proxies = true
max_proxies_per_holder = 1

[[body]]
key = "board"
kind = "board"
name = "Board"
seats = 3
elected_by = "general_meeting"
proxies = false
max_proxies_per_holder = 0

[[domain]]
key = "*"
bodies = ["general_meeting"]
method = "majority"
)";
    db_->write([&](store::Tx& tx) {
      tx.exec("INSERT INTO constitutions (org_id, version, toml, adopted_at) VALUES ($1, 1, $2, 0)",
              {coop_, std::string(toml)});
    });
  }

  Json grant(const Actor& grantor, const Actor& holder,
             std::optional<int64_t> proposal_id = std::nullopt,
             const std::string& body = "general_meeting") {
    return write(grantor, [=, this](store::Tx& tx, const Ctx& ctx) {
      return grant_proxy(tx, ctx, coop_, body, holder.person_id, proposal_id);
    });
  }

  ManualClock clock_{Timestamp{kStartUs}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_, coordinator_;
  int64_t national_ = 0, coop_ = 0, consumer_ = 0, worker_ = 0;
  int64_t member_number_ = 0;
};

const Json kFor = Json{{"choice", 0}};
const Json kAgainst = Json{{"choice", 1}};
const Json kAbstain = Json{{"choice", 2}};

// ---- the roll

TEST_P(GovBallotsTest, RollByClassTenureAgeAndSpend) {
  // Today is 2027-01-15: 16 years ago is 2011-01-15.
  Actor ana = person("ana", "2000-05-01");
  Actor bea = person("bea", "2000-05-01");  // worker class: not in the electorate
  Actor cai = person("cai", "2000-05-01");  // joined 10 days ago: tenure 30 not met
  Actor dan = person("dan", "2012-03-01");  // 14
  Actor eve = person("eve");                // birth date unknown
  Actor fay = person("fay", "2000-05-01");  // spends too little
  Actor gil = person("gil", "2011-01-15");  // 16 today
  Actor hal = person("hal", "2000-05-01");  // left the co-op
  Actor ivy = person("ivy", "2000-05-01");  // spent enough, but over a year ago
  join(ana, consumer_);
  join(bea, worker_);
  join(cai, consumer_, 10);
  join(dan, consumer_);
  join(eve, consumer_);
  join(fay, consumer_);
  join(gil, consumer_);
  join(hal, consumer_, 100, 0, "left");
  join(ivy, consumer_);
  for (const Actor* a : {&ana, &bea, &cai, &dan, &eve, &gil, &hal}) spend(*a, 30, 600);
  spend(fay, 30, 100);
  spend(ivy, 400, 5000);
  // An organisation member does not vote at the general meeting itself.
  db_->write([&](store::Tx& tx) {
    int64_t shop = org(tx, coop_, "worker", "Shop");
    tx.exec(
        "INSERT INTO memberships (org_id, member_org_id, class_id, status, member_number, "
        "requested_shares, shares, applied_at, admitted_at) VALUES ($1, $2, $3, 'active', 99, "
        "1, 1, 0, 0)",
        {coop_, shop, consumer_});
  });

  auto body = general_body();
  body.electorate.classes = {"consumer"};
  body.electorate.min_tenure_days = 30;
  body.electorate.min_age = 16;
  body.electorate.min_yearly_spend_minor = 500;
  int64_t p = proposal({});
  auto r = roll(p, body);
  EXPECT_EQ(r.count, 2);
  EXPECT_EQ(r.weight, 2);
  EXPECT_EQ(roll_ids(p), (std::vector<int64_t>{ana.person_id, gil.person_id}));

  // No rules: every active person member, whatever the class.
  int64_t open = proposal({});
  EXPECT_EQ(roll(open, general_body()).count, 8);

  // An election's chamber keeps only its class.
  int64_t chamber = proposal({.chamber = "worker"});
  roll(chamber, general_body());
  EXPECT_EQ(roll_ids(chamber), std::vector<int64_t>{bea.person_id});
  // ... and nobody when the body's classes leave that class out.
  int64_t none = proposal({.chamber = "worker"});
  EXPECT_EQ(roll(none, body).count, 0);
}

TEST_P(GovBallotsTest, RollOfASeatedBodyIsItsCurrentSeats) {
  Actor ana = person("ana"), bea = person("bea"), cai = person("cai");
  join(ana, consumer_);
  join(bea, worker_);
  join(cai, consumer_);
  db_->write([&](store::Tx& tx) {
    int64_t now = clock_.now().us;
    const char* sql =
        "INSERT INTO body_seats (org_id, body_key, person_id, chamber, since_at, "
        "until_at) VALUES ($1, 'board', $2, $3, $4, $5)";
    tx.exec(sql, {coop_, ana.person_id, std::string(""), now - kDayUs, nullptr});
    tx.exec(sql, {coop_, bea.person_id, std::string("worker"), now - kDayUs, nullptr});
    tx.exec(sql, {coop_, cai.person_id, std::string(""), now - 9 * kDayUs, now - kDayUs});  // ended
  });
  governance::Body board;
  board.key = "board";
  board.kind = governance::BodyKind::board;
  board.seats = 3;
  int64_t p = proposal({.body = "board"});
  auto r = roll(p, board);
  EXPECT_EQ(r.count, 2);
  EXPECT_EQ(roll_ids(p), (std::vector<int64_t>{ana.person_id, bea.person_id}));
  int64_t workers = proposal({.body = "board", .chamber = "worker"});
  roll(workers, board);
  EXPECT_EQ(roll_ids(workers), std::vector<int64_t>{bea.person_id});
}

TEST_P(GovBallotsTest, CongressDelegatesCarryTheirCoopsMembers) {
  int64_t north = 0, south = 0;
  db_->write([&](store::Tx& tx) {
    north = org(tx, national_, "consumer", "North");
    south = org(tx, national_, "consumer", "South");
    tx.exec("UPDATE orgs SET member_count = 412 WHERE id = $1", {north});
    tx.exec("UPDATE orgs SET member_count = 1 WHERE id = $1", {south});
  });
  Actor n1 = person("n1"), n2 = person("n2"), n3 = person("n3"), s1 = person("s1"),
        s2 = person("s2"), gone = person("gone");
  db_->write([&](store::Tx& tx) {
    const char* sql =
        "INSERT INTO role_grants (person_id, org_id, role, granted_at, revoked_at) "
        "VALUES ($1, $2, 'delegate', 0, $3)";
    for (const Actor* a : {&n1, &n2, &n3}) tx.exec(sql, {a->person_id, north, nullptr});
    for (const Actor* a : {&s1, &s2}) tx.exec(sql, {a->person_id, south, nullptr});
    tx.exec(sql, {gone.person_id, north, int64_t{5}});  // revoked
  });
  governance::Body congress;
  congress.key = "congress";
  congress.kind = governance::BodyKind::congress;
  congress.weights = governance::WeightRule::delegate;
  int64_t p = proposal({.body = "congress", .org_id = national_});
  auto r = roll(p, congress);
  EXPECT_EQ(r.count, 5);
  EXPECT_EQ(r.weight,
            412 + 2);  // 138 + 137 + 137; South's one member, but every delegate weighs 1 at least
  Json page = read(admin_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_roll(tx, ctx, p, PageReq{.limit = 50});
  });
  ASSERT_EQ(page["items"].size(), 5u);
  EXPECT_EQ(page["items"][0]["person_id"], n1.person_id);
  EXPECT_EQ(page["items"][0]["weight"], 138);
  EXPECT_EQ(page["items"][1]["weight"], 137);
  EXPECT_EQ(page["items"][2]["weight"], 137);
  EXPECT_EQ(page["items"][0]["represents"], "North, 412 members");
  EXPECT_EQ(page["items"][3]["weight"], 1);
  EXPECT_EQ(page["items"][4]["weight"], 1);

  // Their weight is what the count adds up.
  cast(n1, p, kFor);
  cast(n2, p, kAgainst);
  cast(s1, p, kFor);
  auto c = count(p);
  EXPECT_EQ(c.result.ballots, 138 + 137 + 1);
  EXPECT_EQ(c.tally["for"], 139);
  EXPECT_EQ(c.tally["against"], 137);
}

TEST_P(GovBallotsTest, RollOfTwoThousandFiveHundredMembersIsFixedInOnePass) {
  constexpr int kMembers = 2500;
  db_->write([&](store::Tx& tx) {
    int64_t first = 0;
    for (int chunk = 0; chunk < kMembers; chunk += 250) {
      std::string sql =
          "INSERT INTO persons (given_name, family_name, birth_date, created_at) VALUES ";
      for (int i = 0; i < 250; ++i)
        sql += std::string(i ? ", " : "") + "('m', 'M', '1990-01-01', 0)";
      tx.exec(sql);
    }
    first = tx.query("SELECT MIN(id) FROM persons WHERE given_name = 'm'").one().i64(0);
    int64_t last = tx.query("SELECT MAX(id) FROM persons WHERE given_name = 'm'").one().i64(0);
    tx.exec(
        "INSERT INTO memberships (org_id, person_id, class_id, status, member_number, "
        "requested_shares, shares, applied_at, admitted_at) "
        "SELECT $1, id, $2, 'active', id + 1000, 1, 1, 0, 0 FROM persons "
        "WHERE given_name = 'm' AND id BETWEEN $3 AND $4",
        {coop_, consumer_, first, last});
    tx.exec(
        "INSERT INTO member_spend (org_id, person_id, at, amount_minor, source) "
        "SELECT $1, id, $2, 1000, 'market' FROM persons WHERE given_name = 'm'",
        {coop_, clock_.now().us - kDayUs});
  });
  auto body = general_body();
  body.electorate.classes = {"consumer"};
  body.electorate.min_age = 16;
  body.electorate.min_yearly_spend_minor = 500;
  body.electorate.min_tenure_days = 30;
  int64_t p = proposal({});
  auto started = std::chrono::steady_clock::now();
  auto r = roll(p, body);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.count, kMembers);
  EXPECT_EQ(r.weight, kMembers);
  EXPECT_LT(std::chrono::duration<double>(took).count(), 5.0 * test_db::kTimingSlack);
}

// ---- casting

TEST_P(GovBallotsTest, SecretBallotGivesAReceiptAndKeepsNoLink) {
  Actor ana = person("ana"), bea = person("bea");
  join(ana, consumer_);
  join(bea, consumer_);
  int64_t p = proposal({.secret = true});
  roll(p, general_body());

  Json out = cast(ana, p, kFor);
  EXPECT_EQ(out["secret"], true);
  EXPECT_FALSE(out.contains("ballot"));
  std::string receipt = out["receipt"];
  EXPECT_TRUE(
      std::regex_match(receipt, std::regex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}")))
      << receipt;
  EXPECT_NE(cast(bea, p, kAgainst)["receipt"], receipt);

  // Who voted is known; what they voted is not next to it.
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM voters WHERE ballot_json IS NULL AND reason IS NULL"),
            2);
  db_->read([&](store::Tx& tx) {
    auto rows = tx.query("SELECT * FROM secret_ballots");
    EXPECT_EQ(rows.columns, (std::vector<std::string>{"proposal_id", "receipt_hash", "weight",
                                                      "ballot_json", "reason"}));
    ASSERT_EQ(rows.rows.size(), 2u);
    for (const auto& r : rows.rows) EXPECT_NE(r.str(1), receipt);
  });
  EXPECT_EQ(count_rows("SELECT voters_count FROM proposals WHERE id = " + std::to_string(p)), 2);

  // The receipt finds the ballot, typed loosely; nothing else does.
  auto check = [&](const std::string& code) {
    return read(Actor{},
                [&](store::Tx& tx, const Ctx& ctx) { return check_receipt(tx, ctx, p, code); });
  };
  Json seen = check(receipt);
  EXPECT_EQ(seen["counted"], true);
  EXPECT_EQ(seen["ballot"], kFor);
  EXPECT_EQ(seen["final"], false);
  std::string loose;
  for (char c : receipt) {
    if (c == '-') continue;
    loose += c == '1' ? 'l' : c == '0' ? 'o' : static_cast<char>(std::tolower(c));
  }
  EXPECT_EQ(check(loose)["ballot"], kFor);
  std::string wrong = receipt;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(code_of([&] { check(wrong); }), Code::not_found);
  EXPECT_EQ(code_of([&] { check("ABCD"); }), Code::invalid_value);
  EXPECT_EQ(code_of([&] { check(std::string(100, 'A')); }), Code::out_of_range);

  mark_counted(p);
  EXPECT_EQ(check(receipt)["final"], true);
}

TEST_P(GovBallotsTest, OpenBallotIsStoredWithTheVoter) {
  Actor ana = person("ana");
  join(ana, consumer_);
  int64_t p = proposal({});
  roll(p, general_body());
  Json out = cast(ana, p, kAgainst);
  EXPECT_EQ(out["secret"], false);
  EXPECT_EQ(out["ballot"], kAgainst);
  EXPECT_FALSE(out.contains("receipt"));
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM voters WHERE ballot_json IS NOT NULL"), 1);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM secret_ballots"), 0);
  Json votes = read(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_votes(tx, ctx, p, PageReq{});
  });
  ASSERT_EQ(votes["items"].size(), 1u);
  EXPECT_EQ(votes["items"][0]["person_id"], ana.person_id);
  EXPECT_EQ(votes["items"][0]["ballot"], kAgainst);
  EXPECT_EQ(votes["items"][0]["cast_by"], ana.person_id);
}

TEST_P(GovBallotsTest, CastingIsRefusedTwiceOutsideTheWindowAndOffTheRoll) {
  Actor ana = person("ana"), bea = person("bea"), out = person("out");
  join(ana, consumer_);
  join(bea, consumer_);
  int64_t p = proposal({.secret = true});
  roll(p, general_body());
  cast(ana, p, kFor);
  EXPECT_EQ(code_of([&] { cast(ana, p, kAgainst); }), Code::duplicate);
  EXPECT_EQ(code_of([&] { cast(out, p, kFor); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { cast(Actor{}, p, kFor); }), Code::unauthenticated);
  EXPECT_TRUE(bad_ballot(code_of([&] { cast(bea, p, Json{{"choice", 7}}); })));
  EXPECT_TRUE(bad_ballot(code_of([&] { cast(bea, p, Json{{"approve", Json::array()}}); })));
  // A refused cast leaves nothing behind.
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM voters"), 1);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM secret_ballots"), 1);

  int64_t later = proposal({.opens_in_days = 3});
  roll(later, general_body());
  EXPECT_EQ(code_of([&] { cast(bea, later, kFor); }), Code::invalid_state);
  clock_.advance_us(8 * kDayUs);  // p's window has closed
  EXPECT_EQ(code_of([&] { cast(bea, p, kFor); }), Code::invalid_state);
  cast(bea, later, kFor);  // and later's is open
}

// ---- proxies

TEST_P(GovBallotsTest, ProxyHolderVotesForTheGrantor) {
  insert_constitution();
  Actor ana = person("ana"), bea = person("bea"), cai = person("cai"), dan = person("dan");
  for (const Actor* a : {&ana, &bea, &cai, &dan}) join(*a, consumer_);
  int64_t p = proposal({.secret = true});
  roll(p, general_body());

  // Without a proxy, bea cannot vote for ana.
  EXPECT_EQ(code_of([&] { cast(bea, p, kFor, ana.person_id); }), Code::forbidden);
  Json proxy = grant(ana, bea);
  EXPECT_EQ(proxy["holder"]["person_id"], bea.person_id);
  EXPECT_EQ(proxy["revoked_at"], nullptr);
  // A second live proxy for the same body, and a second held by bea (cap 1), are refused.
  EXPECT_EQ(code_of([&] { grant(ana, cai); }), Code::duplicate);
  EXPECT_EQ(code_of([&] { grant(cai, bea); }), Code::rule_violation);
  EXPECT_EQ(code_of([&] { grant(cai, cai); }), Code::invalid_value);
  EXPECT_EQ(code_of([&] { grant(cai, dan, std::nullopt, "board"); }), Code::rule_violation);
  EXPECT_EQ(code_of([&] { grant(Actor{}, dan); }), Code::unauthenticated);

  Json mine = read(bea, [&](store::Tx& tx, const Ctx& ctx) { return my_vote(tx, ctx, p); });
  EXPECT_EQ(mine["on_roll"], true);
  EXPECT_EQ(mine["can_vote_now"], true);
  ASSERT_EQ(mine["proxies_held"].size(), 1u);
  EXPECT_EQ(mine["proxies_held"][0]["person_id"], ana.person_id);
  EXPECT_EQ(mine["proxies_held"][0]["voted"], false);

  cast(bea, p, kFor, ana.person_id);
  cast(bea, p, kAgainst);
  // Ana's vote was cast, by whoever: she cannot vote again.
  EXPECT_EQ(code_of([&] { cast(ana, p, kAgainst); }), Code::duplicate);
  EXPECT_EQ(
      count_rows("SELECT COUNT(*) FROM voters WHERE person_id = " + std::to_string(ana.person_id) +
                 " AND cast_by_person_id = " + std::to_string(bea.person_id)),
      1);
  mine = read(bea, [&](store::Tx& tx, const Ctx& ctx) { return my_vote(tx, ctx, p); });
  EXPECT_EQ(mine["voted"], true);
  EXPECT_EQ(mine["can_vote_now"], false);
  EXPECT_EQ(mine["proxies_held"][0]["voted"], true);

  // Revoked, the proxy no longer works, and its row stays as the trail.
  int64_t q = proposal({});
  roll(q, general_body());
  int64_t proxy_id = proxy["id"];
  EXPECT_EQ(code_of([&] {
              write(cai,
                    [&](store::Tx& tx, const Ctx& ctx) { return revoke_proxy(tx, ctx, proxy_id); });
            }),
            Code::forbidden);
  Json revoked =
      write(ana, [&](store::Tx& tx, const Ctx& ctx) { return revoke_proxy(tx, ctx, proxy_id); });
  EXPECT_NE(revoked["revoked_at"], nullptr);
  EXPECT_EQ(code_of([&] { cast(bea, q, kFor, ana.person_id); }), Code::forbidden);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM proxies"), 1);
  // The cap counts live proxies only.
  grant(cai, bea, q);
  cast(bea, q, kFor, cai.person_id);
  Json lists = read(bea, [&](store::Tx& tx, const Ctx& ctx) { return my_proxies(tx, ctx); });
  EXPECT_EQ(lists["held"].size(), 2u);
  EXPECT_EQ(lists["given"].size(), 0u);
}

// ---- counting and results

TEST_P(GovBallotsTest, MajorityWithQuorumAndTwoThirdsThreshold) {
  std::vector<Actor> m;
  for (int i = 0; i < 6; ++i) {
    m.push_back(person("m" + std::to_string(i)));
    join(m.back(), consumer_);
  }
  Prop rule{
      .quorum_num = 1, .quorum_den = 2, .threshold_num = 2, .threshold_den = 3, .strict = false};
  int64_t passes = proposal(rule);
  int64_t fails = proposal(rule);
  int64_t thin = proposal(rule);
  for (int64_t p : {passes, fails, thin}) EXPECT_EQ(roll(p, general_body()).weight, 6);
  for (int i = 0; i < 3; ++i) cast(m[i], passes, kFor);
  cast(m[3], passes, kAgainst);
  cast(m[0], fails, kFor);
  cast(m[1], fails, kFor);
  cast(m[2], fails, kAgainst);
  cast(m[3], fails, kAgainst);
  cast(m[4], fails, kAbstain);
  cast(m[0], thin, kFor);
  using governance::voting::Outcome;
  auto a = count(passes);
  EXPECT_EQ(a.decision.outcome, Outcome::passed);
  EXPECT_TRUE(a.decision.quorum_met);
  EXPECT_EQ(a.tally["for"], 3);
  auto b = count(fails);
  EXPECT_EQ(b.decision.outcome, Outcome::rejected);
  EXPECT_EQ(b.decision.turnout, 5);
  auto c = count(thin);
  EXPECT_EQ(c.decision.outcome, Outcome::no_quorum);
  EXPECT_EQ(c.decision.eligible, 6);
}

TEST_P(GovBallotsTest, ResultsHiddenUntilCounted) {
  Actor ana = person("ana");
  join(ana, consumer_);
  int64_t hidden = proposal({.hidden = true});
  int64_t secret = proposal({.secret = true});
  int64_t shown = proposal({});
  for (int64_t p : {hidden, secret, shown}) {
    roll(p, general_body());
    cast(ana, p, kFor);
  }
  auto results = [&](int64_t p) {
    return read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_results(tx, ctx, p); });
  };
  EXPECT_EQ(code_of([&] { results(hidden); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { results(secret); }), Code::forbidden);
  EXPECT_EQ(code_of([&] {
              read(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
                return list_votes(tx, ctx, hidden, PageReq{});
              });
            }),
            Code::forbidden);
  Json running = results(shown);
  EXPECT_EQ(running["final"], false);
  EXPECT_EQ(running["tally"]["for"], 1);
  EXPECT_FALSE(running.contains("decision"));

  mark_counted(hidden);
  Json final_result = results(hidden);
  EXPECT_EQ(final_result["final"], true);
  EXPECT_EQ(final_result["tally"]["for"], 1);
  EXPECT_TRUE(final_result.contains("decision"));

  // Who voted in secret: coordinators only, and never what.
  Json who = read(coordinator_, [&](store::Tx& tx, const Ctx& ctx) {
    return list_votes(tx, ctx, secret, PageReq{});
  });
  ASSERT_EQ(who["items"].size(), 1u);
  EXPECT_FALSE(who["items"][0].contains("ballot"));
  EXPECT_EQ(code_of([&] {
              read(ana, [&](store::Tx& tx, const Ctx& ctx) {
                return list_votes(tx, ctx, secret, PageReq{});
              });
            }),
            Code::forbidden);
  EXPECT_EQ(code_of([&] {
              read(ana, [&](store::Tx& tx, const Ctx& ctx) {
                return list_roll(tx, ctx, secret, PageReq{});
              });
            }),
            Code::forbidden);
}

TEST_P(GovBallotsTest, RankedBallotsExportAsBlt) {
  Actor ana = person("ana"), bea = person("bea"), cai = person("cai");
  for (const Actor* a : {&ana, &bea, &cai}) join(*a, consumer_);
  int64_t p = proposal({.method = "irv", .options = R"(["Ann","Bo","Cy"])", .secret = true});
  roll(p, general_body());
  cast(ana, p, Json{{"ranking", Json::array({0, 1})}});
  cast(bea, p, Json{{"ranking", Json::array({0, 1})}});
  cast(cai, p, Json{{"ranking", Json::array({2})}});
  auto blt = [&] {
    return read(Actor{},
                [&](store::Tx& tx, const Ctx& ctx) { return Json(export_ballots_blt(tx, ctx, p)); })
        .get<std::string>();
  };
  EXPECT_EQ(code_of([&] { blt(); }), Code::invalid_state);  // not counted yet
  mark_counted(p);
  std::string text = blt();
  EXPECT_EQ(text.rfind("3 1\n", 0), 0u) << text;
  EXPECT_NE(text.find("\n2 1 2 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n1 3 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"Cy\""), std::string::npos) << text;

  int64_t motion = proposal({});
  roll(motion, general_body());
  mark_counted(motion);
  EXPECT_EQ(code_of([&] {
              read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) {
                return Json(export_ballots_blt(tx, ctx, motion));
              });
            }),
            Code::invalid_state);
}

TEST_P(GovBallotsTest, MemberSpendIsBounded) {
  Actor ana = person("ana");
  auto record = [&](int64_t amount, const std::string& source) {
    db_->write([&](store::Tx& tx) {
      record_member_spend(tx, coop_, ana.person_id, clock_.now(), amount, source);
    });
  };
  record(1250, "market");
  EXPECT_EQ(code_of([&] { record(0, "market"); }), Code::out_of_range);
  EXPECT_EQ(code_of([&] { record(10, ""); }), Code::out_of_range);
  EXPECT_EQ(code_of([&] {
              db_->write([&](store::Tx& tx) {
                record_member_spend(tx, coop_, 999999, clock_.now(), 5, "market");
              });
            }),
            Code::invalid_value);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM member_spend"), 1);
}

// The whole path through the proposals half: a constitution founded, a
// secret motion created and given notice (which fixes the roll), ballots
// cast, the vote closed and counted, the receipt then final.
TEST_P(GovBallotsTest, SecretMotionFromNoticeToCount) {
  const char* toml = R"(name = "Rules"

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"
proxies = true
max_proxies_per_holder = 2
  [body.electorate]
  classes = ["consumer"]

[[domain]]
key = "*"
bodies = ["general_meeting"]
method = "majority"
quorum = "1/2"
threshold = "1/2"
notice_days = 2
voting_days = 7
secret = true
)";
  write(coordinator_,
        [&](store::Tx& tx, const Ctx& ctx) { return found_constitution(tx, ctx, coop_, toml); });
  Actor ana = person("ana"), bea = person("bea"), cai = person("cai"), dan = person("dan");
  join(ana, consumer_);
  join(bea, consumer_);
  join(cai, consumer_);
  join(dan, worker_);  // not in the electorate
  Json created = write(ana, [&](store::Tx& tx, const Ctx& ctx) {
    return create_proposal(
        tx, ctx,
        ProposalInput{.org_id = coop_, .domain = "fund.allocation", .title = "Fund the bakery"});
  });
  int64_t p = created["id"];
  write(ana,
        [&](store::Tx& tx, const Ctx& ctx) { return open_proposal(tx, ctx, p, std::nullopt); });
  EXPECT_EQ(roll_ids(p), (std::vector<int64_t>{ana.person_id, bea.person_id, cai.person_id}));
  // In notice: not yet.
  EXPECT_EQ(code_of([&] { cast(ana, p, kFor); }), Code::invalid_state);
  clock_.advance_us(2 * kDayUs);
  std::string receipt = cast(ana, p, kFor)["receipt"];
  cast(bea, p, kFor);
  EXPECT_EQ(code_of([&] { cast(dan, p, kFor); }), Code::forbidden);
  auto results = [&] {
    return read(Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return get_results(tx, ctx, p); });
  };
  EXPECT_EQ(code_of([&] { results(); }), Code::forbidden);
  clock_.advance_us(7 * kDayUs);
  Json closed = write(coordinator_,
                      [&](store::Tx& tx, const Ctx& ctx) { return close_proposal(tx, ctx, p); });
  EXPECT_EQ(closed["status"], "passed");
  Json r = results();
  EXPECT_EQ(r["final"], true);
  EXPECT_EQ(r["tally"]["for"], 2);
  EXPECT_EQ(r["decision"]["outcome"], "passed");
  Json seen = read(
      Actor{}, [&](store::Tx& tx, const Ctx& ctx) { return check_receipt(tx, ctx, p, receipt); });
  EXPECT_EQ(seen["final"], true);
  EXPECT_EQ(seen["ballot"], kFor);
}

INSTANTIATE_TEST_SUITE_P(GovBallots, GovBallotsTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
