// Names of the synchroniser statuses, for logs and replay output.
#include "exchange/book/book_sync.h"

namespace tradingd {

std::string_view to_string(SyncStatus s) {
  switch (s) {
    case SyncStatus::Applied: return "applied";
    case SyncStatus::Buffered: return "buffered";
    case SyncStatus::Stale: return "stale";
    case SyncStatus::NeedSnapshot: return "need_snapshot";
    case SyncStatus::Gap: return "gap";
    case SyncStatus::ChecksumMismatch: return "checksum_mismatch";
    case SyncStatus::Crossed: return "crossed";
    case SyncStatus::NotSynced: return "not_synced";
    case SyncStatus::Dropped: return "dropped";
  }
  return "unknown";
}

}  // namespace tradingd
