// `agora ballots export --proposal ID [--out FILE]`: the ranked ballots of a
// counted proposal as BLT (anonymous; identical ballots grouped), for
// recounts in other programs. Reads only; never migrates the database.

#include <cstdio>
#include <fstream>
#include <memory>

#include "app/app.h"
#include "app/governance.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {
namespace {

struct ExportArgs {
  int64_t proposal_id = 0;
  std::string out;
};

void run_export(const Globals& g, const ExportArgs& args) {
  auto db =
      store::Database::open(g.db_url, {.read_pool_size = 1, .migrate = false, .create = false});
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
  int64_t id = args.proposal_id;
  Json blt = app->read(app::Actor::system(), [id](store::Tx& tx, const app::Ctx& ctx) {
    return Json(app::export_ballots_blt(tx, ctx, id));
  });
  app->stop();
  const std::string& text = blt.get_ref<const std::string&>();
  if (args.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) throw Error(Code::bad_file, "cannot write " + args.out, "--out");
  std::fprintf(stderr, "ballots of proposal %lld written to %s\n", static_cast<long long>(id),
               args.out.c_str());
}

}  // namespace

void add_ballots_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("ballots", "Ballots of counted proposals");
  cmd->require_subcommand(1);
  auto* exp = cmd->add_subcommand("export", "Write a proposal's ranked ballots as BLT");
  add_db_option(exp, g);
  auto args = std::make_shared<ExportArgs>();
  exp->add_option("--proposal", args->proposal_id, "Proposal id")
      ->required()
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  exp->add_option("--out", args->out, "File to write (default: standard output)");
  exp->callback([&g, args] { run_export(g, *args); });
}

}  // namespace agora::cli
