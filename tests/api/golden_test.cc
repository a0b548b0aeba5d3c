// Runs every tests/api/cases/*.test file against a fresh server and database,
// once per engine (SQLite; PostgreSQL when AGORA_TEST_PG_URL is set), after
// bootstrapping admin@test.agora. A mismatch names the file, the line and
// title of the exchange and the JSON path.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/client.h"
#include "api/golden.h"
#include "api/test_server.h"
#include "app/auth.h"
#include "support/test_db.h"

namespace agora::test_api {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> case_files() {
  std::vector<std::string> out;
  fs::path dir = fs::path(AGORA_SOURCE_DIR) / "tests" / "api" / "cases";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".test") out.push_back(entry.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Param {
  std::string file;
  std::string engine;
};

std::vector<Param> params() {
  std::vector<Param> out;
  for (const auto& f : case_files()) {
    for (const auto& e : test_db::test_engines()) out.push_back({f, e});
  }
  return out;
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  std::string name = info.param.file + "_" + info.param.engine;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string media_type(const std::string& content_type) {
  std::string m = content_type.substr(0, content_type.find(';'));
  while (!m.empty() && m.back() == ' ') m.pop_back();
  return m;
}

class Golden : public ::testing::TestWithParam<Param> {};

TEST_P(Golden, Matches) {
  const Param& p = GetParam();
  std::string file = "tests/api/cases/" + p.file + ".test";
  std::ifstream in(fs::path(AGORA_SOURCE_DIR) / file);
  ASSERT_TRUE(in) << "cannot read " << file;
  std::stringstream text;
  text << in.rdbuf();
  std::vector<Exchange> exchanges = parse_golden(text.str(), file);
  ASSERT_FALSE(exchanges.empty()) << file << " has no exchanges";

  // AGORA_GOLDEN_LOG=FILE appends every exchange's actual response to FILE
  // and runs the whole file past mismatches: for writing a new case.
  const char* log_path = std::getenv("AGORA_GOLDEN_LOG");
  std::ofstream log;
  if (log_path) log.open(log_path, std::ios::app);
  const bool keep_going = log_path != nullptr;

  TestServer server(p.engine);
  app::bootstrap_admin(server.app(), "admin@test.agora", "admin-password-1");
  HttpClient client(server.port());
  Captures captures;

  for (const Exchange& ex : exchanges) {
    std::string where = file + ":" + std::to_string(ex.line) + " \"" + ex.title + "\" (" + p.engine + ")";
    std::string target, body, expected_text;
    std::vector<std::pair<std::string, std::string>> headers;
    try {
      target = substitute(ex.target, captures);
      body = substitute(ex.body, captures);
      expected_text = substitute(ex.expected_body, captures);
      bool has_content_type = false;
      for (const auto& [k, v] : ex.headers) {
        headers.emplace_back(k, substitute(v, captures));
        std::string lk = k;
        for (char& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lk == "content-type") has_content_type = true;
      }
      if (!body.empty() && !has_content_type) headers.emplace_back("Content-Type", "application/json");
    } catch (const std::exception& e) {
      FAIL() << where << ": " << e.what();
    }

    if (ex.clock_advance_us != 0) server.clock().advance_us(ex.clock_advance_us);
    HttpResponse res;
    try {
      res = client.request(ex.method, target, headers, body);
    } catch (const std::exception& e) {
      FAIL() << where << ": " << ex.method << " " << target << ": " << e.what();
    }
    if (log) {
      log << "### " << file << ":" << ex.line << " " << ex.title << " (" << p.engine << ")\n"
          << ex.method << " " << target << "\n" << res.status << "\n" << res.body << "\n\n";
    }
    std::string context = where + "\n  " + ex.method + " " + target + "\n  got " +
                          std::to_string(res.status) + " " + res.header("content-type") + "\n  " +
                          res.body.substr(0, 2000);
    if (res.status != ex.expected_status) {
      ADD_FAILURE() << context << "\n  status: expected " << ex.expected_status << ", got "
                    << res.status;
      if (keep_going) continue;
      return;  // later exchanges depend on this one
    }
    std::string media = media_type(res.header("content-type"));
    if (res.status >= 400 && media != "application/problem+json") {
      ADD_FAILURE() << context << "\n  content-type: expected application/problem+json";
      if (keep_going) continue;
      return;
    }
    if (expected_text == "-") continue;
    if (expected_text.empty()) {
      if (!res.body.empty()) {
        ADD_FAILURE() << context << "\n  body: expected none";
        if (keep_going) continue;
        return;
      }
      continue;
    }
    if (res.status < 400 && media != "application/json") {
      // Text bodies compare line by line; CSV's CRLF line ends (RFC 4180)
      // count as LF, as the case file writes them.
      std::string text;
      for (size_t i = 0; i < res.body.size(); ++i) {
        if (res.body[i] == '\r' && i + 1 < res.body.size() && res.body[i + 1] == '\n') continue;
        text += res.body[i];
      }
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      if (text != expected_text) {
        ADD_FAILURE() << context << "\n  body: expected text\n" << expected_text;
        if (keep_going) continue;
        return;
      }
      continue;
    }
    Json expected, actual;
    try {
      expected = Json::parse(expected_text);
    } catch (const std::exception& e) {
      FAIL() << where << ": the expected body is not JSON: " << e.what();
    }
    try {
      actual = Json::parse(res.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << context << "\n  body: not JSON";
      if (keep_going) continue;
      return;
    }
    std::vector<std::string> mismatches;
    match_json(expected, actual, "", captures, mismatches);
    if (!mismatches.empty()) {
      std::string all;
      for (const auto& m : mismatches) all += "\n  " + m;
      ADD_FAILURE() << context << all;
      if (keep_going) continue;
      return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(params()), param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

}  // namespace
}  // namespace agora::test_api
