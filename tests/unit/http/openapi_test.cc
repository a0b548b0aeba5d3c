#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "http/openapi.h"

namespace agora::http {
namespace {

TEST(OpenApiMerge, MergesPathsAndComponentsFromFragments) {
  std::vector<OpenApiFragment> f = {
      {"base.json", R"({"openapi":"3.1.0","paths":{"/a":{"get":{}}},"components":{"schemas":{"A":{}}}})"},
      {"x.json", R"({"paths":{"/a":{"post":{}},"/b":{"get":{}}},"components":{"schemas":{"B":{}}}})"},
  };
  Json doc = merge_openapi(f);
  EXPECT_TRUE(doc["paths"]["/a"].contains("get"));
  EXPECT_TRUE(doc["paths"]["/a"].contains("post"));
  EXPECT_TRUE(doc["paths"]["/b"].contains("get"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("A"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("B"));
}

TEST(OpenApiMerge, RefusesDuplicatesAndBadFragments) {
  const char* base = R"({"openapi":"3.1.0","paths":{"/a":{"get":{}}},"components":{"schemas":{"A":{}}}})";
  EXPECT_THROW(merge_openapi({{"base.json", base}, {"x.json", R"({"paths":{"/a":{"get":{}}}})"}}), Error);
  EXPECT_THROW(merge_openapi({{"base.json", base}, {"x.json", R"({"components":{"schemas":{"A":{}}}})"}}),
               Error);
  EXPECT_THROW(merge_openapi({{"base.json", base}, {"x.json", R"({"paths":)"}}), Error);
  EXPECT_THROW(merge_openapi({{"base.json", base}, {"x.json", R"({"info":{}})"}}), Error);
}

TEST(OpenApiDocument, ProblemCodesListEveryRegisteredCode) {
  std::set<std::string> documented;
  for (const auto& c :
       openapi_document()["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]) {
    documented.insert(c.get<std::string>());
  }
  std::set<std::string> registered;
#define AGORA_X(e, s, h, t) registered.insert(s);
  AGORA_ERROR_CODES(AGORA_X)
#undef AGORA_X
  EXPECT_EQ(documented, registered) << "update the Problem schema in src/http/openapi/base.json";
}

}  // namespace
}  // namespace agora::http
