// bench/ledger: the ledger's write path, driven by bench/ledger/run.
//
//   ledger_bench setup URL ACCOUNTS
//       A fresh database: one co-op with ACCOUNTS members, each with a current
//       account in EUR funded from the co-op's bank account, and a platform
//       admin (bench@agora.test / kBenchPassword) for the HTTP run. Prints
//       {"first_account", "last_account", "bank_account"} (member accounts
//       have consecutive ids).
//   ledger_bench run MODE URL TRANSFERS SEED [IN_FLIGHT]
//       The same seeded transfers between random member accounts, one way:
//         batcher  App::write_async of ledger::create_transfer, IN_FLIGHT
//                  (default 64) commands in flight from a few threads, each
//                  acknowledged after its batch's durable group commit;
//         single   one Database::write per transfer calling the same use
//                  case (what a web app without a batcher does);
//         insert   the physical limit: the same rows INSERTed into
//                  ledger_transfers by one prepared statement in one
//                  transaction (no account totals, no checks, no journal).
//       Prints {"mode", "transfers", "seconds", "per_s", "cpu_us_per_transfer", ...}.
//   ledger_bench count URL
//       Prints {"transfers": rows created by the benchmark or over HTTP}.
//
// Single-threaded apart from the batcher mode's submitting threads.

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "app/auth.h"
#include "app/ledger.h"
#include "app/registry.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "store/database.h"

namespace {

using namespace agora;
namespace ledger = agora::app::ledger;

constexpr const char* kBenchEmail = "bench@agora.test";
constexpr const char* kBenchPassword = "bench-password-1";
constexpr int64_t kOpeningBalance = int64_t{1000000000};  // 10 million EUR in cents
constexpr int64_t kMaxAmount = 10000;                     // at most 100 EUR a transfer
constexpr size_t kChunk = 1000;                           // members or openings per command

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: ledger_bench setup URL ACCOUNTS\n"
               "       ledger_bench run batcher|single|insert URL TRANSFERS SEED [IN_FLIGHT]\n"
               "       ledger_bench count URL\n");
  std::exit(2);
}

int64_t parse_count(const char* s, int64_t min, int64_t max) {
  char* end = nullptr;
  long long v = std::strtoll(s, &end, 10);
  if (end == s || *end != '\0' || v < min || v > max) usage();
  return v;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// User + system CPU of the whole process (every thread) so far, in microseconds:
// on a shared machine wall-clock rates drift with the load, CPU per transfer
// much less.
int64_t process_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto us = [](const timeval& t) { return int64_t{t.tv_sec} * 1000000 + t.tv_usec; };
  return us(u.ru_utime) + us(u.ru_stime);
}

// SplitMix64: a seeded, portable stream, so every mode moves the same money.
struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

void setup(const std::string& url, int64_t accounts) {
  auto db = store::Database::open(url);
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
  const app::Actor admin = app::Actor::system();
  app::bootstrap_admin(*app, kBenchEmail, kBenchPassword);

  Json org = app->write(
      admin, "bench_setup", Json{{"step", "org"}}, [](store::Tx& tx, const app::Ctx& ctx) {
        Json fed = app::create_org(
            tx, ctx,
            app::OrgInput{
                .kind = "federation", .name = "Bench federation", .slug = "bench-federation"});
        Json coop = app::create_org(tx, ctx,
                                    app::OrgInput{.parent_id = fed.at("id").get<int64_t>(),
                                                  .kind = "consumer",
                                                  .name = "Bench co-op",
                                                  .slug = "bench-coop",
                                                  .admission = "automatic"});
        const int64_t id = coop.at("id").get<int64_t>();
        app::create_class(
            tx, ctx, id,
            app::ClassInput{.code = "member", .name = "Member", .share_price_minor = 100});
        const int64_t bank =
            ledger::ensure_account(tx, ctx.now, id, "external", std::nullopt, "EUR", "bank");
        return Json{{"org_id", id}, {"bank", bank}};
      });
  const int64_t org_id = org.at("org_id").get<int64_t>();
  const int64_t bank = org.at("bank").get<int64_t>();

  std::vector<int64_t> ids;
  for (int64_t start = 0; start < accounts; start += kChunk) {
    const int64_t end = std::min<int64_t>(accounts, start + kChunk);
    Json chunk = app->write(
        admin, "bench_setup", Json{{"step", "members"}, {"from", start}},
        [=](store::Tx& tx, const app::Ctx& ctx) {
          Json out = Json::array();
          for (int64_t i = start; i < end; ++i) {
            const int64_t person = app::create_person(
                tx, ctx,
                app::PersonInput{.given_name = "Member", .family_name = std::to_string(i + 1)});
            app::apply_for_membership(
                tx, ctx, org_id,
                app::ApplicationInput{.class_code = "member", .shares = 1, .person_id = person});
            out.push_back(
                ledger::ensure_account(tx, ctx.now, org_id, "member", person, "EUR", "current"));
          }
          return out;
        });
    for (const Json& id : chunk) ids.push_back(id.get<int64_t>());
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    if (ids[i] != ids[i - 1] + 1)
      throw Error(Code::internal, "member accounts are not consecutive");
  }

  for (size_t start = 0; start < ids.size(); start += kChunk) {
    std::vector<ledger::TransferInput> batch;
    for (size_t i = start; i < std::min(ids.size(), start + kChunk); ++i) {
      batch.push_back(ledger::TransferInput{.key = "open-" + std::to_string(ids[i]),
                                            .debit_account_id = bank,
                                            .credit_account_id = ids[i],
                                            .amount = kOpeningBalance,
                                            .code = "deposit",
                                            .memo = "opening balance"});
    }
    app->write(admin, "bench_setup", Json{{"step", "openings"}, {"from", start}},
               [batch = std::move(batch)](store::Tx& tx, const app::Ctx& ctx) {
                 ledger::apply_transfers(tx, ctx.now, 0, batch);
                 return Json();
               });
  }
  app->stop();
  Json out{{"first_account", ids.front()}, {"last_account", ids.back()},
           {"bank_account", bank},         {"org_id", org_id},
           {"email", kBenchEmail},         {"password", kBenchPassword}};
  std::printf("%s\n", out.dump().c_str());
}

