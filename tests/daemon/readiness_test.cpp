// Readiness registry: all conditions must hold; changes notify; the /readyz body lists each condition.
#include "daemon/readiness.h"

#include <thread>

#include <gtest/gtest.h>

#include "daemon/liveness.h"

namespace tradingd::daemon {
namespace {

TEST(Readiness, EmptyRegistryIsReady) {
  ReadinessRegistry r;
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(format_readiness(r.snapshot()), "ready\n");
}

TEST(Readiness, ReadyOnlyWhenEveryConditionHolds) {
  ReadinessRegistry r;
  r.declare("market_data.binance", "connecting");
  r.declare("reconciliation", "waiting for market data");
  EXPECT_FALSE(r.ready());
  r.report("market_data.binance", true, "connected");
  EXPECT_FALSE(r.ready());
  r.report("reconciliation", true);
  EXPECT_TRUE(r.ready());
  r.report("market_data.binance", false, "reconnecting");
  EXPECT_FALSE(r.ready());
  EXPECT_EQ(format_readiness(r.snapshot()),
            "not ready\nwaiting market_data.binance reconnecting\nok reconciliation\n");
}

TEST(Readiness, RedeclaringResetsAndUnknownReportDeclares) {
  ReadinessRegistry r;
  r.report("api", true, "listening");
  EXPECT_TRUE(r.ready());
  r.declare("api", "restarting");
  EXPECT_FALSE(r.ready());
  ASSERT_EQ(r.snapshot().conditions.size(), 1u);
  EXPECT_EQ(r.snapshot().conditions[0].detail, "restarting");
}

TEST(Readiness, ListenerSeesEveryChangeButNotRepeats) {
  ReadinessRegistry r;
  std::vector<bool> seen;
  r.set_listener([&](const ReadinessRegistry::Snapshot& s) { seen.push_back(s.ready); });
  r.declare("daemon", "starting");
  r.report("daemon", true, "running");
  r.report("daemon", true, "running");  // no change
  r.report("daemon", false, "stopping");
  EXPECT_EQ(seen, (std::vector<bool>{false, true, false}));
}

TEST(Readiness, ConcurrentReadersSeeConsistentSnapshots) {
  ReadinessRegistry r;
  r.declare("a", "x");
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto s = r.snapshot();
      EXPECT_EQ(s.conditions.size(), 1u);
    }
  });
  for (int i = 0; i < 2000; ++i) r.report("a", i % 2 == 0, std::to_string(i));
  stop = true;
  reader.join();
}

TEST(Liveness, AliveWhileBeatsAreRecent) {
  Liveness l(10, 100);
  EXPECT_TRUE(l.alive(105));
  EXPECT_TRUE(l.alive(110));
  EXPECT_FALSE(l.alive(111));
  EXPECT_EQ(l.silence_ns(111), 11);
  l.beat(111);
  EXPECT_TRUE(l.alive(115));
}

}  // namespace
}  // namespace tradingd::daemon
