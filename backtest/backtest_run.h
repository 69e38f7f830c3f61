// One backtest run, from the effective configuration to finished results: the TradingNode's configuration
// for backtests (the paper section's fill model with the backtest section's balances and seed, one
// SimulatedVenue per venue with instruments), the strategies attached through a caller-supplied hook (the
// StrategyHost in `tradingd backtest`), the events from a cursor, and the results finalised. Sweeps call
// run_backtest once per grid point, each on its own thread with its own node: nothing here is shared
// between runs but the read-only events and configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backtest/node_driver.h"
#include "backtest/results.h"
#include "backtest/sweep.h"
#include "config/config.h"
#include "core/result.h"

namespace tradingd::backtest {

struct BacktestSpec {
  config::Config config;                // the effective configuration (strategies, risk, paper, backtest)
  std::vector<Instrument> instruments;  // the rules of every configured instrument the data uses
  std::uint64_t seed = 1;               // the simulated venues' seed (venue i gets seed + i)
  std::optional<UnixNanos> from_ns;     // keep bars opening (other events stamped) in [from, to)
  std::optional<UnixNanos> to_ns;
  // The longest bar interval in the data (0: the first event's, if it is a bar). A bar feed is silent for a whole interval, so the
  // RiskGuard's stale-market-data limit is raised to at least twice it; otherwise every position held
  // across a 1-minute bar would trip the breaker at the default 30 s.
  std::int64_t bar_interval_s = 0;
  std::vector<MarketKind> source_kinds;  // recorded frames: each source's market (NodeDriverConfig)
  std::uint64_t expected_events = 0;  // a size hint (e.g. the data files' line count), 0: unknown
  std::string title = "Backtest";
  std::map<std::string, std::string> parameters;  // echoed in summary.json (data files, seed, ...)
};

// The node's configuration for a backtest of `spec` (exposed for tests and the paper-equivalence check).
NodeDriverConfig backtest_driver_config(const BacktestSpec& spec, UnixNanos start_ns);

// The strategies attached to a run's node: started once the node accepts signals, stopped after the last
// event (before the results are taken).
class AttachedStrategies {
 public:
  virtual ~AttachedStrategies() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
};
// Attaches the enabled strategies of `config` to the driver's node (before it starts). Error: a strategy
// that cannot be built (unknown type, bad parameter, a program that does not start).
using StrategyAttacher = std::function<Result<std::unique_ptr<AttachedStrategies>, std::string>(
    NodeDriver& driver, const config::Config& config)>;
// Called every `every` events with the count so far (progress bars).
struct RunProgress {
  std::function<void(std::uint64_t events)> report;  // events read (in range or not)
  std::uint64_t every = 65'536;
  std::uint64_t* delivered = nullptr;  // if set: the events in range the node received
};

// Runs the events through a fresh node. Errors: the node does not start, a strategy cannot be attached,
// the data fails to read (the cursor's error), or an event the node cannot take (recorded frames).
Result<BacktestResults, std::string> run_backtest(const BacktestSpec& spec, EventCursor& events,
                                                  const StrategyAttacher& attach, const RunProgress& progress = {});

// The sweep point's values written into the strategies' params: "fast" sets fast on every enabled
// strategy; "ma_btc.fast" only on the strategy named ma_btc (a dotted name whose prefix names no strategy
// is a parameter name of its own). Error: no enabled strategy.
Result<config::Config, std::string> apply_sweep_point(const config::Config& config, const SweepPoint& point);

// "2024-01-02", "2024-01-02T03:04:05Z" (UTC) or epoch milliseconds -> ns; nullopt when none of those.
std::optional<UnixNanos> parse_time_arg(std::string_view text);

}  // namespace tradingd::backtest
