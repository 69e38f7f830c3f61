// a·b/c with 128-bit intermediates and explicit rounding (the same rounding rules as core/fixed_point).
#include "portfolio/exact_math.h"

#include <cstdint>

namespace tradingd::exact {

namespace {

// muldiv's body, inlined into its two entry points: mul_scaled's constant divisor turns the checks on c
// into constants and its 64-bit division into a multiplication.
[[gnu::always_inline]] inline std::int64_t muldiv_impl(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
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
#if defined(__x86_64__)
  // a·b needs 128 bits, c fits in 64: one divq (128 by 64 bits, the quotient must fit in 64) on the
  // magnitudes gives the same quotient and remainder as the 128-bit library division, several times
  // faster. The sign and the rounding are applied to the magnitudes as below.
  {
    const auto mag = [](std::int64_t v) { return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v); };
    const std::uint64_t ac = mag(c);
    __extension__ typedef unsigned __int128 u128;
    const u128 n = static_cast<u128>(mag(a)) * mag(b);
    const auto hi = static_cast<std::uint64_t>(n >> 64);
    const auto lo = static_cast<std::uint64_t>(n);
    // |quotient| ≥ 2^64 > INT64_MAX: out of range however it rounds.
    if (hi >= ac) throw FixedPointOverflow("fixed-point overflow in muldiv");
    std::uint64_t q, r;
    __asm__("divq %[d]" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), [d] "r"(ac) : "cc");
    const bool negative = ((a < 0) != (b < 0)) != (c < 0);  // a·b ≠ 0 here (it did not fit in 64 bits)
    if (q > static_cast<std::uint64_t>(INT64_MAX)) throw FixedPointOverflow("fixed-point overflow in muldiv");
    if (r != 0) {
      switch (mode) {
        case Rounding::TowardZero: break;
        case Rounding::Down: q += negative ? 1 : 0; break;
        case Rounding::Up: q += negative ? 0 : 1; break;
        case Rounding::Nearest: q += r >= ac - r ? 1 : 0; break;  // 2·r ≥ |c|: half away from zero
      }
    }
    if (q > static_cast<std::uint64_t>(INT64_MAX)) throw FixedPointOverflow("fixed-point overflow in muldiv");
    return negative ? -static_cast<std::int64_t>(q) : static_cast<std::int64_t>(q);
  }
#else
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
#endif
}

}  // namespace

std::int64_t muldiv(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) { return muldiv_impl(a, b, c, mode); }

std::int64_t mul_scaled(std::int64_t a, std::int64_t b, Rounding mode) { return muldiv_impl(a, b, fixed::kScale, mode); }

}  // namespace tradingd::exact
