// Binance wire types (spot and USD-M) that carry more than a normalised event: depth diffs and REST
// snapshots keep the venue's update ids the synchroniser needs. Trades, book tickers and klines parse
// straight into the normalised TradeTick/QuoteTick/Bar. Level spans point into the parser's reusable
// buffers: valid until its next parse call.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <variant>

#include "core/clock.h"
#include "core/ids.h"
#include "exchange/market_data.h"
#include "exchange/parse_types.h"

namespace tradingd {

// `depthUpdate` (spot `<sym>@depth[@100ms]`, USD-M `<sym>@depth[@100ms|@500ms]`).
struct BinanceDepthUpdate {
  InstrumentId instrument;
  std::uint64_t first_update_id = 0;  // U
  std::uint64_t final_update_id = 0;  // u
  // pu: USD-M only, the previous event's u; its presence selects the USD-M chaining rule.
  std::optional<std::uint64_t> prev_final_update_id;
  std::span<const BookLevel> bids;  // absolute sizes; zero removes the level
  std::span<const BookLevel> asks;
  UnixNanos ts_event_ns = 0;  // E
  UnixNanos ts_recv_ns = 0;
};

// REST `GET /api/v3/depth` or `/fapi/v1/depth` (the response carries no symbol: the caller names it).
struct BinanceDepthSnapshot {
  InstrumentId instrument;
  std::uint64_t last_update_id = 0;
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  UnixNanos ts_event_ns = 0;  // E (USD-M only; 0 for spot)
  UnixNanos ts_recv_ns = 0;
};

// `markPriceUpdate` (USD-M): the mark price and, for perpetuals, the funding rate due at T.
struct BinanceMarkPrice {
  MarkPriceUpdate mark;
  std::optional<FundingRateUpdate> funding;  // absent when `r` is empty (delivery contracts)
};

using BinanceMessage = std::variant<TradeTick, QuoteTick, BinanceDepthUpdate, Bar, BinanceMarkPrice, ControlMessage>;

}  // namespace tradingd
