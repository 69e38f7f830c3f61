// Bybit v5 public wire types. `orderbook.{depth}.{symbol}` keeps the venue's update id `u` and cross
// sequence `seq` for the synchroniser; `tickers` (linear) arrives as a snapshot then deltas that omit
// unchanged fields, so every field is optional here and BybitTickerCache merges them. Trades and klines
// parse straight into normalised events. Spans point into the parser's buffers until its next call.
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

struct BybitOrderbook {
  InstrumentId instrument;
  std::uint32_t depth = 0;  // N of orderbook.N (1, 50, 200, 1000); 0 for a REST snapshot
  bool is_snapshot = false;
  std::uint64_t update_id = 0;  // u; 1 after a service restart
  std::uint64_t cross_seq = 0;  // seq, comparable across depths
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  UnixNanos ts_event_ns = 0;  // cts (matching engine) when sent, else ts
  UnixNanos ts_recv_ns = 0;
};

struct BybitTrades {
  std::span<const TradeTick> trades;  // oldest first
};

struct BybitKlines {
  std::span<const Bar> bars;
};

struct BybitTicker {
  InstrumentId instrument;
  bool is_snapshot = false;
  std::optional<Price> mark_price;
  std::optional<Price> index_price;
  std::optional<Rate> funding_rate;
  std::optional<UnixNanos> next_funding_ns;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

using BybitMessage = std::variant<BybitOrderbook, BybitTrades, BybitKlines, BybitTicker, ControlMessage>;

}  // namespace tradingd
