// Ballot files (BLT and JSON) and the JSON ballot of the API: good input,
// every class of malformed input with the line or JSON pointer it names, and
// the BLT round trip.

#include "governance/ballot_files.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace agora::governance {
namespace {

using voting::Method;

// The Error a call throws (the test fails when it throws none).
template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error(Code::internal, "none");
}

std::vector<int32_t> items_of(const voting::BallotSet& b, size_t i) {
  auto s = b.ballot(i);
  return {s.begin(), s.end()};
}

// --- BLT -------------------------------------------------------------------

constexpr const char* kGoodBlt = R"(# a comment before the header
4 2
-4
3 1 2 0
(b7) 2 2 4 3 0   # an id and a trailing comment
1 4 0
5 0
0
"Ann"
"Bo \"the Bold\""
"Cy"
"Dee"
"Board election 2026"
)";

TEST(BallotFilesBlt, ReadsHeaderBallotsNamesAndTitle) {
  BallotFile f = read_blt(kGoodBlt, "e.blt");
  EXPECT_EQ(f.title, "Board election 2026");
  EXPECT_EQ(f.names, (std::vector<std::string>{"Ann", "Bo \"the Bold\"", "Cy"}));
  EXPECT_EQ(f.withdrawn, (std::vector<std::string>{"Dee"}));
  EXPECT_EQ(f.options.seats, 2);
  EXPECT_EQ(f.options.names, f.names);
  EXPECT_FALSE(f.method.has_value());
  ASSERT_EQ(f.ballots.size(), 4u);
  EXPECT_EQ(f.ballots.option_count, 3);
  EXPECT_EQ(f.ballots.weights, (std::vector<int64_t>{3, 2, 1, 5}));
  EXPECT_EQ(items_of(f.ballots, 0), (std::vector<int32_t>{0, 1}));
  // The withdrawn candidate 4 is dropped from the ranking.
  EXPECT_EQ(items_of(f.ballots, 1), (std::vector<int32_t>{1, 2}));
  EXPECT_TRUE(items_of(f.ballots, 2).empty());
  EXPECT_TRUE(items_of(f.ballots, 3).empty());
}

