#include "governance/constitution.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"

namespace agora::governance {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(AGORA_SOURCE_DIR) / "examples" / "constitutions";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Constitution example(std::string_view name) {
  return parse_constitution(read_text(kExamples / (std::string(name) + ".toml")));
}

struct Refusal {
  Code code = Code::internal;
  std::string field;
  std::string message;
};
Refusal refusal(std::string_view text) {
  try {
    parse_constitution(text);
  } catch (const Error& e) {
    return {e.code(), e.field(), e.what()};
  }
  return {};
}

const std::string kHead = R"(name = "Test co-op"
[[body]]
key = "gm"
kind = "general_meeting"
)";

// ---- parsing

TEST(ConstitutionParse, ReadsTheConsumerExample) {
  const Constitution c = example("consumer");
  EXPECT_EQ(c.name, "Riverside Consumer Co-op: rules of governance");
  EXPECT_TRUE(c.reserved.empty());
  ASSERT_EQ(c.bodies.size(), 2u);

  const Body* gm = c.body("general_meeting");
  ASSERT_NE(gm, nullptr);
  EXPECT_EQ(gm->kind, BodyKind::general_meeting);
  EXPECT_FALSE(gm->seated());
  EXPECT_TRUE(gm->proxies);
  EXPECT_EQ(gm->max_proxies_per_holder, 2);
  EXPECT_EQ(gm->electorate.classes, (std::vector<std::string>{"consumer", "worker"}));
  EXPECT_EQ(gm->electorate.min_age, 0);
  EXPECT_EQ(gm->electorate.min_tenure_days, 30);

  const Body* board = c.body("board");
  ASSERT_NE(board, nullptr);
  EXPECT_TRUE(board->seated());
  EXPECT_EQ(board->seats, 9);
  EXPECT_EQ(board->elected_by, "general_meeting");
  ASSERT_EQ(board->chambers.size(), 1u);
  EXPECT_EQ(board->chambers[0].member_class, "worker");
  EXPECT_EQ(board->chambers[0].seats, 3);
  EXPECT_EQ(c.body("nobody"), nullptr);

  const Domain* lease = c.domain("workplace.lease");
  ASSERT_NE(lease, nullptr);
  EXPECT_EQ(lease->joint_with, std::vector<std::string>{"worker_assembly"});

  const Domain* amend = c.domain("constitution.amend");
  ASSERT_NE(amend, nullptr);
  EXPECT_EQ(amend->rule.threshold.ratio.num, 2);
  EXPECT_EQ(amend->rule.threshold.ratio.den, 3);
  EXPECT_FALSE(amend->rule.threshold.strict);
  ASSERT_TRUE(amend->two_stage.has_value());
  EXPECT_EQ(amend->two_stage->second.ratio.num, 1);
  EXPECT_EQ(amend->two_stage->second.ratio.den, 2);
  EXPECT_TRUE(amend->two_stage->second.strict);
  EXPECT_EQ(amend->two_stage->min_gap_days, 14);
  EXPECT_EQ(amend->two_stage->max_gap_days, 31);

  const Domain* election = c.domain("board.election");
  ASSERT_NE(election, nullptr);
  EXPECT_EQ(election->method, voting::Method::meek_stv);
  EXPECT_EQ(election->seats, 3);
  EXPECT_TRUE(election->secret);
  EXPECT_TRUE(election->results_hidden);
}

