#include <cstdio>

#include "app/journal.h"
#include "cli/commands.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {

void add_verify_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("verify", "Check the audit journal's hash chain end to end");
  add_db_option(cmd, g);
  cmd->callback([&g] {
    auto db = store::Database::open(g.db_url, store::Options{.migrate = false});
    auto report = app::verify_journal(*db);
    if (report.first_broken_seq) {
      std::printf("journal BROKEN at entry %lld: %s (%lld entries checked)\n",
                  static_cast<long long>(*report.first_broken_seq), report.reason.c_str(),
                  static_cast<long long>(report.entries));
      throw CLI::RuntimeError(3);
    }
    std::printf("journal ok: %lld entries, chain intact\n", static_cast<long long>(report.entries));
  });
}

}  // namespace agora::cli
