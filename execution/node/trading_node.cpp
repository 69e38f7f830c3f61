// TradingNode: wiring and start-up sequence. Everything runs on the owner's event loop; the only durable
// side effects besides the order journal are StateStore writes (breaker on change, venue snapshots).
#include "execution/node/trading_node.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace tradingd {
namespace {

constexpr std::string_view kBreakerNs = "circuit_breaker";

std::string paper_ns(Venue v) { return "paper." + std::string(to_string(v)); }

}  // namespace

std::string_view to_string(NodeState s) {
  switch (s) {
    case NodeState::Created:
      return "created";
    case NodeState::Reconciling:
      return "reconciling";
    case NodeState::Ready:
      return "ready";
    case NodeState::Failed:
      return "failed";
    case NodeState::Stopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view SignalRefusal::reason() const {
  if (kind == Kind::NotReady) return "not_ready";
  return engine ? engine->reason() : std::string_view("unknown");
}

TradingNode::TradingNode(TradingNodeConfig config, const Clock& clock, Scheduler& scheduler, OrderJournal& journal,
                         StateStore* store, ClientOrderIdCodec codec, std::vector<Instrument> instruments)
    : config_(std::move(config)),
      clock_(clock),
      scheduler_(scheduler),
      journal_(journal),
      store_(store),
      instrument_list_(std::move(instruments)),
      portfolio_(tracker_),
      risk_(config_.risk, clock_, tracker_, portfolio_),
      manager_(clock_, journal_, std::move(codec)),
      resolver_(manager_),
      monitor_(std::make_unique<OrderMonitor>(manager_, resolver_, OrderMonitorConfig::from(config_.execution),
                                              config_.observer)),
      engine_(clock_, manager_, risk_, instruments_, ExecutionEngineConfig{RoundingPolicy{}, /*emulate_brackets=*/false}),
      estop_(EmergencyStopConfig::from(config_.risk), risk_.breaker(), *this, *this, *this) {
  for (const auto& inst : instrument_list_) {
    instruments_.add(inst);
    tracker_.add_instrument(inst);
  }
  for (const auto& vc : config_.sim_venues) {
    sim_venues_.push_back(std::make_unique<sim::SimulatedVenue>(vc, clock_));
    register_venue(*sim_venues_.back(), false);
  }
  for (ExecutionVenue* v : config_.live_venues) {
    if (v != nullptr) register_venue(*v, true);
  }
  manager_.add_listener(*this);
  risk_.set_open_order_exposure(this);
  // Fail closed until reconciliation finished: the gate refuses everything while halted.
  risk_.halt("not reconciled");
}

TradingNode::~TradingNode() {
  *alive_ = false;
  manager_.remove_listener(*this);
}

sim::SimulatedVenue* TradingNode::sim_venue(Venue v) const {
  for (const auto& sv : sim_venues_) {
    if (sv->venue() == v) return sv.get();
  }
  return nullptr;
}

// ---- start-up ----

Result<StartupReport, std::string> TradingNode::start(const JournalSnapshot& snapshot,
                                                      std::function<void(const ReconcileReport&)> on_ready) {
  if (state_ != NodeState::Created) return Err(std::string("start: node already started"));
  StartupReport report;
  // Starting balances first: the replayed fills then move them exactly as they did before the restart.
  for (const auto& vc : config_.sim_venues) {
    for (const auto& [asset, amount] : vc.starting_balances) tracker_.set_balance(vc.venue, asset, amount);
  }
  auto restored = manager_.restore(snapshot);
  if (!restored) {
    state_ = NodeState::Failed;
    spdlog::error("Journal does not replay, refusing to trade error={}", restored.error());
    return Err("journal: " + restored.error());
  }
  report.restored = *restored;
  report.fills_replayed = replay_fills();
  // A live venue the journal has no fill on: nothing we did explains what it holds, so it predates us
  // (an order in flight at a crash is resolved, its missed fills applied, before the account is compared).
  for (auto& l : links_) {
    if (l.venue == nullptr || !l.status.live) continue;
    l.adopt_account = true;
    for (const Order* o : manager_.all_orders())
      if (o->instrument().venue == l.status.venue && !o->fills().empty()) {
        l.adopt_account = false;
        break;
      }
  }
  restore_stop_overrides();
  restore_live_cash();
  restore_balance_offsets();
  restore_from_store(report);
  portfolio_.revalue(clock_.now_ns());
  persisted_breaker_version_ = risk_.breaker().version();

  state_ = NodeState::Reconciling;
  schedule_tick();
  // Private streams first, so events during reconciliation are not missed (fills de-duplicate by trade id).
  for (ExecutionVenue* v : config_.live_venues)
    if (v != nullptr && link(v->venue()).venue == v) v->start();
  // A stream that came up inside start() is covered by the start-up pass that begins now: no second pass.
  for (auto& l : links_) l.changed_during_startup = false;
  ReconcileOptions options;
  options.cancel_unknown_venue_orders = config_.execution.cancel_unknown_venue_orders;
  reconciler_ = std::make_unique<Reconciler>(manager_, resolver_, options);
  std::weak_ptr<bool> alive = alive_;
  reconciler_->run([this, alive, on_ready = std::move(on_ready)](const ReconcileReport& r) {
    if (alive.expired() || !*alive.lock()) return;
    if (!r.ok_to_trade()) {
      state_ = NodeState::Failed;
      spdlog::error("Reconciliation incomplete, refusing to trade fills_missing={} query_failed={} errors={}",
                    r.fills_missing.size(), r.query_failed.size(), r.errors.size());
    } else {
      engine_.on_restored();
      risk_.resume();  // back to the breaker's state: a restored trip keeps only reduce-only orders
      state_ = NodeState::Ready;
      links_after_startup();
      spdlog::info("Trading node ready orders_checked={} resolved={} not_found={} missed_fills={} breaker={}",
                   r.orders_checked, r.resolved.size(), r.not_found.size(), r.missed_fills_applied,
                   risk_.breaker().tripped() ? "tripped" : "armed");
    }
    if (on_ready) on_ready(r);
  });
  return report;
}

std::size_t TradingNode::replay_fills() {
  // The ledger order is the fills' event time; trade ids make the replay idempotent.
  // Protective stops are replayed with the fills, so they follow the position exactly as they did live.
  std::vector<std::pair<OrderFilled, const Order*>> fills;
  for (const Order* o : manager_.all_orders()) {
    for (const Fill& f : o->fills()) {
      fills.emplace_back(OrderFilled{o->instrument(), o->client_order_id(), f.venue_order_id, f.trade_id, o->side(),
                                     f.quantity, f.price, f.fee, f.fee_asset, f.liquidity, f.ts_event_ns},
                         o);
    }
  }
  std::stable_sort(fills.begin(), fills.end(),
                   [](const auto& a, const auto& b) { return a.first.ts_event_ns < b.first.ts_event_ns; });
  std::size_t applied = 0;
  for (const auto& [f, order] : fills) {
    if (tracker_.apply_fill(f) != FillResult::Applied) continue;
    ++applied;
    stops_after_fill(*order, f.last_price);
  }
  return applied;
}

void TradingNode::restore_from_store(StartupReport& report) {
  if (store_ == nullptr) return;
  auto state = store_->get(kBreakerNs, "state");
  auto marks = store_->get(kBreakerNs, "equity_marks");
  if (state && *state) {
    auto decoded = BreakerState::decode(**state);
    std::optional<EquityMarks> m;
    if (marks && *marks) m = EquityMarks::decode(**marks);
    if (decoded) {
      risk_.restore(*decoded, m.value_or(EquityMarks{}));
      report.breaker_restored = true;
      report.breaker_tripped = decoded->tripped;
    } else {
      // An unreadable breaker state must not arm trading: treat it as a trip.
      risk_.trip_breaker(TripReason::InvariantBroken, "breaker state unreadable", clock_.now_ns());
      report.breaker_tripped = true;
    }
  }
  for (auto& sv : sim_venues_) {
    auto text = store_->get(paper_ns(sv->venue()), "snapshot");
    std::optional<sim::SimVenueSnapshot> snap;
    if (text && *text) {
      auto parsed = sim::snapshot_from_json(**text);
      if (parsed) {
        snap = std::move(*parsed);
      } else {
        spdlog::warn("Paper venue snapshot unreadable, starting fresh venue={} error={}", to_string(sv->venue()),
                     parsed.error());
      }
    }
    const bool from_store = snap.has_value();
    if (!snap) snap = sv->snapshot();
    continue_venue_ids(sv->venue(), *snap);
    if (auto r = sv->restore(*snap); !r) {
      spdlog::warn("Paper venue snapshot not restored venue={} error={}", to_string(sv->venue()), r.error());
      continue;
    }
    if (from_store) ++report.venue_snapshots_restored;
  }
}

void TradingNode::continue_venue_ids(Venue venue, sim::SimVenueSnapshot& snap) const {
  // A crash after the last snapshot leaves a venue that would issue again the trade and order ids the
  // journal already holds; the tracker de-duplicates fills by trade id and would drop the new ones.
  // The simulated venue numbers both from 1: continue after the highest number the journal saw.
  const auto number = [](std::string_view text) -> std::uint64_t {
    std::uint64_t n = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || n > (~std::uint64_t{0} - 9) / 10) return 0;
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
  };
  for (const Order* o : manager_.all_orders()) {
    if (o->instrument().venue != venue) continue;
    snap.next_order_number = std::max(snap.next_order_number, number(o->venue_order_id().view()) + 1);
    for (const Fill& f : o->fills()) {
      snap.next_trade_number = std::max(snap.next_trade_number, number(f.trade_id.view()) + 1);
      snap.next_order_number = std::max(snap.next_order_number, number(f.venue_order_id.view()) + 1);
    }
  }
}

void TradingNode::shutdown() {
  if (state_ == NodeState::Stopped) return;
  persist_breaker();
  write_snapshots();
  for (ExecutionVenue* v : config_.live_venues)
    if (v != nullptr && link(v->venue()).venue == v) v->stop();  // never cancels the venue's orders
  state_ = NodeState::Stopped;
  *alive_ = false;  // scheduled callbacks end here
  alive_ = std::make_shared<bool>(true);
  if (tick_timer_) tick_timer_->disarm();
}

// ---- signals ----

Result<OrderId, SignalRefusal> TradingNode::submit_signal(const Signal& signal) {
  ++stats_.signals;
  if (state_ != NodeState::Ready) {
    ++stats_.signals_refused_not_ready;
    return Err(SignalRefusal{SignalRefusal::Kind::NotReady, std::nullopt,
                             "node " + std::string(to_string(state_)) + ": signals accepted after reconciliation"});
  }
  if (const VenueLink& l = link(signal.instrument.venue); l.venue != nullptr && l.status.state != VenueLinkState::Ready) {
    ++stats_.signals_refused_not_ready;
    ++stats_.signals_refused_venue[static_cast<std::size_t>(signal.instrument.venue) & 3];
    return Err(SignalRefusal{SignalRefusal::Kind::NotReady, std::nullopt,
                             "venue " + std::string(to_string(signal.instrument.venue)) + " " +
                                 std::string(to_string(l.status.state)) + ": " + l.status.reason});
  }
  auto r = engine_.submit_signal(signal);
  after_change();
  if (!r) return Err(SignalRefusal{SignalRefusal::Kind::Engine, r.error(), r.error().detail()});
  return *r;
}

// ---- emergency stop ----

StartResult TradingNode::emergency_stop(std::string reason, std::function<void(const EmergencyStopReport&)> done) {
  EmergencyStopOptions options;
  options.reason = std::move(reason);
  if (estop_.running()) {
    spdlog::info("Emergency stop already running, request ignored");
    return StartResult::AlreadyRunning;
  }
  spdlog::warn("Emergency stop started reason={} open_orders={} open_positions={}", options.reason,
               manager_.open_orders().size(), tracker_.open_position_count());
  // Armed before start(): with nothing to cancel or flatten the run finishes inside start().
  ++stats_.emergency_stops;
  estop_done_ = std::move(done);
  estop_unreported_ = true;
  const auto r = estop_.start(clock_.now_ns(), options);
  after_change();
  return r;
}

// ---- operator actions ----

Result<OrderId, OrderError> TradingNode::cancel_order(OrderId id, std::string_view source) {
  auto r = manager_.cancel(id);
  if (r) {
    spdlog::info("Order cancel requested order_id={} source={}", id, source);
  } else {
    spdlog::info("Order cancel refused order_id={} source={} error={} detail=\"{}\"", id, source,
                 to_string(r.error().kind), r.error().detail);
  }
  after_change();
  return r;
}

std::size_t TradingNode::cancel_all_orders(std::string_view source) {
  const std::size_t n = engine_.cancel_all();
  spdlog::warn("Cancel all requested source={} orders={}", source, n);
  after_change();
  return n;
}

bool TradingNode::trip_breaker(std::string detail, std::string_view source) {
  const bool was = risk_.breaker().tripped();
  if (!was) spdlog::warn("Circuit breaker manual trip source={} detail=\"{}\"", source, detail);
  risk_.trip_breaker(TripReason::Manual, std::move(detail), clock_.now_ns());
  after_change();  // logs the trip, persists it, cancels / flattens as configured
  return !was;
}

Result<ResetOutcome, ResetError> TradingNode::reset_breaker(std::string_view source) {
  const TripReason was = risk_.breaker().state().reason;
  auto r = risk_.reset_breaker(clock_.now_ns());
  if (r) {
    spdlog::warn("Circuit breaker reset source={} was={}", source, to_string(was));
    // Re-evaluate at once: a condition that still holds trips again now rather than at the next tick.
    portfolio_.revalue(clock_.now_ns());
    risk_.evaluate(clock_.now_ns());
  } else {
    spdlog::info("Circuit breaker reset refused source={} reason={} cooldown_ends_ns={}", source,
                 to_string(r.error()), risk_.breaker().cooldown_ends_ns());
  }
  after_change();
  return r;
}

std::vector<OpenOrderRef> TradingNode::open_orders() const {
  std::vector<OpenOrderRef> out;
  for (const Order* o : manager_.open_orders()) out.push_back(OpenOrderRef{o->instrument(), o->client_order_id()});
  return out;
}

void TradingNode::cancel_all(Venue venue) { manager_.cancel_all(CancelScope{venue, std::nullopt}); }

std::vector<FlattenTarget> TradingNode::open_positions() const {
  std::vector<FlattenTarget> out;
  for (const Position& p : tracker_.positions()) {
    if (p.is_flat()) continue;
    out.push_back(FlattenTarget{p.id(), p.quantity(), p.instrument().max_quantity});
  }
  return out;
}

std::optional<ClientOrderId> TradingNode::submit_flatten(const InstrumentId& instrument, Side side, Quantity quantity) {
  // Bypasses the risk gate on purpose: nothing may stand between the account and flat.
  OrderSpec spec;
  spec.instrument = instrument;
  spec.side = side;
  spec.type = OrderType::Market;
  spec.time_in_force = TimeInForce::Gtc;
  spec.quantity = quantity;
  spec.reduce_only = true;
  spec.role = OrderRole::Flatten;
  spec.strategy_id = StrategyId::from("estop");
  auto id = manager_.create(spec);
  if (!id) return std::nullopt;
  if (auto sent = manager_.submit(*id); !sent) return std::nullopt;
  const Order* o = manager_.find(*id);
  return o ? std::optional<ClientOrderId>(o->client_order_id()) : std::nullopt;
}

bool TradingNode::is_order_open(const ClientOrderId& id) const {
  const Order* o = manager_.find_by_client_id(id);
  return o != nullptr && !o->is_terminal();
}

Quantity TradingNode::open_quantity(const InstrumentId& instrument, Side side) const {
  Quantity q;
  for (const Order* o : manager_.open_orders(instrument)) {
    if (o->side() == side && !o->spec().reduce_only) q += o->leaves_quantity();
  }
  return q;
}

// ---- events ----

void TradingNode::on_venue_event(const VenueEvent& event) {
  if (const auto* rej = std::get_if<OrderRejected>(&event)) {
    const auto v = static_cast<std::size_t>(rej->instrument.venue);
    const auto r = static_cast<std::size_t>(rej->error.reason);
    if (v < stats_.venue_rejects.size() && r < kVenueErrorReasonCount) ++stats_.venue_rejects[v][r];
  }
  manager_.on_venue_event(event);
}

void TradingNode::on_order_updated(const OrderUpdate& update) {
  const auto& o = update.order;
  if (update.event == OrderEvent::Submit) ++stats_.orders_sent[static_cast<std::size_t>(o.instrument().venue) & 3];
  // Rejects reach the gate through the engine; acceptances (ending a reject run) through here.
  if (update.first_ack) risk_.on_order_accepted(o.instrument(), clock_.now_ns());
  // A fill's update comes before on_order_filled: the position is not applied yet, and an emergency stop
  // polled now would see a terminal flatten order next to an open position and send a second one.
  if (update.event == OrderEvent::Fill || update.event == OrderEvent::PartialFill) return;
  after_change();
}

void TradingNode::on_order_filled(const Order& order, const Fill& fill) {
  // By reference: an OrderFilled would copy four ids the tracker does not read.
  const auto r = tracker_.apply_fill(FillRef{order.instrument(), fill.trade_id, order.side(), fill.quantity, fill.price,
                                             fill.fee, fill.fee_asset, fill.ts_event_ns});
  if (r == FillResult::Applied) {
    stops_after_fill(order, fill.price);
    ++stats_.fills_applied;
    ++stats_.fills[static_cast<std::size_t>(order.instrument().venue) & 3]
                  [fill.liquidity == LiquiditySide::Maker ? 0 : 1];
  } else if (r == FillResult::Overflow) {
    manager_.report_invariant(InvariantBreak{InvariantKind::FixedPointOverflow, order.id(), "position overflow"});
  }
  portfolio_.revalue(clock_.now_ns());
  risk_.evaluate(clock_.now_ns());
  after_change();
}

void TradingNode::on_invariant_broken(const InvariantBreak& what) {
  risk_.trip_breaker(TripReason::InvariantBroken, std::string(to_string(what.kind)) + ": " + what.detail,
                     clock_.now_ns());
  after_change();
}

void TradingNode::act_on_change() {
  // in_after_change_: estop_.poll() sends orders whose events come back to after_change().
  in_after_change_ = true;
  const UnixNanos now = clock_.now_ns();
  for (const TripEvent& trip : risk_.take_trip_events()) {
    spdlog::warn("Circuit breaker tripped reason={} detail={}", to_string(trip.reason), trip.detail);
    if ((trip.cancel_orders || trip.flatten) && !estop_.running()) {
      EmergencyStopOptions options{trip.cancel_orders, trip.flatten, "breaker: " + std::string(to_string(trip.reason))};
      estop_unreported_ = true;
      estop_.start(now, options);
    }
  }
  if (estop_.running()) estop_.poll(now);
  if (estop_unreported_ && !estop_.running() && estop_.last_report()) {
    estop_unreported_ = false;
    {
      const auto& rep = *estop_.last_report();
      stats_.last_emergency_stop_ns = rep.finished_ns - rep.started_ns;
      spdlog::log(rep.success() ? spdlog::level::warn : spdlog::level::err,
                  "Emergency stop finished success={} canceled={} cancel_failed={} closed={} failed={} "
                  "flatten_orders={} timed_out={} duration_ms={}",
                  rep.success(), rep.canceled.size(), rep.cancel_failed.size(), rep.closed.size(), rep.failed.size(),
                  rep.flatten_orders, rep.timed_out, stats_.last_emergency_stop_ns / kNanosPerMilli);
      if (estop_done_) {
        auto done = std::move(estop_done_);
        estop_done_ = nullptr;
        done(rep);
      }
    }
  }
  if (risk_.breaker().version() != persisted_breaker_version_) persist_breaker();
  in_after_change_ = false;
}

void TradingNode::persist_breaker() {
  persisted_breaker_version_ = risk_.breaker().version();
  if (store_ == nullptr) return;
  const UnixNanos now = clock_.now_ns();
  auto a = store_->put(kBreakerNs, "state", risk_.breaker().state().encode(), now);
  auto b = store_->put(kBreakerNs, "equity_marks", portfolio_.marks().encode(), now);
  if (!a || !b) {
    ++stats_.breaker_persist_failures;
    spdlog::error("Circuit breaker state not persisted");
  }
}

void TradingNode::write_snapshots() {
  if (store_ == nullptr) return;
  for (const auto& sv : sim_venues_) {
    auto r = store_->put(paper_ns(sv->venue()), "snapshot", sim::to_json(sv->snapshot()), clock_.now_ns());
    if (r) {
      ++stats_.snapshots_written;
    } else {
      ++stats_.snapshot_failures;
      spdlog::error("Paper venue snapshot not written venue={}", to_string(sv->venue()));
    }
  }
}

// ---- timer ----

void TradingNode::poll() { poll_inline(); }

[[gnu::always_inline]] inline void TradingNode::poll_inline() {
  const UnixNanos now = clock_.now_ns();
  retired_reconcilers_.clear();
  for (auto& sv : sim_venues_) sv->advance_to(now);
  manager_.poll_journal();
  monitor_->on_timer(now);
  // A market event at this very instant already valued the portfolio and ran the breaker's checks
  // (backtests tick at each event's time): doing it again here would only repeat the same result.
  if (now != last_market_eval_ns_) {
    portfolio_.revalue(now);
    risk_.evaluate(now);
  }
  after_change();
  if (unreconciled_links_ != 0) retry_venue_reconciliations(now);
  if (config_.snapshot_interval_s > 0 && state_ == NodeState::Ready && now >= next_snapshot_ns_) {
    if (next_snapshot_ns_ != 0) write_snapshots();
    next_snapshot_ns_ = now + config_.snapshot_interval_s * kNanosPerSecond;
  }
}

void TradingNode::schedule_tick() {
  // One timer re-armed for every tick: a backtest ticks once per event, and a fresh callback each time
  // would allocate.
  const std::int64_t interval_ns = config_.timer_interval_ms * kNanosPerMilli;
  if (!tick_timer_) tick_timer_ = scheduler_.make_periodic_timer(interval_ns, [this] {
    if (state_ == NodeState::Stopped) return false;
    poll_inline();  // the tick's own copy of poll(): one call less on every tick
    return true;    // due again interval_ns from now
  });
  tick_timer_->arm(interval_ns);
}

// ---- market data ----

void TradingNode::after_market(UnixNanos now_ns) {
  portfolio_.revalue(now_ns);
  risk_.evaluate(now_ns);
  last_market_eval_ns_ = now_ns;
  after_change();
}

void TradingNode::on_trade(const TradeTick& t) {
  for (auto& sv : sim_venues_) sv->on_trade(t);
  tracker_.on_trade(t);
  stops_on_price(t.instrument);
  after_market(clock_.now_ns());
  for (auto* l : listeners_) l->on_trade(t);
}

void TradingNode::on_quote(const QuoteTick& q) {
  for (auto& sv : sim_venues_) sv->on_quote(q);
  tracker_.on_quote(q);
  stops_on_price(q.instrument);
  after_market(clock_.now_ns());
  for (auto* l : listeners_) l->on_quote(q);
}

void TradingNode::on_book(const BookUpdate& u) {
  for (auto& sv : sim_venues_) sv->on_book(u);
  // The tracker marks from trades, quotes and mark prices; the best levels of a book are a quote.
  if (u.book != nullptr) {
    const auto bid = u.book->best_bid();
    const auto ask = u.book->best_ask();
    if (bid && ask)
      tracker_.on_quote(
          QuoteTick{u.instrument, bid->price, bid->size, ask->price, ask->size, u.ts_event_ns, u.ts_recv_ns});
  }
  stops_on_price(u.instrument);
  after_market(clock_.now_ns());
  for (auto* l : listeners_) l->on_book(u);
}

void TradingNode::on_bar(const Bar& b) {
  for (auto& sv : sim_venues_) sv->on_bar(b);
  // Candle-only data: the close is the last trade price for marking.
  if (b.closed)
    tracker_.on_trade_price(b.instrument, b.close,
                            b.ts_recv_ns ? b.ts_recv_ns : b.ts_open_ns + b.interval_s * kNanosPerSecond);
  if (!stops_.all().empty()) stops_on_bar(b);  // the common case: one branch per bar
  after_market(clock_.now_ns());
  for (auto* l : listeners_) l->on_bar(b);
}

void TradingNode::on_mark_price(const MarkPriceUpdate& m) {
  for (auto& sv : sim_venues_) sv->on_mark_price(m);
  tracker_.on_mark_price(m);
  stops_on_price(m.instrument);
  after_market(clock_.now_ns());
  for (auto* l : listeners_) l->on_mark_price(m);
}

void TradingNode::on_funding_rate(const FundingRateUpdate& f) {
  for (auto* l : listeners_) l->on_funding_rate(f);
}

void TradingNode::on_feed_status(const InstrumentId& id, FeedStatus status, UnixNanos ts_ns) {
  for (auto* l : listeners_) l->on_feed_status(id, status, ts_ns);
}

}  // namespace tradingd
