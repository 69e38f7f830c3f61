// Plain OHLCV CSV: a required header "timestamp,open,high,low,close,volume" (case-insensitive; further
// columns are ignored), then one bar per row stamped with its OPEN time as ISO 8601 or epoch s/ms/µs/ns.
// The history cache writes its day files in this format (epoch ms), so one reader serves both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backtest/bar_reader.h"
#include "backtest/line_reader.h"
#include "core/result.h"

namespace tradingd::backtest {

inline constexpr std::string_view kOhlcvHeader = "timestamp,open,high,low,close,volume";

// True when the line is the header above (ignoring case, spaces around names and extra columns).
bool is_ohlcv_header(std::string_view line);

// One data row (open time, o, h, l, c, v); interval_s is copied into the bar.
Result<Bar, std::string> parse_ohlcv_row(std::string_view line, const InstrumentId& instrument,
                                         std::int64_t interval_s);

struct OhlcvCsvOptions {
  InstrumentId instrument;      // the file carries none: from config
  std::int64_t interval_s = 0;  // 0: inferred from the first two rows' open times
};

class OhlcvCsvReader final : public LineBarReader {
 public:
  static Result<OhlcvCsvReader, LoadError> open(const std::filesystem::path& path, const OhlcvCsvOptions& options);
  ReadStatus next(Bar& out) override;

 private:
  using LineBarReader::LineBarReader;
  ReadStatus read_row(Bar& out);  // the next data row, order-checked, with interval_s_ as it stands

  std::optional<UnixNanos> grid_origin_;  // the first bar's open: later bars are a whole number of intervals on
  std::optional<Bar> pending_;            // the second row, read ahead to infer the interval
  bool header_seen_ = false;
};

}  // namespace tradingd::backtest
