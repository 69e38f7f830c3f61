// The daemon's life: start (listen, wire, READY=1), serve signals on the loop, reload, emergency-stop, and
// shut down in bounded time. Every handler here runs on the io_context thread; exceptions are caught at the
// loop's edge and end the process with status 1 rather than leave it half-alive.
#include "daemon/daemon.h"

#include <unistd.h>

#include <csignal>

#include <spdlog/spdlog.h>

#include "daemon/api/api_backend.h"
#include "daemon/api/auth.h"
#include "daemon/api/control_api.h"
#include "daemon/cli.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/live_venues.h"
#include "daemon/market_data_feeds.h"
#include "daemon/paper_node.h"
#include "daemon/reload.h"

namespace tradingd::daemon {
namespace {

constexpr auto kHousekeepingPeriod = std::chrono::seconds(1);
// /healthz fails after this long without a housekeeping tick.
constexpr std::int64_t kMaxLoopSilenceNs = 10 * kNanosPerSecond;

std::string join(const std::vector<std::string>& items, std::string_view sep = ",") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

// What the control API reads from the daemon.
class Daemon::ApiBackendImpl final : public api::ApiBackend {
 public:
  explicit ApiBackendImpl(Daemon& d) : d_(d) {}
  api::DaemonStatus status() const override {
    api::DaemonStatus s;
    s.version = std::string(version());
    s.mode = std::string(to_string(d_.config_.mode));
    s.phase = std::string(to_string(d_.phase_));
    s.uptime_seconds = (d_.clock_.monotonic_ns() - d_.started_monotonic_ns_) / kNanosPerSecond;
    const auto snap = d_.readiness_.snapshot();
    s.ready = snap.ready;
    for (const auto& c : snap.conditions) s.conditions.push_back({c.name, c.ready, c.detail});
    return s;
  }
  TradingNode* node() override { return d_.trading_node(); }
  void request_emergency_stop(const std::string& source) override { d_.request_emergency_stop(source); }

