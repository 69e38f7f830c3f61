// RiskGuard: every pre-trade check denies with its typed reason and a detail, is disabled by 0, and is
// counted per reason; reduce-only orders that reduce always pass the limits and the breaker.
#include "risk/risk_guard.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::fill;
using test::M;
using test::P;
using test::Q;
using test::R;

constexpr UnixNanos kMidnight = 19792 * kNanosPerDay;  // 2024-03-10T00:00:00Z

config::RiskConfig permissive() {
  config::RiskConfig c;
  c.max_open_positions = 0;
  c.max_order_notional = Money::zero();
  c.max_position_notional = Money::zero();
  c.max_position_pct_equity = Rate::zero();
  c.max_gross_exposure = Money::zero();
  c.max_leverage = Rate::zero();
  c.max_orders_per_second = 0;
  c.max_orders_per_day = 0;
  c.price_band_pct = Rate::zero();
  return c;
}

struct OpenOrders final : OpenOrderExposure {
  Quantity buy, sell;
  Quantity open_quantity(const InstrumentId&, Side s) const override { return s == Side::Buy ? buy : sell; }
};

struct Fixture {
  SimulatedClock clock{kMidnight + 12 * 3600 * kNanosPerSecond};
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  Instrument btc = test::perp_btcusdt();
  Instrument eth = test::perp_named("ETHUSDT");
  Instrument sol = test::perp_named("SOLUSDT");
  std::unique_ptr<RiskGuard> guard;

  explicit Fixture(config::RiskConfig cfg = permissive()) {
    for (auto* i : {&btc, &eth, &sol}) tracker.add_instrument(*i);
    tracker.set_balance(Venue::Bybit, Asset::from("USDT"), M("100000"));
    mark(btc, "50000");
    mark(eth, "2500");
    mark(sol, "100");
    portfolio.update(clock.now_ns());
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
  }
  void mark(const Instrument& i, const char* px) { tracker.on_mark_price({i.id, P(px), P(px), clock.now_ns(), clock.now_ns()}); }
  void hold(const Instrument& i, Side side, const char* qty, const char* px) {
    static int n = 0;
    tracker.apply_fill(fill(i, "f" + std::to_string(++n), side, qty, px));
    portfolio.update(clock.now_ns());
  }
  OrderIntentView order(const Instrument& i, Side side, const char* qty, std::optional<Price> limit = std::nullopt) const {
    OrderIntentView o;
    o.instrument = &i;
    o.side = side;
    o.type = limit ? OrderType::Limit : OrderType::Market;
    o.quantity = Q(qty);
    o.price = limit;
    o.ts_ns = clock.now_ns();
    return o;
  }
  std::optional<RiskDenyReason> reason(const OrderIntentView& o) {
    auto d = guard->check_order(o);
    if (d) {
      EXPECT_FALSE(d->detail.empty());
    }
    return d ? std::optional(d->reason) : std::nullopt;
  }
};

TEST(RiskGuard, AllowsAnOrdinaryOrderAndCountsIt) {
  Fixture fx;
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
  EXPECT_EQ(fx.guard->counters().checks, 1u);
  EXPECT_EQ(fx.guard->counters().allowed, 1u);
  EXPECT_EQ(fx.guard->trading_state(), TradingState::Active);
}

TEST(RiskGuard, UnknownInstrument) {
  Fixture fx;
  OrderIntentView none = fx.order(fx.btc, Side::Buy, "1");
  none.instrument = nullptr;
  EXPECT_EQ(fx.reason(none), RiskDenyReason::UnknownInstrument);
  const Instrument untracked = test::perp_named("XRPUSDT");
  EXPECT_EQ(fx.reason(fx.order(untracked, Side::Buy, "1")), RiskDenyReason::UnknownInstrument);
}

