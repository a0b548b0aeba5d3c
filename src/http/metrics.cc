#include "http/metrics.h"

#include <fmt/format.h>

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

void Metrics::record(const std::string& route, const std::string& method, int status,
                     int64_t duration_us) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = durations_[route];
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
    std::lock_guard lock(mu_);
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
