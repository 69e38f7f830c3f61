// ServerTime: the offset between the venue's clock and ours, so signed requests carry timestamps inside
// the venue's receive window even when the host clock drifts. A sample is the venue's time (from its
// server-time endpoint or a response's header/field) with the local send and receive times around it; the
// offset assumes the server stamped the midpoint. Samples with a round trip much longer than the best one
// seen are ignored (a slow answer says little about the clock). A timestamp rejection invalidates the
// offset: the adapter resyncs before signing again instead of failing repeatedly. Pure.
#pragma once

#include <cstdint>

#include "core/clock.h"

namespace tradingd::live {

class ServerTime {
 public:
  // resync_interval_ns: how old the last good sample may get before needs_resync() says so.
  explicit ServerTime(std::int64_t resync_interval_ns = 10 * 60 * kNanosPerSecond) : resync_interval_ns_(resync_interval_ns) {}

  // server_ms: the venue's time in milliseconds; sent/received: local wall-clock times around the request.
  // False when the sample was discarded (negative or too long a round trip).
  bool on_sample(std::int64_t server_ms, UnixNanos sent_ns, UnixNanos received_ns);
  // After the venue refused a timestamp: the next request waits for a new sample.
  void invalidate() { synced_ = false; }

  bool synced() const { return synced_; }
  bool needs_resync(UnixNanos now_ns) const { return !synced_ || now_ns - last_sample_ns_ > resync_interval_ns_; }
  std::int64_t offset_ns() const { return offset_ns_; }  // server - local
  // The venue's "now" in milliseconds, for the timestamp parameter / header.
  std::int64_t server_ms(UnixNanos local_now_ns) const { return (local_now_ns + offset_ns_) / kNanosPerMilli; }
  std::int64_t best_rtt_ns() const { return best_rtt_ns_; }

 private:
  std::int64_t resync_interval_ns_;
  std::int64_t offset_ns_ = 0;
  std::int64_t best_rtt_ns_ = 0;
  UnixNanos last_sample_ns_ = 0;
  bool synced_ = false;
};

}  // namespace tradingd::live
