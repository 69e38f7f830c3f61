// Golden scenarios, market orders: L2 walks (VWAP, partial fills by time in force, FOK), and the
// slippage models used without depth. Every expected fill is computed by hand in the comment above it;
// default fees are Binance spot's base tier (0.1% maker and taker).
#include <gtest/gtest.h>

#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Price P(const char* s) { return Price::from_string(s); }
Money M(const char* s) { return Money::from_string(s); }

TEST(GoldenMarket, BuyWalksTheAskLevelsAtVwap) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"100", "0.5"}, {"100.5", "1"}, {"101", "2"}}).market("m1", Side::Buy, "1.2").at(1);
  // 0.5 × 100 = 50 → fee 0.05; 0.7 × 100.5 = 70.35 → fee 0.07035. VWAP 120.35 / 1.2 = 100.2916666666…
  EXPECT_EQ(s.fills(),
            "0 m1 buy 0.5@100 fee=0.05 USDT taker\n"
            "0 m1 buy 0.7@100.5 fee=0.07035 USDT taker\n");
  EXPECT_EQ(s.events(), "0 accepted m1\n0 filled m1 buy 0.5@100 taker\n0 filled m1 buy 0.7@100.5 taker\n");
  auto r = s.order("m1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, OrderStatus::Filled);
  EXPECT_EQ(*r->avg_fill_price, P("100.291666667"));
  // 100 000 − 120.35 − 0.12035; 10 + 1.2 BTC.
  EXPECT_EQ(s.free("USDT"), M("99879.52965"));
  EXPECT_EQ(s.free("BTC"), M("11.2"));
  // Our taker consumed the 100 level and 0.7 of 100.5 in the venue's copy of the book.
  EXPECT_EQ(s.venue().book(s.id)->best_ask()->price, P("100.5"));
  EXPECT_EQ(s.venue().book(s.id)->best_ask()->size, Quantity::from_string("0.3"));
}

TEST(GoldenMarket, SellWalksTheBidLevels) {
  Scenario s;
  s.at(0).book({{"99.9", "0.3"}, {"99.8", "0.3"}}, {{"100.1", "1"}}).market("m2", Side::Sell, "0.5").at(1);
  // 0.3 × 99.9 = 29.97 → 0.02997; 0.2 × 99.8 = 19.96 → 0.01996.
  EXPECT_EQ(s.fills(),
            "0 m2 sell 0.3@99.9 fee=0.02997 USDT taker\n"
            "0 m2 sell 0.2@99.8 fee=0.01996 USDT taker\n");
}

TEST(GoldenMarket, IocKeepsThePartialFillWhenTheBookRunsOutAndExpiresTheRest) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}}).market("m3", Side::Buy, "1", TimeInForce::Ioc).at(1);
  EXPECT_EQ(s.fills(), "0 m3 buy 0.5@100 fee=0.05 USDT taker\n");
  EXPECT_EQ(s.events(), "0 accepted m3\n0 filled m3 buy 0.5@100 taker\n0 expired m3\n");
  EXPECT_EQ(s.order("m3")->status, OrderStatus::Expired);
  EXPECT_EQ(s.order("m3")->filled_quantity, Quantity::from_string("0.5"));
}

TEST(GoldenMarket, GtcMarketAlsoExpiresWhatTheBookCannotFill) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.25"}, {"100.2", "0.25"}}).market("m4", Side::Buy, "1").at(1);
  // 0.25 × 100 = 25 → 0.025; 0.25 × 100.2 = 25.05 → 0.02505.
  EXPECT_EQ(s.fills(), "0 m4 buy 0.25@100 fee=0.025 USDT taker\n0 m4 buy 0.25@100.2 fee=0.02505 USDT taker\n");
  EXPECT_EQ(s.events_of("expired"), "0 expired m4\n");
}

TEST(GoldenMarket, FokThatCannotFillIsAcceptedThenExpiredOnBinanceSpot) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}}).market("f1", Side::Buy, "1", TimeInForce::Fok).at(1);
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "0 accepted f1\n0 expired f1\n");
}

TEST(GoldenMarket, FokThatCannotFillIsRejectedOnBinanceUsdm) {
  Scenario s(default_config(perp_instrument()));
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}}).market("f2", Side::Buy, "1", TimeInForce::Fok).at(1);
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "0 rejected f2 fok_not_filled -5021\n");
}

