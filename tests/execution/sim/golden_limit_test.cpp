// Golden scenarios, limit orders: marketable limits (taker at book prices, then the time in force),
// post-only, resting makers filled by trades through and at their price, the queue position model, and
// the far side of the book moving through a resting order. Fees: Binance spot base tier, 0.1%.
#include <gtest/gtest.h>

#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Money M(const char* s) { return Money::from_string(s); }

TEST(GoldenLimit, MarketableGtcTakesAtBookPricesThenRestsAndFillsAsMaker) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"100", "0.5"}, {"100.5", "1"}, {"101", "1"}}).limit("l1", Side::Buy, "2", "100.5");
  s.at(1);
  // Rest 0.5 @100.5 locks 50.25 + the larger fee (0.1%) 0.05025.
  EXPECT_EQ(s.locked("USDT"), M("50.30025"));
  s.at(10).trade("100.5", "0.2", Side::Sell);  // at our price, nothing displayed ahead of us
  s.at(20).trade("100.4", "1", Side::Sell);    // through our price
  EXPECT_EQ(s.fills(),
            "0 l1 buy 0.5@100 fee=0.05 USDT taker\n"
            "0 l1 buy 1@100.5 fee=0.1005 USDT taker\n"
            "10 l1 buy 0.2@100.5 fee=0.0201 USDT maker\n"
            "20 l1 buy 0.3@100.5 fee=0.03015 USDT maker\n");
  // 100 000 − (50 + 100.5 + 20.1 + 30.15) − (0.05 + 0.1005 + 0.0201 + 0.03015).
  EXPECT_EQ(s.free("USDT"), M("99799.04925"));
  EXPECT_EQ(s.locked("USDT"), Money::zero());
}

TEST(GoldenLimit, IocTakesWhatItCanWithinItsLimitAndExpiresTheRest) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}, {"100.3", "1"}}).limit("i1", Side::Buy, "1", "100.2", TimeInForce::Ioc);
  s.at(1);
  EXPECT_EQ(s.fills(), "0 i1 buy 0.5@100 fee=0.05 USDT taker\n");
  EXPECT_EQ(s.events(), "0 accepted i1\n0 filled i1 buy 0.5@100 taker\n0 expired i1\n");
  EXPECT_EQ(s.locked("USDT"), Money::zero());
}

TEST(GoldenLimit, FokFillsAllWithinItsLimit) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}, {"100.1", "0.5"}, {"100.2", "5"}});
  s.limit("k1", Side::Buy, "1", "100.1", TimeInForce::Fok).at(1);
  // 50 → 0.05; 50.05 → 0.05005.
  EXPECT_EQ(s.fills(), "0 k1 buy 0.5@100 fee=0.05 USDT taker\n0 k1 buy 0.5@100.1 fee=0.05005 USDT taker\n");
}

TEST(GoldenLimit, FokThatCannotFillWithinItsLimitFillsNothing) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "0.5"}, {"100.2", "5"}});
  s.limit("k2", Side::Buy, "1", "100.1", TimeInForce::Fok).at(1);
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "0 accepted k2\n0 expired k2\n");
  EXPECT_EQ(s.locked("USDT"), Money::zero());
  EXPECT_EQ(s.free("USDT"), M("100000"));
}

TEST(GoldenLimit, PostOnlyThatWouldTakeIsRejected) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "1"}}).limit("p1", Side::Buy, "1", "100", TimeInForce::PostOnly).at(1);
  EXPECT_EQ(s.events(), "0 rejected p1 post_only_would_take -2010\n");
  EXPECT_EQ(s.locked("USDT"), Money::zero());
}

TEST(GoldenLimit, PostOnlyRejectCodeFollowsTheVenue) {
  struct Case {
    Instrument inst;
    const char* expected;
  };
  const Case cases[] = {
      {perp_instrument(Venue::Binance), "0 rejected p2 post_only_would_take -5022\n"},
      {spot_instrument(Venue::Bybit), "0 rejected p2 post_only_would_take 170218\n"},
      {perp_instrument(Venue::Bybit), "0 rejected p2 post_only_would_take EC_PostOnlyWillTakeLiquidity\n"},
      {spot_instrument(Venue::Okx), "0 rejected p2 post_only_would_take 31\n"},
  };
  for (const auto& c : cases) {
    Scenario s(default_config(c.inst));
    s.at(0).book({{"99", "1"}}, {{"100", "1"}}).limit("p2", Side::Buy, "1", "100.1", TimeInForce::PostOnly).at(1);
    EXPECT_EQ(s.events(), c.expected) << c.inst.id;
  }
}

