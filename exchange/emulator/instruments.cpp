// Default instruments, with tick/step/minimums copied from the venues' published rules (see the fixtures in
// ../shared/fixtures/*/rest_response/*instruments*, *exchange_info*): exact decimals, never doubles.
#include "exchange/emulator/instruments.h"

namespace tradingd::emulator {
namespace {
Price px(const char* s) { return Price::from_string(s); }
Quantity qt(const char* s) { return Quantity::from_string(s); }
Money mn(const char* s) { return Money::from_string(s); }

InstrumentSpec make(Venue v, MarketKind k, const char* sym, const char* base, const char* quote, const char* tick,
                    const char* step, const char* min_qty, const char* max_qty, const char* max_mkt,
                    const char* min_notional, const char* start, const char* level_qty, int pdec, int qdec) {
  InstrumentSpec s;
  s.venue = v;
  s.kind = k;
  s.symbol = sym;
  s.base = base;
  s.quote = quote;
  s.settle = k == MarketKind::LinearPerp ? quote : "";
  s.tick_size = px(tick);
  s.step_size = qt(step);
  s.min_qty = qt(min_qty);
  s.max_qty = qt(max_qty);
  s.max_market_qty = qt(max_mkt);
  s.min_notional = mn(min_notional);
  s.start_price = px(start);
  s.level_qty = qt(level_qty);
  s.price_decimals = pdec;
  s.qty_decimals = qdec;
  s.min_price = s.tick_size;
  s.max_price = px("1000000");
  s.max_leverage = k == MarketKind::LinearPerp ? 100 : 1;
  return s;
}
}  // namespace

std::vector<InstrumentSpec> default_instruments(Venue venue) {
  using enum MarketKind;
  std::vector<InstrumentSpec> out;
  switch (venue) {
    case Venue::Binance: {
      // Spot: 8-decimal strings everywhere (tick 0.01, step 1e-5 / 1e-4), NOTIONAL minimum 5 USDT.
      out.push_back(make(venue, Spot, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", "0.00001", "9000", "112.2", "5",
                         "60000", "0.05", 8, 8));
      out.push_back(make(venue, Spot, "ETHUSDT", "ETH", "USDT", "0.01", "0.0001", "0.0001", "9000", "1630", "5",
                         "3000", "0.8", 8, 8));
      // USD-M: pricePrecision/quantityPrecision decide the printed decimals (BTC tick 0.10, step 0.001).
      auto btc = make(venue, LinearPerp, "BTCUSDT", "BTC", "USDT", "0.10", "0.001", "0.001", "1000", "120", "100",
                      "60010", "0.4", 2, 3);
      btc.min_price = px("556.80");
      btc.max_price = px("4529764");
      out.push_back(btc);
      auto eth = make(venue, LinearPerp, "ETHUSDT", "ETH", "USDT", "0.01", "0.001", "0.001", "10000", "2000", "20",
                      "3001", "5", 2, 3);
      eth.min_price = px("39.86");
      eth.max_price = px("306177");
      out.push_back(eth);
      break;
    }
    case Venue::Bybit: {
      out.push_back(make(venue, Spot, "BTCUSDT", "BTC", "USDT", "0.1", "0.000001", "0.000048", "71.73956243",
                         "4.18966808", "5", "60005", "0.05", 1, 6));
      out.push_back(make(venue, Spot, "ETHUSDT", "ETH", "USDT", "0.01", "0.00001", "0.00062", "1229.2336343",
                         "200.1138", "5", "3000.5", "0.8", 2, 5));
      auto btc = make(venue, LinearPerp, "BTCUSDT", "BTC", "USDT", "0.10", "0.001", "0.001", "1190", "119", "5",
                      "60015", "0.4", 2, 3);
      btc.min_price = px("0.10");
      btc.max_price = px("1999999.80");
      out.push_back(btc);
      auto eth = make(venue, LinearPerp, "ETHUSDT", "ETH", "USDT", "0.01", "0.01", "0.01", "7240", "724", "5",
                      "3001.5", "5", 2, 2);
      eth.min_price = px("0.01");
      eth.max_price = px("199999.98");
      out.push_back(eth);
      break;
    }
    case Venue::Okx: {
      out.push_back(make(venue, Spot, "BTC-USDT", "BTC", "USDT", "0.1", "0.00000001", "0.00001", "9000000000",
                         "1000000", "0", "60002", "0.05", 1, 8));
      out.push_back(make(venue, Spot, "ETH-USDT", "ETH", "USDT", "0.01", "0.000001", "0.0001", "9000000000",
                         "1000000", "0", "3000.2", "0.8", 2, 6));
      // SWAP sizes are contracts: BTC ctVal 0.01 BTC, ETH ctVal 0.1 ETH; lot 0.01 contracts.
      auto btc = make(venue, LinearPerp, "BTC-USDT-SWAP", "BTC", "USDT", "0.1", "0.01", "0.01", "100000000", "12000",
                      "0", "60012", "40", 1, 2);
      btc.contract_value = qt("0.01");
      out.push_back(btc);
      auto eth = make(venue, LinearPerp, "ETH-USDT-SWAP", "ETH", "USDT", "0.01", "0.01", "0.01", "100000000",
                      "20000", "0", "3001.2", "50", 2, 2);
      eth.contract_value = qt("0.1");
      out.push_back(eth);
      break;
    }
    case Venue::Simulated:
      break;
  }
  return out;
}

}  // namespace tradingd::emulator
