// OKX v5 public wire types. Order-book pushes (books, books5, books50-l2-tbt, books-l2-tbt) keep seqId /
// prevSeqId (absent in recordings made before OKX added them) and the CRC32 checksum, which is computed
// over the venue's own price/size strings: those are kept as views next to the parsed levels. Spans
// point into the parser's buffers (and the frame) until its next call.
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

enum class OkxBookChannel : std::uint8_t {
  Books,         // 400 levels, snapshot then deltas every 100 ms
  Books5,        // 5 levels, a full book each push
  Books50L2Tbt,  // 50 levels, tick by tick (VIP)
  BooksL2Tbt,    // 400 levels, tick by tick (VIP)
};
// The number of levels the channel maintains.
constexpr std::size_t depth_of(OkxBookChannel c) {
  return c == OkxBookChannel::Books5 ? 5 : c == OkxBookChannel::Books50L2Tbt ? 50 : 400;
}

struct OkxBook {
  InstrumentId instrument;
  OkxBookChannel channel = OkxBookChannel::Books;
  bool is_snapshot = false;  // action "snapshot" (books5 is always a snapshot)
  std::optional<std::int64_t> seq_id;
  std::optional<std::int64_t> prev_seq_id;  // -1 on snapshots
  std::int32_t checksum = 0;                // 0: not sent / deprecated (production since 2026-06-23)
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  // The original strings of the levels whose text is not canonical (usually none): see BookLevelText.
  std::span<const BookLevelText> bid_texts;
  std::span<const BookLevelText> ask_texts;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

struct OkxTrades {
  std::span<const TradeTick> trades;
};

struct OkxCandles {
  std::span<const Bar> bars;
};

// bbo-tbt parses into QuoteTick; mark-price into MarkPriceUpdate (index_price zero: OKX sends the index on
// its own channel); funding-rate into FundingRateUpdate (next_funding_ns = fundingTime, when the rate is
// charged).
using OkxMessage = std::variant<OkxBook, OkxTrades, OkxCandles, QuoteTick, MarkPriceUpdate, FundingRateUpdate, ControlMessage>;

}  // namespace tradingd
