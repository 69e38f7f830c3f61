// OKX v5 parsers, pure: bytes in, a wire message or a typed ParseError out, never an exception. The
// WebSocket parser reuses its simdjson parser and buffers (no allocation per message once warm); returned
// spans are valid until its next call. Instrument kinds come from the instId (`-SWAP` = perpetual).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/instrument.h"
#include "core/result.h"
#include "exchange/instrument_lookup.h"
#include "exchange/okx/messages.h"
#include "exchange/parse_types.h"

namespace tradingd {

class OkxParser {
 public:
  OkxParser();
  ~OkxParser();
  OkxParser(const OkxParser&) = delete;
  OkxParser& operator=(const OkxParser&) = delete;

  // One WebSocket frame of the public or business connection: books*, bbo-tbt, trades, candle*,
  // mark-price, funding-rate, an event reply (subscribe, error, login, notice) or the text "pong".
  Result<OkxMessage, ParseError> parse(std::string_view frame, const InstrumentLookup& lookup, UnixNanos ts_recv_ns,
                                       std::size_t buffer_capacity = 0);

  // REST `GET /api/v5/market/books` for `instrument` → a snapshot (seqId when the venue sends it).
  Result<OkxBook, ParseError> parse_books_snapshot(std::string_view body, const InstrumentId& instrument,
                                                   UnixNanos ts_recv_ns);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The market kind an OKX instId names: "BTC-USDT-SWAP" is a perpetual, "BTC-USDT" spot.
MarketKind okx_market_kind(std::string_view inst_id);

// REST `public/instruments` → live instruments: SPOT as listed; SWAP linear contracts only (inverse
// skipped), quantities in contracts with contract_multiplier = ctVal × ctMult.
Result<std::vector<Instrument>, ParseError> parse_okx_instruments(std::string_view body);

}  // namespace tradingd