TEST(ConstitutionParse, FillsDefaults) {
  const Constitution c = parse_constitution(kHead + R"(
[[domain]]
key = "x"
bodies = ["gm"]
)");
  const Body& b = c.bodies.at(0);
  EXPECT_EQ(b.name, "");
  EXPECT_EQ(b.weights, WeightRule::one_member_one_vote);
  EXPECT_FALSE(b.proxies);
  EXPECT_EQ(b.max_proxies_per_holder, 1);
  EXPECT_EQ(b.seats, 0);
  EXPECT_TRUE(b.electorate.classes.empty());
  EXPECT_EQ(b.electorate.min_age, 0);
  const Domain& d = c.domains.at(0);
  EXPECT_EQ(d.method, voting::Method::majority);
  EXPECT_EQ(d.rule.quorum.num, 0);
  EXPECT_EQ(d.rule.quorum.den, 1);
  EXPECT_EQ(d.rule.threshold.ratio.num, 1);
  EXPECT_EQ(d.rule.threshold.ratio.den, 2);
  EXPECT_EQ(d.rule.threshold.of, voting::Threshold::Of::cast);
  EXPECT_TRUE(d.rule.threshold.strict);
  EXPECT_EQ(d.notice_days, 0);
  EXPECT_EQ(d.voting_days, 7);
  EXPECT_FALSE(d.secret);
  EXPECT_FALSE(d.results_hidden);
  EXPECT_EQ(d.seats, 1);
  EXPECT_FALSE(d.two_stage.has_value());
}

TEST(ConstitutionParse, TwoStageDefaults) {
  const Constitution c = parse_constitution(kHead + R"(
[[domain]]
key = "constitution.amend"
bodies = ["gm"]
threshold = "2/3"
  [domain.two_stage]
)");
  const auto& ts = c.domains.at(0).two_stage;
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(ts->second.ratio.num, 1);
  EXPECT_EQ(ts->second.ratio.den, 2);
  EXPECT_TRUE(ts->second.strict);
  EXPECT_EQ(ts->min_gap_days, 14);
  EXPECT_EQ(ts->max_gap_days, 31);
}

TEST(ConstitutionParse, BodyKindNames) {
  EXPECT_EQ(body_kind_name(BodyKind::general_meeting), "general_meeting");
  EXPECT_EQ(body_kind_name(BodyKind::worker_assembly), "worker_assembly");
  EXPECT_EQ(body_kind_name(BodyKind::board), "board");
  EXPECT_EQ(body_kind_name(BodyKind::committee), "committee");
  EXPECT_EQ(body_kind_name(BodyKind::council), "council");
  EXPECT_EQ(body_kind_name(BodyKind::congress), "congress");
}

TEST(ConstitutionParse, FederationReservesAndWeighsByDelegate) {
  const Constitution f = example("federation");
  EXPECT_TRUE(f.reserves("asset.sale"));
  EXPECT_TRUE(f.reserves("solidarity.seal"));
  EXPECT_FALSE(f.reserves("fund.allocation"));
  const Body* congress = f.body("congress");
  ASSERT_NE(congress, nullptr);
  EXPECT_EQ(congress->kind, BodyKind::congress);
  EXPECT_EQ(congress->weights, WeightRule::delegate);
  EXPECT_FALSE(congress->seated());
}

TEST(ConstitutionParse, MultiStakeholderBoardHasAChamberPerClass) {
  const Constitution c = example("multi_stakeholder");
  const Body* board = c.body("board");
  ASSERT_NE(board, nullptr);
  ASSERT_EQ(board->chambers.size(), 3u);
  int32_t reserved = 0;
  for (const Chamber& ch : board->chambers) reserved += ch.seats;
  EXPECT_EQ(reserved, board->seats);
  EXPECT_EQ(c.domain("price.policy")->bodies.size(), 3u);
}

// ---- every example: parses, round-trips

TEST(ConstitutionExamples, EveryFileParsesAndRoundTrips) {
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    const Constitution c = parse_constitution(read_text(entry.path()));
    const std::string canonical = to_toml(c);
    const Constitution again = parse_constitution(canonical);
    EXPECT_TRUE(again == c);
    EXPECT_EQ(to_toml(again), canonical);
    EXPECT_EQ(to_json(again), to_json(c));
  }
  EXPECT_GE(files, 4u);
  for (const char* required : {"consumer", "worker", "multi_stakeholder", "federation"}) {
    EXPECT_TRUE(fs::exists(kExamples / (std::string(required) + ".toml"))) << required;
  }
}

