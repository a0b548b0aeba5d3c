#include "http/settings.h"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>

#include "core/error.h"
#include "http/logging.h"

namespace agora::http {

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys = {
      "db",        "host",      "port",           "threads",        "web_dir",
      "log_format", "log_level", "request_timeout_s", "idle_timeout_s", "shutdown_grace_s",
      "scheduler_interval_s"};
  return keys;
}

std::string env_name(const std::string& key) {
  std::string out = "AGORA_";
  for (char c : key) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string flag_name(const std::string& key) {
  std::string out = "--";
  for (char c : key) out.push_back(c == '_' ? '-' : c);
  return out;
}

SettingValues settings_from_env() {
  SettingValues out;
  for (const auto& key : setting_keys()) {
    if (const char* v = std::getenv(env_name(key).c_str())) out[key] = v;
  }
  return out;
}

SettingValues settings_from_toml(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw Error(Code::bad_config,
                "config file " + path + " line " + std::to_string(where.line) + ": " +
                    std::string(e.description()),
                "config");
  }
  const auto& keys = setting_keys();
  SettingValues out;
  for (auto&& [k, node] : table) {
    std::string key(k.str());
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw Error(Code::bad_config, "config file " + path + ": unknown key \"" + key + "\"", key);
    }
    if (auto s = node.value_exact<std::string>()) {
      out[key] = *s;
    } else if (auto i = node.value_exact<int64_t>()) {
      out[key] = std::to_string(*i);
    } else {
      throw Error(Code::bad_config,
                  "config file " + path + ": \"" + key + "\" must be a string or an integer", key);
    }
  }
  return out;
}

Settings resolve_settings(const SettingValues& flags, const SettingValues& env,
                          const SettingValues& toml, const std::string& toml_path) {
  Settings s;
  auto pick = [&](const std::string& key) -> std::optional<std::pair<std::string, std::string>> {
    if (auto it = flags.find(key); it != flags.end()) return std::pair{it->second, flag_name(key)};
    if (auto it = env.find(key); it != env.end()) return std::pair{it->second, env_name(key)};
    if (auto it = toml.find(key); it != toml.end()) {
      return std::pair{it->second, "\"" + key + "\" in " + toml_path};
    }
    return std::nullopt;
  };
  auto str = [&](const std::string& key, std::string& out, bool allow_empty) {
    if (auto v = pick(key)) {
      if (v->first.empty() && !allow_empty) {
        throw Error(Code::bad_config, v->second + " must not be empty", key);
      }
      out = v->first;
    }
  };
  auto integer = [&](const std::string& key, int64_t& out, int64_t min, int64_t max) {
    auto v = pick(key);
    if (!v) return;
    const std::string& t = v->first;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || n < min || n > max) {
      throw Error(Code::bad_config,
                  v->second + " must be an integer from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not \"" + t.substr(0, 40) + "\"",
                  key);
    }
    out = n;
  };
  str("db", s.db, false);
  str("host", s.host, false);
  integer("port", s.port, 0, 65535);
  integer("threads", s.threads, 0, 1024);
  str("web_dir", s.web_dir, true);
  str("log_format", s.log_format, false);
  str("log_level", s.log_level, false);
  integer("request_timeout_s", s.request_timeout_s, 1, 3600);
  integer("idle_timeout_s", s.idle_timeout_s, 1, 3600);
  integer("shutdown_grace_s", s.shutdown_grace_s, 0, 3600);
  integer("scheduler_interval_s", s.scheduler_interval_s, 0, 86400);
  if (auto v = pick("log_format")) {
    try {
      parse_log_format(s.log_format);
    } catch (const Error&) {
      throw Error(Code::bad_config, v->second + " must be auto, text or json", "log_format");
    }
  }
  static const std::vector<std::string> levels = {"trace", "debug", "info", "warning",
                                                  "warn",  "error", "critical", "off"};
  if (std::find(levels.begin(), levels.end(), s.log_level) == levels.end()) {
    throw Error(Code::bad_config,
                "log level must be one of trace, debug, info, warning, error, critical, off",
                "log_level");
  }
  return s;
}

ServerOptions server_options(const Settings& s) {
  ServerOptions o;
  o.host = s.host;
  o.port = static_cast<uint16_t>(s.port);
  o.threads = static_cast<int>(s.threads);
  o.web_dir = s.web_dir;
  o.request_timeout = std::chrono::seconds(s.request_timeout_s);
  o.idle_timeout = std::chrono::seconds(s.idle_timeout_s);
  o.shutdown_grace = std::chrono::seconds(s.shutdown_grace_s);
  return o;
}

}  // namespace agora::http
