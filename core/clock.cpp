// Real clock and UTC calendar conversions (Howard Hinnant's days_from_civil, valid for the proleptic
// Gregorian calendar) so ISO 8601 needs neither time zones nor the C library's locale-dependent calls.
#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace tradingd {

UnixNanos RealClock::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
std::int64_t RealClock::monotonic_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool read_int(std::string_view s, std::size_t& i, std::size_t digits, int& out) {
  if (i + digits > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    char c = s[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  i += digits;
  out = v;
  return true;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::string format_iso8601(UnixNanos t) {
  const std::int64_t day = utc_day_start(t) / kNanosPerDay;
  std::int64_t in_day = t - day * kNanosPerDay;
  std::int64_t y;
  unsigned mo, d;
  civil_from_days(day, y, mo, d);
  const int hh = static_cast<int>(in_day / (3600 * kNanosPerSecond));
  const int mi = static_cast<int>(in_day / (60 * kNanosPerSecond) % 60);
  const int ss = static_cast<int>(in_day / kNanosPerSecond % 60);
  const std::int64_t frac = in_day % kNanosPerSecond;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y), mo, d, hh, mi, ss);
  if (frac % kNanosPerSecond != 0) {
    if (frac % kNanosPerMilli == 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03lld", static_cast<long long>(frac / kNanosPerMilli));
    else if (frac % kNanosPerMicro == 0) n += std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(frac / kNanosPerMicro));
    else n += std::snprintf(buf + n, sizeof buf - n, ".%09lld", static_cast<long long>(frac));
  }
  buf[n++] = 'Z';
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<UnixNanos> parse_iso8601(std::string_view s) {
  std::size_t i = 0;
  int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
  if (!read_int(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, mo) || i >= s.size() ||
      s[i++] != '-' || !read_int(s, i, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) return std::nullopt;
  std::int64_t frac_ns = 0;
  std::int64_t offset_s = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
    ++i;
    if (!read_int(s, i, 2, hh) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, mi)) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_int(s, i, 2, ss)) return std::nullopt;
      if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t digits = 0;
        std::int64_t scale = 100'000'000;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (digits < 9) { frac_ns += (s[i] - '0') * scale; scale /= 10; }
          ++digits;
          ++i;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
      }
    }
    if (hh > 23 || mi > 59 || ss > 59) return std::nullopt;
    if (i < s.size()) {
      if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int sgn = s[i++] == '+' ? 1 : -1;
        int oh, om;
        if (!read_int(s, i, 2, oh) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, om) || oh > 23 || om > 59)
          return std::nullopt;
        offset_s = sgn * (oh * 3600 + om * 60);
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t secs = days * 86400 + hh * 3600 + mi * 60 + ss - offset_s;
  return secs * kNanosPerSecond + frac_ns;
}

}  // namespace tradingd
