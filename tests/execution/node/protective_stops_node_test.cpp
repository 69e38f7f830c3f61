// Protective stops through the TradingNode: armed from an entry's fill where the venue has no native
// SL/TP (the simulated venue: paper and backtest), triggered by the node's market data into a journaled
// reduce-only market order, following the position (partial close, close, flip, replacement), rebuilt on
// restart; native venues get the levels attached to the request and nothing is armed locally.
#include <gtest/gtest.h>

#include "tests/execution/fake_venue.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd::test {
namespace {

Price p(const char* s) { return Price::from_string(s); }
Quantity q(const char* s) { return Quantity::from_string(s); }

Signal with_stops(Signal s, const char* sl, const char* tp) {
  if (sl) s.stop_loss = p(sl);
  if (tp) s.take_profit = p(tp);
  return s;
}

struct Armed : NodeHarness {
  Armed() { EXPECT_TRUE(start()); }
  const ProtectiveStop* stops() { return node().protective_stops().find(instruments()[0].id); }
  OrderId fill(const Signal& s) {
    auto r = node().submit_signal(s);
    EXPECT_TRUE(r) << (r ? std::string() : r.error().detail);
    step_ms(20);
    return r ? *r : 0;
  }
  std::vector<const Order*> exits() {
    std::vector<const Order*> out;
    for (const Order* o : node().manager().all_orders())
      if (o->spec().role == OrderRole::StopLoss || o->spec().role == OrderRole::TakeProfit) out.push_back(o);
    return out;
  }
};

TEST(ProtectiveStopsNode, AStopLossTriggersAReduceOnlyMarketExitOnTheSimulatedVenue) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Buy, "0.1"), "49000", "52000"));
  ASSERT_EQ(h.position(0), q("0.1"));
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->quantity, q("0.1"));
  EXPECT_EQ(h.stops()->stop_loss, p("49000"));
  EXPECT_EQ(h.stops()->take_profit, p("52000"));
  EXPECT_TRUE(h.exits().empty());  // no resting venue orders: the node triggers locally
  h.quotes("49500");
  EXPECT_TRUE(h.exits().empty());
  h.quotes("48900");
  ASSERT_EQ(h.exits().size(), 1u);
  const Order* exit = h.exits()[0];
  EXPECT_EQ(exit->spec().role, OrderRole::StopLoss);
  EXPECT_TRUE(exit->spec().reduce_only);
  EXPECT_EQ(exit->spec().type, OrderType::Market);
  EXPECT_EQ(exit->side(), Side::Sell);
  EXPECT_EQ(exit->quantity(), q("0.1"));
  EXPECT_GE(h.journal().intent_count(), 2u);  // journaled like every order
  h.step_ms(20);
  EXPECT_EQ(h.position(0), q("0"));
  EXPECT_EQ(h.stops(), nullptr);
  EXPECT_EQ(h.node().stats().protective_exits, 1u);
  h.quotes("48000");
  EXPECT_EQ(h.exits().size(), 1u);  // fired once
}

TEST(ProtectiveStopsNode, ABarThatTouchesTheStopTriggersItEvenIfItClosesAbove) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Buy, "0.1"), "49000", "52000"));
  Bar b;
  b.instrument = h.instruments()[0].id;
  b.interval_s = 60;
  b.ts_open_ns = h.clock().now_ns();
  b.open = p("50000");
  b.high = p("50100");
  b.low = p("49100");
  b.close = p("50000");
  b.volume = q("10");
  h.node().on_bar(b);
  EXPECT_TRUE(h.exits().empty());  // not touched
  b.low = p("48800");              // touched inside the bar, recovered by the close
  h.node().on_bar(b);
  ASSERT_EQ(h.exits().size(), 1u);
  EXPECT_EQ(h.exits()[0]->spec().role, OrderRole::StopLoss);
}

TEST(ProtectiveStopsNode, ATakeProfitTriggersToo) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Sell, "0.2"), "51000", "48000"));
  ASSERT_EQ(h.position(0), q("-0.2"));
  h.quotes("47900");
  ASSERT_EQ(h.exits().size(), 1u);
  EXPECT_EQ(h.exits()[0]->spec().role, OrderRole::TakeProfit);
  EXPECT_EQ(h.exits()[0]->side(), Side::Buy);
  h.step_ms(20);
  EXPECT_EQ(h.position(0), q("0"));
}

TEST(ProtectiveStopsNode, StopsFollowThePositionThroughPartialCloseAndClose) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Buy, "0.03"), "49000", nullptr));
  h.fill(h.market(0, Side::Sell, "0.01", /*reduce_only=*/true));
  ASSERT_EQ(h.position(0), q("0.02"));
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->quantity, q("0.02"));
  h.fill(h.market(0, Side::Sell, "0.02", /*reduce_only=*/true));
  EXPECT_EQ(h.position(0), q("0"));
  EXPECT_EQ(h.stops(), nullptr);
  h.quotes("48000");
  EXPECT_TRUE(h.exits().empty());  // nothing left to protect
}