TEST(ConstitutionExamples, TheExampleInTheDocsParses) {
  const std::string doc = read_text(fs::path(AGORA_SOURCE_DIR) / "docs" / "GOVERNANCE.md");
  const size_t open = doc.find("```toml\n");
  ASSERT_NE(open, std::string::npos);
  const size_t close = doc.find("```", open + 8);
  ASSERT_NE(close, std::string::npos);
  const Constitution c = parse_constitution(doc.substr(open + 8, close - open - 8));
  EXPECT_TRUE(c.domain("constitution.amend")->two_stage.has_value());
  EXPECT_EQ(c.domain("anything.else")->key, "*");
}

TEST(ConstitutionExamples, EqualityNoticesEveryChange) {
  const Constitution c = example("consumer");
  EXPECT_TRUE(c == example("consumer"));
  auto changed = [&](auto&& edit) {
    Constitution d = c;
    edit(d);
    return !(d == c);
  };
  EXPECT_TRUE(changed([](Constitution& d) { d.name += "!"; }));
  EXPECT_TRUE(changed([](Constitution& d) { d.reserved.push_back("x"); }));
  EXPECT_TRUE(changed([](Constitution& d) { d.bodies[1].chambers[0].seats = 4; }));
  EXPECT_TRUE(changed([](Constitution& d) { d.bodies[0].electorate.min_age = 18; }));
  EXPECT_TRUE(changed([](Constitution& d) { d.domains[0].rule.quorum = {1, 3}; }));
  EXPECT_TRUE(changed(
      [](Constitution& d) { d.domains[0].rule.threshold.of = voting::Threshold::Of::eligible; }));
  EXPECT_TRUE(changed([](Constitution& d) { d.domains[0].two_stage = TwoStage{}; }));
  EXPECT_TRUE(changed([](Constitution& d) { d.domains.pop_back(); }));
}

TEST(ConstitutionExamples, CanonicalTextKeepsEveryValue) {
  // A value away from every default survives to_toml and back.
  Constitution c = parse_constitution(kHead + R"(
[[body]]
key = "board"
kind = "board"
name = "Board \"A\" \\ B"
seats = 5
elected_by = "gm"
weights = "delegate"
proxies = true
max_proxies_per_holder = 7
  [body.electorate]
  classes = ["worker", "consumer"]
  min_age = 18
  min_yearly_spend_minor = 12000
  min_tenure_days = 90
  candidate_min_tenure_days = 400
  [[body.chamber]]
  class = "worker"
  seats = 2
[[domain]]
key = "z.y"
bodies = ["board", "gm"]
joint_with = ["other_body"]
method = "score"
quorum = "3/7"
threshold = "0/1"
threshold_of = "eligible"
threshold_strict = false
notice_days = 365
voting_days = 90
secret = true
results_hidden = true
seats = 4
[[domain]]
key = "m"
bodies = ["gm"]
  [domain.two_stage]
  second_threshold = "3/4"
  second_threshold_of = "eligible"
  second_threshold_strict = false
  min_gap_days = 1
  max_gap_days = 365
)");
  const Constitution again = parse_constitution(to_toml(c));
  EXPECT_TRUE(again == c);
  EXPECT_EQ(again.bodies[1].name, "Board \"A\" \\ B");
  EXPECT_EQ(again.domains[0].rule.quorum.num, 3);
  EXPECT_EQ(again.domains[1].two_stage->second.of, voting::Threshold::Of::eligible);
}

// ---- JSON

