#include "exchange/live/server_time.h"

#include <gtest/gtest.h>

namespace tradingd::live {
namespace {

constexpr std::int64_t ms = kNanosPerMilli;

TEST(ServerTime, OffsetAssumesTheServerStampedTheMidpoint) {
  ServerTime t;
  EXPECT_FALSE(t.synced());
  EXPECT_TRUE(t.needs_resync(0));
  // Local 1000..1010 ms, server says 1500 ms: server is ahead by 495 ms.
  ASSERT_TRUE(t.on_sample(1500, 1000 * ms, 1010 * ms));
  EXPECT_TRUE(t.synced());
  EXPECT_EQ(t.offset_ns(), 495 * ms);
  EXPECT_EQ(t.server_ms(2000 * ms), 2495);
}

TEST(ServerTime, SlowSamplesAreIgnoredOnceSynced) {
  ServerTime t;
  ASSERT_TRUE(t.on_sample(1005, 1000 * ms, 1010 * ms));  // rtt 10 ms, offset 0
  EXPECT_FALSE(t.on_sample(9000, 2000 * ms, 2500 * ms));   // rtt 500 ms: says little
  EXPECT_EQ(t.offset_ns(), 0);
  EXPECT_FALSE(t.on_sample(1, 10 * ms, 5 * ms));  // received before sent: nonsense
  ASSERT_TRUE(t.on_sample(3020, 3000 * ms, 3020 * ms));  // rtt 20 ms is fine: offset 10 ms
  EXPECT_EQ(t.offset_ns(), 10 * ms);
}

TEST(ServerTime, ATimestampRejectionForcesAResyncThatAcceptsAnySample) {
  ServerTime t(60 * kNanosPerSecond);
  ASSERT_TRUE(t.on_sample(1005, 1000 * ms, 1010 * ms));
  EXPECT_FALSE(t.needs_resync(1010 * ms + 59 * kNanosPerSecond));
  EXPECT_TRUE(t.needs_resync(1010 * ms + 61 * kNanosPerSecond));  // too old
  t.invalidate();
  EXPECT_TRUE(t.needs_resync(1011 * ms));
  ASSERT_TRUE(t.on_sample(5000, 2000 * ms, 2400 * ms));  // slow, but we must sync again
  EXPECT_EQ(t.offset_ns(), 2800 * ms);
}

}  // namespace
}  // namespace tradingd::live
