// The shortcuts taken on every market event give what the general computation gives, and are not taken
// where they would not: a flat position marks to zero without multiplying; the tracker re-marks from a
// trade without the price-source fallback chain only when the trade is the price the source picks; the
// portfolio values a spot position's base balance by the position's mark value only when the balance is
// exactly the position at a unit multiplier, and keeps the equity marks when a price left the equity as
// it was (redoing the leverage, which may still have moved).
#include <gtest/gtest.h>

#include <random>

#include "portfolio/portfolio.h"
#include "portfolio/position.h"
#include "portfolio/position_tracker.h"
#include "tests/portfolio/portfolio_reference.h"
#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::M;
using test::P;
using test::Q;

TEST(MarketEventPaths, AFlatPositionMarksToZeroAndAnOpenOneMultiplies) {
  for (const Instrument& inst : {test::spot_btcusdt(), test::okx_btc_swap()}) {
    Position p(inst);
    p.mark(P("50000"));  // flat: the shortcut
    EXPECT_EQ(p.mark_price(), P("50000"));
    EXPECT_EQ(p.mark_value(), Money::zero());
    p.mark(P("-1"));  // a non-positive price is ignored on either path
    p.mark(Price::zero());
    EXPECT_EQ(p.mark_price(), P("50000"));

    PositionFill buy{Side::Buy, inst.step_size * 3, P("40000"), Money::zero(), Quantity::zero(), 1};
    p.apply_fill(buy);
    p.mark(P("50000.01"));  // open: the exact product
    EXPECT_EQ(p.mark_value(), inst.notional_of(P("50000.01"), inst.step_size * 3));
    p.mark(Price::zero());
    EXPECT_EQ(p.mark_price(), P("50000.01"));

    PositionFill sell = buy;
    sell.side = Side::Sell;
    p.apply_fill(sell);
    ASSERT_TRUE(p.is_flat());
    p.mark(P("60000"));  // flat again
    EXPECT_EQ(p.mark_value(), Money::zero());
    EXPECT_EQ(p.unrealized_pnl(), Money::zero());
    EXPECT_EQ(p.mark_price(), P("60000"));
  }
}

TEST(MarketEventPaths, AnOpenPositionThatWouldOverflowKeepsItsMark) {
  Position p(test::spot_btcusdt());
  p.apply_fill({Side::Buy, Q("1000000"), P("1"), Money::zero(), Quantity::zero(), 1});
  p.mark(P("2"));
  EXPECT_THROW(p.mark(Price::from_raw(INT64_MAX / 2)), FixedPointOverflow);
  EXPECT_EQ(p.mark_price(), P("2"));
  EXPECT_EQ(p.mark_value(), M("2000000"));
}

// Random trades, quotes and mark prices on a spot and a perpetual, tracked under each price source: after
// every event each position is marked at what MarketPrices::price() picks for the source, exactly as
// value(quantity at that price).
TEST(MarketEventPaths, TradesReMarkAtThePriceTheSourcePicks) {
  for (PriceSource source : {PriceSource::Mark, PriceSource::Last, PriceSource::Mid}) {
    std::mt19937_64 rng(7 + static_cast<int>(source));
    PositionTracker t(source);
    const Instrument spot = test::spot_btcusdt(), perp = test::perp_btcusdt();
    t.add_instrument(spot);
    t.add_instrument(perp);
    std::uint64_t trade = 0;
    UnixNanos now = 1;
    for (int step = 0; step < 3000; ++step) {
      const Instrument& inst = rng() % 2 ? spot : perp;
      const Price px = Price::from_raw((40000 + static_cast<std::int64_t>(rng() % 200)) * inst.tick_size.raw() * 10);
      switch (rng() % 6) {
        case 0: case 1: case 2: t.on_trade_price(inst.id, px, now); break;
        case 3: t.on_quote({inst.id, px, Q("1"), px + inst.tick_size * static_cast<std::int64_t>(rng() % 3), Q("1"), now, now}); break;
        case 4: t.on_mark_price({inst.id, px, px, now, now}); break;
        case 5: {
          auto f = test::fill(inst, std::to_string(++trade), rng() % 2 ? Side::Buy : Side::Sell, "0.001", "40000");
          f.last_price = px;
          t.apply_fill(f);
          break;
        }
      }
      ++now;
      for (const Instrument* i : {&spot, &perp}) {
        const Position& p = *t.find(i->id);
        ASSERT_EQ(t.reference_price(i->id), t.prices().reference(i->id)) << to_string(source) << " step " << step;
        const auto want = t.prices().price(i->id, source);
        if (!want) continue;  // marked at the last fill until a price arrives
        ASSERT_EQ(p.mark_price(), want) << to_string(source) << " step " << step;
        ASSERT_EQ(p.mark_value(), i->notional_of(*want, p.quantity())) << to_string(source) << " step " << step;
      }
    }
  }
}