TEST(ConstitutionJson, HasTheTomlKeysAndRatiosAsText) {
  const Json j = to_json(example("consumer"));
  EXPECT_EQ(j["name"], "Riverside Consumer Co-op: rules of governance");
  EXPECT_TRUE(j["reserved"].is_array());
  ASSERT_EQ(j["body"].size(), 2u);
  const Json& board = j["body"][1];
  EXPECT_EQ(board["key"], "board");
  EXPECT_EQ(board["kind"], "board");
  EXPECT_EQ(board["seats"], 9);
  EXPECT_EQ(board["elected_by"], "general_meeting");
  EXPECT_EQ(board["weights"], "one_member_one_vote");
  EXPECT_EQ(board["chamber"], Json::parse(R"([{"class":"worker","seats":3}])"));
  EXPECT_EQ(board["electorate"]["candidate_min_tenure_days"], 365);
  EXPECT_TRUE(board["electorate"]["classes"].is_array());

  const Json* amend = nullptr;
  const Json* lease = nullptr;
  for (const Json& d : j["domain"]) {
    if (d["key"] == "constitution.amend") amend = &d;
    if (d["key"] == "workplace.lease") lease = &d;
  }
  ASSERT_NE(amend, nullptr);
  ASSERT_NE(lease, nullptr);
  EXPECT_EQ((*amend)["threshold"], "2/3");
  EXPECT_EQ((*amend)["quorum"], "1/10");
  EXPECT_EQ((*amend)["threshold_of"], "cast");
  EXPECT_EQ((*amend)["threshold_strict"], false);
  EXPECT_EQ((*amend)["method"], "majority");
  EXPECT_EQ((*amend)["two_stage"]["second_threshold"], "1/2");
  EXPECT_EQ((*amend)["two_stage"]["min_gap_days"], 14);
  EXPECT_EQ((*amend)["two_stage"]["max_gap_days"], 31);
  EXPECT_TRUE((*lease)["two_stage"].is_null());
  EXPECT_EQ((*lease)["joint_with"], Json::parse(R"(["worker_assembly"])"));
  for (const char* key : {"key", "bodies", "joint_with", "method", "quorum", "threshold",
                          "threshold_of", "threshold_strict", "notice_days", "voting_days",
                          "secret", "results_hidden", "seats", "two_stage"}) {
    EXPECT_TRUE(lease->contains(key)) << key;
  }
}

// ---- refusals: the code, and the key path as the field (and at the head of the message)

struct RefusalCase {
  const char* what;
  std::string text;
  Code code;
  const char* field;
};

