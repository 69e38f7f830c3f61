// LoadError: what went wrong reading historical data, always with the file and (when it is about one row)
// the 1-based line, so a user can open the file at the bad row. Errors are values; nothing here throws.
#pragma once

#include <cstdint>
#include <string>

namespace tradingd::backtest {

struct LoadError {
  std::string path;        // the file (or a source name for in-memory sources)
  std::uint64_t line = 0;  // 1-based; 0 when the error is about the whole file
  std::string message;

  // "data/BTCUSDT-1m-2024-01.csv:17: expected 12 columns, found 11" (no ":line" when line is 0).
  std::string to_string() const {
    std::string s = path;
    if (line > 0) s += ":" + std::to_string(line);
    s += ": ";
    s += message;
    return s;
  }
  friend bool operator==(const LoadError&, const LoadError&) = default;
};

// What a streaming reader's next() returns: a value was produced, the input is exhausted, or error() says
// why it stopped (after an error every later call returns Error again).
enum class ReadStatus : std::uint8_t { Item, End, Error };

}  // namespace tradingd::backtest
