#pragma once
// Prometheus metrics of the HTTP layer: request counts by (route, method,
// status) and a latency histogram by route, the route being the matched
// PATTERN (bounded label set), never the raw path.
// Thread-safe: record() and render() may run concurrently from any thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace agora::app {
class App;
}

namespace agora::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  void record(const std::string& route, const std::string& method, int status,
              int64_t duration_us);
  // Prometheus text exposition, including database pool and write batcher
  // figures read from `app` when given.
  std::string render(app::App* app) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    int64_t sum_us = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
};

// The process-wide instance the server records into and /metrics renders.
Metrics& metrics();

}  // namespace agora::http
