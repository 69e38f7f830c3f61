// Backoff: every delay within [min, ceiling], the ceiling grows exponentially to the cap, the jitter is
// deterministic for a seed and spread across the range, and only a stable connection resets it.
#include "exchange/net/backoff.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace tradingd::net {
namespace {

BackoffOptions opts() {
  BackoffOptions o;
  o.initial_ms = 100;
  o.max_ms = 5'000;
  o.min_ms = 10;
  o.multiplier = 2.0;
  o.stable_after_ms = 30'000;
  return o;
}

TEST(Backoff, CeilingGrowsExponentiallyToTheCap) {
  Backoff b(opts(), 1);
  const std::vector<std::int64_t> expected{100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
  for (auto want : expected) {
    EXPECT_EQ(b.ceiling_ms(), want);
    b.next_delay_ms();
  }
}

TEST(Backoff, EveryDelayWithinBounds) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Backoff b(opts(), seed);
    for (int i = 0; i < 40; ++i) {
      const auto ceiling = b.ceiling_ms();
      const auto d = b.next_delay_ms();
      ASSERT_GE(d, 10) << "seed " << seed << " attempt " << i;
      ASSERT_LE(d, ceiling) << "seed " << seed << " attempt " << i;
      ASSERT_LE(d, 5'000);
    }
  }
}

TEST(Backoff, SameSeedSameSequenceDifferentSeedDifferent) {
  Backoff a(opts(), 42), b(opts(), 42), c(opts(), 43);
  std::vector<std::int64_t> sa, sb, sc;
  for (int i = 0; i < 20; ++i) {
    sa.push_back(a.next_delay_ms());
    sb.push_back(b.next_delay_ms());
    sc.push_back(c.next_delay_ms());
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST(Backoff, JitterIsSpreadNotConstant) {
  // Full jitter: many clients at the cap must not reconnect in lockstep.
  std::set<std::int64_t> at_cap;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    Backoff b(opts(), seed);
    for (int i = 0; i < 10; ++i) b.next_delay_ms();
    at_cap.insert(b.next_delay_ms());
  }
  EXPECT_GT(at_cap.size(), 80u);
  EXPECT_LT(*at_cap.begin(), 2'500);
  EXPECT_GT(*at_cap.rbegin(), 2'500);
}

TEST(Backoff, ResetReturnsToTheInitialCeiling) {
  Backoff b(opts(), 7);
  for (int i = 0; i < 6; ++i) b.next_delay_ms();
  EXPECT_EQ(b.attempts(), 6);
  b.reset();
  EXPECT_EQ(b.attempts(), 0);
  EXPECT_EQ(b.ceiling_ms(), 100);
  EXPECT_LE(b.next_delay_ms(), 100);
}

TEST(Backoff, OnlyAStableConnectionResetsTheSchedule) {
  Backoff b(opts(), 7);
  for (int i = 0; i < 5; ++i) b.next_delay_ms();
  // Accepted and dropped after 1 s: a flapping server; the schedule keeps growing.
  b.on_connected(1'000);
  b.on_disconnected(2'000);
  EXPECT_EQ(b.attempts(), 5);
  EXPECT_EQ(b.ceiling_ms(), 3'200);
  // Up for 30 s: stable; the next reconnect starts from the initial ceiling again.
  b.on_connected(10'000);
  b.on_disconnected(40'000);
  EXPECT_EQ(b.attempts(), 0);
  EXPECT_EQ(b.ceiling_ms(), 100);
  // A disconnect without a connect (a failed attempt) never resets.
  for (int i = 0; i < 3; ++i) b.next_delay_ms();
  b.on_disconnected(100'000);
  EXPECT_EQ(b.attempts(), 3);
}

TEST(Backoff, NoReconnectStormUnderRepeatedFailures) {
  // 300 connection attempts per 5 minutes is Binance's per-IP limit: a failing venue must stay far below.
  Backoff b(BackoffOptions{}, 1);
  std::int64_t elapsed_ms = 0;
  int attempts = 0;
  while (elapsed_ms < 5 * 60'000) {
    elapsed_ms += b.next_delay_ms();
    ++attempts;
  }
  EXPECT_LT(attempts, 60);
}

TEST(Backoff, SanitisesNonsenseOptions) {
  BackoffOptions o;
  o.initial_ms = 0;
  o.max_ms = -5;
  o.min_ms = 1'000;
  o.multiplier = 0.5;
  Backoff b(o, 1);
  for (int i = 0; i < 10; ++i) {
    const auto d = b.next_delay_ms();
    EXPECT_GE(d, 0);
    EXPECT_LE(d, 1);
  }
  BackoffOptions huge;
  huge.multiplier = 1e300;
  Backoff h(huge, 1);
  for (int i = 0; i < 2'000; ++i) ASSERT_LE(h.next_delay_ms(), huge.max_ms);
}

}  // namespace
}  // namespace tradingd::net
