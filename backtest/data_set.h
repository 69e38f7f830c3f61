// What `tradingd backtest --data PATH...` reads: directories expanded to their data files (sorted, so the
// order never depends on the file system), each file's format and instrument resolved against the
// configuration, and the whole set opened as one event-time merge (streaming) or loaded once into memory
// (sweeps share it read-only between threads).
// Instrument of a file, first match wins:
//   kline CSV  the symbol of its archive name (SYMBOL-INTERVAL-YYYY-MM[-DD].csv) or backtest.default_symbol
//              or the only configured instrument; the configured instrument with that symbol (Binance
//              first), else binance:spot:SYMBOL (the archive is Binance's spot archive by default);
//   OHLCV CSV  the history cache's layout (<venue>/<market>/<symbol>/<interval>/YYYY-MM-DD.csv), else a
//              configured instrument whose symbol starts the file name, else backtest.default_symbol, else
//              the only configured instrument;
//   frames     (JSON lines, the `tradingd replay` format) the venue from the file name (binance-*.jsonl),
//              spot unless the name says linear/perp/usdm/futures/swap; the symbols inside resolve to the
//              configured instruments of that venue (others are skipped by the decoder).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backtest/data_files.h"
#include "backtest/merge.h"
#include "config/config.h"
#include "core/result.h"

namespace tradingd::backtest {

struct DataFilePlan {
  std::filesystem::path path;
  DataFormat format = DataFormat::BinanceKlines;
  InstrumentId instrument;
  std::int64_t interval_s = 0;  // 0: the reader finds it (file name or rows)
  // Frames: the venue (instrument.venue) and the connection's market (instrument.kind); the symbol is
  // unused, the configured instruments of the venue are those decoded.
};

// A recorded frame's event time as the venue stamps it (Binance "E", Bybit "ts", OKX data[].ts; ms);
// nullopt for frames without one (acks, pongs).
std::optional<UnixNanos> frame_event_time(Venue venue, std::string_view frame);

// Files: kept; directories: every *.csv, *.jsonl and *.ndjson below them, sorted by path. Errors: a path
// that does not exist (named), or a directory without data files.
Result<std::vector<std::filesystem::path>, std::string> expand_data_paths(const std::vector<std::string>& paths);

// Error: unreadable or unknown format, no instrument for it (the message says how to name one), or a
// format the backtest does not run (recorded frames).
Result<DataFilePlan, std::string> plan_data_file(const std::filesystem::path& path, const config::Config& config);

// Every file's source added to the merger in plan order (ties in time keep this order).
Result<bool, std::string> open_data_set(const std::vector<DataFilePlan>& plans, EventMerger& merger);

// The set's events in memory, merged; error: the first read error.
Result<std::vector<HistoricalEvent>, std::string> load_data_set(const std::vector<DataFilePlan>& plans);

// Rough number of events (lines) in the files, for the progress bar's total.
std::uint64_t count_lines(const std::vector<DataFilePlan>& plans);

}  // namespace tradingd::backtest
