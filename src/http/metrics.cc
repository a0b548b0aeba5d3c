#include "http/metrics.h"

#include <fmt/format.h>

#include <atomic>

#include "app/app.h"

namespace agora::http {
namespace {

// Label values are route patterns and methods we chose, but escape anyway so
// a surprising pattern can never break the exposition format.
std::string escape_label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Metrics& metrics() {
  static Metrics m;
  return m;
}

namespace {
std::atomic<uint64_t> g_next_metrics_id{1};
}  // namespace

Metrics::Metrics() : id_(g_next_metrics_id++) {}
Metrics::~Metrics() = default;

Metrics::Shard& Metrics::shard() {
  // Keyed by instance id, not address: a test may destroy a Metrics and make
  // another at the same address.
  thread_local uint64_t tl_id = 0;
  thread_local Shard* tl_shard = nullptr;
  if (tl_id != id_ || !tl_shard) {
    auto s = std::make_unique<Shard>();
    tl_shard = s.get();
    tl_id = id_;
    std::lock_guard lock(mu_);
    shards_.push_back(std::move(s));
  }
  return *tl_shard;
}

void Metrics::record(std::string_view route, std::string_view method, int status,
                     int64_t duration_us) {
  Shard& s = shard();
  std::lock_guard lock(s.mu);
  // Look up by views; allocate the key strings only for a new series.
  auto key = std::make_tuple(route, method, status);
  auto it = s.requests.find(key);
  if (it == s.requests.end()) {
    it = s.requests.emplace(std::make_tuple(std::string(route), std::string(method), status), 0)
             .first;
  }
  ++it->second;
  auto hit = s.durations.find(route);
  if (hit == s.durations.end()) hit = s.durations.emplace(std::string(route), Histogram{}).first;
  Histogram& h = hit->second;
  double seconds = static_cast<double>(duration_us) / 1e6;
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum_us += duration_us;
}

std::string Metrics::render(app::App* app) const {
  std::string out;
  {
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
    std::map<std::string, Histogram> durations_;
    {
      std::lock_guard lock(mu_);
      for (const auto& sh : shards_) {
        std::lock_guard shard_lock(sh->mu);
        for (const auto& [k, n] : sh->requests) requests_[k] += n;
        for (const auto& [r, h] : sh->durations) {
          Histogram& t = durations_[r];
          for (size_t i = 0; i < kBucketsSeconds.size(); ++i) t.buckets[i] += h.buckets[i];
          t.count += h.count;
          t.sum_us += h.sum_us;
        }
      }
    }
    out += "# HELP agora_http_requests_total HTTP requests by route pattern, method and status.\n";
    out += "# TYPE agora_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format("agora_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         escape_label(route), escape_label(method), status, n);
    }
    out += "# HELP agora_http_request_duration_seconds Time from request read to response written.\n";
    out += "# TYPE agora_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : durations_) {
      std::string r = escape_label(route);
      for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        out += fmt::format("agora_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                           r, kBucketsSeconds[i], h.buckets[i]);
      }
      out += fmt::format("agora_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                         r, h.count);
      out += fmt::format("agora_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r,
                         static_cast<double>(h.sum_us) / 1e6);
      out += fmt::format("agora_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                         h.count);
    }
  }
  if (app) {
    auto s = app->db().stats();
    auto gauge = [&out](const char* name, const char* help, const char* type, int64_t v) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, v);
    };
    gauge("agora_db_read_connections", "Open read connections in the pool.", "gauge",
          s.read_connections);
    gauge("agora_db_read_in_use", "Read connections in use.", "gauge", s.read_in_use);
    gauge("agora_db_read_waits_total", "Times a reader waited for a free connection.", "counter",
          s.read_waits);
    gauge("agora_db_write_transactions_total", "Write transactions committed.", "counter",
          s.write_transactions);
    out += fmt::format(
        "# HELP agora_db_write_wait_seconds_total Time writers waited for the writer connection.\n"
        "# TYPE agora_db_write_wait_seconds_total counter\nagora_db_write_wait_seconds_total {}\n",
        static_cast<double>(s.write_wait_us) / 1e6);
    auto b = app->batch_stats();
    gauge("agora_write_batches_total", "Write batches committed by the batcher.", "counter",
          b.batches);
    gauge("agora_write_commands_total", "Commands run by the write batcher.", "counter",
          b.commands);
    gauge("agora_write_max_batch", "Largest batch committed so far.", "gauge", b.max_batch);
  }
  return out;
}

}  // namespace agora::http
