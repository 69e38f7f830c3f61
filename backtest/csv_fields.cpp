// Field helpers for the loaders. Timestamps reuse core's ISO 8601 parser after normalising a space
// separator (pandas writes "2024-01-02 03:04:05"), so there is one calendar implementation.
#include "backtest/csv_fields.h"

#include <bit>
#include <cstring>

namespace tradingd::backtest {

static_assert(std::endian::native == std::endian::little, "split_csv reads words little-endian");

std::size_t split_csv(std::string_view line, std::span<std::string_view> out) {
  // Eight bytes at a time (SWAR): a row is ~150 bytes of short fields, where a byte loop or a memchr call
  // per field costs several times more. The zero-byte test below is exact per byte (no carries between
  // bytes), so no false commas.
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr std::uint64_t kCommas = 0x2C2C2C2C2C2C2C2CULL;
  std::size_t n = 0;
  std::size_t start = 0;
  const char* p = line.data();
  const std::size_t size = line.size();
  auto cut = [&](std::size_t comma) {
    if (n < out.size()) out[n] = std::string_view(p + start, comma - start);
    ++n;
    start = comma + 1;
  };
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    const std::uint64_t x = w ^ kCommas;                        // comma bytes become zero
    std::uint64_t zero = ~(((x & kLow7) + kLow7) | x | kLow7);  // high bit set exactly in zero bytes
    while (zero != 0) {
      cut(i + static_cast<std::size_t>(__builtin_ctzll(zero) >> 3));  // little-endian: lowest byte first
      zero &= zero - 1;
    }
  }
  for (; i < size; ++i)
    if (p[i] == ',') cut(i);
  if (n < out.size()) out[n] = std::string_view(p + start, size - start);
  return n + 1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> parse_int64(std::string_view s) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  std::uint64_t v = 0;
  // 19 digits cannot overflow 64 unsigned bits; a 20th is left unread and fails the end check.
  if (detail::read_digits(s, i, v, 19) == 0 || i != s.size()) return std::nullopt;
  if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
}

std::string_view to_string(EpochUnit u) {
  switch (u) {
    case EpochUnit::Seconds:
      return "s";
    case EpochUnit::Millis:
      return "ms";
    case EpochUnit::Micros:
      return "us";
    case EpochUnit::Nanos:
      return "ns";
  }
  return "?";
}

EpochUnit epoch_unit(std::int64_t v) {
  if (v < 100'000'000'000LL) return EpochUnit::Seconds;
  if (v < 100'000'000'000'000LL) return EpochUnit::Millis;
  if (v < 100'000'000'000'000'000LL) return EpochUnit::Micros;
  return EpochUnit::Nanos;
}

std::int64_t nanos_per(EpochUnit u) {
  switch (u) {
    case EpochUnit::Seconds:
      return kNanosPerSecond;
    case EpochUnit::Millis:
      return kNanosPerMilli;
    case EpochUnit::Micros:
      return kNanosPerMicro;
    case EpochUnit::Nanos:
      return 1;
  }
  return 1;
}

std::optional<UnixNanos> epoch_to_ns(std::int64_t v) {
  if (v < 0) return std::nullopt;
  std::int64_t ns;
  if (__builtin_mul_overflow(v, nanos_per(epoch_unit(v)), &ns)) return std::nullopt;
  return ns;
}

Result<UnixNanos, std::string> parse_timestamp(std::string_view field) {
  if (field.empty()) return Err{std::string("timestamp: empty")};
  if (auto n = parse_int64(field)) {
    if (auto ns = epoch_to_ns(*n)) return *ns;
    return Err{"timestamp: epoch value out of range (\"" + std::string(field) + "\")"};
  }
  // ISO 8601 with a space instead of 'T' is common in exported files.
  char buf[64];
  if (field.size() < sizeof buf) {
    std::memcpy(buf, field.data(), field.size());
    if (field.size() > 10 && buf[10] == ' ') buf[10] = 'T';
    if (auto t = parse_iso8601(std::string_view(buf, field.size()))) return *t;
  }
  return Err{"timestamp: expected epoch s/ms/us/ns digits or ISO 8601 (\"" + std::string(field.substr(0, 40)) + "\")"};
}

std::string format_day(UnixNanos t) { return format_iso8601(utc_day_start(t)).substr(0, 10); }

}  // namespace tradingd::backtest
