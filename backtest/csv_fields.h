// Small pure helpers shared by the CSV loaders and the cache: splitting a line into fields, exact integer
// and decimal fields, and epoch timestamps whose unit (s, ms, µs, ns) is told by magnitude. No allocation.
// The hot paths (split, digits) work eight bytes at a time: they are most of a loader's cost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/result.h"

namespace tradingd::backtest {

// Splits on ',' into out; returns the number of fields in the line, which may exceed out.size() (the
// extra fields are not stored). No quoting: none of the formats we read quotes its fields.
std::size_t split_csv(std::string_view line, std::span<std::string_view> out);

// Strips ASCII spaces and tabs at both ends.
std::string_view trim(std::string_view s);

// A plain (optionally negative) base-10 integer, the whole field; nullopt on anything else or overflow.
std::optional<std::int64_t> parse_int64(std::string_view s);

enum class EpochUnit : std::uint8_t { Seconds, Millis, Micros, Nanos };
std::string_view to_string(EpochUnit u);
// The unit of a positive epoch value by magnitude: < 1e11 seconds (until year 5138), < 1e14 ms, < 1e17 µs,
// else ns. Binance's archive switched spot klines from ms to µs on 2025-01-01; this tells them apart.
EpochUnit epoch_unit(std::int64_t value);
std::int64_t nanos_per(EpochUnit u);
// value (in the unit its magnitude gives) as ns; nullopt when negative or past int64 ns (year 2262).
std::optional<UnixNanos> epoch_to_ns(std::int64_t value);

// An epoch integer (any unit above) or ISO 8601 ("2024-01-02T03:04:05Z", "2024-01-02 03:04:05",
// offsets allowed; no zone means UTC); the error names what was expected.
Result<UnixNanos, std::string> parse_timestamp(std::string_view field);

namespace detail {
// Eight ASCII digits at once (SWAR, little-endian): the test and the conversion every fast number parser
// uses. A kline row is mostly runs of 8 fraction digits and 13-digit timestamps.
inline bool eight_digits(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return ((w & 0xF0F0F0F0F0F0F0F0ULL) | (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
         0x3333333333333333ULL;
}
// The value of eight digit values (0..9, one per byte, the first byte most significant).
inline std::uint64_t eight_digit_values(std::uint64_t w) {
  w = w * 10 + (w >> 8);  // pairs of digits
  return (((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
          (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
         32;
}
inline std::uint64_t eight_digits_value(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return eight_digit_values(w - 0x3030303030303030ULL);
}
// How many of the eight bytes of w (little-endian) are ASCII digits before the first that is not (0..8).
// The +6 can carry out of a byte only when that byte is >= 0xFA, not a digit: it disturbs only the bytes
// after the first non-digit, never the count.
[[gnu::always_inline]] inline unsigned leading_digits(std::uint64_t w) {
  const std::uint64_t t =
      ((w & 0xF0F0F0F0F0F0F0F0ULL) | (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ^
      0x3333333333333333ULL;  // zero exactly in the digit bytes
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t non_digit = (((t & kLow7) + kLow7) | t) & ~kLow7;  // high bit of each non-zero byte
  return non_digit == 0 ? 8u : static_cast<unsigned>(__builtin_ctzll(non_digit)) >> 3;
}
// The value of the first n (1..8) digits of w. Subtracting '0' borrows only out of non-digit bytes, so
// the first n bytes are exact; the shift drops the rest and leaves zeros (leading zeros) in front.
inline std::uint64_t leading_digits_value(std::uint64_t w, unsigned n) {
  return eight_digit_values((w - 0x3030303030303030ULL) << (8 * (8 - n)));
}
inline constexpr std::uint64_t kPow10u[] = {1,
                                            10,
                                            100,
                                            1'000,
                                            10'000,
                                            100'000,
                                            1'000'000,
                                            10'000'000,
                                            100'000'000,
                                            1'000'000'000,
                                            10'000'000'000,
                                            100'000'000'000,
                                            1'000'000'000'000,
                                            10'000'000'000'000,
                                            100'000'000'000'000,
                                            1'000'000'000'000'000,
                                            10'000'000'000'000'000,
                                            100'000'000'000'000'000,
                                            1'000'000'000'000'000'000};
// A run of 1..max_digits (<= 18) digits at p, eight bytes per step; p moves past it. false when there is
// no digit, the run is longer, or a step would read past end (the caller's general path then decides;
// inside a row the fields that follow leave room).
[[gnu::always_inline]] inline bool read_uint_words(const char*& p, const char* end, std::uint64_t& value,
                                                   unsigned max_digits) {
  if (end - p < 8) return false;
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  unsigned n = leading_digits(w);
  if (n == 0) return false;
  value = leading_digits_value(w, n);
  p += n;
  if (n < 8) return true;
  // Eight digits so far (an archive fraction, half a timestamp): the next byte often ends the run, and a
  // byte test is cheaper than another word.
  if (end - p < 1) return false;
  if (static_cast<unsigned char>(*p - '0') > 9) return true;
  unsigned total = 8;
  for (;;) {
    if (end - p < 8) return false;
    std::memcpy(&w, p, 8);
    n = leading_digits(w);  // >= 1: *p is a digit on the first pass
    if (n == 0) return true;
    value = value * kPow10u[n] + leading_digits_value(w, n);  // wraps harmlessly when too long: rejected below
    total += n;
    p += n;
    if (total > max_digits) return false;
    if (n < 8) return true;
  }
}
// Up to max_digits digits from s[i], appended to value; returns how many were read.
inline std::size_t read_digits(std::string_view s, std::size_t& i, std::uint64_t& value, std::size_t max_digits) {
  std::size_t n = 0;
  while (n + 8 <= max_digits && i + 8 <= s.size() && eight_digits(s.data() + i)) {
    value = value * 100'000'000 + eight_digits_value(s.data() + i);
    i += 8;
    n += 8;
  }
  while (n < max_digits && i < s.size() && s[i] >= '0' && s[i] <= '9') {
    value = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    ++i;
    ++n;
  }
  return n;
}
}  // namespace detail

// The common shape of data files, [-]d{1,9}[.d{1,9}], straight to its raw fixed-point value; nullopt for
// anything else (exponents, more digits), which then goes through core's general exact parser.
inline std::optional<std::int64_t> parse_plain_decimal_raw(std::string_view s) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  std::uint64_t int_part = 0;
  if (detail::read_digits(s, i, int_part, 9) == 0) return std::nullopt;
  std::uint64_t frac = 0;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    frac_digits = detail::read_digits(s, i, frac, 9);
    if (frac_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;  // a 10th digit, an exponent, garbage: the general parser decides
  static constexpr std::int64_t kPow10[] = {1'000'000'000, 100'000'000, 10'000'000, 1'000'000, 100'000,
                                            10'000,        1'000,       100,        10,        1};
  const std::int64_t raw =
      static_cast<std::int64_t>(int_part) * fixed::kScale + static_cast<std::int64_t>(frac) * kPow10[frac_digits];
  return negative ? -raw : raw;
}

// parse_plain_decimal_raw's shape, [-]d{1,9}[.d{1,9}], read in place from p and eight bytes at a time for a
// row parser that walks its line once: p moves to the byte after the number (the caller checks it ends the
// field). false means "not decided here", never "invalid": hand the field to read_decimal. Reads may go up
// to 8 bytes past the number but never past end.
[[gnu::always_inline]] inline bool read_plain_decimal_words(const char*& p, const char* end, std::int64_t& raw) {
  const bool negative = p < end && *p == '-';
  p += negative;
  std::uint64_t int_part = 0;
  if (!detail::read_uint_words(p, end, int_part, 9)) return false;
  std::uint64_t frac = 0;
  unsigned frac_digits = 0;
  if (*p == '.') {  // read_uint_words stopped before end: *p is in bounds
    const char* start = ++p;
    if (!detail::read_uint_words(p, end, frac, 9)) return false;
    frac_digits = static_cast<unsigned>(p - start);
  }
  const auto value = static_cast<std::int64_t>(int_part) * fixed::kScale +
                     static_cast<std::int64_t>(frac * detail::kPow10u[9 - frac_digits]);
  raw = negative ? -value : value;
  return true;
}

// An exact decimal for column `column` into out; false with error set ("open: not a decimal number
// (\"abc\")") otherwise. A bool and an out-parameter rather than a Result: this runs five times per row.
template <class T>
bool read_decimal(std::string_view field, std::string_view column, T& out, std::string& error) {
  if (const auto raw = parse_plain_decimal_raw(field)) {
    out = T::from_raw(*raw);
    return true;
  }
  auto v = T::parse(field);
  if (v) {
    out = *v;
    return true;
  }
  error.assign(column);
  error += ": ";
  error += to_string(v.error());
  error += " (\"";
  error += field.substr(0, 40);
  error += "\")";
  return false;
}

// "YYYY-MM-DD" of the UTC day containing t.
std::string format_day(UnixNanos t);

}  // namespace tradingd::backtest
