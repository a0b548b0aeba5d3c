// `agora ballots export`: the binary writes the same BLT as the use case
// (to a file with --out, else to standard output), and a proposal that does
// not exist is a clear error with a non-zero exit. The election is set up
// through the use cases on a scratch database the binary then opens.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "app/governance.h"
#include "app/registry.h"
#include "core/clock.h"
#include "support/test_db.h"

namespace agora::test_api {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayUs = int64_t{86400} * 1'000'000;

const char* kConstitution = R"(name = "Export test"

[[body]]
key = "general_meeting"
kind = "general_meeting"
name = "General meeting"

[[body]]
key = "board"
kind = "board"
name = "Board"
seats = 2
elected_by = "general_meeting"

[[domain]]
key = "board.election"
bodies = ["general_meeting"]
method = "scottish_stv"
seats = 2
notice_days = 0
voting_days = 7
)";

// The agora binary sits in the build directory, one level above tests/.
fs::path agora_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return self.parent_path().parent_path() / "agora";
}

struct CommandResult {
  int status = -1;
  std::string out;
};

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class BallotsExportCli : public ::testing::TestWithParam<std::string> {};

TEST_P(BallotsExportCli, WritesTheCountedRankedBallotsAsBlt) {
  fs::path agora = agora_binary();
  if (!fs::exists(agora)) GTEST_SKIP() << "no agora binary at " << agora;
  test_db::ScratchDatabase scratch(GetParam());
  int64_t proposal = 0;
  std::string expected;
  {
    auto db = store::Database::open(scratch.url());
    ManualClock clock(parse_iso8601("2026-01-01T00:00:00Z"));
    auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
    const app::Actor admin = app::Actor::system();
    auto write = [&](const app::Actor& actor, app::WriteFn fn) {
      return app->write(actor, "test", Json::object(), std::move(fn));
    };
    int64_t federation = write(admin,
                               [](store::Tx& tx, const app::Ctx& ctx) {
                                 return app::create_org(tx, ctx,
                                                        app::OrgInput{.kind = "federation",
                                                                      .name = "Export Federation",
                                                                      .slug = "export-fed"});
                               })
                             .at("id")
                             .get<int64_t>();
    int64_t org = write(admin,
                        [federation](store::Tx& tx, const app::Ctx& ctx) {
                          return app::create_org(tx, ctx,
                                                 app::OrgInput{.parent_id = federation,
                                                               .kind = "consumer",
                                                               .name = "Export Co-op",
                                                               .slug = "export",
                                                               .admission = "automatic"});
                        })
                      .at("id")
                      .get<int64_t>();
    write(admin, [org](store::Tx& tx, const app::Ctx& ctx) {
      return app::create_class(
          tx, ctx, org,
          app::ClassInput{.code = "member", .name = "Member", .share_price_minor = 100});
    });
    write(admin, [org](store::Tx& tx, const app::Ctx& ctx) {
      return app::found_constitution(tx, ctx, org, kConstitution);
    });
    std::vector<app::Actor> voters;
    for (const char* name : {"Ana", "Bruno", "Carla", "Dan", "Eve"}) {
      int64_t person =
          write(admin, [name](store::Tx& tx, const app::Ctx& ctx) {
            return Json(app::create_person(tx, ctx, app::PersonInput{.given_name = name}));
          }).get<int64_t>();
      // Use cases only need a signed-in actor; no account row is read here.
      voters.push_back(
          app::Actor{.account_id = 1000 + person, .person_id = person, .address = "test"});
      write(voters.back(), [org](store::Tx& tx, const app::Ctx& ctx) {
        return app::apply_for_membership(tx, ctx, org,
                                         app::ApplicationInput{.class_code = "member"});
      });
    }
    proposal = write(admin,
                     [org](store::Tx& tx, const app::Ctx& ctx) {
                       app::ProposalInput in;
                       in.org_id = org;
                       in.domain = "board.election";
                       in.title = "Board election";
                       in.kind = "election";
                       in.elects_body = "board";
                       return app::create_proposal(tx, ctx, in);
                     })
                   .at("id")
                   .get<int64_t>();
    for (int i = 0; i < 3; ++i) {
      write(voters[i], [proposal](store::Tx& tx, const app::Ctx& ctx) {
        return app::stand_candidate(tx, ctx, proposal, std::nullopt, "");
      });
    }
    write(admin, [proposal](store::Tx& tx, const app::Ctx& ctx) {
      return app::open_proposal(tx, ctx, proposal, std::nullopt);
    });
    const std::vector<std::vector<int>> rankings = {{0, 1}, {1, 0}, {2, 0}, {0, 2}, {0, 1}};
    for (size_t i = 0; i < voters.size(); ++i) {
      Json ballot{{"ranking", rankings[i]}};
      write(voters[i], [proposal, ballot](store::Tx& tx, const app::Ctx& ctx) {
        return app::cast_ballot(tx, ctx, proposal, app::CastInput{.ballot = ballot});
      });
    }
    clock.advance_us(8 * kDayUs);
    write(admin, [proposal](store::Tx& tx, const app::Ctx& ctx) {
      return app::close_proposal(tx, ctx, proposal);
    });
    expected = app->read(admin,
                         [proposal](store::Tx& tx, const app::Ctx& ctx) {
                           return Json(app::export_ballots_blt(tx, ctx, proposal));
                         })
                   .get<std::string>();
    app->stop();
  }
  ASSERT_NE(expected.find("3 2"), std::string::npos) << expected;

  fs::path out = fs::temp_directory_path() / ("agora-blt-" + std::to_string(::getpid()) + ".blt");
  std::string base = agora.string() + " ballots export --db '" + scratch.url() + "' --proposal ";
  CommandResult to_file =
      run_command(base + std::to_string(proposal) + " --out " + out.string() + " 2>&1");
  EXPECT_EQ(to_file.status, 0) << to_file.out;
  EXPECT_EQ(read_file(out), expected);
  fs::remove(out);

  CommandResult to_stdout = run_command(base + std::to_string(proposal) + " 2>/dev/null");
  EXPECT_EQ(to_stdout.status, 0);
  EXPECT_EQ(to_stdout.out, expected);

  CommandResult missing = run_command(base + std::to_string(proposal + 1000) + " 2>&1");
  EXPECT_EQ(missing.status, 1) << missing.out;
  EXPECT_NE(missing.out.find("[not_found]"), std::string::npos) << missing.out;
}

INSTANTIATE_TEST_SUITE_P(Engines, BallotsExportCli, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::test_api
