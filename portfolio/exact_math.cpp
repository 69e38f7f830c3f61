// a·b/c with 128-bit intermediates and explicit rounding (the same rounding rules as core/fixed_point).
#include "portfolio/exact_math.h"

#include <cstdint>

namespace tradingd::exact {

std::int64_t muldiv(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
  if (c == 0) throw FixedPointOverflow("fixed-point division by zero");
  // Fast path, same result: when a·b fits in 64 bits, 64-bit division instead of the 128-bit library call
  // (the portfolio divides several times per market event).
  if (std::int64_t n; !__builtin_mul_overflow(a, b, &n) && !(n == INT64_MIN && c == -1)) {
    std::int64_t q = n / c;
    const std::int64_t r = n % c;
    if (r != 0) {
      const bool negative = (n < 0) != (c < 0);
      switch (mode) {
        case Rounding::TowardZero: break;
        case Rounding::Down: if (negative) --q; break;
        case Rounding::Up: if (!negative) ++q; break;
        case Rounding::Nearest: {
          // 2·|r| ≥ |c| without overflow: |r| < |c|, so |c| − |r| > 0.
          const std::uint64_t ar = r < 0 ? 0 - static_cast<std::uint64_t>(r) : static_cast<std::uint64_t>(r);
          const std::uint64_t ac = c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
          if (ar >= ac - ar) q += negative ? -1 : 1;
          break;
        }
      }
    }
    if (q == INT64_MIN) throw FixedPointOverflow("fixed-point overflow in muldiv");
    return q;
  }
  __extension__ typedef __int128 i128;
  const i128 n = static_cast<i128>(a) * b;
  i128 q = n / c;
  const i128 r = n % c;
  if (r != 0) {
    const bool negative = (n < 0) != (c < 0);
    switch (mode) {
      case Rounding::TowardZero: break;
      case Rounding::Down: if (negative) --q; break;
      case Rounding::Up: if (!negative) ++q; break;
      case Rounding::Nearest: {
        const i128 ar = r < 0 ? -r : r;
        const i128 ac = c < 0 ? -static_cast<i128>(c) : static_cast<i128>(c);
        if (2 * ar >= ac) q += negative ? -1 : 1;
        break;
      }
    }
  }
  if (q > INT64_MAX || q < -INT64_MAX) throw FixedPointOverflow("fixed-point overflow in muldiv");
  return static_cast<std::int64_t>(q);
}

}  // namespace tradingd::exact
