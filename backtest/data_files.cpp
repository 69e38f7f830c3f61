// Format detection reads at most the first non-empty line; the chosen reader then starts from the top.
#include "backtest/data_files.h"

#include <array>

#include "backtest/csv_fields.h"
#include "backtest/kline_csv.h"
#include "backtest/line_reader.h"
#include "backtest/ohlcv_csv.h"

namespace tradingd::backtest {

std::string_view to_string(DataFormat f) {
  switch (f) {
    case DataFormat::BinanceKlines:
      return "binance_klines";
    case DataFormat::OhlcvCsv:
      return "ohlcv_csv";
    case DataFormat::Frames:
      return "frames";
  }
  return "?";
}

Result<DataFormat, LoadError> detect_data_format(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".jsonl" || ext == ".ndjson") return DataFormat::Frames;
  if (ext == ".zip")
    return Err{LoadError{path.string(), 0, "zip archives are not read directly: unzip the CSV inside"}};
  auto lines = LineReader::open(path, 64 * 1024);
  if (!lines) return Err{lines.error()};
  std::string_view line;
  for (;;) {
    const ReadStatus s = lines->next(line);
    if (s == ReadStatus::Error) return Err{lines->error()};
    if (s == ReadStatus::End) return Err{LoadError{path.string(), 0, "empty file"}};
    if (!trim(line).empty()) break;
  }
  if (is_ohlcv_header(line)) return DataFormat::OhlcvCsv;
  if (is_binance_kline_header(line)) return DataFormat::BinanceKlines;
  std::array<std::string_view, 12> f;
  if (split_csv(line, f) == 12 && parse_int64(f[0])) return DataFormat::BinanceKlines;
  if (!line.empty() && (line.front() == '{' || line.front() == '[')) return DataFormat::Frames;
  return Err{LoadError{path.string(), lines->line_number(),
                       "unknown data format: expected a Binance kline CSV (12 columns), an OHLCV CSV with the header " +
                           std::string(kOhlcvHeader) + ", or recorded frames (.jsonl)"}};
}

Result<std::unique_ptr<EventSource>, LoadError> open_data_file(const std::filesystem::path& path,
                                                               const DataFileOptions& options) {
  auto format = detect_data_format(path);
  if (!format) return Err{format.error()};
  switch (*format) {
    case DataFormat::BinanceKlines: {
      auto r = BinanceKlineReader::open(path, {options.instrument, options.venue, options.kind, options.interval_s});
      if (!r) return Err{r.error()};
      return make_bar_source(std::make_unique<BinanceKlineReader>(std::move(*r)));
    }
    case DataFormat::OhlcvCsv: {
      if (!options.instrument)
        return Err{LoadError{path.string(), 0, "an OHLCV file names no instrument: configure one for it"}};
      auto r = OhlcvCsvReader::open(path, {*options.instrument, options.interval_s});
      if (!r) return Err{r.error()};
      return make_bar_source(std::make_unique<OhlcvCsvReader>(std::move(*r)));
    }
    case DataFormat::Frames: {
      auto r = FrameReader::open(path, options.frame_venue);
      if (!r) return Err{r.error()};
      return make_frame_source(std::move(*r), options.frame_timestamper);
    }
  }
  return Err{LoadError{path.string(), 0, "unknown data format"}};
}

}  // namespace tradingd::backtest
