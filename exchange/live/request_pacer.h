// RequestPacer: keeps a venue adapter inside the venue's request quotas instead of finding them by being
// refused. Each quota is a fixed window (Binance's weight and order-count windows are aligned to the
// clock: per 10 s, per minute, per day; Bybit and OKX count per second or per two seconds the same way),
// with a limit in the venue's units (weight, requests, orders). The adapter asks admit() before sending;
// a positive answer is how long to queue the request. Usage the venue reports in its response headers
// (X-MBX-USED-WEIGHT-1M, X-Bapi-Limit-Status) replaces the local count when it is higher, so requests the
// daemon made before a restart, or other clients of the same key, are accounted for.
// 429 + Retry-After blocks the venue until then; a ban (Binance 418) blocks until the ban's end and stays
// visible (banned()) so the daemon alerts. Pure: time comes in as arguments.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"

namespace tradingd::live {

struct RateWindow {
  std::string name;           // "weight_1m", "orders_10s": metric label and log text
  std::int64_t limit = 0;     // units per window; <= 0: unlimited
  std::int64_t interval_ns = 0;
  // Keep this share of the limit in reserve (percent) so cancels and queries still go through when the
  // strategy has used up the rest.
  int headroom_pct = 0;
};

struct RateCost {
  std::size_t window = 0;  // index into the pacer's windows
  std::int64_t units = 1;
};

class RequestPacer {
 public:
  explicit RequestPacer(std::vector<RateWindow> windows);

  // 0: the request may go now and its costs are counted. Otherwise the nanoseconds to wait before asking
  // again (nothing is counted). priority requests (cancels, queries for unknown outcomes) may use the
  // headroom the others leave.
  std::int64_t admit(std::span<const RateCost> costs, UnixNanos now_ns, bool priority = false);
  // The venue's own count for a window (from a response header) at now_ns.
  void observe_used(std::size_t window, std::int64_t used, UnixNanos now_ns);
  // 429 / Retry-After, or a venue-wide throttle: nothing is admitted before until_ns.
  void block_until(UnixNanos until_ns);
  // Binance 418: as block_until, and banned() stays true until the ban has passed.
  void ban_until(UnixNanos until_ns);
  bool banned(UnixNanos now_ns) const { return banned_ && now_ns < blocked_until_ns_; }
  UnixNanos blocked_until() const { return blocked_until_ns_; }

  std::size_t window_count() const { return windows_.size(); }
  const RateWindow& window(std::size_t i) const { return windows_[i].spec; }
  std::int64_t used(std::size_t i, UnixNanos now_ns) const;

 private:
  struct Window {
    RateWindow spec;
    std::int64_t start_ns = 0;  // start of the current fixed window
    std::int64_t used = 0;
  };
  void roll(Window& w, UnixNanos now_ns) const;

  std::vector<Window> windows_;
  UnixNanos blocked_until_ns_ = 0;
  bool banned_ = false;
};

}  // namespace tradingd::live
