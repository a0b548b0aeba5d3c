#pragma once
// Internal to store/: the two engine factories behind Database::open, and the
// small pieces both engines share (a blocking connection pool, the write-lane
// guard, savepoint name checks). Not part of the public contract.
// Thread-safe: ConnectionPool is; the helpers are pure.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace agora::store {

std::unique_ptr<Database> open_sqlite(const std::string& url, const Options& options);
std::unique_ptr<Database> open_postgres(const std::string& url, const Options& options);

// An integer cell given as text (PostgreSQL's NUMERIC, t/f booleans), as
// Row::i64 and RowView::i64 read it; Error(database) if it is not one.
int64_t parse_i64(std::string_view text, size_t col);

// Throws Error(database) unless `name` is a plain SQL identifier, since
// savepoint names cannot be bound as parameters.
void check_savepoint_name(std::string_view name);

// Connections are created on first need up to `max`; a caller waits when all
// are in use. A connection found broken is discarded on release.
template <class Conn>
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Conn>()>;
  ConnectionPool(int max, Factory factory) : max_(max < 1 ? 1 : max), factory_(std::move(factory)) {}

  Conn* acquire() {
    std::unique_lock lock(mu_);
    bool waited = false;
    for (;;) {
      if (!free_.empty()) {
        Conn* c = free_.back();
        free_.pop_back();
        ++in_use_;
        return c;
      }
      if (created_ < max_) {
        ++created_;
        lock.unlock();
        std::unique_ptr<Conn> fresh;
        try {
          fresh = factory_();
        } catch (...) {
          lock.lock();
          --created_;
          cv_.notify_one();
          throw;
        }
        lock.lock();
        Conn* c = fresh.get();
        all_.push_back(std::move(fresh));
        ++in_use_;
        return c;
      }
      if (!waited) {
        ++waits_;
        waited = true;
      }
      cv_.wait(lock);
    }
  }

  void release(Conn* c, bool discard) {
    std::unique_ptr<Conn> doomed;
    {
      std::lock_guard lock(mu_);
      --in_use_;
      if (discard) {
        for (auto it = all_.begin(); it != all_.end(); ++it) {
          if (it->get() == c) {
            doomed = std::move(*it);
            all_.erase(it);
            break;
          }
        }
        --created_;
      } else {
        free_.push_back(c);
      }
    }
    cv_.notify_one();
  }

  void fill(PoolStats& s) const {
    std::lock_guard lock(mu_);
    s.read_connections = created_;
    s.read_in_use = in_use_;
    s.read_waits = waits_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  const int max_;
  Factory factory_;
  std::vector<std::unique_ptr<Conn>> all_;
  std::vector<Conn*> free_;
  int created_ = 0;
  int in_use_ = 0;
  int64_t waits_ = 0;
};

// Holds a pooled connection for one scope.
template <class Conn>
class Lease {
 public:
  explicit Lease(ConnectionPool<Conn>& pool) : pool_(pool), conn_(pool.acquire()) {}
  ~Lease() { pool_.release(conn_, discard_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Conn& operator*() const { return *conn_; }
  Conn* operator->() const { return conn_; }
  void discard() { discard_ = true; }

 private:
  ConnectionPool<Conn>& pool_;
  Conn* conn_;
  bool discard_ = false;
};

// The single write lane: serializes writers and counts how long they waited.
// A nested write() on the same thread would deadlock, so it asserts instead.
class WriteLane {
 public:
  class Hold {
   public:
    explicit Hold(WriteLane& lane);
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    WriteLane& lane_;
    std::unique_lock<std::mutex> lock_;
  };
  void fill(PoolStats& s) const {
    std::lock_guard lock(stats_mu_);
    s.write_transactions = transactions_;
    s.write_wait_us = wait_us_;
  }

 private:
  std::mutex mu_;
  mutable std::mutex stats_mu_;
  int64_t transactions_ = 0;
  int64_t wait_us_ = 0;
};

}  // namespace agora::store
