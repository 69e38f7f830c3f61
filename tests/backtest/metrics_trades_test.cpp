// Every metric against a hand-computed case (the arithmetic is in the comments), and trade reconstruction
// with partial closes, scale-ins, flips, fee splits and contract multipliers — exact to the last unit.
#include <gtest/gtest.h>

#include <cmath>

#include "backtest/metrics.h"
#include "backtest/trades.h"

namespace tradingd::backtest {
namespace {

constexpr UnixNanos kT0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z (a UTC midnight)
constexpr std::int64_t kDay = kNanosPerDay;
constexpr std::int64_t kHour = 3600 * kNanosPerSecond;
const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

Money m(std::string_view s) { return Money::from_string(s); }
Price p(std::string_view s) { return Price::from_string(s); }
Quantity q(std::string_view s) { return Quantity::from_string(s); }

EquityPoint pt(UnixNanos t, std::string_view equity, std::string_view exposure = "0") {
  return EquityPoint{t, m(equity), m(equity), m(exposure)};
}

// ---- Metrics ----

// Daily closes 100, 110, 99, 118.8, 118.8: returns r = [+0.1, -0.1, +0.2, 0].
std::vector<EquityPoint> four_days() {
  return {pt(kT0, "100"), pt(kT0 + kDay, "110"), pt(kT0 + 2 * kDay, "99"), pt(kT0 + 3 * kDay, "118.8"),
          pt(kT0 + 4 * kDay, "118.8")};
}

TEST(Metrics, DailyReturns) {
  const auto r = daily_returns(four_days());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_NEAR(r[0], 0.1, 1e-12);
  EXPECT_NEAR(r[1], -0.1, 1e-12);
  EXPECT_NEAR(r[2], 0.2, 1e-12);
  EXPECT_NEAR(r[3], 0.0, 1e-12);
}

// Days without a sample repeat the last close; a sample exactly at midnight closes that day; samples that
// share a time count in order. Checked against the plain scan the bisection replaced.
TEST(Metrics, DailyReturnsAcrossGapsAndMidnightSamplesMatchALinearScan) {
  const std::vector<EquityPoint> eq{pt(kT0 + kHour, "100"),         pt(kT0 + kDay, "104"),  // at midnight
                                    pt(kT0 + kDay, "106"),          pt(kT0 + kDay + 1, "90"),
                                    pt(kT0 + 4 * kDay + kHour, "95"),  // three days without a sample
                                    pt(kT0 + 4 * kDay + kHour, "97"), pt(kT0 + 6 * kDay, "120"),
                                    pt(kT0 + 6 * kDay + 5 * kHour, "121")};
  std::vector<double> closes{100.0};
  std::size_t i = 0;
  for (UnixNanos b = kT0 + kDay; b < eq.back().ts_ns; b += kDay) {
    while (i + 1 < eq.size() && eq[i + 1].ts_ns <= b) ++i;
    closes.push_back(eq[i].equity.to_double());
  }
  closes.push_back(121.0);
  // Closes: 106 (day 1's last sample is the second at midnight), 90, 90, 90, 97, 120 (at midnight), 121.
  ASSERT_EQ(closes, (std::vector<double>{100, 106, 90, 90, 90, 97, 120, 121}));
  const auto r = daily_returns(eq);
  ASSERT_EQ(r.size(), closes.size() - 1);
  for (std::size_t k = 0; k < r.size(); ++k) EXPECT_EQ(r[k], closes[k + 1] / closes[k] - 1.0) << k;
}

TEST(Metrics, SharpeSortinoVolatilityByHand) {
  const std::vector<double> r{0.1, -0.1, 0.2, 0.0};
  // mean = 0.2 / 4 = 0.05. Deviations 0.05, -0.15, 0.15, -0.05; squares sum 0.0025+0.0225+0.0225+0.0025 = 0.05.
  // Sample variance 0.05 / 3 = 0.016667, stdev = 0.1290994. sqrt(365) = 19.1049732.
  // Sharpe = 0.05 / 0.1290994 * 19.1049732 = 0.3872983 * 19.1049732 = 7.3993243.
  EXPECT_NEAR(sharpe_ratio(r), 7.3993243, 1e-6);
  // Downside: only -0.1 -> sum of squares 0.01 over n = 4 -> 0.0025, deviation 0.05.
  // Sortino = 0.05 / 0.05 * 19.1049732 = 19.1049732.
  EXPECT_NEAR(sortino_ratio(r), 19.1049732, 1e-6);
  // Volatility = 0.1290994 * 19.1049732 = 2.4664414.
  EXPECT_NEAR(annualised_volatility(r), 2.4664414, 1e-6);
  // Undefined: one period, no dispersion, no downside.
  EXPECT_TRUE(std::isnan(sharpe_ratio(std::vector<double>{0.1})));
  EXPECT_TRUE(std::isnan(sharpe_ratio(std::vector<double>{0.1, 0.1})));
  EXPECT_TRUE(std::isnan(sortino_ratio(std::vector<double>{0.1, 0.2})));
}

TEST(Metrics, CagrByHand) {
  // 100 -> 121 over 730 days = 2 years: 1.21^(1/2) - 1 = 0.1.
  EXPECT_NEAR(cagr(100, 121, 730 * kDay), 0.1, 1e-12);
  // 100 -> 105 over half a year (182.5 days): 1.05^2 - 1 = 0.1025.
  EXPECT_NEAR(cagr(100, 105, 365 * kDay / 2), 0.1025, 1e-12);
  EXPECT_TRUE(std::isnan(cagr(100, 105, 0)));
  EXPECT_EQ(cagr(100, -5, kDay), -1.0);
}

TEST(Metrics, SummaryOfFourDays) {
  const auto eq = four_days();
  const PerformanceSummary s = compute_metrics({eq, {}, m("1.5"), m("-0.25")});
  EXPECT_EQ(s.start_equity, m("100"));
  EXPECT_EQ(s.end_equity, m("118.8"));
  EXPECT_EQ(s.net_pnl, m("18.8"));
  // Total return 118.8 / 100 - 1 = 0.188.
  EXPECT_NEAR(s.total_return, 0.188, 1e-12);
  // CAGR over 4 days: 1.188^(365/4) - 1 = exp(91.25 * ln 1.188) - 1 = exp(91.25 * 0.1722712) - 1 = 6714290.76.
  EXPECT_NEAR(s.cagr / 6714290.76, 1.0, 1e-8);
  // Peak 110 (day 1), trough 99 (day 2): 11 / 110 = 0.1; back at/above 110 on day 3: 2 days underwater.
  EXPECT_NEAR(s.max_drawdown, 0.1, 1e-12);
  EXPECT_EQ(s.max_drawdown_amount, m("11"));
  EXPECT_EQ(s.max_drawdown_peak_ns, kT0 + kDay);
  EXPECT_EQ(s.max_drawdown_trough_ns, kT0 + 2 * kDay);
  EXPECT_EQ(s.max_drawdown_duration_s, 2 * 86400);
  EXPECT_EQ(s.return_periods, 4);
  EXPECT_NEAR(s.sharpe, 7.3993243, 1e-6);
  EXPECT_NEAR(s.sortino, 19.1049732, 1e-6);
  EXPECT_NEAR(s.volatility, 2.4664414, 1e-6);
  EXPECT_EQ(s.fees_paid, m("1.5"));
  EXPECT_EQ(s.funding_paid, m("-0.25"));
  EXPECT_EQ(s.exposure_pct, 0.0);
  EXPECT_EQ(s.trades, 0);
  EXPECT_TRUE(std::isnan(s.win_rate));
  EXPECT_TRUE(std::isnan(s.profit_factor));
}

TEST(Metrics, IntradaySamplesAreResampledToUtcMidnights) {
  // Day 1: 100 at 00:00, 120 at 12:00, 105 at 23:00. Day 2: 90 at 06:00, 99 at 24:00 (the end).
  // Closes: start 100, midnight 105, end 99 -> r = [105/100 - 1, 99/105 - 1] = [0.05, -0.0571429].
  // Drawdown uses every sample: peak 120, trough 90 -> 30 / 120 = 0.25, and never recovers:
  // underwater from 12:00 on day 1 to the end (day 2 24:00) = 36 h.
  const std::vector<EquityPoint> eq{pt(kT0, "100"), pt(kT0 + 12 * kHour, "120"), pt(kT0 + 23 * kHour, "105"),
                                    pt(kT0 + 30 * kHour, "90"), pt(kT0 + 48 * kHour, "99")};
  const auto r = daily_returns(eq);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r[0], 0.05, 1e-12);
  EXPECT_NEAR(r[1], 99.0 / 105.0 - 1.0, 1e-12);
  const auto s = compute_metrics({eq, {}, {}, {}});
  EXPECT_NEAR(s.max_drawdown, 0.25, 1e-12);
  EXPECT_EQ(s.max_drawdown_duration_s, 36 * 3600);
  EXPECT_EQ(s.max_drawdown_trough_ns, kT0 + 30 * kHour);
}

TEST(Metrics, ExposureIsTimeWeighted) {
  // Exposure 0 on [0, 1d), 500 on [1d, 3d), 0 on [3d, 4d): 2 of 4 days = 50 %.
  const std::vector<EquityPoint> eq{pt(kT0, "100"), pt(kT0 + kDay, "100", "500"), pt(kT0 + 2 * kDay, "100", "500"),
                                    pt(kT0 + 3 * kDay, "100"), pt(kT0 + 4 * kDay, "100")};
  EXPECT_NEAR(compute_metrics({eq, {}, {}, {}}).exposure_pct, 50.0, 1e-12);
}

RoundTripTrade closed_trade(std::string_view gross, std::string_view fees) {
  RoundTripTrade t;
  t.instrument = kBtc;
  t.gross_pnl = m(gross);
  t.fees = m(fees);
  t.closed = true;
  return t;
}

TEST(Metrics, TradeStatisticsByHand) {
  // Net PnL: +30, -10, +20, 0, -5 (gross minus fees), and an open trade that must not count.
  std::vector<RoundTripTrade> trades{closed_trade("31", "1"), closed_trade("-9", "1"), closed_trade("21", "1"),
                                     closed_trade("1", "1"),  closed_trade("-4", "1"), closed_trade("1000", "0")};
  trades.back().closed = false;
  const auto s = compute_metrics({{}, trades, {}, {}});
  EXPECT_EQ(s.trades, 5);
  EXPECT_EQ(s.wins, 2);
  EXPECT_EQ(s.losses, 2);
  EXPECT_DOUBLE_EQ(s.win_rate, 0.4);   // 2 / 5
  EXPECT_EQ(s.gross_profit, m("50"));  // 30 + 20
  EXPECT_EQ(s.gross_loss, m("-15"));   // -10 - 5
  EXPECT_NEAR(s.profit_factor, 50.0 / 15.0, 1e-12);
  EXPECT_EQ(s.avg_win, m("25"));     // 50 / 2
  EXPECT_EQ(s.avg_loss, m("-7.5"));  // -15 / 2
  EXPECT_EQ(s.largest_win, m("30"));
  EXPECT_EQ(s.largest_loss, m("-10"));
  // Avg of 3 wins 1, 1, 1.000000001 would round: 3.000000001 / 3 = 1.000000000333 -> 1 (nearest 1e-9).
  const auto r = compute_metrics(
      {{},
       std::vector<RoundTripTrade>{closed_trade("2", "1"), closed_trade("2", "1"), closed_trade("2.000000001", "1")},
       {},
       {}});
  EXPECT_EQ(r.avg_win, m("1"));
  EXPECT_TRUE(std::isnan(r.profit_factor));  // no losses
}

TEST(Metrics, MetricLookupByName) {
  const auto s = compute_metrics({four_days(), {}, {}, {}});
  EXPECT_NEAR(metric_value(s, "sharpe"), 7.3993243, 1e-6);
  EXPECT_NEAR(metric_value(s, "max_drawdown"), 0.1, 1e-12);
  EXPECT_TRUE(is_metric_name("sortino"));
  EXPECT_FALSE(is_metric_name("sharp"));
  EXPECT_TRUE(std::isnan(metric_value(s, "sharp")));
  EXPECT_FALSE(metric_higher_is_better("max_drawdown"));
  EXPECT_TRUE(metric_higher_is_better("total_return"));
}

// ---- Trade reconstruction ----

FillRecord fill(UnixNanos t, Side side, std::string_view qty, std::string_view price, std::string_view fee,
                OrderType type = OrderType::Market, const InstrumentId& id = kBtc) {
  FillRecord f;
  f.ts_ns = t;
  f.instrument = id;
  f.side = side;
  f.quantity = q(qty);
  f.price = p(price);
  f.fee = m(fee);
  f.order_type = type;
  return f;
}

TEST(Trades, OpenAndCloseOnce) {
  // Long 0.5 @ 100 (fee 0.05), sell 0.5 @ 110 (fee 0.055): gross 0.5 * 10 = 5, fees 0.105, net 4.895.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "0.5", "100", "0.05", OrderType::Limit),
                                      fill(kT0 + kHour, Side::Sell, "0.5", "110", "0.055")};
  const auto t = reconstruct_trades(fills);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].side, PositionSide::Long);
  EXPECT_EQ(t[0].entry_ts_ns, kT0);
  EXPECT_EQ(t[0].exit_ts_ns, kT0 + kHour);
  EXPECT_EQ(t[0].quantity, q("0.5"));
  EXPECT_EQ(t[0].entry_price, p("100"));
  EXPECT_EQ(t[0].exit_price, p("110"));
  EXPECT_EQ(t[0].gross_pnl, m("5"));
  EXPECT_EQ(t[0].fees, m("0.105"));
  EXPECT_EQ(t[0].net_pnl(), m("4.895"));
  EXPECT_EQ(t[0].entry_order_type, OrderType::Limit);
  EXPECT_EQ(t[0].exit_order_type, OrderType::Market);
  EXPECT_EQ(t[0].fill_count, 2);
  EXPECT_TRUE(t[0].closed);
}

