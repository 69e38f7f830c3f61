// The interval table: one list, read both ways.
#include "backtest/interval.h"

#include <array>
#include <utility>

namespace tradingd::backtest {
namespace {
constexpr std::array<std::pair<std::string_view, std::int64_t>, 15> kIntervals{{
    {"1s", 1},
    {"1m", 60},
    {"3m", 180},
    {"5m", 300},
    {"15m", 900},
    {"30m", 1800},
    {"1h", 3600},
    {"2h", 7200},
    {"4h", 14'400},
    {"6h", 21'600},
    {"8h", 28'800},
    {"12h", 43'200},
    {"1d", 86'400},
    {"3d", 259'200},
    {"1w", 604'800},
}};
}  // namespace

std::optional<std::int64_t> parse_interval(std::string_view name) {
  for (const auto& [n, s] : kIntervals)
    if (n == name) return s;
  return std::nullopt;
}

std::string interval_name(std::int64_t interval_s) {
  for (const auto& [n, s] : kIntervals)
    if (s == interval_s) return std::string(n);
  return std::to_string(interval_s) + "s";
}

}  // namespace tradingd::backtest