TEST(ConstitutionRefusals, EveryBadValueNamesItsKey) {
  const std::string board = R"(
[[body]]
key = "board"
kind = "board"
seats = 5
)";
  const std::string domain = "\n[[domain]]\nkey = \"d\"\nbodies = [\"gm\"]\n";
  const std::vector<RefusalCase> cases = {
      {"typo at the top", "nmae = \"x\"\n" + kHead, Code::invalid_value, "nmae"},
      {"typo in a domain", kHead + domain + "qourum = \"1/2\"\n", Code::invalid_value,
       "domain[0].qourum"},
      {"typo in an electorate", kHead + "  [body.electorate]\n  min_ag = 3\n", Code::invalid_value,
       "body[0].electorate.min_ag"},
      {"typo in two_stage", kHead + domain + "[domain.two_stage]\nmin_gap = 3\n",
       Code::invalid_value, "domain[0].two_stage.min_gap"},
      {"typo in a chamber", kHead + board + "[[body.chamber]]\nclass = \"w\"\nsets = 1\n",
       Code::invalid_value, "body[1].chamber[0].sets"},
      {"no name", "[[body]]\nkey = \"gm\"\nkind = \"general_meeting\"\n", Code::invalid_value,
       "name"},
      {"empty name", "name = \"\"\n[[body]]\nkey = \"gm\"\nkind = \"general_meeting\"\n",
       Code::invalid_value, "name"},
      {"name on two lines",
       "name = \"a\\nb\"\n[[body]]\nkey = \"gm\"\nkind = \"general_meeting\"\n",
       Code::invalid_value, "name"},
      {"name too long",
       "name = \"" + std::string(201, 'a') + "\"\n[[body]]\nkey = \"gm\"\nkind = \"council\"\n",
       Code::out_of_range, "name"},
      {"no body", "name = \"x\"\n", Code::invalid_value, "body"},
      {"body as a table", "name = \"x\"\n[body]\nkey = \"gm\"\n", Code::invalid_value, "body"},
      {"bad body key", "name = \"x\"\n[[body]]\nkey = \"General\"\nkind = \"board\"\nseats = 1\n",
       Code::invalid_value, "body[0].key"},
      {"body key missing", "name = \"x\"\n[[body]]\nkind = \"board\"\n", Code::invalid_value,
       "body[0].key"},
      {"duplicate body", kHead + "[[body]]\nkey = \"gm\"\nkind = \"general_meeting\"\n",
       Code::invalid_value, "body[1].key"},
      {"unknown kind", "name = \"x\"\n[[body]]\nkey = \"gm\"\nkind = \"assembly\"\n",
       Code::invalid_value, "body[0].kind"},
      {"unknown weights", kHead + "weights = \"by_shares\"\n", Code::invalid_value,
       "body[0].weights"},
      {"wrong type", kHead + "proxies = \"yes\"\n", Code::invalid_value, "body[0].proxies"},
      {"seats as text", kHead + "[[body]]\nkey = \"b\"\nkind = \"board\"\nseats = \"3\"\n",
       Code::invalid_value, "body[1].seats"},
      {"too many proxies", kHead + "max_proxies_per_holder = 101\n", Code::out_of_range,
       "body[0].max_proxies_per_holder"},
      {"board without seats", kHead + "[[body]]\nkey = \"b\"\nkind = \"board\"\n",
       Code::out_of_range, "body[1].seats"},
      {"general meeting with seats", kHead + "seats = 3\n", Code::invalid_value, "body[0].seats"},
      {"elected_by unknown", kHead + board + "elected_by = \"congress\"\n", Code::invalid_value,
       "body[1].elected_by"},
      {"general meeting elected", kHead + "elected_by = \"gm\"\n", Code::invalid_value,
       "body[0].elected_by"},
      {"elects itself", kHead + board + "elected_by = \"board\"\n", Code::invalid_value,
       "body[1].elected_by"},
      {"elections in a circle",
       kHead + board +
           "elected_by = \"c\"\n[[body]]\nkey = \"c\"\nkind = \"committee\"\nseats = 2\nelected_by "
           "= \"board\"\n",
       Code::invalid_value, "body[1].elected_by"},
      {"chambers over the seats",
       kHead + board +
           "[[body.chamber]]\nclass = \"w\"\nseats = 3\n[[body.chamber]]\nclass = \"c\"\nseats = "
           "3\n",
       Code::out_of_range, "body[1].chamber"},
      {"chamber twice",
       kHead + board + "[[body.chamber]]\nclass = \"w\"\n[[body.chamber]]\nclass = \"w\"\n",
       Code::invalid_value, "body[1].chamber[1].class"},
      {"chamber on a general meeting", kHead + "[[body.chamber]]\nclass = \"w\"\n",
       Code::invalid_value, "body[0].chamber"},
      {"bad class code", kHead + "  [body.electorate]\n  classes = [\"Worker\"]\n",
       Code::invalid_value, "body[0].electorate.classes[0]"},
      {"class twice", kHead + "  [body.electorate]\n  classes = [\"w\", \"w\"]\n",
       Code::invalid_value, "body[0].electorate.classes[1]"},
      {"age out of range", kHead + "  [body.electorate]\n  min_age = 151\n", Code::out_of_range,
       "body[0].electorate.min_age"},
      {"negative spend", kHead + "  [body.electorate]\n  min_yearly_spend_minor = -1\n",
       Code::out_of_range, "body[0].electorate.min_yearly_spend_minor"},
      {"domain key", kHead + "[[domain]]\nkey = \"Fund\"\nbodies = [\"gm\"]\n", Code::invalid_value,
       "domain[0].key"},
      {"wildcard inside a key", kHead + "[[domain]]\nkey = \"fund.*\"\nbodies = [\"gm\"]\n",
       Code::invalid_value, "domain[0].key"},
      {"duplicate domain", kHead + domain + domain, Code::invalid_value, "domain[1].key"},
      {"unknown body", kHead + "[[domain]]\nkey = \"d\"\nbodies = [\"board\"]\n",
       Code::invalid_value, "domain[0].bodies[0]"},
      {"no deciding body", kHead + "[[domain]]\nkey = \"d\"\nbodies = []\n", Code::invalid_value,
       "domain[0].bodies"},
      {"bodies missing", kHead + "[[domain]]\nkey = \"d\"\n", Code::invalid_value,
       "domain[0].bodies"},
      {"bad joint_with", kHead + domain + "joint_with = [\"Worker Assembly\"]\n",
       Code::invalid_value, "domain[0].joint_with[0]"},
      {"unknown method", kHead + domain + "method = \"borda\"\n", Code::invalid_value,
       "domain[0].method"},
      {"ratio not a ratio", kHead + domain + "quorum = \"10%\"\n", Code::invalid_value,
       "domain[0].quorum"},
      {"ratio as a number", kHead + domain + "quorum = 0.5\n", Code::invalid_value,
       "domain[0].quorum"},
      {"ratio with a zero denominator", kHead + domain + "quorum = \"1/0\"\n", Code::out_of_range,
       "domain[0].quorum"},
      {"ratio over one", kHead + domain + "threshold = \"3/2\"\n", Code::out_of_range,
       "domain[0].threshold"},
      {"ratio denominator too large", kHead + domain + "threshold = \"1/2000000\"\n",
       Code::out_of_range, "domain[0].threshold"},
      {"threshold_of", kHead + domain + "threshold_of = \"members\"\n", Code::invalid_value,
       "domain[0].threshold_of"},
      {"notice too long", kHead + domain + "notice_days = 366\n", Code::out_of_range,
       "domain[0].notice_days"},
      {"no voting window", kHead + domain + "voting_days = 0\n", Code::out_of_range,
       "domain[0].voting_days"},
      {"window too long", kHead + domain + "voting_days = 91\n", Code::out_of_range,
       "domain[0].voting_days"},
      {"seats on a motion", kHead + domain + "seats = 2\n", Code::invalid_value, "domain[0].seats"},
      {"seats out of range", kHead + domain + "method = \"approval\"\nseats = 0\n",
       Code::out_of_range, "domain[0].seats"},
      {"two stages of an election", kHead + domain + "method = \"irv\"\n[domain.two_stage]\n",
       Code::invalid_value, "domain[0].two_stage"},
      {"gap upside down",
       kHead + domain + "[domain.two_stage]\nmin_gap_days = 20\nmax_gap_days = 10\n",
       Code::out_of_range, "domain[0].two_stage.max_gap_days"},
      {"second threshold", kHead + domain + "[domain.two_stage]\nsecond_threshold = \"a/b\"\n",
       Code::invalid_value, "domain[0].two_stage.second_threshold"},
      {"reserved without an entry", "reserved = [\"asset.sale\"]\n" + kHead + domain,
       Code::invalid_value, "reserved[0]"},
      {"reserving everything",
       "reserved = [\"*\"]\n" + kHead + "[[domain]]\nkey = \"*\"\nbodies = [\"gm\"]\n",
       Code::invalid_value, "reserved[0]"},
      {"reserved twice", "reserved = [\"d\", \"d\"]\n" + kHead + domain, Code::invalid_value,
       "reserved[1]"},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.what);
    const Refusal r = refusal(c.text);
    EXPECT_EQ(r.code, c.code) << r.message;
    EXPECT_EQ(r.field, c.field) << r.message;
    EXPECT_EQ(r.message.rfind(std::string(c.field) + ": ", 0), 0u) << r.message;
  }
}

