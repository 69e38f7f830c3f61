#include "exchange/live/request_pacer.h"

#include <algorithm>

namespace tradingd::live {

RequestPacer::RequestPacer(std::vector<RateWindow> windows) {
  windows_.reserve(windows.size());
  for (auto& w : windows) windows_.push_back(Window{std::move(w), 0, 0});
}

void RequestPacer::roll(Window& w, UnixNanos now_ns) const {
  if (w.spec.interval_ns <= 0) return;
  const std::int64_t start = now_ns - (now_ns % w.spec.interval_ns);
  if (start != w.start_ns) {
    w.start_ns = start;
    w.used = 0;
  }
}

std::int64_t RequestPacer::admit(std::span<const RateCost> costs, UnixNanos now_ns, bool priority) {
  if (now_ns < blocked_until_ns_) return blocked_until_ns_ - now_ns;
  std::int64_t wait = 0;
  for (const auto& c : costs) {
    if (c.window >= windows_.size()) continue;
    auto& w = windows_[c.window];
    if (w.spec.limit <= 0) continue;
    roll(w, now_ns);
    const std::int64_t reserve = priority ? 0 : w.spec.limit * w.spec.headroom_pct / 100;
    if (w.used + c.units > w.spec.limit - reserve) {
      wait = std::max(wait, w.start_ns + w.spec.interval_ns - now_ns);
    }
  }
  if (wait > 0) return wait;
  for (const auto& c : costs) {
    if (c.window < windows_.size()) windows_[c.window].used += c.units;
  }
  return 0;
}

void RequestPacer::observe_used(std::size_t window, std::int64_t used, UnixNanos now_ns) {
  if (window >= windows_.size()) return;
  auto& w = windows_[window];
  roll(w, now_ns);
  w.used = std::max(w.used, used);
}

void RequestPacer::block_until(UnixNanos until_ns) { blocked_until_ns_ = std::max(blocked_until_ns_, until_ns); }

void RequestPacer::ban_until(UnixNanos until_ns) {
  block_until(until_ns);
  banned_ = true;
}

std::int64_t RequestPacer::used(std::size_t i, UnixNanos now_ns) const {
  if (i >= windows_.size()) return 0;
  Window w = windows_[i];
  roll(w, now_ns);
  return w.used;
}

}  // namespace tradingd::live
