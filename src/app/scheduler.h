#pragma once
// Periodic background commands (closing proposals whose voting window has
// ended): each registered job runs every interval of wall time on the
// scheduler's own thread, through App::write as Actor::system(), so it is
// batched and journaled like any command. A job's error is logged, never
// fatal; the next round runs it again.
// Thread-safe: add() before start(); start(), stop() and run_once() from any
// thread (stop() joins the thread and is idempotent).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"

namespace agora::app {

class Scheduler {
 public:
  // `interval` > 0; the first round runs one interval after start().
  Scheduler(App& app, std::chrono::milliseconds interval);
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Registers a job; `name` is its journal command name. With `due`, a
  // query run first on a read connection, the job is written (and
  // journaled) only in rounds where `due` answers true: an idle round then
  // leaves no journal entry.
  void add(std::string name, WriteFn job, ReadFn due = nullptr);
  void start();
  void stop();
  // Runs every job once on the calling thread, in order of registration;
  // returns how many failed. The thread calls this each round.
  int run_once();

  int64_t rounds() const;    // rounds completed by the thread
  int64_t failures() const;  // job runs that threw, in total

 private:
  struct Job {
    std::string name;
    WriteFn fn;
    ReadFn due;
  };
  void loop();

  App& app_;
  const std::chrono::milliseconds interval_;
  std::vector<Job> jobs_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t rounds_ = 0;
  int64_t failures_ = 0;
};

}  // namespace agora::app
