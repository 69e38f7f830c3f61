// Position sizers: each method by hand, the limits that clamp them, rounding to the step, and the typed
// rejections (rounds to zero, below the venue minimum, missing inputs).
#include "risk/position_sizer.h"

#include <gtest/gtest.h>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::M;
using test::P;
using test::Q;
using test::R;

struct Sizing {
  Instrument inst = test::perp_btcusdt();  // step 0.001, min 0.001, min notional 5, max 100
  config::SizingConfig cfg;
  SizingLimits limits;  // none unless a test sets them
  SizingInput in;
  Sizing() {
    in.instrument = &inst;
    in.side = Side::Buy;
    in.entry_price = P("50000");
    in.equity = M("10000");
  }
  Result<SizingResult, RiskDenial> run(SizeRequest req = {}) { return size_order(cfg, limits, req, in); }
};

TEST(PositionSizer, FixedQuantityRoundsDownToTheStep) {
  Sizing s;
  s.cfg.method = config::SizingMethod::FixedQuantity;
  s.cfg.quantity = Q("0.0129");
  EXPECT_EQ(s.run()->quantity, Q("0.012"));
  s.cfg.quantity = Quantity::zero();
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
}

TEST(PositionSizer, FixedNotionalAndPercentOfEquity) {
  Sizing s;
  s.cfg.method = config::SizingMethod::FixedNotional;
  s.cfg.notional = M("100");
  EXPECT_EQ(s.run()->quantity, Q("0.002"));  // 100 / 50000
  s.cfg.method = config::SizingMethod::PercentEquity;
  s.cfg.equity_pct = R("25");
  EXPECT_EQ(s.run()->quantity, Q("0.05"));  // 25% of 10000 = 2500 / 50000
  s.in.equity = M("-1");
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
}

TEST(PositionSizer, RiskPerTradeFromTheStopDistance) {
  Sizing s;
  s.cfg.method = config::SizingMethod::RiskPerTrade;
  s.cfg.risk_pct = R("0.5");
  // Risk 0.5% of 10000 = 50; a long at 50000 stopped at 49000 loses 1000 per BTC → 0.05 BTC.
  s.in.stop_loss = P("49000");
  EXPECT_EQ(s.run()->quantity, Q("0.05"));
  // A short at 50000 stopped at 50400 loses 400 per BTC → 50/400 = 0.125.
  s.in.side = Side::Sell;
  s.in.stop_loss = P("50400");
  EXPECT_EQ(s.run()->quantity, Q("0.125"));
  // A stop on the winning side, or none, cannot size a trade.
  s.in.stop_loss = P("49000");
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
  s.in.stop_loss.reset();
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
}

TEST(PositionSizer, VolatilityScaled) {
  Sizing s;
  s.cfg.method = config::SizingMethod::VolatilityScaled;
  s.cfg.volatility_target_pct = R("1");
  // target 1% / volatility 2% = 0.5 of equity = 5000 notional → 0.1 BTC at 50000.
  s.in.volatility = 0.02;
  EXPECT_EQ(s.run()->quantity, Q("0.1"));
  // Double volatility halves the size.
  s.in.volatility = 0.04;
  EXPECT_EQ(s.run()->quantity, Q("0.05"));
  s.in.volatility = 0.0;
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
  s.in.volatility.reset();
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizingUnavailable);
}

