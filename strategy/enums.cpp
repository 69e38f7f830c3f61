// Names of the strategy contract's enumerations (logs and the protocol use them).
#include "strategy/strategy.h"

namespace tradingd {

std::string_view to_string(StrategyLogLevel l) {
  switch (l) {
    case StrategyLogLevel::Debug: return "debug";
    case StrategyLogLevel::Info: return "info";
    case StrategyLogLevel::Warn: return "warn";
    case StrategyLogLevel::Error: return "error";
  }
  return "?";
}

std::string_view to_string(SubmitRejectKind k) {
  switch (k) {
    case SubmitRejectKind::InvalidSignal: return "invalid_signal";
    case SubmitRejectKind::RiskDenied: return "risk_denied";
    case SubmitRejectKind::TradingHalted: return "trading_halted";
    case SubmitRejectKind::Internal: return "internal";
  }
  return "?";
}

std::string_view to_string(CancelOutcome o) {
  switch (o) {
    case CancelOutcome::Requested: return "requested";
    case CancelOutcome::NotOpen: return "not_open";
    case CancelOutcome::UnknownOrder: return "unknown_order";
  }
  return "?";
}

}  // namespace tradingd
