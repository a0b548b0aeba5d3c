// The OpenAPI document and the router must describe the same API: every
// route (method + pattern) is documented and every documented operation is
// routed.

#include <gtest/gtest.h>

#include <set>

#include "api/client.h"
#include "api/test_server.h"
#include "http/openapi.h"

namespace agora::test_api {
namespace {

using Op = std::pair<std::string, std::string>;  // METHOD, pattern

std::set<Op> documented(const Json& doc) {
  static const std::set<std::string> methods = {"get", "put", "post", "delete",
                                                "options", "head", "patch", "trace"};
  std::set<Op> out;
  for (auto& [path, item] : doc.at("paths").items()) {
    for (auto& [key, op] : item.items()) {
      if (!methods.count(key)) continue;
      std::string upper = key;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert({upper, path});
    }
  }
  return out;
}

TEST(OpenApi, DocumentAndRouterAgree) {
  TestServer s("sqlite");
  std::set<Op> routed;
  for (const auto& r : s.router().routes()) routed.insert({r.method, r.pattern});
  std::set<Op> docs = documented(http::openapi_document());
  for (const auto& op : routed) {
    EXPECT_TRUE(docs.count(op)) << op.first << " " << op.second
                                << " is routed but missing from src/http/openapi/*.json";
  }
  for (const auto& op : docs) {
    EXPECT_TRUE(routed.count(op)) << op.first << " " << op.second
                                  << " is in the OpenAPI document but no route serves it";
  }
}

TEST(OpenApi, ServedDocumentIsOpenApi31WithProblemSchema) {
  TestServer s("sqlite");
  HttpClient c(s.port());
  auto r = c.request("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  Json doc = Json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["components"]["schemas"].contains("Problem"));
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("bearerToken"));
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("cookieSession"));
}

TEST(OpenApi, EveryReferenceResolves) {
  // A $ref to a schema no fragment defines is a broken document.
  const Json& doc = http::openapi_document();
  std::vector<std::string> broken;
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_object()) {
      for (auto& [k, v] : j.items()) {
        if (k == "$ref" && v.is_string()) {
          std::string ref = v.get<std::string>();
          if (!ref.starts_with("#/") || !doc.contains(Json::json_pointer(ref.substr(1)))) {
            broken.push_back(ref);
          }
        } else {
          walk(v);
        }
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc);
  EXPECT_TRUE(broken.empty()) << "unresolved: " << ::testing::PrintToString(broken);
}

}  // namespace
}  // namespace agora::test_api