TEST(Trades, PartialClosesStayInOneTrade) {
  // Long 1 @ 100 (fee 0.1); sell 0.4 @ 110 (fee 0.044): +0.4 * 10 = +4; sell 0.6 @ 90 (fee 0.054): -0.6 * 10 = -6.
  // Gross -2, fees 0.198, net -2.198; exit VWAP (44 + 54) / 1 = 98.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "1", "100", "0.1"),
                                      fill(kT0 + 1, Side::Sell, "0.4", "110", "0.044"),
                                      fill(kT0 + 2, Side::Sell, "0.6", "90", "0.054")};
  const auto t = reconstruct_trades(fills);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].gross_pnl, m("-2"));
  EXPECT_EQ(t[0].fees, m("0.198"));
  EXPECT_EQ(t[0].net_pnl(), m("-2.198"));
  EXPECT_EQ(t[0].exit_price, p("98"));
  EXPECT_EQ(t[0].exited_quantity, q("1"));
  EXPECT_EQ(t[0].exit_ts_ns, kT0 + 2);
}

TEST(Trades, ScaleInAndOutAtAverageCost) {
  // Buy 1 @ 100, buy 1 @ 110 (cost 210, avg 105); sell 1 @ 120: releases 105 -> +15;
  // buy 1 @ 90 (cost 105 + 90 = 195); sell 2 @ 100: releases 195 -> 200 - 195 = +5. Gross 20
  // = total exits 320 - total entries 300. Entry VWAP 300 / 3 = 100; exit VWAP 320 / 3 = 106.666666667.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "1", "100", "0"), fill(kT0 + 1, Side::Buy, "1", "110", "0"),
                                      fill(kT0 + 2, Side::Sell, "1", "120", "0"),
                                      fill(kT0 + 3, Side::Buy, "1", "90", "0"),
                                      fill(kT0 + 4, Side::Sell, "2", "100", "0")};
  const auto t = reconstruct_trades(fills);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].gross_pnl, m("20"));
  EXPECT_EQ(t[0].quantity, q("3"));
  EXPECT_EQ(t[0].max_position, q("2"));
  EXPECT_EQ(t[0].entry_price, p("100"));
  EXPECT_EQ(t[0].exit_price, p("106.666666667"));
  EXPECT_EQ(t[0].fill_count, 5);
}

