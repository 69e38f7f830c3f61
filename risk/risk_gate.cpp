// Names of the risk deny reasons (the `reason` label of tradingd_risk_rejections_total) and trading states.
#include "risk/risk_gate.h"

namespace tradingd {

std::string_view to_string(RiskDenyReason r) {
  switch (r) {
    case RiskDenyReason::CircuitBreakerTripped: return "circuit_breaker_tripped";
    case RiskDenyReason::TradingHalted: return "trading_halted";
    case RiskDenyReason::MaxOpenPositions: return "max_open_positions";
    case RiskDenyReason::MaxOrderNotional: return "max_order_notional";
    case RiskDenyReason::MaxPositionNotional: return "max_position_notional";
    case RiskDenyReason::MaxPositionPctEquity: return "max_position_pct_equity";
    case RiskDenyReason::MaxGrossExposure: return "max_gross_exposure";
    case RiskDenyReason::MaxLeverage: return "max_leverage";
    case RiskDenyReason::OrderRatePerSecond: return "order_rate_per_second";
    case RiskDenyReason::OrderRatePerDay: return "order_rate_per_day";
    case RiskDenyReason::PriceBand: return "price_band";
    case RiskDenyReason::InstrumentRules: return "instrument_rules";
    case RiskDenyReason::NoReferencePrice: return "no_reference_price";
    case RiskDenyReason::SizeRoundsToZero: return "size_rounds_to_zero";
    case RiskDenyReason::ReduceOnlyWouldIncrease: return "reduce_only_would_increase";
    case RiskDenyReason::InstrumentBlocked: return "instrument_blocked";
    case RiskDenyReason::UnknownInstrument: return "unknown_instrument";
    case RiskDenyReason::SizingUnavailable: return "sizing_unavailable";
    case RiskDenyReason::InternalError: return "internal_error";
  }
  return "unknown";
}

std::string_view to_string(TradingState s) {
  switch (s) {
    case TradingState::Active: return "active";
    case TradingState::Reducing: return "reducing";
    case TradingState::Halted: return "halted";
  }
  return "unknown";
}

}  // namespace tradingd
