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
inline std::uint64_t eight_digits_value(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  w -= 0x3030303030303030ULL;
  w = w * 10 + (w >> 8);  // pairs of digits
  return (((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
          (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
         32;
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