struct Accounts {
  int64_t first = 0;
  int64_t count = 0;
};

Accounts member_accounts(store::Database& db) {
  Accounts a;
  db.read([&](store::Tx& tx) {
    const store::Row& r = tx.query(
                                "SELECT MIN(id), COUNT(*) FROM ledger_accounts "
                                "WHERE holder = 'member'")
                              .one();
    a.first = r.i64(0);
    a.count = r.i64(1);
  });
  if (a.count < 2) throw Error(Code::internal, "run `ledger_bench setup` first");
  return a;
}

std::vector<ledger::TransferInput> transfers(const Accounts& a, int64_t n, uint64_t seed) {
  SplitMix rng{seed};
  std::vector<ledger::TransferInput> out;
  out.reserve(static_cast<size_t>(n));
  const auto count = static_cast<uint64_t>(a.count);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t d = rng.next() % count;
    uint64_t c = rng.next() % (count - 1);
    if (c >= d) ++c;
    out.push_back(ledger::TransferInput{.key = "bench-" + std::to_string(i),
                                        .debit_account_id = a.first + static_cast<int64_t>(d),
                                        .credit_account_id = a.first + static_cast<int64_t>(c),
                                        .amount = 1 + static_cast<int64_t>(rng.next() % kMaxAmount),
                                        .memo = "bench"});
  }
  return out;
}

// What the HTTP route journals for a create (routes_ledger.cc's transfer_payload).
Json payload_of(const ledger::TransferInput& t) {
  return Json{{"key", t.key},
              {"action", "create"},
              {"code", t.code},
              {"memo", t.memo},
              {"debit_account_id", t.debit_account_id},
              {"credit_account_id", t.credit_account_id},
              {"amount", t.amount},
              {"pending", t.pending}};
}

int64_t count_bench_transfers(store::Database& db) {
  int64_t n = 0;
  db.read([&](store::Tx& tx) {
    n = tx.query("SELECT COUNT(*) FROM ledger_transfers WHERE code = 'transfer'").one().i64(0);
  });
  return n;
}

// kSubmitters threads share `in_flight` commands in flight through
// write_async, each waiting for a free slot of its own window (the way the
// HTTP server's few threads hold many requests), so the figure is the
// batcher's, not the cost of parking dozens of client threads.
constexpr int kSubmitters = 4;

Json run_batcher(store::Database& db, const std::vector<ledger::TransferInput>& in, int in_flight) {
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = &db, .clock = &clock});
  const app::Actor admin = app::Actor::system();
  const int submitters = std::min(kSubmitters, in_flight);
  std::atomic<size_t> next{0};
  std::atomic<int64_t> failed{0};
  std::mutex error_mu;
  std::string first_error;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < submitters; ++c) {
    const int window = in_flight / submitters + (c < in_flight % submitters ? 1 : 0);
    threads.emplace_back([&, window] {
      std::mutex mu;
      std::condition_variable cv;
      int busy = 0;
      for (size_t i = next++; i < in.size(); i = next++) {
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return busy < window; });
          ++busy;
        }
        const ledger::TransferInput& t = in[i];
        app->write_async(
            admin, "create_transfer", payload_of(t),
            [&t](store::Tx& tx, const app::Ctx& ctx) {
              return ledger::create_transfer(tx, ctx, t);
            },
            [&](std::exception_ptr e, Json) {
              if (e) {
                ++failed;
                std::lock_guard lock(error_mu);
                if (first_error.empty()) {
                  try {
                    std::rethrow_exception(e);
                  } catch (const std::exception& x) {
                    first_error = x.what();
                  }
                }
              }
              std::lock_guard lock(mu);
              --busy;
              cv.notify_one();
            });
      }
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return busy == 0; });
    });
  }
  for (auto& t : threads) t.join();
  const double s = seconds_since(t0);
  app::BatchStats stats = app->batch_stats();
  app->stop();
  if (!first_error.empty()) {
    throw Error(Code::internal,
                std::to_string(failed.load()) + " transfers failed: " + first_error);
  }
  return Json{{"seconds", s},
              {"in_flight", in_flight},
              {"submitter_threads", submitters},
              {"batches", stats.batches},
              {"max_batch", stats.max_batch},
              {"mean_batch", stats.batches ? static_cast<double>(stats.commands) /
                                                 static_cast<double>(stats.batches)
                                           : 0.0}};
}

