#include "cli/commands.h"

namespace agora::cli {

void add_init_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("init", "init (not yet built)");
  add_db_option(cmd, g);
}

}  // namespace agora::cli
