// The pre-trade risk gate the ExecutionEngine calls for every order before it is journaled and sent.
// Denials are values (a typed reason and a human detail), never exceptions. risk/RiskGuard implements it;
// AllowAllRiskGate is for tests and tools that need no limits.
#pragma once

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
};
std::string_view to_string(RiskDenyReason r);

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
};

class AllowAllRiskGate final : public RiskGate {
 public:
  std::optional<RiskDenial> check_order(const OrderIntentView&) override { return std::nullopt; }
};

}  // namespace tradingd
