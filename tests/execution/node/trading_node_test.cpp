// TradingNode on the SimulatedVenue with synthetic quotes: signal -> fill -> position, risk denials,
// breaker trip (reduce-only still passes), emergency stop (flat, no open orders, idempotent, timed with
// 100 open orders and 10 positions), and restart from the same journal and state store.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "tests/execution/node/node_harness.h"

namespace tradingd {
namespace {

using test::NodeHarness;

Quantity q(const char* s) { return Quantity::from_string(s); }

TEST(TradingNode, RefusesSignalsBeforeReconciliation) {
  NodeHarness h;
  auto r = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SignalRefusal::Kind::NotReady);
  EXPECT_EQ(r.error().reason(), "not_ready");
  EXPECT_EQ(h.node().stats().signals_refused_not_ready, 1u);
}

TEST(TradingNode, SignalFillsAndBecomesAPosition) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  ASSERT_EQ(h.node().state(), NodeState::Ready);
  auto r = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));
  ASSERT_TRUE(r) << r.error().detail;
  h.step_ms(50);
  const Order* o = h.node().manager().find(*r);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->status(), OrderStatus::Filled);
  EXPECT_EQ(h.position(0), q("0.1"));
  EXPECT_EQ(h.node().stats().fills_applied, 1u);
  EXPECT_TRUE(h.node().portfolio().figures().valid);
}

TEST(TradingNode, RiskDenialIsTypedAndCounted) {
  NodeHarness h;
  h.config().risk.max_order_notional = Money::from_units(1'000);
  ASSERT_TRUE(h.restart());
  auto r = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));  // ~5000 USDT
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SignalRefusal::Kind::Engine);
  EXPECT_EQ(r.error().reason(), "max_order_notional");
  EXPECT_EQ(h.node().risk().counters().denied_for(RiskDenyReason::MaxOrderNotional), 1u);
  EXPECT_EQ(h.node().manager().order_count(), 0u);
}

TEST(TradingNode, TrippedBreakerBlocksIncreasingOrdersButAllowsReduceOnly) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.2")));
  h.step_ms(20);
  ASSERT_EQ(h.position(0), q("0.2"));
  h.node().risk().trip_breaker(TripReason::Manual, "test", h.clock().now_ns());
  auto more = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().reason(), "circuit_breaker_tripped");
  auto reduce = h.node().submit_signal(h.market(0, Side::Sell, "0.1", /*reduce_only=*/true));
  ASSERT_TRUE(reduce) << reduce.error().detail;
  h.step_ms(20);
  EXPECT_EQ(h.position(0), q("0.1"));
}

TEST(TradingNode, EmergencyStopEndsFlatWithNoOpenOrdersAndIsIdempotent) {
  NodeHarness h(2);
  ASSERT_TRUE(h.start());
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  auto short_sell = h.node().submit_signal(h.market(1, Side::Sell, "0.15"));
  ASSERT_TRUE(short_sell) << short_sell.error().detail;
  ASSERT_TRUE(h.node().submit_signal(h.limit(0, Side::Buy, "0.1", "49000")));
  h.step_ms(20);
  ASSERT_EQ(h.node().manager().open_orders().size(), 1u);
  int done_calls = 0;
  EXPECT_EQ(h.node().emergency_stop("test", [&](const EmergencyStopReport&) { ++done_calls; }), StartResult::Started);
  EXPECT_EQ(h.node().emergency_stop("again"), StartResult::AlreadyRunning);
  for (int i = 0; i < 100 && h.node().emergency_stop_running(); ++i) h.step_ms(10);
  ASSERT_FALSE(h.node().emergency_stop_running());
  ASSERT_TRUE(h.node().last_emergency_report());
  const auto& rep = *h.node().last_emergency_report();
  EXPECT_TRUE(rep.success());
  EXPECT_EQ(rep.flatten_orders, 2u);  // one per position, never doubled by the second request
  EXPECT_EQ(done_calls, 1);
  EXPECT_TRUE(h.node().manager().open_orders().empty());
  EXPECT_TRUE(h.position(0).is_zero());
  EXPECT_TRUE(h.position(1).is_zero());
  EXPECT_TRUE(h.node().risk().breaker().tripped());
  // After the run: a new request starts a new run that finds nothing to do.
  EXPECT_EQ(h.node().emergency_stop("third"), StartResult::Started);
  h.step_ms(50);
  EXPECT_EQ(h.node().last_emergency_report()->flatten_orders, 0u);
}

