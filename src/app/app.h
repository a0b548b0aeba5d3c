#pragma once
// The application: the use cases' shared context (database, clock, random
// source, write batcher, audit journal). Every state-changing command goes
// through App::write/write_async, which runs it inside the write batcher (one
// savepoint per command, many commands per durable commit) and appends it to
// the hash-chained audit journal in the same savepoint. On SQLite a single
// transfer ("create_transfer", which checks everything before writing) runs
// without a savepoint; if it fails after writing, its whole batch rolls back.
// Thread-safe: all methods may be called from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/json.h"
#include "store/database.h"

namespace agora::app {

// Who is acting. account_id == 0 means anonymous.
struct Actor {
  int64_t account_id = 0;
  int64_t person_id = 0;
  bool admin = false;        // a platform operator (demo/CLI), all rights
  std::string address;       // client address, for rate limits and logs
  bool anonymous() const { return account_id == 0 && !admin; }
  static Actor system() { return Actor{.admin = true, .address = "cli"}; }
};

// What a command or query sees besides the transaction.
struct Ctx {
  const Actor& actor;
  Timestamp now;
};

// Source of randomness (tokens, receipts). Tests may inject a seeded one.
class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<uint8_t> out) = 0;
};
std::unique_ptr<Random> system_random();  // libsodium randombytes_buf

struct BatchStats {
  int64_t batches = 0;
  int64_t commands = 0;
  int64_t max_batch = 0;
};

struct AppOptions {
  store::Database* db = nullptr;   // required; not owned
  const Clock* clock = nullptr;    // required; not owned
  Random* random = nullptr;        // optional; system_random() if null
  int max_batch = 256;             // commands per write transaction
};

using WriteFn = std::function<Json(store::Tx&, const Ctx&)>;
using ReadFn = std::function<Json(store::Tx&, const Ctx&)>;
using Done = std::function<void(std::exception_ptr error, Json result)>;

class App {
 public:
  static std::unique_ptr<App> create(const AppOptions& options);
  virtual ~App() = default;

  virtual store::Database& db() = 0;
  virtual const Clock& clock() = 0;
  virtual Random& random() = 0;

  // Queues a command. `name` and `payload` go to the audit journal (payload
  // is hashed, never stored). `done` runs on the batcher thread after the
  // batch holding this command committed durably (or with the command's own
  // error; other commands in the batch are unaffected).
  virtual void write_async(const Actor& actor, std::string_view name, const Json& payload,
                           WriteFn fn, Done done) = 0;
  // Blocking form of write_async; rethrows the command's error.
  Json write(const Actor& actor, std::string_view name, const Json& payload, WriteFn fn);
  // Runs a query on a read connection.
  Json read(const Actor& actor, const ReadFn& fn);

  virtual BatchStats batch_stats() const = 0;
  // Stops accepting writes and drains the queue (graceful shutdown).
  virtual void stop() = 0;
};

}  // namespace agora::app