// The inline trade path (the instrument of the last lookup, prices stored, the trade is the source's price)
// and the general one agree: a repeated price changes no version, a non-positive one is ignored, an
// unregistered instrument in between only stores its price, and a mark price (Mark source, perpetual) or
// the Mid source keeps a trade from re-marking.
TEST(MarketEventPaths, TheInlineTradePathStoresAndReMarksAsTheGeneralOne) {
  for (PriceSource source : {PriceSource::Mark, PriceSource::Last, PriceSource::Mid}) {
    PositionTracker t(source);
    const Instrument spot = test::spot_btcusdt(), perp = test::perp_btcusdt(), other = test::spot_ethusdt();
    t.add_instrument(spot);
    t.add_instrument(perp);
    t.apply_fill(test::fill(spot, "1", Side::Buy, "0.5", "40000"));
    t.apply_fill(test::fill(perp, "2", Side::Sell, "0.5", "40000"));
    for (const Instrument* inst : {&spot, &perp}) {
      const std::string where = std::string(to_string(source)) + " " + inst->id.to_string();
      t.on_trade_price(inst->id, P("41000"), 10);
      t.on_trade_price(inst->id, P("42000"), 11);  // the inline path when it applies
      const TrackerVersion v = t.price_version();
      t.on_trade_price(inst->id, P("42000"), 12);  // the same price: nothing re-marked
      EXPECT_EQ(t.price_version(), v) << where;
      EXPECT_EQ(t.prices().find(inst->id)->last_ts_ns, 12) << where;
      t.on_trade_price(inst->id, Price::zero(), 13);
      EXPECT_EQ(t.price_version(), v) << where;
      EXPECT_EQ(t.prices().find(inst->id)->last, P("42000")) << where;
      t.on_trade_price(other.id, P("3000"), 14);  // unregistered: stored, nothing re-marked
      EXPECT_EQ(t.prices().find(other.id)->last, P("3000")) << where;
      t.on_trade_price(inst->id, P("43000"), 15);
      const Position& p = *t.find(inst->id);
      const auto want = t.prices().price(inst->id, source);
      ASSERT_TRUE(want.has_value()) << where;
      EXPECT_EQ(p.mark_price(), want) << where;
      EXPECT_EQ(p.mark_value(), inst->notional_of(*want, p.quantity())) << where;
      t.on_mark_price({inst->id, P("42500"), P("42500"), 16, 16});
      t.on_trade_price(inst->id, P("44000"), 17);  // a mark now exists: Mark keeps it
      const auto after = t.prices().price(inst->id, source);
      EXPECT_EQ(p.mark_price(), after) << where;
      EXPECT_EQ(p.mark_value(), inst->notional_of(*after, p.quantity())) << where;
      if (source == PriceSource::Mark) {
        EXPECT_EQ(p.mark_price(), P("42500")) << where;
      }
      if (source == PriceSource::Last) {
        EXPECT_EQ(p.mark_price(), P("44000")) << where;
      }
    }
  }
}

TEST(MarketEventPaths, TheReferencePriceThroughThePositionIsThePricesOne) {
  PositionTracker t;
  const Instrument spot = test::spot_btcusdt(), perp = test::perp_btcusdt(), other = test::spot_ethusdt();
  t.add_instrument(spot);
  t.add_instrument(perp);
  // Registered without a price, and not registered at all (with and without a price): the lookup's answer.
  EXPECT_EQ(t.reference_price(spot.id), std::nullopt);
  EXPECT_EQ(t.reference_price(other.id), std::nullopt);
  t.on_trade_price(other.id, P("2000"), 1);
  EXPECT_EQ(t.reference_price(other.id), P("2000"));
  // Perpetuals take the mark, spot the last trade, each falling back as prices().reference() does.
  t.on_quote({perp.id, P("99"), Q("1"), P("101"), Q("1"), 2, 2});
  EXPECT_EQ(t.reference_price(perp.id), t.prices().reference(perp.id));
  EXPECT_EQ(t.reference_price(perp.id), P("100"));
  t.on_trade_price(perp.id, P("102"), 3);
  EXPECT_EQ(t.reference_price(perp.id), P("102"));
  t.on_mark_price({perp.id, P("103"), P("103"), 4, 4});
  EXPECT_EQ(t.reference_price(perp.id), P("103"));
  t.on_mark_price({spot.id, P("50"), P("50"), 5, 5});
  EXPECT_EQ(t.reference_price(spot.id), t.prices().reference(spot.id));
  t.on_trade_price(spot.id, P("51"), 6);
  EXPECT_EQ(t.reference_price(spot.id), P("51"));
}

