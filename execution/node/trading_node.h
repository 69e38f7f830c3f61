// TradingNode: the one engine that runs identically in backtest, paper and live. It composes the
// OrderManager, OrderMonitor, ExecutionEngine, one ExecutionVenue per venue (SimulatedVenue in paper and
// backtest), PositionTracker + Portfolio, the RiskGuard (the engine's RiskGate) and the risk EmergencyStop
// coordinator. It is a MarketDataSink (fan-out to simulated venues, marks, staleness, listeners) and the
// hub of venue events (order events -> manager -> portfolio fills -> risk). Live adapters are owned by the
// caller and handed in through TradingNodeConfig::live_venues; each venue is tradable only while its link
// is Ready: reconciled at start-up, and again (orders, fills, account) after every reconnect.
// Invariants: single-threaded (the owner's event loop); time only from the injected Clock, timers only
// through the injected Scheduler (no Asio here); no signal is accepted before start-up reconciliation
// finished; signals for a venue whose state is unknown (disconnected, not reconciled since) are refused;
// the breaker state is persisted on every change, so a restart never bypasses a trip.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
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
#include "portfolio/reconciliation.h"
#include "risk/emergency_stop.h"
#include "risk/protective_stops.h"
#include "risk/risk_guard.h"

namespace tradingd {

struct TradingNodeConfig {
  config::RiskConfig risk;
  config::ExecutionConfig execution;
  std::vector<sim::SimVenueConfig> sim_venues;  // paper / backtest: one SimulatedVenue each
  // Live: externally owned adapters (at most one per Venue, none also in sim_venues), which must outlive
  // the node. The node registers them with the OrderManager, is their event sink, calls start() in start()
  // and stop() in shutdown().
  std::vector<ExecutionVenue*> live_venues;
  // A venue reconciliation that failed (query error, account unavailable) is retried this long after.
  std::int64_t venue_reconcile_retry_ms = 5000;
  ReconcileTolerance account_tolerance;  // venue account vs PositionTracker (exact by default)
  std::int64_t timer_interval_ms = 100;         // poll journal, monitor, venues, risk, emergency stop
  std::int64_t snapshot_interval_s = 60;        // paper venue snapshots to the StateStore
  ExecutionObserver* observer = nullptr;        // latency / slippage measurements (metrics layer)
};

// Where start-up is; signals are refused (NotReady) until Ready.
enum class NodeState : std::uint8_t { Created, Reconciling, Ready, Failed, Stopped };
std::string_view to_string(NodeState s);

// Why the node produced no order for a signal: the node refused it, or the engine did (typed cause).
// One venue's link: signals for it are accepted only while Ready. Reconciling: start-up or after a
// reconnect; Disconnected: its private stream is down (state unknown); Unreconciled: a reconciliation
// failed and is retried (venue_reconcile_retry_ms).
enum class VenueLinkState : std::uint8_t { Reconciling, Ready, Disconnected, Unreconciled };
std::string_view to_string(VenueLinkState s);

struct VenueLinkStatus {
  Venue venue = Venue::Binance;
  bool live = false;
  bool connected = true;
  VenueLinkState state = VenueLinkState::Reconciling;
  std::string reason;       // why not Ready ("private stream disconnected", the failed query)
  UnixNanos since_ns = 0;   // when state last changed
  std::uint64_t disconnects = 0;
  std::uint64_t reconciliations = 0;         // finished successfully (start-up and reconnects)
  std::uint64_t reconcile_failures = 0;
  std::uint64_t account_mismatches = 0;      // mismatched instruments/assets found, summed over reconciliations
};

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
  std::uint64_t signals_refused_not_ready = 0;     // node not ready, or the signal's venue not ready
  std::array<std::uint64_t, 4> signals_refused_venue{};  // [venue]: its link was not Ready
  std::uint64_t account_mismatches = 0;            // position/balance disagreements found (all venues)
  std::uint64_t mismatches_acknowledged = 0;
  std::array<std::uint64_t, 4> orders_sent{};           // [venue]: handed to the venue
  std::array<std::array<std::uint64_t, 2>, 4> fills{};  // [venue][maker, taker]
  std::uint64_t fills_applied = 0;
  std::uint64_t breaker_persist_failures = 0;
  std::uint64_t snapshot_failures = 0;
  std::uint64_t snapshots_written = 0;
  std::uint64_t emergency_stops = 0;
  std::uint64_t protective_stops_set = 0;       // SL/TP armed locally from an entry's fill
  std::uint64_t protective_stop_errors = 0;     // an entry's SL/TP could not be armed (wrong side now)
  std::uint64_t protective_exits = 0;           // local trigger -> reduce-only market order sent
  std::uint64_t protective_exit_failures = 0;   // the exit order could not be created/sent
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
  // Persists the breaker and the paper venue snapshots; stops the live venues and the timer. The caller
  // flushes the journal.
  void shutdown();

