// `tradingd replay`, as a pure function: recorded raw frames of one venue (one JSON message per line, as
// the venue sent them) go through the same decoder (parser + book synchronisers) as the live feed, and
// each normalised event becomes one JSON line on `out`: books with their top N levels after each update
// (prices and sizes as exact decimal strings), trades, quotes, bars, mark prices, funding rates; plus a
// line for every gap, checksum failure, crossed book, missing snapshot or rejected frame, and a final
// summary line. Deterministic: the same input always gives the same output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "core/enums.h"
#include "core/result.h"

namespace tradingd {

struct ReplayOptions {
  Venue venue = Venue::Binance;
  // The connection's market for Binance and Bybit. Unset: Binance infers it from the frames (USD-M depth
  // diffs carry "pu", mark prices exist only there), Bybit assumes linear; OKX names it per instId.
  std::optional<MarketKind> market_kind;
  std::size_t depth = 10;  // levels per side written after each book update
};

struct ReplaySummary {
  std::uint64_t lines = 0;  // frames read (blank lines skipped)
  std::uint64_t events = 0;  // normalised event lines written
  std::uint64_t book_updates = 0;
  std::uint64_t rejected = 0;
  std::uint64_t controls = 0;
  std::uint64_t gaps = 0;
  std::uint64_t checksum_failures = 0;
  std::uint64_t resyncs = 0;  // every synchroniser report (gaps, checksum failures, crossed, need snapshot, not synced)
  std::uint64_t snapshots_used = 0;
};

// snapshots (optional, may be null): REST depth snapshot(s) as the venue returned them: one body (Binance:
// for the first instrument that asks for one; Bybit: its "s" names it), or a JSON object mapping symbols to
// bodies ({"BTCUSDT": {...}}), or one such object or body per line. Each is handed over when a
// synchroniser asks for one (Binance: NeedSnapshot; Bybit/OKX: a delta with no snapshot), as the live
// feed would fetch it then, and used once.
// Errors (unreadable snapshot file, unsupported venue) are returned; bad frames are reported in `out`.
Result<ReplaySummary, std::string> replay(std::istream& frames, std::istream* snapshots, std::ostream& out,
                                          const ReplayOptions& options);

}  // namespace tradingd
