// Bybit synchroniser: snapshot resets, deltas set absolute sizes, u must advance.
#include "exchange/book/bybit_book_sync.h"

namespace tradingd {

void BybitBookSync::reset() {
  synced_ = false;
  resync_reported_ = false;
  book_.set_valid(false);
}

SyncResult BybitBookSync::on_message(const BybitOrderbook& m, MarketDataSink* sink) {
  if (m.is_snapshot) {
    // "If you receive a new snapshot message, you will have to reset your local orderbook"; u == 1 marks
    // a service restart, after which u starts again from 1.
    if (m.update_id == 1 && book_.sequence() > 1) ++stats_.sequence_resets;
    book_.apply_snapshot(m.bids, m.asks);
    ++stats_.snapshots_applied;
  } else {
    if (!synced_) {
      ++stats_.not_synced;
      if (resync_reported_) return SyncResult{SyncStatus::Dropped};
      resync_reported_ = true;
      ++stats_.resyncs_requested;
      return SyncResult{SyncStatus::NotSynced};
    }
    if (m.update_id <= book_.sequence()) {
      ++stats_.gaps;
      return fail(SyncStatus::Gap, book_.sequence() + 1, m.update_id);
    }
    book_.apply_levels(Side::Buy, m.bids);
    book_.apply_levels(Side::Sell, m.asks);
    ++stats_.updates_applied;
  }
  if (m.depth > 0) {
    book_.truncate(Side::Buy, m.depth);
    book_.truncate(Side::Sell, m.depth);
  }
  book_.set_sequence(m.update_id);
  book_.set_ts_event_ns(m.ts_event_ns);
  if (book_.is_crossed()) {
    ++stats_.crossed;
    return fail(SyncStatus::Crossed, 0, 0);
  }
  synced_ = true;
  resync_reported_ = false;
  book_.set_valid(true);
  if (sink) {
    sink->on_book(BookUpdate{book_.instrument(), m.is_snapshot, m.bids, m.asks, m.update_id, &book_, m.ts_event_ns,
                             m.ts_recv_ns});
  }
  return SyncResult{SyncStatus::Applied};
}

SyncResult BybitBookSync::fail(SyncStatus status, std::uint64_t expected, std::uint64_t received) {
  book_.set_valid(false);
  synced_ = false;
  // The failure itself is the report; the deltas that follow until the next snapshot are dropped quietly.
  resync_reported_ = true;
  ++stats_.resyncs_requested;
  return SyncResult{status, expected, received};
}

}  // namespace tradingd
