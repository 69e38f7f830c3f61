// Environment overrides (what operators flip in /etc/tradingd/tradingd.env without editing the file) and
// the daemon's whole loading pipeline. A bad variable is an error naming the variable and is not applied;
// an empty variable counts as unset (systemd env files often carry `NAME=` placeholders).
#include <algorithm>

#include "config/yaml_reader.h"

namespace tradingd::config {
namespace {

using schema::quote;

std::optional<std::string> non_empty(const EnvLookup& env, std::string_view name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

void env_error(ConfigErrors& errors, std::string_view name, const std::string& expected, const std::string& got) {
  errors.push_back({"", std::string(name), "expected " + expected + ", got " + quote(got), 0});
}

void text_override(const EnvLookup& env, std::string_view name, schema::TextKind kind, std::string& target,
                   ConfigErrors& errors) {
  auto v = non_empty(env, name);
  if (!v) return;
  if (!schema::text_ok(*v, kind)) {
    env_error(errors, name, schema::describe(schema::TextSpec{kind}), *v);
    return;
  }
  target = *v;
}

// Does a later error already cover this one (same key, or one inside the other)? Then the reader's
// message, which carries the line and the original text, is the one to keep.
bool covered(const ConfigErrors& errors, const ConfigError& e) {
  return std::any_of(errors.begin(), errors.end(), [&](const ConfigError& o) {
    if (o.key == e.key) return true;
    auto inside = [](const std::string& inner, const std::string& outer) {
      return !outer.empty() && inner.size() > outer.size() && inner.starts_with(outer) &&
             (inner[outer.size()] == '.' || inner[outer.size()] == '[');
    };
    return inside(o.key, e.key) || inside(e.key, o.key);
  });
}

}  // namespace

ConfigErrors apply_env_overrides(Config& config, const EnvLookup& env) {
  ConfigErrors errors;
  if (auto v = non_empty(env, "TRADINGD_MODE")) {
    if (auto mode = schema::parse_enum<TradingMode>(*v)) config.mode = *mode;
    else env_error(errors, "TRADINGD_MODE", schema::describe_enum<TradingMode>(), *v);
  }
  text_override(env, "TRADINGD_STATE_DIR", schema::TextKind::NonEmpty, config.state_dir, errors);
  text_override(env, "TRADINGD_METRICS_LISTEN", schema::TextKind::HostPort, config.metrics.listen, errors);
  text_override(env, "TRADINGD_API_LISTEN", schema::TextKind::HostPort, config.api.listen, errors);
  text_override(env, "TRADINGD_LOG_LEVEL", schema::TextKind::LogLevel, config.log.level, errors);
  if (auto v = non_empty(env, "TRADINGD_LOG_FORMAT")) {
    if (auto format = schema::parse_enum<LogFormat>(*v)) config.log.format = *format;
    else env_error(errors, "TRADINGD_LOG_FORMAT", schema::describe_enum<LogFormat>(), *v);
  }
  text_override(env, "TRADINGD_CA_FILE", schema::TextKind::NonEmpty, config.tls.ca_file, errors);

  for (Venue venue : schema::EnumChoices<Venue>::values) {
    std::string prefix = "TRADINGD_" + std::string(to_string(venue)) + "_";
    std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](char c) { return c >= 'a' && c <= 'z' ? c - 32 : c; });
    VenueConfig& vc = config.venues.get(venue);
    const std::size_t before = errors.size();
    bool any = false;
    const struct {
      const char* suffix;
      schema::TextKind kind;
      std::string* target;
    } urls[] = {{"REST_URL", schema::TextKind::RestUrl, &vc.rest_url},
                {"WS_URL", schema::TextKind::WsUrl, &vc.ws_url},
                {"WS_PRIVATE_URL", schema::TextKind::WsUrl, &vc.ws_private_url}};
    for (const auto& u : urls) {
      const std::string name = prefix + u.suffix;
      any = any || non_empty(env, name).has_value();
      text_override(env, name, u.kind, *u.target, errors);
    }
    // Pointing a venue at an endpoint (the emulator) means using it; a bad URL enables nothing.
    if (any && errors.size() == before) vc.enabled = true;
  }
  return errors;
}

Result<Config, ConfigErrors> load_effective_config(const std::optional<std::string>& path, const EnvLookup& env) {
  std::optional<std::string> file = path;
  if (!file || file->empty()) file = non_empty(env, "TRADINGD_CONFIG");

  ParseOutcome parsed;
  if (file) {
    ConfigErrors read_errors;
    auto text = read_config_text(*file, read_errors);
    if (!text) return Err{std::move(read_errors)};
    parsed = parse_yaml(*text, *file);
  }
  ConfigErrors errors = std::move(parsed.errors);
  Config config = std::move(parsed.config);

  // Even when the file has errors, go on: the environment and validate() may find more, and an operator
  // fixing a file wants the whole list at once.
  for (auto& e : apply_env_overrides(config, env)) errors.push_back(std::move(e));
  for (auto& e : validate(config)) {
    if (covered(errors, e)) continue;
    if (auto it = parsed.key_lines.find(e.key); it != parsed.key_lines.end()) e.line = it->second;
    errors.push_back(std::move(e));
  }
  if (!errors.empty()) return Err{std::move(errors)};
  return config;
}

}  // namespace tradingd::config
