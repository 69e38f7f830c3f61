#include "exchange/live/server_time.h"

namespace tradingd::live {

bool ServerTime::on_sample(std::int64_t server_ms, UnixNanos sent_ns, UnixNanos received_ns) {
  const std::int64_t rtt = received_ns - sent_ns;
  if (rtt < 0) return false;
  // Keep samples within 4x the best round trip (and always accept one when unsynced: better than nothing).
  if (synced_ && best_rtt_ns_ > 0 && rtt > 4 * best_rtt_ns_ + 2 * kNanosPerMilli) return false;
  if (best_rtt_ns_ == 0 || rtt < best_rtt_ns_) best_rtt_ns_ = rtt;
  const std::int64_t midpoint = sent_ns + rtt / 2;
  offset_ns_ = server_ms * kNanosPerMilli - midpoint;
  last_sample_ns_ = received_ns;
  synced_ = true;
  return true;
}

}  // namespace tradingd::live
