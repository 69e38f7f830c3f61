// Golden scenarios, candle mode (bars only): market at the next open plus slippage, limits filled when the
// range trades through them under the volume participation cap, IOC at the open only, stops, and the
// conservative intra-candle order (stop-loss before take-profit). Bars are 1 minute; times in ms.
#include <gtest/gtest.h>

#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Money M(const char* s) { return Money::from_string(s); }

TEST(GoldenCandle, MarketFillsAtTheNextOpenPlusSlippage) {
  Scenario s;
  s.bar(0, "100", "101", "99", "100.5", "50");  // delivered at 60 000
  EXPECT_EQ(s.venue().data_mode(s.id), DataMode::Candle);
  s.market("k1", Side::Buy, "1");
  s.bar(60, "100.6", "101", "100.2", "100.8", "40");
  // 100.6 × 1 bp = 0.01006 → up to the tick 0.02 → 100.62; fee 0.10062; stamped at the open.
  EXPECT_EQ(s.fills(), "60000 k1 buy 1@100.62 fee=0.10062 USDT taker\n");
  EXPECT_EQ(s.events(), "60000 accepted k1\n120000 filled k1 buy 1@100.62 taker\n");
}

TEST(GoldenCandle, LimitFillsAsMakerWhenTheRangeTradesThrough) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k2", Side::Buy, "1", "99.5");
  s.bar(60, "100", "100.2", "99.4", "99.8", "20");  // cap 10% × 20 = 2
  EXPECT_EQ(s.fills(), "120000 k2 buy 1@99.5 fee=0.0995 USDT maker\n");
}

TEST(GoldenCandle, ParticipationCapSpreadsTheFillOverCandles) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k3", Side::Buy, "5", "99.5");
  s.bar(60, "100", "100.2", "99", "99.8", "20");
  s.bar(120, "99.8", "100", "99", "99.6", "20");
  s.bar(180, "99.6", "99.9", "99", "99.7", "20");
  // 2 per candle: 2 × 99.5 = 199 → 0.199.
  EXPECT_EQ(s.fills(),
            "120000 k3 buy 2@99.5 fee=0.199 USDT maker\n"
            "180000 k3 buy 2@99.5 fee=0.199 USDT maker\n"
            "240000 k3 buy 1@99.5 fee=0.0995 USDT maker\n");
}

TEST(GoldenCandle, TouchingTheLimitFillsOnlyWithFillOnTouch) {
  {
    Scenario s;
    s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k4", Side::Buy, "1", "99.5");
    s.bar(60, "100", "100.2", "99.5", "99.8", "20");
    EXPECT_EQ(s.fills(), "");
  }
  {
    SimVenueConfig cfg = default_config();
    cfg.fill_on_touch = true;
    Scenario s(cfg);
    s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k5", Side::Buy, "1", "99.5");
    s.bar(60, "100", "100.2", "99.5", "99.8", "20");
    EXPECT_EQ(s.fills(), "120000 k5 buy 1@99.5 fee=0.0995 USDT maker\n");
  }
}

TEST(GoldenCandle, MarketableLimitTakesAtTheOpenCappedAtItsLimit) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k6", Side::Buy, "1", "101");
  s.bar(60, "100.2", "100.6", "100", "100.4", "30");
  // 100.2 + (100.2 × 1 bp = 0.01002 → 0.02) = 100.22 ≤ 101; fee 0.10022.
  EXPECT_EQ(s.fills(), "60000 k6 buy 1@100.22 fee=0.10022 USDT taker\n");
}

TEST(GoldenCandle, MarketableLimitThatGapsAwayRestsAsMaker) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k7", Side::Buy, "1", "100.1");
  s.bar(60, "100.5", "100.8", "100.05", "100.3", "30");  // opens above the limit, trades back through it
  EXPECT_EQ(s.fills(), "120000 k7 buy 1@100.1 fee=0.1001 USDT maker\n");
}

TEST(GoldenCandle, IocGetsOnlyTheOpen) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("k8", Side::Buy, "1", "99", TimeInForce::Ioc);
  s.bar(60, "100", "100.2", "98", "99.8", "50");  // the range reaches 99, but after the open
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "60000 accepted k8\n120000 expired k8\n");
}

TEST(GoldenCandle, StopLossHitsBeforeTakeProfitInsideOneCandle) {
  Scenario s(default_config(perp_instrument()));
  s.bar(0, "100", "100.5", "99.5", "100", "100").market("b1", Side::Buy, "1");
  // Opens the long at 100 + (1 bp = 0.01 → the 0.1 tick) = 100.1; USD-M taker 0.05% → 0.05005.
  s.bar(60, "100", "100.5", "99.8", "100.2", "100");
  s.stop_market("sl", Side::Sell, "1", "95", true).limit("tp", Side::Sell, "1", "105", TimeInForce::Gtc, true);
  s.bar(120, "100", "106", "94", "100", "100");  // both 95 and 105 lie inside this candle
  // The stop fires first: 95 − 0.1 = 94.9, fee 0.04745; the flat position expires the reduce-only TP.
  EXPECT_EQ(s.fills(), "60000 b1 buy 1@100.1 fee=0.05005 USDT taker\n180000 sl sell 1@94.9 fee=0.04745 USDT taker\n");
  EXPECT_EQ(s.events(),
            "60000 accepted b1\n120000 filled b1 buy 1@100.1 taker\n120000 accepted sl\n120000 accepted tp\n"
            "180000 triggered sl\n180000 filled sl sell 1@94.9 taker\n180000 expired tp\n");
  // 100 000 − 0.05005 + (94.9 − 100.1) − 0.04745.
  EXPECT_EQ(s.free("USDT"), M("99994.7025"));
  EXPECT_EQ(s.locked("USDT"), Money::zero());
}

TEST(GoldenCandle, TriggeredStopLimitWorksFromTheNextCandle) {
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").stop_limit("k9", Side::Buy, "1", "101", "101.5");
  s.bar(60, "100", "101.2", "99.9", "101.1", "50");   // fires at 101 inside the candle: no fill yet
  EXPECT_EQ(s.fills(), "");
  s.bar(120, "101.3", "102", "101", "101.8", "50");  // opens within the limit: takes at the open
  // 101.3 + (1 bp = 0.01013 → 0.02) = 101.32; fee 0.10132.
  EXPECT_EQ(s.fills(), "120000 k9 buy 1@101.32 fee=0.10132 USDT taker\n");
  EXPECT_EQ(s.events_of("triggered"), "120000 triggered k9\n");
}

}  // namespace
}  // namespace tradingd::sim::test
