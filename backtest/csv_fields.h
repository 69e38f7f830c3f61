// Small pure helpers shared by the CSV loaders and the cache: splitting a line into fields, exact integer
// and decimal fields, and epoch timestamps whose unit (s, ms, µs, ns) is told by magnitude. No allocation.
#pragma once

#include <cstddef>
#include <cstdint>
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

// An exact decimal for column `column`; the error reads "open: not a decimal number (\"abc\")".
template <class T>
Result<T, std::string> parse_decimal_field(std::string_view field, std::string_view column) {
  auto v = T::parse(field);
  if (!v) {
    std::string m(column);
    m += ": ";
    m += to_string(v.error());
    m += " (\"";
    m += field.substr(0, 40);
    m += "\")";
    return Err{std::move(m)};
  }
  return *v;
}

// "YYYY-MM-DD" of the UTC day containing t.
std::string format_day(UnixNanos t);

}  // namespace tradingd::backtest
