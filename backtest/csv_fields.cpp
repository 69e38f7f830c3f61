// Field helpers for the loaders. Timestamps reuse core's ISO 8601 parser after normalising a space
// separator (pandas writes "2024-01-02 03:04:05"), so there is one calendar implementation.
#include "backtest/csv_fields.h"

#include <cstring>

namespace tradingd::backtest {

std::size_t split_csv(std::string_view line, std::span<std::string_view> out) {
  std::size_t n = 0;
  std::size_t start = 0;
  for (;;) {
    const void* p = std::memchr(line.data() + start, ',', line.size() - start);
    const std::size_t end = p ? static_cast<std::size_t>(static_cast<const char*>(p) - line.data()) : line.size();
    if (n < out.size()) out[n] = line.substr(start, end - start);
    ++n;
    if (!p) return n;
    start = end + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> parse_int64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (s.size() == 1) return std::nullopt;
  }
  std::uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
}

std::string_view to_string(EpochUnit u) {
  switch (u) {
    case EpochUnit::Seconds: return "s";
    case EpochUnit::Millis: return "ms";
    case EpochUnit::Micros: return "us";
    case EpochUnit::Nanos: return "ns";
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
    case EpochUnit::Seconds: return kNanosPerSecond;
    case EpochUnit::Millis: return kNanosPerMilli;
    case EpochUnit::Micros: return kNanosPerMicro;
    case EpochUnit::Nanos: return 1;
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
