#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "app/import_members.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::cli {

namespace {

// Reads the whole file, refusing one over the import bound before reading it.
std::string read_bounded(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(Code::bad_file, "cannot read " + path + ": " + ec.message(), "FILE");
  if (size > app::kMaxImportBytes) {
    throw Error(Code::bad_file,
                path + " is " + std::to_string(size) + " bytes; the limit is " +
                    std::to_string(app::kMaxImportBytes),
                "FILE");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Code::bad_file, "cannot open " + path, "FILE");
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) {
    throw Error(Code::bad_file, "short read on " + path, "FILE");
  }
  return text;
}

std::string euros(int64_t minor, const std::string& currency) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%02lld %s", static_cast<long long>(minor / 100),
                static_cast<long long>(minor % 100), currency.c_str());
  return buf;
}

std::string columns_help() {
  std::string s;
  for (auto c : app::member_columns()) s += (s.empty() ? "" : ", ") + std::string(c);
  return s;
}

}  // namespace

void add_import_command(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("import", "Import data from files");
  cmd->require_subcommand(1);
  auto* members = cmd->add_subcommand(
      "members",
      "Import members of one co-op from a CSV file (RFC 4180, UTF-8, header row). Columns: " +
          columns_help() +
          ". Every row is checked first; if any is bad, all bad rows are listed and nothing is "
          "imported. See docs/DEMO.md.");
  add_db_option(members, g);
  static int64_t org_id = 0;
  static std::string file;
  members->add_option("--org", org_id, "Id of the co-op the members join")->required();
  members->add_option("FILE", file, "The CSV file")->required();
  members->callback([&g] {
    const std::string text = read_bounded(file);
    auto db = store::Database::open(g.db_url);
    SystemClock clock;
    auto application = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
    Progress progress("importing " + std::filesystem::path(file).filename().string());
    app::ImportReport r;
    try {
      r = app::import_members(*application, app::Actor::system(), org_id, text,
                              [&](int64_t done, int64_t total, std::string_view stage) {
                                progress.update(done, total, stage);
                              });
    } catch (...) {
      progress.finish();
      application->stop();
      throw;
    }
    progress.finish();
    application->stop();
    if (!r.errors.empty()) {
      for (const auto& e : r.errors) {
        if (e.line > 0) {
          std::fprintf(stderr, "%s:%lld: %s\n", file.c_str(), static_cast<long long>(e.line),
                       e.reason.c_str());
        } else {
          std::fprintf(stderr, "%s: %s\n", file.c_str(), e.reason.c_str());
        }
      }
      throw Error(Code::bad_file, std::to_string(r.errors.size()) + " bad row" +
                                      (r.errors.size() == 1 ? "" : "s") + " in " + file +
                                      "; nothing was imported");
    }
    std::printf(
        "Imported %lld members into %s (org %lld): %lld new people, %lld already known; "
        "%lld shares, %s subscribed, %s paid\n",
        static_cast<long long>(r.imported), r.org_name.c_str(), static_cast<long long>(org_id),
        static_cast<long long>(r.new_persons), static_cast<long long>(r.existing_persons),
        static_cast<long long>(r.shares), euros(r.capital_minor, r.currency).c_str(),
        euros(r.paid_minor, r.currency).c_str());
  });
}

}  // namespace agora::cli
