// Row invariants shared by the bar loaders.
#include "backtest/bar_reader.h"

namespace tradingd::backtest {

std::optional<std::string> check_bar_values(const Bar& b) {
  if (!b.low.is_positive()) return "low must be positive (" + b.low.to_string() + ")";
  if (b.high < b.low) return "high " + b.high.to_string() + " is below low " + b.low.to_string();
  if (b.open < b.low || b.open > b.high) return "open " + b.open.to_string() + " is outside [low, high]";
  if (b.close < b.low || b.close > b.high) return "close " + b.close.to_string() + " is outside [low, high]";
  if (b.volume.is_negative()) return "volume is negative (" + b.volume.to_string() + ")";
  return std::nullopt;
}

std::string OpenTimeOrder::why_not(UnixNanos t) const {
  return std::string(t == prev_ns_ ? "duplicate" : "out-of-order") + " open time " + format_iso8601(t) + " (line " +
         std::to_string(prev_line_) + " has " + format_iso8601(prev_ns_) + ")";
}

}  // namespace tradingd::backtest
