// The stderr logger in text or JSON-lines form. The JSON formatter is ours (spdlog's pattern cannot escape
// the message), and is the only place that knows the line's shape.
#include "daemon/logging.h"

#include <array>
#include <chrono>
#include <memory>

#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace tradingd::daemon {
namespace {

constexpr std::array<std::string_view, 7> kLevelNames{"trace", "debug", "info", "warn", "error", "critical", "off"};

std::string_view level_name(spdlog::level::level_enum level) {
  const auto i = static_cast<std::size_t>(level);
  return i < kLevelNames.size() ? kLevelNames[i] : "info";
}

UnixNanos to_unix_ns(spdlog::log_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string line =
        format_json_log_line(to_unix_ns(msg.time), msg.level, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
  if (text == "warning") return spdlog::level::warn;
  for (std::size_t i = 0; i < kLevelNames.size(); ++i)
    if (kLevelNames[i] == text) return static_cast<spdlog::level::level_enum>(i);
  return std::nullopt;
}

std::optional<config::LogFormat> parse_log_format(std::string_view text) {
  if (text == "text") return config::LogFormat::Text;
  if (text == "json") return config::LogFormat::Json;
  return std::nullopt;
}

void init_logging(config::LogFormat format, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (format == config::LogFormat::Json) {
    sink->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                                                                    spdlog::pattern_time_type::utc));
  }
  auto logger = std::make_shared<spdlog::logger>("tradingd", std::move(sink));
  logger->set_level(level);
  // Every line is flushed: stderr goes to the journal or a test's pipe, and a crash must not eat the
  // last lines before it.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void init_logging_from_env(const config::EnvLookup& env) {
  auto format = config::LogFormat::Text;
  auto level = spdlog::level::info;
  if (auto v = env("TRADINGD_LOG_FORMAT"); v && parse_log_format(*v)) format = *parse_log_format(*v);
  if (auto v = env("TRADINGD_LOG_LEVEL"); v && parse_log_level(*v)) level = *parse_log_level(*v);
  init_logging(format, level);
}

void set_log_level(spdlog::level::level_enum level) { spdlog::default_logger()->set_level(level); }

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
}

std::string format_json_log_line(UnixNanos ts_ns, spdlog::level::level_enum level, std::string_view msg) {
  // Milliseconds are enough for log lines and match the text format.
  std::string ts = format_iso8601(ts_ns - ts_ns % kNanosPerMilli);
  std::string out;
  out.reserve(48 + ts.size() + msg.size());
  out += R"({"ts":")";
  out += ts;
  out += R"(","level":")";
  out += level_name(level);
  out += R"(","msg":")";
  append_json_escaped(out, msg);
  out += "\"}";
  return out;
}

}  // namespace tradingd::daemon
