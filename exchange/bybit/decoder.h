// Bybit feed decoder (spot or linear connection): BybitParser plus one synchroniser per (instrument,
// orderbook depth), since orderbook.1 and orderbook.50 of one symbol are separate books. Best bid/ask
// comes from orderbook.1 (spot tickers carry none): each applied depth-1 message also emits a QuoteTick.
// Linear tickers deltas are merged before mark price and funding rate are emitted.
#pragma once

#include <memory>
#include <vector>

#include "exchange/book/bybit_book_sync.h"
#include "exchange/bybit/parse.h"
#include "exchange/decoder.h"

namespace tradingd {

class BybitDecoder final : public FeedDecoder {
 public:
  BybitDecoder(MarketKind kind, const InstrumentLookup& lookup, DecoderListener& listener);

  Venue venue() const override { return Venue::Bybit; }
  void on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity = 0) override;
  // A REST `/v5/market/orderbook` body; it resets the instrument's deepest book.
  void on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) override;
  void reset_book(const InstrumentId& instrument) override;
  const OrderBook* book(const InstrumentId& instrument) const override;
  const BookSyncStats* book_stats(const InstrumentId& instrument) const override;

 private:
  struct Entry {
    std::uint32_t depth;
    std::unique_ptr<BybitBookSync> sync;
  };
  BybitBookSync& sync_for(const InstrumentId& instrument, std::uint32_t depth);
  const Entry* deepest(const InstrumentId& instrument) const;
  void on_book(const BybitOrderbook& ob, UnixNanos ts_recv_ns);

  BybitParser parser_;
  const InstrumentLookup& lookup_;
  DecoderListener& listener_;
  BybitTickerCache tickers_;
  std::vector<Entry> syncs_;
};

}  // namespace tradingd