TEST(ConstitutionRefusals, TypoSuggestsTheKnownKey) {
  const Refusal r =
      refusal(kHead + "\n[[domain]]\nkey = \"d\"\nbodies = [\"gm\"]\nqourum = \"1/2\"\n");
  EXPECT_NE(r.message.find("\"quorum\""), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("(line 9)"), std::string::npos) << r.message;
}

TEST(ConstitutionRefusals, SyntaxErrorsGiveLineAndColumn) {
  const Refusal r = refusal("name = \"x\"\nseats = = 3\n");
  EXPECT_EQ(r.code, Code::bad_file);
  EXPECT_EQ(r.message.rfind("2:", 0), 0u) << r.message;
  EXPECT_EQ(refusal("name = \"x\"\nname = \"y\"\n").code, Code::bad_file);  // a key twice
  EXPECT_EQ(refusal("name = \"\xff\"\n").code, Code::bad_file);             // not UTF-8
}

TEST(ConstitutionRefusals, SizeBounds) {
  std::string big = kHead + "# " + std::string(kMaxConstitutionBytes, 'x') + "\n";
  EXPECT_EQ(refusal(big).code, Code::out_of_range);

  std::string bodies = "name = \"x\"\n";
  for (int i = 0; i < 51; ++i)
    bodies += "[[body]]\nkey = \"b" + std::to_string(i) + "\"\nkind = \"general_meeting\"\n";
  const Refusal r = refusal(bodies);
  EXPECT_EQ(r.code, Code::out_of_range);
  EXPECT_EQ(r.field, "body");

  std::string domains = kHead;
  for (int i = 0; i < 201; ++i)
    domains += "[[domain]]\nkey = \"d" + std::to_string(i) + "\"\nbodies = [\"gm\"]\n";
  EXPECT_EQ(refusal(domains).field, "domain");

  std::string fifty = "name = \"x\"\n";
  for (int i = 0; i < 50; ++i)
    fifty += "[[body]]\nkey = \"b" + std::to_string(i) + "\"\nkind = \"general_meeting\"\n";
  EXPECT_EQ(parse_constitution(fifty).bodies.size(), 50u);
}

