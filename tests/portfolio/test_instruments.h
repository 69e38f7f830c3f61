// Instruments and fill builders shared by the portfolio and risk tests: Binance spot BTCUSDT, Bybit linear
// BTCUSDT, OKX BTC-USDT-SWAP (0.01 BTC per contract), with rules close to the venues' published ones.
#pragma once

#include <string_view>

#include "core/fixed_point.h"
#include "core/instrument.h"
#include "exchange/execution_venue.h"

namespace tradingd::test {

inline Price P(std::string_view s) { return Price::from_string(s); }
inline Quantity Q(std::string_view s) { return Quantity::from_string(s); }
inline Money M(std::string_view s) { return Money::from_string(s); }
inline Rate R(std::string_view s) { return Rate::from_string(s); }

inline Instrument spot_btcusdt(Venue venue = Venue::Binance) {
  Instrument i;
  i.id = {venue, MarketKind::Spot, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = P("0.01");
  i.step_size = Q("0.00001");
  i.min_quantity = Q("0.00001");
  i.min_notional = M("5");
  i.maker_fee = R("0.001");
  i.taker_fee = R("0.001");
  return i;
}

inline Instrument spot_ethusdt(Venue venue = Venue::Binance) {
  Instrument i = spot_btcusdt(venue);
  i.id.symbol = Symbol::from("ETHUSDT");
  i.base = Asset::from("ETH");
  i.step_size = Q("0.0001");
  i.min_quantity = Q("0.0001");
  return i;
}

inline Instrument perp_btcusdt(Venue venue = Venue::Bybit) {
  Instrument i;
  i.id = {venue, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = P("0.1");
  i.step_size = Q("0.001");
  i.min_quantity = Q("0.001");
  i.max_quantity = Q("100");
  i.min_notional = M("5");
  i.maker_fee = R("0.0002");
  i.taker_fee = R("0.00055");
  i.max_leverage = 100;
  return i;
}

inline Instrument perp_named(std::string_view symbol, Venue venue = Venue::Bybit) {
  Instrument i = perp_btcusdt(venue);
  i.id.symbol = Symbol::from(symbol);
  i.base = Asset::from(symbol.substr(0, symbol.size() - 4));
  return i;
}

inline Instrument okx_btc_swap() {
  Instrument i;
  i.id = {Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = P("0.1");
  i.step_size = Q("1");
  i.min_quantity = Q("1");
  i.contract_multiplier = Q("0.01");
  i.max_leverage = 100;
  return i;
}

inline OrderFilled fill(const Instrument& inst, std::string_view trade_id, Side side, std::string_view qty,
                        std::string_view price, std::string_view fee = "0", std::string_view fee_asset = "",
                        UnixNanos ts_ns = 0) {
  OrderFilled f;
  f.instrument = inst.id;
  f.trade_id = TradeId::from(trade_id);
  f.side = side;
  f.last_quantity = Q(qty);
  f.last_price = P(price);
  f.fee = M(fee);
  f.fee_asset = Asset::from(fee_asset.empty() ? inst.quote.view() : fee_asset);
  f.ts_event_ns = ts_ns;
  return f;
}

}  // namespace tradingd::test
