// Exact decimal parsing of venue price/size strings into the core fixed-point raw value (scale 1e-9).
// A branch-light fast path handles the shape every venue sends ("123.4500"); anything else (exponents,
// long digit runs, errors) goes to core's fixed::parse_raw, so results are identical to it by construction
// (and by a differential test). Never rounds: a non-zero digit below 1e-9 is an error.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/fixed_point.h"

namespace tradingd {

// Everything but the fast path: core's parser, kept out of line so the fast path inlines lean.
bool parse_decimal_raw_slow(std::string_view s, std::int64_t& out) noexcept;

// Returns false on anything fixed::parse_raw rejects.
inline bool parse_decimal_raw(std::string_view s, std::int64_t& out) noexcept {
  const char* p = s.data();
  const char* const end = p + s.size();
  bool negative = false;
  if (p != end && *p == '-') { negative = true; ++p; }
  const char* const int_begin = p;
  std::uint64_t int_part = 0;
  while (p != end && static_cast<unsigned>(*p - '0') < 10u) {
    int_part = int_part * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  const auto int_digits = p - int_begin;
  // Up to 10 integer digits cannot overflow below (10^10 * 10^9 < 2^64); more go to the slow path.
  if (int_digits == 0 || int_digits > 10) goto slow;
  {
    std::uint64_t frac = 0;
    int frac_digits = 0;
    if (p != end && *p == '.') {
      ++p;
      const char* const frac_begin = p;
      while (p != end && static_cast<unsigned>(*p - '0') < 10u) {
        if (frac_digits == fixed::kScaleDigits) goto slow;  // maybe trailing zeros, maybe too precise
        frac = frac * 10 + static_cast<unsigned>(*p - '0');
        ++frac_digits;
        ++p;
      }
      if (p == frac_begin) return false;
    }
    if (p != end) goto slow;  // exponent or garbage
    static constexpr std::uint64_t kPow10[10] = {1,       10,       100,       1000,       10000,
                                                 100000,  1000000,  10000000,  100000000,  1000000000};
    const std::uint64_t raw = int_part * static_cast<std::uint64_t>(fixed::kScale) + frac * kPow10[fixed::kScaleDigits - frac_digits];
    if (raw > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = negative ? -static_cast<std::int64_t>(raw) : static_cast<std::int64_t>(raw);
    return true;
  }
slow:
  return parse_decimal_raw_slow(s, out);
}

}  // namespace tradingd

namespace tradingd {

// Funding rates are ratios that venues quote with up to ~12 decimals (OKX "0.0001515032"); they are
// rounded half away from zero to the 1e-9 scale here, explicitly, where prices and sizes never are.
inline bool parse_rate_raw_rounded(std::string_view s, std::int64_t& out) noexcept {
  if (parse_decimal_raw(s, out)) return true;
  const auto dot = s.find('.');
  if (dot == std::string_view::npos || s.find_first_of("eE") != std::string_view::npos) return false;
  const std::size_t keep = dot + 1 + static_cast<std::size_t>(fixed::kScaleDigits);
  if (s.size() <= keep) return false;  // not a precision problem: a real syntax or range error
  for (std::size_t i = keep; i < s.size(); ++i)
    if (static_cast<unsigned>(s[i] - '0') >= 10u) return false;
  std::int64_t truncated;
  if (!parse_decimal_raw(s.substr(0, keep), truncated)) return false;
  if (s[keep] >= '5') {
    const std::int64_t step = truncated < 0 || (s[0] == '-') ? -1 : 1;
    if (__builtin_add_overflow(truncated, step, &truncated)) return false;
  }
  out = truncated;
  return true;
}

}  // namespace tradingd
