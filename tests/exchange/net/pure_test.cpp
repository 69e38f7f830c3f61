// The small pure pieces of exchange/net: URL parsing, staleness per stream, the latency histogram and
// the log limiter.
#include <gtest/gtest.h>

#include <vector>

#include "exchange/net/log_limiter.h"
#include "exchange/net/staleness.h"
#include "exchange/net/stats.h"
#include "exchange/net/url.h"

namespace tradingd::net {
namespace {

TEST(Url, ParsesSchemeHostPortTarget) {
  auto u = parse_url("wss://stream.example.test:9443/stream?streams=btcusdt@depth");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->scheme, "wss");
  EXPECT_EQ(u->host, "stream.example.test");
  EXPECT_EQ(u->port, 9443);
  EXPECT_EQ(u->target, "/stream?streams=btcusdt@depth");
  EXPECT_EQ(u->host_header(), "stream.example.test:9443");
  EXPECT_EQ(u->to_string(), "wss://stream.example.test:9443/stream?streams=btcusdt@depth");
  EXPECT_EQ(u->to_log_string(), "wss://stream.example.test:9443/stream");
}

TEST(Url, DefaultsAndIpv6) {
  auto u = parse_url("HTTPS://api.example.test");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header(), "api.example.test");
  auto v6 = parse_url("wss://[::1]:8443?x=1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8443);
  EXPECT_EQ(v6->target, "/?x=1");
  EXPECT_EQ(v6->host_header(), "[::1]:8443");
  EXPECT_EQ(v6->with_target("public/stream").target, "/public/stream");
}

TEST(Url, RejectsPlainTextAndJunk) {
  EXPECT_FALSE(parse_url("ws://127.0.0.1:80/").ok());
  EXPECT_FALSE(parse_url("http://127.0.0.1/").ok());
  EXPECT_FALSE(parse_url("127.0.0.1:443").ok());
  EXPECT_FALSE(parse_url("wss://:443/").ok());
  EXPECT_FALSE(parse_url("wss://host:0/").ok());
  EXPECT_FALSE(parse_url("wss://host:70000/").ok());
  EXPECT_FALSE(parse_url("wss://host:12ab/").ok());
  EXPECT_FALSE(parse_url("wss://user:pw@host/").ok());
  EXPECT_FALSE(parse_url("wss://[::1/").ok());
}

TEST(Url, JoinPath) {
  EXPECT_EQ(join_path("/", "/api/v3/depth"), "/api/v3/depth");
  EXPECT_EQ(join_path("/binance/", "/api"), "/binance/api");
  EXPECT_EQ(join_path("/binance", "api"), "/binance/api");
  EXPECT_EQ(join_path("", ""), "/");
}

TEST(Staleness, GoesStaleOnceAndRecovers) {
  StalenessTracker t(10'000);
  const auto a = t.add(0);
  const auto b = t.add(0);
  std::vector<std::size_t> stale;
  auto collect = [&](std::size_t i) { stale.push_back(i); };
  t.on_message(a, 5'000);
  t.poll(9'999, collect);
  EXPECT_TRUE(stale.empty());
  t.poll(10'000, collect);  // b silent for 10 s; a only 5 s
  EXPECT_EQ(stale, (std::vector<std::size_t>{b}));
  t.poll(14'999, collect);
  t.poll(15'000, collect);  // a crosses now; b is not reported twice
  EXPECT_EQ(stale, (std::vector<std::size_t>{b, a}));
  EXPECT_TRUE(t.is_stale(a));
  EXPECT_TRUE(t.on_message(a, 16'000));   // was stale: the caller reports it fresh
  EXPECT_FALSE(t.on_message(a, 16'500));  // already fresh
  EXPECT_FALSE(t.is_stale(a));
  t.poll(20'000, collect);
  EXPECT_EQ(stale.size(), 2u);
  t.restart_all(30'000);
  EXPECT_FALSE(t.is_stale(b));
  t.poll(39'999, collect);
  EXPECT_EQ(stale.size(), 2u);
}

TEST(Staleness, DisabledWithZeroLimit) {
  StalenessTracker t(0);
  t.add(0);
  int n = 0;
  t.poll(1'000'000, [&](std::size_t) { ++n; });
  EXPECT_EQ(n, 0);
}

TEST(LatencyHistogram, BucketsSumAndNegatives) {
  LatencyHistogram h;
  h.observe_ns(50'000);       // 50 µs → first bucket (≤ 100 µs)
  h.observe_ns(100'000);      // exactly 100 µs → first bucket
  h.observe_ns(3'000'000);    // 3 ms → ≤ 5 ms
  h.observe_ns(9'000'000'000);  // 9 s → +Inf
  h.observe_ns(-1'000'000);   // the venue's clock ahead of ours
  EXPECT_EQ(h.bucket(0), 2u);
  EXPECT_EQ(h.bucket(5), 1u);
  EXPECT_EQ(h.bucket(LatencyHistogram::kBoundsUs.size()), 1u);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.negative(), 1u);
  EXPECT_EQ(h.sum_us(), 50u + 100u + 3'000u + 9'000'000u);
}

TEST(LogLimiter, BurstThenSuppressedThenSummary) {
  LogLimiter l(3, 1'000);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += l.allow(100) ? 1 : 0;
  EXPECT_EQ(allowed, 3);
  EXPECT_TRUE(l.allow(1'100));  // a new window
  EXPECT_EQ(l.suppressed(), 7u);
  EXPECT_TRUE(l.allow(1'200));
  EXPECT_EQ(l.suppressed(), 0u);
}

}  // namespace
}  // namespace tradingd::net
