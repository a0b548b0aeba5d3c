#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/error.h"

namespace agora::cli {

void add_db_option(CLI::App* cmd, Globals& g) {
  cmd->add_option("--db", g.db_url, "Database URL: sqlite:PATH or postgresql://...")
      ->envname("AGORA_DB")
      ->capture_default_str();
}

}  // namespace agora::cli

int main(int argc, char** argv) {
  using namespace agora::cli;
  CLI::App app{"agora: the software a federation of cooperatives runs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "agora 0.1.0");
  Globals g;
  add_init_command(app, g);
  add_serve_command(app, g);
  add_verify_command(app, g);
  add_demo_command(app, g);
  add_backup_command(app, g);
  add_import_command(app, g);
  add_tally_command(app, g);
  add_budget_command(app, g);
  add_ballots_command(app, g);
  add_ledger_command(app, g);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const agora::Error& e) {
    std::fprintf(stderr, "agora: %s%s%s [%s]\n", e.what(), e.field().empty() ? "" : " at ",
                 e.field().c_str(), std::string(agora::code_name(e.code())).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "agora: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
