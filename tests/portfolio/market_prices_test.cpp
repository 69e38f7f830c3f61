// MarketPrices: what is stored (positive prices, uncrossed quotes), the per-source fallbacks, and copies
// answering from their own slots.
#include "portfolio/market_prices.h"

#include <gtest/gtest.h>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::P;

// MarketPrices keeps dense slots and remembers the last one looked up: a copy answers from its own slots,
// prices that are not positive (or crossed quotes) are not stored, and the fallbacks hold per source.
TEST(MarketPrices, SlotsLookupsAndCopies) {
  MarketPrices a;
  const InstrumentId btc = test::spot_btcusdt().id, eth = test::spot_ethusdt().id;
  EXPECT_FALSE(a.on_trade(btc, Price::zero(), 1));
  EXPECT_FALSE(a.on_quote(btc, P("101"), P("100"), 1));  // crossed
  EXPECT_EQ(a.size(), 0u);
  EXPECT_TRUE(a.on_trade(btc, P("100"), 1));
  EXPECT_FALSE(a.on_trade(btc, P("100"), 2));  // the same price: not a change, the time still moves
  EXPECT_EQ(a.last_update_ns(btc), 2);
  EXPECT_TRUE(a.on_quote(eth, P("10"), P("11"), 3));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.price(eth, PriceSource::Last), P("10.5"));  // no trade: the mid
  EXPECT_EQ(a.price(btc, PriceSource::Mid), P("100"));    // no quote: the last trade
  MarketPrices b = a;
  EXPECT_TRUE(b.on_trade(btc, P("200"), 4));
  EXPECT_EQ(a.price(btc, PriceSource::Last), P("100"));
  EXPECT_EQ(b.price(btc, PriceSource::Last), P("200"));
  EXPECT_EQ(b.price(eth, PriceSource::Mark), P("10.5"));
  EXPECT_FALSE(b.price(test::perp_btcusdt().id, PriceSource::Mark));
}

}  // namespace
}  // namespace tradingd
