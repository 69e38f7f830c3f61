// What a SIGHUP reload changes: the risk limits and the log level take effect at once; any other difference
// between the running and the reloaded configuration (mode, venues, listeners, ...) needs a restart and is
// reported, not applied. Pure: the daemon loads and validates the file, this only compares and merges.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace tradingd::daemon {

// One risk setting as text (for logs and diffs) and, where numeric, as a number (for the
// tradingd_risk_limit gauge, in the unit its key names: quote currency, percent, count or seconds).
struct RiskSetting {
  std::string key;  // "max_order_notional", "sizing.method"
  std::string text;
  std::optional<double> value;
};
// Every field of RiskConfig, in declaration order.
std::vector<RiskSetting> describe_risk(const config::RiskConfig& risk);

struct SettingChange {
  std::string key;  // full key path: "risk.max_order_notional", "log.level"
  std::string old_value;
  std::string new_value;
};

struct ReloadPlan {
  std::vector<SettingChange> applied;      // reloadable settings that differ: they take effect now
  std::vector<std::string> needs_restart;  // top-level config sections that differ otherwise ("venues")
};

ReloadPlan plan_reload(const config::Config& running, const config::Config& reloaded);
// The running configuration with the reloadable settings of `reloaded` (everything else kept as running).
config::Config apply_reload(const config::Config& running, const config::Config& reloaded);

}  // namespace tradingd::daemon