  // SignalSink.
  Result<OrderId, SignalRefusal> submit_signal(const Signal& signal) override;

  // Emergency stop: trips the breaker, cancels everything, flattens with reduce-only market orders,
  // retries until flat or timeout. Idempotent while running. done gets the report once it finished.
  StartResult emergency_stop(std::string reason = "emergency stop",
                             std::function<void(const EmergencyStopReport&)> done = {});
  bool emergency_stop_running() const { return estop_.running(); }

  // The operator accepts a reconciliation mismatch: the instrument trades again until a later
  // reconciliation shows different figures. False when it was not blocked. source: who ("control_api").
  // A spot base-asset difference (holdings the journal cannot explain: bought before, deposited) is
  // taken into the tracker as a persisted offset, so later reconciliations and restarts agree.
  bool acknowledge_mismatch(const InstrumentId& instrument, std::string source);
  // Operator changes to a position's locally armed stop-loss/take-profit (the venue's native ones cannot be
  // amended through ExecutionVenue). move: the same side rule as a signal's, against the current price;
  // arms the leg if the position's stops lack it. Persisted (StateStore), so a restart keeps the move
  // until a new entry arms new stops. Errors: no local stops, no price yet, wrong side.
  Result<bool, std::string> move_protective_stop(const InstrumentId& instrument, StopKind kind, Price price,
                                                 std::string source);
  // Drops one leg or both (nullopt); false when there was nothing to cancel.
  bool cancel_protective_stops(const InstrumentId& instrument, std::optional<StopKind> kind, std::string source);
  // Per-venue links (registered venues only, by Venue).
  std::vector<VenueLinkStatus> venue_links() const;
  const VenueLinkStatus* venue_link(Venue v) const;
  bool venue_ready(Venue v) const;
  const std::vector<ExecutionVenue*>& live_venues() const { return config_.live_venues; }
  // Operator actions (control API, signals). Each is logged with its source ("api", "signal", ...) and
  // goes through the same bookkeeping as the node's own actions (breaker persisted, trips acted on).
  Result<OrderId, OrderError> cancel_order(OrderId id, std::string_view source);
  // Every open order on every venue (venue cancel-all endpoints where available). Returns orders targeted.
  std::size_t cancel_all_orders(std::string_view source);
  // A manual trip; false when the breaker was tripped already (the first reason stays).
  bool trip_breaker(std::string detail, std::string_view source);
  // Refused while not tripped or during the cooldown (the reason says which).
  Result<ResetOutcome, ResetError> reset_breaker(std::string_view source);

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
  // Stop-loss/take-profit armed locally (venues without native SL/TP), per instrument.
  const ProtectiveStops& protective_stops() const { return stops_; }

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
  void poll_inline();  // poll()'s body, inlined into the tick
  void after_market(UnixNanos now_ns);
  // Persist the breaker if it moved, advance an emergency stop, act on trips. Runs after every event;
  // nearly always there is nothing to do, and that test stays inline.
  void after_change() {
    if (in_after_change_ || (!risk_.has_trip_events() && !estop_.running() && !estop_unreported_ &&
                             risk_.breaker().version() == persisted_breaker_version_))
      return;
    act_on_change();
  }
  void act_on_change();
  void persist_breaker();
  void write_snapshots();
  std::size_t replay_fills();
  void restore_from_store(StartupReport& report);
  void continue_venue_ids(Venue venue, sim::SimVenueSnapshot& snap) const;

