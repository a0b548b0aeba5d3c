#include "cli/commands.h"

namespace agora::cli {

void add_backup_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("backup", "backup (not yet built)");
  add_db_option(cmd, g);
}

}  // namespace agora::cli
