// Bar intervals: our canonical names ("1s", "1m", "1h", "1d", "1w" and the multiples the venues list) and
// their lengths. Monthly bars ("1M") have no fixed length and are refused rather than approximated, since
// gap detection, the cache layout and the request planners all step by a fixed interval.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::backtest {

// "1m" -> 60. Accepts the Binance spelling (which is also ours): 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h
// 1d 3d 1w. nullopt for anything else (including "1M").
std::optional<std::int64_t> parse_interval(std::string_view name);
// 60 -> "1m"; intervals outside the list above get "<n>s".
std::string interval_name(std::int64_t interval_s);

}  // namespace tradingd::backtest
