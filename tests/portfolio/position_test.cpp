// Position accounting cases computed by hand (the arithmetic is in the comments): partial closes, flips
// long↔short, fees in quote vs base, funding, contract multipliers, margin and liquidation estimates.
#include "portfolio/position.h"

#include <gtest/gtest.h>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::M;
using test::P;
using test::Q;
using test::R;

PositionFill pf(Side side, const char* qty, const char* price, const char* fee = "0", const char* fee_base = "0") {
  PositionFill f;
  f.side = side;
  f.quantity = Q(qty);
  f.price = P(price);
  f.fee_quote = M(fee);
  f.fee_base = Q(fee_base);
  return f;
}

TEST(Position, PartialClosesAtAverageCost) {
  Position p(test::perp_btcusdt());
  // buy 2 @ 100, fee 0.2: Q = 2, C = 200, avg 100.
  auto e = p.apply_fill(pf(Side::Buy, "2", "100", "0.2"));
  EXPECT_EQ(e.realized_pnl, M("0"));
  EXPECT_EQ(p.average_entry_price(), P("100"));
  // buy 1 @ 130, fee 0.13: Q = 3, C = 330, avg = 330 / 3 = 110.
  p.apply_fill(pf(Side::Buy, "1", "130", "0.13"));
  EXPECT_EQ(p.quantity(), Q("3"));
  EXPECT_EQ(p.cost_basis(), M("330"));
  EXPECT_EQ(p.average_entry_price(), P("110"));
  // sell 1 @ 120, fee 0.12: removed = 330 · 1/3 = 110, realized = 120 − 110 = 10; Q = 2, C = 220, avg 110.
  e = p.apply_fill(pf(Side::Sell, "1", "120", "0.12"));
  EXPECT_EQ(e.realized_pnl, M("10"));
  EXPECT_EQ(p.quantity(), Q("2"));
  EXPECT_EQ(p.average_entry_price(), P("110"));
  // mark 115: unrealized = 2 · 115 − 220 = 10.
  p.mark(P("115"));
  EXPECT_EQ(p.unrealized_pnl(), M("10"));
  EXPECT_EQ(p.net_pnl(), M("10") + M("10") - M("0.45"));
  // sell 2 @ 105, fee 0.21: realized = 210 − 220 = −10; total realized 0; fees 0.2 + 0.13 + 0.12 + 0.21 = 0.66.
  e = p.apply_fill(pf(Side::Sell, "2", "105", "0.21"));
  EXPECT_EQ(e.realized_pnl, M("-10"));
  EXPECT_TRUE(e.round_trip_closed);
  EXPECT_TRUE(p.is_flat());
  EXPECT_EQ(p.realized_pnl(), M("0"));
  EXPECT_EQ(p.fees(), M("0.66"));
  EXPECT_EQ(p.unrealized_pnl(), M("0"));
  EXPECT_EQ(p.net_pnl(), M("-0.66"));
  // One round trip, net 0 − 0.66 < 0: a loss.
  EXPECT_EQ(p.round_trips(), 1u);
  EXPECT_EQ(p.losses(), 1u);
  EXPECT_EQ(p.wins(), 0u);
  EXPECT_EQ(p.fill_count(), 4u);
  EXPECT_FALSE(p.average_entry_price());
}

TEST(Position, FlipLongToShortAndBack) {
  Position p(test::perp_btcusdt());
  p.apply_fill(pf(Side::Buy, "1", "100"));  // Q = 1, C = 100
  // sell 3 @ 110, fee 0.33. Closing part 1 of 3: w_close = −330 · 1/3 = −110, removed 100,
  // realized = 110 − 100 = 10, closing fee share 0.11 → round trip net 9.89: a win.
  // Opening remainder: Q = −2, C = −330 − (−110) = −220, avg 110; the new trip starts with fee −0.22.
  auto e = p.apply_fill(pf(Side::Sell, "3", "110", "0.33"));
  EXPECT_EQ(e.realized_pnl, M("10"));
  EXPECT_TRUE(e.round_trip_closed);
  EXPECT_EQ(p.quantity(), Q("-2"));
  EXPECT_EQ(p.cost_basis(), M("-220"));
  EXPECT_EQ(p.average_entry_price(), P("110"));
  EXPECT_EQ(p.side(), Side::Sell);
  EXPECT_EQ(p.wins(), 1u);
  EXPECT_EQ(p.open_round_trip_pnl(), M("-0.22"));
  // mark 100: value −200, unrealized = −200 − (−220) = 20 (a short gains when the price falls).
  p.mark(P("100"));
  EXPECT_EQ(p.unrealized_pnl(), M("20"));
  // buy 5 @ 90: close 2: w_close = 450 · 2/5 = 180, removed −220, realized = −180 + 220 = 40 (short
  // round trip net 40 − 0.22 = 39.78: a win); open 3 long: C = 450 − 180 = 270, avg 90.
  e = p.apply_fill(pf(Side::Buy, "5", "90"));
  EXPECT_EQ(e.realized_pnl, M("40"));
  EXPECT_EQ(p.quantity(), Q("3"));
  EXPECT_EQ(p.average_entry_price(), P("90"));
  EXPECT_EQ(p.realized_pnl(), M("50"));
  EXPECT_EQ(p.wins(), 2u);
  EXPECT_EQ(p.round_trips(), 2u);
  // The mark (100) stays: unrealized = 300 − 270 = 30.
  EXPECT_EQ(p.unrealized_pnl(), M("30"));
}

