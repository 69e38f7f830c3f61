// Signal: what a strategy (or the control API) asks for, and validate_signal(), which turns it into an
// OrderSpec or a typed rejection. Validation never throws (a fixed-point overflow becomes the Overflow
// reason) and never rounds silently: RoundingPolicy says whether off-tick/off-step values are rounded
// (and in which direction, documented below) or rejected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/instrument.h"
#include "core/result.h"
#include "execution/order_spec.h"

namespace tradingd {

struct Signal {
  InstrumentId instrument;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  // Exactly one of quantity (base units / contracts) and notional (quote) is set.
  std::optional<Quantity> quantity;
  std::optional<Money> notional;
  std::optional<Price> limit_price;  // Limit, StopLimit
  std::optional<Price> stop_price;   // StopMarket, StopLimit
  TimeInForce time_in_force = TimeInForce::Gtc;
  bool reduce_only = false;
  std::optional<Price> stop_loss;
  std::optional<Price> take_profit;
  // Last/mark price when the signal was made: sizes notional market orders, checks their min notional,
  // checks SL/TP sides, and is the reference for slippage.
  std::optional<Price> reference_price;
  std::int64_t ttl_ms = 0;  // > 0: the order is canceled this long after validation (good-till-date)
  StrategyId strategy_id;
  OrderTag tag;
};

enum class SignalRejectReason : std::uint8_t {
  UnknownInstrument,
  MissingSize,           // neither quantity nor notional
  AmbiguousSize,         // both quantity and notional
  QuantityNotPositive,
  NotionalNotPositive,
  MissingLimitPrice,
  UnexpectedLimitPrice,  // market/stop-market with a limit price
  MissingStopPrice,
  UnexpectedStopPrice,
  PriceNotPositive,
  PriceNotOnTick,        // after rounding (RoundingPolicy::round_prices = false: as given)
  QuantityNotOnStep,
  QuantityBelowMinimum,
  QuantityAboveMaximum,
  NotionalBelowMinimum,
  SizeRoundsToZero,
  NoReferencePrice,      // a notional market order needs a price to size it
  InvalidTimeInForce,    // post-only on anything but a limit order
  InvalidTtl,
  BracketOnReduceOnly,   // stop-loss/take-profit on a closing order
  StopLossWrongSide,     // buy: below the entry price; sell: above
  TakeProfitWrongSide,   // buy: above the entry price; sell: below
  Overflow,              // a value outside the fixed-point range
};
std::string_view to_string(SignalRejectReason r);

struct SignalRejection {
  SignalRejectReason reason = SignalRejectReason::UnknownInstrument;
  std::string detail;
};

// Rounding is opt-in. Directions when on: limit prices toward the passive side (buy down, sell up: never
// a worse price than asked); stop prices away from the market (buy up, sell down: never triggers earlier
// than asked); stop-loss/take-profit to the nearest tick; quantities always down (never more than asked).
// A notional is converted to a quantity by rounding down to the step whatever the policy says.
struct RoundingPolicy {
  bool round_prices = false;
  bool round_quantity = false;
};

// now_ns: validation time, the start of the TTL.
Result<OrderSpec, SignalRejection> validate_signal(const Signal& signal, const Instrument* instrument,
                                                   const RoundingPolicy& rounding, UnixNanos now_ns);

}  // namespace tradingd
