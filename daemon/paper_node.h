// PaperNode: the daemon's paper-mode trading stack. Opens the journal and the state store in the state
// directory, builds the TradingNode with one SimulatedVenue per enabled venue (instruments from config),
// drives it with an asio steady_timer Scheduler, exports its metrics and wires readiness ("state": ready
// after reconciliation), SIGUSR1 (the daemon's EmergencyStop hook) and the shutdown sequence.
// Invariant: everything runs on the daemon's io_context; the journal's writer thread only posts to it.
#pragma once

#include <memory>
#include <string>

#include "daemon/daemon.h"
#include "daemon/node_stats.h"
#include "daemon/strategy_wiring.h"
#include "execution/node/trading_node.h"
#include "execution/sqlite_journal.h"
#include "execution/state_store.h"

namespace tradingd::daemon {

// Placeholder rules for a configured instrument until the venue's own rules are loaded (branch `net`:
// exchangeInfo / instruments endpoints). Fine-grained on purpose so the simulated venue never rejects a
// signal for a rule we do not actually know.
Instrument paper_instrument_rules(const config::InstrumentConfig& cfg);

class PaperNode {
 public:
  // Throws std::runtime_error with the reason when the journal or state store cannot be opened (the
  // daemon then exits 1: it refuses to trade without its journal).
  explicit PaperNode(Daemon& daemon);
  ~PaperNode();
  PaperNode(const PaperNode&) = delete;
  PaperNode& operator=(const PaperNode&) = delete;

  TradingNode& node() { return *node_; }

 private:
  class AsioScheduler;
  void schedule_metrics();
  void schedule_test_trading();  // TEST ONLY: see TRADINGD_TEST_SYNTHETIC_TRADING in paper_node.cpp

  Daemon& daemon_;
  std::unique_ptr<SqliteJournal> journal_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<AsioScheduler> scheduler_;
  std::unique_ptr<NodeStats> stats_;
  std::unique_ptr<TradingNode> node_;
  std::unique_ptr<StrategyWiring> strategies_;  // after node_: destroyed before it
  std::vector<InstrumentId> test_instruments_;
  std::uint64_t test_signals_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd::daemon