TEST(Trades, FlipClosesAndReopensWithTheFeeSplitProRata) {
  // Long 1 @ 100 (fee 0.1). Sell 3 @ 110 (fee 0.33): 1 closes (fee 0.33 * 1/3 = 0.11), 2 open a short
  // (fee 0.22). Trade 1: gross +10, fees 0.21, net 9.79. Buy 2 @ 100 (fee 0.2): short gross 2 * 10 = +20,
  // fees 0.42, net 19.58.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "1", "100", "0.1"),
                                      fill(kT0 + kHour, Side::Sell, "3", "110", "0.33", OrderType::StopMarket),
                                      fill(kT0 + 2 * kHour, Side::Buy, "2", "100", "0.2", OrderType::Limit)};
  const auto t = reconstruct_trades(fills);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].side, PositionSide::Long);
  EXPECT_EQ(t[0].gross_pnl, m("10"));
  EXPECT_EQ(t[0].fees, m("0.21"));
  EXPECT_EQ(t[0].exit_order_type, OrderType::StopMarket);
  EXPECT_EQ(t[1].side, PositionSide::Short);
  EXPECT_EQ(t[1].entry_ts_ns, kT0 + kHour);
  EXPECT_EQ(t[1].entry_order_type, OrderType::StopMarket);
  EXPECT_EQ(t[1].quantity, q("2"));
  EXPECT_EQ(t[1].entry_price, p("110"));
  EXPECT_EQ(t[1].exit_price, p("100"));
  EXPECT_EQ(t[1].gross_pnl, m("20"));
  EXPECT_EQ(t[1].fees, m("0.42"));
  EXPECT_EQ(t[1].net_pnl(), m("19.58"));
  // Fees are conserved: 0.1 + 0.33 + 0.2 = 0.63 = 0.21 + 0.42.
  EXPECT_EQ(t[0].fees + t[1].fees, m("0.63"));
}

