// Exact decimal money: Price, Quantity, Money and Rate are int64 mantissas at one global scale of 10^-9.
// One scale (not per-instrument precision) makes values of different venues and instruments compare and
// add by raw value with no conversion; 9 digits cover every tick and step size the three venues list
// (Binance and Bybit quote 8 decimals, OKX's smallest tickSz/lotSz is 1e-9). The range is ±9.22e9 units,
// enough for any price, order size or account balance we expect; anything outside it is an error, never a
// wrap. Parsing is exact (a string with a non-zero digit below 1e-9 is rejected, not rounded); rounding
// only happens where a caller names the Rounding mode. Arithmetic is checked: overflow throws
// FixedPointOverflow, a broken invariant that the event loop turns into a trading halt.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradingd {

// Down is toward negative infinity (floor), Up toward positive infinity (ceil), Nearest rounds half away
// from zero, TowardZero truncates.
enum class Rounding : std::uint8_t { Down, Up, Nearest, TowardZero };

enum class DecimalError : std::uint8_t {
  Empty,       // ""
  Syntax,      // not [-]digits[.digits][e[+-]digits]
  TooPrecise,  // a non-zero digit below 10^-9
  OutOfRange,  // magnitude above 9223372036.854775807
};
std::string_view to_string(DecimalError e);

class FixedPointOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

namespace fixed {
inline constexpr int kScaleDigits = 9;
inline constexpr std::int64_t kScale = 1'000'000'000;
// '-' + 19 integer digits + '.' + 9 fraction digits, and a NUL.
inline constexpr std::size_t kMaxFormattedLen = 32;

Result<std::int64_t, DecimalError> parse_raw(std::string_view text);
// Writes the canonical form (no trailing fraction zeros beyond min_decimals, no '+', "0" for zero) into
// out, which must hold kMaxFormattedLen bytes; returns the length (no NUL written).
std::size_t format_raw(std::int64_t raw, char* out, int min_decimals = 0);
std::string format_raw(std::int64_t raw, int min_decimals = 0);

// Inline: they run on every mark and fill; the throw is out of line. INT64_MIN is out of range (it has no
// negation).
[[noreturn]] void throw_overflow(const char* what);
inline std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN) throw_overflow("fixed-point overflow in add");
  return r;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r) || r == INT64_MIN) throw_overflow("fixed-point overflow in subtract");
  return r;
}
inline std::int64_t checked_mul_int(std::int64_t raw, std::int64_t n) {
  std::int64_t r;
  if (__builtin_mul_overflow(raw, n, &r) || r == INT64_MIN) throw_overflow("fixed-point overflow in multiply");
  return r;
}
// (a * b) / kScale and (a * kScale) / b, rounded as asked; throws FixedPointOverflow (or on b == 0).
std::int64_t mul_raw(std::int64_t a, std::int64_t b, Rounding mode);
std::int64_t div_raw(std::int64_t a, std::int64_t b, Rounding mode);
// v rounded to a multiple of increment (> 0).
std::int64_t round_raw(std::int64_t v, std::int64_t increment, Rounding mode);
int decimals_raw(std::int64_t raw);
}  // namespace fixed

template <class Tag>
class Fixed {
 public:
  constexpr Fixed() noexcept = default;

  static constexpr Fixed from_raw(std::int64_t raw) noexcept { return Fixed(raw); }
  static Fixed from_units(std::int64_t units) { return Fixed(fixed::checked_mul_int(fixed::kScale, units)); }
  static Result<Fixed, DecimalError> parse(std::string_view text) {
    auto raw = fixed::parse_raw(text);
    if (!raw) return Err{raw.error()};
    return Fixed(*raw);
  }
  // For constants and tests: throws std::invalid_argument naming the text.
  static Fixed from_string(std::string_view text) {
    auto r = parse(text);
    if (!r) throw std::invalid_argument("invalid decimal \"" + std::string(text) + "\": " + std::string(tradingd::to_string(r.error())));
    return *r;
  }
  static constexpr Fixed zero() noexcept { return Fixed(0); }
  static constexpr Fixed max() noexcept { return Fixed(INT64_MAX); }

