// The network side of `tradingd fetch-history`: the venue's public kline endpoint through HttpsClient (one
// kept-alive TLS connection, the system CAs plus TRADINGD_CA_FILE, peers always verified), requests paced
// by the RatePacer at half the venue's documented limit, 429/418 Retry-After and the venues' rate-limit
// codes honoured by pausing, then retrying; transient network failures retried with backoff. Only whole
// ended UTC days are fetched and written to the HistoryCache, so a repeated run finds every day cached and
// opens no connection at all. Gaps in the cached range are detected and reported.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "backtest/gaps.h"
#include "backtest/history_cache.h"
#include "core/clock.h"
#include "core/result.h"

namespace tradingd::daemon {

struct HistoryDownloadOptions {
  backtest::CacheKey key;
  UnixNanos from_ns = 0;
  UnixNanos to_ns = 0;
  std::filesystem::path cache_dir;
  std::string rest_url;  // the venue's REST origin (https://...), from config / TRADINGD_<VENUE>_REST_URL
  std::string ca_file;   // an extra trusted CA (tls.ca_file / TRADINGD_CA_FILE)
  int max_attempts = 5;  // per request, for network failures and rate limiting
  std::int64_t request_timeout_ms = 15'000;
};

struct HistoryDownloadReport {
  std::size_t cached_days = 0;      // already on disk: no request
  std::size_t fetched_days = 0;     // downloaded and written
  std::size_t unfinished_days = 0;  // today (or later): not cached, not fetched
  std::size_t requests = 0;         // HTTP requests sent (retries included)
  std::size_t bars_written = 0;
  backtest::GapReport gaps;         // over the cached range [from, min(to, start of today))
  std::filesystem::path series_dir;  // what `tradingd backtest --data` takes
};

// progress(done, total) after each request (total = planned requests).
using DownloadProgress = std::function<void(std::size_t done, std::size_t total)>;

// Errors: a bad plan (range, interval the venue lacks), the TLS context (CA file), a venue error answer
// (bad symbol), malformed bodies, or a request that still fails after max_attempts.
Result<HistoryDownloadReport, std::string> download_history(const HistoryDownloadOptions& options, const Clock& clock,
                                                            const DownloadProgress& progress = {});

}  // namespace tradingd::daemon
