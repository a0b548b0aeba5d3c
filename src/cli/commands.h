#pragma once
// The agora subcommands. Each lives in its own cmd_*.cc and registers itself
// on the CLI11 app; main() catches agora::Error and exits non-zero.

#include <CLI/CLI.hpp>
#include <string>

namespace agora::cli {

struct Globals {
  std::string db_url = "sqlite:agora.db";
};

// Adds `--db URL` (default sqlite:agora.db, env AGORA_DB) to a subcommand.
void add_db_option(CLI::App* cmd, Globals& g);

void add_init_command(CLI::App& app, Globals& g);
void add_serve_command(CLI::App& app, Globals& g);
void add_verify_command(CLI::App& app, Globals& g);
void add_demo_command(CLI::App& app, Globals& g);
void add_backup_command(CLI::App& app, Globals& g);
void add_import_command(CLI::App& app, Globals& g);
void add_tally_command(CLI::App& app, Globals& g);
void add_budget_command(CLI::App& app, Globals& g);
void add_ballots_command(CLI::App& app, Globals& g);
void add_ledger_command(CLI::App& app, Globals& g);

}  // namespace agora::cli
