// Binance parsers (spot and USD-M), pure: bytes in, a wire message or a typed ParseError out, never an
// exception. The WebSocket parser keeps its simdjson parser and level buffers between calls so the hot path
// allocates nothing once warmed up; returned spans point into those buffers until the next call.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/instrument.h"
#include "core/result.h"
#include "exchange/binance/messages.h"
#include "exchange/instrument_lookup.h"
#include "exchange/parse_types.h"

namespace tradingd {

class BinanceParser {
 public:
  // kind: the connection's market (spot stream host or USD-M), which names the instruments.
  explicit BinanceParser(MarketKind kind);
  ~BinanceParser();
  BinanceParser(const BinanceParser&) = delete;
  BinanceParser& operator=(const BinanceParser&) = delete;

  MarketKind kind() const { return kind_; }

  // One WebSocket text frame, raw (`/ws/<stream>`) or combined (`{"stream":..,"data":{..}}`): trade,
  // aggTrade, bookTicker, depthUpdate, kline, markPriceUpdate, or a control reply/notice. When the
  // caller's buffer has kParsePadding spare bytes past the frame, pass its capacity to skip a copy.
  Result<BinanceMessage, ParseError> parse(std::string_view frame, const InstrumentLookup& lookup,
                                           UnixNanos ts_recv_ns, std::size_t buffer_capacity = 0);

  // A REST depth snapshot body for `instrument` (the response does not name its symbol).
  Result<BinanceDepthSnapshot, ParseError> parse_depth_snapshot(std::string_view body, const InstrumentId& instrument,
                                                                UnixNanos ts_recv_ns);

 private:
  struct Impl;
  MarketKind kind_;
  std::unique_ptr<Impl> impl_;
};

// REST `exchangeInfo` → the instruments of one market: spot symbols in status TRADING, or USD-M
// PERPETUAL contracts in status TRADING (quarterlies are skipped). Tick/step/min/max from PRICE_FILTER
// and LOT_SIZE, market step from MARKET_LOT_SIZE, min notional from MIN_NOTIONAL/NOTIONAL.
Result<std::vector<Instrument>, ParseError> parse_binance_exchange_info(std::string_view body, MarketKind kind);

}  // namespace tradingd
