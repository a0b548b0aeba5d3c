#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "http/static_files.h"

namespace agora::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("agora-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "dist" / "assets");
    write(root_ / "dist" / "index.html", "<html>index</html>");
    write(root_ / "dist" / "assets" / "app-3f2a.js", "console.log(1)");
    write(root_ / "dist" / "favicon.svg", "<svg/>");
    write(root_ / "secret.txt", "do not serve");
  }
  void TearDown() override { fs::remove_all(root_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  Response get(const StaticFiles& sf, const std::string& path) {
    Request r;
    r.method = "GET";
    r.path = path;
    return sf.serve(r);
  }
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles sf(root_ / "dist");
  auto js = get(sf, "/assets/app-3f2a.js");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  ASSERT_EQ(js.headers.size(), 1u);
  EXPECT_EQ(js.headers[0].second, "public, max-age=31536000, immutable");
  auto svg = get(sf, "/favicon.svg");
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_EQ(svg.headers[0].second, "no-cache");
  EXPECT_EQ(get(sf, "/").body, "<html>index</html>");
}

TEST_F(StaticFilesTest, FallsBackToIndexForClientRoutesButNotForAssets) {
  StaticFiles sf(root_ / "dist");
  auto page = get(sf, "/orgs/12/members");
  EXPECT_EQ(page.body, "<html>index</html>");
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THROW(get(sf, "/assets/old-bundle.js"), Error);
  // /assets/{id} is the page of a workplace or other asset, not a file.
  EXPECT_EQ(get(sf, "/assets/7").body, "<html>index</html>");
}

TEST_F(StaticFilesTest, NeverLeavesTheDirectory) {
  StaticFiles sf(root_ / "dist");
  for (const char* p : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2F..%2Fsecret.txt",
                        "/..%5csecret.txt"}) {
    try {
      auto r = get(sf, p);
      EXPECT_EQ(r.body.find("do not serve"), std::string::npos) << p;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::not_found) << p;
    }
  }
  fs::create_symlink(root_ / "secret.txt", root_ / "dist" / "link.txt");
  auto r = get(sf, "/link.txt");
  EXPECT_EQ(r.body.find("do not serve"), std::string::npos);
}

TEST_F(StaticFilesTest, ServesAPlaceholderWithoutABuild) {
  StaticFiles sf(root_ / "nothing-here");
  EXPECT_FALSE(sf.has_build());
  auto r = get(sf, "/anything");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Agora is running"), std::string::npos);
}

}  // namespace
}  // namespace agora::http
