#include "app/scheduler.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "core/assert.h"
#include "core/error.h"

namespace agora::app {

Scheduler::Scheduler(App& app, std::chrono::milliseconds interval)
    : app_(app), interval_(interval) {
  AGORA_ASSERT(interval.count() > 0);
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(std::string name, WriteFn job, ReadFn due) {
  AGORA_ASSERT(!thread_.joinable());
  jobs_.push_back(Job{std::move(name), std::move(job), std::move(due)});
}

void Scheduler::start() {
  AGORA_ASSERT(!thread_.joinable());
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Scheduler::run_once() {
  int failed = 0;
  for (const Job& job : jobs_) {
    // A job that throws must not stop the others nor the thread: the next
    // round retries it, and the log says why it failed.
    try {
      if (job.due && !app_.read(Actor::system(), job.due).get<bool>()) continue;
      Json result = app_.write(Actor::system(), job.name, Json::object(), job.fn);
      spdlog::debug("scheduler: {} -> {}", job.name, result.dump());
    } catch (const Error& e) {
      ++failed;
      spdlog::error("scheduler: {} failed: {} [{}]", job.name, e.what(), code_name(e.code()));
    } catch (const std::exception& e) {
      ++failed;
      spdlog::error("scheduler: {} failed: {}", job.name, e.what());
    }
  }
  std::lock_guard lock(mu_);
  failures_ += failed;
  return failed;
}

void Scheduler::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    lock.unlock();
    run_once();
    lock.lock();
    ++rounds_;
  }
}

int64_t Scheduler::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

int64_t Scheduler::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

}  // namespace agora::app
