// Sliding-window and per-day order counting. The window keeps exactly `limit` timestamps in a ring: the
// limit is reached when the oldest of them is still inside the last second.
#include "risk/order_rate_limiter.h"

#include <string>

namespace tradingd {

OrderRateLimiter::Window::Window(int capacity) : times_(static_cast<std::size_t>(capacity > 0 ? capacity : 0)) {}

OrderRateLimiter::OrderRateLimiter(OrderRateLimits limits)
    : limits_(limits),
      venue_windows_{Window(limits.per_second_per_venue), Window(limits.per_second_per_venue),
                     Window(limits.per_second_per_venue), Window(limits.per_second_per_venue)},
      total_window_(limits.per_second_total) {}

std::optional<RiskDenial> OrderRateLimiter::check(Venue venue, std::int64_t monotonic_ns, UnixNanos wall_ns) const {
  const auto v = static_cast<std::size_t>(venue) % kVenues;
  if (venue_windows_[v].full_within_second(monotonic_ns))
    return RiskDenial{RiskDenyReason::OrderRatePerSecond, std::string(to_string(venue)) + ": " +
                                                              std::to_string(limits_.per_second_per_venue) +
                                                              " orders in the last second (max_orders_per_second)"};
  if (total_window_.full_within_second(monotonic_ns))
    return RiskDenial{RiskDenyReason::OrderRatePerSecond,
                      "all venues: " + std::to_string(limits_.per_second_total) + " orders in the last second (max_orders_per_second_total)"};
  if (limits_.per_day_per_venue > 0 && venue_days_[v].at(wall_ns) >= limits_.per_day_per_venue)
    return RiskDenial{RiskDenyReason::OrderRatePerDay, std::string(to_string(venue)) + ": " +
                                                           std::to_string(limits_.per_day_per_venue) +
                                                           " orders today (UTC) (max_orders_per_day)"};
  if (limits_.per_day_total > 0 && total_day_.at(wall_ns) >= limits_.per_day_total)
    return RiskDenial{RiskDenyReason::OrderRatePerDay,
                      "all venues: " + std::to_string(limits_.per_day_total) + " orders today (UTC) (max_orders_per_day_total)"};
  return std::nullopt;
}

void OrderRateLimiter::record(Venue venue, std::int64_t monotonic_ns, UnixNanos wall_ns) {
  const auto v = static_cast<std::size_t>(venue) % kVenues;
  venue_windows_[v].push(monotonic_ns);
  total_window_.push(monotonic_ns);
  const auto count = [wall_ns](DayCount& d) {
    if (!d.holds(wall_ns)) d = DayCount{utc_day_start(wall_ns), 0};  // a later day
    ++d.count;
  };
  count(venue_days_[v]);
  count(total_day_);
}

std::int64_t OrderRateLimiter::sent_today(Venue venue, UnixNanos wall_ns) const {
  return venue_days_[static_cast<std::size_t>(venue) % kVenues].at(wall_ns);
}

std::int64_t OrderRateLimiter::sent_today_total(UnixNanos wall_ns) const { return total_day_.at(wall_ns); }

}  // namespace tradingd
