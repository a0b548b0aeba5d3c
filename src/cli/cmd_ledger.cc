// `agora ledger export` writes the ledger's transfers (or one account's
// statement) as CSV; `agora ledger check` prints the ledger's consistency
// check as JSON and exits 1 when it finds a problem. Both only read; neither
// migrates the database.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/app.h"
#include "app/ledger.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {
namespace {

struct ExportArgs {
  int64_t account_id = 0;
  std::string from;
  std::string to;
  std::string out;
};

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// "YYYY-MM-DD" as the start of that UTC day; Error(invalid_value, flag) otherwise.
Timestamp parse_day(const std::string& text, const char* flag) {
  bool shape = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shape && i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) shape = false;
  }
  if (!shape) throw Error(Code::invalid_value, "must be a date YYYY-MM-DD", flag);
  try {
    return parse_iso8601(text + "T00:00:00Z");
  } catch (const Error&) {
    throw Error(Code::invalid_value, "must be a date YYYY-MM-DD", flag);
  }
}

// One RFC 4180 field: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

// A JSON value as CSV text: null is empty, strings as they are.
std::string cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_field(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::string cell_of(const Json& t, const char* key) {
  auto it = t.find(key);
  return it == t.end() ? std::string() : cell(*it);
}

constexpr const char* kTransferColumns[] = {"id",
                                            "key",
                                            "created_at",
                                            "action",
                                            "pending",
                                            "state",
                                            "debit_account_id",
                                            "credit_account_id",
                                            "amount",
                                            "currency",
                                            "code",
                                            "memo",
                                            "pending_id",
                                            "reverses_id",
                                            "batch_id",
                                            "debit_balance",
                                            "credit_balance"};

std::string join_row(const std::string* cells, size_t n) {
  std::string line;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) line += ',';
    line += cells[i];
  }
  line += "\r\n";
  return line;
}

std::string transfer_row(const Json& t) {
  constexpr size_t n = std::size(kTransferColumns);
  std::string cells[n];
  for (size_t i = 0; i < n; ++i) cells[i] = cell_of(t, kTransferColumns[i]);
  return join_row(cells, n);
}

// A statement line of `account_id`: only transfers that move its posted
// balance (posted creates and posts of holds), so the amounts add up to the
// balance column. Empty when the transfer does not move it.
std::string statement_row(const Json& t, int64_t account_id) {
  const std::string action = t.value("action", std::string());
  const bool moves = action == "post" || (action == "create" && !t.value("pending", false));
  if (!moves) return "";
  const bool debit = t.at("debit_account_id").get<int64_t>() == account_id;
  const int64_t amount = t.at("amount").get<int64_t>();
  std::string cells[] = {
      cell_of(t, "id"),
      cell_of(t, "created_at"),
      cell_of(t, "code"),
      cell_of(t, "memo"),
      cell_of(t, debit ? "credit_account_id" : "debit_account_id"),
      std::to_string(debit ? -amount : amount),
      cell_of(t, debit ? "debit_balance" : "credit_balance"),
  };
  return join_row(cells, std::size(cells));
}

void run_export(const Globals& g, const ExportArgs& args) {
  app::ledger::TransferFilter filter;
  if (args.account_id > 0) filter.account_id = args.account_id;
  if (!args.from.empty()) filter.from = parse_day(args.from, "--from");
  // --to names the last day exported, so the bound is the next midnight.
  if (!args.to.empty()) filter.to = Timestamp{parse_day(args.to, "--to").us + kDayUs};
  if (filter.from && filter.to && *filter.to <= *filter.from) {
    throw Error(Code::invalid_value, "must not be before --from", "--to");
  }

  auto db =
      store::Database::open(g.db_url, {.read_pool_size = 1, .migrate = false, .create = false});
  std::ofstream file;
  std::ostream* out = &std::cout;
  int64_t rows = 0;
  db->read([&](store::Tx& tx) {
    if (filter.account_id) {
      // Error(not_found) for an unknown account rather than an empty file.
      const app::Actor actor = app::Actor::system();
      app::ledger::get_account(tx, app::Ctx{actor, SystemClock().now()}, *filter.account_id);
    }
    if (!args.out.empty()) {
      file.open(args.out, std::ios::binary | std::ios::trunc);
      if (!file) throw Error(Code::bad_file, "cannot write " + args.out, "--out");
      out = &file;
    }
    if (filter.account_id) {
      *out << "id,created_at,code,memo,counterparty_account_id,amount,balance\r\n";
    } else {
      std::string header;
      for (const char* c : kTransferColumns) {
        if (!header.empty()) header += ',';
        header += c;
      }
      *out << header << "\r\n";
    }
    app::ledger::for_each_transfer(tx, filter, [&](const Json& t) {
      std::string line = filter.account_id ? statement_row(t, *filter.account_id) : transfer_row(t);
      if (line.empty()) return;
      *out << line;
      ++rows;
    });
  });
  out->flush();
  if (!*out) {
    throw Error(Code::bad_file, "cannot write " + (args.out.empty() ? "output" : args.out),
                "--out");
  }
  if (!args.out.empty()) {
    std::fprintf(stderr, "%lld rows written to %s\n", static_cast<long long>(rows),
                 args.out.c_str());
  }
}

void run_check(const Globals& g) {
  auto db =
      store::Database::open(g.db_url, {.read_pool_size = 1, .migrate = false, .create = false});
  Json report;
  db->read([&](store::Tx& tx) { report = app::ledger::check_ledger(tx); });
  std::printf("%s\n", report.dump(2).c_str());
  std::fflush(stdout);
  if (!report.value("ok", false)) throw CLI::RuntimeError(1);
}

}  // namespace

void add_ledger_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("ledger", "The ledger: export transfers, check consistency");
  cmd->require_subcommand(1);

  auto* exp = cmd->add_subcommand(
      "export",
      "Write transfers as CSV (RFC 4180) in id order; with --account, that account's "
      "statement (posted movements, signed, with the balance after each)");
  add_db_option(exp, g);
  auto args = std::make_shared<ExportArgs>();
  exp->add_option("--account", args->account_id, "Ledger account id (a statement)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  exp->add_option("--from", args->from, "First day, YYYY-MM-DD (UTC)");
  exp->add_option("--to", args->to, "Last day, YYYY-MM-DD (UTC), included");
  exp->add_option("--out", args->out, "File to write (default: standard output)");
  exp->callback([&g, args] { run_export(g, *args); });

  auto* check = cmd->add_subcommand(
      "check", "Check the ledger's consistency; prints JSON, exits 1 when a problem is found");
  add_db_option(check, g);
  check->callback([&g] { run_check(g); });
}

}  // namespace agora::cli
