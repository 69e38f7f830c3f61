// fetch-history planning and the cached-range reader.
#include "backtest/fetch_plan.h"

#include <algorithm>

#include "backtest/csv_fields.h"

namespace tradingd::backtest {

Result<HistoryFetchPlan, std::string> plan_history_fetch(const HistoryCache& cache, const CacheKey& key,
                                                         UnixNanos from_ns, UnixNanos to_ns, UnixNanos now_ns) {
  if (auto bad = cache_key_problem(key)) return Err{*bad};
  if (to_ns <= from_ns) return Err{std::string("empty time range: from must be before to")};
  HistoryFetchPlan plan;
  plan.cached_days = cache.present_days(key, from_ns, to_ns);
  for (UnixNanos d : cache.missing_days(key, from_ns, to_ns)) {
    if (d + kNanosPerDay <= now_ns)
      plan.fetch_days.push_back(d);
    else if (d < now_ns)
      plan.unfinished_days.push_back(d);  // days wholly in the future need nothing
  }
  std::vector<UnixNanos> wanted = plan.fetch_days;
  wanted.insert(wanted.end(), plan.unfinished_days.begin(), plan.unfinished_days.end());
  for (const DayRange& r : group_consecutive_days(wanted)) {
    // Whole cache days (a day file must be complete), up to the present for today.
    const UnixNanos from = r.from_ns;
    UnixNanos to = std::min(r.to_ns, now_ns);
    to -= to % kNanosPerMilli;  // the venues take whole milliseconds
    if (to <= from) continue;
    auto reqs = plan_kline_requests(key.instrument, key.interval_s, from, to);
    if (!reqs) return Err{reqs.error()};
    plan.requests.insert(plan.requests.end(), std::make_move_iterator(reqs->begin()),
                         std::make_move_iterator(reqs->end()));
  }
  return plan;
}

std::span<const Bar> bars_in_day(std::span<const Bar> sorted, UnixNanos day_ns) {
  auto by_open = [](const Bar& b, UnixNanos t) { return b.ts_open_ns < t; };
  const auto lo = std::lower_bound(sorted.begin(), sorted.end(), day_ns, by_open);
  const auto hi = std::lower_bound(lo, sorted.end(), day_ns + kNanosPerDay, by_open);
  return {lo, hi};
}

CachedSeriesReader::CachedSeriesReader(HistoryCache cache, CacheKey key, UnixNanos from_ns, UnixNanos to_ns)
    : cache_(std::move(cache)),
      key_(key),
      from_ns_(from_ns),
      to_ns_(to_ns),
      days_(days_in_range(from_ns, to_ns)),
      name_(cache_series_dir(cache_.root(), key_).string()) {}

ReadStatus CachedSeriesReader::next(Bar& out) {
  if (failed_) return ReadStatus::Error;
  for (;;) {
    if (!day_) {
      if (next_day_ == days_.size()) return ReadStatus::End;
      const UnixNanos day = days_[next_day_++];
      auto r = cache_.open_day(key_, day);
      if (!r) {
        failed_ = true;
        error_ = r.error();
        error_.message = "day " + format_day(day) + " is not cached (run tradingd fetch-history): " + error_.message;
        return ReadStatus::Error;
      }
      day_.emplace(std::move(*r));
    }
    const ReadStatus s = day_->next(out);
    if (s == ReadStatus::Error) {
      failed_ = true;
      error_ = day_->error();
      return s;
    }
    if (s == ReadStatus::End) {
      day_.reset();
      continue;
    }
    // The first and last days are cut to the requested range.
    if (out.ts_open_ns < from_ns_ || out.ts_open_ns >= to_ns_) continue;
    return s;
  }
}

}  // namespace tradingd::backtest
