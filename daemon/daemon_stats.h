// Every metric the daemon process itself exports, declared in one place (one stats struct per component).
// Later components follow the same pattern: a FooStats struct built from the daemon's prometheus::Registry
// (Daemon::metrics()), holding references to its counters and gauges. Names: tradingd_ prefix, base units,
// counters end in _total, label values from bounded sets only.
#pragma once

#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "config/config.h"
#include "daemon/emergency_stop.h"
#include "daemon/readiness.h"

namespace tradingd::daemon {

struct DaemonStats {
  DaemonStats(prometheus::Registry& registry, std::string_view version, TradingMode mode);

  // The signal's counter (SIGTERM, SIGINT, SIGHUP, SIGUSR1; anything else counts as "other").
  prometheus::Counter& signal_received(std::string_view signal_name);
  prometheus::Counter& emergency_stop_request(std::string_view source);  // "signal" | "api"
  void set_risk_limits(const config::RiskConfig& risk);
  void set_readiness(const ReadinessRegistry::Snapshot& snapshot);

  prometheus::Family<prometheus::Gauge>& build_info;     // tradingd_build_info{version} 1
  prometheus::Family<prometheus::Gauge>& mode_info;      // tradingd_mode_info{mode} 1
  prometheus::Gauge& uptime_seconds;                     // tradingd_uptime_seconds
  prometheus::Gauge& event_loop_lag_seconds;             // how late the last 1 s housekeeping tick ran
  prometheus::Family<prometheus::Counter>& signals_received;         // tradingd_signals_received_total{signal}
  prometheus::Family<prometheus::Counter>& emergency_stop_requests;  // tradingd_emergency_stop_requests_total{source}
  prometheus::Family<prometheus::Counter>& config_reloads;           // tradingd_config_reloads_total{result}
  prometheus::Counter& config_reloads_success;
  prometheus::Counter& config_reloads_failure;
  prometheus::Gauge& config_last_reload_successful;                  // 1 when the last reload applied
  prometheus::Gauge& config_last_reload_success_timestamp_seconds;   // start time until the first reload
  prometheus::Family<prometheus::Gauge>& risk_limit;                 // tradingd_risk_limit{limit}, every numeric RiskConfig field
  prometheus::Gauge& ready;                                          // tradingd_ready: /readyz would answer 200
  prometheus::Family<prometheus::Gauge>& component_ready;            // tradingd_component_ready{component}
};

}  // namespace tradingd::daemon
