#pragma once
// Time for Agora: UTC microseconds since the Unix epoch, read only through an
// injected Clock so tests move time instead of sleeping.
// SystemClock is thread-safe; ManualClock is thread-safe (atomic).

#include <atomic>
#include <cstdint>
#include <string>

namespace agora {

struct Timestamp {
  int64_t us = 0;  // microseconds since 1970-01-01T00:00:00Z
  auto operator<=>(const Timestamp&) const = default;
};

// "2026-11-24T05:31:53.123456Z"; parse accepts that form and whole seconds.
std::string format_iso8601(Timestamp t);
Timestamp parse_iso8601(const std::string& text);  // throws Error(invalid_value)

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : us_(start.us) {}
  Timestamp now() const override { return Timestamp{us_.load()}; }
  void advance_us(int64_t d) { us_ += d; }
  void set(Timestamp t) { us_ = t.us; }

 private:
  std::atomic<int64_t> us_;
};

}  // namespace agora
