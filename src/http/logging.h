#pragma once
// Log set-up for the server: readable lines on a terminal, otherwise one JSON
// object per line (for log collectors). The access log writes one entry per
// request with its id, route pattern, method, status and duration.
// Thread-safe: set_up_logging() once at start-up; log_access() from any thread.

#include <cstdint>
#include <string>
#include <string_view>

namespace agora::http {

enum class LogFormat { automatic, text, json };

// "auto" | "text" | "json"; Error(bad_config) otherwise.
LogFormat parse_log_format(std::string_view s);
// Replaces spdlog's default logger (stderr). `automatic` picks text when
// stderr is a terminal. `level` is spdlog's level name ("info", "debug", …).
void set_up_logging(LogFormat format, std::string_view level = "info");
bool logging_is_json();
// Writes out buffered log lines (access entries are buffered for up to a
// second when stderr is not a terminal); the server calls it on stop.
void flush_logs();

struct AccessEntry {
  std::string_view request_id;
  std::string_view method;
  std::string_view path;
  std::string_view route;  // the matched pattern, "static" or "" for none
  int status = 0;
  int64_t duration_us = 0;
  std::string_view address;
  int64_t account_id = 0;
};
void log_access(const AccessEntry& e);

}  // namespace agora::http
