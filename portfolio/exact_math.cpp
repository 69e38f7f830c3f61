// a·b/c with 128-bit intermediates and explicit rounding (the same rounding rules as core/fixed_point).
#include "portfolio/exact_math.h"

namespace tradingd::exact {

std::int64_t muldiv(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
  if (c == 0) throw FixedPointOverflow("fixed-point division by zero");
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
