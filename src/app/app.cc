#include "app/app.h"

#include <malloc.h>
#include <sodium.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "app/journal.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {
namespace {

class SodiumRandom final : public Random {
 public:
  SodiumRandom() {
    if (sodium_init() < 0) throw Error(Code::internal, "libsodium failed to initialise");
  }
  void fill(std::span<uint8_t> out) override { randombytes_buf(out.data(), out.size()); }
};

// Commands that read and check everything they need before their first
// write, so that a refusal leaves nothing written (see AppImpl::run_bare):
// one transfer, created, posted or voided (app/ledger.h). A linked batch is
// not among them: it writes its first transfers before checking the next.
bool validates_before_writing(std::string_view name) { return name == "create_transfer"; }

struct Pending {
  Actor actor;
  std::string name;
  std::string payload_hash;  // the journal's hash of the payload, taken when queued
  WriteFn fn;
  Done done;
  // Filled by the writer.
  std::exception_ptr error;
  Json result;
};

// The write batcher: commands queue here; one writer thread commits them in
// batches, one savepoint per command, and answers each only after its batch
// is durably committed (group commit).
class AppImpl final : public App {
 public:
  explicit AppImpl(const AppOptions& o)
      : db_(*o.db), clock_(*o.clock), max_batch_(o.max_batch) {
    AGORA_ASSERT(o.db != nullptr && o.clock != nullptr && o.max_batch > 0);
    if (sodium_init() < 0) throw Error(Code::internal, "libsodium failed to initialise");
    if (o.random) {
      random_ = o.random;
    } else {
      owned_random_ = system_random();
      random_ = owned_random_.get();
    }
    writer_ = std::thread([this] { run(); });
  }

  ~AppImpl() override { stop(); }

  store::Database& db() override { return db_; }
  const Clock& clock() override { return clock_; }
  Random& random() override { return *random_; }

  void write_async(const Actor& actor, std::string_view name, const Json& payload, WriteFn fn,
                   Done done) override {
    // Serialising and hashing the payload here, on the caller's thread,
    // keeps that work (and the payload itself) off the single write lane.
    std::string payload_hash = journal_payload_hash(payload);
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        queue_.push_back(Pending{actor, std::string(name), std::move(payload_hash), std::move(fn),
                                 std::move(done), nullptr, Json()});
        cv_.notify_one();
        return;
      }
    }
    done(std::make_exception_ptr(Error(Code::unavailable, "the server is shutting down")), Json());
  }

  BatchStats batch_stats() const override {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void stop() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      cv_.notify_all();
    }
    std::lock_guard join_lock(join_mu_);
    if (writer_.joinable() && std::this_thread::get_id() != writer_.get_id()) writer_.join();
  }

 private:
  void run() {
    std::vector<Pending> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        size_t n = std::min(queue_.size(), static_cast<size_t>(max_batch_));
        for (size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      commit(batch);
      {
        std::lock_guard lock(mu_);
        stats_.batches += 1;
        stats_.commands += static_cast<int64_t>(batch.size());
        stats_.max_batch = std::max<int64_t>(stats_.max_batch, static_cast<int64_t>(batch.size()));
      }
      for (auto& p : batch) p.done(p.error, std::move(p.result));
      batch.clear();
    }
  }

  void commit(std::vector<Pending>& batch) {
    try {
      db_.write([&](store::Tx& tx) {
        if (tx.dialect() == store::Dialect::postgres) {
          // Several agora processes may share one PostgreSQL: serialize
          // journal appends so the chain never forks.
          tx.query("SELECT pg_advisory_xact_lock(727001)");
        }
        std::string head = journal_head(tx);
        const bool sqlite = tx.dialect() == store::Dialect::sqlite;
        for (auto& p : batch) {
          p.error = nullptr;
          if (sqlite && validates_before_writing(p.name)) {
            run_bare(tx, p, head);
            continue;
          }
          tx.savepoint("agora_cmd");
          try {
            Ctx ctx{p.actor, clock_.now()};
            p.result = p.fn(tx, ctx);
            std::string next = journal_append(tx, p.actor, ctx.now, p.name, p.payload_hash, head);
            tx.release("agora_cmd");
            head = std::move(next);
          } catch (...) {
            p.error = std::current_exception();
            p.result = Json();
            tx.rollback_to("agora_cmd");
            tx.release("agora_cmd");
          }
        }
      });
    } catch (...) {
      // The commit itself failed: nothing in this batch is durable.
      auto err = std::current_exception();
      for (auto& p : batch) {
        p.error = err;
        p.result = Json();
      }
    }
  }

  // A command that checks everything before its first write, run without a
  // savepoint of its own (on SQLite each one copies every page the command
  // touches into a statement journal, measured at about a twentieth of a
  // transfer's cost on bench/ledger). If it fails having written nothing, its
  // error is its own and the batch goes on, as with a savepoint. If it fails
  // after writing (a bug, or an I/O error, after which SQLite may also have
  // rolled the whole transaction back), the exception leaves the
  // transaction: the batch rolls back and every command in it gets the
  // error, so no half-applied command is ever committed or acknowledged.
  void run_bare(store::Tx& tx, Pending& p, std::string& head) {
    const int64_t changes = total_changes(tx);
    try {
      Ctx ctx{p.actor, clock_.now()};
      p.result = p.fn(tx, ctx);
      head = journal_append(tx, p.actor, ctx.now, p.name, p.payload_hash, head);
    } catch (const Error& e) {
      if (e.code() == Code::database || e.code() == Code::internal) throw;
      if (total_changes(tx) != changes) throw;
      p.error = std::current_exception();
      p.result = Json();
    }
  }

  // Rows written by INSERT, UPDATE and DELETE on the writer connection so far.
  static int64_t total_changes(store::Tx& tx) {
    return tx.query("SELECT total_changes()").one().i64(0);
  }

  store::Database& db_;
  const Clock& clock_;
  int max_batch_;
  std::unique_ptr<Random> owned_random_;
  Random* random_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  BatchStats stats_;
  std::mutex join_mu_;
  std::thread writer_;
};

}  // namespace

std::unique_ptr<Random> system_random() { return std::make_unique<SodiumRandom>(); }

std::unique_ptr<App> App::create(const AppOptions& options) {
  if (!options.db || !options.clock) throw Error(Code::bad_config, "App needs a database and a clock");
  // The writer builds and frees a batch's worth of rows and results each
  // round; with glibc's defaults it hands that memory back to the kernel
  // and faults it in again every batch (measured: most of the batcher's CPU
  // under load). Keep freed memory in the process instead. Process-wide,
  // set once.
  static std::once_flag malloc_tuned;
  std::call_once(malloc_tuned, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
  });
  return std::make_unique<AppImpl>(options);
}

Json App::write(const Actor& actor, std::string_view name, const Json& payload, WriteFn fn) {
  std::promise<Json> promise;
  auto future = promise.get_future();
  write_async(actor, name, payload, std::move(fn), [&promise](std::exception_ptr e, Json r) {
    if (e) {
      promise.set_exception(e);
    } else {
      promise.set_value(std::move(r));
    }
  });
  return future.get();
}

Json App::read(const Actor& actor, const ReadFn& fn) {
  Json out;
  db().read([&](store::Tx& tx) {
    Ctx ctx{actor, clock().now()};
    out = fn(tx, ctx);
  });
  return out;
}

}  // namespace agora::app
