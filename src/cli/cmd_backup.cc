// `agora backup --out FILE`: an online copy of a running database (SQLite
// backup API, or a plain-SQL pg_dump for PostgreSQL). Never migrates or
// creates the source.

#include <cstdio>

#include "cli/commands.h"
#include "store/database.h"

namespace agora::cli {

void add_backup_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("backup", "Copy the database to a file while it stays in use");
  add_db_option(cmd, g);
  auto out = std::make_shared<std::string>();
  cmd->add_option("--out", *out, "File to write (SQLite: a database file; PostgreSQL: plain SQL)")
      ->required();
  cmd->callback([&g, out] {
    auto db = store::Database::open(g.db_url,
                                    {.read_pool_size = 1, .migrate = false, .create = false});
    db->backup(*out);
    std::printf("backup written to %s (schema version %d)\n", out->c_str(), db->schema_version());
  });
}

}  // namespace agora::cli
