// Backoff schedule (see backoff.h): ceiling = min(max, initial * multiplier^attempts), delay uniform
// in [min, ceiling] (full jitter spreads many clients' reconnects after a venue-wide outage).
#include "exchange/net/backoff.h"

#include <algorithm>
#include <cmath>

namespace tradingd::net {

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), rng_(seed) {
  options_.initial_ms = std::max<std::int64_t>(options_.initial_ms, 1);
  options_.max_ms = std::max(options_.max_ms, options_.initial_ms);
  options_.min_ms = std::clamp<std::int64_t>(options_.min_ms, 0, options_.initial_ms);
  if (!(options_.multiplier >= 1.0)) options_.multiplier = 1.0;  // also catches NaN
}

std::int64_t Backoff::ceiling_ms() const {
  // Grow in floating point but stop as soon as the cap is reached, so huge attempt counts cannot overflow.
  double c = static_cast<double>(options_.initial_ms);
  for (int i = 0; i < attempts_ && c < static_cast<double>(options_.max_ms); ++i) c *= options_.multiplier;
  return std::min<std::int64_t>(options_.max_ms, static_cast<std::int64_t>(std::llround(std::min(c, 9.0e18))));
}

std::int64_t Backoff::next_delay_ms() {
  const std::int64_t ceiling = ceiling_ms();
  const auto span = static_cast<std::uint64_t>(ceiling - options_.min_ms);
  const std::int64_t delay = options_.min_ms + static_cast<std::int64_t>(rng_.uniform(span));
  if (attempts_ < 1'000'000) ++attempts_;
  return delay;
}

void Backoff::on_disconnected(std::int64_t now_ms) {
  if (connected_at_ms_ >= 0 && now_ms - connected_at_ms_ >= options_.stable_after_ms) reset();
  connected_at_ms_ = -1;
}

}  // namespace tradingd::net
