// Position sizing: turns a signal's size request (a quantity, a notional, or "use the sizer") into an
// order quantity on the venue's step. Sizer methods: fixed quantity, fixed notional, percent of equity,
// risk per trade (equity × risk_pct lost if the stop-loss hits), volatility-scaled. Pure.
// Invariants: the result is a positive multiple of the step (market step for market orders), computed
// sizes never exceed the order / position notional limits or the instrument's maximum; a size that rounds
// to zero is a typed rejection (SizeRoundsToZero), never a zero-quantity order.
#pragma once

#include <optional>
#include <string_view>

#include "config/config.h"
#include "core/fixed_point.h"
#include "core/instrument.h"
#include "core/result.h"
#include "risk/risk_gate.h"

namespace tradingd {

struct SizeRequest {
  std::optional<Quantity> quantity;  // the signal's own quantity: rounded to the step, not clamped
  std::optional<Money> notional;     // the signal's own notional: converted, clamped, rounded
  // Neither: the configured sizer decides.
};

struct SizingInput {
  const Instrument* instrument = nullptr;
  Side side = Side::Buy;
  bool is_market = true;
  Price entry_price;                // limit price, or the reference price for market orders
  std::optional<Price> stop_loss;   // risk_per_trade needs it
  Money equity;                     // current portfolio equity
  Quantity position;                // current signed position
  // Volatility of returns over the sizing horizon as a fraction (0.02 = 2%): a statistic, hence double.
  std::optional<double> volatility;
};

// Zero disables a limit (as in RiskConfig).
struct SizingLimits {
  Money max_order_notional;
  Money max_position_notional;
  Rate max_position_pct_equity;  // percent
  static SizingLimits from(const config::RiskConfig& risk);
};

struct SizingResult {
  Quantity quantity;
  // Non-empty when a limit made the order smaller than the method asked: "max_order_notional" etc.
  std::string_view clamped_by;
};

// Never throws: a fixed-point overflow becomes an InternalError denial.
Result<SizingResult, RiskDenial> size_order(const config::SizingConfig& config, const SizingLimits& limits,
                                            const SizeRequest& request, const SizingInput& input);

// How many units (contracts) a notional buys at a price, rounded down: notional / (price × multiplier).
Quantity quantity_for_notional(const Instrument& inst, Money notional, Price price);

}  // namespace tradingd
