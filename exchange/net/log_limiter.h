// Rate limiting for log lines about bad input (malformed frames, parse errors): at most `burst` lines
// per window, then one summary with the number suppressed. Pure: the caller passes monotonic time.
#pragma once

#include <cstdint>

namespace tradingd::net {

class LogLimiter {
 public:
  explicit LogLimiter(int burst = 5, std::int64_t window_ms = 10'000) : burst_(burst), window_ms_(window_ms) {}

  // True when a line may be logged now. suppressed() is the count dropped since the last allowed line;
  // read it when allow() returns true (and log it), it is cleared by the next allow().
  bool allow(std::int64_t now_ms) {
    if (now_ms - window_start_ms_ >= window_ms_ || window_start_ms_ < 0) {
      window_start_ms_ = now_ms;
      used_ = 0;
    }
    if (used_ < burst_) {
      ++used_;
      last_suppressed_ = suppressed_;
      suppressed_ = 0;
      return true;
    }
    ++suppressed_;
    return false;
  }
  std::uint64_t suppressed() const { return last_suppressed_; }

 private:
  int burst_;
  std::int64_t window_ms_;
  std::int64_t window_start_ms_ = -1;
  int used_ = 0;
  std::uint64_t suppressed_ = 0;
  std::uint64_t last_suppressed_ = 0;
};

}  // namespace tradingd::net
