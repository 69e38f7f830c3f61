// Binance kline CSV rows and files. The reader keeps one LineReader and parses in place: no allocation
// per row, which is what makes a year of minute bars load in well under a second.
#include "backtest/kline_csv.h"

#include <array>
#include <cstring>

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

namespace {

// A plain decimal that ends its field; p moves past the comma.
template <class T>
[[gnu::always_inline]] inline bool decimal_field(const char*& p, const char* end, T& out) {
  std::int64_t raw;
  if (!read_plain_decimal_words(p, end, raw) || *p != ',') return false;
  ++p;
  out = T::from_raw(raw);
  return true;
}

// Unsigned epoch digits that end their field (18 at most: no overflow, and the unit decides the rest).
[[gnu::always_inline]] inline bool epoch_field(const char*& p, const char* end, std::int64_t& out) {
  std::uint64_t v;
  if (!detail::read_uint_words(p, end, v, 18) || *p != ',') return false;
  ++p;
  out = static_cast<std::int64_t>(v);
  return true;
}

std::size_t count_commas(const char* p, const char* end) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  std::size_t n = 0;
  for (; end - p >= 8; p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t x = w ^ 0x2C2C2C2C2C2C2C2CULL;  // as in split_csv: exact per byte
    // A few commas at most: clearing bits beats a popcount that is a libgcc call on baseline x86-64.
    for (std::uint64_t zero = ~(((x & kLow7) + kLow7) | x | kLow7); zero != 0; zero &= zero - 1) ++n;
  }
  for (; p < end; ++p) n += *p == ',';
  return n;
}

}  // namespace

bool parse_binance_kline_row_fast(std::string_view line, const InstrumentId& instrument, std::int64_t interval_s,
                                  Bar& out) {
  const char* p = line.data();
  const char* const end = p + line.size();
  std::int64_t open_raw, close_raw;
  Price open, high, low, close;
  Quantity volume;
  if (!epoch_field(p, end, open_raw) || !decimal_field(p, end, open) || !decimal_field(p, end, high) ||
      !decimal_field(p, end, low) || !decimal_field(p, end, close) || !decimal_field(p, end, volume) ||
      !epoch_field(p, end, close_raw) || count_commas(p, end) != 4)
    return false;
  // The general parser's checks in its order and arithmetic; any failure is its to report.
  const auto open_ns = epoch_to_ns(open_raw);
  if (!open_ns) return false;
  const std::int64_t unit_ns = nanos_per(epoch_unit(open_raw));
  const std::int64_t span_units = close_raw - open_raw + 1;
  if (interval_s == 0) {
    if (span_units <= 0 || (span_units * unit_ns) % kNanosPerSecond != 0) return false;
    interval_s = span_units * unit_ns / kNanosPerSecond;
  } else if (span_units != interval_s * (kNanosPerSecond / unit_ns)) {
    return false;
  }
  if (!low.is_positive() || high < low || open < low || open > high || close < low || close > high ||
      volume.is_negative())
    return false;  // check_bar_values words it
  out.instrument = instrument;
  out.interval_s = interval_s;
  out.ts_open_ns = *open_ns;
  out.open = open;
  out.high = high;
  out.low = low;
  out.close = close;
  out.volume = volume;
  out.closed = true;
  out.ts_recv_ns = 0;
  return true;
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
  if (!parse_binance_kline_row_fast(line, instrument_, interval_s_, out)) {
    auto bar = parse_binance_kline_row(line, instrument_, interval_s_);
    if (!bar) return lines_.fail(bar.error());
    out = *bar;
  }
  if (auto bad = order_.check(out.ts_open_ns, lines_.line_number())) return lines_.fail(std::move(*bad));
  interval_s_ = out.interval_s;  // a derived interval is fixed by the first row; later rows must agree
  return ReadStatus::Item;
}

}  // namespace tradingd::backtest
