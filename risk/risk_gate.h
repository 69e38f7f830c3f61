// The pre-trade risk gate the ExecutionEngine calls for every order before it is journaled and sent.
// Denials are values (a typed reason and a human detail), never exceptions. risk/RiskGuard implements it;
// AllowAllRiskGate is for tests and tools that need no limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/instrument.h"

namespace tradingd {

enum class RiskDenyReason : std::uint8_t {
  CircuitBreakerTripped,
  TradingHalted,             // emergency stop, unreconciled state, or a blocked instrument
  MaxOpenPositions,
  MaxOrderNotional,
  MaxPositionNotional,
  MaxPositionPctEquity,
  MaxGrossExposure,
  MaxLeverage,
  OrderRatePerSecond,
  OrderRatePerDay,
  PriceBand,                 // fat finger: too far from last/mark
  InstrumentRules,           // tick/step/min notional after rounding
  NoReferencePrice,          // cannot value the order (no market data yet)
  SizeRoundsToZero,
  ReduceOnlyWouldIncrease,
  InstrumentBlocked,         // reconciliation found a mismatch; blocked until resolved or acknowledged
  UnknownInstrument,         // the order names no instrument (or one the portfolio does not track)
  SizingUnavailable,         // the sizer lacks an input: equity, a stop-loss, a volatility estimate
  InternalError,             // an invariant broke while checking (fixed-point overflow): fail closed
};
// The number of reasons: per-reason counters are arrays of this size. Keep it next to the last value.
inline constexpr std::size_t kRiskDenyReasonCount = static_cast<std::size_t>(RiskDenyReason::InternalError) + 1;
std::string_view to_string(RiskDenyReason r);

// What the gate lets through. Active: every order that passes the checks. Reducing: only reduce-only
// orders that reduce a position (the circuit breaker is tripped). Halted: nothing (positions unknown:
// before reconciliation, an unreadable journal, a broken invariant).
enum class TradingState : std::uint8_t { Active, Reducing, Halted };
std::string_view to_string(TradingState s);

struct RiskDenial {
  RiskDenyReason reason = RiskDenyReason::TradingHalted;
  std::string detail;  // "notional 12000 > max_order_notional 10000"
};

// What the gate sees of an order about to be sent.
struct OrderIntentView {
  const Instrument* instrument = nullptr;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  Quantity quantity;
  std::optional<Price> price;          // limit price
  std::optional<Price> trigger_price;  // stop price
  bool reduce_only = false;
  StrategyId strategy_id;
  UnixNanos ts_ns = 0;
};

class RiskGate {
 public:
  virtual ~RiskGate() = default;
  virtual std::optional<RiskDenial> check_order(const OrderIntentView& order) = 0;
  // Told after an order passed the check and was handed to the venue (for rate limits).
  virtual void on_order_sent(const OrderIntentView& /*order*/) {}
  // A venue reject or venue error (for the consecutive-reject trip).
  virtual void on_order_rejected(const InstrumentId& /*instrument*/, UnixNanos /*ts_ns*/) {}
  // A venue accepted an order (ends a run of consecutive rejects).
  virtual void on_order_accepted(const InstrumentId& /*instrument*/, UnixNanos /*ts_ns*/) {}
  virtual TradingState trading_state() const { return TradingState::Active; }
};

class AllowAllRiskGate final : public RiskGate {
 public:
  std::optional<RiskDenial> check_order(const OrderIntentView&) override { return std::nullopt; }
};

}  // namespace tradingd