TEST(BallotFilesBlt, RenumbersAfterAWithdrawnCandidate) {
  BallotFile f = read_blt("3 1\n-1\n1 1 3 2 0\n0\nA\nB\nC\n", "w.blt");
  EXPECT_EQ(f.names, (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(items_of(f.ballots, 0), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(f.title, "");
}

TEST(BallotFilesBlt, AcceptsUnquotedNamesCrlfAndNamesOnOneLine) {
  BallotFile f = read_blt("2 1\r\n1 2 1 0\r\n0\r\n\"A\" \"B\"\r\nThe title\r\n", "x.blt");
  EXPECT_EQ(f.names, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(f.title, "The title");
  BallotFile g = read_blt("2 1\n1 1 0\n0\nAnn Lee\nBo\n", "y.blt");
  EXPECT_EQ(g.names, (std::vector<std::string>{"Ann Lee", "Bo"}));
}

struct BadBlt {
  const char* text;
  int64_t line;
  const char* says;  // a word the reason must hold
};

class BallotFilesBltMalformed : public ::testing::TestWithParam<BadBlt> {};

TEST_P(BallotFilesBltMalformed, NamesTheLine) {
  const BadBlt& c = GetParam();
  Error e = error_of([&] { read_blt(c.text, "bad.blt"); });
  EXPECT_EQ(e.code(), Code::bad_file);
  const std::string prefix = "bad.blt:" + std::to_string(c.line) + ": ";
  EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << e.what();
}

INSTANTIATE_TEST_SUITE_P(
    BallotFiles, BallotFilesBltMalformed,
    ::testing::Values(BadBlt{"", 1, "empty"}, BadBlt{"\n# only a comment\n", 2, "empty"},
                      BadBlt{"3\n", 1, "header"}, BadBlt{"x 1\n", 1, "candidates"},
                      BadBlt{"0 1\n", 1, "candidates"}, BadBlt{"1001 1\n", 1, "candidates"},
                      BadBlt{"3 0\n", 1, "seats"}, BadBlt{"3 4\n", 1, "seats"},
                      BadBlt{"3 1\n-4\n0\nA\nB\nC\n", 2, "withdrawn"},
                      BadBlt{"3 1\n-1 -1\n0\nA\nB\nC\n", 2, "twice"},
                      BadBlt{"2 1\n-1 -2\n0\nA\nB\n", 2, "every candidate"},
                      BadBlt{"3 1\n1 1 2 0\n1 2 3\n0\nA\nB\nC\n", 3, "end with 0"},
                      BadBlt{"3 1\n1 1 4 0\n0\nA\nB\nC\n", 2, "candidate number"},
                      BadBlt{"3 1\n1 1 -2 0\n0\nA\nB\nC\n", 2, "candidate number"},
                      BadBlt{"3 1\n1 1 2 1 0\n0\nA\nB\nC\n", 2, "ranked twice"},
                      BadBlt{"3 1\n1 1\n2 1=2 3 0\n0\nA\nB\nC\n", 2, "end with 0"},
                      BadBlt{"3 1\n2 1=2 3 0\n0\nA\nB\nC\n", 2, "equal preferences"},
                      BadBlt{"3 1\n2 1 - 3 0\n0\nA\nB\nC\n", 2, "skipped"},
                      BadBlt{"3 1\n0 1 2 0\n0\nA\nB\nC\n", 2, "weight"},
                      BadBlt{"3 1\n1.5 1 2 0\n0\nA\nB\nC\n", 2, "weight"},
                      BadBlt{"3 1\n1000000001 1 0\n0\nA\nB\nC\n", 2, "weight"},
                      BadBlt{"3 1\n(id)\n0\nA\nB\nC\n", 2, "weight"},
                      BadBlt{"3 1\n1 1 0 2\n0\nA\nB\nC\n", 2, "after the ballot"},
                      BadBlt{"3 1\n1 1 0\n2 2 0\n", 3, "closed"},
                      BadBlt{"3 1\n1 1 0\n0\n\"A\"\n\"B\"\n", 5, "3 candidate names"},
                      BadBlt{"3 1\n1 1 0\n0\n\"A\"\n\"B\n\"C\"\n", 5, "closing"},
                      BadBlt{"3 1\n1 1 0\n0\n\"A\"\n\"A\"\n\"C\"\n", 5, "twice"},
                      BadBlt{"2 1\n1 1 0\n0\n\"A\"\n\"\"\n", 5, "1..200"},
                      BadBlt{"2 1\n1 1 0\n0\n\"A\" x\n\"B\"\n", 4, "quoted name"},
                      BadBlt{"2 1\n1 1 0\n0\n\"A\"\n\"B\"\n\"T\"\n\"extra\"\n", 7,
                             "after the title"},
                      BadBlt{"2 1\n1 1 0\n0\n\"A\"\n\"\xff\"\n", 5, "UTF-8"}));

TEST(BallotFilesBlt, RoundTripsThroughWriteBlt) {
  BallotFile f = read_blt(kGoodBlt, "e.blt");
  f.ballots.add(4, std::vector<int32_t>{0, 1});  // joins the group of ballot 0
  const std::string text = write_blt(f);
  BallotFile g = read_blt(text, "again.blt");
  EXPECT_EQ(g.names, f.names);
  EXPECT_EQ(g.title, f.title);
  EXPECT_EQ(g.options.seats, f.options.seats);
  const auto grouped = voting::group_identical(f.ballots);
  EXPECT_EQ(g.ballots.weights, grouped.weights);
  EXPECT_EQ(g.ballots.items, grouped.items);
  EXPECT_EQ(g.ballots.starts, grouped.starts);
  EXPECT_EQ(g.ballots.weights[0], 7);
  // Writing again gives the same bytes.
  EXPECT_EQ(write_blt(g), text);
}

TEST(BallotFilesBlt, WriteSplitsAGroupHeavierThanOneLine) {
  BallotFile f;
  f.names = {"A", "B"};
  f.title = "T";
  f.ballots.option_count = 2;
  f.ballots.add(1'000'000'000, std::vector<int32_t>{1, 0});
  f.ballots.add(700'000'000, std::vector<int32_t>{1, 0});
  const std::string text = write_blt(f);
  EXPECT_EQ(text, "2 1\n1000000000 2 1 0\n700000000 2 1 0\n0\n\"A\"\n\"B\"\n\"T\"\n");
  EXPECT_EQ(read_blt(text, "split.blt").ballots.total_weight(), 1'700'000'000);
}

TEST(BallotFilesBlt, WriteRefusesBallotsThatAreNotRanked) {
  BallotFile f;
  f.names = {"A", "B"};
  f.method = Method::approval;
  f.ballots.option_count = 2;
  EXPECT_EQ(error_of([&] { write_blt(f); }).code(), Code::invalid_value);
}

// --- JSON files ------------------------------------------------------------

TEST(BallotFilesJson, ReadsAnApprovalFile) {
  BallotFile f = read_ballots_json(R"({
    "method": "approval", "title": "Which days?", "seats": 2,
    "options": ["Mon", "Tue", "Wed"],
    "ballots": [
      {"approve": [2, 0]},
      {"approve": [], "weight": 3},
      {"approve": [1], "weight": 2}
    ]})",
                                   "a.json");
  EXPECT_EQ(f.method, Method::approval);
  EXPECT_EQ(f.title, "Which days?");
  EXPECT_EQ(f.names, (std::vector<std::string>{"Mon", "Tue", "Wed"}));
  EXPECT_EQ(f.options.seats, 2);
  ASSERT_EQ(f.ballots.size(), 3u);
  EXPECT_EQ(items_of(f.ballots, 0), (std::vector<int32_t>{0, 2}));  // marks are sorted
  EXPECT_EQ(f.ballots.weights, (std::vector<int64_t>{1, 3, 2}));
}

TEST(BallotFilesJson, HeaderMayFollowTheBallots) {
  BallotFile f = read_ballots_json(
      R"({"ballots": [{"scores": [5, 0, 2]}, {"scores": []}], "score_max": 5,
          "options": ["A", "B", "C"], "method": "score"})",
      "s.json");
  ASSERT_EQ(f.ballots.size(), 2u);
  EXPECT_EQ(items_of(f.ballots, 0), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(f.ballots.values, (std::vector<int32_t>{5, 0, 2}));
  EXPECT_TRUE(items_of(f.ballots, 1).empty());
}

TEST(BallotFilesJson, AMotionNeedsNoOptions) {
  BallotFile f = read_ballots_json(
      R"({"method": "consent", "ballots": [{"choice": 0}, {"choice": 2, "reason": "cost"}]})",
      "m.json");
  EXPECT_EQ(f.names, voting::kConsentOptions);
  EXPECT_EQ(f.ballots.option_count, 3);
}

TEST(BallotFilesJson, WithoutAMethodTheKindComesFromTheBallots) {
  BallotFile f = read_ballots_json(
      R"({"options": ["A", "B"], "ballots": [{"ranking": [1, 0]}, {"ranking": [1]}]})", "r.json");
  EXPECT_FALSE(f.method.has_value());
  EXPECT_EQ(f.ballots.items, (std::vector<int32_t>{1, 0, 1}));
}

struct BadJson {
  const char* text;
  int64_t line;
  const char* pointer;  // the Error's field ("" when none)
};

class BallotFilesJsonMalformed : public ::testing::TestWithParam<BadJson> {};

TEST_P(BallotFilesJsonMalformed, NamesTheLineAndPointer) {
  const BadJson& c = GetParam();
  Error e = error_of([&] { read_ballots_json(c.text, "bad.json"); });
  EXPECT_EQ(e.code(), Code::bad_file);
  const std::string prefix = "bad.json:" + std::to_string(c.line) + ": ";
  EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  EXPECT_EQ(e.field(), c.pointer) << e.what();
}

INSTANTIATE_TEST_SUITE_P(
    BallotFiles, BallotFilesJsonMalformed,
    ::testing::Values(
        BadJson{"", 1, ""}, BadJson{"[1, 2]", 1, ""}, BadJson{"{\n\"options\": [\"A\",\n", 2, ""},
        BadJson{
            "{\"options\": [\"A\"],\n \"ballots\": [\n{\"ranking\": [0]},\n{\"ranking\": [0,]}]}",
            4, ""},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [], \"colour\": 1}", 1, "/colour"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [], \"ballots\": []}", 1, "/ballots"},
        BadJson{"{\"options\": [\"A\"]}", 1, "/ballots"},
        BadJson{"{\"ballots\": []}", 1, "/options"},
        BadJson{"{\"method\": \"borda\", \"options\": [\"A\"], \"ballots\": []}", 1, "/method"},
        BadJson{"{\"options\": [\"A\", \"A\"], \"ballots\": []}", 1, "/options/1"},
        BadJson{"{\"options\": [\"A\", 3], \"ballots\": []}", 1, "/options/1"},
        BadJson{"{\"options\": [\"A\"], \"seats\": 2, \"ballots\": []}", 1, "/seats"},
        BadJson{"{\"options\": [\"A\"], \"seats\": 1.5, \"ballots\": []}", 1, "/seats"},
        BadJson{"{\"options\": [\"A\",\"B\"],\n\"ballots\": [\n{\"ranking\": [0]},\n"
                "{\"ranking\": [1, 1]}]}",
                4, "/ballots/1/ranking/1"},
        BadJson{"{\"options\": [\"A\",\"B\"],\n\"ballots\": [\n{\"ranking\": [2]}]}", 3,
                "/ballots/0/ranking/0"},
        BadJson{"{\"options\": [\"A\",\"B\"],\n\"ballots\": [\n{\"ranking\": [0]},\n"
                "{\"approve\": [1]}]}",
                4, "/ballots/1/approve"},
        BadJson{"{\"method\": \"irv\", \"options\": [\"A\",\"B\"],\n\"ballots\": [\n"
                "{\"approve\": [1]}]}",
                3, "/ballots/0/approve"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n{}]}", 2, "/ballots/0"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n{\"ranking\": [0], \"weight\": 0}]}", 2,
                "/ballots/0/weight"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n{\"ranking\": [0], \"vote\": 1}]}", 2,
                "/ballots/0/vote"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n{\"ranking\": [\"A\"]}]}", 2,
                "/ballots/0/ranking/0"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n{\"ranking\": [0], \"approve\": []}]}", 2,
                "/ballots/0/approve"},
        BadJson{"{\"options\": [\"A\"], \"ballots\": [\n[0]]}", 2, "/ballots/0"},
        BadJson{"{\"method\": \"score\", \"score_max\": 5, \"options\": [\"A\", \"B\"],\n"
                "\"ballots\": [\n{\"scores\": [6, 0]}]}",
                3, "/ballots/0/scores/0"},
        BadJson{"{\"method\": \"score\", \"options\": [\"A\", \"B\"],\n\"ballots\": [\n"
                "{\"scores\": [1]}]}",
                3, "/ballots/0/scores"},
        BadJson{"{\"method\": \"dot\", \"dots\": 4, \"options\": [\"A\", \"B\"],\n\"ballots\": [\n"
                "{\"scores\": [3, 2]}]}",
                3, "/ballots/0/scores"},
        BadJson{"{\"method\": \"consent\", \"ballots\": [\n{\"choice\": 2}]}", 2,
                "/ballots/0/reason"},
        BadJson{"{\"method\": \"majority\", \"ballots\": [\n{\"choice\": 3}]}", 2,
                "/ballots/0/choice"},
        BadJson{"{\"method\": \"majority\", \"options\": [\"yes\", \"no\", \"maybe\"], "
                "\"ballots\": []}",
                1, "/options"}));

TEST(BallotFilesJson, ErrorsNeverEscapeAsOtherExceptions) {
  const char* inputs[] = {"{", "{\"ballots\": [{\"choice\": 1e400}]}", "\"\\ud800\"", "nul",
                          "{\"options\": [\"A\"], \"ballots\": [{\"ranking\": [99999999999]}]}"};
  for (const char* in : inputs) {
    try {
      read_ballots_json(in, "f.json");
      ADD_FAILURE() << "accepted " << in;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::bad_file);
    }
  }
}

// --- One ballot as JSON ------------------------------------------------------

voting::Options opts() {
  voting::Options o;
  o.score_max = 5;
  o.dots = 10;
  return o;
}

TEST(BallotFilesParse, EachKind) {
  auto o = opts();
  EXPECT_EQ(parse_ballot(Json::parse(R"({"choice": 1})"), Method::majority, 3, o).items,
            (std::vector<int32_t>{1}));
  auto obj =
      parse_ballot(Json::parse(R"({"choice": 2, "reason": "too costly"})"), Method::consent, 3, o);
  EXPECT_EQ(obj.reason, "too costly");
  EXPECT_EQ(parse_ballot(Json::parse(R"({"approve": [3, 0]})"), Method::approval, 4, o).items,
            (std::vector<int32_t>{0, 3}));
  EXPECT_TRUE(
      parse_ballot(Json::parse(R"({"approve": []})"), Method::approval, 4, o).items.empty());
  auto s = parse_ballot(Json::parse(R"({"scores": [5, 0, 3]})"), Method::score, 3, o);
  EXPECT_EQ(s.items, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(s.values, (std::vector<int32_t>{5, 0, 3}));
  auto d = parse_ballot(Json::parse(R"({"scores": [7, 0, 3]})"), Method::dot, 3, o);
  EXPECT_EQ(d.values, (std::vector<int32_t>{7, 0, 3}));
  EXPECT_EQ(parse_ballot(Json::parse(R"({"ranking": [2, 0]})"), Method::schulze, 3, o).items,
            (std::vector<int32_t>{2, 0}));
  EXPECT_TRUE(parse_ballot(Json::parse(R"({"ranking": []})"), Method::irv, 3, o).items.empty());
}

struct BadBallot {
  Method method;
  const char* json;
  Code code;
  const char* pointer;
};

class BallotFilesParseRefusal : public ::testing::TestWithParam<BadBallot> {};

TEST_P(BallotFilesParseRefusal, NamesThePointer) {
  const BadBallot& c = GetParam();
  const int32_t n = c.method == Method::majority || c.method == Method::consent ? 3 : 4;
  Error e = error_of([&] { parse_ballot(Json::parse(c.json), c.method, n, opts()); });
  EXPECT_EQ(e.code(), c.code) << e.what();
  EXPECT_EQ(e.field(), c.pointer) << e.what();
}

INSTANTIATE_TEST_SUITE_P(
    BallotFiles, BallotFilesParseRefusal,
    ::testing::Values(
        BadBallot{Method::approval, "[0]", Code::wrong_type, "/"},
        BadBallot{Method::majority, "{}", Code::missing_field, "/choice"},
        BadBallot{Method::majority, R"({"choice": "for"})", Code::wrong_type, "/choice"},
        BadBallot{Method::majority, R"({"choice": 3})", Code::out_of_range, "/choice"},
        BadBallot{Method::majority, R"({"choice": -1})", Code::out_of_range, "/choice"},
        BadBallot{Method::majority, R"({"choice": 0, "reason": "x"})", Code::unknown_field,
                  "/reason"},
        BadBallot{Method::plurality, R"({"choice": 4})", Code::out_of_range, "/choice"},
        BadBallot{Method::consent, R"({"choice": 2})", Code::missing_field, "/reason"},
        BadBallot{Method::consent, R"({"choice": 2, "reason": ""})", Code::out_of_range, "/reason"},
        BadBallot{Method::consent, R"({"choice": 2, "reason": 5})", Code::wrong_type, "/reason"},
        BadBallot{Method::consent, R"({"choice": 0, "reason": "x"})", Code::invalid_value,
                  "/reason"},
        BadBallot{Method::approval, R"({"approve": [0, 0]})", Code::invalid_value, "/approve/1"},
        BadBallot{Method::approval, R"({"approve": [0, 4]})", Code::out_of_range, "/approve/1"},
        BadBallot{Method::approval, R"({"approve": [0.5]})", Code::wrong_type, "/approve/0"},
        BadBallot{Method::approval, R"({"approve": 0})", Code::wrong_type, "/approve"},
        BadBallot{Method::approval, R"({"ranking": [0]})", Code::unknown_field, "/ranking"},
        BadBallot{Method::approval, R"({"approve": [0], "weight": 2})", Code::unknown_field,
                  "/weight"},
        BadBallot{Method::score, R"({"scores": [1, 2]})", Code::invalid_value, "/scores"},
        BadBallot{Method::score, R"({"scores": [1, 2, 6, 0]})", Code::out_of_range, "/scores/2"},
        BadBallot{Method::star, R"({"scores": [1, -1, 0, 0]})", Code::out_of_range, "/scores/1"},
        BadBallot{Method::dot, R"({"scores": [5, 5, 1, 0]})", Code::invalid_value, "/scores"},
        BadBallot{Method::dot, R"({"scores": [11, 0, 0, 0]})", Code::out_of_range, "/scores/0"},
        BadBallot{Method::irv, R"({"ranking": [1, 2, 1]})", Code::invalid_value, "/ranking/2"},
        BadBallot{Method::irv, R"({"ranking": [1, 2, 3, 0, 1]})", Code::out_of_range, "/ranking"},
        BadBallot{Method::meek_stv, R"({"ranking": [9999999999]})", Code::out_of_range,
                  "/ranking/0"}));

TEST(BallotFilesParse, BallotJsonIsTheInverse) {
  auto o = opts();
  const char* cases[][2] = {
      {"majority", R"({"choice":1})"},   {"approval", R"({"approve":[0,3]})"},
      {"approval", R"({"approve":[]})"}, {"score", R"({"scores":[5,0,3,1]})"},
      {"score", R"({"scores":[]})"},     {"ranked_pairs", R"({"ranking":[3,1]})"}};
  for (auto& c : cases) {
    const Method m = *voting::parse_method(c[0]);
    const int32_t n = m == Method::majority ? 3 : 4;
    const Json in = Json::parse(c[1]);
    auto p = parse_ballot(in, m, n, o);
    EXPECT_EQ(ballot_json(m, n, p.items, p.values), in) << c[1];
  }
  // A stored scores ballot may leave options out: they score 0.
  std::vector<int32_t> items{2}, values{4};
  EXPECT_EQ(ballot_json(Method::score, 3, items, values), Json::parse(R"({"scores":[0,0,4]})"));
}

}  // namespace
}  // namespace agora::governance
