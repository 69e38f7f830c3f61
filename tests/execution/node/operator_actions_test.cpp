// TradingNode operator actions (control API, SIGUSR2): cancel one order, cancel all, manual trip and the
// reset that is refused while not tripped or cooling down; the breaker change is persisted like any other.
#include <gtest/gtest.h>

#include "tests/execution/node/node_harness.h"

namespace tradingd {
namespace {

using test::NodeHarness;

TEST(TradingNodeOperator, CancelOrderCancelsARestingLimitAndRefusesUnknownIds) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  auto id = h.node().submit_signal(h.limit(0, Side::Buy, "0.1", "49000"));
  ASSERT_TRUE(id) << id.error().detail;
  h.step_ms(20);
  ASSERT_TRUE(h.node().manager().find(*id)->is_open());
  ASSERT_TRUE(h.node().cancel_order(*id, "test"));
  h.step_ms(20);
  EXPECT_EQ(h.node().manager().find(*id)->status(), OrderStatus::Canceled);

  auto unknown = h.node().cancel_order(9999, "test");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, OrderErrorKind::UnknownOrder);
  auto again = h.node().cancel_order(*id, "test");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, OrderErrorKind::InvalidState);
}

TEST(TradingNodeOperator, CancelAllLeavesNoOpenOrders) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  for (const char* px : {"49000", "49100", "49200"}) ASSERT_TRUE(h.node().submit_signal(h.limit(0, Side::Buy, "0.01", px)));
  h.step_ms(20);
  ASSERT_EQ(h.node().manager().open_orders().size(), 3u);
  EXPECT_EQ(h.node().cancel_all_orders("test"), 3u);
  h.step_ms(20);
  EXPECT_TRUE(h.node().manager().open_orders().empty());
}

TEST(TradingNodeOperator, ManualTripBlocksNewRiskAndIsPersisted) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  EXPECT_TRUE(h.node().trip_breaker("operator says so", "api"));
  EXPECT_FALSE(h.node().trip_breaker("again", "api"));  // the first reason stays
  const auto& st = h.node().risk().breaker().state();
  EXPECT_TRUE(st.tripped);
  EXPECT_EQ(st.reason, TripReason::Manual);
  EXPECT_EQ(st.detail, "operator says so");
  auto r = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason(), "circuit_breaker_tripped");
  // A restart reads the persisted trip back.
  auto restarted = h.restart();
  ASSERT_TRUE(restarted);
  EXPECT_TRUE(restarted->breaker_tripped);
}

TEST(TradingNodeOperator, ResetIsRefusedWhenNotTrippedAndDuringCooldownThenRearms) {
  NodeHarness h;
  h.config().risk.breaker_cooldown_s = 60;
  ASSERT_TRUE(h.restart());
  auto not_tripped = h.node().reset_breaker("api");
  ASSERT_FALSE(not_tripped);
  EXPECT_EQ(not_tripped.error(), ResetError::NotTripped);

  ASSERT_TRUE(h.node().trip_breaker("manual", "api"));
  auto cooling = h.node().reset_breaker("signal");
  ASSERT_FALSE(cooling);
  EXPECT_EQ(cooling.error(), ResetError::CoolingDown);
  EXPECT_TRUE(h.node().risk().breaker().tripped());

  h.clock().advance_ns(61 * kNanosPerSecond);
  h.quotes("50000");  // fresh marks: nothing stale to trip on again
  auto ok = h.node().reset_breaker("signal");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->was, TripReason::Manual);
  EXPECT_FALSE(h.node().risk().breaker().tripped());
  EXPECT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
}

}  // namespace
}  // namespace tradingd
