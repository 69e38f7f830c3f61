// Slippage offsets (fixed bps, absolute, volatility/spread scaled) and the EWMA volatility estimate.
#include "execution/sim/slippage_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tradingd::sim {

void VolatilityEstimator::observe(Price price, double lambda) {
  if (!price.is_positive()) return;
  if (last_raw_ > 0 && price.raw() != last_raw_) {
    const double r = std::log(static_cast<double>(price.raw()) / static_cast<double>(last_raw_));
    variance_ = lambda * variance_ + (1.0 - lambda) * r * r;
  } else if (last_raw_ > 0) {
    variance_ = lambda * variance_;  // an unchanged price is a zero return
  }
  last_raw_ = price.raw();
}

double VolatilityEstimator::sigma() const { return variance_ > 0.0 ? std::sqrt(variance_) : 0.0; }

Price slippage_offset(const SlippageConfig& cfg, Price reference, std::optional<Price> spread, double sigma,
                      Price tick) {
  std::int64_t raw = 0;
  switch (cfg.kind) {
    case SlippageKind::Absolute: raw = std::max<std::int64_t>(0, cfg.absolute.raw()); break;
    case SlippageKind::FixedBps:
    case SlippageKind::Volatility: {
      // reference × bps / 10 000, rounded up.
      const std::int64_t ref_bps = fixed::mul_raw(reference.raw(), std::max<std::int64_t>(0, cfg.bps.raw()), Rounding::Up);
      raw = ref_bps / 10'000 + (ref_bps % 10'000 != 0 ? 1 : 0);
      if (cfg.kind == SlippageKind::Volatility) {
        const double spread_part = spread ? spread->to_double() * cfg.spread_multiplier : 0.0;
        const double vol_part = reference.to_double() * sigma * cfg.volatility_multiplier;
        const double extra = std::max(0.0, std::max(spread_part, vol_part));
        // Bound the statistic before it becomes money: at most the reference price itself.
        const double capped = std::min(extra, reference.to_double());
        // Round up to 1e-9, ignoring binary noise below 1e-12 so it cannot push the offset up a whole tick.
        const double scaled = capped * static_cast<double>(fixed::kScale) - 1e-3;
        raw += scaled > 0.0 ? static_cast<std::int64_t>(std::ceil(scaled)) : 0;
      }
      break;
    }
  }
  Price offset = Price::from_raw(raw);
  if (!tick.is_positive() || offset.is_zero()) return offset;
  // Up to the tick: raw is positive here, so round_to's 128-bit division is needed only where q × tick
  // could overflow (round_to then reports it).
  const std::int64_t t = tick.raw();
  if (raw > 0 && raw <= std::numeric_limits<std::int64_t>::max() - t) {
    const std::int64_t q = raw / t + (raw % t != 0 ? 1 : 0);
    return Price::from_raw(q * t);
  }
  return offset.round_to(tick, Rounding::Up);
}

Price slipped_price(Side taker_side, Price reference, Price offset, Price tick) {
  if (taker_side == Side::Buy) return reference + offset;
  const Price floor = tick.is_positive() ? tick : Price::from_raw(1);
  const Price p = reference - offset;
  return p < floor ? floor : p;
}

}  // namespace tradingd::sim
