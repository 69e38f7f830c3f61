// ExecutionEngine: signal -> validation -> risk -> order -> venue; native and emulated SL/TP (OCO);
// flatten and cancel-all for the emergency stop; OCO pairs across a restart.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "execution/execution_engine.h"
#include "execution/memory_journal.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::btc;
using test::fill_event;
using test::px;
using test::qty;

struct RecordingRiskGate : RiskGate {
  std::vector<OrderIntentView> checked, sent;
  int rejections = 0;
  std::optional<RiskDenial> deny;
  std::optional<RiskDenial> check_order(const OrderIntentView& v) override {
    checked.push_back(v);
    return deny;
  }
  void on_order_sent(const OrderIntentView& v) override { sent.push_back(v); }
  void on_order_rejected(const InstrumentId&, UnixNanos) override { ++rejections; }
};

struct Positions : OpenPositionSource {
  std::vector<OpenPosition> list;
  std::vector<OpenPosition> open_positions() const override { return list; }
};

class EngineTest : public ::testing::Test {
 protected:
  explicit EngineTest(VenueCapabilities caps = {}) : venue_(Venue::Binance, caps) {
    instruments_.add(test::btc_instrument());
    manager_.add_venue(venue_);
  }

  Signal buy(const char* q = "0.01", const char* p = "50000") {
    Signal s;
    s.instrument = btc();
    s.side = Side::Buy;
    s.type = OrderType::Limit;
    s.quantity = qty(q);
    s.limit_price = px(p);
    s.strategy_id = StrategyId::from("ma");
    return s;
  }
  const Order& order(OrderId id) { return *manager_.find(id); }
  ClientOrderId cid(OrderId id) { return order(id).client_order_id(); }