TEST(PositionSizer, LimitsClampComputedSizes) {
  Sizing s;
  s.cfg.method = config::SizingMethod::FixedNotional;
  s.cfg.notional = M("100000");
  s.limits.max_order_notional = M("10000");
  auto r = s.run();
  EXPECT_EQ(r->quantity, Q("0.2"));
  EXPECT_EQ(r->clamped_by, "max_order_notional");
  // Long 0.9 with max position notional 50000 (1 BTC at 50000): room for 0.1 more.
  s.limits = {};
  s.limits.max_position_notional = M("50000");
  s.in.position = Q("0.9");
  r = s.run();
  EXPECT_EQ(r->quantity, Q("0.1"));
  EXPECT_EQ(r->clamped_by, "max_position_notional");
  // Selling may close the 0.9 and open up to 1 short: 1.9.
  s.in.side = Side::Sell;
  EXPECT_EQ(s.run()->quantity, Q("1.9"));
  // At the limit already: no room, the size rounds to zero.
  s.in.side = Side::Buy;
  s.in.position = Q("1");
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::SizeRoundsToZero);
  // Percent of equity: 50% of 10000 = 5000 → 0.1 BTC.
  s.limits = {};
  s.limits.max_position_pct_equity = R("50");
  s.in.position = Quantity::zero();
  r = s.run();
  EXPECT_EQ(r->quantity, Q("0.1"));
  EXPECT_EQ(r->clamped_by, "max_position_pct_equity");
  // The instrument's maximum order size.
  s.limits = {};
  s.in.entry_price = P("100");
  EXPECT_EQ(s.run()->quantity, Q("100"));
  EXPECT_EQ(s.run()->clamped_by, "instrument_max_quantity");
}

TEST(PositionSizer, TypedRejectionsForTinySizes) {
  Sizing s;
  s.cfg.method = config::SizingMethod::FixedNotional;
  s.cfg.notional = M("1");  // 1 / 50000 = 0.00002 → step 0.001 → 0
  auto r = s.run();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, RiskDenyReason::SizeRoundsToZero);
  EXPECT_NE(r.error().detail.find("0.00002"), std::string::npos);
  // Spot: 4.9 USDT buys 0.00009 BTC on a 0.00001 step, worth 4.5 < the 5 USDT minimum notional.
  Instrument spot = test::spot_btcusdt();
  s.in.instrument = &spot;
  s.cfg.notional = M("4.9");
  r = s.run();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, RiskDenyReason::InstrumentRules);
  // No price at all.
  s.in.entry_price = Price::zero();
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::NoReferencePrice);
  s.in.instrument = nullptr;
  EXPECT_EQ(s.run().error().reason, RiskDenyReason::UnknownInstrument);
}

TEST(PositionSizer, SignalQuantityOrNotional) {
  Sizing s;
  s.limits.max_order_notional = M("1000");
  // An explicit quantity is rounded but not clamped: the risk gate decides whether it may go.
  auto r = s.run({Q("0.12345"), std::nullopt});
  EXPECT_EQ(r->quantity, Q("0.123"));
  EXPECT_TRUE(r->clamped_by.empty());
  // An explicit notional is converted and clamped.
  r = s.run({std::nullopt, M("5000")});
  EXPECT_EQ(r->quantity, Q("0.02"));
  EXPECT_EQ(r->clamped_by, "max_order_notional");
}

TEST(PositionSizer, ContractsAndMarketStep) {
  Sizing s;
  Instrument okx = test::okx_btc_swap();  // 0.01 BTC per contract, step 1
  s.in.instrument = &okx;
  s.in.entry_price = P("60000");
  // 1000 USDT / (60000 · 0.01) = 1.67 contracts → 1.
  EXPECT_EQ(s.run({std::nullopt, M("1000")})->quantity, Q("1"));
  EXPECT_EQ(quantity_for_notional(okx, M("1200"), P("60000")), Q("2"));
  // Binance MARKET_LOT_SIZE: market orders round to their own step.
  Instrument spot = test::spot_btcusdt();
  spot.market_step_size = Q("0.001");
  s.in.instrument = &spot;
  s.in.entry_price = P("50000");
  EXPECT_EQ(s.run({std::nullopt, M("1000")})->quantity, Q("0.02"));
  s.in.is_market = false;
  EXPECT_EQ(s.run({std::nullopt, M("999")})->quantity, Q("0.01998"));
}

}  // namespace
}  // namespace tradingd
