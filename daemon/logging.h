// Logging set-up: one spdlog logger ("tradingd", the default logger) writing to stderr, as text or as JSON
// lines, timestamps in UTC. systemd's journal captures stderr. Log lines carry key=value details and never a
// secret; the level can change at run time (SIGHUP) without re-creating the sink.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <spdlog/common.h>

#include "config/config.h"
#include "config/load.h"
#include "core/clock.h"

namespace tradingd::daemon {

// trace | debug | info | warn | error | critical | off (also "warning"); nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);
std::optional<config::LogFormat> parse_log_format(std::string_view text);

// Installs the stderr logger as spdlog's default. Safe to call again (to switch format or level).
void init_logging(config::LogFormat format, spdlog::level::level_enum level);
// Before the config is loaded: TRADINGD_LOG_FORMAT / TRADINGD_LOG_LEVEL when valid, else text / info, so even
// configuration errors come out in the format the operator's log pipeline expects.
void init_logging_from_env(const config::EnvLookup& env);
void set_log_level(spdlog::level::level_enum level);

// One JSON object per line: {"ts":"2024-01-02T03:04:05.123Z","level":"info","msg":"..."} (no newline).
std::string format_json_log_line(UnixNanos ts_ns, spdlog::level::level_enum level, std::string_view msg);
// JSON string escaping (quotes, backslash, control characters as \u00XX); invalid UTF-8 bytes pass through.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace tradingd::daemon