TEST(RiskGuard, HaltedDeniesEverythingEvenReduceOnly) {
  Fixture fx;
  fx.hold(fx.btc, Side::Buy, "1", "50000");
  fx.guard->halt("journal unreadable");
  EXPECT_EQ(fx.guard->trading_state(), TradingState::Halted);
  auto ro = fx.order(fx.btc, Side::Sell, "1");
  ro.reduce_only = true;
  EXPECT_EQ(fx.reason(ro), RiskDenyReason::TradingHalted);
  fx.guard->resume();
  EXPECT_EQ(fx.reason(ro), std::nullopt);
}

TEST(RiskGuard, BrokenInvariantHalts) {
  Fixture fx;
  const Instrument big = [&] {
    Instrument i = test::perp_named("BIGUSDT");
    i.max_quantity = Quantity::zero();
    return i;
  }();
  fx.tracker.add_instrument(big);
  fx.tracker.apply_fill(fill(big, "x", Side::Buy, "9000000000", "9000000000"));  // overflow
  EXPECT_EQ(fx.guard->trading_state(), TradingState::Halted);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), RiskDenyReason::TradingHalted);
  fx.guard->evaluate(fx.clock.now_ns());
  ASSERT_EQ(fx.guard->take_trip_events().size(), 1u);
  EXPECT_EQ(fx.guard->breaker().state().reason, TripReason::InvariantBroken);
}

TEST(RiskGuard, BlockedInstrument) {
  Fixture fx;
  fx.guard->blocks().block(fx.btc.id, "reconciliation mismatch", 1);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), RiskDenyReason::InstrumentBlocked);
  EXPECT_EQ(fx.reason(fx.order(fx.eth, Side::Buy, "0.1")), std::nullopt);
  fx.guard->blocks().acknowledge(fx.btc.id, 2);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
}

TEST(RiskGuard, ABlockedInstrumentStillAcceptsReduceOnlyOrdersThatReduce) {
  Fixture fx;
  fx.hold(fx.btc, Side::Buy, "0.2", "50000");
  fx.guard->blocks().block(fx.btc.id, "reconciliation mismatch", 1);
  auto close = fx.order(fx.btc, Side::Sell, "0.1");
  close.reduce_only = true;
  EXPECT_EQ(fx.reason(close), std::nullopt);
  auto grow = fx.order(fx.btc, Side::Buy, "0.1");
  grow.reduce_only = true;  // reduce-only that would increase: still refused
  EXPECT_EQ(fx.reason(grow), RiskDenyReason::ReduceOnlyWouldIncrease);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Sell, "0.1")), RiskDenyReason::InstrumentBlocked);
}

TEST(RiskGuard, ReduceOnlyThatReducesAlwaysPasses) {
  config::RiskConfig cfg;  // the defaults: every limit on
  cfg.max_order_notional = M("1000");
  cfg.max_orders_per_second = 1;
  Fixture fx(cfg);
  fx.hold(fx.btc, Side::Buy, "0.5", "50000");
  fx.guard->trip_breaker(TripReason::Manual, "operator", fx.clock.now_ns());
  EXPECT_EQ(fx.guard->trading_state(), TradingState::Reducing);
  // Increasing: refused by the breaker.
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.001")), RiskDenyReason::CircuitBreakerTripped);
  // A reduce-only sell of the whole 25000 notional passes the 1000 max order notional, the breaker and
  // the rate limit (sent twice within a second).
  auto ro = fx.order(fx.btc, Side::Sell, "0.5");
  ro.reduce_only = true;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(fx.reason(ro), std::nullopt);
    fx.guard->on_order_sent(ro);
  }
  // Larger than the position: the venue trims a reduce-only order, it can never flip.
  ro.quantity = Q("1");
  EXPECT_EQ(fx.reason(ro), std::nullopt);
  // Dust below the minimum notional can still be closed: a limit 0.001 @ 1000 is worth 1 < min notional 5.
  fx.mark(fx.btc, "1000");
  ro = fx.order(fx.btc, Side::Sell, "0.001", P("1000"));
  ro.reduce_only = true;
  EXPECT_EQ(fx.reason(ro), std::nullopt);
  // The fat-finger band still applies to a reduce-only limit price (default 5% around the mark 1000).
  ro.price = P("800");
  EXPECT_EQ(fx.reason(ro), RiskDenyReason::PriceBand);
  ro.price = P("1000");
  // Reduce-only on the position's own side, or with no position, would increase risk.
  ro.side = Side::Buy;
  EXPECT_EQ(fx.reason(ro), RiskDenyReason::ReduceOnlyWouldIncrease);
  auto flat = fx.order(fx.eth, Side::Sell, "1");
  flat.reduce_only = true;
  EXPECT_EQ(fx.reason(flat), RiskDenyReason::ReduceOnlyWouldIncrease);
  // Malformed (off step) is still refused.
  ro.side = Side::Sell;
  ro.quantity = Q("0.0005");
  EXPECT_EQ(fx.reason(ro), RiskDenyReason::InstrumentRules);
}

