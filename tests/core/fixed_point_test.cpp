// Fixed-point parsing, formatting, arithmetic and rounding: exactness and overflow behaviour.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include <random>

#include "core/fixed_point.h"

namespace tradingd {
namespace {

std::int64_t raw(std::string_view s) { return Price::from_string(s).raw(); }
DecimalError parse_error(std::string_view s) {
  auto r = Price::parse(s);
  EXPECT_FALSE(r.ok()) << s;
  return r.ok() ? DecimalError::Empty : r.error();
}

TEST(FixedPointParse, PlainDecimals) {
  EXPECT_EQ(raw("0"), 0);
  EXPECT_EQ(raw("1"), 1'000'000'000);
  EXPECT_EQ(raw("65432.10"), 65'432'100'000'000);
  EXPECT_EQ(raw("0.00100000"), 1'000'000);
  EXPECT_EQ(raw("0.000000001"), 1);
  EXPECT_EQ(raw("-0.5"), -500'000'000);
  EXPECT_EQ(raw("-0"), 0);
  EXPECT_EQ(raw("007.50"), 7'500'000'000);
  EXPECT_EQ(raw("9223372036.854775807"), INT64_MAX);
  EXPECT_EQ(raw("-9223372036.854775807"), -INT64_MAX);
}

TEST(FixedPointParse, TrailingZerosBeyondScaleAreExact) {
  EXPECT_EQ(raw("0.00100000000000000000"), 1'000'000);
  EXPECT_EQ(raw("1.0000000000"), 1'000'000'000);
  EXPECT_EQ(raw("0.0000000010"), 1);
}

TEST(FixedPointParse, ScientificNotationIsExact) {
  // External strategies send JSON numbers; "1e-5" is an exact decimal and is accepted.
  EXPECT_EQ(raw("1e-5"), 10'000);
  EXPECT_EQ(raw("1E-5"), 10'000);
  EXPECT_EQ(raw("1.5e3"), 1'500'000'000'000);
  EXPECT_EQ(raw("2.5e+2"), 250'000'000'000);
  EXPECT_EQ(raw("123e-9"), 123);
  EXPECT_EQ(raw("0e999999999999"), 0);
  EXPECT_EQ(raw("-4.2e-1"), -420'000'000);
  EXPECT_EQ(parse_error("1e-10"), DecimalError::TooPrecise);
  EXPECT_EQ(parse_error("1e10"), DecimalError::OutOfRange);
  EXPECT_EQ(parse_error("1e99999999"), DecimalError::OutOfRange);
}

TEST(FixedPointParse, RejectsBadSyntax) {
  EXPECT_EQ(parse_error(""), DecimalError::Empty);
  for (std::string_view s : {"-", "+1", " 1", "1 ", ".5", "5.", "1..2", "1.2.3", "abc", "1,000", "0x10", "1e", "1e+",
                             "e5", "--1", "nan", "inf", "1.5f", "١"})
    EXPECT_EQ(parse_error(s), DecimalError::Syntax) << s;
}

TEST(FixedPointParse, RejectsTooPreciseInsteadOfRounding) {
  EXPECT_EQ(parse_error("0.0000000001"), DecimalError::TooPrecise);
  EXPECT_EQ(parse_error("1.0000000015"), DecimalError::TooPrecise);
}

TEST(FixedPointParse, RejectsOutOfRange) {
  EXPECT_EQ(parse_error("9223372036.854775808"), DecimalError::OutOfRange);
  EXPECT_EQ(parse_error("10000000000"), DecimalError::OutOfRange);
  EXPECT_EQ(parse_error("99999999999999999999999"), DecimalError::OutOfRange);
  EXPECT_EQ(parse_error("-9223372036.854775808"), DecimalError::OutOfRange);
}

TEST(FixedPointFormat, CanonicalForm) {
  EXPECT_EQ(Price::from_raw(0).to_string(), "0");
  EXPECT_EQ(Price::from_string("65432.10").to_string(), "65432.1");
  EXPECT_EQ(Price::from_string("0.00100000").to_string(), "0.001");
  EXPECT_EQ(Price::from_string("-0.000000001").to_string(), "-0.000000001");
  EXPECT_EQ(Price::from_string("42").to_string(), "42");
  EXPECT_EQ(Price::from_raw(INT64_MAX).to_string(), "9223372036.854775807");
  EXPECT_EQ(Price::from_raw(INT64_MIN).to_string(), "-9223372036.854775808");
}

TEST(FixedPointFormat, MinDecimalsPads) {
  EXPECT_EQ(Price::from_string("65432.1").to_string(2), "65432.10");
  EXPECT_EQ(Quantity::from_string("0.001").to_string(8), "0.00100000");
  EXPECT_EQ(Quantity::from_string("3").to_string(1), "3.0");
  EXPECT_EQ(Quantity::from_string("0.123456789").to_string(2), "0.123456789");  // never drops digits
  EXPECT_EQ(Quantity::from_string("1").to_string(20), "1.000000000");            // capped at the scale
}

TEST(FixedPointRoundTrip, RandomRawValues) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200'000; ++i) {
    std::int64_t v = static_cast<std::int64_t>(rng());
    if (v == INT64_MIN) continue;
    // Vary magnitude so short values are common too.
    v >>= (rng() % 63);
    const auto text = Money::from_raw(v).to_string();
    auto back = Money::parse(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(back->raw(), v) << text;
    for (int d : {2, 8}) ASSERT_EQ(Money::parse(Money::from_raw(v).to_string(d))->raw(), v);
  }
}

TEST(FixedPointArithmetic, AddSubtractCompare) {
  const auto a = Money::from_string("0.1"), b = Money::from_string("0.2");
  EXPECT_EQ(a + b, Money::from_string("0.3"));  // exact, unlike double
  EXPECT_EQ(b - a - a, Money::zero());
  EXPECT_LT(a, b);
  EXPECT_EQ((-a).raw(), -100'000'000);
  EXPECT_EQ((-a).abs(), a);
  EXPECT_EQ(a * 3, Money::from_string("0.3"));
  // Different precisions compare by raw value.
  EXPECT_EQ(Price::from_string("1.10"), Price::from_string("1.1000000"));
  EXPECT_GT(Price::from_string("65432.11"), Price::from_string("65432.109999999"));
}

TEST(FixedPointArithmetic, OverflowThrowsInsteadOfWrapping) {
  const auto big = Money::max();
  EXPECT_THROW((void)(big + Money::from_raw(1)), FixedPointOverflow);
  EXPECT_THROW((void)(-big - Money::from_raw(1)), FixedPointOverflow);
  EXPECT_THROW((void)(big * 2), FixedPointOverflow);
  EXPECT_THROW(Money::from_units(10'000'000'000), FixedPointOverflow);
  EXPECT_FALSE(big.checked_plus(Money::from_raw(1)).has_value());
  EXPECT_EQ(big.checked_plus(Money::from_raw(-1))->raw(), INT64_MAX - 1);
  EXPECT_THROW((void)notional(Price::from_units(1'000'000'000), Quantity::from_units(10)), FixedPointOverflow);
  EXPECT_THROW((void)fixed_div<Price>(Money::from_units(1), Quantity::zero(), Rounding::Nearest), FixedPointOverflow);
}

TEST(FixedPointArithmetic, NotionalAndDivisionRoundAsAsked) {
  // 65432.10 × 0.00123 = 80.481483 exactly
  EXPECT_EQ(notional(Price::from_string("65432.10"), Quantity::from_string("0.00123")), Money::from_string("80.481483"));
  // 0.000000003 × 0.5 = 0.0000000015 → 2e-9 nearest (half away from zero), 1e-9 down
  const auto p = Price::from_string("0.000000003");
  const auto q = Quantity::from_string("0.5");
  EXPECT_EQ(notional(p, q, Rounding::Nearest).raw(), 2);
  EXPECT_EQ(notional(p, q, Rounding::Down).raw(), 1);
  EXPECT_EQ(notional(p, q, Rounding::Up).raw(), 2);
  EXPECT_EQ(notional(p, -q, Rounding::Down).raw(), -2);
  EXPECT_EQ(notional(p, -q, Rounding::TowardZero).raw(), -1);
  // average price: 100 / 3
  const auto avg = fixed_div<Price>(Money::from_units(100), Quantity::from_units(3), Rounding::Nearest);
  EXPECT_EQ(avg.to_string(), "33.333333333");
  EXPECT_EQ(fixed_div<Price>(Money::from_units(200), Quantity::from_units(3), Rounding::Down).to_string(), "66.666666666");
  EXPECT_EQ(fixed_div<Price>(Money::from_units(200), Quantity::from_units(3), Rounding::Nearest).to_string(), "66.666666667");
  // fee: 80.481483 × 0.001
  EXPECT_EQ(apply_rate(Money::from_string("80.481483"), Rate::from_string("0.001"), Rounding::Up).to_string(), "0.080481483");
}

TEST(FixedPointRounding, ToTickAndStep) {
  const auto tick = Price::from_string("0.01");
  const auto p = Price::from_string("65432.105");
  EXPECT_EQ(p.round_to(tick, Rounding::Down).to_string(), "65432.1");
  EXPECT_EQ(p.round_to(tick, Rounding::Up).to_string(), "65432.11");
  EXPECT_EQ(p.round_to(tick, Rounding::Nearest).to_string(), "65432.11");  // half away from zero
  EXPECT_EQ(Price::from_string("65432.104").round_to(tick, Rounding::Nearest).to_string(), "65432.1");
  EXPECT_EQ(Price::from_string("-1.005").round_to(tick, Rounding::Down).to_string(), "-1.01");
  EXPECT_EQ(Price::from_string("-1.005").round_to(tick, Rounding::TowardZero).to_string(), "-1");
  EXPECT_EQ(Price::from_string("-1.005").round_to(tick, Rounding::Nearest).to_string(), "-1.01");
  const auto step = Quantity::from_string("0.001");
  EXPECT_EQ(Quantity::from_string("0.0129").round_to(step, Rounding::Down).to_string(), "0.012");
  EXPECT_TRUE(Quantity::from_string("0.012").is_multiple_of(step));
  EXPECT_FALSE(Quantity::from_string("0.0125").is_multiple_of(step));
  EXPECT_FALSE(Quantity::from_string("0.0125").is_multiple_of(Quantity::zero()));
  // Odd increments (OKX tick 0.5, Bybit 0.10)
  EXPECT_EQ(Price::from_string("100.74").round_to(Price::from_string("0.5"), Rounding::Nearest).to_string(), "100.5");
  EXPECT_EQ(Price::from_string("100.75").round_to(Price::from_string("0.5"), Rounding::Nearest).to_string(), "101");
  EXPECT_THROW((void)p.round_to(Price::zero(), Rounding::Down), std::invalid_argument);
}

TEST(FixedPointRounding, ExhaustiveSmallGrid) {
  // Every value in [-1000, 1000] raw against increments 1..13: the result is a multiple, within one
  // increment, and on the side the mode promises.
  for (std::int64_t inc = 1; inc <= 13; ++inc) {
    for (std::int64_t v = -1000; v <= 1000; ++v) {
      const auto x = Price::from_raw(v), i = Price::from_raw(inc);
      const auto d = x.round_to(i, Rounding::Down).raw(), u = x.round_to(i, Rounding::Up).raw();
      const auto n = x.round_to(i, Rounding::Nearest).raw(), z = x.round_to(i, Rounding::TowardZero).raw();
      ASSERT_EQ(d % inc, 0);
      ASSERT_EQ(u % inc, 0);
      ASSERT_LE(d, v);
      ASSERT_GT(d + inc, v);
      ASSERT_GE(u, v);
      ASSERT_LT(u - inc, v);
      ASSERT_TRUE(n == d || n == u);
      ASSERT_LE(2 * std::abs(n - v), inc);
      ASSERT_EQ(z, v >= 0 ? d : u);
    }
  }
}

// mul_raw has a 64-bit path and a divq path: both must equal the plain 128-bit rounding, and throw exactly
// when the result is out of range, for products on both sides of 2^63 and at the rounding edges.
TEST(FixedPointArithmetic, MulRawMatchesTheWide128BitReferenceInEveryMode) {
  __extension__ typedef __int128 i128;
  const auto reference = [](std::int64_t a, std::int64_t b, Rounding mode) -> std::optional<std::int64_t> {
    const i128 n = static_cast<i128>(a) * b;
    i128 q = n / fixed::kScale;
    const i128 r = n % fixed::kScale;
    const bool negative = n < 0;
    if (r != 0) {
      if (mode == Rounding::Down && negative) --q;
      if (mode == Rounding::Up && !negative) ++q;
      if (mode == Rounding::Nearest && 2 * (r < 0 ? -r : r) >= fixed::kScale) q += negative ? -1 : 1;
    }
    if (q > INT64_MAX || q < -INT64_MAX) return std::nullopt;
    return static_cast<std::int64_t>(q);
  };
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::int64_t edges[] = {0, 1, -1, 499'999'999, 500'000'000, 1'500'000'000, -500'000'000,
                                fixed::kScale, -fixed::kScale, INT64_MAX, -INT64_MAX, INT64_MAX / 2,
                                3'037'000'499, 3'037'000'500, 42'000'000'000'000, 1'000'000};
  std::vector<std::pair<std::int64_t, std::int64_t>> cases;
  for (auto a : edges)
    for (auto b : edges) cases.emplace_back(a, b);
  for (int i = 0; i < 200'000; ++i) {
    // Magnitudes spread over every width, so both paths and the overflow boundary are hit.
    const auto a = static_cast<std::int64_t>(next() >> (1 + next() % 63));  // < 2^63: negation is defined
    const auto b = static_cast<std::int64_t>(next() >> (1 + next() % 63));  // < 2^63: negation is defined
    cases.emplace_back(next() & 1 ? a : -a, next() & 1 ? b : -b);
  }
  for (const auto& [a, b] : cases) {
    for (Rounding mode : {Rounding::Down, Rounding::Up, Rounding::Nearest, Rounding::TowardZero}) {
      const auto want = reference(a, b, mode);
      if (want) {
        ASSERT_EQ(fixed::mul_raw(a, b, mode), *want) << a << " * " << b << " mode " << static_cast<int>(mode);
      } else {
        ASSERT_THROW(fixed::mul_raw(a, b, mode), FixedPointOverflow) << a << " * " << b;
      }
    }
  }
}

TEST(FixedPoint, DecimalsAndDouble) {
  EXPECT_EQ(Price::from_string("0.0100").decimals(), 2);
  EXPECT_EQ(Price::from_string("1").decimals(), 0);
  EXPECT_EQ(Price::from_string("0.000000001").decimals(), 9);
  EXPECT_EQ(Price::from_string("-2.5").decimals(), 1);
  EXPECT_DOUBLE_EQ(Price::from_string("65432.1").to_double(), 65432.1);
}

TEST(FixedPoint, DistinctTypesDoNotMix) {
  static_assert(!std::is_convertible_v<Price, Quantity>);
  static_assert(!std::is_convertible_v<Money, Price>);
  static_assert(!std::is_constructible_v<Price, double>);
  static_assert(sizeof(Price) == 8);
  SUCCEED();
}

TEST(FixedPoint, FromStringThrowsNamingTheText) {
  try {
    (void)Price::from_string("12abc");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("12abc"), std::string::npos);
  }
}

}  // namespace
}  // namespace tradingd
