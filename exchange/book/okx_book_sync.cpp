// OKX synchroniser: seqId/prevSeqId continuity with the documented exceptions, and the legacy checksum.
#include "exchange/book/okx_book_sync.h"

#include <zlib.h>

#include <cstring>

namespace tradingd {
namespace {

std::size_t append_level(char* out, const BookLevel& level, const OkxLevelTexts::Texts* texts) {
  std::size_t n = 0;
  if (texts) {
    std::memcpy(out, texts->price.view().data(), texts->price.size());
    n = texts->price.size();
    out[n++] = ':';
    std::memcpy(out + n, texts->size.view().data(), texts->size.size());
    n += texts->size.size();
  } else {
    n = level.price.format_to(out);
    out[n++] = ':';
    n += level.size.format_to(out + n);
  }
  return n;
}

}  // namespace

std::int32_t okx_checksum(const OrderBook& book, const OkxLevelTexts* texts) {
  // 25 levels × 2 sides × (two 31-char texts + 2 colons) fits comfortably.
  char buf[25 * 2 * 66];
  std::size_t len = 0;
  auto lookup = [&](Side side, const BookLevel& level) -> const OkxLevelTexts::Texts* {
    if (!texts) return nullptr;
    const auto& map = side == Side::Buy ? texts->bids : texts->asks;
    if (map.empty()) return nullptr;
    auto it = map.find(level.price.raw());
    return it == map.end() ? nullptr : &it->second;
  };
  const std::size_t nb = std::min<std::size_t>(25, book.depth(Side::Buy));
  const std::size_t na = std::min<std::size_t>(25, book.depth(Side::Sell));
  for (std::size_t i = 0; i < std::max(nb, na); ++i) {
    // "the bid and ask depth data are alternately arranged"; a side that runs out is skipped.
    if (i < nb) {
      if (len) buf[len++] = ':';
      const BookLevel& l = book.level(Side::Buy, i);
      len += append_level(buf + len, l, lookup(Side::Buy, l));
    }
    if (i < na) {
      if (len) buf[len++] = ':';
      const BookLevel& l = book.level(Side::Sell, i);
      len += append_level(buf + len, l, lookup(Side::Sell, l));
    }
  }
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(buf), static_cast<uInt>(len));
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
}

void OkxBookSync::reset() {
  synced_ = false;
  resync_reported_ = false;
  book_.set_valid(false);
}

void OkxBookSync::apply_side(Side side, std::span<const BookLevel> levels, std::span<const BookLevelText> texts) {
  book_.apply_levels(side, levels);
  record_texts(side, levels, texts);
}

void OkxBookSync::record_texts(Side side, std::span<const BookLevel> levels, std::span<const BookLevelText> texts) {
  auto& map = side == Side::Buy ? texts_.bids : texts_.asks;
  if (map.empty() && texts.empty()) return;  // the usual case: canonical strings only
  // texts lists the non-canonical levels in level order: those store their strings (overwriting in
  // place), every other level set here forgets any old text (a canonical "0.2" replaces a stored "0.10").
  // Too long to keep (never seen): stored empty, so a checksum over it fails closed.
  std::size_t t = 0;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const bool keep = t < texts.size() && texts[t].level == i && !levels[i].size.is_zero();
    if (!keep) {
      if (!map.empty()) map.erase(levels[i].price.raw());
    } else {
      map[levels[i].price.raw()] = OkxLevelTexts::Texts{
          make_inline<InlineString<31>>(texts[t].price).value_or(InlineString<31>{}),
          make_inline<InlineString<31>>(texts[t].size).value_or(InlineString<31>{})};
    }
    if (t < texts.size() && texts[t].level == i) ++t;
  }
}

SyncResult OkxBookSync::on_message(const OkxBook& m, MarketDataSink* sink) {
  if (m.is_snapshot) {
    book_.apply_snapshot(m.bids, m.asks);
    texts_.clear();
    record_texts(Side::Buy, m.bids, m.bid_texts);
    record_texts(Side::Sell, m.asks, m.ask_texts);
    last_seq_ = m.seq_id;
    ++stats_.snapshots_applied;
  } else {
    if (!synced_) {
      ++stats_.not_synced;
      if (resync_reported_) return SyncResult{SyncStatus::Dropped};
      resync_reported_ = true;
      ++stats_.resyncs_requested;
      return SyncResult{SyncStatus::NotSynced};
    }
    if (last_seq_ && m.prev_seq_id) {
      // "The prevSeqId in the new message matches with seqId of the previous message."
      if (*m.prev_seq_id != *last_seq_) {
        ++stats_.gaps;
        return fail(SyncStatus::Gap, static_cast<std::uint64_t>(*last_seq_), static_cast<std::uint64_t>(*m.prev_seq_id));
      }
      if (m.seq_id && *m.seq_id == *m.prev_seq_id) ++stats_.heartbeats;     // no-update heartbeat
      if (m.seq_id && *m.seq_id < *m.prev_seq_id) ++stats_.sequence_resets;  // maintenance reset
    }
    if (m.seq_id) last_seq_ = m.seq_id;
    apply_side(Side::Buy, m.bids, m.bid_texts);
    apply_side(Side::Sell, m.asks, m.ask_texts);
    ++stats_.updates_applied;
  }
  const std::size_t depth = depth_of(m.channel);
  if (book_.depth(Side::Buy) > depth || book_.depth(Side::Sell) > depth) {
    // Levels falling out of the channel's window are no longer maintained; their texts go with them.
    book_.truncate(Side::Buy, depth);
    book_.truncate(Side::Sell, depth);
    for (auto* map : {&texts_.bids, &texts_.asks}) {
      const Side side = map == &texts_.bids ? Side::Buy : Side::Sell;
      for (auto it = map->begin(); it != map->end();) {
        if (book_.size_at(side, Price::from_raw(it->first)).is_zero()) it = map->erase(it);
        else ++it;
      }
    }
  }
  if (m.seq_id) book_.set_sequence(static_cast<std::uint64_t>(*m.seq_id));
  book_.set_ts_event_ns(m.ts_event_ns);
  if (m.checksum != 0) {
    const std::int32_t computed = okx_checksum(book_, &texts_);
    if (computed != m.checksum) {
      ++stats_.checksum_failures;
      SyncResult r = fail(SyncStatus::ChecksumMismatch, 0, 0);
      r.checksum_expected = m.checksum;
      r.checksum_computed = computed;
      return r;
    }
    ++stats_.checksum_verified;
  }
  if (book_.is_crossed()) {
    ++stats_.crossed;
    return fail(SyncStatus::Crossed, 0, 0);
  }
  synced_ = true;
  resync_reported_ = false;
  book_.set_valid(true);
  if (sink) {
    sink->on_book(BookUpdate{book_.instrument(), m.is_snapshot, m.bids, m.asks, book_.sequence(), &book_,
                             m.ts_event_ns, m.ts_recv_ns});
  }
  return SyncResult{SyncStatus::Applied};
}

SyncResult OkxBookSync::fail(SyncStatus status, std::uint64_t expected, std::uint64_t received) {
  book_.set_valid(false);
  synced_ = false;
  resync_reported_ = true;
  ++stats_.resyncs_requested;
  return SyncResult{status, expected, received};
}

}  // namespace tradingd
