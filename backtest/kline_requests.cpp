// Kline request planning and pacing. Each page asks for an explicit window that holds at most one page of
// bars, so the plan is fixed before the first response: no cursor follows from a response, and a
// re-run after a failure re-sends exactly the windows that are still missing.
#include "backtest/kline_requests.h"

#include <algorithm>
#include <array>

namespace tradingd::backtest {
namespace {

struct VenueInterval {
  std::int64_t seconds;
  std::string_view binance, bybit, okx;  // empty: the venue does not list it
};
// OKX's 6H and longer bars are aligned to Hong Kong time unless suffixed "utc"; we always ask for UTC so
// bars line up with the other venues and with UTC days.
constexpr std::array<VenueInterval, 15> kVenueIntervals{{
    {1, "1s", "", ""},
    {60, "1m", "1", "1m"},
    {180, "3m", "3", "3m"},
    {300, "5m", "5", "5m"},
    {900, "15m", "15", "15m"},
    {1800, "30m", "30", "30m"},
    {3600, "1h", "60", "1H"},
    {7200, "2h", "120", "2H"},
    {14'400, "4h", "240", "4H"},
    {21'600, "6h", "360", "6Hutc"},
    {28'800, "8h", "", ""},
    {43'200, "12h", "720", "12Hutc"},
    {86'400, "1d", "D", "1Dutc"},
    {259'200, "3d", "", "3Dutc"},
    {604'800, "1w", "W", "1Wutc"},
}};

std::string ms(UnixNanos t) { return std::to_string(t / kNanosPerMilli); }

}  // namespace

std::optional<std::string> venue_interval(Venue venue, std::int64_t interval_s) {
  for (const auto& v : kVenueIntervals) {
    if (v.seconds != interval_s) continue;
    std::string_view name;
    switch (venue) {
      case Venue::Binance:
        name = v.binance;
        break;
      case Venue::Bybit:
        name = v.bybit;
        break;
      case Venue::Okx:
        name = v.okx;
        break;
      case Venue::Simulated:
        break;
    }
    if (name.empty()) return std::nullopt;
    return std::string(name);
  }
  return std::nullopt;
}

int kline_page_size(Venue venue) {
  switch (venue) {
    case Venue::Binance:
      return 1000;
    case Venue::Bybit:
      return 1000;
    case Venue::Okx:
      return 100;  // history-candles returns at most 100 rows
    case Venue::Simulated:
      return 0;
  }
  return 0;
}

std::string KlineRequest::target() const {
  std::string s = path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    s += sep;
    s += k;
    s += '=';
    // Symbols, intervals and integers only: [A-Za-z0-9-_.] need no escaping; anything else is escaped.
    for (const char c : v) {
      const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.' || c == '~';
      if (plain) {
        s += c;
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        s += '%';
        s += kHex[static_cast<unsigned char>(c) >> 4];
        s += kHex[static_cast<unsigned char>(c) & 15];
      }
    }
    sep = '&';
  }
  return s;
}

Result<std::vector<KlineRequest>, std::string> plan_kline_requests(const InstrumentId& instrument,
                                                                   std::int64_t interval_s, UnixNanos from_ns,
                                                                   UnixNanos to_ns, std::size_t max_requests) {
  const Venue venue = instrument.venue;
  if (venue == Venue::Simulated) return Err{std::string("the simulated venue has no kline endpoint")};
  if (instrument.symbol.empty()) return Err{std::string("empty symbol")};
  if (from_ns < 0 || to_ns <= from_ns) return Err{std::string("empty time range: from must be before to")};
  if (from_ns % kNanosPerMilli != 0 || to_ns % kNanosPerMilli != 0)
    return Err{std::string("from and to must be whole milliseconds (the venues' resolution)")};
  const auto interval = venue_interval(venue, interval_s);
  if (!interval) return Err{std::string(to_string(venue)) + " has no " + std::to_string(interval_s) + "s klines"};
  if (venue == Venue::Binance && interval_s == 1 && instrument.kind != MarketKind::Spot)
    return Err{std::string("binance USD-M has no 1s klines")};

  const int page = kline_page_size(venue);
  const std::int64_t page_ns = page * interval_s * kNanosPerSecond;
  const std::int64_t pages = (to_ns - from_ns + page_ns - 1) / page_ns;
  if (pages < 0 || static_cast<std::uint64_t>(pages) > max_requests)
    return Err{"the range needs " + std::to_string(pages) + " requests, more than the limit of " +
               std::to_string(max_requests)};

  std::vector<KlineRequest> out;
  out.reserve(static_cast<std::size_t>(pages));
  const std::string symbol(instrument.symbol.view());
  for (UnixNanos from = from_ns; from < to_ns; from += page_ns) {
    KlineRequest r;
    r.instrument = instrument;
    r.interval_s = interval_s;
    r.from_ns = from;
    r.to_ns = std::min(to_ns, from + page_ns);
    r.max_bars = page;
    const UnixNanos last_ms_ns = r.to_ns - kNanosPerMilli;  // inclusive end for Binance and Bybit
    switch (venue) {
      case Venue::Binance:
        r.path = instrument.kind == MarketKind::Spot ? "/api/v3/klines" : "/fapi/v1/klines";
        r.params = {{"symbol", symbol},
                    {"interval", *interval},
                    {"startTime", ms(r.from_ns)},
                    {"endTime", ms(last_ms_ns)},
                    {"limit", std::to_string(page)}};
        // Spot klines weigh 2; USD-M weighs 5 for a limit of 500..1000.
        r.weight = instrument.kind == MarketKind::Spot ? 2 : 5;
        break;
      case Venue::Bybit:
        r.path = "/v5/market/kline";
        r.params = {{"category", instrument.kind == MarketKind::Spot ? "spot" : "linear"},
                    {"symbol", symbol},
                    {"interval", *interval},
                    {"start", ms(r.from_ns)},
                    {"end", ms(last_ms_ns)},
                    {"limit", std::to_string(page)}};
        break;
      case Venue::Okx:
        r.path = "/api/v5/market/history-candles";
        // after/before are exclusive bounds: ts < after and ts > before.
        r.params = {{"instId", symbol},
                    {"bar", *interval},
                    {"after", ms(r.to_ns)},
                    {"before", ms(r.from_ns - kNanosPerMilli)},
                    {"limit", std::to_string(page)}};
        break;
      case Venue::Simulated:
        break;
    }
    out.push_back(std::move(r));
  }
  return out;
}

RateLimit default_kline_rate_limit(Venue venue, MarketKind kind) {
  switch (venue) {
    case Venue::Binance:
      return kind == MarketKind::Spot ? RateLimit{3000, 60 * kNanosPerSecond} : RateLimit{1200, 60 * kNanosPerSecond};
    case Venue::Bybit:
      return RateLimit{300, 5 * kNanosPerSecond};
    case Venue::Okx:
      return RateLimit{10, 2 * kNanosPerSecond};
    case Venue::Simulated:
      break;
  }
  return RateLimit{1, kNanosPerSecond};
}

UnixNanos RatePacer::earliest(UnixNanos now_ns, std::int64_t weight) const {
  UnixNanos t = std::max(now_ns, paused_until_ns_);
  // A request heavier than the whole budget goes when the window is empty (it could never fit otherwise).
  weight = std::min(weight, limit_.capacity);
  std::int64_t used = 0;
  std::size_t first = 0;  // entries before this index have left the window at time t
  for (std::size_t i = 0; i < sent_.size(); ++i) {
    if (sent_[i].first > t - limit_.window_ns)
      used += sent_[i].second;
    else
      first = i + 1;
  }
  while (used + weight > limit_.capacity && first < sent_.size()) {
    t = std::max(t, sent_[first].first + limit_.window_ns);  // wait for the oldest to leave the window
    used -= sent_[first].second;
    ++first;
  }
  return t;
}

void RatePacer::record(UnixNanos sent_ns, std::int64_t weight) {
  sent_.emplace_back(sent_ns, weight);
  while (sent_.front().first <= sent_ns - limit_.window_ns) sent_.pop_front();  // left every future window
}

std::vector<UnixNanos> plan_send_times(std::span<const KlineRequest> requests, RateLimit limit, UnixNanos start_ns) {
  RatePacer pacer(limit);
  std::vector<UnixNanos> out;
  out.reserve(requests.size());
  UnixNanos t = start_ns;
  for (const KlineRequest& r : requests) {
    t = pacer.earliest(t, r.weight);
    pacer.record(t, r.weight);
    out.push_back(t);
  }
  return out;
}

}  // namespace tradingd::backtest
