// Shared fixtures for the execution tests: an instrument, specs and venue events in one line each.
#pragma once

#include <string>

#include "core/instrument.h"
#include "exchange/execution_venue.h"
#include "execution/order_spec.h"

namespace tradingd::test {

inline InstrumentId btc(Venue v = Venue::Binance) { return InstrumentId{v, MarketKind::Spot, Symbol::from("BTCUSDT")}; }

inline Instrument btc_instrument(Venue v = Venue::Binance) {
  Instrument i;
  i.id = btc(v);
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.001");
  i.min_quantity = Quantity::from_string("0.001");
  i.min_notional = Money::from_string("5");
  return i;
}

inline Price px(const char* s) { return Price::from_string(s); }
inline Quantity qty(const char* s) { return Quantity::from_string(s); }
inline Money money(const char* s) { return Money::from_string(s); }

inline OrderSpec limit_spec(Side side, const char* q, const char* p, Venue v = Venue::Binance) {
  OrderSpec s;
  s.instrument = btc(v);
  s.side = side;
  s.type = OrderType::Limit;
  s.quantity = qty(q);
  s.price = px(p);
  s.strategy_id = StrategyId::from("test");
  return s;
}

inline OrderFilled fill_event(const ClientOrderId& cid, const char* trade, Side side, const char* q, const char* p,
                              const char* fee = "0", const char* fee_asset = "USDT", Venue v = Venue::Binance) {
  OrderFilled f;
  f.instrument = btc(v);
  f.client_order_id = cid;
  f.venue_order_id = VenueOrderId::from("V1");
  f.trade_id = TradeId::from(trade);
  f.side = side;
  f.last_quantity = qty(q);
  f.last_price = px(p);
  f.fee = money(fee);
  f.fee_asset = Asset::from(fee_asset);
  f.liquidity = LiquiditySide::Maker;
  f.ts_event_ns = 1;
  return f;
}

}  // namespace tradingd::test

#include <filesystem>
#include <random>

namespace tradingd::test {

// A fresh directory under the system temp dir, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("tradingd-exec-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const char* name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace tradingd::test

#include <fstream>
#include <sstream>

namespace tradingd::test {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace tradingd::test
