// download_history: plan from the cache, paced requests over one HttpsClient, day files, gap report.
#include "daemon/history_download.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <chrono>
#include <optional>

#include "backtest/fetch_plan.h"
#include "backtest/kline_responses.h"
#include "exchange/net/https_client.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/url.h"

namespace tradingd::daemon {
namespace {

namespace bt = tradingd::backtest;

// Runs the io_context until `done` (the client keeps idle timers alive, so run() would not return).
void run_until(boost::asio::io_context& io, const bool& done) {
  io.restart();
  while (!done && io.run_one() > 0) {
  }
}

void wait_until(boost::asio::io_context& io, const Clock& clock, UnixNanos t) {
  const std::int64_t wait_ns = t - clock.now_ns();
  if (wait_ns <= 0) return;
  boost::asio::steady_timer timer(io, std::chrono::nanoseconds(wait_ns));
  bool done = false;
  timer.async_wait([&](const boost::system::error_code&) { done = true; });
  run_until(io, done);
}

std::optional<std::int64_t> retry_after_s(const net::HttpResponse& r) {
  const auto h = r.header("Retry-After");
  if (!h) return std::nullopt;
  std::int64_t s = 0;
  const auto [end, ec] = std::from_chars(h->data(), h->data() + h->size(), s);
  if (ec != std::errc{} || end != h->data() + h->size() || s < 0) return std::nullopt;
  return std::min<std::int64_t>(s, 600);
}

// The gap report over what the cache holds for [from, to).
Result<bt::GapReport, std::string> cached_gaps(const bt::HistoryCache& cache, const bt::CacheKey& key, UnixNanos from,
                                               UnixNanos to) {
  if (to <= from) return bt::GapReport{};  // nothing ended yet in the range: nothing cached to check
  bt::GapDetector detector(key.interval_s, from);
  bt::CachedSeriesReader reader(cache, key, from, to);
  Bar b;
  bt::ReadStatus s;
  while ((s = reader.next(b)) == bt::ReadStatus::Item) detector.observe(b.ts_open_ns);
  if (s == bt::ReadStatus::Error) return Err(reader.error().to_string());
  return detector.finish(to);
}

}  // namespace

Result<HistoryDownloadReport, std::string> download_history(const HistoryDownloadOptions& o, const Clock& clock,
                                                            const DownloadProgress& progress) {
  const bt::HistoryCache cache(o.cache_dir);
  const UnixNanos now = clock.now_ns();
  auto plan = bt::plan_history_fetch(cache, o.key, o.from_ns, o.to_ns, now);
  if (!plan) return Err(plan.error());
  HistoryDownloadReport report;
  report.cached_days = plan->cached_days.size();
  report.unfinished_days = plan->unfinished_days.size();
  report.series_dir = bt::cache_series_dir(o.cache_dir, o.key);

  // Only whole ended days are kept, so only they are requested: today's bars would be thrown away.
  std::vector<bt::KlineRequest> requests;
  const UnixNanos today = utc_day_start(now);
  for (auto& r : plan->requests)
    if (r.from_ns < today) requests.push_back(std::move(r));

  std::vector<Bar> bars;
  if (!requests.empty()) {
    auto tls = net::TlsContext::create_client(net::TlsClientOptions{o.ca_file, true});
    if (!tls) return Err("TLS: " + tls.error());
    auto base = net::parse_url(o.rest_url);
    if (!base) return Err("REST URL " + o.rest_url + ": " + base.error());
    boost::asio::io_context io;
    net::HttpsOptions ho;
    ho.request_timeout_ms = o.request_timeout_ms;
    net::HttpsClient client(io, *tls, *base, ho);
    bt::RatePacer pacer(bt::default_kline_rate_limit(o.key.instrument.venue, o.key.instrument.kind));
    std::size_t done_count = 0;
    for (const auto& req : requests) {
      std::int64_t backoff_ns = 500 * kNanosPerMilli;
      for (int attempt = 1;; ++attempt) {
        wait_until(io, clock, pacer.earliest(clock.now_ns(), req.weight));
        pacer.record(clock.now_ns(), req.weight);
        ++report.requests;
        net::HttpRequest hr;
        hr.target = req.target();
        hr.timeout_ms = o.request_timeout_ms;
        bool done = false;
        std::optional<net::HttpResult> result;
        client.request(std::move(hr), [&](net::HttpResult r) {
          result = std::move(r);
          done = true;
        });
        run_until(io, done);
        std::string retry_why;
        if (!result) {
          retry_why = "no answer";
        } else if (!*result) {
          retry_why = result->error().to_string();
        } else if ((*result)->status == 429 || (*result)->status == 418) {
          const auto wait_s = retry_after_s(**result).value_or((*result)->status == 418 ? 60 : 1);
          pacer.pause_until(clock.now_ns() + wait_s * kNanosPerSecond);
          retry_why = "rate limited (HTTP " + std::to_string((*result)->status) + ")";
        } else {
          auto parsed = bt::parse_kline_response(req, (*result)->body, clock.now_ns());
          if (parsed) {
            bars.insert(bars.end(), parsed->begin(), parsed->end());
            break;
          }
          if (parsed.error().kind != bt::KlineError::Kind::RateLimited) {
            return Err("HTTP " + std::to_string((*result)->status) + " for " + req.target() + ": " +
                       parsed.error().to_string());
          }
          pacer.pause_until(clock.now_ns() + backoff_ns);
          retry_why = parsed.error().to_string();
        }
        if (attempt >= o.max_attempts)
          return Err(req.target() + ": failed after " + std::to_string(attempt) + " attempts: " + retry_why);
        spdlog::warn("Kline request retried attempt={} reason={}", attempt, retry_why);
        wait_until(io, clock, clock.now_ns() + backoff_ns);
        backoff_ns = std::min<std::int64_t>(backoff_ns * 2, 30 * kNanosPerSecond);
      }
      if (progress) progress(++done_count, requests.size());
    }
    client.close();
  }

  std::sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.ts_open_ns < b.ts_open_ns; });
  bars.erase(std::unique(bars.begin(), bars.end(),
                         [](const Bar& a, const Bar& b) { return a.ts_open_ns == b.ts_open_ns; }),
             bars.end());
  for (UnixNanos day : plan->fetch_days) {
    const auto in_day = bt::bars_in_day(bars, day);
    auto written = cache.write_day(o.key, day, in_day);
    if (!written) return Err("cache: " + written.error().to_string());
    ++report.fetched_days;
    report.bars_written += in_day.size();
  }
  auto gaps = cached_gaps(cache, o.key, o.from_ns, std::min(o.to_ns, today));
  if (!gaps) return Err("reading the cache back: " + gaps.error());
  report.gaps = std::move(*gaps);
  return report;
}

}  // namespace tradingd::daemon
