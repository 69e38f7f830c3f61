// OKX `books` / `books50-l2-tbt` / `books-l2-tbt` / `books5` synchroniser (../shared/fixtures/RULES.md §4):
// "The prevSeqId in the new message matches with seqId of the previous message ... snapshot messages
// where the prevSeqId is always -1." Exceptions, both applied normally: a no-update heartbeat ("seqId is
// the same as the last sent message and prevSeqId equals to seqId") and a maintenance reset ("an
// incremental message with seqId smaller than prevSeqId"). Recordings made before OKX added seqId carry
// none: they are applied unsequenced and rely on the checksum. The checksum ("the first 25 bids and asks
// ... a colon connects the price and size ... bid and ask alternately ... CRC32 ... 32-bit signed
// integer") is verified whenever non-zero, over the venue's original strings, with zlib's crc32.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "core/inline_string.h"
#include "exchange/book/book_sync.h"
#include "exchange/book/order_book.h"
#include "exchange/okx/messages.h"

namespace tradingd {

// The original strings of levels whose canonical fixed-point formatting differs from what OKX sent
// ("41007.0", "0.10"): sparse, since OKX normally sends canonical numbers.
struct OkxLevelTexts {
  struct Texts {
    InlineString<31> price;
    InlineString<31> size;
  };
  std::unordered_map<std::int64_t, Texts> bids, asks;
  void clear() {
    bids.clear();
    asks.clear();
  }
};

// OKX's checksum of a book's top 25 levels per side: signed CRC32 of "bidPx:bidSz:askPx:askSz:..." with
// the original strings where `texts` has them and the canonical formatting elsewhere. Exposed for tests
// and the exchange emulator.
std::int32_t okx_checksum(const OrderBook& book, const OkxLevelTexts* texts = nullptr);

class OkxBookSync {
 public:
  explicit OkxBookSync(const InstrumentId& instrument) : book_(instrument) {}

  SyncResult on_message(const OkxBook& message, MarketDataSink* sink);
  // After the caller resubscribed: updates are refused until the next snapshot, reporting once.
  void reset();

  const OrderBook& book() const { return book_; }
  const BookSyncStats& stats() const { return stats_; }

 private:
  void apply_side(Side side, std::span<const BookLevel> levels, std::span<const BookLevelText> texts);
  void record_texts(Side side, std::span<const BookLevel> levels, std::span<const BookLevelText> texts);
  SyncResult fail(SyncStatus status, std::uint64_t expected, std::uint64_t received);

  OrderBook book_;
  OkxLevelTexts texts_;
  bool synced_ = false;
  bool resync_reported_ = false;
  std::optional<std::int64_t> last_seq_;  // none: the snapshot carried no seqId (old recordings)
  BookSyncStats stats_;
};

}  // namespace tradingd
