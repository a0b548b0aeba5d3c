#pragma once
// Prometheus metrics of the HTTP layer: request counts by (route, method,
// status) and a latency histogram by route, the route being the matched
// PATTERN (bounded label set), never the raw path.
// Thread-safe: record() and render() may run concurrently from any thread.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace agora::app {
class App;
}

namespace agora::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  Metrics();
  ~Metrics();
  void record(std::string_view route, std::string_view method, int status, int64_t duration_us);
  // Prometheus text exposition, including database pool and write batcher
  // figures read from `app` when given.
  std::string render(app::App* app) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    int64_t sum_us = 0;
  };
  // One shard per recording thread, so server threads never contend on a
  // lock; render() sums the shards. A shard's own mutex is only ever taken
  // by its thread and by render(), so it is almost always uncontended.
  struct Shard {
    std::mutex mu;
    std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>> requests;
    std::map<std::string, Histogram, std::less<>> durations;
  };
  Shard& shard();
  mutable std::mutex mu_;  // guards shards_ (the list, not their contents)
  std::vector<std::unique_ptr<Shard>> shards_;
  uint64_t id_;  // tells apart Metrics instances for the thread-local lookup
};

// The process-wide instance the server records into and /metrics renders.
Metrics& metrics();

}  // namespace agora::http
