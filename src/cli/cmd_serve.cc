#include "cli/commands.h"

namespace agora::cli {

void add_serve_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("serve", "serve (not yet built)");
  add_db_option(cmd, g);
}

}  // namespace agora::cli