// ---- subsidiarity

TEST(ConstitutionWhere, TheOrgDecidesWhatNobodyReserves) {
  const Constitution coop = example("consumer");
  const Constitution region = example("federation");
  const Constitution* chain[] = {&coop, &region};
  const auto w = where_decided(chain, "fund.allocation");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->level, 0u);
  EXPECT_FALSE(w->reserved);
  EXPECT_EQ(w->domain, coop.domain("fund.allocation"));
}

TEST(ConstitutionWhere, AReservedDomainGoesToTheHighestFederationReservingIt) {
  const Constitution coop = example("consumer");
  Constitution region = example("federation");
  region.reserved.clear();  // the regional federation reserves nothing ...
  const Constitution national = example("federation");  // ... the national one reserves asset.sale
  const Constitution* chain[] = {&coop, &region, &national};
  const auto w = where_decided(chain, "asset.sale");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->level, 2u);
  EXPECT_TRUE(w->reserved);
  EXPECT_EQ(w->domain, national.domain("asset.sale"));
  EXPECT_EQ(w->domain->joint_with, std::vector<std::string>{"general_meeting"});

  // Both levels reserving it: the higher one decides.
  const Constitution* both[] = {&coop, &national, &national};
  EXPECT_EQ(where_decided(both, "asset.sale")->level, 2u);

  // Levels without a constitution are skipped over.
  const Constitution* gaps[] = {&coop, nullptr, &national};
  EXPECT_EQ(where_decided(gaps, "solidarity.seal")->level, 2u);
}

TEST(ConstitutionWhere, FallsBackToTheDefaultEntry) {
  const Constitution coop = example("consumer");
  const Constitution* chain[] = {&coop};
  const auto w = where_decided(chain, "shop.opening_hours");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->domain->key, "*");
  EXPECT_EQ(w->level, 0u);
  EXPECT_EQ(coop.domain("shop.opening_hours"), coop.domain("*"));
}

TEST(ConstitutionWhere, NoEntryAndNoDefaultIsNobody) {
  const Constitution bare =
      parse_constitution(kHead + "[[domain]]\nkey = \"d\"\nbodies = [\"gm\"]\n");
  const Constitution* chain[] = {&bare};
  EXPECT_FALSE(where_decided(chain, "asset.sale").has_value());
  EXPECT_EQ(bare.domain("asset.sale"), nullptr);
  // An org without a constitution, nothing reserved above it.
  const Constitution region = example("federation");
  const Constitution* none[] = {nullptr, &region};
  EXPECT_FALSE(where_decided(none, "fund.allocation").has_value());
  // ... but what the federation reserves is still decided there.
  EXPECT_EQ(where_decided(none, "asset.sale")->level, 1u);
  EXPECT_FALSE(where_decided(std::span<const Constitution* const>{}, "x").has_value());
}

}  // namespace
}  // namespace agora::governance
