// What a book synchroniser reports for each message, and the counters every synchroniser keeps (one stats
// struct per component). A synchroniser owns one instrument's OrderBook; it applies a message only when the
// venue's sequencing rule allows it, and on a gap or checksum failure marks the book invalid and reports
// needs_resync() exactly once per incident (later messages are buffered or dropped quietly until resynced).
#pragma once

#include <cstdint>
#include <string_view>

namespace tradingd {

enum class SyncStatus : std::uint8_t {
  Applied,           // applied (or a no-change heartbeat); the book is valid
  Buffered,          // held until a snapshot arrives (no action needed: one is already due)
  Stale,             // older than the book, already covered by the snapshot: dropped, normal
  NeedSnapshot,      // no snapshot yet, or the snapshot is older than the stream: fetch one (Binance REST)
  Gap,               // a missing or out-of-order update: book invalid, resync
  ChecksumMismatch,  // the venue's checksum disagrees with the local book: book invalid, resync
  Crossed,           // best bid >= best ask after applying: the book is corrupt, resync
  NotSynced,         // a delta before any snapshot where the venue pushes snapshots itself: resubscribe
  Dropped,           // ignored while a resync is already pending (reported once, as NotSynced)
};
std::string_view to_string(SyncStatus s);

struct SyncResult {
  SyncStatus status = SyncStatus::Applied;
  // Gap: the sequence number the rule expected and the one received (venue ids; OKX prevSeqId/seqId).
  std::uint64_t expected = 0;
  std::uint64_t received = 0;
  // ChecksumMismatch: the venue's value and ours (signed CRC32 as OKX sends it).
  std::int32_t checksum_expected = 0;
  std::int32_t checksum_computed = 0;

  // Whether the caller must resync (fetch a snapshot or resubscribe). Reported once per incident.
  bool needs_resync() const {
    return status == SyncStatus::NeedSnapshot || status == SyncStatus::Gap || status == SyncStatus::ChecksumMismatch ||
           status == SyncStatus::Crossed || status == SyncStatus::NotSynced;
  }
};

struct BookSyncStats {
  std::uint64_t updates_applied = 0;
  std::uint64_t snapshots_applied = 0;
  std::uint64_t buffered = 0;
  std::uint64_t buffer_overflows = 0;  // buffer full while waiting for a snapshot: restarted from the newest
  std::uint64_t stale_dropped = 0;
  std::uint64_t gaps = 0;
  std::uint64_t checksum_verified = 0;
  std::uint64_t checksum_failures = 0;
  std::uint64_t crossed = 0;
  std::uint64_t snapshot_too_old = 0;  // Binance: the REST snapshot predates the buffered stream
  std::uint64_t not_synced = 0;        // deltas received before any snapshot (Bybit/OKX)
  std::uint64_t heartbeats = 0;        // OKX no-change messages (prevSeqId == seqId)
  std::uint64_t sequence_resets = 0;   // OKX seqId < prevSeqId (maintenance); Bybit u == 1 restart snapshots
  std::uint64_t resyncs_requested = 0; // needs_resync() results handed to the caller
};

}  // namespace tradingd
