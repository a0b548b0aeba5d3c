#include <cstdio>

#include "app/app.h"
#include "app/demo.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {

namespace {

std::string euros(int64_t minor) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%02lld EUR", static_cast<long long>(minor / 100),
                static_cast<long long>(minor % 100));
  return buf;
}

}  // namespace

void add_demo_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand(
      "demo", "Load the demo federation (regions, co-ops, ~2,600 members) into an empty database");
  add_db_option(cmd, g);
  static bool if_empty = false;
  cmd->add_flag("--if-empty", if_empty,
                "Do nothing (and succeed) when the database already holds data");
  cmd->callback([&g] {
    auto db = store::Database::open(g.db_url);
    SystemClock clock;
    auto application = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
    const app::DbContents contents = app::database_contents(*application);
    if (!contents.empty()) {
      if (if_empty) {
        std::fprintf(stderr,
                     "agora demo: the database already holds data (%lld organisations, %lld "
                     "persons); leaving it as it is\n",
                     static_cast<long long>(contents.orgs),
                     static_cast<long long>(contents.persons));
        application->stop();
        return;
      }
      throw Error(Code::invalid_state,
                  "the database already holds " + std::to_string(contents.orgs) +
                      " organisations and " + std::to_string(contents.persons) +
                      " persons; agora demo loads only into an empty database (use a new --db, "
                      "or --if-empty to skip quietly)");
    }
    Progress progress("loading demo");
    const app::DemoReport r = app::load_demo(
        *application,
        [&](int64_t done, int64_t total, std::string_view stage) {
          progress.update(done, total, stage);
        });
    progress.finish();
    application->stop();
    std::printf(
        "Demo federation loaded into %s:\n"
        "  %lld organisations: %lld federations, %lld consumer co-ops, %lld worker co-ops, "
        "%lld producer co-ops\n"
        "  %lld people, %lld memberships (%lld of organisations): %lld active, %lld applying, "
        "%lld left\n"
        "  share capital subscribed %s, paid %s\n\n"
        "Demo logins (password \"%s\"):\n",
        g.db_url.c_str(), static_cast<long long>(r.orgs), static_cast<long long>(r.federations),
        static_cast<long long>(r.consumer_coops), static_cast<long long>(r.worker_coops),
        static_cast<long long>(r.producer_coops), static_cast<long long>(r.persons),
        static_cast<long long>(r.memberships), static_cast<long long>(r.org_memberships),
        static_cast<long long>(r.active), static_cast<long long>(r.applied),
        static_cast<long long>(r.left), euros(r.subscribed_minor).c_str(),
        euros(r.paid_minor).c_str(), std::string(app::kDemoPassword).c_str());
    for (const auto& login : r.logins) {
      std::printf("  %-30s %s\n", login.email.c_str(), login.what.c_str());
    }
  });
}

}  // namespace agora::cli
