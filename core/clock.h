// Time: nanoseconds since the Unix epoch (UTC) as int64, and the Clock interface every component takes so
// tests and backtests drive time by hand. Pure code never reads the system clock itself.
#pragma once

#include <cstdint>
#include <string>
#include <optional>
#include <string_view>

namespace tradingd {

using UnixNanos = std::int64_t;
inline constexpr std::int64_t kNanosPerMicro = 1'000;
inline constexpr std::int64_t kNanosPerMilli = 1'000'000;
inline constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr std::int64_t kNanosPerDay = 86'400 * kNanosPerSecond;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC): event timestamps, the UTC day, journal records.
  virtual UnixNanos now_ns() const = 0;
  // Monotonic time for measuring durations and timeouts; the simulated clock returns now_ns().
  virtual std::int64_t monotonic_ns() const = 0;
};

class RealClock final : public Clock {
 public:
  UnixNanos now_ns() const override;
  std::int64_t monotonic_ns() const override;
};

// Manually driven time, for tests and backtests. Never goes backwards.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(UnixNanos start_ns = 0) : now_ns_(start_ns) {}
  UnixNanos now_ns() const override { return now_ns_; }
  std::int64_t monotonic_ns() const override { return now_ns_; }
  // Moves time to t if t is later; returns false (and leaves time alone) if t is earlier.
  bool set_ns(UnixNanos t) {
    if (t < now_ns_) return false;
    now_ns_ = t;
    return true;
  }
  void advance_ns(std::int64_t delta_ns) { if (delta_ns > 0) now_ns_ += delta_ns; }

 private:
  UnixNanos now_ns_;
};

// Start of the UTC day containing t.
constexpr UnixNanos utc_day_start(UnixNanos t) {
  UnixNanos d = t / kNanosPerDay;
  if (t < 0 && t % kNanosPerDay != 0) --d;
  return d * kNanosPerDay;
}
// "2024-01-02T03:04:05.123456789Z" (fraction digits trimmed to what is non-zero: ms, µs or ns).
std::string format_iso8601(UnixNanos t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with "Z" or "+HH:MM"/"-HH:MM" offset (default UTC).
std::optional<UnixNanos> parse_iso8601(std::string_view text);

}  // namespace tradingd
