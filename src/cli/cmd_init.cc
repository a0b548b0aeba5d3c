// `agora init`: creates the database if needed and applies every pending
// migration, then prints the schema version.

#include <cstdio>

#include "cli/commands.h"
#include "store/database.h"

namespace agora::cli {

void add_init_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("init", "Create the database or bring its schema up to date");
  add_db_option(cmd, g);
  cmd->callback([&g] {
    auto db = store::Database::open(g.db_url, {.migrate = true});
    const char* engine = db->dialect() == store::Dialect::sqlite ? "sqlite" : "postgres";
    std::printf("%s database ready, schema version %d\n", engine, db->schema_version());
  });
}

}  // namespace agora::cli