TEST(RiskGuard, NoReferencePrice) {
  Fixture fx;
  const Instrument fresh = test::perp_named("ADAUSDT");
  fx.tracker.add_instrument(fresh);
  EXPECT_EQ(fx.reason(fx.order(fresh, Side::Buy, "1")), RiskDenyReason::NoReferencePrice);
}

TEST(RiskGuard, InstrumentRulesAfterRounding) {
  Fixture fx;
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.0015")), RiskDenyReason::InstrumentRules);         // step 0.001
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1", P("50000.05"))), RiskDenyReason::InstrumentRules);  // tick 0.1
  EXPECT_EQ(fx.reason(fx.order(fx.sol, Side::Buy, "0.001")), RiskDenyReason::InstrumentRules);          // 0.1 < min notional 5
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "101")), RiskDenyReason::InstrumentRules);            // > max 100
  auto limit_without_price = fx.order(fx.btc, Side::Buy, "0.1");
  limit_without_price.type = OrderType::Limit;
  EXPECT_EQ(fx.reason(limit_without_price), RiskDenyReason::InstrumentRules);
}

TEST(RiskGuard, PriceBandAgainstTheMark) {
  config::RiskConfig cfg = permissive();
  cfg.price_band_pct = R("5");
  Fixture fx(cfg);
  // Mark 50000: ±5% is [47500, 52500].
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1", P("52500"))), std::nullopt);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1", P("52500.1"))), RiskDenyReason::PriceBand);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Sell, "0.1", P("47499.9"))), RiskDenyReason::PriceBand);
  auto stop = fx.order(fx.btc, Side::Sell, "0.1");
  stop.type = OrderType::StopMarket;
  stop.trigger_price = P("40000");
  EXPECT_EQ(fx.reason(stop), RiskDenyReason::PriceBand);
  // Market orders carry no price of their own.
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
}

TEST(RiskGuard, MaxOrderNotional) {
  config::RiskConfig cfg = permissive();
  cfg.max_order_notional = M("10000");
  Fixture fx(cfg);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.2")), std::nullopt);  // exactly 10000
  auto d = fx.guard->check_order(fx.order(fx.btc, Side::Buy, "0.201"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, RiskDenyReason::MaxOrderNotional);
  EXPECT_EQ(d->detail, "notional 10050 > max_order_notional 10000");
  // A limit order is valued at its limit price.
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.25", P("40000"))), std::nullopt);
}

TEST(RiskGuard, MaxPositionNotionalCountsRestingOrders) {
  config::RiskConfig cfg = permissive();
  cfg.max_position_notional = M("50000");
  Fixture fx(cfg);
  fx.hold(fx.btc, Side::Buy, "0.8", "50000");
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.2")), std::nullopt);  // 1 BTC = 50000
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.201")), RiskDenyReason::MaxPositionNotional);
  // Reducing or flipping within the limit is fine: sell 1.8 → short 1.
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Sell, "1.8")), std::nullopt);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Sell, "1.801")), RiskDenyReason::MaxPositionNotional);
  // With 0.1 resting on the buy side, only 0.1 more fits.
  OpenOrders open;
  open.buy = Q("0.1");
  fx.guard->set_open_order_exposure(&open);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.101")), RiskDenyReason::MaxPositionNotional);
}