TEST(Position, ProRataRoundingNeverLeaks) {
  Position p(test::perp_btcusdt());
  // buy 1 @ 1 and 2 @ 2: Q = 3, C = 5, avg = 5/3 = 1.666666667 (rounded to 1e-9).
  p.apply_fill(pf(Side::Buy, "1", "1"));
  p.apply_fill(pf(Side::Buy, "2", "2"));
  EXPECT_EQ(p.average_entry_price(), P("1.666666667"));
  // sell 1 @ 3: removed = 5 · 1/3 = 1.666666667 (nearest), realized = 3 − 1.666666667 = 1.333333333.
  auto e = p.apply_fill(pf(Side::Sell, "1", "3"));
  EXPECT_EQ(e.realized_pnl, M("1.333333333"));
  EXPECT_EQ(p.cost_basis(), M("3.333333333"));
  // sell 2 @ 3: the whole remaining basis goes, realized = 6 − 3.333333333 = 2.666666667.
  e = p.apply_fill(pf(Side::Sell, "2", "3"));
  EXPECT_EQ(e.realized_pnl, M("2.666666667"));
  // Total realized = 9 − 5 = 4 exactly: rounding moved a nanodollar between fills, never lost it.
  EXPECT_EQ(p.realized_pnl(), M("4"));
}

TEST(Position, SpotFeeInBaseReducesTheReceivedQuantity) {
  Position p(test::spot_btcusdt());
  // Binance spot buy 1 BTC @ 100 with fee 0.001 BTC: the position receives 0.999 BTC. The fee is worth
  // 0.001 · 100 = 0.1 USDT; the basis of what was received is 100 − 0.1 = 99.9, so avg = 99.9/0.999 = 100.
  auto e = p.apply_fill(pf(Side::Buy, "1", "100", "0", "0.001"));
  EXPECT_EQ(e.quantity_delta, Q("0.999"));
  EXPECT_EQ(e.trade_value, M("100"));  // the quote balance pays the full 100
  EXPECT_EQ(e.fee, M("0.1"));
  EXPECT_EQ(p.quantity(), Q("0.999"));
  EXPECT_EQ(p.cost_basis(), M("99.9"));
  EXPECT_EQ(p.average_entry_price(), P("100"));
  // sell 0.999 @ 110, fee 0.1% in USDT = 0.10989: realized = 109.89 − 99.9 = 9.99; fees 0.1 + 0.10989.
  e = p.apply_fill(pf(Side::Sell, "0.999", "110", "0.10989"));
  EXPECT_EQ(e.realized_pnl, M("9.99"));
  EXPECT_EQ(p.fees(), M("0.20989"));
  // Net 9.99 − 0.20989 = 9.78011 = the quote cash flow −100 + 109.89 − 0.10989.
  EXPECT_EQ(p.net_pnl(), M("9.78011"));
  EXPECT_EQ(p.wins(), 1u);
}

TEST(Position, SpotFeeInQuoteForComparison) {
  Position p(test::spot_btcusdt());
  // buy 1 @ 100, fee 0.1 USDT: Q = 1, C = 100. sell 1 @ 110, fee 0.11: realized 10, fees 0.21, net 9.79
  // = the quote cash flow −100 − 0.1 + 110 − 0.11.
  p.apply_fill(pf(Side::Buy, "1", "100", "0.1"));
  EXPECT_EQ(p.quantity(), Q("1"));
  EXPECT_EQ(p.cost_basis(), M("100"));
  p.apply_fill(pf(Side::Sell, "1", "110", "0.11"));
  EXPECT_EQ(p.realized_pnl(), M("10"));
  EXPECT_EQ(p.net_pnl(), M("9.79"));
}

