// Binance public-archive kline CSV (data.binance.vision): 12 columns open_time, open, high, low, close,
// volume, close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore. Spot files from
// 2025-01-01 stamp microseconds, older spot and all USD-M files milliseconds: the unit is read per row
// from the magnitude. USD-M files may start with a header row. Decimals are exact; close_time must end the
// bar's interval (open + interval - 1 unit), which catches mixed or truncated files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backtest/bar_reader.h"
#include "backtest/line_reader.h"
#include "core/result.h"

namespace tradingd::backtest {

// "BTCUSDT-1m-2024-01.csv" / "BTCUSDT-1m-2024-01-15.csv" (directories in front are ignored).
struct KlineFileName {
  std::string symbol;
  std::int64_t interval_s = 0;
  UnixNanos period_start_ns = 0;  // first day of the month or the day
  bool daily = false;
};
std::optional<KlineFileName> parse_kline_file_name(std::string_view path);

// True for the USD-M header ("open_time,open,high,...").
bool is_binance_kline_header(std::string_view line);

// One row into a bar of `instrument`. interval_s == 0 derives the interval from close_time - open_time + 1
// unit; otherwise close_time must agree with it. The error text has no file:line (the reader adds it).
Result<Bar, std::string> parse_binance_kline_row(std::string_view line, const InstrumentId& instrument,
                                                 std::int64_t interval_s);

// The same row in one pass for the shape the archive writes (unsigned epoch digits, plain decimals of up to
// 9+9 digits, 12 columns): true and out set exactly as parse_binance_kline_row would set it, or false
// when the row is anything else, valid or not, and parse_binance_kline_row must decide (and word the error).
bool parse_binance_kline_row_fast(std::string_view line, const InstrumentId& instrument, std::int64_t interval_s,
                                  Bar& out);

struct BinanceKlineOptions {
  // From config: wins over the file name. Without it the file name must carry the symbol, and venue/kind
  // below complete the instrument (the archive's names do not say spot or USD-M).
  std::optional<InstrumentId> instrument;
  Venue venue = Venue::Binance;
  MarketKind kind = MarketKind::Spot;
  std::int64_t interval_s = 0;  // 0: from the file name, else from each row's close_time
};

class BinanceKlineReader final : public LineBarReader {
 public:
  static Result<BinanceKlineReader, LoadError> open(const std::filesystem::path& path,
                                                    const BinanceKlineOptions& options = {});
  ReadStatus next(Bar& out) override;

 private:
  using LineBarReader::LineBarReader;
};

}  // namespace tradingd::backtest