TEST(RiskGuard, MaxPositionPercentOfEquity) {
  config::RiskConfig cfg = permissive();
  cfg.max_position_pct_equity = R("50");
  Fixture fx(cfg);  // equity 100000: 50000 per instrument
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "1")), std::nullopt);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "1.001")), RiskDenyReason::MaxPositionPctEquity);
}

TEST(RiskGuard, MaxOpenPositions) {
  config::RiskConfig cfg = permissive();
  cfg.max_open_positions = 2;
  Fixture fx(cfg);
  fx.hold(fx.btc, Side::Buy, "0.1", "50000");
  fx.hold(fx.eth, Side::Sell, "1", "2500");
  EXPECT_EQ(fx.reason(fx.order(fx.sol, Side::Buy, "1")), RiskDenyReason::MaxOpenPositions);
  // Adding to an open position is not a new one.
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
}

TEST(RiskGuard, MaxGrossExposure) {
  config::RiskConfig cfg = permissive();
  cfg.max_gross_exposure = M("60000");
  Fixture fx(cfg);
  fx.hold(fx.btc, Side::Buy, "1", "50000");   // 50000
  fx.hold(fx.eth, Side::Sell, "2", "2500");   // 5000 short: gross 55000
  EXPECT_EQ(fx.reason(fx.order(fx.sol, Side::Buy, "50")), std::nullopt);     // +5000 = 60000
  EXPECT_EQ(fx.reason(fx.order(fx.sol, Side::Buy, "50.001")), RiskDenyReason::MaxGrossExposure);
  // Reducing the short lowers gross exposure: allowed.
  EXPECT_EQ(fx.reason(fx.order(fx.eth, Side::Buy, "2")), std::nullopt);
}

TEST(RiskGuard, MaxLeverage) {
  config::RiskConfig cfg = permissive();
  cfg.max_leverage = R("3");
  Fixture fx(cfg);  // equity 100000: gross up to 300000
  fx.hold(fx.btc, Side::Buy, "5", "50000");  // 250000
  EXPECT_EQ(fx.reason(fx.order(fx.eth, Side::Buy, "20")), std::nullopt);    // +50000
  EXPECT_EQ(fx.reason(fx.order(fx.eth, Side::Buy, "20.001")), RiskDenyReason::MaxLeverage);
}

TEST(RiskGuard, OrderRatePerSecondAndPerDay) {
  config::RiskConfig cfg = permissive();
  cfg.max_orders_per_second = 2;
  cfg.max_orders_per_day = 3;
  Fixture fx(cfg);
  auto o = fx.order(fx.btc, Side::Buy, "0.01");
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(fx.reason(o), std::nullopt);
    fx.guard->on_order_sent(o);
  }
  EXPECT_EQ(fx.reason(o), RiskDenyReason::OrderRatePerSecond);
  fx.clock.advance_ns(kNanosPerSecond);
  EXPECT_EQ(fx.reason(o), std::nullopt);
  fx.guard->on_order_sent(o);
  fx.clock.advance_ns(kNanosPerSecond);
  EXPECT_EQ(fx.reason(o), RiskDenyReason::OrderRatePerDay);
  EXPECT_EQ(fx.guard->snapshot().orders_today_total, 3);
  // The next UTC day starts a new count.
  fx.clock.set_ns(kMidnight + kNanosPerDay);
  EXPECT_EQ(fx.reason(o), std::nullopt);
}

