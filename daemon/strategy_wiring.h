// StrategyWiring: the daemon's strategies (paper and live). Builds a StrategyHost from config.strategies
// when the node is built (a bad entry stops start-up with a message naming it), starts the strategies once
// the node is Ready, stops them first in the shutdown sequence, and exports per-strategy metrics. Labels
// are bounded: the configured strategy names and the four rejection kinds. Every summary_interval it logs
// one "Strategy summary" line per strategy that traded since the last one (orders, fills, its positions,
// the instruments' PnL and the equity), and once more at shutdown.
// Invariant: everything runs on the daemon's io_context (the host's callbacks, the supervisors, the scrape
// refresh timer).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include <array>
#include <memory>
#include <vector>

#include "daemon/daemon.h"
#include "execution/node/trading_node.h"
#include "strategy/strategy_host.h"

namespace tradingd::daemon {

class StrategyWiring {
 public:
  // Throws std::runtime_error naming the strategies[] entry when one cannot be built.
  StrategyWiring(Daemon& daemon, TradingNode& node, Scheduler& scheduler);
  ~StrategyWiring();
  StrategyWiring(const StrategyWiring&) = delete;
  StrategyWiring& operator=(const StrategyWiring&) = delete;

  // Calls every strategy's on_start (once); call when the node accepts signals.
  void start();
  // Registers the shutdown step that stops the strategies. Register it after the node's own step: steps
  // run in reverse order, so the strategies stop before the node does.
  void add_shutdown_step();
  // Reads the host's counters into the metrics (also every second while running).
  void refresh();

  StrategyHost& host() { return *host_; }

 private:
  struct PerStrategy {
    StrategyId id;
    prometheus::Counter* signals = nullptr;
    prometheus::Counter* orders = nullptr;
    prometheus::Counter* fills = nullptr;
    std::array<prometheus::Counter*, kSubmitRejectKindCount> rejections{};
    prometheus::Counter* errors = nullptr;
    prometheus::Counter* restarts = nullptr;
    prometheus::Gauge* running = nullptr;
    StrategyHostStats seen;  // what refresh() already added
    std::uint64_t summarized_orders = 0;  // counters at the last summary line
    std::uint64_t summarized_fills = 0;
  };
  void schedule_refresh();
  void log_summaries(bool final_line);

  static constexpr int kSummaryEverySeconds = 10;

  Daemon& daemon_;
  TradingNode& node_;
  Scheduler& scheduler_;
  int refreshes_ = 0;
  std::unique_ptr<StrategyHost> host_;
  std::vector<PerStrategy> metrics_;
  bool started_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd::daemon
