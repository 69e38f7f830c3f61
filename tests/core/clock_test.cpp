// Clocks and UTC calendar conversions.
#include <gtest/gtest.h>

#include "core/clock.h"

namespace tradingd {
namespace {

TEST(SimulatedClock, NeverGoesBackwards) {
  SimulatedClock c(1'000);
  EXPECT_EQ(c.now_ns(), 1'000);
  EXPECT_TRUE(c.set_ns(5'000));
  EXPECT_FALSE(c.set_ns(4'000));
  EXPECT_EQ(c.now_ns(), 5'000);
  c.advance_ns(-10);
  EXPECT_EQ(c.now_ns(), 5'000);
  c.advance_ns(10);
  EXPECT_EQ(c.monotonic_ns(), 5'010);
}

TEST(RealClock, IsPlausible) {
  RealClock c;
  EXPECT_GT(c.now_ns(), *parse_iso8601("2025-01-01"));
  const auto a = c.monotonic_ns();
  EXPECT_GE(c.monotonic_ns(), a);
}

TEST(Iso8601, FormatsKnownInstants) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1'704'067'200'000'000'000), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1'709'164'800'123'000'000), "2024-02-29T00:00:00.123Z");  // leap day
  EXPECT_EQ(format_iso8601(1'735'689'600'000'001'000), "2025-01-01T00:00:00.000001Z");
  EXPECT_EQ(format_iso8601(1), "1970-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_iso8601(-1'000'000'000), "1969-12-31T23:59:59Z");
}

TEST(Iso8601, ParsesVariants) {
  EXPECT_EQ(parse_iso8601("2024-01-01"), 1'704'067'200'000'000'000);
  EXPECT_EQ(parse_iso8601("2024-01-01T00:00:00Z"), 1'704'067'200'000'000'000);
  EXPECT_EQ(parse_iso8601("2024-01-01T01:30"), 1'704'072'600'000'000'000);
  EXPECT_EQ(parse_iso8601("2024-01-01T02:00:00+02:00"), 1'704'067'200'000'000'000);
  EXPECT_EQ(parse_iso8601("2023-12-31T22:00:00-02:00"), 1'704'067'200'000'000'000);
  EXPECT_EQ(parse_iso8601("2024-02-29T00:00:00.123Z"), 1'709'164'800'123'000'000);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00.000000001Z"), 1);
}

TEST(Iso8601, RejectsInvalid) {
  for (const char* s : {"", "2024", "2024-13-01", "2023-02-29", "2024-01-32", "2024-01-01T24:00", "2024-01-01T12",
                        "2024-01-01X", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567891Z",
                        "2024-01-01T00:00:00+0200", "2024/01/01"})
    EXPECT_FALSE(parse_iso8601(s).has_value()) << s;
}

TEST(Iso8601, RoundTripsOverManyInstants) {
  for (std::int64_t t = -86'400'000'000'000LL * 800; t < 86'400'000'000'000LL * 40'000; t += 7'777'777'777'777LL + 123'456'789) {
    auto back = parse_iso8601(format_iso8601(t));
    ASSERT_TRUE(back) << format_iso8601(t);
    ASSERT_EQ(*back, t);
  }
}

TEST(UtcDay, StartOfDay) {
  const auto t = *parse_iso8601("2024-03-05T23:59:59.999Z");
  EXPECT_EQ(utc_day_start(t), *parse_iso8601("2024-03-05"));
  EXPECT_EQ(utc_day_start(*parse_iso8601("2024-03-06")), *parse_iso8601("2024-03-06"));
  EXPECT_EQ(utc_day_start(-1), -kNanosPerDay);
}

}  // namespace
}  // namespace tradingd
