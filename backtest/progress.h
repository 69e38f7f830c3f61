// Progress reporting for long downloads and backtests: a redrawn bar when stderr is a terminal (at most one
// redraw per redraw interval), otherwise a plain key=value log line per log interval, so a systemd journal
// or CI log gets a few lines instead of a flood of carriage returns. Time comes from an injected Clock
// (its monotonic time); advance() is thread-safe, so sweep workers can share one reporter.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace tradingd::backtest {

struct ProgressOptions {
  std::string label = "progress";
  std::string unit = "items";                              // "bars", "requests", "runs"
  bool terminal = false;                                   // draw a bar (stderr is a TTY) or log lines
  std::int64_t redraw_interval_ns = 100 * kNanosPerMilli;  // terminal
  std::int64_t log_interval_ns = 10 * kNanosPerSecond;     // plain lines
  int bar_width = 30;
};

// "label [##########----------]  50.0%  500/1,000 bars  2.5k bars/s  ETA 0:03:20" (no newline).
std::string format_progress_bar(std::string_view label, std::string_view unit, std::uint64_t done, std::uint64_t total,
                                std::int64_t elapsed_ns, int width);
// "Progress label=download done=500 total=1000 pct=50.0 rate_per_s=2500 eta_s=200" (no newline).
std::string format_progress_line(std::string_view label, std::uint64_t done, std::uint64_t total,
                                 std::int64_t elapsed_ns);

class ProgressReporter {
 public:
  using Writer = std::function<void(std::string_view)>;
  // total 0: unknown (no percentage or ETA).
  ProgressReporter(std::uint64_t total, ProgressOptions options, const Clock& clock, Writer write);
  // To stderr, as a bar only if stderr is a terminal.
  static ProgressReporter to_stderr(std::uint64_t total, std::string label, std::string unit, const Clock& clock);

  void advance(std::uint64_t n = 1);
  void set(std::uint64_t done);
  // The final state: the bar at 100 % plus a newline, or a last line. Idempotent.
  void finish();

 private:
  void maybe_emit(bool force);  // with mutex_ held

  std::uint64_t total_;
  ProgressOptions options_;
  const Clock& clock_;
  Writer write_;
  std::mutex mutex_;
  std::uint64_t done_ = 0;
  std::int64_t start_ns_;
  std::int64_t last_emit_ns_;
  bool finished_ = false;
};

}  // namespace tradingd::backtest
