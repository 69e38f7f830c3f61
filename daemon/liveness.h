// Liveness behind /healthz: the event loop beats once a second (the housekeeping tick); the HTTP threads
// call the daemon alive only while the last beat is recent. A stuck io_context thus fails /healthz, as it
// stops the systemd watchdog pings. Lock-free: one atomic timestamp.
#pragma once

#include <atomic>
#include <cstdint>

namespace tradingd::daemon {

class Liveness {
 public:
  explicit Liveness(std::int64_t max_silence_ns, std::int64_t now_ns = 0) : max_silence_ns_(max_silence_ns), last_beat_ns_(now_ns) {}
  void beat(std::int64_t monotonic_now_ns) { last_beat_ns_.store(monotonic_now_ns, std::memory_order_relaxed); }
  bool alive(std::int64_t monotonic_now_ns) const {
    return monotonic_now_ns - last_beat_ns_.load(std::memory_order_relaxed) <= max_silence_ns_;
  }
  std::int64_t silence_ns(std::int64_t monotonic_now_ns) const {
    return monotonic_now_ns - last_beat_ns_.load(std::memory_order_relaxed);
  }

 private:
  const std::int64_t max_silence_ns_;
  std::atomic<std::int64_t> last_beat_ns_;
};

}  // namespace tradingd::daemon
