// Streaming gap detection: only the next expected open time is kept.
#include "backtest/gaps.h"

#include "backtest/interval.h"

namespace tradingd::backtest {

GapDetector::GapDetector(std::int64_t interval_s, std::optional<UnixNanos> expected_from)
    : interval_ns_((interval_s > 0 ? interval_s : 1) * kNanosPerSecond),
      origin_(expected_from),
      next_expected_(expected_from) {}

void GapDetector::add_gap(UnixNanos from, UnixNanos to) {
  if (to <= from) return;
  report_.gaps.push_back(BarGap{from, to});
  report_.missing_bars += (to - from) / interval_ns_;
}

void GapDetector::observe(UnixNanos t) {
  if (!origin_) origin_ = t;
  const std::int64_t offset = t - *origin_;
  if (offset % interval_ns_ != 0) {
    ++report_.off_grid;
    return;
  }
  if (!next_expected_) {
    next_expected_ = t + interval_ns_;
    return;
  }
  if (t == *next_expected_ - interval_ns_) {
    ++report_.duplicates;
  } else if (t < *next_expected_) {
    ++report_.out_of_order;
  } else {
    add_gap(*next_expected_, t);
    next_expected_ = t + interval_ns_;
  }
}

GapReport GapDetector::finish(std::optional<UnixNanos> expected_to) {
  if (expected_to) {
    if (next_expected_) {
      add_gap(*next_expected_, *expected_to);
    } else if (origin_) {
      add_gap(*origin_, *expected_to);  // nothing at all was observed in the expected range
    }
  }
  return report_;
}

GapReport find_gaps(std::span<const Bar> bars, std::int64_t interval_s, std::optional<UnixNanos> expected_from,
                    std::optional<UnixNanos> expected_to) {
  GapDetector d(interval_s, expected_from);
  for (const Bar& b : bars) d.observe(b.ts_open_ns);
  return d.finish(expected_to);
}

std::string describe(const BarGap& gap, std::int64_t interval_s) {
  const std::int64_t n = interval_s > 0 ? (gap.to_ns - gap.from_ns) / (interval_s * kNanosPerSecond) : 0;
  return format_iso8601(gap.from_ns) + " to " + format_iso8601(gap.to_ns) + " (" + std::to_string(n) + " bar" +
         (n == 1 ? "" : "s") + " of " + interval_name(interval_s) + ")";
}

}  // namespace tradingd::backtest
