// Golden scenarios, stops and latency: triggers on last and mark price, immediate-trigger handling per
// venue, order-entry / response / market-data latency in simulated time, cancel-versus-fill races, and the
// seeded jitter. Fees: Binance spot 0.1%, Binance USD-M taker 0.05%.
#include <gtest/gtest.h>

#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

SimVenueConfig with_latency(std::int64_t entry_ms, std::int64_t response_ms, std::int64_t md_ms = 0,
                            std::int64_t jitter_ms = 0) {
  SimVenueConfig c = default_config();
  c.latency.order_entry_ns = entry_ms * kNanosPerMilli;
  c.latency.response_ns = response_ms * kNanosPerMilli;
  c.latency.market_data_ns = md_ms * kNanosPerMilli;
  c.latency.jitter_ns = jitter_ms * kNanosPerMilli;
  return c;
}

TEST(GoldenStop, StopMarketBuyTriggersOnTheLastTradeAndWalksTheBook) {
  Scenario s;
  s.at(0).book({{"100", "1"}}, {{"101", "1"}, {"101.5", "1"}}).trade("100.5", "0.1", Side::Buy);
  s.stop_market("s1", Side::Buy, "1.5", "101");
  s.at(10).trade("101", "0.1", Side::Buy);
  // 101 → fee 0.101; 0.5 × 101.5 = 50.75 → 0.05075.
  EXPECT_EQ(s.fills(), "10 s1 buy 1@101 fee=0.101 USDT taker\n10 s1 buy 0.5@101.5 fee=0.05075 USDT taker\n");
  EXPECT_EQ(s.events(),
            "0 accepted s1\n10 triggered s1\n10 filled s1 buy 1@101 taker\n10 filled s1 buy 0.5@101.5 taker\n");
}

TEST(GoldenStop, StopLimitSellTakesWhatItsLimitAllowsThenRests) {
  Scenario s;
  s.at(0).book({{"98.8", "0.4"}, {"98", "1"}}, {{"99.5", "1"}}).trade("99.2", "0.1", Side::Sell);
  s.stop_limit("s2", Side::Sell, "1", "99", "98.5");
  EXPECT_EQ(s.at(1).locked("BTC"), Money::from_units(1));  // a spot sell locks the base it may deliver
  s.at(10).trade("99", "0.1", Side::Sell);    // fires: 0.4 @98.8 is within the limit, 0.6 rests @98.5
  s.at(20).trade("98.6", "1", Side::Buy);     // a print above our ask: through
  // 0.4 × 98.8 = 39.52 → 0.03952; 0.6 × 98.5 = 59.1 → 0.0591.
  EXPECT_EQ(s.fills(), "10 s2 sell 0.4@98.8 fee=0.03952 USDT taker\n20 s2 sell 0.6@98.5 fee=0.0591 USDT maker\n");
  EXPECT_EQ(s.locked("BTC"), Money::zero());
}

TEST(GoldenStop, PerpStopCanTriggerOnTheMarkPrice) {
  SimVenueConfig cfg = default_config(perp_instrument());
  cfg.stop_trigger = StopTriggerSource::Mark;
  Scenario s(cfg);
  s.at(0).book({{"100", "5"}}, {{"100.1", "5"}}).mark("100").stop_market("s3", Side::Sell, "1", "99.5");
  s.at(10).trade("99.4", "0.1", Side::Sell);  // the last price crosses, the mark does not
  EXPECT_EQ(s.fills(), "");
  s.at(20).mark("99.5");
  // Sells into the 100 bid; USD-M taker 0.05%: 0.05.
  EXPECT_EQ(s.fills(), "20 s3 sell 1@100 fee=0.05 USDT taker\n");
  EXPECT_EQ(s.events_of("triggered"), "20 triggered s3\n");
}

TEST(GoldenStop, AlreadyCrossedStopIsRejectedOnBinance) {
  Scenario spot;
  spot.at(0).trade("101", "0.1", Side::Buy).stop_market("s4", Side::Buy, "1", "100").at(1);
  EXPECT_EQ(spot.events(), "0 rejected s4 invalid_price -2010\n");
  Scenario perp(default_config(perp_instrument()));
  perp.at(0).trade("101", "0.1", Side::Buy).stop_market("s5", Side::Buy, "1", "100").at(1);
  EXPECT_EQ(perp.events(), "0 rejected s5 invalid_price -2021\n");
}

TEST(GoldenStop, AlreadyCrossedStopFiresAtOnceOnBybit) {
  Scenario s(default_config(spot_instrument(Venue::Bybit)));
  s.at(0).book({{"101", "1"}}, {{"101.2", "1"}}).trade("101", "0.1", Side::Buy).stop_market("s6", Side::Buy, "1", "100");
  s.at(1);
  EXPECT_EQ(s.events(), "0 accepted s6\n0 triggered s6\n0 filled s6 buy 1@101.2 taker\n");
  EXPECT_EQ(s.fills(), "0 s6 buy 1@101.2 fee=0.1012 USDT taker\n");
}

