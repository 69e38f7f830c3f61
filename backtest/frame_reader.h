// Recorded frames (the `tradingd replay` format): one raw venue message per line, exactly as the venue sent
// it. This reader only splits lines and tags them with their venue; decoding them into trades and book
// updates is the market-data layer's job (exchange/<venue>/parse). Blank lines are skipped; a line that
// cannot be a JSON message (does not start with '{' or '[') is an error naming file:line.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backtest/line_reader.h"
#include "core/enums.h"
#include "core/result.h"

namespace tradingd::backtest {

struct RawFrame {
  Venue venue = Venue::Binance;
  std::uint64_t line = 0;  // where it came from, for decode errors downstream
  std::string text;
  friend bool operator==(const RawFrame&, const RawFrame&) = default;
};

// The venue a recording's file name starts with: "binance-2024-01-02.jsonl", "okx_books.jsonl".
std::optional<Venue> venue_from_file_name(std::string_view path);

class FrameReader {
 public:
  // venue: given on the command line (--venue); else taken from the file name.
  static Result<FrameReader, LoadError> open(const std::filesystem::path& path,
                                             std::optional<Venue> venue = std::nullopt);
  ReadStatus next(RawFrame& out);
  const LoadError& error() const { return lines_.error(); }
  Venue venue() const { return venue_; }
  const std::string& path() const { return lines_.path(); }

 private:
  FrameReader(LineReader lines, Venue venue) : lines_(std::move(lines)), venue_(venue) {}

  DataLines lines_;
  Venue venue_;
};

}  // namespace tradingd::backtest
