// Signal validation: each typed reason, and the explicit rounding policy.
#include <gtest/gtest.h>

#include "execution/signal.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using R = SignalRejectReason;
using test::px;
using test::qty;

Signal limit_buy(const char* q = "0.01", const char* p = "50000") {
  Signal s;
  s.instrument = test::btc();
  s.side = Side::Buy;
  s.type = OrderType::Limit;
  s.quantity = qty(q);
  s.limit_price = px(p);
  s.strategy_id = StrategyId::from("s");
  return s;
}

R reason_of(const Signal& s, const Instrument* inst, RoundingPolicy policy = {}) {
  auto r = validate_signal(s, inst, policy, 0);
  EXPECT_FALSE(r.ok());
  return r.ok() ? R::Overflow : r.error().reason;
}

class SignalTest : public ::testing::Test {
 protected:
  Instrument inst_ = test::btc_instrument();
};

TEST_F(SignalTest, AValidLimitSignalBecomesASpec) {
  Signal s = limit_buy();
  s.ttl_ms = 1500;
  s.tag = OrderTag::from("t");
  auto r = validate_signal(s, &inst_, {}, 1'000);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->quantity, qty("0.01"));
  EXPECT_EQ(r->price, px("50000"));
  EXPECT_EQ(r->expire_at_ns, 1'000 + 1'500 * kNanosPerMilli);
  EXPECT_EQ(r->role, OrderRole::Entry);
  EXPECT_EQ(r->tag.view(), "t");
}

TEST_F(SignalTest, ShapeReasons) {
  EXPECT_EQ(reason_of(limit_buy(), nullptr), R::UnknownInstrument);
  Signal s = limit_buy();
  s.notional = test::money("100");
  EXPECT_EQ(reason_of(s, &inst_), R::AmbiguousSize);
  s = limit_buy();
  s.quantity.reset();
  EXPECT_EQ(reason_of(s, &inst_), R::MissingSize);
  EXPECT_EQ(reason_of(limit_buy("0"), &inst_), R::QuantityNotPositive);
  EXPECT_EQ(reason_of(limit_buy("-1"), &inst_), R::QuantityNotPositive);
  s = limit_buy();
  s.quantity.reset();
  s.notional = test::money("-5");
  EXPECT_EQ(reason_of(s, &inst_), R::NotionalNotPositive);
  s = limit_buy();
  s.limit_price.reset();
  EXPECT_EQ(reason_of(s, &inst_), R::MissingLimitPrice);
  s = limit_buy();
  s.type = OrderType::Market;
  EXPECT_EQ(reason_of(s, &inst_), R::UnexpectedLimitPrice);
  s = limit_buy();
  s.type = OrderType::StopLimit;
  EXPECT_EQ(reason_of(s, &inst_), R::MissingStopPrice);
  s = limit_buy();
  s.stop_price = px("1");
  EXPECT_EQ(reason_of(s, &inst_), R::UnexpectedStopPrice);
  EXPECT_EQ(reason_of(limit_buy("0.01", "0"), &inst_), R::PriceNotPositive);
  s = limit_buy();
  s.type = OrderType::Market;
  s.limit_price.reset();
  s.time_in_force = TimeInForce::PostOnly;
  EXPECT_EQ(reason_of(s, &inst_), R::InvalidTimeInForce);
  s = limit_buy();
  s.ttl_ms = -1;
  EXPECT_EQ(reason_of(s, &inst_), R::InvalidTtl);
  s = limit_buy();
  s.reduce_only = true;
  s.stop_loss = px("49000");
  EXPECT_EQ(reason_of(s, &inst_), R::BracketOnReduceOnly);
}

TEST_F(SignalTest, InstrumentRuleReasons) {
  EXPECT_EQ(reason_of(limit_buy("0.01", "50000.005"), &inst_), R::PriceNotOnTick);
  EXPECT_EQ(reason_of(limit_buy("0.0105"), &inst_), R::QuantityNotOnStep);
  EXPECT_EQ(reason_of(limit_buy("0.001", "100"), &inst_), R::NotionalBelowMinimum);
  inst_.min_quantity = qty("0.01");
  EXPECT_EQ(reason_of(limit_buy("0.005"), &inst_), R::QuantityBelowMinimum);
  inst_.max_quantity = qty("1");
  EXPECT_EQ(reason_of(limit_buy("2"), &inst_), R::QuantityAboveMaximum);
}

TEST_F(SignalTest, RoundingIsExplicitAndPassive) {
  RoundingPolicy round{true, true};
  auto buy = validate_signal(limit_buy("0.0109", "50000.019"), &inst_, round, 0);
  ASSERT_TRUE(buy.ok());
  EXPECT_EQ(buy->price, px("50000.01"));  // buy: down
  EXPECT_EQ(buy->quantity, qty("0.01"));   // always down
  Signal sell = limit_buy("0.01", "50000.011");
  sell.side = Side::Sell;
  auto r = validate_signal(sell, &inst_, round, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->price, px("50000.02"));  // sell: up
  Signal stop = limit_buy();
  stop.type = OrderType::StopMarket;
  stop.limit_price.reset();
  stop.stop_price = px("51000.001");
  r = validate_signal(stop, &inst_, round, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->trigger_price, px("51000.01"));  // buy stop: up, never earlier than asked
  EXPECT_EQ(reason_of(limit_buy("0.0001"), &inst_, round), R::SizeRoundsToZero);
}

TEST_F(SignalTest, NotionalIsSizedDownToTheStep) {
  Signal s = limit_buy();
  s.quantity.reset();
  s.notional = test::money("1000");
  auto r = validate_signal(s, &inst_, {}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantity, qty("0.02"));  // 1000 / 50000
  s.notional = test::money("999");
  r = validate_signal(s, &inst_, {}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantity, qty("0.019"));  // 0.01998 down to the step
  Signal m = s;
  m.type = OrderType::Market;
  m.limit_price.reset();
  EXPECT_EQ(reason_of(m, &inst_), R::NoReferencePrice);
  m.reference_price = px("40000");
  r = validate_signal(m, &inst_, {}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantity, qty("0.024"));
  EXPECT_FALSE(r->price.has_value());
}

TEST_F(SignalTest, ContractMultiplierSizesInContracts) {
  inst_.contract_multiplier = qty("0.01");  // OKX BTC-USDT-SWAP
  inst_.step_size = qty("1");
  inst_.min_quantity = qty("1");
  Signal s = limit_buy();
  s.quantity.reset();
  s.notional = test::money("1000");
  auto r = validate_signal(s, &inst_, {}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantity, qty("2"));  // 1000 / (50000 * 0.01)
}

TEST_F(SignalTest, StopLossAndTakeProfitSides) {
  Signal s = limit_buy();
  s.stop_loss = px("49000");
  s.take_profit = px("52000");
  EXPECT_TRUE(validate_signal(s, &inst_, {}, 0).ok());
  s.stop_loss = px("50500");
  EXPECT_EQ(reason_of(s, &inst_), R::StopLossWrongSide);
  s.stop_loss = px("49000");
  s.take_profit = px("49500");
  EXPECT_EQ(reason_of(s, &inst_), R::TakeProfitWrongSide);
  Signal sell = limit_buy();
  sell.side = Side::Sell;
  sell.stop_loss = px("51000");
  sell.take_profit = px("48000");
  EXPECT_TRUE(validate_signal(sell, &inst_, {}, 0).ok());
  sell.take_profit = px("50001");
  EXPECT_EQ(reason_of(sell, &inst_), R::TakeProfitWrongSide);
}

Signal market_buy(const char* q, const char* ref) {
  Signal s;
  s.instrument = test::btc();
  s.side = Side::Buy;
  s.type = OrderType::Market;
  s.quantity = qty(q);
  s.reference_price = px(ref);
  s.strategy_id = StrategyId::from("s");
  s.tag = OrderTag::from("t");
  return s;
}

// A plain market signal (a quantity, at most a reference price) has a shortcut: the same spec as the
// general path, here reached by the same order given as a notional (which the shortcut does not take).
TEST_F(SignalTest, APlainMarketSignalGivesTheSpecOfTheGeneralPath) {
  for (const bool reduce_only : {false, true}) {
    Signal plain = market_buy("0.02", "50000");
    plain.reduce_only = reduce_only;
    plain.time_in_force = TimeInForce::Ioc;
    Signal general = plain;
    general.quantity.reset();
    general.notional = test::money("1000");  // 0.02 at 50000
    auto a = validate_signal(plain, &inst_, {}, 7);
    auto b = validate_signal(general, &inst_, {}, 7);
    ASSERT_TRUE(a.ok()) << a.error().detail;
    ASSERT_TRUE(b.ok()) << b.error().detail;
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(a->quantity, qty("0.02"));
    EXPECT_EQ(a->reference_price, px("50000"));
    EXPECT_EQ(a->reduce_only, reduce_only);
    EXPECT_EQ(a->time_in_force, TimeInForce::Ioc);
    EXPECT_EQ(a->tag.view(), "t");
    EXPECT_EQ(a->expire_at_ns, 0);
  }
  Signal no_ref = market_buy("0.02", "50000");
  no_ref.reference_price.reset();
  auto r = validate_signal(no_ref, &inst_, {}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->reference_price);
}

// Where the shortcut must not decide, the general path gives its verdict: rounding, rejections, a TTL.
TEST_F(SignalTest, APlainMarketSignalThatFailsAShortcutCheckGetsTheGeneralVerdict) {
  EXPECT_EQ(reason_of(market_buy("0.0105", "50000"), &inst_), R::QuantityNotOnStep);
  auto r = validate_signal(market_buy("0.0105", "50000"), &inst_, RoundingPolicy{false, true}, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantity, qty("0.01"));  // rounded down by the policy
  EXPECT_EQ(reason_of(market_buy("0", "50000"), &inst_), R::QuantityNotPositive);
  EXPECT_EQ(reason_of(market_buy("0.01", "0"), &inst_), R::PriceNotPositive);
  EXPECT_EQ(reason_of(market_buy("0.001", "1000"), &inst_), R::NotionalBelowMinimum);  // 1 < 5
  inst_.min_quantity = qty("0.1");
  EXPECT_EQ(reason_of(market_buy("0.01", "50000"), &inst_), R::QuantityBelowMinimum);
  inst_.min_quantity = qty("0.001");
  Signal ttl = market_buy("0.01", "50000");
  ttl.ttl_ms = 5;
  r = validate_signal(ttl, &inst_, {}, 1'000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->expire_at_ns, 1'000 + 5 * kNanosPerMilli);
  inst_.market_step_size = qty("0.01");  // market orders use the market step
  EXPECT_EQ(reason_of(market_buy("0.015", "50000"), &inst_), R::QuantityNotOnStep);
}

TEST_F(SignalTest, OverflowIsAReasonNotAnException) {
  Signal s = limit_buy();
  s.quantity.reset();
  s.notional = Money::from_string("9000000000");
  s.limit_price = px("0.01");
  EXPECT_EQ(reason_of(s, &inst_), R::Overflow);
}

}  // namespace
}  // namespace tradingd
