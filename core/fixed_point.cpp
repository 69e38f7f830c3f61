// Exact decimal parsing/formatting and checked, explicitly rounded arithmetic for the fixed-point types.
// All intermediate products use 128-bit integers so no step can silently lose precision or wrap.
#include "core/fixed_point.h"

#include <array>
#include <cstring>

namespace tradingd {

std::string_view to_string(DecimalError e) {
  switch (e) {
    case DecimalError::Empty: return "empty string";
    case DecimalError::Syntax: return "not a decimal number";
    case DecimalError::TooPrecise: return "more than 9 decimal places";
    case DecimalError::OutOfRange: return "out of range (|value| > 9223372036.854775807)";
  }
  return "unknown";
}

namespace fixed {
namespace {

__extension__ typedef __int128 i128;  // __extension__: keeps -Wpedantic quiet

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::int64_t to_int64(i128 v) {
  if (v > INT64_MAX || v < -INT64_MAX) throw FixedPointOverflow("fixed-point overflow");
  return static_cast<std::int64_t>(v);
}

// n / d rounded as asked; d != 0.
i128 div_round(i128 n, i128 d, Rounding mode) {
  i128 q = n / d;
  i128 r = n % d;
  if (r == 0) return q;
  const bool negative = (n < 0) != (d < 0);
  switch (mode) {
    case Rounding::TowardZero: return q;
    case Rounding::Down: return negative ? q - 1 : q;
    case Rounding::Up: return negative ? q : q + 1;
    case Rounding::Nearest: {
      i128 ar = r < 0 ? -r : r;
      i128 ad = d < 0 ? -d : d;
      if (2 * ar >= ad) return negative ? q - 1 : q + 1;
      return q;
    }
  }
  return q;
}

constexpr std::array<std::int64_t, 19> kPow10 = [] {
  std::array<std::int64_t, 19> p{};
  p[0] = 1;
  for (std::size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * 10;
  return p;
}();

}  // namespace

Result<std::int64_t, DecimalError> parse_raw(std::string_view s) {
  if (s.empty()) return Err{DecimalError::Empty};
  std::size_t i = 0;
  bool negative = false;
  if (s[0] == '-') { negative = true; i = 1; }

  // Significant digits (integer then fraction part), at most 19 kept after trimming zeros on both ends.
  const std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t int_end = i;
  if (int_end == int_begin) return Err{DecimalError::Syntax};
  std::size_t frac_begin = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    frac_begin = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return Err{DecimalError::Syntax};
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) { exp_negative = s[i] == '-'; ++i; }
    const std::size_t exp_begin = i;
    while (i < s.size() && is_digit(s[i])) {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');  // saturate; huge exponents fail below
      ++i;
    }
    if (i == exp_begin) return Err{DecimalError::Syntax};
    if (exp_negative) exponent = -exponent;
  }
  if (i != s.size()) return Err{DecimalError::Syntax};

  // The digit sequence d_0..d_{n-1} with value digits * 10^(exponent - fraction_length).
  auto digit_at = [&](std::size_t k) -> char {
    const std::size_t int_len = int_end - int_begin;
    return k < int_len ? s[int_begin + k] : s[frac_begin + (k - int_len)];
  };
  std::size_t first = 0, last = (int_end - int_begin) + (frac_end - frac_begin);  // [first, last)
  long exp10 = exponent - static_cast<long>(frac_end - frac_begin);
  while (first < last && digit_at(first) == '0') ++first;
  while (last > first && digit_at(last - 1) == '0') { --last; ++exp10; }
  if (first == last) return std::int64_t{0};

