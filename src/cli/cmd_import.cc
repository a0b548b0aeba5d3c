#include "cli/commands.h"

namespace agora::cli {

void add_import_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("import", "import (not yet built)");
  add_db_option(cmd, g);
}

}  // namespace agora::cli