TEST(GoldenLimit, PostOnlyInsideTheSpreadRestsAndFillsAsMaker) {
  Scenario s;
  s.at(0).book({{"99.9", "1"}}, {{"100", "1"}}).limit("p3", Side::Buy, "1", "99.95", TimeInForce::PostOnly);
  s.at(10).trade("99.95", "0.4", Side::Sell);  // nothing displayed ahead of us at 99.95
  s.at(20).trade("99.9", "1", Side::Sell);     // through: the rest
  // 0.4 × 99.95 = 39.98 → 0.03998; 0.6 × 99.95 = 59.97 → 0.05997.
  EXPECT_EQ(s.fills(), "10 p3 buy 0.4@99.95 fee=0.03998 USDT maker\n20 p3 buy 0.6@99.95 fee=0.05997 USDT maker\n");
}

TEST(GoldenLimit, TradeThroughFillsUpToTheTradeSize) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"101", "1"}}).limit("r1", Side::Buy, "1", "100");
  s.at(10).trade("99.9", "0.4", Side::Sell);
  s.at(20).trade("99.8", "2", Side::Sell);
  EXPECT_EQ(s.fills(), "10 r1 buy 0.4@100 fee=0.04 USDT maker\n20 r1 buy 0.6@100 fee=0.06 USDT maker\n");
}

TEST(GoldenQueue, TradesAtOurPriceConsumeTheQueueAheadFirst) {
  Scenario s;
  s.at(0).book({{"100", "2"}}, {{"100.5", "1"}}).limit("q1", Side::Buy, "1", "100");  // 2 ahead of us
  s.at(10).trade("100", "1.5", Side::Sell);  // 0.5 still ahead: nothing reaches us
  s.at(20).trade("100", "1", Side::Sell);    // 0.5 consumes the queue, 0.5 reaches us
  s.at(30).trade("100", "0.2", Side::Buy);   // a buyer lifting an offer at 100: not our queue (strict)
  s.at(40).trade("100", "0.7", Side::Sell);  // 0.5 left to fill
  EXPECT_EQ(s.fills(), "20 q1 buy 0.5@100 fee=0.05 USDT maker\n40 q1 buy 0.5@100 fee=0.05 USDT maker\n");
}

TEST(GoldenQueue, CancelsAdvanceTheQueueProRata) {
  Scenario s;
  s.at(0).book({{"100", "4"}}, {{"100.5", "1"}}).limit("q2", Side::Buy, "1", "100");  // ahead 4
  s.at(5).bid("100", "8");   // 4 more join behind us
  s.at(10).bid("100", "4");  // 4 canceled; 4/8 of them were ahead of us → ahead 2
  s.at(20).trade("100", "2.5", Side::Sell);  // 2 consume the queue, 0.5 reaches us
  EXPECT_EQ(s.fills(), "20 q2 buy 0.5@100 fee=0.05 USDT maker\n");
}

TEST(GoldenQueue, CancelShareScalesTheAdvance) {
  SimVenueConfig cfg = default_config();
  cfg.queue_cancel_share = Rate::from_string("0.5");
  Scenario s(cfg);
  s.at(0).book({{"100", "4"}}, {{"100.5", "1"}}).limit("q3", Side::Buy, "1", "100");
  s.at(5).bid("100", "8");
  s.at(10).bid("100", "4");                  // pro-rata 2, half of it counts → ahead 3
  s.at(20).trade("100", "2.5", Side::Sell);  // ahead 0.5, nothing reaches us
  s.at(30).trade("100", "1", Side::Sell);    // 0.5 reaches us
  EXPECT_EQ(s.fills(), "30 q3 buy 0.5@100 fee=0.05 USDT maker\n");
}

TEST(GoldenQueue, FillOnTouchIgnoresTheQueue) {
  SimVenueConfig cfg = default_config();
  cfg.fill_on_touch = true;
  Scenario s(cfg);
  s.at(0).book({{"100", "5"}}, {{"100.5", "1"}}).limit("q4", Side::Buy, "1", "100");
  s.at(10).trade("100", "0.3", Side::Buy);
  EXPECT_EQ(s.fills(), "10 q4 buy 0.3@100 fee=0.03 USDT maker\n");
}

