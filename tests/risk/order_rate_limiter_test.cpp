// Order-rate limits: the sliding one-second window per venue and in total, and the per-UTC-day counts.
#include "risk/order_rate_limiter.h"

#include <gtest/gtest.h>

namespace tradingd {
namespace {

constexpr std::int64_t kMs = kNanosPerMilli;
constexpr UnixNanos kMidnight = 19792 * kNanosPerDay;  // 2024-03-10T00:00:00Z

TEST(OrderRateLimiter, SlidingSecondPerVenue) {
  OrderRateLimiter l({3, 0, 0, 0});
  for (std::int64_t t : {0 * kMs, 100 * kMs, 200 * kMs}) {
    EXPECT_FALSE(l.check(Venue::Binance, t, kMidnight));
    l.record(Venue::Binance, t, kMidnight);
  }
  auto d = l.check(Venue::Binance, 500 * kMs, kMidnight);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, RiskDenyReason::OrderRatePerSecond);
  // Another venue has its own window.
  EXPECT_FALSE(l.check(Venue::Bybit, 500 * kMs, kMidnight));
  // Sliding, not fixed buckets: at 999 ms the first send is still inside, at 1000 ms it has left.
  EXPECT_TRUE(l.check(Venue::Binance, 999 * kMs, kMidnight));
  EXPECT_FALSE(l.check(Venue::Binance, 1000 * kMs, kMidnight));
  l.record(Venue::Binance, 1000 * kMs, kMidnight);
  EXPECT_TRUE(l.check(Venue::Binance, 1050 * kMs, kMidnight));  // 100, 200, 1000 within (50, 1050]
  EXPECT_FALSE(l.check(Venue::Binance, 1100 * kMs, kMidnight));
}

TEST(OrderRateLimiter, TotalAcrossVenues) {
  OrderRateLimiter l({3, 4, 0, 0});
  l.record(Venue::Binance, 0, kMidnight);
  l.record(Venue::Binance, 1, kMidnight);
  l.record(Venue::Bybit, 2, kMidnight);
  l.record(Venue::Okx, 3, kMidnight);
  auto d = l.check(Venue::Okx, 4, kMidnight);
  ASSERT_TRUE(d);
  EXPECT_NE(d->detail.find("all venues"), std::string::npos);
}

TEST(OrderRateLimiter, PerUtcDayWithRollover) {
  OrderRateLimiter l({0, 0, 2, 3});
  const UnixNanos late = kMidnight + kNanosPerDay - kNanosPerSecond;  // 23:59:59
  l.record(Venue::Binance, 0, late - kNanosPerSecond);
  l.record(Venue::Binance, kNanosPerSecond, late);
  auto d = l.check(Venue::Binance, 2 * kNanosPerSecond, late);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, RiskDenyReason::OrderRatePerDay);
  EXPECT_EQ(l.sent_today(Venue::Binance, late), 2);
  l.record(Venue::Okx, 0, late);
  EXPECT_TRUE(l.check(Venue::Bybit, 0, late));  // the total (3) is used up too
  // 00:00:00 next day: a new count.
  const UnixNanos next = kMidnight + kNanosPerDay;
  EXPECT_FALSE(l.check(Venue::Binance, 3 * kNanosPerSecond, next));
  EXPECT_EQ(l.sent_today(Venue::Binance, next), 0);
  l.record(Venue::Binance, 3 * kNanosPerSecond, next);
  EXPECT_EQ(l.sent_today_total(next), 1);
  // A wall clock stepping back over midnight does not hand out a fresh day.
  EXPECT_EQ(l.sent_today_total(late), 1);
}

TEST(OrderRateLimiter, DayCountsTurnExactlyAtUtcMidnight) {
  // The last nanosecond of a day still counts in it, the first of the next does not; before 1970 too.
  for (UnixNanos midnight : {kMidnight, -3 * kNanosPerDay}) {
    OrderRateLimiter l({0, 0, 5, 5});
    l.record(Venue::Binance, 0, midnight - kNanosPerDay);  // the day before: forgotten
    l.record(Venue::Binance, 0, midnight);
    l.record(Venue::Binance, 0, midnight + kNanosPerDay - 1);
    EXPECT_EQ(l.sent_today(Venue::Binance, midnight + kNanosPerDay - 1), 2);
    EXPECT_EQ(l.sent_today(Venue::Binance, midnight), 2);
    EXPECT_EQ(l.sent_today(Venue::Binance, midnight - 1), 2);  // a clock stepping back keeps the later day
    EXPECT_EQ(l.sent_today(Venue::Binance, midnight + kNanosPerDay), 0);
    EXPECT_EQ(l.sent_today_total(midnight + kNanosPerDay), 0);
    l.record(Venue::Binance, 0, midnight + kNanosPerDay);
    EXPECT_EQ(l.sent_today(Venue::Binance, midnight + kNanosPerDay), 1);
    EXPECT_EQ(l.sent_today_total(midnight + 2 * kNanosPerDay - 1), 1);
  }
  OrderRateLimiter fresh({0, 0, 5, 5});  // nothing sent: no day yet, at any time
  EXPECT_EQ(fresh.sent_today(Venue::Okx, INT64_MIN), 0);
  EXPECT_EQ(fresh.sent_today_total(INT64_MAX), 0);
}

TEST(OrderRateLimiter, ZeroDisables) {
  OrderRateLimiter l({0, 0, 0, 0});
  for (int i = 0; i < 1000; ++i) l.record(Venue::Binance, i, kMidnight);
  EXPECT_FALSE(l.check(Venue::Binance, 1000, kMidnight));
}

}  // namespace
}  // namespace tradingd