 private:
  Daemon& d_;
};

Daemon::Daemon(config::Config config, config::Credentials credentials, StateDirLock state_lock, DaemonOptions options)
    : started_monotonic_ns_(clock_.monotonic_ns()),
      config_(std::move(config)),
      credentials_(std::move(credentials)),
      state_lock_(std::move(state_lock)),
      options_(std::move(options)),
      signals_(io_),
      housekeeping_timer_(io_),
      watchdog_timer_(io_),
      shutdown_timer_(io_),
      registry_(std::make_shared<prometheus::Registry>()),
      process_collector_(std::make_shared<ProcessCollector>(static_cast<double>(clock_.now_ns()) / kNanosPerSecond)),
      stats_(*registry_, version(), config_.mode),
      liveness_(kMaxLoopSilenceNs, clock_.monotonic_ns()) {
  stats_.set_risk_limits(config_.risk);
  stats_.config_last_reload_success_timestamp_seconds.Set(static_cast<double>(clock_.now_ns()) / kNanosPerSecond);
  readiness_.set_listener([this](const ReadinessRegistry::Snapshot& s) { stats_.set_readiness(s); });
  // The daemon's own condition: not ready while starting or stopping. Components add theirs in wiring.
  readiness_.declare("daemon", "starting");
}

Daemon::~Daemon() = default;

void Daemon::on_risk_reload(std::function<void(const config::RiskConfig&)> listener) {
  risk_listeners_.push_back(std::move(listener));
}

int Daemon::run() {
  try {
    start();
  } catch (const StartupUsageError& e) {
    spdlog::error("Refusing to start: {}", e.what());
    return kExitUsage;  // the operator must fix the configuration
  } catch (const std::exception& e) {
    spdlog::error("Startup failed error=\"{}\"", e.what());
    return 1;
  }
  try {
    io_.run();
  } catch (const std::exception& e) {
    // A handler let an exception escape: a broken invariant. Stop rather than trade on in an unknown state.
    spdlog::critical("Unhandled exception on the event loop error=\"{}\"; exiting with status 1", e.what());
    exit_code_ = 1;
  }
  api_.reset();
  http_.reset();  // stop serving /metrics only now, so scrapes during shutdown still see us
  spdlog::info("Exited status={}", exit_code_);
  spdlog::default_logger()->flush();
  return exit_code_;
}

void Daemon::start() {
  // Signals first: from here on a SIGTERM during startup is a graceful shutdown, not the default death.
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  signals_.add(SIGUSR1);
  signals_.add(SIGUSR2);
  await_signal();

  log_startup();
  http_ = std::make_unique<HttpEndpoint>(
      config_.metrics.listen, std::vector<std::shared_ptr<prometheus::Collectable>>{registry_, process_collector_},
      readiness_, liveness_, clock_);
  spdlog::info("Metrics listening address={}:{} endpoints=/metrics,/healthz,/readyz", http_->host(), http_->port());

  wire_components();
  start_api();

  next_housekeeping_ = std::chrono::steady_clock::now();
  schedule_housekeeping();
  if (auto interval = watchdog_interval(options_.env, static_cast<long>(::getpid()))) {
    spdlog::info("Systemd watchdog enabled ping_interval_ms={}", interval->count() / 1000);
    notifier_.watchdog();
    schedule_watchdog(*interval);
  }

  phase_ = Phase::Running;
  readiness_.report("daemon", true, "running");
  const auto snapshot = readiness_.snapshot();
  notifier_.ready(std::string(to_string(config_.mode)) + " mode, " + (snapshot.ready ? "ready" : "waiting for readiness"));
  spdlog::info("Started mode={} ready={}", to_string(config_.mode), snapshot.ready);
}

// Where the components of later issues are constructed and connected (market data, simulated venue,
// execution engine, risk guard, control API). Each registers its stats with metrics(), its readiness
// conditions with readiness(), a stopper with shutdown_sequence() and, if it can make the account safe, an
// emergency-stop handler.
void Daemon::wire_components() {
  // Market data first: the node (paper or live) is built once the venues' instrument rules are loaded.
  // Throws when the TLS context or a client cannot be built (exit 1 with the reason).
  // TEST ONLY: TRADINGD_TEST_NO_MARKET_DATA=1 (set by the process tests' base environment) runs the node
  // on placeholder instrument rules without any network, so tests never reach a real venue host.
  const auto no_md = options_.env ? options_.env("TRADINGD_TEST_NO_MARKET_DATA") : std::nullopt;
  if (no_md && *no_md == "1") {
    spdlog::warn("TEST ONLY: market data disabled (TRADINGD_TEST_NO_MARKET_DATA=1); placeholder instrument rules");
  } else {
    market_data_ = std::make_unique<MarketDataFeeds>(*this);
  }
  if (config_.mode == TradingMode::Paper || config_.mode == TradingMode::Live) {
    // Throws when the journal cannot be opened: start() fails and the daemon exits 1 (refuses to trade).
    paper_node_ = std::make_unique<PaperNode>(*this);
  }
}

// The control API, after the components it serves. The listen policy (auth.h) was checked by `run`
// already; here a missing token only means the API stays off.
void Daemon::start_api() {
  const auto decision = api::decide_api_access(config_.api.listen, !credentials_.api_token.empty());
  if (decision.access == api::ApiAccess::Refuse) throw std::runtime_error(decision.message);
  if (decision.access == api::ApiAccess::Disabled) {
    spdlog::warn("{}", decision.message);
    return;
  }
  api_backend_ = std::make_unique<ApiBackendImpl>(*this);
  api_ = std::make_unique<api::ControlApi>(io_, *registry_, *api_backend_, config_.api,
                                           std::string(credentials_.api_token.reveal()));
  spdlog::info("Control API listening address={}:{} auth=bearer", api_->host(), api_->port());
  // Stopped first (registered last): no new requests while the node finishes its work.
  shutdown_.add("control_api", [this](ShutdownSequence::Done done) {
    api_->stop();
    done();
  });
}

TradingNode* Daemon::trading_node() {
  // Paper mode on live market data builds its node only once the instrument rules are loaded.
  return paper_node_ && paper_node_->has_node() ? &paper_node_->node() : nullptr;
}

void Daemon::request_breaker_reset(const std::string& source) {
  TradingNode* node = trading_node();
  if (node == nullptr) {
    spdlog::warn("Circuit breaker reset requested source={}: no trading node in this mode", source);
    return;
  }
  (void)node->reset_breaker(source);  // the node logs the outcome, a refusal included
}

void Daemon::log_startup() const {
  spdlog::info("Starting tradingd version={} mode={} pid={} config={} state_dir={}", version(), to_string(config_.mode),
               ::getpid(), config_.source_path.empty() ? "(defaults + environment)" : config_.source_path,
               config_.state_dir);
  std::vector<std::string> enabled;
  for (auto venue : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    const auto& v = config_.venues.get(venue);
    if (!v.enabled) continue;
    enabled.emplace_back(to_string(venue));
    const auto& c = credentials_.get(venue);
    std::string creds = "absent";
    if (c.has_key()) creds = "present api_key=" + config::mask_api_key(c.api_key);
    spdlog::info("Venue venue={} environment={} rest_url={} ws_url={} credentials={}{}", to_string(venue),
                 config::to_string(v.environment), v.rest_url.empty() ? "(default)" : v.rest_url,
                 v.ws_url.empty() ? "(default)" : v.ws_url, creds,
                 config_.mode == TradingMode::Paper ? " (unused in paper mode)" : "");
  }
  spdlog::info("Venues enabled={} instruments={} strategies={}", enabled.empty() ? "none" : join(enabled),
               config_.instruments.size(), config_.strategies.size());
  std::string limits;
  for (const auto& s : describe_risk(config_.risk)) {
    if (!limits.empty()) limits += ' ';
    limits += s.key + "=" + s.text;
  }
  spdlog::info("Risk limits {}", limits);
  spdlog::info("Logging level={} format={}", config_.log.level, config::to_string(config_.log.format));
}

void Daemon::await_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;  // canceled: the loop is ending
    on_signal(signal_number);
    await_signal();
  });
}