TEST(ProtectiveStopsNode, AFlipDropsTheStopsAndANewSignalReplacesThem) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Buy, "0.03"), "49000", "52000"));
  h.fill(with_stops(h.market(0, Side::Buy, "0.01"), "49500", nullptr));
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->quantity, q("0.04"));
  EXPECT_EQ(h.stops()->stop_loss, p("49500"));
  EXPECT_EQ(h.stops()->take_profit, std::nullopt);
  h.fill(h.market(0, Side::Sell, "0.06"));  // long 0.04 -> short 0.02
  ASSERT_EQ(h.position(0), q("-0.02"));
  EXPECT_EQ(h.stops(), nullptr);
}

TEST(ProtectiveStopsNode, StopsAreRebuiltFromTheJournalOnRestart) {
  Armed h;
  h.fill(with_stops(h.market(0, Side::Buy, "0.03"), "49000", "52000"));
  h.fill(h.market(0, Side::Sell, "0.01", /*reduce_only=*/true));
  ASSERT_TRUE(h.restart());
  ASSERT_EQ(h.position(0), q("0.02"));
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->quantity, q("0.02"));
  EXPECT_EQ(h.stops()->stop_loss, p("49000"));
  h.quotes("48900");
  ASSERT_EQ(h.exits().size(), 1u);
  EXPECT_EQ(h.exits()[0]->quantity(), q("0.02"));
}

TEST(ProtectiveStopsNode, AnOperatorMoveIsCheckedAndSurvivesARestart) {
  Armed h;
  const InstrumentId id = h.instruments()[0].id;
  EXPECT_FALSE(h.node().move_protective_stop(id, StopKind::StopLoss, p("49800"), "test"));  // nothing armed
  h.fill(with_stops(h.market(0, Side::Buy, "0.1"), "49000", "52000"));
  auto wrong = h.node().move_protective_stop(id, StopKind::StopLoss, p("50500"), "test");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().find("wrong_side"), std::string::npos);
  ASSERT_TRUE(h.node().move_protective_stop(id, StopKind::StopLoss, p("49800"), "test"));
  EXPECT_TRUE(h.node().cancel_protective_stops(id, StopKind::TakeProfit, "test"));
  ASSERT_TRUE(h.restart());
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->stop_loss, p("49800"));
  EXPECT_EQ(h.stops()->take_profit, std::nullopt);
  h.quotes("49700");
  ASSERT_EQ(h.exits().size(), 1u);
  EXPECT_EQ(h.exits()[0]->spec().role, OrderRole::StopLoss);
}

TEST(ProtectiveStopsNode, ANewEntryAfterAMoveArmsItsOwnLevelsAlsoAfterARestart) {
  Armed h;
  const InstrumentId id = h.instruments()[0].id;
  h.fill(with_stops(h.market(0, Side::Buy, "0.1"), "49000", nullptr));
  ASSERT_TRUE(h.node().move_protective_stop(id, StopKind::StopLoss, p("49800"), "test"));
  h.fill(with_stops(h.market(0, Side::Buy, "0.05"), "49500", nullptr));
  EXPECT_EQ(h.stops()->stop_loss, p("49500"));
  ASSERT_TRUE(h.restart());
  ASSERT_NE(h.stops(), nullptr);
  EXPECT_EQ(h.stops()->stop_loss, p("49500"));
  EXPECT_EQ(h.stops()->quantity, q("0.15"));
}

TEST(ProtectiveStopsNode, CancelingBothLegsSurvivesARestart) {
  Armed h;
  const InstrumentId id = h.instruments()[0].id;
  h.fill(with_stops(h.market(0, Side::Buy, "0.1"), "49000", "52000"));
  EXPECT_TRUE(h.node().cancel_protective_stops(id, std::nullopt, "test"));
  EXPECT_FALSE(h.node().cancel_protective_stops(id, std::nullopt, "test"));
  ASSERT_TRUE(h.restart());
  EXPECT_EQ(h.stops(), nullptr);
  h.quotes("48000");
  EXPECT_TRUE(h.exits().empty());
}

