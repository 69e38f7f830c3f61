// Reload planning. The risk table lists every RiskConfig field once; a unit test checks it against the
// keys config::to_yaml writes under `risk:`, so a field added to the schema cannot be silently skipped.
// Differences outside the reloadable settings are found by comparing to_yaml's top-level sections, which
// stays right whatever the config schema grows.
#include "daemon/reload.h"

#include <map>
#include <string_view>

#include "config/load.h"

namespace tradingd::daemon {
namespace {

template <class Tag>
RiskSetting fixed(std::string key, Fixed<Tag> v) {
  return {std::move(key), v.to_string(), v.to_double()};
}
RiskSetting integer(std::string key, std::int64_t v) {
  return {std::move(key), std::to_string(v), static_cast<double>(v)};
}
RiskSetting boolean(std::string key, bool v) { return {std::move(key), v ? "true" : "false", v ? 1.0 : 0.0}; }

// Top-level YAML sections of to_yaml's output: a line at column 0 starts one ("risk:", "mode: paper").
std::map<std::string, std::string> yaml_sections(const std::string& yaml) {
  std::map<std::string, std::string> sections;
  std::string current;
  std::string_view rest = yaml;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ' && line.front() != '-') current = std::string(line.substr(0, line.find(':')));
    sections[current] += line;
    sections[current] += '\n';
  }
  return sections;
}

}  // namespace

std::vector<RiskSetting> describe_risk(const config::RiskConfig& r) {
  return {
      integer("max_open_positions", r.max_open_positions),
      fixed("max_order_notional", r.max_order_notional),
      fixed("max_position_notional", r.max_position_notional),
      fixed("max_position_pct_equity", r.max_position_pct_equity),
      fixed("max_gross_exposure", r.max_gross_exposure),
      fixed("max_leverage", r.max_leverage),
      integer("max_orders_per_second", r.max_orders_per_second),
      integer("max_orders_per_day", r.max_orders_per_day),
      integer("max_orders_per_second_total", r.max_orders_per_second_total),
      integer("max_orders_per_day_total", r.max_orders_per_day_total),
      fixed("price_band_pct", r.price_band_pct),
      fixed("max_drawdown_pct", r.max_drawdown_pct),
      fixed("daily_loss_limit_pct", r.daily_loss_limit_pct),
      integer("max_consecutive_rejects", r.max_consecutive_rejects),
      integer("stale_market_data_s", r.stale_market_data_s),
      integer("venue_disconnect_s", r.venue_disconnect_s),
      integer("breaker_cooldown_s", r.breaker_cooldown_s),
      boolean("breaker_auto_rearm", r.breaker_auto_rearm),
      boolean("cancel_orders_on_trip", r.cancel_orders_on_trip),
      boolean("flatten_on_trip", r.flatten_on_trip),
      integer("emergency_flatten_timeout_s", r.emergency_flatten_timeout_s),
      integer("emergency_cancel_wait_ms", r.emergency_cancel_wait_ms),
      integer("emergency_retry_interval_ms", r.emergency_retry_interval_ms),
      fixed("maintenance_margin_pct", r.maintenance_margin_pct),
      {"sizing.method", std::string(config::to_string(r.sizing.method)), std::nullopt},
      fixed("sizing.quantity", r.sizing.quantity),
      fixed("sizing.notional", r.sizing.notional),
      fixed("sizing.equity_pct", r.sizing.equity_pct),
      fixed("sizing.risk_pct", r.sizing.risk_pct),
      fixed("sizing.volatility_target_pct", r.sizing.volatility_target_pct),
  };
}

ReloadPlan plan_reload(const config::Config& running, const config::Config& reloaded) {
  ReloadPlan plan;
  const auto before = describe_risk(running.risk);
  const auto after = describe_risk(reloaded.risk);
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i].text != after[i].text)
      plan.applied.push_back({"risk." + before[i].key, before[i].text, after[i].text});
  }
  if (running.log.level != reloaded.log.level) plan.applied.push_back({"log.level", running.log.level, reloaded.log.level});

  // Whatever still differs once the reloadable settings are merged in needs a restart.
  const auto merged = yaml_sections(config::to_yaml(apply_reload(running, reloaded)));
  const auto wanted = yaml_sections(config::to_yaml(reloaded));
  for (const auto& [name, text] : wanted) {
    auto it = merged.find(name);
    if (it == merged.end() || it->second != text) plan.needs_restart.push_back(name);
  }
  for (const auto& [name, text] : merged)
    if (!wanted.contains(name)) plan.needs_restart.push_back(name);
  return plan;
}

config::Config apply_reload(const config::Config& running, const config::Config& reloaded) {
  config::Config next = running;
  next.risk = reloaded.risk;
  next.log.level = reloaded.log.level;
  return next;
}

}  // namespace tradingd::daemon