TEST(TradingNode, EmergencyStopWith100OpenOrdersAnd10Positions) {
  NodeHarness h(10, /*latency_ms=*/50);  // the paper default: 50 ms each way
  ASSERT_TRUE(h.start());
  for (std::size_t i = 0; i < 10; ++i) ASSERT_TRUE(h.node().submit_signal(h.market(i, Side::Buy, "0.1")));
  for (std::size_t i = 0; i < 10; ++i) {
    for (int k = 0; k < 10; ++k) {
      ASSERT_TRUE(h.node().submit_signal(h.limit(i, Side::Buy, "0.01", k % 2 ? "49000" : "48500")));
    }
  }
  h.step_ms(300);
  ASSERT_EQ(h.node().manager().open_orders().size(), 100u);
  ASSERT_EQ(h.node().tracker().open_position_count(), 10u);

  const auto wall0 = std::chrono::steady_clock::now();
  const UnixNanos sim0 = h.clock().now_ns();
  ASSERT_EQ(h.node().emergency_stop("bench"), StartResult::Started);
  while (h.node().emergency_stop_running() && h.clock().now_ns() - sim0 < 60 * kNanosPerSecond) h.step_ms(1);
  const auto wall_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - wall0).count();
  ASSERT_TRUE(h.node().last_emergency_report());
  const auto& rep = *h.node().last_emergency_report();
  EXPECT_TRUE(rep.success());
  EXPECT_EQ(rep.canceled.size(), 100u);
  EXPECT_EQ(rep.closed.size(), 10u);
  EXPECT_EQ(rep.flatten_orders, 10u);
  EXPECT_TRUE(h.node().manager().open_orders().empty());
  EXPECT_EQ(h.node().tracker().open_position_count(), 0u);
  std::printf(
      "[ emergency stop ] 100 open orders + 10 positions, 50 ms one-way latency: simulated %.1f ms, "
      "wall %.3f ms (including 1 ms clock steps)\n",
      static_cast<double>(rep.finished_ns - rep.started_ns) / 1e6, static_cast<double>(wall_us) / 1e3);
}

TEST(TradingNode, RestartRestoresOrdersPositionsTrippedBreakerAndPaperVenue) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.2")));
  auto resting = h.node().submit_signal(h.limit(0, Side::Buy, "0.1", "49000"));
  ASSERT_TRUE(resting);
  h.step_ms(20);
  h.node().risk().trip_breaker(TripReason::Manual, "operator", h.clock().now_ns());
  h.step_ms(20);

  auto r = h.restart();
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->breaker_restored);
  EXPECT_TRUE(r->breaker_tripped);
  EXPECT_EQ(r->venue_snapshots_restored, 1u);
  EXPECT_EQ(r->fills_replayed, 1u);
  ASSERT_EQ(h.node().state(), NodeState::Ready);
  ASSERT_TRUE(h.reconcile());
  EXPECT_TRUE(h.reconcile()->not_found.empty());  // the venue snapshot still holds the resting order
  EXPECT_EQ(h.position(0), q("0.2"));
  const Order* o = h.node().manager().find(*resting);
  ASSERT_NE(o, nullptr);
  EXPECT_TRUE(o->is_open());
  // The restart did not bypass the breaker.
  EXPECT_TRUE(h.node().risk().breaker().tripped());
  auto more = h.node().submit_signal(h.market(0, Side::Buy, "0.1"));
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().reason(), "circuit_breaker_tripped");
  // The restored venue still fills: a reduce-only close goes through.
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Sell, "0.2", true)));
  h.step_ms(20);
  EXPECT_TRUE(h.position(0).is_zero());
}

TEST(TradingNode, AnAutomaticTripConfiguredToFlattenRunsTheEmergencyStop) {
  NodeHarness h;
  h.config().risk.cancel_orders_on_trip = true;
  h.config().risk.flatten_on_trip = true;
  h.config().risk.max_consecutive_rejects = 1;
  ASSERT_TRUE(h.restart());
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  ASSERT_TRUE(h.node().submit_signal(h.limit(0, Side::Buy, "0.1", "49000")));
  h.step_ms(20);
  // A venue reject (post-only that would take) trips the breaker: cancel and flatten follow.
  Signal crossing = h.limit(0, Side::Buy, "0.1", "50001");
  crossing.time_in_force = TimeInForce::PostOnly;
  ASSERT_TRUE(h.node().submit_signal(crossing));
  h.step_ms(200);
  EXPECT_TRUE(h.node().risk().breaker().tripped());
  ASSERT_TRUE(h.node().last_emergency_report());
  EXPECT_TRUE(h.node().last_emergency_report()->success());
  EXPECT_TRUE(h.node().manager().open_orders().empty());
  EXPECT_TRUE(h.position(0).is_zero());
}

TEST(TradingNode, PaperVenueSnapshotIsWrittenPeriodically) {
  NodeHarness h;
  h.config().snapshot_interval_s = 1;
  ASSERT_TRUE(h.restart());
  const auto before = h.node().stats().snapshots_written;
  h.step_ms(2'100);
  EXPECT_GE(h.node().stats().snapshots_written, before + 2);
  EXPECT_EQ(h.node().stats().snapshot_failures, 0u);
}

TEST(TradingNode, ACrashBeforeAnyVenueSnapshotNeverReusesTradeIds) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  h.step_ms(20);
  ASSERT_EQ(h.position(0), q("0.1"));
  auto r = h.crash_restart();
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->venue_snapshots_restored, 0u);
  EXPECT_EQ(h.position(0), q("0.1"));
  // The fresh venue continues after the journal's trade ids: the new fill counts.
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  h.step_ms(20);
  EXPECT_EQ(h.position(0), q("0.2"));
  EXPECT_EQ(h.node().tracker().stats().duplicate_fills, 0u);
}

TEST(TradingNode, MarketDataReachesListenersAfterTheNode) {
  struct Listener : MarketDataSink {
    int quotes = 0;
    void on_quote(const QuoteTick&) override { ++quotes; }
  } l;
  NodeHarness h(3);
  h.node().add_market_listener(l);
  h.quotes("50000");
  EXPECT_EQ(l.quotes, 3);
}

}  // namespace
}  // namespace tradingd
