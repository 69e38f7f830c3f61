// Portfolio figures: equity from balances and perpetual PnL, exposure and leverage, peak and drawdown,
// the UTC day rollover of the daily PnL, persisted marks, and the snapshot rows.
#include "portfolio/portfolio.h"

#include <gtest/gtest.h>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::fill;
using test::M;
using test::P;
using test::Q;
using test::R;

const Asset kUsdt = Asset::from("USDT");
constexpr UnixNanos kDay = kNanosPerDay;
constexpr UnixNanos kHour = 3600 * kNanosPerSecond;
// 2024-03-10T00:00:00Z
constexpr UnixNanos kMidnight = 19792 * kDay;

struct Fixture {
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  Instrument spot = test::spot_btcusdt();
  Instrument perp = test::perp_btcusdt();
  Fixture() {
    tracker.add_instrument(spot);
    tracker.add_instrument(perp, {5, R("0.005")});
    tracker.set_balance(Venue::Binance, kUsdt, M("10000"));
    tracker.set_balance(Venue::Bybit, kUsdt, M("10000"));
  }
  void mark(const Instrument& i, const char* price) {
    if (i.is_perpetual()) tracker.on_mark_price({i.id, P(price), P(price), 0, 0});
    else tracker.on_trade({i.id, P(price), Q("1"), Side::Buy, TradeId::from("m"), 0, 0});
  }
};

TEST(Portfolio, EquityExposureAndLeverage) {
  Fixture fx;
  const PortfolioFigures f0 = fx.portfolio.update(kMidnight);  // a copy: update() overwrites
  EXPECT_TRUE(f0.valid);
  EXPECT_EQ(f0.equity, M("20000"));
  EXPECT_EQ(f0.cash, M("20000"));
  // Spot: buy 0.1 BTC @ 50000 (fee 5 USDT). Perp: short 0.2 BTC @ 50000 (fee 5.5).
  fx.tracker.apply_fill(fill(fx.spot, "s1", Side::Buy, "0.1", "50000", "5"));
  fx.tracker.apply_fill(fill(fx.perp, "p1", Side::Sell, "0.2", "50000", "5.5"));
  fx.mark(fx.spot, "51000");
  fx.mark(fx.perp, "51000");
  const auto& f = fx.portfolio.update(kMidnight + kHour);
  // Binance: USDT 10000 − 5000 − 5 = 4995, BTC 0.1 · 51000 = 5100 → 10095.
  // Bybit: wallet 10000 − 5.5 = 9994.5, unrealized −0.2 · (51000 − 50000) = −200 → 9794.5.
  EXPECT_EQ(f.cash, M("14989.5"));
  EXPECT_EQ(f.equity, M("19889.5"));
  EXPECT_EQ(f.unrealized_pnl, M("-100"));  // spot +100, perp −200
  EXPECT_EQ(f.fees, M("10.5"));
  // Exposure: spot 5100 long, perp 10200 short.
  EXPECT_EQ(f.gross_exposure, M("15300"));
  EXPECT_EQ(f.net_exposure, M("-5100"));
  // Leverage = 15300 / 19889.5 = 0.7692501068… → rounded up at 1e-9.
  EXPECT_EQ(f.leverage, R("0.769250107"));
  EXPECT_EQ(f.open_positions, 2u);
  EXPECT_EQ(f.fills, 2u);
  EXPECT_EQ(f.unvalued_balances, 0u);
  // equity change = realized + unrealized − fees − funding = 0 − 100 − 10.5 − 0.
  EXPECT_EQ(f.equity - f0.equity, f.realized_pnl + f.unrealized_pnl - f.fees - f.funding);
}

// revalue() leaves the three ratios to the first figures() read; a ratio that cannot be represented still
// invalidates the figures at once, as update() does.
TEST(Portfolio, RevalueLeavesTheRatiosToTheFirstRead) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  fx.mark(fx.perp, "10000");
  fx.portfolio.revalue(kMidnight);
  fx.mark(fx.perp, "9000");  // equity 19000 from a peak of 20000: 5% drawdown, −5% today
  fx.portfolio.revalue(kMidnight + 1);
  EXPECT_EQ(fx.portfolio.values().equity, M("19000"));
  EXPECT_EQ(fx.portfolio.values().drawdown, M("1000"));
  const PortfolioFigures& f = fx.portfolio.figures();
  EXPECT_EQ(f.drawdown_pct, R("5"));
  EXPECT_EQ(f.daily_pnl_pct, R("-5"));
  EXPECT_EQ(f.leverage, R("0.473684211"));  // 9000 / 19000, up

  // Equity of 1e-9 under a 9000 exposure: the leverage leaves the fixed-point range.
  fx.tracker.set_balance(Venue::Binance, kUsdt, Money::zero());
  fx.tracker.set_balance(Venue::Bybit, kUsdt, M("999.000000001"));
  fx.mark(fx.perp, "9001");  // unrealized −999; exposure 9001
  fx.portfolio.revalue(kMidnight + 2);
  EXPECT_FALSE(fx.portfolio.values().valid);
  EXPECT_FALSE(fx.portfolio.figures().valid);
  EXPECT_EQ(fx.portfolio.figures().leverage, Rate::zero());
  EXPECT_FALSE(fx.portfolio.update(kMidnight + 3).valid);
}