TEST(MarketEventPaths, ABaseBalanceIsValuedByItsPositionOnlyWhenItIsThePosition) {
  const Asset usdt = Asset::from("USDT"), btc = Asset::from("BTC");
  Instrument odd = test::spot_btcusdt();  // a spot market whose position values 0.01 BTC per unit
  odd.contract_multiplier = Q("0.01");
  for (const Instrument& inst : {test::spot_btcusdt(), odd}) {
    const bool unit = inst.contract_multiplier == Q("1");
    PositionTracker t;
    t.add_instrument(inst);
    Portfolio pf(t);
    t.set_balance(Venue::Binance, usdt, M("100000"));
    t.apply_fill(test::fill(inst, "1", Side::Buy, "0.5", "40000", "2"));
    ASSERT_EQ(t.balance(Venue::Binance, btc), M("0.5"));
    t.on_trade_price(inst.id, P("40001.23"), 1);
    // The balance is the position: 0.5 × 40001.23, the position's own mark value at a unit multiplier.
    const Money usdt_left = unit ? M("79998") : M("99798");  // 100000 − 0.5·40000·multiplier − 2
    EXPECT_EQ(pf.update(1).equity, usdt_left + M("20000.615"));
    t.on_trade_price(inst.id, P("39999.99"), 2);
    EXPECT_EQ(pf.update(2).equity, usdt_left + M("19999.995"));
    // A deposit: the balance is no longer the position, the product is computed.
    t.set_balance(Venue::Binance, btc, M("0.7"));
    t.on_trade_price(inst.id, P("40000.01"), 3);
    EXPECT_EQ(pf.update(3).equity, usdt_left + M("28000.007"));
    // The same price again after a ledger change: valued anew, not from the earlier balance.
    t.set_balance(Venue::Binance, btc, M("0.1"));
    EXPECT_EQ(pf.update(4).equity, usdt_left + M("4000.001"));
  }
}

TEST(MarketEventPaths, APriceThatLeavesTheEquityKeepsTheMarksButNotTheLeverage) {
  const Asset usdt = Asset::from("USDT"), btc = Asset::from("BTC");
  const Instrument inst = test::spot_btcusdt();
  PositionTracker t;
  t.add_instrument(inst);
  Portfolio pf(t);
  t.set_balance(Venue::Binance, usdt, M("1000"));
  t.apply_fill(test::fill(inst, "1", Side::Buy, "0.01", "40000"));
  t.set_balance(Venue::Binance, btc, Money::zero());  // withdrawn: the position is open, the equity holds no BTC
  t.on_trade_price(inst.id, P("40000"), 1);
  const PortfolioFigures& a = pf.update(1);
  EXPECT_EQ(a.equity, M("600"));
  EXPECT_EQ(a.gross_exposure, M("400"));
  EXPECT_EQ(a.leverage, Rate::from_raw(666'666'667));  // 400 / 600, up
  // The price moves the exposure only: the marks stay, the leverage follows the exposure.
  t.on_trade_price(inst.id, P("50000"), 2);
  pf.revalue(2);
  EXPECT_EQ(pf.values().ts_ns, 2);
  EXPECT_EQ(pf.values().equity, M("600"));
  EXPECT_EQ(pf.values().gross_exposure, M("500"));
  EXPECT_EQ(pf.values().peak_equity, M("600"));
  EXPECT_EQ(pf.values().drawdown, Money::zero());
  EXPECT_EQ(pf.figures().leverage, Rate::from_raw(833'333'334));  // 500 / 600, up
  EXPECT_EQ(pf.marks().last_equity, M("600"));
  // Not kept when the equity moves (the BTC is back), nor after a rebase changed the marks.
  t.set_balance(Venue::Binance, btc, M("0.01"));
  t.on_trade_price(inst.id, P("30000"), 3);
  EXPECT_EQ(pf.update(3).equity, M("900"));
  EXPECT_EQ(pf.values().peak_equity, M("900"));
  t.on_trade_price(inst.id, P("20000"), 4);
  EXPECT_EQ(pf.update(4).drawdown, M("100"));
  pf.restore_marks({true, M("2000"), pf.marks().day_start_ns, M("800"), M("800")});
  t.set_balance(Venue::Binance, btc, Money::zero());
  t.on_trade_price(inst.id, P("20000.01"), 5);
  const PortfolioFigures& b = pf.update(5);
  EXPECT_EQ(b.equity, M("600"));
  EXPECT_EQ(b.peak_equity, M("2000"));
  EXPECT_EQ(b.drawdown, M("1400"));
  EXPECT_EQ(b.daily_pnl, M("-200"));
}

