// Bybit `orderbook.{depth}.{symbol}` synchroniser, per the v5 docs (../shared/fixtures/RULES.md §3): "Once
// you have subscribed successfully, you will receive a snapshot ... If you receive a new snapshot message,
// you will have to reset your local orderbook ... To apply delta updates: If you receive an amount that is
// 0, delete the entry; If you receive an amount that does not exist, insert it; If the entry exists, you
// simply update the value." A snapshot with u == 1 is a service-restart snapshot (overwrite). Bybit gives
// no previous-id field, so the only sequencing check possible is that u moves forward: a delta whose u is
// not above the book's is out of order (a gap); jumps in u are normal (u is shared with deeper books).
// A delta before any snapshot is NotSynced (resubscribe). The book keeps the subscribed depth only.
#pragma once

#include <cstddef>

#include "exchange/book/book_sync.h"
#include "exchange/book/order_book.h"
#include "exchange/bybit/messages.h"

namespace tradingd {

class BybitBookSync {
 public:
  explicit BybitBookSync(const InstrumentId& instrument) : book_(instrument) {}

  // A WebSocket snapshot or delta, or a REST snapshot (depth 0: kept at its own size).
  SyncResult on_message(const BybitOrderbook& message, MarketDataSink* sink);
  // After the caller resubscribed: deltas are refused until the next snapshot, reporting once.
  void reset();

  const OrderBook& book() const { return book_; }
  const BookSyncStats& stats() const { return stats_; }

 private:
  SyncResult fail(SyncStatus status, std::uint64_t expected, std::uint64_t received);

  OrderBook book_;
  bool synced_ = false;
  bool resync_reported_ = false;
  BookSyncStats stats_;
};

}  // namespace tradingd