void Daemon::on_signal(int signal_number) {
  const auto name = signal_name(signal_number);
  stats_.signal_received(name).Increment();
  const auto action = decide_signal_action(signal_number, phase_, interrupted_);
  if (signal_number == SIGINT) interrupted_ = true;
  spdlog::info("Signal received signal={} phase={} action={}", name, to_string(phase_), to_string(action));
  switch (action) {
    case SignalAction::BeginShutdown: request_shutdown(std::string(name)); break;
    case SignalAction::AlreadyStopping: break;
    case SignalAction::ForceExit:
      spdlog::warn("Second SIGINT: exiting now without waiting for in-flight work pending={}", join(shutdown_.pending()));
      finish(1);
      break;
    case SignalAction::EmergencyStop: request_emergency_stop("signal"); break;
    case SignalAction::Reload: request_reload(); break;
    case SignalAction::ResetBreaker: request_breaker_reset("signal"); break;
    case SignalAction::Ignore: break;
  }
}

void Daemon::request_emergency_stop(const std::string& source) {
  stats_.emergency_stop_request(source).Increment();
  const auto outcome = emergency_stop_.request({source, clock_.now_ns()});
  if (emergency_stop_.handler_count() == 0) {
    spdlog::warn("Emergency stop requested source={} request={}: no execution engine is wired yet, nothing to cancel "
                 "or flatten",
                 source, outcome.request_number);
    return;
  }
  spdlog::warn("Emergency stop requested source={} request={} started={}", source, outcome.request_number,
               join(outcome.started));
  for (const auto& f : outcome.failed) spdlog::error("Emergency stop handler failed handler=\"{}\"", f);
}

