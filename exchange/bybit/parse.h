// Bybit v5 parsers, pure: bytes in, a wire message or a typed ParseError out, never an exception. The
// WebSocket parser reuses its simdjson parser and buffers (no allocation per message once warm); returned
// spans are valid until its next call.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/instrument.h"
#include "core/result.h"
#include "exchange/bybit/messages.h"
#include "exchange/instrument_lookup.h"
#include "exchange/parse_types.h"

namespace tradingd {

class BybitParser {
 public:
  // kind: the connection's category (/v5/public/spot or /v5/public/linear).
  explicit BybitParser(MarketKind kind);
  ~BybitParser();
  BybitParser(const BybitParser&) = delete;
  BybitParser& operator=(const BybitParser&) = delete;

  MarketKind kind() const { return kind_; }

  // One public WebSocket frame: orderbook.N, publicTrade, kline, tickers, or a control reply (subscribe
  // ack/failure, pong).
  Result<BybitMessage, ParseError> parse(std::string_view frame, const InstrumentLookup& lookup, UnixNanos ts_recv_ns,
                                         std::size_t buffer_capacity = 0);

  // REST `GET /v5/market/orderbook` → a snapshot (depth 0: the REST limit is not echoed).
  Result<BybitOrderbook, ParseError> parse_orderbook_snapshot(std::string_view body, const InstrumentLookup& lookup,
                                                              UnixNanos ts_recv_ns);

 private:
  struct Impl;
  MarketKind kind_;
  std::unique_ptr<Impl> impl_;
};

// Merges linear `tickers` deltas (missing field = unchanged) into the last known values per instrument.
class BybitTickerCache {
 public:
  // The ticker with every field filled from earlier messages where this one omits it.
  BybitTicker merge(const BybitTicker& ticker);

 private:
  std::vector<BybitTicker> last_;
};

// REST `instruments-info` for one category → instruments in status Trading (linear: LinearPerpetual only).
// next_page_cursor receives `nextPageCursor` (empty on the last page).
Result<std::vector<Instrument>, ParseError> parse_bybit_instruments(std::string_view body, MarketKind kind,
                                                                    std::string* next_page_cursor = nullptr);

}  // namespace tradingd
