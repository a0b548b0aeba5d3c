#include "cli/commands.h"

namespace agora::cli {

void add_verify_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("verify", "verify (not yet built)");
  add_db_option(cmd, g);
}

}  // namespace agora::cli
