// A venue's pure feed decoder: raw WebSocket frames in, normalised events out (to a MarketDataSink), through
// the venue's parser and one book synchroniser per instrument. The live feed handler and `tradingd replay`
// both drive this, so a recording replays through exactly the code that ran live. What is not market data
// (acks, pongs, notices), rejected frames and synchroniser reports (gap, checksum failure: resync now) go
// to the DecoderListener's extra callbacks. Never throws; no I/O; single-threaded like the event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/clock.h"
#include "core/ids.h"
#include "exchange/book/book_sync.h"
#include "exchange/book/order_book.h"
#include "exchange/instrument_lookup.h"
#include "exchange/market_data.h"
#include "exchange/parse_types.h"

namespace tradingd {

class DecoderListener : public MarketDataSink {
 public:
  virtual void on_control(const ControlMessage& /*message*/, UnixNanos /*ts_recv_ns*/) {}
  // The frame is valid only during the call; log it rate-limited, count it, carry on.
  virtual void on_rejected(const ParseError& /*error*/, std::string_view /*frame*/, UnixNanos /*ts_recv_ns*/) {}
  // A synchroniser result with needs_resync(): Binance → fetch a REST snapshot and pass it to
  // on_book_snapshot(); Bybit/OKX → resubscribe the book channel and call reset_book(). The book is invalid
  // (no trading on it) until the resync completes.
  virtual void on_book_sync(const InstrumentId& /*instrument*/, const SyncResult& /*result*/, UnixNanos /*ts_recv_ns*/) {}
};

struct DecoderStats {
  std::uint64_t frames = 0;
  std::uint64_t rejected = 0;
  std::uint64_t controls = 0;
  std::uint64_t trades = 0;
  std::uint64_t quotes = 0;
  std::uint64_t book_messages = 0;  // book frames handed to a synchroniser (applied or not)
  std::uint64_t bars = 0;
  std::uint64_t mark_prices = 0;
  std::uint64_t funding_rates = 0;
  std::uint64_t resyncs_requested = 0;  // on_book_sync calls
};

class FeedDecoder {
 public:
  virtual ~FeedDecoder() = default;
  virtual Venue venue() const = 0;

  // One text frame as received. buffer_capacity: the bytes allocated behind frame.data(); with
  // kParsePadding to spare the parser reads in place.
  virtual void on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity = 0) = 0;
  // A REST depth snapshot body for one instrument (Binance: required to start and after each resync;
  // Bybit/OKX: an optional bootstrap). A body that does not parse is reported through on_rejected.
  virtual void on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) = 0;
  // After resubscribing a book channel (Bybit/OKX): deltas are refused until the new snapshot.
  virtual void reset_book(const InstrumentId& instrument) = 0;

  // The instrument's book (the deepest, where several depths are subscribed), or null if none yet.
  virtual const OrderBook* book(const InstrumentId& instrument) const = 0;
  virtual const BookSyncStats* book_stats(const InstrumentId& instrument) const = 0;
  const DecoderStats& stats() const { return stats_; }

 protected:
  DecoderStats stats_;
};

// kind: the connection's market for Binance and Bybit (spot or USD-M/linear); OKX names it per instId.
std::unique_ptr<FeedDecoder> make_feed_decoder(Venue venue, MarketKind kind, const InstrumentLookup& lookup,
                                               DecoderListener& listener);

}  // namespace tradingd