TEST(Trades, UnevenFeeSplitRoundsOnceAndConserves) {
  // Long 3 @ 10; sell 7 @ 10 with fee 0.000000001 (1e-9): the close share 3/7 of 1e-9 rounds to 0, the
  // short keeps the whole 1e-9. Nothing is lost.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "3", "10", "0"),
                                      fill(kT0 + 1, Side::Sell, "7", "10", "0.000000001")};
  const auto t = reconstruct_trades(fills, {}, /*include_open=*/true);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].fees + t[1].fees, m("0.000000001"));
  EXPECT_FALSE(t[1].closed);
  EXPECT_EQ(t[1].quantity, q("4"));
  EXPECT_EQ(t[1].side, PositionSide::Short);
}

TEST(Trades, PartialCloseWithAnUnevenCostSplit) {
  // Buy 3 @ 10.000000001 (cost 30.000000003); sell 1 @ 11: releases 30.000000003 / 3 = 10.000000001 exactly
  // -> +0.999999999; sell 2 @ 9: releases the remaining 20.000000002 -> 18 - 20.000000002 = -2.000000002.
  // Gross -1.000000003 = exits (11 + 18) - entries 30.000000003.
  const std::vector<FillRecord> fills{fill(kT0, Side::Buy, "3", "10.000000001", "0"),
                                      fill(kT0 + 1, Side::Sell, "1", "11", "0"),
                                      fill(kT0 + 2, Side::Sell, "2", "9", "0")};
  const auto t = reconstruct_trades(fills);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].gross_pnl, m("-1.000000003"));
}

