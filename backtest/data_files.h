// What `tradingd backtest --data PATH...` opens: the format of each file is recognised (recorded frames by
// extension .jsonl/.ndjson; CSVs by their first line: the OHLCV header, the USD-M kline header, or a
// 12-column kline row) and wrapped as an EventSource for the merge.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "backtest/merge.h"
#include "core/result.h"

namespace tradingd::backtest {

enum class DataFormat : std::uint8_t { BinanceKlines, OhlcvCsv, Frames };
std::string_view to_string(DataFormat f);

Result<DataFormat, LoadError> detect_data_format(const std::filesystem::path& path);

struct DataFileOptions {
  // The configured instrument: required for OHLCV files; for kline files it wins over the file name.
  std::optional<InstrumentId> instrument;
  Venue venue = Venue::Binance;        // kline files named by symbol only
  MarketKind kind = MarketKind::Spot;  // idem
  std::int64_t interval_s = 0;         // 0: from the file name / the rows
  std::optional<Venue> frame_venue;    // recorded frames: else from the file name
  FrameTimestamper frame_timestamper;  // recorded frames: the market-data layer's event-time extractor
};

Result<std::unique_ptr<EventSource>, LoadError> open_data_file(const std::filesystem::path& path,
                                                               const DataFileOptions& options);

}  // namespace tradingd::backtest