  const long shift = exp10 + kScaleDigits;  // raw = digits * 10^shift
  if (shift < 0) return Err{DecimalError::TooPrecise};  // the last digit is non-zero and below 1e-9
  const std::size_t ndigits = last - first;
  if (ndigits + static_cast<std::size_t>(shift) > 19) return Err{DecimalError::OutOfRange};
  i128 value = 0;
  for (std::size_t k = first; k < last; ++k) value = value * 10 + (digit_at(k) - '0');
  value *= kPow10[static_cast<std::size_t>(shift)];
  if (value > INT64_MAX) return Err{DecimalError::OutOfRange};
  return static_cast<std::int64_t>(negative ? -value : value);
}

std::size_t format_raw(std::int64_t raw, char* out, int min_decimals) {
  if (min_decimals < 0) min_decimals = 0;
  if (min_decimals > kScaleDigits) min_decimals = kScaleDigits;
  char* p = out;
  std::uint64_t mag = raw < 0 ? 0 - static_cast<std::uint64_t>(raw) : static_cast<std::uint64_t>(raw);
  if (raw < 0) *p++ = '-';
  std::uint64_t int_part = mag / static_cast<std::uint64_t>(kScale);
  std::uint64_t frac = mag % static_cast<std::uint64_t>(kScale);
  char tmp[20];
  int n = 0;
  do { tmp[n++] = static_cast<char>('0' + int_part % 10); int_part /= 10; } while (int_part);
  while (n) *p++ = tmp[--n];
  char fd[kScaleDigits];
  for (int k = kScaleDigits - 1; k >= 0; --k) { fd[k] = static_cast<char>('0' + frac % 10); frac /= 10; }
  int keep = kScaleDigits;
  while (keep > min_decimals && fd[keep - 1] == '0') --keep;
  if (keep > 0) {
    *p++ = '.';
    std::memcpy(p, fd, static_cast<std::size_t>(keep));
    p += keep;
  }
  return static_cast<std::size_t>(p - out);
}

std::string format_raw(std::int64_t raw, int min_decimals) {
  char buf[kMaxFormattedLen];
  return std::string(buf, format_raw(raw, buf, min_decimals));
}

void throw_overflow(const char* what) { throw FixedPointOverflow(what); }

std::int64_t mul_raw(std::int64_t a, std::int64_t b, Rounding mode) {
  // Most products fit in 64 bits, and a 64-bit division by the constant scale is a multiply.
  if (std::int64_t p; !__builtin_mul_overflow(a, b, &p) && p != INT64_MIN) {
    std::int64_t q = p / kScale;
    const std::int64_t r = p % kScale;
    if (r != 0) {
      const bool negative = p < 0;
      switch (mode) {
        case Rounding::TowardZero: break;
        case Rounding::Down: q -= negative ? 1 : 0; break;
        case Rounding::Up: q += negative ? 0 : 1; break;
        case Rounding::Nearest: {
          const std::int64_t ar = r < 0 ? -r : r;
          if (2 * ar >= kScale) q += negative ? -1 : 1;
          break;
        }
      }
    }
    return q;  // |q| ≤ |p| / 10^9 + 1: always in range
  }
#if defined(__x86_64__)
  // A price × quantity often needs 128 bits (42000 × 0.001 is 4.2e19 raw): one divq (128 by 64 bits) on
  // the magnitudes instead of the library's 128-bit division, with the same rounding.
  __extension__ typedef unsigned __int128 u128;
  const auto mag = [](std::int64_t v) { return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v); };
  const u128 n = static_cast<u128>(mag(a)) * mag(b);
  const auto hi = static_cast<std::uint64_t>(n >> 64);
  const auto lo = static_cast<std::uint64_t>(n);
  constexpr auto d = static_cast<std::uint64_t>(kScale);
  if (hi >= d) throw FixedPointOverflow("fixed-point overflow");  // the quotient needs more than 64 bits
  std::uint64_t q, r;
  __asm__("divq %[d]" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), [d] "r"(d) : "cc");
  const bool negative = (a < 0) != (b < 0);  // neither is zero: the product did not fit
  if (r != 0) {
    switch (mode) {
      case Rounding::TowardZero: break;
      case Rounding::Down: q += negative ? 1 : 0; break;
      case Rounding::Up: q += negative ? 0 : 1; break;
      case Rounding::Nearest: q += 2 * r >= d ? 1 : 0; break;
    }
  }
  if (q > static_cast<std::uint64_t>(INT64_MAX)) throw FixedPointOverflow("fixed-point overflow");
  return negative ? -static_cast<std::int64_t>(q) : static_cast<std::int64_t>(q);
#else
  return to_int64(div_round(static_cast<i128>(a) * b, kScale, mode));
#endif
}

std::int64_t div_raw(std::int64_t a, std::int64_t b, Rounding mode) {
  if (b == 0) throw FixedPointOverflow("fixed-point division by zero");
  return to_int64(div_round(static_cast<i128>(a) * kScale, b, mode));
}

std::int64_t round_raw(std::int64_t v, std::int64_t increment, Rounding mode) {
  if (increment <= 0) throw std::invalid_argument("rounding increment must be positive");
  return to_int64(div_round(v, increment, mode) * increment);
}

int decimals_raw(std::int64_t raw) {
  std::int64_t frac = raw % kScale;
  if (frac == 0) return 0;
  int d = kScaleDigits;
  while (frac % 10 == 0) { frac /= 10; --d; }
  return d;
}

}  // namespace fixed
}  // namespace tradingd