TEST(Trades, InstrumentsAreIndependentAndClosedInFillOrder) {
  const InstrumentId eth{Venue::Okx, MarketKind::LinearPerp, Symbol::from("ETH-USDT-SWAP")};
  // ETH swaps count in contracts of 0.1 ETH: short 10 contracts @ 2000, buy back @ 1900:
  // gross 10 * 100 * 0.1 = 100.
  const std::vector<FillRecord> fills{
      fill(kT0, Side::Buy, "1", "100", "0"), fill(kT0 + 1, Side::Sell, "10", "2000", "0", OrderType::Market, eth),
      fill(kT0 + 2, Side::Buy, "10", "1900", "0", OrderType::Market, eth), fill(kT0 + 3, Side::Sell, "1", "90", "0")};
  const auto t = reconstruct_trades(fills, {{eth, q("0.1")}});
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].instrument, eth);
  EXPECT_EQ(t[0].gross_pnl, m("100"));
  EXPECT_EQ(t[0].entry_price, p("2000"));
  EXPECT_EQ(t[1].instrument, kBtc);
  EXPECT_EQ(t[1].gross_pnl, m("-10"));
}

TEST(Trades, OpenTradeSnapshot) {
  TradeBuilder b(kBtc);
  std::vector<RoundTripTrade> closed;
  b.apply(fill(kT0, Side::Sell, "2", "50", "0.1"), closed);
  b.apply(fill(kT0 + 1, Side::Buy, "0.5", "40", "0.02"), closed);
  EXPECT_TRUE(closed.empty());
  EXPECT_EQ(b.position(), q("-1.5"));
  const auto open = b.open_trade();
  ASSERT_TRUE(open);
  EXPECT_FALSE(open->closed);
  EXPECT_EQ(open->side, PositionSide::Short);
  EXPECT_EQ(open->gross_pnl, m("5"));  // 0.5 * (50 - 40)
  EXPECT_EQ(open->fees, m("0.12"));
  EXPECT_EQ(open->exit_ts_ns, 0);
  b.apply(fill(kT0 + 2, Side::Buy, "1.5", "50", "0"), closed);
  EXPECT_FALSE(b.open_trade());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].gross_pnl, m("5"));
}

}  // namespace
}  // namespace tradingd::backtest
