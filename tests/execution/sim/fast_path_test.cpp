// The simulated venue's fast paths give what the general paths give, and are not taken where they must not
// be: the inline idle bar (on_bar), the reused slippage offset, the candle pass that skips the
// participation cap when no limit waits, the integer round-up of slippage offsets, and the order-id hashes
// (runs of four adjacent, runs scattered).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "execution/sim/slippage_model.h"
#include "execution/sim/slot_index.h"
#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Price P(const char* s) { return Price::from_string(s); }

Bar make_bar(const InstrumentId& id, std::int64_t open_s, const char* o, const char* c, bool closed = true) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = open_s * kNanosPerSecond;
  b.open = P(o);
  b.high = std::max(P(o), P(c)) + P("1");
  b.low = std::min(P(o), P(c)) - P("1");
  b.close = P(c);
  b.volume = Quantity::from_string("50");
  b.closed = closed;
  return b;
}

// --- The idle bar --------------------------------------------------------------------------------------

TEST(IdleBar, RecordsTheCloseThatDecidesWhetherALimitIsMarketable) {
  // The second and third bars take the inline path (same instrument, nothing due, no order waiting). A buy
  // limit at 104 is marketable against a last close of 100 (taker at the open) but not against 105.
  Scenario s;
  s.bar(0, "100", "101", "99", "100", "50");
  s.bar(60, "100", "106", "99", "105", "50");
  s.limit("L1", Side::Buy, "1", "104");
  s.bar(120, "103.5", "105", "103", "104.8", "50");  // opens below the limit: a marketable one would take
  EXPECT_EQ(s.fills(), "180000 L1 buy 1@104 fee=0.104 USDT maker\n");
  EXPECT_EQ(s.venue().stats().market_events, 3u);
}