  constexpr std::int64_t raw() const noexcept { return raw_; }
  constexpr bool is_zero() const noexcept { return raw_ == 0; }
  constexpr bool is_positive() const noexcept { return raw_ > 0; }
  constexpr bool is_negative() const noexcept { return raw_ < 0; }

  Fixed operator-() const { return Fixed(fixed::checked_sub(0, raw_)); }
  Fixed abs() const { return raw_ < 0 ? -*this : *this; }
  Fixed operator+(Fixed o) const { return Fixed(fixed::checked_add(raw_, o.raw_)); }
  Fixed operator-(Fixed o) const { return Fixed(fixed::checked_sub(raw_, o.raw_)); }
  Fixed& operator+=(Fixed o) { return *this = *this + o; }
  Fixed& operator-=(Fixed o) { return *this = *this - o; }
  Fixed operator*(std::int64_t n) const { return Fixed(fixed::checked_mul_int(raw_, n)); }

  std::optional<Fixed> checked_plus(Fixed o) const {
    std::int64_t r;
    if (__builtin_add_overflow(raw_, o.raw_, &r)) return std::nullopt;
    return Fixed(r);
  }

  // Rounded to a multiple of increment (tick or step size, > 0).
  Fixed round_to(Fixed increment, Rounding mode) const { return Fixed(fixed::round_raw(raw_, increment.raw_, mode)); }
  bool is_multiple_of(Fixed increment) const { return increment.raw_ > 0 && raw_ % increment.raw_ == 0; }
  // Significant fraction digits: "0.0100" has 2.
  int decimals() const { return fixed::decimals_raw(raw_); }

  std::string to_string(int min_decimals = 0) const { return fixed::format_raw(raw_, min_decimals); }
  std::size_t format_to(char* out, int min_decimals = 0) const { return fixed::format_raw(raw_, out, min_decimals); }
  // For statistics and reports only, never for money arithmetic.
  double to_double() const noexcept { return static_cast<double>(raw_) / static_cast<double>(fixed::kScale); }

  constexpr auto operator<=>(const Fixed&) const noexcept = default;

 private:
  constexpr explicit Fixed(std::int64_t raw) noexcept : raw_(raw) {}
  std::int64_t raw_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct MoneyTag {};
struct RateTag {};

using Price = Fixed<PriceTag>;        // per unit of base asset (or per contract)
using Quantity = Fixed<QuantityTag>;  // base asset units or contracts; signed where it is a position
using Money = Fixed<MoneyTag>;        // an amount of one asset: balances, notional, PnL, fees
using Rate = Fixed<RateTag>;          // a dimensionless ratio: fee rates (0.001 = 0.1%), funding, leverage

// Cross-type arithmetic always names its rounding.
template <class R, class A, class B>
R fixed_mul(A a, B b, Rounding mode) {
  return R::from_raw(fixed::mul_raw(a.raw(), b.raw(), mode));
}
template <class R, class A, class B>
R fixed_div(A a, B b, Rounding mode) {
  return R::from_raw(fixed::div_raw(a.raw(), b.raw(), mode));
}
template <class R, class A>
R fixed_cast(A a) {
  return R::from_raw(a.raw());
}

inline Money notional(Price p, Quantity q, Rounding mode = Rounding::Nearest) { return fixed_mul<Money>(p, q, mode); }
inline Money apply_rate(Money m, Rate r, Rounding mode) { return fixed_mul<Money>(m, r, mode); }

template <class Tag>
std::ostream& operator<<(std::ostream& os, Fixed<Tag> v) {
  char buf[fixed::kMaxFormattedLen];
  return os.write(buf, static_cast<std::streamsize>(v.format_to(buf)));
}

}  // namespace tradingd

template <class Tag>
struct std::hash<tradingd::Fixed<Tag>> {
  std::size_t operator()(tradingd::Fixed<Tag> v) const noexcept { return std::hash<std::int64_t>{}(v.raw()); }
};