// A live venue without native SL/TP: the same local trigger; the request carries no attached levels.
TEST(ProtectiveStopsNode, ALiveVenueWithoutNativeStopsGetsTheLocalExit) {
  FakeVenue venue(Venue::Binance);
  SimulatedClock clock{1'700'000'000 * kNanosPerSecond};
  ManualScheduler scheduler{clock};
  MemoryJournal journal;
  TradingNodeConfig cfg;
  cfg.risk.max_orders_per_second = 0;
  cfg.risk.max_orders_per_day = 0;
  cfg.risk.max_position_notional = Money::from_units(1'000'000);
  cfg.risk.max_gross_exposure = Money::from_units(10'000'000);
  cfg.risk.max_leverage = Rate::from_units(10);
  cfg.live_venues.push_back(&venue);
  venue.account_report.balances.push_back(Balance{Asset::from("USDT"), Money::from_units(100'000), Money{}});
  const Instrument inst = perp("C0");
  TradingNode node(cfg, clock, scheduler, journal, nullptr, *ClientOrderIdCodec::make("td"), {inst});
  ASSERT_TRUE(node.start(journal.durable_snapshot()));
  auto quote = [&](const char* mid) {
    node.on_quote(QuoteTick{inst.id, p(mid) - p("0.5"), q("100"), p(mid) + p("0.5"), q("100"), clock.now_ns(), clock.now_ns()});
  };
  quote("50000");
  Signal s;
  s.instrument = inst.id;
  s.side = Side::Buy;
  s.quantity = q("0.1");
  s.reference_price = p("50000");
  s.stop_loss = p("49000");
  s.strategy_id = StrategyId::from("t");
  auto id = node.submit_signal(s);
  ASSERT_TRUE(id) << id.error().detail;
  ASSERT_EQ(venue.submits.size(), 1u);
  EXPECT_EQ(venue.submits[0].stop_loss, std::nullopt);
  const ClientOrderId cid = venue.submits[0].client_order_id;
  venue.emit(OrderAccepted{inst.id, cid, VenueOrderId::from("v1"), clock.now_ns()});
  venue.emit(OrderFilled{inst.id, cid, VenueOrderId::from("v1"), TradeId::from("T1"), Side::Buy, q("0.1"), p("50000"),
                         Money{}, Asset::from("USDT"), LiquiditySide::Taker, clock.now_ns()});
  ASSERT_NE(node.protective_stops().find(inst.id), nullptr);
  quote("48900");
  ASSERT_EQ(venue.submits.size(), 2u);
  EXPECT_TRUE(venue.submits[1].reduce_only);
  EXPECT_EQ(venue.submits[1].type, OrderType::Market);
  EXPECT_EQ(venue.submits[1].side, Side::Sell);
  EXPECT_EQ(venue.submits[1].quantity, q("0.1"));
}

TEST(ProtectiveStopsNode, ANativeVenueGetsTheLevelsAttachedAndNothingIsArmedLocally) {
  VenueCapabilities caps;
  caps.native_sl_tp = true;
  FakeVenue venue(Venue::Binance, caps);
  SimulatedClock clock{1'700'000'000 * kNanosPerSecond};
  ManualScheduler scheduler{clock};
  MemoryJournal journal;
  TradingNodeConfig cfg;
  cfg.risk.max_orders_per_second = 0;
  cfg.risk.max_orders_per_day = 0;
  cfg.live_venues.push_back(&venue);
  venue.account_report.balances.push_back(Balance{Asset::from("USDT"), Money::from_units(100'000), Money{}});
  const Instrument inst = perp("C0");
  TradingNode node(cfg, clock, scheduler, journal, nullptr, *ClientOrderIdCodec::make("td"), {inst});
  ASSERT_TRUE(node.start(journal.durable_snapshot()));
  node.on_quote(QuoteTick{inst.id, p("49999.5"), q("100"), p("50000.5"), q("100"), clock.now_ns(), clock.now_ns()});
  Signal s;
  s.instrument = inst.id;
  s.side = Side::Buy;
  s.quantity = q("0.1");
  s.reference_price = p("50000");
  s.stop_loss = p("49000");
  s.take_profit = p("52000");
  s.strategy_id = StrategyId::from("t");
  ASSERT_TRUE(node.submit_signal(s));
  ASSERT_EQ(venue.submits.size(), 1u);
  EXPECT_EQ(venue.submits[0].stop_loss, p("49000"));
  EXPECT_EQ(venue.submits[0].take_profit, p("52000"));
  const ClientOrderId cid = venue.submits[0].client_order_id;
  venue.emit(OrderFilled{inst.id, cid, VenueOrderId::from("v1"), TradeId::from("T1"), Side::Buy, q("0.1"), p("50000"),
                         Money{}, Asset::from("USDT"), LiquiditySide::Taker, clock.now_ns()});
  EXPECT_EQ(node.protective_stops().find(inst.id), nullptr);
  node.on_quote(QuoteTick{inst.id, p("48899.5"), q("100"), p("48900.5"), q("100"), clock.now_ns(), clock.now_ns()});
  EXPECT_EQ(venue.submits.size(), 1u);  // the venue owns the stop
}

}  // namespace
}  // namespace tradingd::test
