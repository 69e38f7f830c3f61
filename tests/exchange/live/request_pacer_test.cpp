#include "exchange/live/request_pacer.h"

#include <gtest/gtest.h>

#include <array>

namespace tradingd::live {
namespace {

constexpr std::int64_t kMin = 60 * kNanosPerSecond;

TEST(RequestPacer, AdmitsUpToTheLimitThenWaitsForTheNextFixedWindow) {
  RequestPacer p({RateWindow{"weight_1m", 10, kMin, 0}});
  const UnixNanos t0 = 100 * kMin + 15 * kNanosPerSecond;
  const std::array<RateCost, 1> four{RateCost{0, 4}};
  EXPECT_EQ(p.admit(four, t0), 0);
  EXPECT_EQ(p.admit(four, t0), 0);
  EXPECT_EQ(p.used(0, t0), 8);
  // 8 + 4 > 10: wait until the window starting at 101 min.
  EXPECT_EQ(p.admit(four, t0), 45 * kNanosPerSecond);
  EXPECT_EQ(p.used(0, t0), 8);  // a refused request is not counted
  EXPECT_EQ(p.admit(four, 101 * kMin), 0);
  EXPECT_EQ(p.used(0, 101 * kMin), 4);
}

TEST(RequestPacer, HeadroomIsLeftForPriorityRequests) {
  RequestPacer p({RateWindow{"orders_10s", 10, 10 * kNanosPerSecond, 20}});
  const std::array<RateCost, 1> one{RateCost{0, 1}};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(p.admit(one, 0), 0) << i;
  EXPECT_GT(p.admit(one, 0), 0);        // ordinary: 2 of 10 kept in reserve
  EXPECT_EQ(p.admit(one, 0, true), 0);  // a cancel still goes
  EXPECT_EQ(p.admit(one, 0, true), 0);
  EXPECT_GT(p.admit(one, 0, true), 0);  // the hard limit holds for everyone
}

TEST(RequestPacer, VenueReportedUsageWinsWhenHigher) {
  RequestPacer p({RateWindow{"weight_1m", 100, kMin, 0}});
  const std::array<RateCost, 1> one{RateCost{0, 1}};
  EXPECT_EQ(p.admit(one, 0), 0);
  p.observe_used(0, 99, 1);
  EXPECT_EQ(p.used(0, 1), 99);
  p.observe_used(0, 5, 2);  // lower (a stale header): ignored
  EXPECT_EQ(p.used(0, 2), 99);
  EXPECT_EQ(p.admit(one, 3), 0);
  EXPECT_GT(p.admit(one, 4), 0);
}

TEST(RequestPacer, RetryAfterBlocksEverythingAndBanStaysVisibleUntilItEnds) {
  RequestPacer p({RateWindow{"weight_1m", 0, kMin, 0}});  // unlimited window
  const std::array<RateCost, 1> one{RateCost{0, 1}};
  p.block_until(5 * kNanosPerSecond);
  EXPECT_EQ(p.admit(one, kNanosPerSecond), 4 * kNanosPerSecond);
  EXPECT_FALSE(p.banned(kNanosPerSecond));
  EXPECT_EQ(p.admit(one, 5 * kNanosPerSecond), 0);
  p.ban_until(100 * kNanosPerSecond);
  EXPECT_TRUE(p.banned(50 * kNanosPerSecond));
  EXPECT_EQ(p.admit(one, 50 * kNanosPerSecond), 50 * kNanosPerSecond);
  EXPECT_FALSE(p.banned(100 * kNanosPerSecond));
  p.block_until(10 * kNanosPerSecond);  // an earlier block never shortens a longer one
  EXPECT_EQ(p.blocked_until(), 100 * kNanosPerSecond);
}

TEST(RequestPacer, EveryWindowMustAdmitAndTheLongestWaitIsReported) {
  RequestPacer p({RateWindow{"orders_10s", 2, 10 * kNanosPerSecond, 0}, RateWindow{"orders_1d", 3, kNanosPerDay, 0}});
  const std::array<RateCost, 2> order{RateCost{0, 1}, RateCost{1, 1}};
  EXPECT_EQ(p.admit(order, 0), 0);
  EXPECT_EQ(p.admit(order, 0), 0);
  EXPECT_EQ(p.admit(order, 0), 10 * kNanosPerSecond);
  EXPECT_EQ(p.admit(order, 10 * kNanosPerSecond), 0);
  EXPECT_EQ(p.admit(order, 20 * kNanosPerSecond), kNanosPerDay - 20 * kNanosPerSecond);  // the daily cap
}

}  // namespace
}  // namespace tradingd::live
