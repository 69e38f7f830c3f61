// Gap detection in bar series: which expected open times are missing, reported as ranges, plus duplicates,
// out-of-order and off-grid bars. Pure and streaming (observe one open time at a time), so a downloader or
// loader can check a year of minute bars without keeping them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "exchange/market_data.h"

namespace tradingd::backtest {

// The open times [from_ns, to_ns) are missing: from_ns, from_ns + interval, ..., to_ns - interval.
struct BarGap {
  UnixNanos from_ns = 0;
  UnixNanos to_ns = 0;
  friend bool operator==(const BarGap&, const BarGap&) = default;
};

struct GapReport {
  std::vector<BarGap> gaps;
  std::int64_t missing_bars = 0;
  std::int64_t duplicates = 0;    // the same open time again
  std::int64_t out_of_order = 0;  // earlier than the latest seen
  std::int64_t off_grid = 0;      // not a whole number of intervals from the grid origin
  bool clean() const { return gaps.empty() && duplicates == 0 && out_of_order == 0 && off_grid == 0; }
};

class GapDetector {
 public:
  // expected_from: the first open time the series should have (a gap before the first bar is reported);
  // it is also the grid origin. Without it the first observed bar is the origin.
  explicit GapDetector(std::int64_t interval_s, std::optional<UnixNanos> expected_from = std::nullopt);
  void observe(UnixNanos open_ns);
  // expected_to: the series should cover open times < expected_to (a trailing gap is reported).
  GapReport finish(std::optional<UnixNanos> expected_to = std::nullopt);

 private:
  void add_gap(UnixNanos from, UnixNanos to);

  std::int64_t interval_ns_;
  std::optional<UnixNanos> origin_;
  std::optional<UnixNanos> next_expected_;  // open time the next bar should have
  GapReport report_;
};

GapReport find_gaps(std::span<const Bar> bars, std::int64_t interval_s,
                    std::optional<UnixNanos> expected_from = std::nullopt,
                    std::optional<UnixNanos> expected_to = std::nullopt);

// "2024-01-02T03:04:00Z to 2024-01-02T03:10:00Z (6 bars of 1m)" for logs and reports.
std::string describe(const BarGap& gap, std::int64_t interval_s);

}  // namespace tradingd::backtest