  SimulatedClock clock_{1'700'000'000 * kNanosPerSecond};
  MemoryJournal journal_;
  test::FakeVenue venue_;
  InstrumentTable instruments_;
  RecordingRiskGate risk_;
  OrderManager manager_{clock_, journal_, *ClientOrderIdCodec::make("td")};
  ExecutionEngine engine_{clock_, manager_, risk_, instruments_};
};

class NativeSlTpTest : public EngineTest {
 protected:
  NativeSlTpTest() : EngineTest(VenueCapabilities{true, true, true, false, false}) {}
};

TEST_F(EngineTest, ASignalBecomesOneOrderAtTheVenue) {
  auto r = engine_.submit_signal(buy());
  ASSERT_TRUE(r) << r.error().detail();
  ASSERT_EQ(venue_.submits.size(), 1u);
  EXPECT_EQ(venue_.submits[0].price, px("50000"));
  EXPECT_EQ(journal_.intent_count(), 1u);
  ASSERT_EQ(risk_.checked.size(), 1u);
  EXPECT_EQ(risk_.checked[0].quantity, qty("0.01"));
  EXPECT_EQ(risk_.checked[0].instrument->id, btc());
  EXPECT_EQ(risk_.sent.size(), 1u);
  EXPECT_EQ(order(*r).spec().strategy_id.view(), "ma");
}

// The engine keeps the last instrument found: switching instruments, an id unknown at first and added
// later, and new rules for a known id are all seen as the source has them.
TEST_F(EngineTest, SignalsSeeTheInstrumentSourceAsItIsNow) {
  const InstrumentId eth{Venue::Binance, MarketKind::Spot, Symbol::from("ETHUSDT")};
  ASSERT_TRUE(engine_.submit_signal(buy()));
  Signal e = buy("0.01", "3000");
  e.instrument = eth;
  auto r = engine_.submit_signal(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason(), "unknown_instrument");
  Instrument ei = test::btc_instrument();
  ei.id = eth;
  instruments_.add(ei);
  ASSERT_TRUE(engine_.submit_signal(e));
  ASSERT_TRUE(engine_.submit_signal(buy()));
  Instrument stricter = test::btc_instrument();
  stricter.min_quantity = qty("1");
  instruments_.add(stricter);
  r = engine_.submit_signal(buy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason(), "quantity_below_minimum");
  EXPECT_EQ(venue_.submits.size(), 3u);
}

TEST_F(EngineTest, AnInvalidSignalIsATypedRejectionAndNoOrder) {
  auto r = engine_.submit_signal(buy("0.01", "50000.001"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SignalErrorKind::Invalid);
  EXPECT_EQ(r.error().reason(), "price_not_on_tick");
  EXPECT_EQ(manager_.order_count(), 0u);
  EXPECT_TRUE(risk_.checked.empty());
  Signal unknown = buy();
  unknown.instrument.symbol = Symbol::from("DOGEUSDT");
  EXPECT_EQ(engine_.submit_signal(unknown).error().reason(), "unknown_instrument");
}

TEST_F(EngineTest, ARiskDenialIsATypedRejectionAndNoOrder) {
  risk_.deny = RiskDenial{RiskDenyReason::MaxOrderNotional, "notional 500 > 100"};
  auto r = engine_.submit_signal(buy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SignalErrorKind::RiskDenied);
  EXPECT_EQ(r.error().reason(), "max_order_notional");
  EXPECT_EQ(r.error().detail(), "notional 500 > 100");
  EXPECT_TRUE(venue_.submits.empty());
  EXPECT_EQ(engine_.stats().risk_denied, 1u);
}

TEST_F(EngineTest, AHaltedManagerRefusesSignals) {
  manager_.report_invariant({InvariantKind::Overfill, 1, "test"});
  auto r = engine_.submit_signal(buy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SignalErrorKind::Halted);
  EXPECT_TRUE(venue_.submits.empty());
}

TEST_F(EngineTest, AVenueRejectIsToldToTheRiskGate) {
  auto id = *engine_.submit_signal(buy());
  venue_.emit(OrderRejected{btc(), cid(id), VenueError{VenueErrorReason::InsufficientBalance, "-2010", ""}, 1});
  EXPECT_EQ(risk_.rejections, 1);
}

TEST_F(NativeSlTpTest, ProtectivePricesGoWithTheOrder) {
  Signal s = buy();
  s.stop_loss = px("49000");
  s.take_profit = px("52000");
  auto id = *engine_.submit_signal(s);
  ASSERT_EQ(venue_.submits.size(), 1u);
  EXPECT_EQ(venue_.submits[0].stop_loss, px("49000"));
  EXPECT_EQ(venue_.submits[0].take_profit, px("52000"));
  venue_.emit(fill_event(cid(id), "t1", Side::Buy, "0.01", "50000"));
  EXPECT_EQ(venue_.submits.size(), 1u);  // the venue handles the pair
}

TEST_F(EngineTest, EmulatedOcoPlacesBothLegsAfterTheEntryAndCancelsTheOther) {
  Signal s = buy();
  s.stop_loss = px("49000");
  s.take_profit = px("52000");
  auto entry = *engine_.submit_signal(s);
  ASSERT_EQ(venue_.submits.size(), 1u);
  EXPECT_FALSE(venue_.submits[0].stop_loss.has_value());  // not native here
  venue_.emit(fill_event(cid(entry), "t1", Side::Buy, "0.004", "50000"));
  EXPECT_EQ(venue_.submits.size(), 1u);  // not done yet
  venue_.emit(fill_event(cid(entry), "t2", Side::Buy, "0.006", "50000"));
  ASSERT_EQ(venue_.submits.size(), 3u);
  const auto& sl = venue_.submits[1];
  const auto& tp = venue_.submits[2];
  EXPECT_EQ(sl.type, OrderType::StopMarket);
  EXPECT_EQ(sl.side, Side::Sell);
  EXPECT_EQ(sl.trigger_price, px("49000"));
  EXPECT_EQ(sl.quantity, qty("0.01"));
  EXPECT_TRUE(sl.reduce_only);
  EXPECT_EQ(tp.type, OrderType::Limit);
  EXPECT_EQ(tp.price, px("52000"));
  EXPECT_TRUE(tp.reduce_only);
  EXPECT_EQ(engine_.stats().brackets_placed, 2u);
  // The take-profit fills: the stop-loss is canceled.
  venue_.emit(fill_event(tp.client_order_id, "t3", Side::Sell, "0.01", "52000"));
  ASSERT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(venue_.cancels[0].client_order_id, sl.client_order_id);
  EXPECT_EQ(engine_.stats().oco_cancels, 1u);
  EXPECT_EQ(manager_.find_by_client_id(sl.client_order_id)->status(), OrderStatus::PendingCancel);
}

TEST_F(EngineTest, APartlyFilledEntryIsProtectedForWhatFilled) {
  Signal s = buy();
  s.stop_loss = px("49000");
  auto entry = *engine_.submit_signal(s);
  venue_.emit(fill_event(cid(entry), "t1", Side::Buy, "0.004", "50000"));
  ASSERT_TRUE(manager_.cancel(entry));
  venue_.emit(OrderCanceled{btc(), cid(entry), VenueOrderId::from("V1"), 1});
  ASSERT_EQ(venue_.submits.size(), 2u);
  EXPECT_EQ(venue_.submits[1].quantity, qty("0.004"));
  EXPECT_EQ(venue_.submits[1].type, OrderType::StopMarket);
}

TEST_F(EngineTest, AnEntryThatNeverFilledGetsNoProtection) {
  Signal s = buy();
  s.stop_loss = px("49000");
  auto entry = *engine_.submit_signal(s);
  venue_.emit(OrderRejected{btc(), cid(entry), VenueError{}, 1});
  EXPECT_EQ(venue_.submits.size(), 1u);
}

TEST_F(EngineTest, OcoPairsSurviveARestart) {
  Signal s = buy();
  s.stop_loss = px("49000");
  s.take_profit = px("52000");
  auto entry = *engine_.submit_signal(s);
  venue_.emit(fill_event(cid(entry), "t1", Side::Buy, "0.01", "50000"));
  ASSERT_EQ(venue_.submits.size(), 3u);
  const auto sl = venue_.submits[1].client_order_id;
  venue_.emit(fill_event(sl, "t2", Side::Sell, "0.01", "49000"));  // the stop fills...
  const auto tp = venue_.submits[2].client_order_id;
  // ...and the daemon dies before the take-profit's cancel is journaled: restart from the journal
  // without that request.
  JournalSnapshot snap = journal_.durable_snapshot();
  std::erase_if(snap.events, [&](const OrderEventRecord& e) {
    return e.order_id == manager_.find_by_client_id(tp)->id() && e.event == OrderEvent::CancelRequest;
  });
  MemoryJournal journal2;
  test::FakeVenue venue2;
  OrderManager manager2(clock_, journal2, *ClientOrderIdCodec::make("td"));
  ASSERT_TRUE(manager2.restore(snap));
  manager2.add_venue(venue2);
  ExecutionEngine engine2(clock_, manager2, risk_, instruments_);
  engine2.on_restored();
  ASSERT_EQ(venue2.cancels.size(), 1u);
  EXPECT_EQ(venue2.cancels[0].client_order_id, tp);
  EXPECT_TRUE(venue2.submits.empty());  // the pair existed: nothing placed twice
}

TEST_F(EngineTest, ProtectionACrashLeftUnplacedIsPlacedAfterRestart) {
  Signal s = buy();
  s.take_profit = px("52000");
  auto entry = *engine_.submit_signal(s);
  OrderEventRecord fill;  // the journal holds the entry's fill but the crash came before the legs
  fill.order_id = entry;
  fill.event = OrderEvent::Fill;
  fill.trade_id = TradeId::from("t1");
  fill.last_quantity = qty("0.01");
  fill.last_price = px("50000");
  fill.fee_asset = Asset::from("USDT");
  JournalSnapshot snap = journal_.durable_snapshot();
  snap.events.push_back(fill);
  MemoryJournal journal2;
  test::FakeVenue venue2;
  OrderManager manager2(clock_, journal2, *ClientOrderIdCodec::make("td"));
  ASSERT_TRUE(manager2.restore(snap));
  manager2.add_venue(venue2);
  ExecutionEngine engine2(clock_, manager2, risk_, instruments_);
  engine2.on_restored();
  ASSERT_EQ(venue2.submits.size(), 1u);
  EXPECT_EQ(venue2.submits[0].price, px("52000"));
  engine2.on_restored();
  EXPECT_EQ(venue2.submits.size(), 1u);
}

TEST_F(EngineTest, FlattenSendsReduceOnlyMarketOrdersOnce) {
  Positions pos;
  pos.list = {{btc(), qty("0.5")},
              {InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("XYZUSDT")}, qty("3")},
              {btc(Venue::Binance), qty("0")}};
  auto report = engine_.flatten(pos);
  ASSERT_EQ(report.items.size(), 2u);
  EXPECT_TRUE(report.items[0].failure.empty());
  EXPECT_EQ(report.items[1].failure, "unknown instrument");
  EXPECT_EQ(report.failures(), 1u);
  ASSERT_EQ(venue_.submits.size(), 1u);
  const auto& req = venue_.submits[0];
  EXPECT_EQ(req.type, OrderType::Market);
  EXPECT_EQ(req.side, Side::Sell);
  EXPECT_EQ(req.quantity, qty("0.5"));
  EXPECT_TRUE(req.reduce_only);
  EXPECT_TRUE(risk_.checked.empty());  // the gate never stands between us and flat
  // A second emergency stop while the first flatten works sends nothing new.
  auto again = engine_.flatten(pos);
  EXPECT_TRUE(again.items[0].already_working);
  EXPECT_EQ(venue_.submits.size(), 1u);
}

TEST_F(EngineTest, FlattenOfAShortBuysAndDustIsReported) {
  Positions pos;
  pos.list = {{btc(), qty("-0.0125")}};
  auto report = engine_.flatten(pos);
  ASSERT_EQ(venue_.submits.size(), 1u);
  EXPECT_EQ(venue_.submits[0].side, Side::Buy);
  EXPECT_EQ(venue_.submits[0].quantity, qty("0.012"));  // down to the step; the rest is dust
  venue_.emit(fill_event(venue_.submits[0].client_order_id, "t1", Side::Buy, "0.012", "50000"));
  pos.list = {{btc(), qty("-0.0005")}};  // what is left: less than one step
  auto r2 = engine_.flatten(pos);
  EXPECT_EQ(r2.items[0].failure, "position below the step size");
  EXPECT_EQ(venue_.submits.size(), 1u);
}

TEST_F(EngineTest, CancelAllCancelsEveryOpenOrder) {
  auto a = *engine_.submit_signal(buy());
  auto b = *engine_.submit_signal(buy("0.02", "49000"));
  EXPECT_EQ(engine_.cancel_all(), 2u);
  EXPECT_EQ(order(a).status(), OrderStatus::PendingCancel);
  EXPECT_EQ(order(b).status(), OrderStatus::PendingCancel);
  ASSERT_EQ(venue_.cancel_alls.size(), 1u);
  EXPECT_FALSE(venue_.cancel_alls[0].has_value());
}

}  // namespace
}  // namespace tradingd
