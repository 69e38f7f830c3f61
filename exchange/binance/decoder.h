// Binance feed decoder (spot or USD-M, by the connection's kind): BinanceParser plus one spot or USD-M
// book synchroniser per instrument. Depth diffs are buffered until on_book_snapshot() gets the REST depth
// snapshot the listener was asked for (SyncStatus::NeedSnapshot).
#pragma once

#include <memory>
#include <vector>

#include "exchange/binance/parse.h"
#include "exchange/book/binance_book_sync.h"
#include "exchange/decoder.h"

namespace tradingd {

class BinanceDecoder final : public FeedDecoder {
 public:
  BinanceDecoder(MarketKind kind, const InstrumentLookup& lookup, DecoderListener& listener);

  Venue venue() const override { return Venue::Binance; }
  void on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity = 0) override;
  void on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) override;
  // Binance resyncs by snapshot alone; nothing to reset.
  void reset_book(const InstrumentId& /*instrument*/) override {}
  const OrderBook* book(const InstrumentId& instrument) const override;
  const BookSyncStats* book_stats(const InstrumentId& instrument) const override;

 private:
  BinanceBookSync& sync_for(const InstrumentId& instrument);
  BinanceBookSync* find(const InstrumentId& instrument) const;
  void report(const InstrumentId& instrument, const SyncResult& result, UnixNanos ts_recv_ns);

  BinanceParser parser_;
  const InstrumentLookup& lookup_;
  DecoderListener& listener_;
  std::vector<std::unique_ptr<BinanceBookSync>> syncs_;
};

}  // namespace tradingd
