// Binance synchronisers: the shared buffer/bridge/apply machinery, and the two rule sets' decisions.
#include "exchange/book/binance_book_sync.h"

#include <utility>

namespace tradingd {

BinanceBookSync::BinanceBookSync(const InstrumentId& instrument, std::size_t max_buffered)
    : book_(instrument), max_buffered_(max_buffered) {}

SyncResult BinanceBookSync::on_update(const BinanceDepthUpdate& update, MarketDataSink* sink) {
  if (state_ == State::AwaitingSnapshot) {
    buffer(update);
    if (!resync_reported_) {
      resync_reported_ = true;
      ++stats_.resyncs_requested;
      return SyncResult{SyncStatus::NeedSnapshot};
    }
    return SyncResult{SyncStatus::Buffered};
  }
  return process(update, sink);
}

SyncResult BinanceBookSync::on_snapshot(const BinanceDepthSnapshot& snapshot, MarketDataSink* sink) {
  // A snapshot no newer than a live book (a late answer to an earlier request) would only move it back.
  if (state_ == State::Live && snapshot.last_update_id <= book_.sequence()) {
    ++stats_.stale_dropped;
    return SyncResult{SyncStatus::Stale};
  }
  // Spot step 4: "If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back
  // to step 3." Checked with the rule set's own first-event test on the oldest buffered event (later ones
  // are newer still), so a snapshot that cannot be bridged is refused before it replaces the book: for
  // spot that is lastUpdateId + 1 < U (a snapshot at U - 1 is continued exactly by the event starting at
  // U), for USD-M U > lastUpdateId unless the event's pu chains onto the snapshot.
  if (!buffer_.empty()) {
    const Buffered& b = buffer_.front();
    BinanceDepthUpdate oldest;
    oldest.first_update_id = b.first_update_id;
    oldest.final_update_id = b.final_update_id;
    if (b.has_prev) oldest.prev_final_update_id = b.prev_final_update_id;
    const Decision d = decide(oldest, snapshot.last_update_id, /*first=*/true);
    if (d.verdict == Verdict::Gap) {
      ++stats_.snapshot_too_old;
      ++stats_.resyncs_requested;
      resync_reported_ = true;
      return SyncResult{SyncStatus::NeedSnapshot, d.expected, d.received};
    }
  }
  book_.apply_snapshot(snapshot.bids, snapshot.asks);
  book_.set_sequence(snapshot.last_update_id);
  book_.set_ts_event_ns(snapshot.ts_event_ns);
  ++stats_.snapshots_applied;
  resync_reported_ = false;
  state_ = State::Bridging;
  if (book_.is_crossed()) {
    ++stats_.crossed;
    book_.set_valid(false);
    state_ = State::AwaitingSnapshot;
    resync_reported_ = true;
    ++stats_.resyncs_requested;
    return SyncResult{SyncStatus::Crossed};
  }
  book_.set_valid(true);
  if (sink) {
    sink->on_book(BookUpdate{book_.instrument(), true, snapshot.bids, snapshot.asks, snapshot.last_update_id, &book_,
                             snapshot.ts_event_ns, snapshot.ts_recv_ns});
  }

  // Replay the buffer; a failure part-way re-buffers the rest (process() restarts the buffer).
  std::vector<Buffered> pending;
  std::vector<BookLevel> levels;
  pending.swap(buffer_);
  levels.swap(buffer_levels_);
  SyncResult result{SyncStatus::Applied};
  for (const Buffered& b : pending) {
    BinanceDepthUpdate u;
    u.instrument = book_.instrument();
    u.first_update_id = b.first_update_id;
    u.final_update_id = b.final_update_id;
    if (b.has_prev) u.prev_final_update_id = b.prev_final_update_id;
    u.bids = std::span<const BookLevel>(levels.data() + b.level_begin, b.bids);
    u.asks = std::span<const BookLevel>(levels.data() + b.level_begin + b.bids, b.asks);
    u.ts_event_ns = b.ts_event_ns;
    u.ts_recv_ns = b.ts_recv_ns;
    if (state_ == State::AwaitingSnapshot) {
      buffer(u);
      continue;
    }
    const SyncResult r = process(u, sink);
    if (r.needs_resync()) result = r;
  }
  if (buffer_.empty()) {  // keep the buffers' capacity for the next resync
    pending.clear();
    levels.clear();
    buffer_.swap(pending);
    buffer_levels_.swap(levels);
  }
  return result;
}

SyncResult BinanceBookSync::process(const BinanceDepthUpdate& u, MarketDataSink* sink) {
  const bool first = state_ == State::Bridging;
  const Decision d = decide(u, book_.sequence(), first);
  if (d.verdict == Verdict::Stale) {
    ++stats_.stale_dropped;
    return SyncResult{SyncStatus::Stale};
  }
  if (d.verdict == Verdict::Gap) {
    // On the first event the snapshot is what is out of date: it predates the stream.
    if (first) {
      ++stats_.snapshot_too_old;
      return fail(SyncStatus::NeedSnapshot, d.expected, d.received, u);
    }
    ++stats_.gaps;
    return fail(SyncStatus::Gap, d.expected, d.received, u);
  }
  book_.apply_levels(Side::Buy, u.bids);
  book_.apply_levels(Side::Sell, u.asks);
  book_.set_sequence(u.final_update_id);
  book_.set_ts_event_ns(u.ts_event_ns);
  state_ = State::Live;
  ++stats_.updates_applied;
  if (book_.is_crossed()) {
    ++stats_.crossed;
    return fail(SyncStatus::Crossed, 0, 0, u);
  }
  if (sink) {
    sink->on_book(BookUpdate{book_.instrument(), false, u.bids, u.asks, u.final_update_id, &book_, u.ts_event_ns,
                             u.ts_recv_ns});
  }
  return SyncResult{SyncStatus::Applied};
}

SyncResult BinanceBookSync::fail(SyncStatus status, std::uint64_t expected, std::uint64_t received,
                                 const BinanceDepthUpdate& u) {
  book_.set_valid(false);
  state_ = State::AwaitingSnapshot;
  buffer_.clear();
  buffer_levels_.clear();
  // The offending event starts the new buffer: the next snapshot may well bridge it.
  buffer(u);
  resync_reported_ = true;
  ++stats_.resyncs_requested;
  return SyncResult{status, expected, received};
}

void BinanceBookSync::buffer(const BinanceDepthUpdate& u) {
  if (buffer_.size() >= max_buffered_) {
    // No snapshot for this long: the oldest events are useless anyway (any snapshot fetched now is newer).
    ++stats_.buffer_overflows;
    buffer_.clear();
    buffer_levels_.clear();
  }
  ++stats_.buffered;
  buffer_.push_back(Buffered{u.first_update_id, u.final_update_id, u.prev_final_update_id.value_or(0),
                             u.prev_final_update_id.has_value(), u.ts_event_ns, u.ts_recv_ns, buffer_levels_.size(),
                             static_cast<std::uint32_t>(u.bids.size()), static_cast<std::uint32_t>(u.asks.size())});
  buffer_levels_.insert(buffer_levels_.end(), u.bids.begin(), u.bids.end());
  buffer_levels_.insert(buffer_levels_.end(), u.asks.begin(), u.asks.end());
}

BinanceBookSync::Decision BinanceSpotBookSync::decide(const BinanceDepthUpdate& u, std::uint64_t book_id,
                                                      bool /*first*/) const {
  // The same test serves the first event ("discard any event where u is <= lastUpdateId"; the first kept
  // one must then contain lastUpdateId + 1) and every later one ("U greater than ... + 1: missed events").
  if (u.final_update_id <= book_id) return {Verdict::Stale};
  if (u.first_update_id > book_id + 1) return {Verdict::Gap, book_id + 1, u.first_update_id};
  return {Verdict::Apply};
}

BinanceBookSync::Decision BinanceUsdmBookSync::decide(const BinanceDepthUpdate& u, std::uint64_t book_id,
                                                      bool first) const {
  if (first) {
    if (u.final_update_id < book_id) return {Verdict::Stale};
    // An event chained right onto the snapshot's id (pu == lastUpdateId) continues it just as provably as
    // one spanning it; the rule's wording assumes snapshot ids fall inside events, which they need not.
    if (u.first_update_id > book_id && u.prev_final_update_id != book_id) return {Verdict::Gap, book_id, u.first_update_id};
    return {Verdict::Apply};
  }
  // "each new event's pu should be equal to the previous event's u". An event without pu (not USD-M
  // data) falls back to the U/u continuity test rather than being trusted blindly.
  if (u.prev_final_update_id) {
    if (*u.prev_final_update_id != book_id) return {Verdict::Gap, book_id, *u.prev_final_update_id};
    return {Verdict::Apply};
  }
  if (u.final_update_id <= book_id) return {Verdict::Stale};
  if (u.first_update_id > book_id + 1) return {Verdict::Gap, book_id + 1, u.first_update_id};
  return {Verdict::Apply};
}

}  // namespace tradingd