void Daemon::request_reload() {
  notifier_.reloading();
  const auto path_text = options_.config_path.value_or(config_.source_path);
  auto loaded = config::load_effective_config(options_.config_path, options_.env);
  if (!loaded) {
    stats_.config_reloads_failure.Increment();
    stats_.config_last_reload_successful.Set(0);
    for (const auto& e : loaded.error()) spdlog::error("Config reload refused error=\"{}\"", e.to_string());
    spdlog::error("Config reload refused errors={}: keeping the running settings; fix the file and send SIGHUP again "
                  "(`tradingd validate-config FILE` lists every problem)",
                  loaded.error().size());
    notifier_.ready("reload refused, running settings kept");
    return;
  }
  const auto plan = plan_reload(config_, *loaded);
  config_ = apply_reload(config_, *loaded);
  if (auto level = parse_log_level(config_.log.level)) set_log_level(*level);
  stats_.set_risk_limits(config_.risk);
  for (const auto& listener : risk_listeners_) listener(config_.risk);
  stats_.config_reloads_success.Increment();
  stats_.config_last_reload_successful.Set(1);
  stats_.config_last_reload_success_timestamp_seconds.Set(static_cast<double>(clock_.now_ns()) / kNanosPerSecond);
  for (const auto& c : plan.applied)
    spdlog::info("Config setting changed key={} old={} new={}", c.key, c.old_value, c.new_value);
  if (!plan.needs_restart.empty()) {
    spdlog::warn("Config reload ignored changes to sections={}: only risk.* and log.level reload; restart to apply",
                 join(plan.needs_restart));
  }
  spdlog::info("Config reloaded file={} changes={}", path_text.empty() ? "(none)" : path_text, plan.applied.size());
  notifier_.ready("reloaded");
}

void Daemon::request_shutdown(const std::string& reason) {
  if (phase_ == Phase::Stopping) return;
  phase_ = Phase::Stopping;
  readiness_.report("daemon", false, "stopping");
  notifier_.stopping("shutting down (" + reason + ")");
  spdlog::info("Shutting down reason={} timeout_ms={} components={}", reason, options_.shutdown_timeout.count(),
               join(shutdown_.pending()));
  shutdown_timer_.expires_after(options_.shutdown_timeout);
  shutdown_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    spdlog::error("Shutdown timed out after {} ms waiting for components={}; exiting with status 1",
                  options_.shutdown_timeout.count(), join(shutdown_.pending()));
    finish(1);
  });
  shutdown_.start([this] {
    for (const auto& f : shutdown_.failures()) spdlog::error("Component failed to stop cleanly error=\"{}\"", f);
    finish(shutdown_.failures().empty() ? 0 : 1);
  });
}

void Daemon::fail(int exit_code, const std::string& reason) {
  spdlog::error("Cannot run error=\"{}\"; exiting with status {}", reason, exit_code);
  if (failure_exit_code_ == 0) failure_exit_code_ = exit_code;
  request_shutdown("failure");
}

void Daemon::finish(int exit_code) {
  exit_code_ = failure_exit_code_ != 0 ? failure_exit_code_ : exit_code;
  // Cancel our own waits, then stop the loop: anything still queued is abandoned on purpose.
  housekeeping_timer_.cancel();
  watchdog_timer_.cancel();
  shutdown_timer_.cancel();
  io_.stop();
}

void Daemon::schedule_housekeeping() {
  next_housekeeping_ += kHousekeepingPeriod;
  housekeeping_timer_.expires_at(next_housekeeping_);
  housekeeping_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const auto lag = std::chrono::steady_clock::now() - next_housekeeping_;
    stats_.event_loop_lag_seconds.Set(std::chrono::duration<double>(lag).count());
    const auto now = clock_.monotonic_ns();
    liveness_.beat(now);
    stats_.uptime_seconds.Set(static_cast<double>(now - started_monotonic_ns_) / kNanosPerSecond);
    // After a long stall, skip the missed ticks instead of firing them back to back.
    if (lag > kHousekeepingPeriod) next_housekeeping_ = std::chrono::steady_clock::now();
    schedule_housekeeping();
  });
}

void Daemon::schedule_watchdog(std::chrono::microseconds interval) {
  watchdog_timer_.expires_after(interval);
  watchdog_timer_.async_wait([this, interval](const boost::system::error_code& ec) {
    if (ec) return;
    notifier_.watchdog();
    schedule_watchdog(interval);
  });
}

}  // namespace tradingd::daemon
