// `agora serve`: opens the database, starts the HTTP server and runs until
// SIGINT/SIGTERM, then shuts down gracefully. Settings come from flags, then
// AGORA_* environment variables, then a TOML file (--config), in that order.

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "app/app.h"
#include "app/governance.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/scheduler.h"
#include "app/workplaces.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/logging.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/server.h"
#include "http/settings.h"
#include "store/database.h"

namespace agora::cli {
namespace {

struct ServeArgs {
  http::SettingValues flags;
  std::string config;
};

void run_serve(const Globals& g, CLI::Option* db_option, const ServeArgs& args) {
  http::SettingValues flags = args.flags;
  // --db is shared with the other subcommands and reads AGORA_DB itself;
  // either way it outranks the TOML file.
  if (db_option->count() > 0) flags["db"] = g.db_url;
  std::string config = args.config;
  if (config.empty()) {
    if (const char* c = std::getenv("AGORA_CONFIG")) config = c;
  }
  http::SettingValues toml;
  if (!config.empty()) toml = http::settings_from_toml(config);
  http::Settings s = http::resolve_settings(flags, http::settings_from_env(), toml, config);

  http::set_up_logging(http::parse_log_format(s.log_format), s.log_level);
  http::openapi_document();  // a broken embedded fragment should stop start-up, not a request

  auto db = store::Database::open(s.db);
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});

  http::Router router;
  http::add_system_routes(router, *app);
  http::add_auth_routes(router, *app);
  http::add_registry_routes(router, *app);
  http::add_governance_routes(router, *app);
  http::add_ledger_routes(router, *app);
  http::add_market_catalog_routes(router, *app);
  http::add_market_cycle_routes(router, *app);
  http::add_market_contract_routes(router, *app);
  http::add_asset_routes(router, *app);
  http::add_lease_routes(router, *app);
  http::add_budgeting_routes(router, *app);

  http::Server server(*app, router, http::server_options(s));
  server.start();
  // Closes proposals whose voting window has ended and expires pending
  // transfers; the interval is wall time, the jobs read the app's clock.
  std::unique_ptr<app::Scheduler> scheduler;
  if (s.scheduler_interval_s > 0) {
    scheduler =
        std::make_unique<app::Scheduler>(*app, std::chrono::seconds(s.scheduler_interval_s));
    scheduler->add(
        "close_due_proposals",
        [](store::Tx& tx, const app::Ctx& ctx) { return app::close_due_proposals(tx, ctx, 100); },
        [](store::Tx& tx, const app::Ctx& ctx) { return Json(app::any_proposal_due(tx, ctx)); });
    // Releases the holds of pending transfers whose timeout has passed.
    scheduler->add(
        "expire_pending_transfers",
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::ledger::expire_pending(tx, ctx.now, 1000));
        },
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::ledger::any_pending_due(tx, ctx.now));
        });
    // Opens scheduled order cycles at opens_at and closes open ones at
    // closes_at (closing writes the purchase orders).
    scheduler->add(
        "open_due_cycles",
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::market::open_due_cycles(tx, ctx.now, 100));
        },
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::market::any_cycle_due(tx, ctx.now));
        });
    scheduler->add(
        "close_due_cycles",
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::market::close_due_cycles(tx, ctx.now, 10));
        },
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::market::any_cycle_due(tx, ctx.now));
        });
    // Raises each active lease's monthly rent and solidarity invoices.
    scheduler->add(
        "raise_lease_invoices",
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::workplaces::raise_due_invoices(tx, ctx.now, 1000));
        },
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::workplaces::any_invoice_due(tx, ctx.now));
        });
    // Pays due stake buy-out installments and moves their stakes.
    scheduler->add(
        "run_buyout_installments",
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::workplaces::run_due_installments(tx, ctx.now, 1000));
        },
        [](store::Tx& tx, const app::Ctx& ctx) {
          return Json(app::workplaces::any_installment_due(tx, ctx.now));
        });
    scheduler->start();
  }
  const char* engine = db->dialect() == store::Dialect::sqlite ? "SQLite" : "PostgreSQL";
  spdlog::info("serving {} ({} database, schema version {}, {} routes)", server.url(), engine,
               db->schema_version(), router.routes().size());
  std::printf("agora: serving %s\n", server.url().c_str());
  std::fflush(stdout);

  http::Server::wait_for_signal();
  if (scheduler) scheduler->stop();
  server.stop();
  app->stop();
  spdlog::info("stopped");
}

}  // namespace

void add_serve_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API and the web front end");
  add_db_option(cmd, g);
  CLI::Option* db_option = cmd->get_option("--db");
  auto args = std::make_shared<ServeArgs>();
  cmd->add_option("--config", args->config, "TOML settings file (env AGORA_CONFIG)");
  struct Described {
    const char* key;
    const char* help;
  };
  static const Described described[] = {
      {"host", "Address to listen on (default 127.0.0.1)"},
      {"port", "TCP port; 0 picks a free one (default 8080)"},
      {"threads", "Server threads; 0 means one per core"},
      {"web_dir", "Built web front end (default <binary dir>/../web/dist)"},
      {"log_format", "auto | text | json (auto: text on a terminal)"},
      {"log_level", "trace | debug | info | warning | error"},
      {"request_timeout_s", "Deadline for one request, seconds (default 30)"},
      {"idle_timeout_s", "Keep-alive idle timeout, seconds (default 75)"},
      {"shutdown_grace_s", "Time in-flight requests get on shutdown, seconds (default 10)"},
      {"scheduler_interval_s",
       "Background jobs (closing due proposals, expiring holds) every N seconds; "
       "0 disables (default 30)"},
  };
  for (const auto& d : described) {
    std::string key = d.key;
    cmd->add_option_function<std::string>(
        http::flag_name(key), [args, key](const std::string& v) { args->flags[key] = v; },
        std::string(d.help) + " (env " + http::env_name(key) + ")");
  }
  cmd->callback([&g, db_option, args] { run_serve(g, db_option, *args); });
}

}  // namespace agora::cli
