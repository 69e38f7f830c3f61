// Binance kline CSV rows and files. The reader keeps one LineReader and parses in place: no allocation
// per row, which is what makes a year of minute bars load in well under a second.
#include "backtest/kline_csv.h"

#include <array>

#include "backtest/csv_fields.h"
#include "backtest/interval.h"

namespace tradingd::backtest {

std::optional<KlineFileName> parse_kline_file_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.size() < 4 || name.substr(name.size() - 4) != ".csv") return std::nullopt;
  name.remove_suffix(4);
  std::array<std::string_view, 6> parts{};
  std::size_t n = 0;
  for (std::size_t start = 0;;) {
    const auto dash = name.find('-', start);
    if (n == parts.size()) return std::nullopt;
    parts[n++] = name.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (n != 4 && n != 5) return std::nullopt;
  const auto interval = parse_interval(parts[1]);
  if (parts[0].empty() || parts[0].size() > Symbol::capacity() || !interval) return std::nullopt;
  std::string date(parts[2]);
  date.append("-").append(parts[3]).append("-").append(n == 5 ? parts[4] : std::string_view("01"));
  if (date.size() != 10) return std::nullopt;
  const auto start = parse_iso8601(date);
  if (!start) return std::nullopt;
  return KlineFileName{std::string(parts[0]), *interval, *start, n == 5};
}

bool is_binance_kline_header(std::string_view line) { return line.starts_with("open_time,"); }

Result<Bar, std::string> parse_binance_kline_row(std::string_view line, const InstrumentId& instrument,
                                                 std::int64_t interval_s) {
  std::array<std::string_view, 12> f;
  const std::size_t n = split_csv(line, f);
  if (n != 12) return Err{"expected 12 columns, found " + std::to_string(n)};
  const auto open_raw = parse_int64(f[0]);
  if (!open_raw || *open_raw < 0)
    return Err{"open_time: not an epoch integer (\"" + std::string(f[0].substr(0, 40)) + "\")"};
  const auto close_raw = parse_int64(f[6]);
  if (!close_raw) return Err{"close_time: not an epoch integer (\"" + std::string(f[6].substr(0, 40)) + "\")"};
  const EpochUnit unit = epoch_unit(*open_raw);
  const auto open_ns = epoch_to_ns(*open_raw);
  if (!open_ns) return Err{std::string("open_time: out of range")};
  // close_time is the last instant of the bar in the same unit: open + interval - 1.
  const std::int64_t unit_ns = nanos_per(unit);
  const std::int64_t span_units = *close_raw - *open_raw + 1;
  if (interval_s == 0) {
    if (span_units <= 0 || (span_units * unit_ns) % kNanosPerSecond != 0)
      return Err{"close_time " + std::string(f[6]) + " does not end a whole-second interval after open_time " +
                 std::string(f[0])};
    interval_s = span_units * unit_ns / kNanosPerSecond;
  } else if (span_units != interval_s * (kNanosPerSecond / unit_ns)) {
    return Err{"close_time " + std::string(f[6]) + " does not end the " + interval_name(interval_s) +
               " bar opened at " + std::string(f[0]) + " (" + std::string(to_string(unit)) + ")"};
  }
  Bar b;
  b.instrument = instrument;
  b.interval_s = interval_s;
  b.ts_open_ns = *open_ns;
  b.closed = true;
  std::string error;
  if (!read_decimal(f[1], "open", b.open, error) || !read_decimal(f[2], "high", b.high, error) ||
      !read_decimal(f[3], "low", b.low, error) || !read_decimal(f[4], "close", b.close, error) ||
      !read_decimal(f[5], "volume", b.volume, error))
    return Err{std::move(error)};
  if (auto bad = check_bar_values(b)) return Err{std::move(*bad)};
  return b;
}

Result<BinanceKlineReader, LoadError> BinanceKlineReader::open(const std::filesystem::path& path,
                                                               const BinanceKlineOptions& options) {
  const auto name = parse_kline_file_name(path.string());
  InstrumentId id;
  if (options.instrument) {
    id = *options.instrument;
  } else if (name) {
    id = InstrumentId{options.venue, options.kind, Symbol::from(name->symbol)};
  } else {
    return Err{LoadError{path.string(), 0,
                         "no instrument: the file name is not SYMBOL-INTERVAL-YYYY-MM[-DD].csv and none was "
                         "configured (backtest.default_symbol or an instruments entry)"}};
  }
  std::int64_t interval = options.interval_s;
  if (interval == 0 && name) interval = name->interval_s;
  auto lines = LineReader::open(path);
  if (!lines) return Err{lines.error()};
  return BinanceKlineReader(std::move(*lines), id, interval);
}

ReadStatus BinanceKlineReader::next(Bar& out) {
  std::string_view line;
  ReadStatus s;
  while ((s = lines_.next(line)) == ReadStatus::Item && lines_.line_number() == 1 && is_binance_kline_header(line)) {
  }
  if (s != ReadStatus::Item) return s;
  auto bar = parse_binance_kline_row(line, instrument_, interval_s_);
  if (!bar) return lines_.fail(bar.error());
  if (auto bad = order_.check(bar->ts_open_ns, lines_.line_number())) return lines_.fail(std::move(*bad));
  interval_s_ = bar->interval_s;  // a derived interval is fixed by the first row; later rows must agree
  out = *bar;
  return ReadStatus::Item;
}

}  // namespace tradingd::backtest
