// Pure request planners for `tradingd fetch-history`: the public kline endpoint requests that cover the bars
// opening in [from, to), page by page, per venue, and a rate-limit pacer that spaces them. The network
// client sends KlineRequest::target() to the venue's REST host; nothing here touches a socket.
//   Binance  GET /api/v3/klines (spot) or /fapi/v1/klines (USD-M): startTime/endTime inclusive ms, limit 1000,
//            oldest first.
//   Bybit    GET /v5/market/kline: category spot|linear, start/end inclusive ms, limit 1000, NEWEST first.
//   OKX      GET /api/v5/market/history-candles: after = ts upper bound (exclusive), before = ts lower
//            bound (exclusive, so from - 1 ms), limit 100, newest first.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"

namespace tradingd::backtest {

struct KlineRequest {
  InstrumentId instrument;
  std::int64_t interval_s = 60;
  std::string path;                                         // "/api/v3/klines"
  std::vector<std::pair<std::string, std::string>> params;  // in the order sent
  UnixNanos from_ns = 0;                                    // the open times this page covers: [from_ns, to_ns)
  UnixNanos to_ns = 0;
  int max_bars = 0;  // at most this many rows come back (the page size)
  int weight = 1;    // its cost against the venue's rate limit

  // "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=...": what an HTTP GET sends.
  std::string target() const;
};

// The venue's name for an interval ("1m" Binance, "1" Bybit, "1m"/"1H"/"1Dutc" OKX) or nullopt.
std::optional<std::string> venue_interval(Venue venue, std::int64_t interval_s);
int kline_page_size(Venue venue);

// Every request, oldest window first. Errors: empty or negative range, an interval the venue does not list,
// an unsupported venue, or more than max_requests pages.
Result<std::vector<KlineRequest>, std::string> plan_kline_requests(const InstrumentId& instrument,
                                                                   std::int64_t interval_s, UnixNanos from_ns,
                                                                   UnixNanos to_ns,
                                                                   std::size_t max_requests = 1'000'000);

// ---- Rate pacing (pure: time is an argument) ----

// At most `capacity` weight units in any rolling window of `window_ns`. A rolling window is at least as
// strict as Binance's calendar-aligned one, so it is safe for both kinds.
struct RateLimit {
  std::int64_t capacity = 1;
  std::int64_t window_ns = kNanosPerSecond;
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

// The budget fetch-history uses for klines: half the venue's documented per-IP limit (Binance spot 6000
// weight/min, USD-M 2400/min; Bybit 600 requests/5 s; OKX history-candles 20/2 s), leaving the other half
// to a daemon trading from the same address.
RateLimit default_kline_rate_limit(Venue venue, MarketKind kind);

class RatePacer {
 public:
  explicit RatePacer(RateLimit limit) : limit_(limit) {}
  // The earliest time >= now_ns at which a request of this weight keeps the window within capacity.
  UnixNanos earliest(UnixNanos now_ns, std::int64_t weight) const;
  void record(UnixNanos sent_ns, std::int64_t weight);
  // The venue said stop (HTTP 429/418 with Retry-After, Bybit 10006, OKX 50011): nothing before until_ns.
  void pause_until(UnixNanos until_ns) {
    if (until_ns > paused_until_ns_) paused_until_ns_ = until_ns;
  }

 private:
  RateLimit limit_;
  std::deque<std::pair<UnixNanos, std::int64_t>> sent_;  // (time, weight) still inside the last window, oldest first
  UnixNanos paused_until_ns_ = 0;
};

// When each request may be sent if all go as fast as the limit allows, starting at start_ns.
std::vector<UnixNanos> plan_send_times(std::span<const KlineRequest> requests, RateLimit limit, UnixNanos start_ns);

}  // namespace tradingd::backtest
