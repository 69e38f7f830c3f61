// OrderRateLimiter: the orders-per-second (sliding one-second window) and orders-per-UTC-day limits, per
// venue and in total. Pure: times come in as arguments (monotonic for the window, wall for the UTC day).
// Invariant: a window never holds more send times than its limit, so memory is fixed at construction and
// check() is O(1).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/enums.h"
#include "risk/risk_gate.h"

namespace tradingd {

struct OrderRateLimits {
  int per_second_per_venue = 0;  // 0: no limit
  int per_second_total = 0;
  int per_day_per_venue = 0;
  int per_day_total = 0;
};

class OrderRateLimiter {
 public:
  explicit OrderRateLimiter(OrderRateLimits limits);

  // Would one more order to this venue exceed a limit? Does not record anything.
  std::optional<RiskDenial> check(Venue venue, std::int64_t monotonic_ns, UnixNanos wall_ns) const;
  // An order was sent (reduce-only ones too: they use the venue's budget even though they are never denied).
  void record(Venue venue, std::int64_t monotonic_ns, UnixNanos wall_ns);

  // Orders sent in the current UTC day (as of the last record or check time passed in).
  std::int64_t sent_today(Venue venue, UnixNanos wall_ns) const;
  std::int64_t sent_today_total(UnixNanos wall_ns) const;
  const OrderRateLimits& limits() const { return limits_; }

 private:
  // The last `capacity` send times, oldest first at head_.
  class Window {
   public:
    explicit Window(int capacity);
    // Sends within (now − 1 s, now]. Inline, as push(): every order asks both windows.
    bool full_within_second(std::int64_t now_ns) const {
      if (times_.empty() || size_ < times_.size()) return false;
      return times_[head_] > now_ns - kNanosPerSecond;
    }
    void push(std::int64_t t_ns) {
      if (times_.empty()) return;
      if (size_ < times_.size()) {
        times_[size_] = t_ns;  // head_ stays 0 until the ring is full
        ++size_;
        return;
      }
      times_[head_] = t_ns;  // overwrite the oldest
      if (++head_ == times_.size()) head_ = 0;
    }

   private:
    std::vector<std::int64_t> times_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
  };
  struct DayCount {
    UnixNanos day_ns = INT64_MIN;
    std::int64_t count = 0;
    // utc_day_start(wall_ns) <= day_ns, i.e. wall_ns < day_ns + one day, without the division (every order
    // asks): the difference is exact in 64 unsigned bits when wall_ns >= day_ns.
    bool holds(UnixNanos wall_ns) const {
      return wall_ns < day_ns ||
             static_cast<std::uint64_t>(wall_ns) - static_cast<std::uint64_t>(day_ns) < static_cast<std::uint64_t>(kNanosPerDay);
    }
    // A wall clock stepping back across midnight keeps counting in the later day (never a free reset).
    std::int64_t at(UnixNanos wall_ns) const { return holds(wall_ns) ? count : 0; }
  };
  static constexpr std::size_t kVenues = 4;

  OrderRateLimits limits_;
  std::array<Window, kVenues> venue_windows_;
  Window total_window_;
  std::array<DayCount, kVenues> venue_days_{};
  DayCount total_day_;
};

}  // namespace tradingd