// A revalue with nothing changed only moves the time, but a tracker overflow (which moves no version)
// still invalidates the figures.
TEST(Portfolio, UnchangedRevalueStillSeesABrokenInvariant) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  fx.portfolio.revalue(kMidnight);
  fx.portfolio.revalue(kMidnight + 1);
  EXPECT_EQ(fx.portfolio.values().ts_ns, kMidnight + 1);
  EXPECT_TRUE(fx.portfolio.values().valid);
  EXPECT_EQ(fx.tracker.apply_fill(fill(fx.perp, "2", Side::Buy, "9000000000", "9000000000")), FillResult::Overflow);
  fx.portfolio.revalue(kMidnight + 2);
  EXPECT_FALSE(fx.portfolio.values().valid);
  EXPECT_FALSE(fx.portfolio.update(kMidnight + 3).valid);
}

TEST(Portfolio, PeakAndDrawdown) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  fx.mark(fx.perp, "10000");
  fx.portfolio.update(kMidnight);  // equity 20000
  fx.mark(fx.perp, "12000");
  EXPECT_EQ(fx.portfolio.update(kMidnight + 1).peak_equity, M("22000"));
  fx.mark(fx.perp, "9800");
  const auto& f = fx.portfolio.update(kMidnight + 2);
  // equity 19800; drawdown 22000 − 19800 = 2200 = 10% of the peak.
  EXPECT_EQ(f.equity, M("19800"));
  EXPECT_EQ(f.peak_equity, M("22000"));
  EXPECT_EQ(f.drawdown, M("2200"));
  EXPECT_EQ(f.drawdown_pct, R("10"));
  // Rebasing after a breaker reset measures from the current equity.
  fx.portfolio.rebase_peak();
  EXPECT_EQ(fx.portfolio.update(kMidnight + 3).drawdown, M("0"));
}

TEST(Portfolio, DailyPnlRollsOverAtUtcMidnight) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  fx.mark(fx.perp, "10000");
  fx.portfolio.update(kMidnight + 10 * kHour);  // the day starts at 20000
  fx.mark(fx.perp, "9700");
  auto f = fx.portfolio.update(kMidnight + 23 * kHour);
  EXPECT_EQ(f.daily_pnl, M("-300"));
  EXPECT_EQ(f.daily_pnl_pct, R("-1.5"));
  EXPECT_EQ(f.day_start_ns, kMidnight);
  // One nanosecond before midnight: still the same day.
  fx.mark(fx.perp, "9600");
  f = fx.portfolio.update(kMidnight + kDay - 1);
  EXPECT_EQ(f.daily_pnl, M("-400"));
  // The first update of the next day starts it from the last equity seen (19600), then applies the move.
  fx.mark(fx.perp, "9500");
  f = fx.portfolio.update(kMidnight + kDay);
  EXPECT_EQ(f.day_start_ns, kMidnight + kDay);
  EXPECT_EQ(f.day_start_equity, M("19600"));
  EXPECT_EQ(f.daily_pnl, M("-100"));
  // Skipping days (no update over a weekend) still rolls to the current day.
  f = fx.portfolio.update(kMidnight + 3 * kDay + kHour);
  EXPECT_EQ(f.day_start_ns, kMidnight + 3 * kDay);
  EXPECT_EQ(f.daily_pnl, M("0"));
}

