// The running daemon: one io_context, run on the calling thread, owns the trading state; every component is
// wired onto it and reached only from its handlers. It also owns the process's operations surface: signals,
// metrics and health endpoints, the systemd notify protocol, config reloads and the shutdown sequence.
// Components plug in through the accessors below (metrics(), readiness(), emergency_stop(), ...).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <prometheus/registry.h>

#include "config/config.h"
#include "config/credentials.h"
#include "config/load.h"
#include "core/clock.h"
#include "daemon/daemon_stats.h"
#include "daemon/emergency_stop.h"
#include "daemon/http_endpoint.h"
#include "daemon/liveness.h"
#include "daemon/process_metrics.h"
#include "daemon/readiness.h"
#include "daemon/shutdown_sequence.h"
#include "daemon/signal_policy.h"
#include "daemon/state_dir.h"
#include "daemon/systemd_notify.h"

namespace tradingd::daemon {

class MarketDataFeeds;
class PaperNode;

struct DaemonOptions {
  std::optional<std::string> config_path;  // --config; nullopt: $TRADINGD_CONFIG (re-read on every SIGHUP)
  config::EnvLookup env;
  // In-flight work gets this long after SIGTERM; then the daemon exits 1 naming who did not finish.
  // Below systemd's TimeoutStopSec (deploy/tradingd.service) so we, not SIGKILL, end the process.
  std::chrono::milliseconds shutdown_timeout{10'000};
};

class Daemon {
 public:
  Daemon(config::Config config, config::Credentials credentials, StateDirLock state_lock, DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts the listeners, wires the components and runs the event loop until shutdown. Returns the exit code.
  int run();

  // Wiring points for components (market data, execution engine, control API, ...).
  boost::asio::io_context& io() { return io_; }
  prometheus::Registry& metrics() { return *registry_; }
  ReadinessRegistry& readiness() { return readiness_; }
  EmergencyStop& emergency_stop() { return emergency_stop_; }
  ShutdownSequence& shutdown_sequence() { return shutdown_; }
  const Clock& clock() const { return clock_; }
  const config::Config& config() const { return config_; }
  const config::Credentials& credentials() const { return credentials_; }
  // Called on the io_context after a reload changed the risk limits.
  void on_risk_reload(std::function<void(const config::RiskConfig&)> listener);

  // The same as the signals, for the control API and tests.
  void request_emergency_stop(const std::string& source);
  void request_reload();
  void request_shutdown(const std::string& reason);
  // A runtime condition the daemon cannot run with (e.g. a configured instrument the venue does not list):
  // logs the reason, shuts down gracefully and exits with exit_code (2: configuration, 1: runtime).
  void fail(int exit_code, const std::string& reason);
  // The market data (paper and live mode; empty() without configured instruments); null before wiring and
  // under the TEST ONLY TRADINGD_TEST_NO_MARKET_DATA=1.
  MarketDataFeeds* market_data() { return market_data_.get(); }

 private:
  void start();
  void wire_components();
  void log_startup() const;
  void await_signal();
  void on_signal(int signal_number);
  void schedule_housekeeping();
  void schedule_watchdog(std::chrono::microseconds interval);
  void finish(int exit_code);

  RealClock clock_;
  const std::int64_t started_monotonic_ns_;
  config::Config config_;
  config::Credentials credentials_;
  StateDirLock state_lock_;
  DaemonOptions options_;

  boost::asio::io_context io_{1};  // concurrency hint 1: one thread runs the loop, no locking inside it
  boost::asio::signal_set signals_;
  boost::asio::steady_timer housekeeping_timer_;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer shutdown_timer_;
  std::chrono::steady_clock::time_point next_housekeeping_;

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<ProcessCollector> process_collector_;
  DaemonStats stats_;
  ReadinessRegistry readiness_;
  Liveness liveness_;
  EmergencyStop emergency_stop_;
  ShutdownSequence shutdown_;
  SystemdNotifier notifier_;
  std::vector<std::function<void(const config::RiskConfig&)>> risk_listeners_;
  std::unique_ptr<HttpEndpoint> http_;
  std::unique_ptr<MarketDataFeeds> market_data_;  // outlives the node it feeds (destroyed after it)
  std::unique_ptr<PaperNode> paper_node_;  // paper mode's trading stack; destroyed before the loop's timers

  Phase phase_ = Phase::Starting;
  bool interrupted_ = false;  // a SIGINT arrived already (a second one forces the exit)
  int exit_code_ = 0;
  int failure_exit_code_ = 0;  // set by fail(): the exit code whatever the shutdown's outcome
};

}  // namespace tradingd::daemon
