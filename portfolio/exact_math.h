// Exact ratio arithmetic on fixed-point raw values that core's mul/div do not cover: a·b/c with one
// rounding (pro-rata cost basis, fee shares, percentages). 128-bit intermediates; a result outside the
// int64 range, or c == 0, throws FixedPointOverflow like every other fixed-point operation.
#pragma once

#include <cstdint>

#include "core/fixed_point.h"

namespace tradingd::exact {

// a · b / c, rounded once as asked.
std::int64_t muldiv(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode);

// a · b / 10^9: the product of two fixed-point values (price × quantity, amount × price), exactly what
// fixed_mul computes, through muldiv's faster division; muldiv(a, b, 10^9, mode) compiled for its constant
// divisor (every market event re-marks an open position with it).
std::int64_t mul_scaled(std::int64_t a, std::int64_t b, Rounding mode);

// value × pct / 100 for the *_pct config fields (Rate holding a percentage: 2 = 2%).
inline Money percent_of(Money value, Rate pct, Rounding mode) {
  return Money::from_raw(muldiv(value.raw(), pct.raw(), 100 * fixed::kScale, mode));
}
// 100 × part / whole as a Rate percentage; whole must be non-zero.
inline Rate percent(Money part, Money whole, Rounding mode) {
  return Rate::from_raw(muldiv(part.raw(), 100 * fixed::kScale, whole.raw(), mode));
}

}  // namespace tradingd::exact
