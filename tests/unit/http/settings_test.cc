#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "http/settings.h"
#include "support/error_test.h"

namespace agora::http {
namespace {

namespace fs = std::filesystem;

fs::path toml_file(const std::string& text) {
  fs::path p = fs::temp_directory_path() /
               ("agora-settings-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
  std::ofstream(p) << text;
  return p;
}

using test_support::code_of;

TEST(Settings, FlagsBeatEnvironmentBeatsFile) {
  auto path = toml_file("port = 9000\nhost = \"0.0.0.0\"\nthreads = 3\ndb = \"sqlite:file.db\"\n");
  auto toml = settings_from_toml(path.string());
  Settings s = resolve_settings({{"port", "7000"}}, {{"port", "8000"}, {"host", "::1"}}, toml,
                                path.string());
  EXPECT_EQ(s.port, 7000);
  EXPECT_EQ(s.host, "::1");
  EXPECT_EQ(s.threads, 3);
  EXPECT_EQ(s.db, "sqlite:file.db");
  EXPECT_EQ(s.log_format, "auto");
  fs::remove(path);
}

TEST(Settings, RefusesBadValuesNamingTheKey) {
  for (const char* port : {"-1", "65536", "http", "80x", ""}) {
    try {
      resolve_settings({{"port", port}}, {}, {});
      ADD_FAILURE() << port;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Code::bad_config);
      EXPECT_EQ(e.field(), "port");
      EXPECT_NE(std::string(e.what()).find("--port"), std::string::npos);
    }
  }
  EXPECT_EQ(code_of([] { resolve_settings({}, {{"log_format", "xml"}}, {}); }), Code::bad_config);
  EXPECT_EQ(code_of([] { resolve_settings({}, {}, {{"log_level", "loud"}}); }), Code::bad_config);
  EXPECT_EQ(code_of([] { resolve_settings({{"db", ""}}, {}, {}); }), Code::bad_config);
}

TEST(Settings, RefusesUnknownKeysAndBadTomlFiles) {
  auto unknown = toml_file("port = 8080\nprot = 9090\n");
  try {
    settings_from_toml(unknown.string());
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Code::bad_config);
    EXPECT_EQ(e.field(), "prot");
  }
  auto bad = toml_file("port = \n");
  EXPECT_EQ(code_of([&] { settings_from_toml(bad.string()); }), Code::bad_config);
  auto wrong_type = toml_file("port = [1]\n");
  EXPECT_EQ(code_of([&] { settings_from_toml(wrong_type.string()); }), Code::bad_config);
  EXPECT_EQ(code_of([] { settings_from_toml("/nonexistent/agora.toml"); }), Code::bad_config);
  fs::remove(unknown);
  fs::remove(bad);
  fs::remove(wrong_type);
}

TEST(Settings, NamesFlagsAndVariables) {
  EXPECT_EQ(flag_name("web_dir"), "--web-dir");
  EXPECT_EQ(env_name("web_dir"), "AGORA_WEB_DIR");
}

}  // namespace
}  // namespace agora::http