TEST(Position, RebateIsANegativeFee) {
  Position p(test::perp_btcusdt());
  // Maker rebate of 0.01 on a buy of 1 @ 100, then sell @ 100 with no fee: net = +0.01, a win.
  p.apply_fill(pf(Side::Buy, "1", "100", "-0.01"));
  p.apply_fill(pf(Side::Sell, "1", "100"));
  EXPECT_EQ(p.fees(), M("-0.01"));
  EXPECT_EQ(p.net_pnl(), M("0.01"));
  EXPECT_EQ(p.wins(), 1u);
}

TEST(Position, FundingLongPaysShortReceives) {
  Position lng(test::perp_btcusdt());
  lng.apply_fill(pf(Side::Buy, "2", "100"));
  // Rate 0.0001 at mark 105: value 2 · 105 = 210, payment 210 · 0.0001 = 0.021 paid by the long.
  EXPECT_EQ(lng.apply_funding_rate(R("0.0001"), P("105")), M("0.021"));
  EXPECT_EQ(lng.funding(), M("0.021"));
  EXPECT_EQ(lng.net_pnl(), M("-0.021"));  // marked at the fill price 100: unrealized 0
  Position sht(test::perp_btcusdt());
  sht.apply_fill(pf(Side::Sell, "2", "100"));
  EXPECT_EQ(sht.apply_funding_rate(R("0.0001"), P("105")), M("-0.021"));
  // Funding while open counts in the round trip: close flat at 100 → net +0.021, a win.
  sht.apply_fill(pf(Side::Buy, "2", "100"));
  EXPECT_EQ(sht.wins(), 1u);
  // A negative rate reverses it; a venue-reported payment is taken as is.
  lng.apply_funding_payment(M("-0.5"));
  EXPECT_EQ(lng.funding(), M("-0.479"));
}

TEST(Position, OkxContractsUseTheMultiplier) {
  Position p(test::okx_btc_swap());
  // buy 100 contracts @ 60000, 0.01 BTC each: value 100 · 0.01 · 60000 = 60000, avg = 60000/(100·0.01).
  p.apply_fill(pf(Side::Buy, "100", "60000"));
  EXPECT_EQ(p.cost_basis(), M("60000"));
  EXPECT_EQ(p.average_entry_price(), P("60000"));
  // sell 40 @ 61000: removed 60000 · 40/100 = 24000, proceeds 40 · 0.01 · 61000 = 24400, realized 400.
  EXPECT_EQ(p.apply_fill(pf(Side::Sell, "40", "61000")).realized_pnl, M("400"));
  // mark 62000: 60 · 0.01 · 62000 = 37200 − 36000 = 1200 unrealized.
  p.mark(P("62000"));
  EXPECT_EQ(p.unrealized_pnl(), M("1200"));
  EXPECT_EQ(p.notional(), M("37200"));
}

TEST(Position, MarginAndLiquidationEstimates) {
  Position lng(test::perp_btcusdt(), PositionParams{10, R("0.005")});
  lng.apply_fill(pf(Side::Buy, "1", "100"));
  // notional 100: initial margin 100/10 = 10, maintenance 100 · 0.005 = 0.5.
  EXPECT_EQ(lng.initial_margin(), M("10"));
  EXPECT_EQ(lng.maintenance_margin(), M("0.5"));
  // long: P = 100 · (1 − 1/10) / (1 − 0.005) = 90 / 0.995 = 90.4522613065… → up: 90.452261307.
  // Check: margin 10 + (P − 100) = 0.452261307 ≈ maintenance 0.005 · P = 0.452261306.
  EXPECT_EQ(lng.liquidation_price(), P("90.452261307"));
  Position sht(test::perp_btcusdt(), PositionParams{10, R("0.005")});
  sht.apply_fill(pf(Side::Sell, "1", "100"));
  // short: P = 100 · 1.1 / 1.005 = 109.4527363184… → down: 109.452736318.
  EXPECT_EQ(sht.liquidation_price(), P("109.452736318"));
  // 1x long: the margin covers the whole entry price; no liquidation estimate.
  Position one(test::perp_btcusdt(), PositionParams{1, R("0.005")});
  one.apply_fill(pf(Side::Buy, "1", "100"));
  EXPECT_FALSE(one.liquidation_price());
  // Spot is fully funded.
  Position spot(test::spot_btcusdt());
  spot.apply_fill(pf(Side::Buy, "1", "100"));
  EXPECT_EQ(spot.initial_margin(), M("100"));
  EXPECT_EQ(spot.maintenance_margin(), M("0"));
  EXPECT_FALSE(spot.liquidation_price());
  // Leverage below 1 is clamped to 1.
  Position clamp(test::perp_btcusdt(), PositionParams{0, R("0.005")});
  EXPECT_EQ(clamp.params().leverage, 1);
}