TEST(RiskGuard, OverflowDeniesWithInternalError) {
  Fixture fx;
  Instrument huge = test::perp_named("HUGEUSDT");
  huge.max_quantity = Quantity::zero();
  fx.tracker.add_instrument(huge);
  fx.mark(huge, "9000000000");
  EXPECT_EQ(fx.reason(fx.order(huge, Side::Buy, "9000000000")), RiskDenyReason::InternalError);
}

TEST(RiskGuard, CountsEachReasonForTheMetrics) {
  config::RiskConfig cfg = permissive();
  cfg.max_order_notional = M("1000");
  Fixture fx(cfg);
  fx.guard->check_order(fx.order(fx.btc, Side::Buy, "1"));
  fx.guard->check_order(fx.order(fx.btc, Side::Buy, "1"));
  fx.guard->check_order(fx.order(fx.btc, Side::Buy, "0.0015"));
  fx.guard->check_order(fx.order(fx.btc, Side::Buy, "0.01"));
  const auto& c = fx.guard->counters();
  EXPECT_EQ(c.checks, 4u);
  EXPECT_EQ(c.allowed, 1u);
  EXPECT_EQ(c.denied_for(RiskDenyReason::MaxOrderNotional), 2u);
  EXPECT_EQ(c.denied_for(RiskDenyReason::InstrumentRules), 1u);
  // Every reason has a distinct label.
  std::set<std::string_view> labels;
  for (std::size_t i = 0; i < kRiskDenyReasonCount; ++i) labels.insert(to_string(static_cast<RiskDenyReason>(i)));
  EXPECT_EQ(labels.size(), kRiskDenyReasonCount);
  EXPECT_FALSE(labels.contains("unknown"));
}

TEST(RiskGuard, ConsecutiveRejectsTripAndResetRebases) {
  config::RiskConfig cfg = permissive();
  cfg.max_consecutive_rejects = 3;
  cfg.breaker_cooldown_s = 60;
  Fixture fx(cfg);
  for (int i = 0; i < 3; ++i) fx.guard->on_order_rejected(fx.btc.id, fx.clock.now_ns());
  auto trips = fx.guard->take_trip_events();
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].reason, TripReason::ConsecutiveRejects);
  EXPECT_TRUE(trips[0].cancel_orders);  // cancel_orders_on_trip defaults on
  EXPECT_FALSE(trips[0].flatten);
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), RiskDenyReason::CircuitBreakerTripped);
  EXPECT_EQ(fx.guard->reset_breaker(fx.clock.now_ns()).error(), ResetError::CoolingDown);
  fx.clock.advance_ns(60 * kNanosPerSecond);
  EXPECT_TRUE(fx.guard->reset_breaker(fx.clock.now_ns()));
  EXPECT_EQ(fx.reason(fx.order(fx.btc, Side::Buy, "0.1")), std::nullopt);
}

TEST(RiskGuard, RestartRestoresATrippedBreaker) {
  config::RiskConfig cfg = permissive();
  Fixture before(cfg);
  before.guard->trip_breaker(TripReason::Drawdown, "drawdown 12%", before.clock.now_ns());
  const std::string journaled_breaker = before.guard->breaker().state().encode();
  const EquityMarks journaled_marks = before.portfolio.marks();

  Fixture after(cfg);  // a new process: fresh tracker, portfolio and guard
  auto restored = BreakerState::decode(journaled_breaker);
  ASSERT_TRUE(restored);
  after.guard->restore(*restored, journaled_marks);
  EXPECT_EQ(after.guard->trading_state(), TradingState::Reducing);
  EXPECT_EQ(after.reason(after.order(after.btc, Side::Buy, "0.1")), RiskDenyReason::CircuitBreakerTripped);
  EXPECT_EQ(after.guard->breaker().cooldown_ends_ns(), before.guard->breaker().cooldown_ends_ns());
  EXPECT_EQ(after.guard->snapshot().breaker.detail, "drawdown 12%");
}

}  // namespace
}  // namespace tradingd
