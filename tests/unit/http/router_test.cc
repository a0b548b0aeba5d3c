#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/awaitable.hpp>

#include "core/error.h"
#include "http/problem.h"
#include "http/router.h"

namespace agora::http {
namespace {

namespace asio = boost::asio;

Handler noop() {
  return [](Request&) -> asio::awaitable<Response> { co_return Response{}; };
}

Request req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(Router, MatchesPatternsAndFillsParams) {
  Router r;
  r.add("GET", "/api/v1/orgs/{id}", noop());
  r.add("GET", "/api/v1/orgs/{id}/roles/{grant_id}", noop());
  auto q = req("GET", "/api/v1/orgs/12/roles/7");
  bool exists = false;
  const Route* m = r.match(q, &exists);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->pattern, "/api/v1/orgs/{id}/roles/{grant_id}");
  EXPECT_EQ(q.params["id"], "12");
  EXPECT_EQ(q.params["grant_id"], "7");
  EXPECT_EQ(q.id_param("grant_id"), 7);
}

TEST(Router, TellsWrongMethodFromUnknownPath) {
  Router r;
  r.add("GET", "/api/v1/health", noop());
  bool exists = false;
  auto a = req("POST", "/api/v1/health");
  EXPECT_EQ(r.match(a, &exists), nullptr);
  EXPECT_TRUE(exists);  // 405
  auto b = req("GET", "/api/v1/healthz");
  EXPECT_EQ(r.match(b, &exists), nullptr);
  EXPECT_FALSE(exists);  // 404
  auto c = req("GET", "/api/v1/health/");
  EXPECT_EQ(r.match(c, &exists), nullptr);
  auto d = req("HEAD", "/api/v1/health");
  EXPECT_NE(r.match(d, &exists), nullptr);  // HEAD is served by GET
}

TEST(Router, PrefersLiteralSegmentsOverParams) {
  Router r;
  r.add("GET", "/api/v1/orgs/{id}", noop());
  r.add("GET", "/api/v1/orgs/mine", noop());
  auto q = req("GET", "/api/v1/orgs/mine");
  EXPECT_EQ(r.match(q, nullptr)->pattern, "/api/v1/orgs/mine");
  auto p = req("GET", "/api/v1/orgs/5");
  EXPECT_EQ(r.match(p, nullptr)->pattern, "/api/v1/orgs/{id}");
}

TEST(Router, EmptySegmentNeverMatchesAParam) {
  Router r;
  r.add("GET", "/api/v1/orgs/{id}", noop());
  auto q = req("GET", "/api/v1/orgs/");
  EXPECT_EQ(r.match(q, nullptr), nullptr);
}

TEST(Request, IdParamRefusesWhatIsNotAPositiveId) {
  for (const char* bad : {"0", "-1", "abc", "12x", "+3", "99999999999999999999", ""}) {
    Request r;
    r.params["id"] = bad;
    try {
      r.id_param("id");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::not_found) << bad;
    }
  }
}

TEST(Request, JsonBodyNeedsTheJsonContentType) {
  Request r;
  r.body = R"({"a":1})";
  try {
    r.json_body();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::unsupported_media_type);
  }
  r.headers["content-type"] = "Application/JSON; charset=utf-8";
  EXPECT_EQ(r.json_body()["a"], 1);
  r.body = "{";
  try {
    r.json_body();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::malformed_json);
  }
  r.body = "";
  EXPECT_THROW(r.json_body(), Error);
}

TEST(Request, ParsesAndDecodesTheQuery) {
  auto q = parse_query("name=Caf%C3%A9+Uni%C3%A3o&limit=5&flag&=x&&a=1&a=2");
  EXPECT_EQ(q["name"], "Café União");
  EXPECT_EQ(q["limit"], "5");
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(q["a"], "2");
  EXPECT_THROW(parse_query("x=%4"), Error);
  EXPECT_THROW(parse_query("x=%zz"), Error);
  std::string many;
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + "=1&";
  EXPECT_THROW(parse_query(many), Error);
  EXPECT_EQ(percent_decode("a+b%2Fc", false), "a+b/c");
}

TEST(Request, ReadsCookies) {
  Request r;
  r.headers["cookie"] = "theme=dark; agora_session=abc123 ; other=\"q\"";
  EXPECT_EQ(r.cookie("agora_session"), "abc123");
  EXPECT_EQ(r.cookie("other"), "q");
  EXPECT_EQ(r.cookie("missing"), std::nullopt);
}

TEST(Page, BoundsLimitAndAfter) {
  Request r;
  EXPECT_EQ(page_of(r).limit, 50);
  EXPECT_EQ(page_of(r).after, 0);
  r.query["limit"] = "200";
  r.query["after"] = "17";
  EXPECT_EQ(page_of(r).limit, 200);
  EXPECT_EQ(page_of(r).after, 17);
  for (const char* bad : {"0", "201", "-1", "x", "5.5", ""}) {
    r.query["limit"] = bad;
    EXPECT_THROW(page_of(r), Error) << bad;
  }
  r.query["limit"] = "10";
  r.query["after"] = "-3";
  EXPECT_THROW(page_of(r), Error);
}

TEST(Problem, HasAllSixKeysAndTheStatusOfItsCode) {
  Response r = problem_response(Error(Code::duplicate, "taken", "/email"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "application/problem+json");
  Json j = Json::parse(r.body);
  EXPECT_EQ(j, (Json{{"type", "https://agora.coop/problems/duplicate"},
                     {"title", "Already exists"},
                     {"status", 409},
                     {"code", "duplicate"},
                     {"detail", "taken"},
                     {"field", "/email"}}));
  EXPECT_TRUE(Json::parse(problem_response(Code::not_found, "x").body)["field"].is_null());
  // Invalid UTF-8 quoted from input must not turn an error into a crash.
  EXPECT_NO_THROW(problem_response(Code::bad_request, "bad \xff byte"));
}

}  // namespace
}  // namespace agora::http