TEST(IdleBar, AFormingBarChangesNothing) {
  Scenario s;
  s.bar(0, "100", "101", "99", "105", "50");
  s.at(90'000);
  s.venue().on_bar(make_bar(s.id, 60, "105", "100", /*closed=*/false));  // inline path: not closed
  s.limit("L2", Side::Buy, "1", "104");  // the last close is still 105: not marketable
  s.bar(120, "103.5", "105", "103", "104.8", "50");
  EXPECT_EQ(s.fills(), "180000 L2 buy 1@104 fee=0.104 USDT maker\n");
  EXPECT_EQ(s.venue().stats().market_events, 3u);
}

TEST(IdleBar, NotTakenWhenARequestIsDueAtTheBarsTime) {
  // A request arriving at the bar's instant is matched after the bar (it was in flight): the bar must
  // process it, so the inline path must not answer.
  Scenario s;
  s.bar(0, "100", "101", "99", "100", "50");  // clock at 60 000 ms
  s.market("M1", Side::Buy, "1");             // zero latency: due now
  s.venue().on_bar(make_bar(s.id, 60, "100", "101"));  // at the same instant, no advance before it
  EXPECT_EQ(s.events(), "60000 accepted M1\n");
}

TEST(IdleBar, NotTakenWhileAnOrderWaitsForABar) {
  Scenario s;
  s.bar(0, "100", "101", "99", "100", "50");
  s.market("M2", Side::Buy, "1");
  s.at(60'001);  // accepted: the order now waits in the candle list, nothing is due
  ASSERT_EQ(s.events(), "60000 accepted M2\n");
  s.venue().on_bar(make_bar(s.id, 60, "100.6", "101"));
  EXPECT_EQ(s.fills(), "60000 M2 buy 1@100.62 fee=0.10062 USDT taker\n");
}

TEST(IdleBar, NotTakenForAnotherInstrumentsBar) {
  Instrument eth = spot_instrument();
  eth.id.symbol = Symbol::from("ETHUSDT");
  eth.base = Asset::from("ETH");
  SimVenueConfig cfg = default_config();
  SimInstrumentConfig ic;
  ic.instrument = eth;
  cfg.instruments.push_back(ic);
  Scenario s(cfg);
  s.bar(0, "100", "101", "99", "100", "50");
  EXPECT_EQ(s.venue().data_mode(eth.id), DataMode::None);
  s.venue().on_bar(make_bar(eth.id, 0, "10", "11"));
  EXPECT_EQ(s.venue().data_mode(eth.id), DataMode::Candle);
  s.venue().on_bar(make_bar(s.id, 60, "100", "105"));
  s.venue().on_bar(make_bar(eth.id, 60, "11", "12"));
  EXPECT_EQ(s.venue().stats().market_events, 4u);
  // Each instrument kept its own close: a buy limit at 104 on BTC is not marketable (105).
  s.limit("L3", Side::Buy, "1", "104");
  s.bar(120, "103.5", "105", "103", "104.8", "50");
  EXPECT_EQ(s.fills(), "180000 L3 buy 1@104 fee=0.104 USDT maker\n");
}

// --- Slippage offsets ----------------------------------------------------------------------------------

TEST(SlippageReuse, OpenAtTheLastCloseGivesTheSameFillAsComputedAfresh) {
  // 100.5 × 1 bp = 0.01005 → up to the tick 0.02: computed for the arrival check, reused at the open.
  Scenario s;
  s.bar(0, "100", "101", "99", "100.5", "50");
  s.market("S1", Side::Buy, "1");
  s.bar(60, "100.5", "101", "100", "100.8", "40");
  // The next open differs from the last close: computed again (100.9 × 1 bp → 0.02).
  s.market("S2", Side::Sell, "1");
  s.bar(120, "100.9", "101", "100", "100.4", "40");
  EXPECT_EQ(s.fills(),
            "60000 S1 buy 1@100.52 fee=0.10052 USDT taker\n"
            "120000 S2 sell 1@100.88 fee=0.10088 USDT taker\n");
}

TEST(SlippageReuse, VolatilityScaledOffsetsAreNeverReused) {
  // With volatility scaling the offset moves with sigma even at the same reference price: the fills
  // match a venue whose closes differ only in what feeds sigma.
  SimVenueConfig cfg = default_config();
  cfg.slippage.kind = SlippageKind::Volatility;
  cfg.slippage.volatility_multiplier = 1.0;
  Scenario s(cfg);
  s.bar(0, "100", "101", "99", "100", "50");
  s.bar(60, "100", "111", "99", "110", "50");
  s.bar(120, "110", "111", "99", "100", "50");  // sigma > 0 now
  s.market("V1", Side::Buy, "1");
  s.bar(180, "100", "101", "99", "100", "50");  // same reference as the arrival check
  const std::string first = s.fills();
  ASSERT_FALSE(first.empty());
  // The offset is the bps floor plus price × sigma: well above one bp's 0.01.
  const Price expected = slipped_price(Side::Buy, P("100"),
                                       slippage_offset(cfg.slippage, P("100"), std::nullopt,
                                                       [&] {
                                                         VolatilityEstimator v;
                                                         for (const char* c : {"100", "110", "100", "100"})
                                                           v.observe(P(c), cfg.slippage.volatility_ewma_lambda);
                                                         return v.sigma();
                                                       }(),
                                                       P("0.01")),
                                       P("0.01"));
  EXPECT_NE(first.find("V1 buy 1@" + expected.to_string() + " "), std::string::npos) << first;
  EXPECT_GT(expected, P("100.01"));
}

TEST(SlippageOffset, IntegerRoundUpMatchesRoundTo) {
  SlippageConfig abs;
  abs.kind = SlippageKind::Absolute;
  const std::vector<std::int64_t> ticks = {1, 7, 10, 1'000'000, 10'000'000, 999'999'999};
  const std::vector<std::int64_t> raws = {1, 2, 6, 7, 8, 9'999'999, 10'000'000, 10'000'001, 123'456'789'012};
  for (std::int64_t t : ticks) {
    for (std::int64_t r : raws) {
      abs.absolute = Price::from_raw(r);
      const Price tick = Price::from_raw(t);
      EXPECT_EQ(slippage_offset(abs, P("100"), std::nullopt, 0.0, tick),
                Price::from_raw(r).round_to(tick, Rounding::Up))
          << r << " / " << t;
    }
  }
  // Near the top of the range the product of the quotient and the tick overflows: reported, as before.
  abs.absolute = Price::from_raw(std::numeric_limits<std::int64_t>::max() - 5);
  EXPECT_THROW(slippage_offset(abs, P("100"), std::nullopt, 0.0, Price::from_raw(10)), std::exception);
  // Zero and no tick are left as they are.
  abs.absolute = Price::zero();
  EXPECT_EQ(slippage_offset(abs, P("100"), std::nullopt, 0.0, P("0.01")), Price::zero());
  abs.absolute = Price::from_raw(3);
  EXPECT_EQ(slippage_offset(abs, P("100"), std::nullopt, 0.0, Price::zero()), Price::from_raw(3));
}

// --- The candle pass without limits --------------------------------------------------------------------

TEST(CandlePass, MarketAndRestingLimitInOneBarBothFillUnderTheCap) {
  // A market order alone skips the participation cap; with a limit waiting, the cap still applies to it.
  Scenario s;
  s.bar(0, "100", "100.5", "99.8", "100", "50").limit("C1", Side::Buy, "5", "99.5");
  s.market("C2", Side::Buy, "1");
  s.bar(60, "100", "100.2", "99", "99.8", "20");  // cap 10% × 20 = 2 for the limit
  EXPECT_EQ(s.fills(),
            "60000 C2 buy 1@100.01 fee=0.10001 USDT taker\n"
            "120000 C1 buy 2@99.5 fee=0.199 USDT maker\n");
}

// --- Order-id hashes -----------------------------------------------------------------------------------

std::string counter_id(std::uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s(13, '0');
  for (std::size_t i = 13; i-- > 0 && n != 0; n /= 36) s[i] = kDigits[n % 36];
  return "tdq1w2e3" + s;
}

// Mean displacement of linear probing when these hashes fill a table at the index's load (at most 1/2).
double mean_displacement(const std::vector<std::uint64_t>& hashes) {
  std::size_t size = 32;
  while (size < 2 * hashes.size()) size *= 2;
  std::vector<bool> used(size);
  std::uint64_t total = 0;
  for (std::uint64_t h : hashes) {
    std::size_t i = static_cast<std::uint32_t>(h) & (size - 1);
    while (used[i]) {
      i = (i + 1) & (size - 1);
      ++total;
    }
    used[i] = true;
  }
  return static_cast<double>(total) / static_cast<double>(hashes.size());
}

TEST(OrderIdHash, CounterIdsSitInShortAdjacentRunsThatScatter) {
  std::vector<std::uint64_t> text, numbers;
  for (std::uint64_t n = 1; n <= 20'000; ++n) {
    text.push_back(hash_text(counter_id(n)));
    numbers.push_back(hash_number(n));
  }
  // Four consecutive ids whose last characters share all but the low two bits are adjacent entries.
  EXPECT_EQ(static_cast<std::uint32_t>(hash_text(counter_id(5))), static_cast<std::uint32_t>(hash_text(counter_id(4))) + 1);
  EXPECT_EQ(static_cast<std::uint32_t>(hash_number(5)), static_cast<std::uint32_t>(hash_number(4)) + 1);
  // Runs of whole prefixes side by side used to merge into clusters tens of entries long.
  EXPECT_LT(mean_displacement(text), 6.0);
  EXPECT_LT(mean_displacement(numbers), 6.0);
}

}  // namespace
}  // namespace tradingd::sim::test
