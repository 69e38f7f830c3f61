// Loading the configuration: the YAML file (the only code in tradingd that reads a config file), then the
// environment overrides, then validate(). Errors are collected, not thrown: each names the file, the key
// path and what was expected, and every bad key is reported, not just the first.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"

namespace tradingd::config {

struct ConfigError {
  std::string file;     // "" when the error comes from the environment
  std::string key;      // "risk.max_drawdown_pct", or the variable name "TRADINGD_MODE"
  std::string message;  // "expected a number in (0,100], got \"ten\""
  int line = 0;         // 1-based line in file; 0 when unknown (environment, defaults)
  std::string to_string() const;  // "FILE:LINE: KEY: MESSAGE" (parts that are empty are left out)
  friend bool operator==(const ConfigError&, const ConfigError&) = default;
};
using ConfigErrors = std::vector<ConfigError>;

// Looks up an environment variable; injectable so tests never touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_env();

// Parses YAML text (source_name is used in errors). Unknown keys, wrong types and out-of-range values are
// errors; cross-field rules are validate()'s (the environment may still change the picture).
Result<Config, ConfigErrors> parse_config(std::string_view yaml_text, std::string_view source_name);
// parse_config of the file's text; a missing or unreadable file is one error naming the path. Neither
// applies the environment nor validate(): use load_effective_config for the daemon (also on SIGHUP).
Result<Config, ConfigErrors> load_config_file(const std::string& path);
// TRADINGD_MODE, TRADINGD_STATE_DIR, TRADINGD_METRICS_LISTEN, TRADINGD_API_LISTEN, TRADINGD_LOG_LEVEL,
// TRADINGD_LOG_FORMAT, TRADINGD_CA_FILE, TRADINGD_{BINANCE,BYBIT,OKX}_{REST_URL,WS_URL,WS_PRIVATE_URL}.
// Setting a venue's URL also enables that venue.
ConfigErrors apply_env_overrides(Config& config, const EnvLookup& env);
// Every semantic problem (ranges, cross-field rules, duplicate names), all of them.
ConfigErrors validate(const Config& config);

// The whole pipeline the daemon uses: TRADINGD_CONFIG (or path, if given) → parse → env → validate.
// With no file at all, the defaults plus the environment are used.
Result<Config, ConfigErrors> load_effective_config(const std::optional<std::string>& path, const EnvLookup& env);

// "host:port" or "[v6]:port" as the listeners take it; port 0 asks the OS for a free port (tests).
struct HostPort {
  std::string host;  // without brackets: "127.0.0.1", "localhost", "::1"
  std::uint16_t port = 0;
  bool is_loopback() const;  // localhost, 127.0.0.0/8, ::1: what may be bound without an API token
};
std::optional<HostPort> parse_host_port(std::string_view text);

// The effective configuration as YAML (for `validate-config` and the startup log); holds no secrets.
std::string to_yaml(const Config& config);

}  // namespace tradingd::config
