// Slippage for fills that cannot walk a known book (top of book only, last trade only, candle opens): the
// taker pays a reference price moved against it by an offset. The offset is never negative and is rounded
// up to the instrument's tick, so the fill price stays on the tick grid and the model never flatters the
// trader. The volatility estimate is a double (statistics only); it becomes a price once, rounded up.
#pragma once

#include <cstdint>
#include <optional>

#include "core/enums.h"
#include "core/fixed_point.h"
#include "execution/sim/sim_config.h"

namespace tradingd::sim {

// EWMA variance of log returns between consecutive observed prices (trades, or candle closes).
class VolatilityEstimator {
 public:
  void observe(Price price, double lambda);
  double sigma() const;  // per observation
  double variance() const { return variance_; }
  std::int64_t last_raw() const { return last_raw_; }
  void restore(double variance, std::int64_t last_raw) {
    variance_ = variance;
    last_raw_ = last_raw;
  }

 private:
  double variance_ = 0.0;
  std::int64_t last_raw_ = 0;  // 0: nothing observed yet
};

// Non-negative offset for a taker filling around `reference`; spread is the current book spread if known.
Price slippage_offset(const SlippageConfig& cfg, Price reference, std::optional<Price> spread, double sigma,
                      Price tick);

// reference moved against the taker by offset; a sell never goes below one tick (or 1e-9 without a tick).
Price slipped_price(Side taker_side, Price reference, Price offset, Price tick);

}  // namespace tradingd::sim
