// An instrument's trading rules as the venue publishes them (tick, step, minimums, contract size), and the
// exact checks and rounding every order must pass. Loaded from the venue (exchange/) or from config.
#pragma once

#include <optional>
#include <string>

#include "core/fixed_point.h"
#include "core/ids.h"

namespace tradingd {

using Asset = InlineString<15>;  // "BTC", "USDT"

struct Instrument {
  InstrumentId id;
  Asset base;    // BTC
  Asset quote;   // USDT: the asset prices, notional and (by default) fees are in
  Asset settle;  // perpetuals: the margin/settlement asset; spot: quote
  Price tick_size;
  Quantity step_size;
  Quantity min_quantity;
  Quantity max_quantity;      // zero: no limit
  Money min_notional;         // zero: no limit
  Quantity market_step_size;  // zero: same as step_size (Binance MARKET_LOT_SIZE)
  // Linear perps quoted in contracts (OKX SWAP): base units per contract (BTC-USDT-SWAP: 0.01). Quantities
  // are always in the venue's unit (contracts for OKX swaps); notional = price × quantity × multiplier.
  Quantity contract_multiplier = Quantity::from_units(1);
  Rate maker_fee;  // default fee rates (config may override per instrument)
  Rate taker_fee;
  int max_leverage = 1;

  Price round_price(Price p, Rounding mode) const { return tick_size.is_positive() ? p.round_to(tick_size, mode) : p; }
  Quantity round_quantity(Quantity q, Rounding mode = Rounding::Down) const {
    return step_size.is_positive() ? q.round_to(step_size, mode) : q;
  }
  Money notional_of(Price p, Quantity q) const {
    const Money n = notional(p, q, Rounding::Nearest);
    return contract_multiplier == Quantity::from_units(1) ? n : fixed_mul<Money>(n, contract_multiplier, Rounding::Nearest);
  }
  bool is_perpetual() const { return id.kind == MarketKind::LinearPerp; }
};

// Why an order breaks the instrument's rules; each maps to the venue's own reject reason.
enum class InstrumentRuleViolation : std::uint8_t {
  PriceNotOnTick,
  PriceNotPositive,
  QuantityNotOnStep,
  QuantityNotPositive,
  QuantityBelowMinimum,
  QuantityAboveMaximum,
  NotionalBelowMinimum,
};
std::string_view to_string(InstrumentRuleViolation v);

// Checks quantity (and price when given; market orders pass their reference price for the notional check).
std::optional<InstrumentRuleViolation> check_rules(const Instrument& inst, std::optional<Price> price, Quantity qty,
                                                   bool is_market);

}  // namespace tradingd
