// exact::muldiv and mul_scaled: their 64-bit and divq paths against a plain 128-bit computation, for every rounding mode,
// on random operands of every size and on the edges (INT64_MIN/MAX, ±1, results at the int64 limit),
// including which inputs throw.
#include "portfolio/exact_math.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <random>

namespace tradingd {
namespace {

__extension__ typedef __int128 i128;

std::optional<std::int64_t> reference(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
  if (c == 0) return std::nullopt;
  const i128 n = static_cast<i128>(a) * b;
  i128 q = n / c;
  const i128 r = n % c;
  if (r != 0) {
    const bool negative = (n < 0) != (c < 0);
    const i128 ar = r < 0 ? -r : r;
    const i128 ac = c < 0 ? -static_cast<i128>(c) : static_cast<i128>(c);
    switch (mode) {
      case Rounding::TowardZero: break;
      case Rounding::Down: if (negative) --q; break;
      case Rounding::Up: if (!negative) ++q; break;
      case Rounding::Nearest: if (2 * ar >= ac) q += negative ? -1 : 1; break;
    }
  }
  if (q > INT64_MAX || q < -INT64_MAX) return std::nullopt;
  return static_cast<std::int64_t>(q);
}

std::optional<std::int64_t> actual(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
  try {
    return exact::muldiv(a, b, c, mode);
  } catch (const FixedPointOverflow&) {
    return std::nullopt;
  }
}

constexpr std::array kModes = {Rounding::Down, Rounding::Up, Rounding::Nearest, Rounding::TowardZero};

std::optional<std::int64_t> actual_scaled(std::int64_t a, std::int64_t b, Rounding mode) {
  try {
    return exact::mul_scaled(a, b, mode);
  } catch (const FixedPointOverflow&) {
    return std::nullopt;
  }
}

// muldiv, and for every a and b mul_scaled (muldiv by the constant 10^9) too.
void expect_same(std::int64_t a, std::int64_t b, std::int64_t c) {
  for (Rounding m : kModes) {
    ASSERT_EQ(actual(a, b, c, m), reference(a, b, c, m)) << a << " * " << b << " / " << c << " mode " << static_cast<int>(m);
    ASSERT_EQ(actual_scaled(a, b, m), reference(a, b, fixed::kScale, m)) << a << " * " << b << " / 1e9 mode " << static_cast<int>(m);
  }
}

TEST(ExactMuldiv, EdgesMatchTheWideComputation) {
  const std::array<std::int64_t, 16> v = {0, 1, -1, 2, -2, 3, fixed::kScale, -fixed::kScale, 100 * fixed::kScale,
                                          INT64_MAX, -INT64_MAX, INT64_MIN, INT64_MAX / 2, INT64_MIN / 2,
                                          (std::int64_t{1} << 32) + 1, -(std::int64_t{1} << 31)};
  for (auto a : v)
    for (auto b : v)
      for (auto c : v) expect_same(a, b, c);
}

TEST(ExactMuldiv, RandomOperandsOfEverySizeMatch) {
  std::mt19937_64 rng(20240310);
  auto draw = [&] {
    const int bits = static_cast<int>(rng() % 64);  // magnitudes from 1 bit to 63 bits
    const std::int64_t m = static_cast<std::int64_t>(rng() >> (64 - bits - 1) >> 1);
    return rng() % 2 ? m : -m;
  };
  for (int i = 0; i < 200'000; ++i) expect_same(draw(), draw(), draw());
}

TEST(ExactMuldiv, HalfwayCasesRoundAwayFromZeroForNearest) {
  // An exact half that needs 128 bits: (2^40 + 1)·2^40 / 2^41 = 2^39 + 0.5.
  const std::int64_t a = (std::int64_t{1} << 40) + 1, b = std::int64_t{1} << 40, c = std::int64_t{1} << 41;
  EXPECT_EQ(exact::muldiv(a, b, c, Rounding::Nearest), (std::int64_t{1} << 39) + 1);
  EXPECT_EQ(exact::muldiv(-a, b, c, Rounding::Nearest), -(std::int64_t{1} << 39) - 1);
  EXPECT_EQ(exact::muldiv(a, b, c, Rounding::Down), std::int64_t{1} << 39);
  EXPECT_EQ(exact::muldiv(-a, b, c, Rounding::Down), -(std::int64_t{1} << 39) - 1);
  EXPECT_EQ(exact::muldiv(-a, b, c, Rounding::Up), -(std::int64_t{1} << 39));
  EXPECT_EQ(exact::muldiv(-a, b, c, Rounding::TowardZero), -(std::int64_t{1} << 39));
}

TEST(ExactMuldiv, OutOfRangeAndDivisionByZeroThrow) {
  EXPECT_THROW(exact::muldiv(INT64_MAX, 2, 1, Rounding::Down), FixedPointOverflow);
  EXPECT_THROW(exact::muldiv(INT64_MAX, INT64_MAX, INT64_MAX - 1, Rounding::Up), FixedPointOverflow);
  EXPECT_THROW(exact::muldiv(INT64_MIN, 1, 1, Rounding::Down), FixedPointOverflow);  // |result| > INT64_MAX
  EXPECT_THROW(exact::muldiv(1, 1, 0, Rounding::Down), FixedPointOverflow);
  EXPECT_EQ(exact::muldiv(INT64_MAX, INT64_MAX, INT64_MAX, Rounding::Down), INT64_MAX);
}

}  // namespace
}  // namespace tradingd