Json run_single(store::Database& db, const std::vector<ledger::TransferInput>& in) {
  SystemClock clock;
  const app::Actor admin = app::Actor::system();
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& t : in) {
    db.write([&](store::Tx& tx) { ledger::create_transfer(tx, app::Ctx{admin, clock.now()}, t); });
  }
  return Json{{"seconds", seconds_since(t0)}};
}

Json run_insert(store::Database& db, const std::vector<ledger::TransferInput>& in) {
  struct RowValues {
    std::string key, hash;
  };
  std::vector<RowValues> rows;
  rows.reserve(in.size());
  for (const auto& t : in) rows.push_back({t.key, ledger::body_hash(t)});
  const int64_t now = SystemClock().now().us;
  auto t0 = std::chrono::steady_clock::now();
  db.write([&](store::Tx& tx) {
    for (size_t i = 0; i < in.size(); ++i) {
      const auto& t = in[i];
      tx.exec(
          "INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, pending, "
          "debit_account_id, credit_account_id, amount, currency, code, memo, debit_balance, "
          "credit_balance, created_at) "
          "VALUES ($1, $2, 0, 'create', 0, $3, $4, $5, 'EUR', $6, $7, $8, $9, $10)",
          {rows[i].key, rows[i].hash, t.debit_account_id, t.credit_account_id, t.amount, t.code,
           t.memo, kOpeningBalance - t.amount, kOpeningBalance + t.amount, now});
    }
  });
  return Json{{"seconds", seconds_since(t0)}};
}

void run(const std::string& mode, const std::string& url, int64_t n, uint64_t seed, int in_flight) {
  auto db = store::Database::open(url, {.migrate = false, .create = false});
  const Accounts accounts = member_accounts(*db);
  const auto in = transfers(accounts, n, seed);
  Json out;
  const int64_t cpu0 = process_cpu_us();
  if (mode == "batcher") {
    out = run_batcher(*db, in, in_flight);
  } else if (mode == "single") {
    out = run_single(*db, in);
  } else if (mode == "insert") {
    out = run_insert(*db, in);
  } else {
    usage();
  }
  const int64_t cpu_us = process_cpu_us() - cpu0;
  const int64_t stored = count_bench_transfers(*db);
  if (stored != n) {
    throw Error(Code::internal, mode + ": " + std::to_string(stored) + " transfers stored, " +
                                    std::to_string(n) + " sent");
  }
  const double s = out.at("seconds").get<double>();
  out["mode"] = mode;
  out["engine"] = db->dialect() == store::Dialect::sqlite ? "sqlite" : "postgres";
  out["accounts"] = accounts.count;
  out["transfers"] = n;
  out["per_s"] = static_cast<double>(n) / s;
  out["cpu_us_per_transfer"] = static_cast<double>(cpu_us) / static_cast<double>(n);
  if (mode != "insert") {
    Json check;
    db->read([&](store::Tx& tx) { check = ledger::check_ledger(tx); });
    out["ledger_ok"] = check.value("ok", false);
    if (!out["ledger_ok"].get<bool>()) out["ledger_problems"] = check.at("problems");
  }
  std::printf("%s\n", out.dump().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "setup" && argc == 4) {
      setup(argv[2], parse_count(argv[3], 2, 10000000));
    } else if (cmd == "run" && (argc == 6 || argc == 7)) {
      const int in_flight = argc == 7 ? static_cast<int>(parse_count(argv[6], 1, 4096)) : 64;
      run(argv[2], argv[3], parse_count(argv[4], 1, 100000000),
          static_cast<uint64_t>(parse_count(argv[5], 0, INT64_MAX)), in_flight);
    } else if (cmd == "count" && argc == 3) {
      auto db = store::Database::open(argv[2], {.migrate = false, .create = false});
      std::printf("%s\n", Json{{"transfers", count_bench_transfers(*db)}}.dump().c_str());
    } else {
      usage();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ledger_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