TEST(GoldenQueue, OurOrdersShareOnePrintInPriceTimePriority) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"101", "1"}});
  s.limit("a1", Side::Buy, "1", "100").at(1).limit("a2", Side::Buy, "1", "100").at(2).limit("a3", Side::Buy, "1", "99.5");
  s.at(10).trade("99", "1.5", Side::Sell);  // through all three; 1.5 in total to share
  EXPECT_EQ(s.fills(), "10 a1 buy 1@100 fee=0.1 USDT maker\n10 a2 buy 0.5@100 fee=0.05 USDT maker\n");
}

TEST(GoldenQueue, VolumeOurBetterOrderTookNeverReachesTheQueueBehind) {
  Scenario s;
  s.at(0).book({{"100", "1"}, {"99.8", "1"}}, {{"100.5", "1"}});
  s.limit("v1", Side::Buy, "0.5", "99.9").limit("v2", Side::Buy, "1", "99.8");  // v2: 1 ahead
  s.at(10).trade("99.8", "2", Side::Sell);
  // v1 (priced through the print) takes 0.5 first; 1.5 reaches 99.8, 1 of it is the queue: 0.5 for v2.
  EXPECT_EQ(s.fills(), "10 v1 buy 0.5@99.9 fee=0.04995 USDT maker\n10 v2 buy 0.5@99.8 fee=0.0499 USDT maker\n");
}

TEST(GoldenCross, NewAskThroughARestingBuyFillsItFromTheAddedSize) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"100.5", "1"}}).limit("x1", Side::Buy, "1", "100");
  s.at(10).ask("99.9", "0.4");  // an ask below our bid would have hit us: 0.4 at our price
  EXPECT_EQ(s.venue().book(s.id)->best_ask()->price, Price::from_string("100.5"));  // we consumed it
  s.at(20).ask("99.8", "2");
  EXPECT_EQ(s.fills(), "10 x1 buy 0.4@100 fee=0.04 USDT maker\n20 x1 buy 0.6@100 fee=0.06 USDT maker\n");
}

TEST(GoldenCross, OnlyTheFeedsNewSizeCountsNotWhatWeAlreadyTook) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100.5", "1"}}).limit("x4", Side::Buy, "1", "100");
  s.at(10).ask("99.9", "0.4");  // 0.4 reaches us; the venue's copy of 99.9 is now empty
  s.at(20).ask("99.9", "0.5");  // the feed's level grew by 0.1: only that is new
  EXPECT_EQ(s.fills(), "10 x4 buy 0.4@100 fee=0.04 USDT maker\n20 x4 buy 0.1@100 fee=0.01 USDT maker\n");
}

TEST(GoldenCross, AskAtOurPriceClearsTheQueueInStrictModeAndFillsWithTouch) {
  {
    Scenario s;
    s.at(0).book({{"100", "3"}}, {{"100.5", "1"}}).limit("x2", Side::Buy, "1", "100");  // 3 ahead
    s.at(10).ask("100", "1");                 // strict: no fill, but nobody is ahead of us any more
    s.at(20).trade("100", "0.3", Side::Sell);  // reaches us at once
    EXPECT_EQ(s.fills(), "20 x2 buy 0.3@100 fee=0.03 USDT maker\n");
  }
  {
    SimVenueConfig cfg = default_config();
    cfg.fill_on_touch = true;
    Scenario s(cfg);
    s.at(0).book({{"100", "3"}}, {{"100.5", "1"}}).limit("x3", Side::Buy, "1", "100");
    s.at(10).ask("100", "1");
    EXPECT_EQ(s.fills(), "10 x3 buy 1@100 fee=0.1 USDT maker\n");
  }
}

TEST(GoldenQueue, AnOrderBeyondTheVisibleDepthCountsTheLevelAheadWhenItAppears) {
  Scenario s;
  s.at(0).book({{"100", "1"}, {"99.9", "1"}}, {{"100.5", "1"}}).limit("d1", Side::Buy, "1", "99");
  s.at(10).bid("99", "3");                  // first sight of our level: all 3 ahead
  s.at(20).trade("99", "3.4", Side::Sell);  // 0.4 beyond the queue
  EXPECT_EQ(s.fills(), "20 d1 buy 0.4@99 fee=0.0396 USDT maker\n");
}

}  // namespace
}  // namespace tradingd::sim::test
