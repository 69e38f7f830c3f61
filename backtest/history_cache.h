// The on-disk history cache used by `tradingd fetch-history` and backtests: one plain OHLCV CSV per UTC day
// at <root>/<venue>/<market>/<symbol>/<interval>/<YYYY-MM-DD>.csv (the market segment keeps Binance spot
// and USD-M BTCUSDT apart). A day file is written only whole (temp file, fsync, rename), so a present file
// is a complete download and a killed fetch leaves no half day behind. Path logic is pure; I/O is
// limited to listing a directory, writing a day and opening one.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backtest/load_error.h"
#include "backtest/ohlcv_csv.h"
#include "core/result.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

struct CacheKey {
  InstrumentId instrument;
  std::int64_t interval_s = 60;
  friend bool operator==(const CacheKey&, const CacheKey&) = default;
};

// Why a key cannot name a directory (a symbol with '/', "." or ".."), or nullopt.
std::optional<std::string> cache_key_problem(const CacheKey& key);

// Pure layout.
std::filesystem::path cache_series_dir(const std::filesystem::path& root, const CacheKey& key);
std::filesystem::path cache_day_path(const std::filesystem::path& root, const CacheKey& key, UnixNanos day_ns);
// "2024-01-02.csv" -> the day's start; nullopt for other names (temp files, strays).
std::optional<UnixNanos> parse_cache_day_file_name(std::string_view name);

// The UTC days overlapping [from_ns, to_ns), as day starts.
std::vector<UnixNanos> days_in_range(UnixNanos from_ns, UnixNanos to_ns);
// Days (sorted day starts) joined into runs of consecutive days: [first day, last day + 1 day).
struct DayRange {
  UnixNanos from_ns = 0;
  UnixNanos to_ns = 0;
  friend bool operator==(const DayRange&, const DayRange&) = default;
};
std::vector<DayRange> group_consecutive_days(std::span<const UnixNanos> days);
// Of the given days, those that have ended by now_ns (only those can be cached: today is still growing).
std::vector<UnixNanos> ended_days(std::span<const UnixNanos> days, UnixNanos now_ns);

// The day file's bytes: the OHLCV header and one row per bar (epoch ms open time, canonical decimals).
std::string format_ohlcv_csv(std::span<const Bar> bars);

class HistoryCache {
 public:
  explicit HistoryCache(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }

  std::filesystem::path day_path(const CacheKey& key, UnixNanos day_ns) const {
    return cache_day_path(root_, key, day_ns);
  }
  // Days of [from_ns, to_ns) with a file present (one directory listing), and those without.
  std::vector<UnixNanos> present_days(const CacheKey& key, UnixNanos from_ns, UnixNanos to_ns) const;
  std::vector<UnixNanos> missing_days(const CacheKey& key, UnixNanos from_ns, UnixNanos to_ns) const;

  // Writes one whole day atomically. Every bar must be a closed, well-formed (check_bar_values) bar of this
  // key's instrument and interval, opening inside the day, in increasing time; else nothing is written and
  // the error says which bar.
  Result<std::filesystem::path, LoadError> write_day(const CacheKey& key, UnixNanos day_ns,
                                                     std::span<const Bar> bars) const;

  Result<OhlcvCsvReader, LoadError> open_day(const CacheKey& key, UnixNanos day_ns) const;

 private:
  std::filesystem::path root_;
};

}  // namespace tradingd::backtest
