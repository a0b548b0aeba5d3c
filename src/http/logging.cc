#include "http/logging.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include "core/error.h"
#include "core/json.h"

namespace agora::http {
namespace {

std::atomic<bool> g_json{false};

// spdlog has no JSON output: this formatter writes {"ts","level","msg"}, and
// splices structured entries (messages that are themselves a JSON object,
// such as access entries) into the same object instead of quoting them.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto us = duration_cast<microseconds>(msg.time.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(us / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::string ts = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900,
                                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                                 us % 1000000);
    std::string_view payload(msg.payload.data(), msg.payload.size());
    auto level = spdlog::level::to_string_view(msg.level);
    std::string head = std::string("{\"ts\":\"") + ts + "\",\"level\":\"" +
                       std::string(level.data(), level.size()) + "\"";
    std::string line;
    if (payload.size() >= 2 && payload.front() == '{' && payload.back() == '}') {
      line = head + (payload.size() > 2 ? "," : "") + std::string(payload.substr(1));
    } else {
      line = head + ",\"msg\":" +
             Json(std::string(payload)).dump(-1, ' ', false, Json::error_handler_t::replace) + "}";
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

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
  bool json = format == LogFormat::json ||
              (format == LogFormat::automatic && !::isatty(STDERR_FILENO));
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    throw Error(Code::bad_config, "unknown log level \"" + std::string(level.substr(0, 32)) + "\"",
                "log_level");
  }
  auto logger = std::make_shared<spdlog::logger>(
      "agora", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (json) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  g_json = json;
}

bool logging_is_json() { return g_json; }

void log_access(const AccessEntry& e) {
  if (g_json) {
    Json j{{"msg", "request"},
           {"request_id", std::string(e.request_id)},
           {"method", std::string(e.method)},
           {"path", std::string(e.path)},
           {"route", std::string(e.route)},
           {"status", e.status},
           {"duration_ms", static_cast<double>(e.duration_us) / 1000.0},
           {"address", std::string(e.address)}};
    if (e.account_id) j["account_id"] = e.account_id;
    spdlog::info("{}", j.dump(-1, ' ', false, Json::error_handler_t::replace));
  } else {
    spdlog::info("{} {} {} {:.1f}ms route={} id={}{}", e.method, e.path, e.status,
                 static_cast<double>(e.duration_us) / 1000.0, e.route, e.request_id,
                 e.account_id ? " account=" + std::to_string(e.account_id) : std::string());
  }
}

}  // namespace agora::http
