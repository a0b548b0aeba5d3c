#include "store/database.h"

#include <atomic>
#include <cctype>
#include <charconv>

#include "core/assert.h"
#include "core/error.h"
#include "store/engine.h"

namespace agora::store {

namespace {

const Cell& cell(const Row& row, size_t col) {
  if (col >= row.cells_.size()) {
    throw Error(Code::database, "column " + std::to_string(col) + " out of range (row has " +
                                    std::to_string(row.cells_.size()) + ")");
  }
  if (std::holds_alternative<std::monostate>(row.cells_[col])) {
    throw Error(Code::database, "column " + std::to_string(col) + " is NULL");
  }
  return row.cells_[col];
}

}  // namespace

int64_t parse_i64(std::string_view text, size_t col) {
  // PostgreSQL reports boolean expressions (EXISTS, comparisons) as t/f.
  if (text == "t") return 1;
  if (text == "f") return 0;
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty()) {
    throw Error(Code::database, "column " + std::to_string(col) + " is not an integer");
  }
  return v;
}

namespace {

void check_one(size_t n) {
  if (n != 1) throw Error(Code::database, "expected exactly one row, got " + std::to_string(n));
}

thread_local const WriteLane* tl_writing = nullptr;
std::atomic<uint64_t> g_write_generation{1};

}  // namespace

bool Row::is_null(size_t col) const {
  if (col >= cells_.size()) (void)cell(*this, col);
  return std::holds_alternative<std::monostate>(cells_[col]);
}

int64_t Row::i64(size_t col) const {
  const Cell& c = cell(*this, col);
  if (const auto* n = std::get_if<int64_t>(&c)) return *n;
  return parse_i64(std::get<std::string>(c), col);
}

std::string Row::str(size_t col) const {
  const Cell& c = cell(*this, col);
  if (const auto* n = std::get_if<int64_t>(&c)) return std::to_string(*n);
  return std::get<std::string>(c);
}

std::optional<int64_t> Row::opt_i64(size_t col) const {
  if (is_null(col)) return std::nullopt;
  return i64(col);
}

std::optional<std::string> Row::opt_str(size_t col) const {
  if (is_null(col)) return std::nullopt;
  return str(col);
}

const Row& Rows::one() const& {
  check_one(rows.size());
  return rows.front();
}

Row Rows::one() && {
  check_one(rows.size());
  return std::move(rows.front());
}

std::unique_ptr<Database> Database::open(const std::string& url, const Options& options) {
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite(url, options);
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres(url, options);
  }
  throw Error(Code::bad_config,
              "unsupported database URL (expected sqlite:PATH or postgresql://...)", "--db");
}

void check_savepoint_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63 && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) ok = false;
  }
  if (!ok) throw Error(Code::database, "bad savepoint name: " + std::string(name));
}

WriteLane::Hold::Hold(WriteLane& lane) : lane_(lane), lock_(lane.mu_, std::defer_lock) {
  AGORA_ASSERT(tl_writing != &lane);  // write() inside write() on one thread
  auto t0 = std::chrono::steady_clock::now();
  lock_.lock();
  auto waited =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  tl_writing = &lane;
  std::lock_guard stats(lane.stats_mu_);
  ++lane.transactions_;
  lane.wait_us_ += waited.count();
}

// Runs after the engine's write() committed or rolled back: bumping here, not
// earlier, means a reader that saw the old generation read before the commit.
WriteLane::Hold::~Hold() {
  g_write_generation.fetch_add(1, std::memory_order_acq_rel);
  tl_writing = nullptr;
}

uint64_t write_generation() { return g_write_generation.load(std::memory_order_acquire); }

}  // namespace agora::store
