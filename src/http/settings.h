#pragma once
// Settings of `agora serve`, resolved from three sources in order of
// precedence: command-line flags, environment variables (AGORA_<KEY>), then a
// TOML file; each value is checked and a bad one is refused with the key and
// where it came from. Thread-safe: pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "http/server.h"

namespace agora::http {

struct Settings {
  std::string db = "sqlite:agora.db";
  std::string host = "127.0.0.1";
  int64_t port = 8080;
  int64_t threads = 0;  // 0: one per core
  std::string web_dir;  // "": next to the binary
  std::string log_format = "auto";
  std::string log_level = "info";
  int64_t request_timeout_s = 30;
  int64_t idle_timeout_s = 75;
  int64_t shutdown_grace_s = 10;
  int64_t scheduler_interval_s = 30;  // background jobs (closing due proposals); 0 disables
};

// Raw values by key ("port" -> "8080"), one map per source.
using SettingValues = std::map<std::string, std::string>;

// The keys, as used in the TOML file; flags are --key-with-dashes and
// environment variables AGORA_KEY_IN_CAPITALS.
const std::vector<std::string>& setting_keys();
std::string env_name(const std::string& key);   // "web_dir" -> "AGORA_WEB_DIR"
std::string flag_name(const std::string& key);  // "web_dir" -> "--web-dir"

// The AGORA_* variables of the environment that name a setting.
SettingValues settings_from_env();
// Reads a TOML file of top-level `key = value` lines. Error(bad_config) on a
// syntax error, an unknown key or a value of the wrong type.
SettingValues settings_from_toml(const std::string& path);

// flags > env > toml > defaults; Error(bad_config, field = the key) on a bad value.
Settings resolve_settings(const SettingValues& flags, const SettingValues& env,
                          const SettingValues& toml, const std::string& toml_path = "");

ServerOptions server_options(const Settings& s);

}  // namespace agora::http
