// Binance local-book synchronisers, one per documented rule set (spot diff depth; USD-M with `pu`
// chaining), quoting the rules they implement (../shared/fixtures/RULES.md §1, §2). Both buffer diffs
// until a REST snapshot arrives, replay the buffer onto it, then apply live diffs; a broken sequence
// invalidates the book, reports needs_resync() once, and restarts buffering from the offending event so
// the next snapshot can bridge it. Pure: no I/O; events go to the optional sink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "exchange/binance/messages.h"
#include "exchange/book/book_sync.h"
#include "exchange/book/order_book.h"

namespace tradingd {

class BinanceBookSync {
 public:
  virtual ~BinanceBookSync() = default;

  // A diff from the stream. While no snapshot is loaded it is buffered (the first one reports
  // NeedSnapshot: fetch `GET depth`); afterwards it is applied, dropped as stale, or a Gap.
  SyncResult on_update(const BinanceDepthUpdate& update, MarketDataSink* sink);
  // The REST snapshot. NeedSnapshot if it is older than the buffered stream (fetch again); otherwise
  // the book becomes the snapshot and every buffered diff is replayed onto it.
  SyncResult on_snapshot(const BinanceDepthSnapshot& snapshot, MarketDataSink* sink);

  const OrderBook& book() const { return book_; }
  const BookSyncStats& stats() const { return stats_; }
  bool awaiting_snapshot() const { return state_ == State::AwaitingSnapshot; }
  std::size_t buffered() const { return buffer_.size(); }

 protected:
  enum class Verdict : std::uint8_t { Apply, Stale, Gap };
  struct Decision {
    Verdict verdict;
    std::uint64_t expected = 0;  // for a gap: what the rule wanted
    std::uint64_t received = 0;  // and what the event had
  };
  // first: the event would be the first applied on top of a fresh snapshot (book id = its lastUpdateId).
  virtual Decision decide(const BinanceDepthUpdate& u, std::uint64_t book_id, bool first) const = 0;

  BinanceBookSync(const InstrumentId& instrument, std::size_t max_buffered);

 private:
  enum class State : std::uint8_t { AwaitingSnapshot, Bridging, Live };
  struct Buffered {
    std::uint64_t first_update_id, final_update_id, prev_final_update_id;
    bool has_prev;
    UnixNanos ts_event_ns, ts_recv_ns;
    std::size_t level_begin;
    std::uint32_t bids, asks;
  };

  SyncResult process(const BinanceDepthUpdate& u, MarketDataSink* sink);
  void buffer(const BinanceDepthUpdate& u);
  SyncResult fail(SyncStatus status, std::uint64_t expected, std::uint64_t received, const BinanceDepthUpdate& u);

  OrderBook book_;
  State state_ = State::AwaitingSnapshot;
  bool resync_reported_ = false;
  std::size_t max_buffered_;
  std::vector<Buffered> buffer_;
  std::vector<BookLevel> buffer_levels_;
  BookSyncStats stats_;
};

// Spot `<symbol>@depth`: "discard any event where u is <= lastUpdateId of the snapshot ... If the event
// last update ID (u) is less than the update ID of your local order book, ignore the event. If the event
// first update ID (U) is greater than the update ID of your local order book + 1, you have missed some
// events. Discard your local order book and restart the process from the beginning."
class BinanceSpotBookSync final : public BinanceBookSync {
 public:
  explicit BinanceSpotBookSync(const InstrumentId& instrument, std::size_t max_buffered = 10000)
      : BinanceBookSync(instrument, max_buffered) {}

 private:
  Decision decide(const BinanceDepthUpdate& u, std::uint64_t book_id, bool first) const override;
};

// USD-M `<symbol>@depth`: "Drop any event where u is < lastUpdateId in the snapshot. The first processed
// event should have U <= lastUpdateId AND u >= lastUpdateId. While listening to the stream, each new
// event's pu should be equal to the previous event's u, otherwise initialize the process from step 3."
// A first event whose pu equals lastUpdateId is accepted too: it continues the snapshot exactly.
class BinanceUsdmBookSync final : public BinanceBookSync {
 public:
  explicit BinanceUsdmBookSync(const InstrumentId& instrument, std::size_t max_buffered = 10000)
      : BinanceBookSync(instrument, max_buffered) {}

 private:
  Decision decide(const BinanceDepthUpdate& u, std::uint64_t book_id, bool first) const override;
};

}  // namespace tradingd
