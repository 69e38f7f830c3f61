// TradingNode: the one engine that runs identically in backtest, paper and live. It composes the
// OrderManager, OrderMonitor, ExecutionEngine, one ExecutionVenue per venue (SimulatedVenue in paper and
// backtest), PositionTracker + Portfolio, the RiskGuard (the engine's RiskGate) and the risk EmergencyStop
// coordinator. It is a MarketDataSink (fan-out to simulated venues, marks, staleness, listeners) and the
// hub of venue events (order events -> manager -> portfolio fills -> risk).
// Invariants: single-threaded (the owner's event loop); time only from the injected Clock, timers only
// through the injected Scheduler (no Asio here); no signal is accepted before start-up reconciliation
// finished; the breaker state is persisted on every change, so a restart never bypasses a trip.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "exchange/market_data.h"
#include "execution/execution_engine.h"
#include "execution/node/scheduler.h"
#include "execution/order_journal.h"
#include "execution/order_manager.h"
#include "execution/order_monitor.h"
#include "execution/order_resolver.h"
#include "execution/reconciler.h"
#include "execution/sim/simulated_venue.h"
#include "execution/sources.h"
#include "execution/state_store.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/emergency_stop.h"
#include "risk/risk_guard.h"

namespace tradingd {

struct TradingNodeConfig {
  config::RiskConfig risk;
  config::ExecutionConfig execution;
  std::vector<sim::SimVenueConfig> sim_venues;  // paper / backtest: one SimulatedVenue each
  std::int64_t timer_interval_ms = 100;         // poll journal, monitor, venues, risk, emergency stop
  std::int64_t snapshot_interval_s = 60;        // paper venue snapshots to the StateStore
  ExecutionObserver* observer = nullptr;        // latency / slippage measurements (metrics layer)
};

// Where start-up is; signals are refused (NotReady) until Ready.
enum class NodeState : std::uint8_t { Created, Reconciling, Ready, Failed, Stopped };
std::string_view to_string(NodeState s);

// Why the node produced no order for a signal: the node refused it, or the engine did (typed cause).
struct SignalRefusal {
  enum class Kind : std::uint8_t { NotReady, Engine } kind = Kind::NotReady;
  std::optional<SignalError> engine;
  std::string detail;
  std::string_view reason() const;  // "not_ready" or the engine's reason ("max_order_notional", ...)
};

// What strategies (branch `strategies`) and tests call: the one entry for trading intent.
class SignalSink {
 public:
  virtual ~SignalSink() = default;
  virtual Result<OrderId, SignalRefusal> submit_signal(const Signal& signal) = 0;
};

// The node's own counters, read by the metrics layer on the event loop.
inline constexpr std::size_t kVenueErrorReasonCount = static_cast<std::size_t>(VenueErrorReason::Other) + 1;

struct TradingNodeStats {
  // Venue rejects by [venue][VenueErrorReason]: both sets are bounded (metric labels).
  std::array<std::array<std::uint64_t, kVenueErrorReasonCount>, 4> venue_rejects{};
  std::uint64_t signals = 0;
  std::uint64_t signals_refused_not_ready = 0;
  std::array<std::uint64_t, 4> orders_sent{};           // [venue]: handed to the venue
  std::array<std::array<std::uint64_t, 2>, 4> fills{};  // [venue][maker, taker]
  std::uint64_t fills_applied = 0;
  std::uint64_t breaker_persist_failures = 0;
  std::uint64_t snapshot_failures = 0;
  std::uint64_t snapshots_written = 0;
  std::uint64_t emergency_stops = 0;
  std::int64_t last_emergency_stop_ns = 0;  // duration of the last finished run, clock time
};

struct StartupReport {
  RestoreSummary restored;
  std::size_t fills_replayed = 0;
  bool breaker_restored = false;
  bool breaker_tripped = false;
  std::size_t venue_snapshots_restored = 0;
};

class TradingNode final : public MarketDataSink,
                          public SignalSink,
                          private VenueEventSink,
                          private OrderListener,
                          private OrderCanceller,
                          private PositionSource,
                          private FlattenSubmitter,
                          private OpenOrderExposure {
 public:
  // store may be null (no persistence: backtests). The journal and store must outlive the node.
  TradingNode(TradingNodeConfig config, const Clock& clock, Scheduler& scheduler, OrderJournal& journal,
              StateStore* store, ClientOrderIdCodec codec, std::vector<Instrument> instruments);
  ~TradingNode() override;
  TradingNode(const TradingNode&) = delete;
  TradingNode& operator=(const TradingNode&) = delete;

  // Restore (orders, positions from journaled fills, breaker, paper venues) then reconcile; on_ready runs
  // when signals are accepted (maybe synchronously) with the reconciliation report. An error: the journal
  // does not replay; the node stays Failed and refuses signals.
  Result<StartupReport, std::string> start(const JournalSnapshot& snapshot,
                                           std::function<void(const ReconcileReport&)> on_ready = {});
  // Persists the breaker and the paper venue snapshots; stops the timer. The caller flushes the journal.
  void shutdown();

  // SignalSink.
  Result<OrderId, SignalRefusal> submit_signal(const Signal& signal) override;

  // Emergency stop: trips the breaker, cancels everything, flattens with reduce-only market orders,
  // retries until flat or timeout. Idempotent while running. done gets the report once it finished.
  StartResult emergency_stop(std::string reason = "emergency stop",
                             std::function<void(const EmergencyStopReport&)> done = {});
  bool emergency_stop_running() const { return estop_.running(); }

  // One timer tick (also what the scheduled timer runs): venues, journal, monitor, risk, emergency stop.
  void poll();

  // MarketDataSink: simulated venues first (they match against the "true" market), then marks, then
  // registered listeners (strategies).
  void on_trade(const TradeTick& t) override;
  void on_quote(const QuoteTick& q) override;
  void on_book(const BookUpdate& u) override;
  void on_bar(const Bar& b) override;
  void on_mark_price(const MarkPriceUpdate& m) override;
  void on_funding_rate(const FundingRateUpdate& f) override;
  void on_feed_status(const InstrumentId& id, FeedStatus status, UnixNanos ts_ns) override;
  // Listeners (strategies) see each market event after the node's own state was updated with it.
  void add_market_listener(MarketDataSink& listener) { listeners_.push_back(&listener); }
  void remove_market_listener(MarketDataSink& listener) { std::erase(listeners_, &listener); }
  // Order updates for strategies and the control API (after the node's bookkeeping).
  void add_order_listener(OrderListener& listener) { manager_.add_listener(listener); }

  NodeState state() const { return state_; }
  const OrderManager& manager() const { return manager_; }
  OrderManager& manager() { return manager_; }
  const PositionTracker& tracker() const { return tracker_; }
  const Portfolio& portfolio() const { return portfolio_; }
  const RiskGuard& risk() const { return risk_; }
  RiskGuard& risk() { return risk_; }
  const ExecutionEngine& engine() const { return engine_; }
  const OrderMonitor& monitor() const { return *monitor_; }
  const std::vector<std::unique_ptr<sim::SimulatedVenue>>& sim_venues() const { return sim_venues_; }
  sim::SimulatedVenue* sim_venue(Venue v) const;
  const std::optional<EmergencyStopReport>& last_emergency_report() const { return estop_.last_report(); }
  const TradingNodeStats& stats() const { return stats_; }
  const InstrumentSource& instruments() const { return instruments_; }

 private:
  // VenueEventSink: the hub every venue reports to; counts rejects, then hands the event to the manager.
  void on_venue_event(const VenueEvent& event) override;
  // OrderListener
  void on_order_updated(const OrderUpdate& update) override;
  void on_order_filled(const Order& order, const Fill& fill) override;
  void on_venue_connection(const VenueConnectionChanged& change) override;
  void on_invariant_broken(const InvariantBreak& what) override;
  // OrderCanceller
  std::vector<OpenOrderRef> open_orders() const override;
  void cancel_all(Venue venue) override;
  // PositionSource (risk)
  std::vector<FlattenTarget> open_positions() const override;
  // FlattenSubmitter
  std::optional<ClientOrderId> submit_flatten(const InstrumentId& instrument, Side side, Quantity quantity) override;
  bool is_order_open(const ClientOrderId& id) const override;
  // OpenOrderExposure
  Quantity open_quantity(const InstrumentId& instrument, Side side) const override;

  void schedule_tick();
  void after_market(UnixNanos now_ns);
  void after_change();  // persist the breaker if it moved, advance an emergency stop, act on trips
  void persist_breaker();
  void write_snapshots();
  std::size_t replay_fills();
  void restore_from_store(StartupReport& report);
  void continue_venue_ids(Venue venue, sim::SimVenueSnapshot& snap) const;

  TradingNodeConfig config_;
  const Clock& clock_;
  Scheduler& scheduler_;
  OrderJournal& journal_;
  StateStore* store_;
  InstrumentTable instruments_;
  std::vector<Instrument> instrument_list_;
  std::vector<std::unique_ptr<sim::SimulatedVenue>> sim_venues_;
  PositionTracker tracker_;
  Portfolio portfolio_;
  RiskGuard risk_;
  OrderManager manager_;
  OrderResolver resolver_;
  std::unique_ptr<OrderMonitor> monitor_;
  ExecutionEngine engine_;
  EmergencyStop estop_;
  std::unique_ptr<Reconciler> reconciler_;
  std::vector<MarketDataSink*> listeners_;
  std::function<void(const EmergencyStopReport&)> estop_done_;
  NodeState state_ = NodeState::Created;
  std::uint64_t persisted_breaker_version_ = ~std::uint64_t{0};
  UnixNanos next_snapshot_ns_ = 0;
  bool in_after_change_ = false;
  bool estop_unreported_ = false;  // a run started whose outcome is not logged/reported yet
  bool ticking_ = false;
  TradingNodeStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // scheduled callbacks check it
};

}  // namespace tradingd