  // Protective stops (trading_node_stops.cpp): armed from an entry's fill, following the position.
  // An order without stop levels on a node with no armed stop changes nothing: answered inline, as it is
  // for almost every fill.
  void stops_after_fill(const Order& order, Price fill_price) {
    if (stops_.all().empty() && !order.spec().stop_loss && !order.spec().take_profit) return;
    follow_stops_after_fill(order, fill_price);
  }
  void follow_stops_after_fill(const Order& order, Price fill_price);
  void persist_stops(const InstrumentId& instrument);
  void restore_stop_overrides();
  void stops_on_price(const InstrumentId& instrument);
  // A closed bar: its low and high, the adverse extreme first (a bar touching both legs counts as the loss).
  void stops_on_bar(const Bar& bar);
  void stops_check(const InstrumentId& instrument, Price price);

  // Venue links (trading_node_venues.cpp).
  struct VenueLink {
    ExecutionVenue* venue = nullptr;
    VenueLinkStatus status;
    std::uint64_t generation = 0;  // bumped on every (dis)connect: answers of an older link are dropped
    bool changed_during_startup = false;
    // The journal held no fill on this venue at start-up: its first account report is adopted as the
    // starting point (pre-existing holdings are not a mismatch); cleared once an account was applied.
    bool adopt_account = false;
    UnixNanos retry_at_ns = 0;
    std::unique_ptr<Reconciler> reconciler;
  };
  VenueLink& link(Venue v) { return links_[static_cast<std::size_t>(v) & 3]; }
  const VenueLink& link(Venue v) const { return links_[static_cast<std::size_t>(v) & 3]; }
  void register_venue(ExecutionVenue& venue, bool live);
  void set_link_state(VenueLink& l, VenueLinkState state, std::string reason);
  void links_after_startup();
  // Orders + fills of that venue (when orders), then its account (live venues), then Ready.
  void reconcile_venue(Venue v, bool orders);
  void reconcile_account(Venue v, std::uint64_t generation);
  // adopt: base-asset differences become persisted offsets instead of blocks (first start of a venue).
  void apply_account(const AccountReport& report, bool adopt);
  // Adds delta to the tracker's balance and to the persisted offset (live.<venue>/offset.<asset>), which
  // restore_balance_offsets() applies again after the journal replay.
  void add_balance_offset(Venue v, const Asset& asset, Money delta);
  // Live cash as the venue last reported it: persisted after every account reconciliation and set again
  // after the journal replay, so equity (drawdown, daily loss) is right before the venue answers again.
  void persist_live_cash(Venue v);
  void restore_live_cash();
  void restore_balance_offsets();
  void venue_reconcile_failed(Venue v, std::string why);
  void retry_venue_reconciliations(UnixNanos now_ns);
  std::size_t unreconciled_links_ = 0;  // links waiting for a retry: the tick looks no further when none

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
  ProtectiveStops stops_;
  std::map<InstrumentId, std::uint64_t> stops_armed_;  // entries that armed stops, per instrument
  std::unique_ptr<Reconciler> reconciler_;
  std::vector<MarketDataSink*> listeners_;
  std::array<VenueLink, 4> links_{};
  std::array<std::optional<Reconciliation>, 4> last_account_{};  // per venue, for acknowledgements
  // Reconcilers replaced while their callbacks may still be on the stack; freed on the next tick.
  std::vector<std::unique_ptr<Reconciler>> retired_reconcilers_;
  std::function<void(const EmergencyStopReport&)> estop_done_;
  NodeState state_ = NodeState::Created;
  std::uint64_t persisted_breaker_version_ = ~std::uint64_t{0};
  UnixNanos next_snapshot_ns_ = 0;
  bool in_after_change_ = false;
  bool estop_unreported_ = false;  // a run started whose outcome is not logged/reported yet
  bool ticking_ = false;
  UnixNanos last_market_eval_ns_ = -1;  // poll() skips re-valuing at the instant a market event just did
  TradingNodeStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // scheduled callbacks check it
  // The timer tick: re-armed after each poll(), disarmed by shutdown() and by destruction.
  std::unique_ptr<Timer> tick_timer_;
};

}  // namespace tradingd