// The observable state of a position, for comparing two ways of reaching it.
void expect_same(const Position& a, const Position& b) {
  EXPECT_EQ(a.quantity(), b.quantity());
  EXPECT_EQ(a.cost_basis(), b.cost_basis());
  EXPECT_EQ(a.realized_pnl(), b.realized_pnl());
  EXPECT_EQ(a.fees(), b.fees());
  EXPECT_EQ(a.mark_price(), b.mark_price());
  EXPECT_EQ(a.mark_value(), b.mark_value());
  EXPECT_EQ(a.fill_count(), b.fill_count());
  EXPECT_EQ(a.round_trips(), b.round_trips());
  EXPECT_EQ(a.open_round_trip_pnl(), b.open_round_trip_pnl());
}

TEST(Position, PrepareFillWithAMarkEqualsPrepareThenMark) {
  // Spot, perpetual and a multiplier; no mark yet, the fill price, another price and no price (0).
  for (const Instrument& inst : {test::spot_btcusdt(), test::perp_btcusdt(), test::okx_btc_swap()}) {
    for (const char* mark : {"0", "100", "101.5", "97.25"}) {
      for (bool marked_before : {false, true}) {
        Position base(inst);
        base.apply_fill(pf(Side::Buy, "2", "100", "0.2"));
        if (marked_before) base.mark(P("99"));
        for (const PositionFill& f : {pf(Side::Sell, "3", "100", "0.1"), pf(Side::Buy, "1", "102", "0", "0.001"),
                                      pf(Side::Sell, "2", "98")}) {
          Position two = base, one = base;
          auto steps = two.prepare_fill(f);
          if (P(mark).is_positive()) two.mark_prepared(steps, P(mark));
          two.commit(steps);
          const auto once = one.prepare_fill(f, P(mark));
          one.commit(once);
          expect_same(one, two);
          EXPECT_EQ(once.effect().realized_pnl, steps.effect().realized_pnl);
          EXPECT_EQ(once.effect().trade_value, steps.effect().trade_value);
          base = one;
        }
      }
    }
  }
}

TEST(Position, PrepareFillWithAMarkThrowsWhereTheTwoStepsDo) {
  // Marked at a huge price, a fill that grows the position: its value at that mark overflows, at the new
  // mark it would not. The two steps throw in prepare_fill; the one step throws too.
  Position p(test::perp_btcusdt());
  p.apply_fill(pf(Side::Buy, "1", "1"));
  p.mark(P("9000000000"));
  const PositionFill grow = pf(Side::Buy, "2", "1");
  EXPECT_THROW((void)p.prepare_fill(grow), FixedPointOverflow);
  EXPECT_THROW((void)p.prepare_fill(grow, P("1")), FixedPointOverflow);
  // A fill that closes it values zero at any mark: neither throws.
  const PositionFill close = pf(Side::Sell, "1", "1");
  Position two = p;
  auto steps = two.prepare_fill(close);
  two.mark_prepared(steps, P("1"));
  two.commit(steps);
  p.commit(p.prepare_fill(close, P("1")));
  expect_same(p, two);
}

TEST(Position, OverflowLeavesThePositionUntouched) {
  Position p(test::perp_btcusdt());
  p.apply_fill(pf(Side::Buy, "1", "100"));
  // 9e9 · 9e9 cannot be represented: the fill throws and nothing changes.
  PositionFill huge = pf(Side::Buy, "9000000000", "9000000000");
  EXPECT_THROW(p.apply_fill(huge), FixedPointOverflow);
  EXPECT_EQ(p.quantity(), Q("1"));
  EXPECT_EQ(p.cost_basis(), M("100"));
  EXPECT_EQ(p.fill_count(), 1u);
}

}  // namespace
}  // namespace tradingd