TEST(Portfolio, TheDayTurnsOnlyForwardAndExactlyAtMidnight) {
  // The day of each update is kept between updates: times before 1970, a clock stepping back a day (the
  // later day is kept), then forward past the day it remembered.
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  const UnixNanos early = -2 * kDay;  // 1969-12-30
  const char* prices[] = {"10000", "10100", "10200", "10300", "10400", "10500", "10600"};
  const UnixNanos times[] = {early + kHour, early + kDay - 1, early + kDay, early + 1, early + kDay + 2 * kHour,
                             early + 2 * kDay, kMidnight};
  const UnixNanos want[] = {early, early, early + kDay, early + kDay, early + kDay, early + 2 * kDay, kMidnight};
  for (std::size_t i = 0; i < std::size(times); ++i) {
    fx.mark(fx.perp, prices[i]);  // the equity moves: the marks are redone each time
    EXPECT_EQ(fx.portfolio.update(times[i]).day_start_ns, want[i]) << i;
  }
}

TEST(Portfolio, MarksSurviveARestart) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "1", "10000"));
  fx.mark(fx.perp, "12000");
  fx.portfolio.update(kMidnight);
  fx.mark(fx.perp, "10000");
  fx.portfolio.update(kMidnight + kHour);
  const EquityMarks saved = fx.portfolio.marks();
  EXPECT_EQ(saved.peak_equity, M("22000"));

  // Journaled as one line.
  const std::string line = saved.encode();
  EXPECT_EQ(line, "v1;initialized=1;peak_equity=22000;day_start_ns=" + std::to_string(kMidnight) +
                      ";day_start_equity=22000;last_equity=20000");
  EXPECT_EQ(EquityMarks::decode(line), saved);
  EXPECT_EQ(EquityMarks::decode(EquityMarks{}.encode()), EquityMarks{});
  EXPECT_FALSE(EquityMarks::decode("v1;initialized=1;peak_equity=x;day_start_ns=0;day_start_equity=0;last_equity=0"));
  EXPECT_FALSE(EquityMarks::decode(line + ";extra=1"));
  EXPECT_FALSE(EquityMarks::decode(line.substr(0, 30)));

  // A restarted daemon rebuilds the same tracker; without the marks its peak would be today's equity.
  Fixture restarted;
  restarted.tracker.apply_fill(fill(restarted.perp, "1", Side::Buy, "1", "10000"));
  restarted.mark(restarted.perp, "10000");
  restarted.portfolio.restore_marks(*EquityMarks::decode(line));
  const auto& f = restarted.portfolio.update(kMidnight + 2 * kHour);
  EXPECT_EQ(f.peak_equity, M("22000"));
  EXPECT_EQ(f.drawdown, M("2000"));
  EXPECT_EQ(f.day_start_equity, M("22000"));
}

TEST(Portfolio, AssetsWithoutAPriceAreReportedNotGuessed) {
  Fixture fx;
  fx.tracker.set_balance(Venue::Binance, Asset::from("USDC"), M("500"));
  fx.tracker.set_balance(Venue::Binance, Asset::from("DOGE"), M("1000"));
  auto f = fx.portfolio.update(kMidnight);
  EXPECT_EQ(f.equity, M("20000"));
  EXPECT_EQ(f.unvalued_balances, 2u);
  fx.portfolio.set_asset_price(Asset::from("USDC"), P("1"));
  f = fx.portfolio.update(kMidnight);
  EXPECT_EQ(f.equity, M("20500"));
  EXPECT_EQ(f.unvalued_balances, 1u);
}

TEST(Portfolio, SnapshotHasOneRowPerRegisteredInstrument) {
  Fixture fx;
  fx.tracker.apply_fill(fill(fx.perp, "1", Side::Buy, "0.5", "20000", "1"));
  fx.mark(fx.perp, "21000");
  fx.portfolio.update(kMidnight);
  const auto s = fx.portfolio.snapshot();
  ASSERT_EQ(s.positions.size(), 2u);
  EXPECT_EQ(s.positions[0].instrument, fx.spot.id);
  const auto& p = s.positions[1];
  EXPECT_EQ(p.quantity, Q("0.5"));
  EXPECT_EQ(p.average_entry, P("20000"));
  EXPECT_EQ(p.mark, P("21000"));
  EXPECT_EQ(p.notional, M("10500"));
  EXPECT_EQ(p.unrealized_pnl, M("500"));
  EXPECT_EQ(p.net_pnl, M("499"));
  EXPECT_EQ(p.leverage, 5);
  EXPECT_EQ(p.initial_margin, M("2100"));
  EXPECT_EQ(p.maintenance_margin, M("52.5"));
  // 20000 · (1 − 1/5) / 0.995 = 16080.40201005025… → up.
  EXPECT_EQ(p.liquidation_price, P("16080.402010051"));
  ASSERT_EQ(s.balances.size(), 2u);
  EXPECT_EQ(s.balances[1].amount, M("9999"));
}

}  // namespace
}  // namespace tradingd