// With every position flat and no balance priced by a mark, a price changes no valuation field: they are
// written once per ledger version. A balance a mark prices, an open position, a ledger change or a fixed
// price each value anew; every step equals the plain recompute.
TEST(MarketEventPaths, NothingPricedKeepsTheConstantValuation) {
  const Asset usdt = Asset::from("USDT"), btc = Asset::from("BTC"), usdc = Asset::from("USDC");
  const Instrument inst = test::spot_btcusdt();
  PositionTracker t;
  t.add_instrument(inst);
  Portfolio pf(t);
  test::ReferencePortfolio ref(t);
  UnixNanos now = 1;
  const auto step = [&](const char* price, const char* what) {
    t.on_trade_price(inst.id, P(price), now);
    const PortfolioFigures& a = pf.update(now);
    const PortfolioFigures& b = ref.update(now);
    EXPECT_EQ(a.equity, b.equity) << what;
    EXPECT_EQ(a.cash, b.cash) << what;
    EXPECT_EQ(a.gross_exposure, b.gross_exposure) << what;
    EXPECT_EQ(a.net_exposure, b.net_exposure) << what;
    EXPECT_EQ(a.unrealized_pnl, b.unrealized_pnl) << what;
    EXPECT_EQ(a.leverage, b.leverage) << what;
    EXPECT_EQ(a.unvalued_balances, b.unvalued_balances) << what;
    EXPECT_EQ(a.drawdown, b.drawdown) << what;
    EXPECT_EQ(a.daily_pnl, b.daily_pnl) << what;
    EXPECT_EQ(a.fills, b.fills) << what;
    EXPECT_EQ(a.valid, b.valid) << what;
    ++now;
    return a.equity;
  };
  t.set_balance(Venue::Binance, usdt, M("1000"));
  t.set_balance(Venue::Binance, usdc, M("5"));  // no price: unvalued, constant
  EXPECT_EQ(step("40000", "flat"), M("1000"));
  EXPECT_EQ(step("41000", "flat, moved"), M("1000"));
  pf.set_asset_price(usdc, P("1"));
  ref.fixed_prices[usdc] = P("1");
  EXPECT_EQ(step("42000", "fixed price"), M("1005"));
  t.set_balance(Venue::Binance, btc, M("0.01"));  // priced by the mark: not constant
  EXPECT_EQ(step("40000", "btc balance"), M("1405"));
  EXPECT_EQ(step("30000", "btc balance, moved"), M("1305"));
  t.set_balance(Venue::Binance, btc, Money::zero());
  EXPECT_EQ(step("30001", "btc gone"), M("1005"));
  t.apply_fill(test::fill(inst, "1", Side::Buy, "0.01", "30000"));  // open: not constant
  EXPECT_EQ(step("31000", "open"), M("1015"));
  EXPECT_EQ(step("32000", "open, moved"), M("1025"));
  t.apply_fill(test::fill(inst, "2", Side::Sell, "0.01", "32000"));  // flat again
  EXPECT_EQ(step("33000", "flat again"), M("1025"));
  EXPECT_EQ(step("34000", "flat again, moved"), M("1025"));
  // An open position whose base balance is it: one term for both. A second balance of the same amount on
  // another venue (priced by the same mark) stays a market term of its own; a balance that differs from
  // the position is valued as a product again.
  t.apply_fill(test::fill(inst, "3", Side::Buy, "0.02", "34000"));
  EXPECT_EQ(step("35000", "open with its balance"), M("1045"));
  t.set_balance(Venue::Bybit, btc, M("0.02"));
  EXPECT_EQ(step("36000", "and another venue's"), M("1785"));
  EXPECT_EQ(step("35000", "and another venue's, moved"), M("1745"));
  t.set_balance(Venue::Bybit, btc, Money::zero());
  t.set_balance(Venue::Binance, btc, M("0.019"));
  EXPECT_EQ(step("36000", "balance not the position"), M("1029"));
  EXPECT_EQ(step("36001", "balance not the position, moved"), M("1029.019"));
}

}  // namespace
}  // namespace tradingd
