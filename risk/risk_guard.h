// RiskGuard: the RiskGate the ExecutionEngine calls before journaling and sending each order. It runs the
// pre-trade checks of RiskConfig (0 disables a limit), owns the circuit breaker, the order-rate limiter
// and the reconciliation blocks, and counts every denial by reason for the metrics layer.
// Pure apart from the injected Clock; never throws (an overflow while checking denies with InternalError).
// Invariants: a reduce-only order that reduces a position is never refused by a limit or the breaker
// (only by Halted or malformed rules; a reconciliation block lets it through); nothing else passes unless
// Active.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "portfolio/instrument_blocks.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/circuit_breaker.h"
#include "risk/order_rate_limiter.h"
#include "risk/risk_gate.h"

namespace tradingd {

// Quantity resting in open orders, which the engine's OrderManager knows: position checks use the worst
// case (every open order on the order's side fills) when the engine provides it.
class OpenOrderExposure {
 public:
  virtual ~OpenOrderExposure() = default;
  virtual Quantity open_quantity(const InstrumentId& instrument, Side side) const = 0;
};

struct RiskCounters {
  std::uint64_t checks = 0;
  std::uint64_t allowed = 0;
  std::array<std::uint64_t, kRiskDenyReasonCount> denied{};  // index: RiskDenyReason; label: to_string()
  std::uint64_t denied_for(RiskDenyReason r) const { return denied[static_cast<std::size_t>(r)]; }
};

// What GET /v1/risk and the metrics read.
struct RiskSnapshot {
  TradingState state = TradingState::Active;
  std::string halt_reason;
  BreakerState breaker;
  UnixNanos cooldown_ends_ns = 0;
  RiskCounters counters;
  std::array<std::uint64_t, kTripReasonCount> trips_by_reason{};
  std::vector<std::pair<InstrumentId, InstrumentBlock>> blocks;
  std::array<std::int64_t, 4> orders_today_by_venue{};
  std::int64_t orders_today_total = 0;
};

class RiskGuard final : public RiskGate {
 public:
  RiskGuard(const config::RiskConfig& config, const Clock& clock, const PositionTracker& tracker, Portfolio& portfolio);

  // RiskGate.
  std::optional<RiskDenial> check_order(const OrderIntentView& order) override;
  void on_order_sent(const OrderIntentView& order) override;
  void on_order_rejected(const InstrumentId& instrument, UnixNanos ts_ns) override;
  void on_order_accepted(const InstrumentId& instrument, UnixNanos ts_ns) override;
  TradingState trading_state() const override;

  void set_open_order_exposure(const OpenOrderExposure* exposure) { open_orders_ = exposure; }

  // Breaker inputs. evaluate() after each Portfolio::update() and on a timer (≈ 1 s): drawdown, daily
  // loss, staleness, disconnects, auto re-arm. The equity-based checks read the portfolio's latest figures,
  // so the engine updates the portfolio on every fill and mark; before the first update equity counts
  // as zero and those checks deny (fail closed).
  void on_venue_connection(Venue venue, bool connected, UnixNanos ts_ns);
  void evaluate(UnixNanos now_ns);
  // Operator / emergency stop actions.
  void trip_breaker(TripReason reason, std::string detail, UnixNanos now_ns);
  // Resets and rebases the portfolio's drawdown / daily references the trip acknowledged.
  Result<ResetOutcome, ResetError> reset_breaker(UnixNanos now_ns);
  // Halted: nothing passes (before reconciliation, unreadable journal). resume() returns to the breaker's state.
  void halt(std::string reason);
  void resume();

  // Trips since the last call, for the engine to log, journal and act on (cancel / flatten).
  std::vector<TripEvent> take_trip_events();
  bool has_trip_events() const { return !pending_trips_.empty(); }
  // Restart: the breaker's state and the portfolio's equity marks, as journaled.
  void restore(const BreakerState& breaker, const EquityMarks& marks);

  CircuitBreaker& breaker() { return breaker_; }
  const CircuitBreaker& breaker() const { return breaker_; }
  InstrumentBlocks& blocks() { return blocks_; }
  const InstrumentBlocks& blocks() const { return blocks_; }
  const RiskCounters& counters() const { return counters_; }
  RiskSnapshot snapshot() const;

 private:
  std::optional<RiskDenial> run_checks(const OrderIntentView& order);
  std::optional<RiskDenial> check_reduce_only(const OrderIntentView& order, const Position& pos);
  // Position, open-position, gross-exposure and leverage limits, valued at the reference (mark) price in
  // the instruments' quote asset (USDT for every instrument we trade; the portfolio's valuation asset).
  std::optional<RiskDenial> check_exposure(const OrderIntentView& order, const Position& pos, Price reference);
  std::optional<RiskDenial> check_price_band(const Instrument& inst, Price reference, const OrderIntentView& order) const;
  void push(std::optional<TripEvent> e);
  // evaluate() past the breaker's at-rest answer: kept apart so the answer costs no more than itself.
  [[gnu::noinline]] void evaluate_breaker(UnixNanos now_ns);

  config::RiskConfig config_;
  const Clock& clock_;
  const PositionTracker& tracker_;
  Portfolio& portfolio_;
  const OpenOrderExposure* open_orders_ = nullptr;
  CircuitBreaker breaker_;
  OrderRateLimiter limiter_;
  InstrumentBlocks blocks_;
  RiskCounters counters_;
  std::vector<TripEvent> pending_trips_;
  bool halted_ = false;
  std::string halt_reason_;
};

}  // namespace tradingd
