// PaperNode: the daemon's trading stack in paper and live mode (live: the venues' adapters,
// daemon/live_venues.h, instead of simulated venues). Opens the journal and the state store in the state
// directory at once; then, when the daemon's market data has loaded the venues' instrument rules (tick,
// step, minimums, contract size), builds the TradingNode, attaches it to the market data (live books,
// trades, quotes, bars, marks), drives it with an asio steady_timer Scheduler, exports its metrics and wires
// readiness ("state": ready after reconciliation), SIGUSR1 (the daemon's EmergencyStop hook) and the
// shutdown sequence.
// Invariants: everything runs on the daemon's io_context; the journal's writer thread only posts to it;
// no node (so no order) exists before the real instrument rules are known.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "daemon/daemon.h"
#include "daemon/live_venues.h"
#include "daemon/node_stats.h"
#include "daemon/strategy_wiring.h"
#include "execution/node/trading_node.h"
#include "execution/sqlite_journal.h"
#include "execution/state_store.h"

namespace tradingd::daemon {

// TEST ONLY placeholder rules (TRADINGD_TEST_NO_MARKET_DATA=1: no venue to load the real ones from).
// Fine-grained on purpose so the simulated venue never rejects a signal for a rule we do not know.
Instrument paper_instrument_rules(const config::InstrumentConfig& cfg);

class PaperNode {
 public:
  // Throws std::runtime_error with the reason when the journal or state store cannot be opened (the
  // daemon then exits 1: it refuses to trade without its journal).
  explicit PaperNode(Daemon& daemon);
  ~PaperNode();
  PaperNode(const PaperNode&) = delete;
  PaperNode& operator=(const PaperNode&) = delete;

  // The node exists once the instrument rules are loaded (has_node()); node() requires it. Wiring that
  // needs the node (strategies, control API) registers here: run at once if it exists, else right after
  // it is built and attached to the market data, on the event loop, in registration order.
  bool has_node() const { return node_ != nullptr; }
  TradingNode& node() { return *node_; }
  void on_node_ready(std::function<void(TradingNode&)> fn);

 private:
  class AsioScheduler;
  // The second half of the start-up, on the event loop once the venues' rules are known.
  void build_node(const std::vector<Instrument>& rules);
  void schedule_metrics();
  void schedule_test_trading();  // TEST ONLY: see TRADINGD_TEST_SYNTHETIC_TRADING in paper_node.cpp

  Daemon& daemon_;
  std::unique_ptr<SqliteJournal> journal_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<AsioScheduler> scheduler_;
  std::unique_ptr<NodeStats> stats_;
  std::unique_ptr<LiveVenues> live_;  // live mode: the adapters the node trades through
  std::unique_ptr<LiveVenueMetrics> live_stats_;
  std::unique_ptr<TradingNode> node_;
  std::unique_ptr<StrategyWiring> strategies_;  // after node_: destroyed before it
  std::vector<std::function<void(TradingNode&)>> node_ready_;
  std::vector<InstrumentId> test_instruments_;
  std::uint64_t test_signals_ = 0;
  bool test_synthetic_quotes_ = true;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd::daemon
