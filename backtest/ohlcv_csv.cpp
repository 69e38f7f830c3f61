// Plain OHLCV CSV rows and files. When the interval is not given, the first two rows fix it (their
// difference); the first bar is held back until then so every bar leaves with its interval set.
#include "backtest/ohlcv_csv.h"

#include <array>
#include <cctype>

#include "backtest/csv_fields.h"
#include "backtest/interval.h"

namespace tradingd::backtest {

bool is_ohlcv_header(std::string_view line) {
  static constexpr std::array<std::string_view, 6> kNames{"timestamp", "open", "high", "low", "close", "volume"};
  std::array<std::string_view, 6> f;
  if (split_csv(line, f) < kNames.size()) return false;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    const std::string_view got = trim(f[i]);
    if (got.size() != kNames[i].size()) return false;
    for (std::size_t k = 0; k < got.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(got[k])) != kNames[i][k]) return false;
  }
  return true;
}

Result<Bar, std::string> parse_ohlcv_row(std::string_view line, const InstrumentId& instrument,
                                         std::int64_t interval_s) {
  std::array<std::string_view, 6> f;
  const std::size_t n = split_csv(line, f);
  if (n < 6) return Err{"expected at least 6 columns (" + std::string(kOhlcvHeader) + "), found " + std::to_string(n)};
  Bar b;
  b.instrument = instrument;
  b.interval_s = interval_s;
  b.closed = true;
  auto ts = parse_timestamp(trim(f[0]));
  if (!ts) return Err{ts.error()};
  b.ts_open_ns = *ts;
  std::string error;
  if (!read_decimal(trim(f[1]), "open", b.open, error) || !read_decimal(trim(f[2]), "high", b.high, error) ||
      !read_decimal(trim(f[3]), "low", b.low, error) || !read_decimal(trim(f[4]), "close", b.close, error) ||
      !read_decimal(trim(f[5]), "volume", b.volume, error))
    return Err{std::move(error)};
  if (auto bad = check_bar_values(b)) return Err{std::move(*bad)};
  return b;
}

Result<OhlcvCsvReader, LoadError> OhlcvCsvReader::open(const std::filesystem::path& path,
                                                       const OhlcvCsvOptions& options) {
  if (options.instrument.symbol.empty())
    return Err{LoadError{path.string(), 0, "no instrument configured for this OHLCV file"}};
  if (options.interval_s < 0) return Err{LoadError{path.string(), 0, "interval must be positive"}};
  auto lines = LineReader::open(path);
  if (!lines) return Err{lines.error()};
  return OhlcvCsvReader(std::move(*lines), options.instrument, options.interval_s);
}

ReadStatus OhlcvCsvReader::read_row(Bar& out) {
  std::string_view line;
  for (;;) {
    const ReadStatus s = lines_.next(line);
    if (s == ReadStatus::End && !header_seen_)
      return lines_.fail("empty file: expected the header " + std::string(kOhlcvHeader));
    if (s != ReadStatus::Item) return s;
    if (header_seen_) break;
    if (!is_ohlcv_header(line)) return lines_.fail("expected the header " + std::string(kOhlcvHeader));
    header_seen_ = true;
  }
  auto bar = parse_ohlcv_row(line, instrument_, interval_s_);
  if (!bar) return lines_.fail(bar.error());
  if (auto bad = order_.check(bar->ts_open_ns, lines_.line_number())) return lines_.fail(std::move(*bad));
  // On the grid the first bar starts (weekly bars open on Mondays, not on multiples of 7 days since 1970).
  if (!grid_origin_) grid_origin_ = bar->ts_open_ns;
  if (interval_s_ > 0 && (bar->ts_open_ns - *grid_origin_) % (interval_s_ * kNanosPerSecond) != 0)
    return lines_.fail("open time " + format_iso8601(bar->ts_open_ns) + " is off the " + interval_name(interval_s_) +
                       " grid of the first bar (" + format_iso8601(*grid_origin_) + ")");
  out = *bar;
  return ReadStatus::Item;
}

ReadStatus OhlcvCsvReader::next(Bar& out) {
  if (lines_.failed()) return ReadStatus::Error;
  if (pending_) {
    out = *pending_;
    pending_.reset();
    return ReadStatus::Item;
  }
  if (interval_s_ > 0) return read_row(out);
  // Infer the interval: hold the first bar until the second row gives the spacing.
  Bar first;
  ReadStatus s = read_row(first);
  if (s != ReadStatus::Item) return s;
  const std::uint64_t first_line = lines_.line_number();
  Bar second;
  s = read_row(second);
  if (s == ReadStatus::Error) return s;
  if (s == ReadStatus::End)
    return lines_.fail_at(first_line, "cannot infer the bar interval from a single row: configure it");
  const std::int64_t diff_ns = second.ts_open_ns - first.ts_open_ns;
  if (diff_ns % kNanosPerSecond != 0)
    return lines_.fail("cannot infer the bar interval: the first two rows are " + std::to_string(diff_ns) +
                       " ns apart");
  interval_s_ = diff_ns / kNanosPerSecond;
  first.interval_s = second.interval_s = interval_s_;
  pending_ = second;
  out = first;
  return ReadStatus::Item;
}

}  // namespace tradingd::backtest