TEST(GoldenMarket, FokFillsEverythingAcrossLevels) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}, {"100.5", "1"}}).market("f3", Side::Buy, "1.5", TimeInForce::Fok).at(1);
  // 50 → 0.05; 100.5 → 0.1005.
  EXPECT_EQ(s.fills(), "0 f3 buy 0.5@100 fee=0.05 USDT taker\n0 f3 buy 1@100.5 fee=0.1005 USDT taker\n");
  EXPECT_EQ(s.order("f3")->status, OrderStatus::Filled);
}

TEST(GoldenMarket, EmptyFarSideExpiresTheMarketOrder) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {}).market("m5", Side::Buy, "1").at(1);
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "0 accepted m5\n0 expired m5\n");
}

TEST(GoldenMarket, TopOfBookOnlyFillsAtTheQuotePlusBpsSlippageNeverAtMid) {
  SimVenueConfig cfg = default_config();
  cfg.slippage.kind = SlippageKind::FixedBps;
  cfg.slippage.bps = Rate::from_units(10);
  Scenario s(cfg);
  s.at(0).quote("100", "1", "100.02", "1").market("t1", Side::Buy, "1").at(1);
  // 100.02 × 10 bps = 0.10002, rounded up to the 0.01 tick = 0.11 → 100.13; fee 0.10013. (Mid is 100.01.)
  EXPECT_EQ(s.venue().data_mode(s.id), DataMode::TopOfBook);
  EXPECT_EQ(s.fills(), "0 t1 buy 1@100.13 fee=0.10013 USDT taker\n");
}

TEST(GoldenMarket, TopOfBookSellWithAbsoluteSlippage) {
  SimVenueConfig cfg = default_config();
  cfg.slippage.kind = SlippageKind::Absolute;
  cfg.slippage.absolute = P("0.05");
  Scenario s(cfg);
  s.at(0).quote("100", "1", "100.02", "1").market("t2", Side::Sell, "2").at(1);
  // 100 − 0.05 = 99.95; 2 × 99.95 = 199.9 → fee 0.1999. The whole order fills: no depth is known.
  EXPECT_EQ(s.fills(), "0 t2 sell 2@99.95 fee=0.1999 USDT taker\n");
}

TEST(GoldenMarket, LastTradeOnlyFillsAtTheLastPricePlusSlippage) {
  Scenario s;
  s.at(0).trade("100", "1", Side::Buy).market("t3", Side::Buy, "1").at(1);
  // Default 1 bp: 100 × 0.0001 = 0.01 → 100.01; fee 0.10001.
  EXPECT_EQ(s.venue().data_mode(s.id), DataMode::LastTrade);
  EXPECT_EQ(s.fills(), "0 t3 buy 1@100.01 fee=0.10001 USDT taker\n");
}

TEST(GoldenMarket, VolatilitySlippageScalesWithTheSpread) {
  SimVenueConfig cfg = default_config();
  cfg.slippage.kind = SlippageKind::Volatility;
  cfg.slippage.bps = Rate::zero();
  cfg.slippage.spread_multiplier = 0.5;
  Scenario s(cfg);
  s.at(0).quote("100", "1", "100.1", "1").market("t4", Side::Buy, "1").at(1);
  // No trades yet (σ = 0): half the 0.1 spread = 0.05 → 100.15; fee 0.10015.
  EXPECT_EQ(s.fills(), "0 t4 buy 1@100.15 fee=0.10015 USDT taker\n");
}

TEST(GoldenMarket, PerInstrumentSlippageOverridesTheVenueDefault) {
  SimVenueConfig cfg = default_config();
  SlippageConfig abs;
  abs.kind = SlippageKind::Absolute;
  abs.absolute = P("0.2");
  cfg.instruments.front().slippage = abs;
  Scenario s(cfg);
  s.at(0).quote("100", "1", "100.02", "1").market("t5", Side::Buy, "1").at(1);
  EXPECT_EQ(s.fills(), "0 t5 buy 1@100.22 fee=0.10022 USDT taker\n");
}

}  // namespace
}  // namespace tradingd::sim::test
