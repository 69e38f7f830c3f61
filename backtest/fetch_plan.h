// What `tradingd fetch-history --venue --symbol --interval --from --to` does, as pure steps around the
// network client: plan_history_fetch() decides from the cache which days still need requests (a repeated
// run plans none), bars_in_day() cuts a fetched page run into the cache's day files, and
// CachedSeriesReader streams a cached range back as one bar series for a backtest.
//   plan = plan_history_fetch(cache, key, from, to, now)
//   for each request (paced by RatePacer(default_kline_rate_limit(...))): GET request.target(),
//     parse_kline_response(request, body, now) -> bars (KlineError::RateLimited: pause_until, retry)
//   for each day in plan.fetch_days: cache.write_day(key, day, bars_in_day(bars, day)); report find_gaps()
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "backtest/bar_reader.h"
#include "backtest/history_cache.h"
#include "backtest/kline_requests.h"

namespace tradingd::backtest {

struct HistoryFetchPlan {
  std::vector<UnixNanos> cached_days;      // already on disk: no request
  std::vector<UnixNanos> fetch_days;       // ended and missing: fetch, then write
  std::vector<UnixNanos> unfinished_days;  // not over yet at `now` (today): fetched for use, never cached
  std::vector<KlineRequest> requests;      // cover fetch_days and unfinished_days up to now, oldest first
};

// Errors: those of plan_kline_requests, or a cache key that cannot name a directory.
Result<HistoryFetchPlan, std::string> plan_history_fetch(const HistoryCache& cache, const CacheKey& key,
                                                         UnixNanos from_ns, UnixNanos to_ns, UnixNanos now_ns);

// The bars (sorted by open time) that open inside the UTC day starting at day_ns.
std::span<const Bar> bars_in_day(std::span<const Bar> sorted, UnixNanos day_ns);

// The cached bars of [from_ns, to_ns) as one series, day file after day file; a missing day is an error
// naming it (run fetch-history first) rather than a silent hole.
class CachedSeriesReader final : public BarReader {
 public:
  CachedSeriesReader(HistoryCache cache, CacheKey key, UnixNanos from_ns, UnixNanos to_ns);
  ReadStatus next(Bar& out) override;
  const LoadError& error() const override { return error_; }
  const InstrumentId& instrument() const override { return key_.instrument; }
  std::int64_t interval_s() const override { return key_.interval_s; }
  const std::string& path() const override { return name_; }

 private:
  HistoryCache cache_;
  CacheKey key_;
  UnixNanos from_ns_, to_ns_;
  std::vector<UnixNanos> days_;
  std::size_t next_day_ = 0;
  std::optional<OhlcvCsvReader> day_;
  std::string name_;
  LoadError error_;
  bool failed_ = false;
};

}  // namespace tradingd::backtest
