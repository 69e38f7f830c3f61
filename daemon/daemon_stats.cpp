// The daemon's metric declarations. Label values are created up front where the set is known, so every
// series exists (at 0) from the first scrape and rate()/increase() see the first event.
#include "daemon/daemon_stats.h"

#include <string>

#include "daemon/reload.h"

namespace tradingd::daemon {
namespace {

prometheus::Family<prometheus::Gauge>& gauge_family(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}
prometheus::Family<prometheus::Counter>& counter_family(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}

}  // namespace

DaemonStats::DaemonStats(prometheus::Registry& r, std::string_view version, TradingMode mode)
    : build_info(gauge_family(r, "tradingd_build_info", "Always 1; the version label is the running build.")),
      mode_info(gauge_family(r, "tradingd_mode_info", "Always 1; the mode label is the trading mode (paper or live).")),
      uptime_seconds(gauge_family(r, "tradingd_uptime_seconds", "Seconds since the daemon started.").Add({})),
      event_loop_lag_seconds(gauge_family(r, "tradingd_event_loop_lag_seconds",
                                          "How late the event loop ran its last once-a-second housekeeping tick.")
                                 .Add({})),
      signals_received(counter_family(r, "tradingd_signals_received_total", "POSIX signals received, by signal.")),
      emergency_stop_requests(counter_family(r, "tradingd_emergency_stop_requests_total",
                                             "Emergency stop requests (SIGUSR1 or the control API), by source.")),
      config_reloads(counter_family(r, "tradingd_config_reloads_total",
                                    "Configuration reloads (SIGHUP), by result: success or failure (file refused).")),
      config_reloads_success(config_reloads.Add({{"result", "success"}})),
      config_reloads_failure(config_reloads.Add({{"result", "failure"}})),
      config_last_reload_successful(gauge_family(r, "tradingd_config_last_reload_successful",
                                                 "1 if the last configuration reload applied, 0 if it was refused.")
                                        .Add({})),
      config_last_reload_success_timestamp_seconds(
          gauge_family(r, "tradingd_config_last_reload_success_timestamp_seconds",
                       "Unix time of the last successful configuration load (start or reload).")
              .Add({})),
      risk_limit(gauge_family(r, "tradingd_risk_limit",
                              "The risk limits in force, in the unit their name gives (quote currency, percent, "
                              "count, seconds or milliseconds); booleans as 0/1.")),
      ready(gauge_family(r, "tradingd_ready", "1 when the daemon is ready to trade (/readyz answers 200).").Add({})),
      component_ready(gauge_family(r, "tradingd_component_ready",
                                   "1 when the component's readiness condition is met, by component.")) {
  build_info.Add({{"version", std::string(version)}}).Set(1);
  mode_info.Add({{"mode", std::string(to_string(mode))}}).Set(1);
  for (auto name : {"SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1"}) signals_received.Add({{"signal", name}});
  for (auto source : {"signal", "api"}) emergency_stop_requests.Add({{"source", source}});
  config_last_reload_successful.Set(1);
}

prometheus::Counter& DaemonStats::signal_received(std::string_view signal_name) {
  // Family::Add returns the existing series for known labels, so this is a lookup after the first call.
  return signals_received.Add({{"signal", std::string(signal_name)}});
}

prometheus::Counter& DaemonStats::emergency_stop_request(std::string_view source) {
  return emergency_stop_requests.Add({{"source", std::string(source)}});
}

void DaemonStats::set_risk_limits(const config::RiskConfig& risk) {
  for (const auto& s : describe_risk(risk)) {
    if (s.value) risk_limit.Add({{"limit", s.key}}).Set(*s.value);
  }
}

void DaemonStats::set_readiness(const ReadinessRegistry::Snapshot& snapshot) {
  ready.Set(snapshot.ready ? 1 : 0);
  for (const auto& c : snapshot.conditions) component_ready.Add({{"component", c.name}}).Set(c.ready ? 1 : 0);
}

}  // namespace tradingd::daemon
