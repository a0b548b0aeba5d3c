// `agora tally`: counts a ballot file (BLT or JSON, docs/BALLOTS.md) by one
// of the voting methods and prints the result with its working as JSON.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "governance/ballot_files.h"
#include "governance/voting/voting.h"

namespace agora::cli {

namespace {

constexpr uint64_t kMaxTallyFileBytes = uint64_t{2} << 30;  // 2 GiB

std::string too_big(const std::string& name) {
  return name + ": the file is over " + std::to_string(kMaxTallyFileBytes) +
         " bytes (2 GiB), the limit of agora tally";
}

// The whole file ("-": standard input), refusing more than the bound.
std::string read_input(const std::string& path) {
  std::string text;
  if (path == "-") {
    char buf[1 << 16];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      text.append(buf, static_cast<size_t>(std::cin.gcount()));
      if (text.size() > kMaxTallyFileBytes) throw Error(Code::bad_file, too_big("-"), "FILE");
    }
    return text;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(Code::bad_file, path + ": cannot read: " + ec.message(), "FILE");
  if (size > kMaxTallyFileBytes) throw Error(Code::bad_file, too_big(path), "FILE");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Code::bad_file, path + ": cannot open", "FILE");
  text.resize(static_cast<size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw Error(Code::bad_file, path + ": short read", "FILE");
  return text;
}

struct TallyArgs {
  std::string method;
  std::optional<int32_t> seats;
  std::string format;
  uint64_t seed = 0;
  std::optional<int32_t> score_max;
  std::optional<int32_t> dots;
  std::string file;
};

void run_tally(const TallyArgs& a) {
  std::string format = a.format;
  if (format.empty()) {
    const std::string ext = std::filesystem::path(a.file).extension().string();
    if (ext == ".blt" || ext == ".BLT")
      format = "blt";
    else if (ext == ".json" || ext == ".JSON")
      format = "json";
    else
      throw Error(Code::invalid_value,
                  a.file + ": cannot tell the format from the name; give --format blt or json",
                  "--format");
  }
  const std::string text = read_input(a.file);
  governance::BallotFile f = format == "blt" ? governance::read_blt(text, a.file)
                                             : governance::read_ballots_json(text, a.file);

  std::optional<governance::voting::Method> method = f.method;
  if (!a.method.empty()) method = governance::voting::parse_method(a.method);
  if (!method)
    throw Error(Code::missing_field, a.file + ": the file names no method; give --method",
                "--method");
  const auto kind = governance::voting::ballot_kind(*method);
  const bool blt = format == "blt";
  // The kind of ballots the file holds: BLT is ranked; JSON as its ballots
  // (or its method) say. A file of another kind would be counted as all invalid.
  if (f.ballots.size() > 0 || blt) {
    std::optional<governance::voting::BallotKind> held;
    if (blt)
      held = governance::voting::BallotKind::ranking;
    else if (f.method)
      held = governance::voting::ballot_kind(*f.method);
    if (held && *held != kind)
      throw Error(Code::invalid_value,
                  a.file + ": the file holds " +
                      std::string(governance::voting::ballot_kind_name(*held)) + " ballots; " +
                      std::string(governance::voting::method_name(*method)) + " counts " +
                      std::string(governance::voting::ballot_kind_name(kind)) + " ballots",
                  "--method");
  }
  governance::voting::Options options = f.options;
  if (a.seats) options.seats = *a.seats;
  if (a.score_max) options.score_max = *a.score_max;
  if (a.dots) options.dots = *a.dots;
  options.tie_seed = a.seed;
  const auto result = governance::voting::tally(*method, f.ballots, options);
  const std::string out = governance::voting::to_json(result, *method, options).dump(2) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void add_tally_command(CLI::App& app, Globals&) {
  auto* cmd = app.add_subcommand(
      "tally",
      "Count a ballot file (BLT or JSON, see docs/BALLOTS.md) and print the result with its "
      "working as JSON");
  static TallyArgs a;
  std::vector<std::string> methods;
  for (auto m : governance::voting::all_methods())
    methods.emplace_back(governance::voting::method_name(m));
  cmd->add_option("--method", a.method, "Voting method (a JSON file's own \"method\" otherwise)")
      ->check(CLI::IsMember(methods));
  cmd->add_option("--seats", a.seats, "Winners wanted (default: the file's)")
      ->check(CLI::Range(1, governance::voting::kMaxOptions));
  cmd->add_option("--format", a.format, "blt or json (default: from the file's extension)")
      ->check(CLI::IsMember({"blt", "json"}));
  cmd->add_option("--seed", a.seed, "Seed of the lot that breaks ties nothing else breaks");
  cmd->add_option("--score-max", a.score_max, "Highest score (score, star)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--dots", a.dots, "Points per ballot (dot)")->check(CLI::Range(1, 1000000));
  cmd->add_option("FILE", a.file, "The ballot file; - reads standard input")->required();
  cmd->callback([] {
    try {
      run_tally(a);
    } catch (const Error& e) {
      // A malformed file is reported as FILE:LINE: reason, as compilers do.
      if (e.code() != Code::bad_file) throw;
      std::fprintf(stderr, "agora tally: %s\n", e.what());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace agora::cli
