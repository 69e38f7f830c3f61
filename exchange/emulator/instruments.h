// The emulator's instrument catalogue: what each venue lists by default (BTC and ETH, spot and USD(T)-margined
// perpetual) with rules like the real ones. Pure data; the market walk and the payload builders read it.
#pragma once

#include <string>
#include <vector>

#include "core/enums.h"
#include "core/fixed_point.h"

namespace tradingd::emulator {

struct InstrumentSpec {
  Venue venue = Venue::Binance;
  MarketKind kind = MarketKind::Spot;
  std::string symbol;  // the venue's id: "BTCUSDT", "BTC-USDT-SWAP"
  std::string base;    // BTC
  std::string quote;   // USDT
  std::string settle;  // perps: USDT; spot: empty
  Price tick_size;
  Quantity step_size;  // venue units (contracts for OKX swaps)
  Quantity min_qty;
  Quantity max_qty;
  Quantity max_market_qty;
  Money min_notional;
  Quantity contract_value = Quantity::from_units(1);  // OKX SWAP ctVal (base per contract)
  Price min_price;
  Price max_price;
  int max_leverage = 1;
  // Formatting: how many decimals the venue prints for prices and sizes of this instrument.
  int price_decimals = 2;
  int qty_decimals = 3;
  // The walk: starting price and the usual size of one book level (venue units).
  Price start_price;
  Quantity level_qty;

  bool is_perp() const { return kind == MarketKind::LinearPerp; }
};

// The default catalogue for one venue: 2 spot and 2 perpetual instruments.
std::vector<InstrumentSpec> default_instruments(Venue venue);

}  // namespace tradingd::emulator
