// History cache: layout, listing, and the checked atomic day write.
#include "backtest/history_cache.h"

#include <algorithm>

#include "backtest/atomic_file.h"
#include "backtest/csv_fields.h"
#include "backtest/interval.h"

namespace tradingd::backtest {

std::optional<std::string> cache_key_problem(const CacheKey& key) {
  const std::string_view s = key.instrument.symbol.view();
  if (s.empty()) return "empty symbol";
  if (s == "." || s == ".." || s.find('/') != std::string_view::npos || s.find('\0') != std::string_view::npos)
    return "symbol \"" + std::string(s) + "\" cannot name a cache directory";
  if (key.interval_s <= 0) return "interval must be positive";
  return std::nullopt;
}

std::filesystem::path cache_series_dir(const std::filesystem::path& root, const CacheKey& key) {
  return root / std::string(to_string(key.instrument.venue)) / std::string(to_string(key.instrument.kind)) /
         std::string(key.instrument.symbol.view()) / interval_name(key.interval_s);
}

std::filesystem::path cache_day_path(const std::filesystem::path& root, const CacheKey& key, UnixNanos day_ns) {
  return cache_series_dir(root, key) / (format_day(day_ns) + ".csv");
}

std::optional<UnixNanos> parse_cache_day_file_name(std::string_view name) {
  if (name.size() != 14 || name.substr(10) != ".csv") return std::nullopt;
  const auto t = parse_iso8601(name.substr(0, 10));
  if (!t || format_day(*t) != name.substr(0, 10)) return std::nullopt;
  return *t;
}

std::vector<UnixNanos> days_in_range(UnixNanos from_ns, UnixNanos to_ns) {
  std::vector<UnixNanos> days;
  for (UnixNanos d = utc_day_start(from_ns); d < to_ns; d += kNanosPerDay) days.push_back(d);
  return days;
}

std::vector<DayRange> group_consecutive_days(std::span<const UnixNanos> days) {
  std::vector<DayRange> out;
  for (UnixNanos d : days) {
    if (!out.empty() && out.back().to_ns == d)
      out.back().to_ns = d + kNanosPerDay;
    else
      out.push_back(DayRange{d, d + kNanosPerDay});
  }
  return out;
}

std::vector<UnixNanos> ended_days(std::span<const UnixNanos> days, UnixNanos now_ns) {
  std::vector<UnixNanos> out;
  for (UnixNanos d : days)
    if (d + kNanosPerDay <= now_ns) out.push_back(d);
  return out;
}

std::string format_ohlcv_csv(std::span<const Bar> bars) {
  std::string s(kOhlcvHeader);
  s += '\n';
  s.reserve(s.size() + bars.size() * 80);
  char buf[fixed::kMaxFormattedLen];
  auto put = [&](auto v) {
    s += ',';
    s.append(buf, v.format_to(buf));
  };
  for (const Bar& b : bars) {
    // Klines open on whole milliseconds; anything finer is written in ns (the reader tells by magnitude).
    s += b.ts_open_ns % kNanosPerMilli == 0 ? std::to_string(b.ts_open_ns / kNanosPerMilli)
                                            : std::to_string(b.ts_open_ns);
    put(b.open);
    put(b.high);
    put(b.low);
    put(b.close);
    put(b.volume);
    s += '\n';
  }
  return s;
}

std::vector<UnixNanos> HistoryCache::present_days(const CacheKey& key, UnixNanos from_ns, UnixNanos to_ns) const {
  std::vector<UnixNanos> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(cache_series_dir(root_, key), ec);
  if (ec) return out;  // no directory yet: nothing cached
  const UnixNanos first = utc_day_start(from_ns);
  for (const auto& entry : it) {
    const auto day = parse_cache_day_file_name(entry.path().filename().string());
    if (day && *day >= first && *day < to_ns && entry.is_regular_file(ec)) out.push_back(*day);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<UnixNanos> HistoryCache::missing_days(const CacheKey& key, UnixNanos from_ns, UnixNanos to_ns) const {
  const auto present = present_days(key, from_ns, to_ns);
  std::vector<UnixNanos> out;
  for (UnixNanos d : days_in_range(from_ns, to_ns))
    if (!std::binary_search(present.begin(), present.end(), d)) out.push_back(d);
  return out;
}

namespace {

std::optional<std::string> check_day_bars(const CacheKey& key, UnixNanos day_ns, std::span<const Bar> bars) {
  UnixNanos prev = 0;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const std::string at = "bar " + std::to_string(i) + " (" + format_iso8601(b.ts_open_ns) + "): ";
    if (b.instrument != key.instrument)
      return at + "instrument " + b.instrument.to_string() + " is not the cache key's";
    if (b.interval_s != key.interval_s)
      return at + "interval " + interval_name(b.interval_s) + " is not the cache key's";
    if (!b.closed) return at + "not closed (a forming bar is never cached)";
    if (auto bad = check_bar_values(b)) return at + *bad;
    if (b.ts_open_ns < day_ns || b.ts_open_ns >= day_ns + kNanosPerDay)
      return at + "opens outside " + format_day(day_ns);
    if (i > 0 && b.ts_open_ns <= prev) return at + "not after the previous bar";
    prev = b.ts_open_ns;
  }
  return std::nullopt;
}

}  // namespace

Result<std::filesystem::path, LoadError> HistoryCache::write_day(const CacheKey& key, UnixNanos day_ns,
                                                                 std::span<const Bar> bars) const {
  const auto path = day_path(key, day_ns);
  auto fail = [&](std::string m) { return Err{LoadError{path.string(), 0, std::move(m)}}; };
  if (auto bad = cache_key_problem(key)) return fail(*bad);
  if (day_ns != utc_day_start(day_ns)) return fail("day_ns is not the start of a UTC day");
  if (auto bad = check_day_bars(key, day_ns, bars)) return fail(*bad);

  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fail("cannot create the directory: " + ec.message());
  auto written = write_file_atomically(path, format_ohlcv_csv(bars));
  if (!written) return Err{written.error()};
  return path;
}

Result<OhlcvCsvReader, LoadError> HistoryCache::open_day(const CacheKey& key, UnixNanos day_ns) const {
  return OhlcvCsvReader::open(day_path(key, day_ns), OhlcvCsvOptions{key.instrument, key.interval_s});
}

}  // namespace tradingd::backtest
