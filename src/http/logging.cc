#include "http/logging.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace agora::http {
namespace {

std::atomic<bool> g_json{false};
// The access log has its own logger on the same sink, so the sink can tell
// its entries (buffered) from everything else (written at once).
constexpr const char* kAccessLogger = "agora.access";
// Read per request without a lock; every logger ever installed is kept alive
// in g_access_owned (set_up_logging runs once per process, or once per test).
std::atomic<spdlog::logger*> g_access{nullptr};
std::mutex g_access_mu;
std::vector<std::shared_ptr<spdlog::logger>> g_access_owned;

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing stderr
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// stderr when it is not a terminal (a file, a pipe to a collector): one
// write(2) per access entry cost as much as answering the request, so access
// entries collect in a buffer written when it fills, on spdlog's periodic
// flush (every second) and on shutdown. Every other message, and so every
// warning or error, writes the buffer and itself at once, keeping order.
// Lines are appended whole, so none is ever split or interleaved.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  static constexpr size_t kLimit = 64 * 1024;
  ~BufferedStderrSink() override {
    std::lock_guard lock(mutex_);
    flush_();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    formatter_->format(msg, buf_);
    std::string_view name(msg.logger_name.data(), msg.logger_name.size());
    if (name != kAccessLogger || buf_.size() >= kLimit) flush_();
  }
  void flush_() override {
    if (buf_.size() == 0) return;
    write_all(STDERR_FILENO, buf_.data(), buf_.size());
    buf_.clear();
  }

 private:
  spdlog::memory_buf_t buf_;
};

// Appends `s` as a JSON string. Plain printable ASCII (the usual case for
// paths and ids) is copied directly; anything else goes through nlohmann,
// which escapes control characters and replaces invalid UTF-8.
void append_json_string(spdlog::memory_buf_t& dest, std::string_view s) {
  bool plain = true;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    dest.push_back('"');
    dest.append(s.data(), s.data() + s.size());
    dest.push_back('"');
  } else {
    std::string q = Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
    dest.append(q.data(), q.data() + q.size());
  }
}

// spdlog has no JSON output: this formatter writes {"ts","level","msg"}, and
// splices structured entries (messages that are themselves a JSON object,
// such as access entries) into the same object instead of quoting them.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto us = duration_cast<microseconds>(msg.time.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(us / 1000000);
    if (secs != cached_secs_) {  // gmtime_r once a second, not once a line
      std::tm tm{};
      gmtime_r(&secs, &tm);
      cached_prefix_ = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      cached_secs_ = secs;
    }
    std::string_view payload(msg.payload.data(), msg.payload.size());
    auto level = spdlog::level::to_string_view(msg.level);
    fmt::format_to(std::back_inserter(dest), "{{\"ts\":\"{}.{:06}Z\",\"level\":\"{}\"",
                   cached_prefix_, us % 1000000, std::string_view(level.data(), level.size()));
    if (payload.size() >= 2 && payload.front() == '{' && payload.back() == '}') {
      if (payload.size() > 2) dest.push_back(',');
      dest.append(payload.data() + 1, payload.data() + payload.size());
    } else {
      static constexpr std::string_view kMsg = ",\"msg\":";
      dest.append(kMsg.data(), kMsg.data() + kMsg.size());
      append_json_string(dest, payload);
      dest.push_back('}');
    }
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }

 private:
  // Only called under the sink's lock, so no synchronisation of its own.
  std::time_t cached_secs_ = -1;
  std::string cached_prefix_;
};

spdlog::logger* access_logger() {
  spdlog::logger* l = g_access.load(std::memory_order_acquire);
  return l ? l : spdlog::default_logger_raw();
}

}  // namespace

LogFormat parse_log_format(std::string_view s) {
  if (s == "auto") return LogFormat::automatic;
  if (s == "text") return LogFormat::text;
  if (s == "json") return LogFormat::json;
  throw Error(Code::bad_config, "log format must be auto, text or json, not \"" +
                                    std::string(s.substr(0, 32)) + "\"",
              "log_format");
}

void set_up_logging(LogFormat format, std::string_view level) {
  bool tty = ::isatty(STDERR_FILENO);
  bool json = format == LogFormat::json || (format == LogFormat::automatic && !tty);
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    throw Error(Code::bad_config, "unknown log level \"" + std::string(level.substr(0, 32)) + "\"",
                "log_level");
  }
  spdlog::sink_ptr sink;
  if (tty) {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  } else {
    sink = std::make_shared<BufferedStderrSink>();
  }
  if (json) {
    sink->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    sink->set_formatter(
        std::make_unique<spdlog::pattern_formatter>("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v"));
  }
  auto logger = std::make_shared<spdlog::logger>("agora", sink);
  auto access = std::make_shared<spdlog::logger>(kAccessLogger, sink);
  logger->set_level(lvl);
  access->set_level(lvl);
  spdlog::set_default_logger(logger);
  spdlog::drop(kAccessLogger);
  spdlog::register_logger(access);  // so flush_every() and shutdown reach it
  {
    std::lock_guard lock(g_access_mu);
    g_access_owned.push_back(access);
    g_access.store(access.get(), std::memory_order_release);
  }
  spdlog::flush_every(std::chrono::seconds(1));
  g_json = json;
}

void flush_logs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

bool logging_is_json() { return g_json; }

void log_access(const AccessEntry& e) {
  auto logger = access_logger();
  if (!logger->should_log(spdlog::level::info)) return;
  if (g_json) {
    // Built by hand rather than through a Json object: this runs once per
    // request and was a visible share of the request's cost.
    spdlog::memory_buf_t b;
    static constexpr std::string_view kHead = "{\"msg\":\"request\",\"request_id\":";
    b.append(kHead.data(), kHead.data() + kHead.size());
    append_json_string(b, e.request_id);
    fmt::format_to(std::back_inserter(b), ",\"method\":");
    append_json_string(b, e.method);
    fmt::format_to(std::back_inserter(b), ",\"path\":");
    append_json_string(b, e.path);
    fmt::format_to(std::back_inserter(b), ",\"route\":");
    append_json_string(b, e.route);
    fmt::format_to(std::back_inserter(b), ",\"status\":{},\"duration_ms\":{},\"address\":", e.status,
                   static_cast<double>(e.duration_us) / 1000.0);
    append_json_string(b, e.address);
    if (e.account_id) fmt::format_to(std::back_inserter(b), ",\"account_id\":{}", e.account_id);
    b.push_back('}');
    logger->info(std::string_view(b.data(), b.size()));
  } else {
    logger->info("{} {} {} {:.1f}ms route={} id={}{}", e.method, e.path, e.status,
                 static_cast<double>(e.duration_us) / 1000.0, e.route, e.request_id,
                 e.account_id ? " account=" + std::to_string(e.account_id) : std::string());
  }
}

}  // namespace agora::http
