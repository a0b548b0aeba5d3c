// `agora budget`: selects projects from a Pabulib file's ballots by the
// Method of Equal Shares or greedy and prints the result as JSON
// (docs/BUDGET.md).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "budget/equal_shares.h"
#include "budget/pabulib.h"
#include "cli/commands.h"
#include "core/error.h"

namespace agora::cli {

namespace {

// The whole file ("-": standard input), refusing more than the reader's bound.
std::string read_pb(const std::string& path) {
  const uint64_t limit = budget::kMaxPabulibBytes;
  const std::string too_big =
      path + ": the file is over " + std::to_string(limit) + " bytes, the limit of agora budget";
  std::string text;
  if (path == "-") {
    char buf[1 << 16];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      text.append(buf, static_cast<size_t>(std::cin.gcount()));
      if (text.size() > limit) throw Error(Code::bad_file, too_big, "FILE");
    }
    return text;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(Code::bad_file, path + ": cannot read: " + ec.message(), "FILE");
  if (size > limit) throw Error(Code::bad_file, too_big, "FILE");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Code::bad_file, path + ": cannot open", "FILE");
  text.resize(static_cast<size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw Error(Code::bad_file, path + ": short read", "FILE");
  return text;
}

struct BudgetArgs {
  std::string method = "equal-shares";
  std::string utility;  // default: cost for approval ballots, points for points ballots
  std::string completion = "add1";
  bool voter_payments = false;
  std::string file;
};

void run_budget(const BudgetArgs& a) {
  const std::string text = read_pb(a.file);
  const budget::PabulibFile f = budget::read_pabulib(text, a.file);
  const bool points = f.election.kind == budget::BallotKind::points;
  budget::Options o;
  o.method = a.method == "greedy" ? budget::Method::greedy : budget::Method::equal_shares;
  if (a.utility.empty())
    o.utility = points ? budget::Utility::points : budget::Utility::cost;
  else
    o.utility = a.utility == "cost"       ? budget::Utility::cost
                : a.utility == "approval" ? budget::Utility::approval
                                          : budget::Utility::points;
  if (o.method == budget::Method::equal_shares && points != (o.utility == budget::Utility::points))
    throw Error(Code::invalid_value,
                a.file + ": the file holds " + (points ? "points" : "approval") +
                    " ballots; --utility " + a.utility + " counts " +
                    (points ? "approval" : "points") + " ballots",
                "--utility");
  o.completion = a.completion == "none" ? budget::Completion::none : budget::Completion::add1;
  o.voter_payments = a.voter_payments;
  const budget::Result r = budget::select_projects(f.election, o);
  const std::string out = budget::to_json(r, f.election).dump(2) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void add_budget_command(CLI::App& app, Globals&) {
  auto* cmd = app.add_subcommand(
      "budget",
      "Select projects from a Pabulib (.pb) file by the Method of Equal Shares or greedy and "
      "print the result as JSON (docs/BUDGET.md)");
  static BudgetArgs a;
  cmd->add_option("--method", a.method, "equal-shares (default) or greedy")
      ->check(CLI::IsMember({"equal-shares", "greedy"}));
  cmd->add_option("--utility", a.utility,
                  "Equal Shares utilities: cost (default for approval ballots), approval, or "
                  "points (points ballots)")
      ->check(CLI::IsMember({"cost", "approval", "points"}));
  cmd->add_option("--completion", a.completion, "add1 (default) or none")
      ->check(CLI::IsMember({"add1", "none"}));
  cmd->add_flag("--voter-payments", a.voter_payments,
                "Also list each voter's payment for each funded project");
  cmd->add_option("FILE", a.file, "The Pabulib file; - reads standard input")->required();
  cmd->callback([] {
    try {
      run_budget(a);
    } catch (const Error& e) {
      // A malformed file is reported as FILE:LINE: reason, as compilers do.
      if (e.code() != Code::bad_file) throw;
      std::fprintf(stderr, "agora budget: %s\n", e.what());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace agora::cli