TEST(GoldenLatency, AnOrderMatchesOnlyAfterItsEntryLatency) {
  Scenario s(with_latency(50, 50));
  s.at(0).book({{"99", "1"}}, {{"100", "1"}}).market("m1", Side::Buy, "1");
  s.at(30).ask("100", "0").ask("100.5", "1");  // the book moves while the order travels
  s.at(200);
  EXPECT_EQ(s.fills(), "50 m1 buy 1@100.5 fee=0.1005 USDT taker\n");
  EXPECT_EQ(s.events(), "100 accepted m1\n100 filled m1 buy 1@100.5 taker\n");
}

TEST(GoldenLatency, CancelLosesTheRaceAgainstAFill) {
  Scenario s(with_latency(50, 50));
  s.at(0).book({{"99", "1"}}, {{"101", "1"}}).limit("c1", Side::Buy, "1", "100");
  s.at(100).cancel("c1");                    // reaches the engine at 150
  s.at(120).trade("99.9", "1", Side::Sell);  // fills us at 120, before the cancel arrives
  s.at(300);
  EXPECT_EQ(s.fills(), "120 c1 buy 1@100 fee=0.1 USDT maker\n");
  EXPECT_EQ(s.events(), "100 accepted c1\n170 filled c1 buy 1@100 maker\n200 cancel_rejected c1 unknown_order -2011\n");
}

TEST(GoldenLatency, CancelWinsWhenItArrivesFirst) {
  Scenario s(with_latency(50, 50));
  s.at(0).book({{"99", "1"}}, {{"101", "1"}}).limit("c2", Side::Buy, "1", "100");
  s.at(100).cancel("c2");
  s.at(160).trade("99.9", "1", Side::Sell);
  s.at(300);
  EXPECT_EQ(s.fills(), "");
  EXPECT_EQ(s.events(), "100 accepted c2\n200 canceled c2\n");
  EXPECT_EQ(s.locked("USDT"), Money::zero());
}

TEST(GoldenLatency, MarketDataLatencyLengthensTheRequestPath) {
  Scenario s(with_latency(30, 0, 20));
  s.at(0).book({{"99", "1"}}, {{"100", "1"}}).market("m2", Side::Buy, "1");
  s.at(40).ask("100", "0").ask("101", "1");  // 40 < 20 + 30: the order has not arrived yet
  s.at(100);
  EXPECT_EQ(s.fills(), "50 m2 buy 1@101 fee=0.101 USDT taker\n");
  EXPECT_EQ(s.events(), "50 accepted m2\n50 filled m2 buy 1@101 taker\n");
}

TEST(GoldenLatency, RequestsStayInOrderOnTheConnection) {
  // A cancel sent right after the submit never overtakes it, whatever the jitter draws.
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SimVenueConfig cfg = with_latency(10, 10, 0, 20);
    cfg.seed = seed;
    Scenario s(cfg);
    s.at(0).book({{"99", "1"}}, {{"101", "1"}}).limit("o1", Side::Buy, "1", "100").cancel("o1").at(500);
    EXPECT_EQ(s.events_of("canceled").empty(), false) << "seed " << seed;
    EXPECT_EQ(s.events_of("cancel_rejected"), "") << "seed " << seed;
  }
}

TEST(GoldenLatency, JitterIsSeededAndBounded) {
  auto run = [](std::uint64_t seed) {
    SimVenueConfig cfg = with_latency(10, 0, 0, 5);
    cfg.seed = seed;
    Scenario s(cfg);
    s.at(0).book({{"99", "100"}}, {{"101", "100"}});
    for (int i = 0; i < 20; ++i) {
      s.at(i * 100).limit(("j" + std::to_string(i)).c_str(), Side::Buy, "0.1", "98");
    }
    s.at(5000);
    std::vector<UnixNanos> delays;
    for (std::size_t i = 0; i < s.sink().events.size(); ++i)
      delays.push_back(s.sink().events[i].first - static_cast<UnixNanos>(i) * 100 * kNanosPerMilli);
    return delays;
  };
  const auto a = run(42);
  EXPECT_EQ(a, run(42));
  EXPECT_NE(a, run(43));
  // Each leg (request, response) draws its own jitter: 10 ms entry + [0, 5] + 0 ms response + [0, 5].
  for (auto d : a) {
    EXPECT_GE(d, 10 * kNanosPerMilli);
    EXPECT_LE(d, 20 * kNanosPerMilli);
  }
}

}  // namespace
}  // namespace tradingd::sim::test
