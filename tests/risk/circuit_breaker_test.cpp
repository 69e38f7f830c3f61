// Circuit breaker: every trip condition at and around its threshold (including the UTC day rollover of the
// daily loss), cooldown and explicit reset, auto re-arm, and the journaled state that a restart restores.
#include "risk/circuit_breaker.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::fill;
using test::M;
using test::P;
using test::Q;
using test::R;

constexpr UnixNanos kS = kNanosPerSecond;
constexpr UnixNanos kMidnight = 19792 * kNanosPerDay;  // 2024-03-10T00:00:00Z

PortfolioFigures figures(const char* equity, const char* peak, const char* day_start) {
  PortfolioFigures f;
  f.computed = true;
  f.valid = true;
  f.equity = M(equity);
  f.peak_equity = M(peak);
  f.drawdown = f.peak_equity - f.equity;
  f.day_start_equity = M(day_start);
  f.daily_pnl = f.equity - f.day_start_equity;
  return f;
}

config::RiskConfig cfg() {
  config::RiskConfig c;  // defaults: drawdown 10%, daily loss 2%, 5 rejects, 30 s stale, 60 s disconnect
  c.breaker_cooldown_s = 300;
  return c;
}

TEST(CircuitBreaker, DrawdownAtExactlyTheLimit) {
  CircuitBreaker b(cfg());
  EXPECT_FALSE(b.on_portfolio(figures("9000.01", "10000", "9000.01"), 1));  // 9.9999%
  auto e = b.on_portfolio(figures("9000", "10000", "9000"), 2);             // 10%: ≥ trips
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::Drawdown);
  EXPECT_EQ(e->detail, "drawdown 10% from peak 10000 >= max_drawdown_pct 10");
  EXPECT_EQ(b.trading_state(), TradingState::Reducing);
  EXPECT_EQ(b.state().tripped_at_ns, 2);
}

TEST(CircuitBreaker, DrawdownLimitIsExactForEveryPeakToTheLastUnit) {
  // 7.5% of 3333.333333333 is 249.999999999975: a drawdown of 249.999999999 stays under it, 250 reaches it.
  // The peaks alternate, so a bound kept for one peak must never answer for another.
  config::RiskConfig c = cfg();
  c.max_drawdown_pct = R("7.5");
  c.daily_loss_limit_pct = R("0");
  CircuitBreaker b(c);
  EXPECT_FALSE(b.on_portfolio(figures("3083.333333334", "3333.333333333", "3083.333333334"), 1));
  EXPECT_TRUE(b.at_rest(figures("3083.333333334", "3333.333333333", "3083.333333334"), PositionTracker{}, 1));
  EXPECT_FALSE(b.on_portfolio(figures("9250.000000001", "10000", "9250.000000001"), 2));  // 7.4999999999%
  EXPECT_FALSE(b.at_rest(figures("3083.333333333", "3333.333333333", "3083.333333333"), PositionTracker{}, 3));
  EXPECT_FALSE(b.at_rest(figures("9250", "10000", "9250"), PositionTracker{}, 3));
  auto e = b.on_portfolio(figures("9250", "10000", "9250"), 4);  // exactly 7.5%
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::Drawdown);
}

TEST(CircuitBreaker, DailyLossLimitIsExactForEveryDayStart) {
  config::RiskConfig c = cfg();
  c.max_drawdown_pct = R("0");
  c.daily_loss_limit_pct = R("1.5");
  CircuitBreaker b(c);
  // 1.5% of 6666.666666667 is 100.000000000005: a loss of 100 stays under it, 100.000000001 reaches it.
  EXPECT_FALSE(b.on_portfolio(figures("6566.666666667", "6666.666666667", "6666.666666667"), 1));
  EXPECT_FALSE(b.on_portfolio(figures("19700.000000001", "20000", "20000"), 2));  // 299.999999999 of 300
  EXPECT_FALSE(b.at_rest(figures("6566.666666666", "6666.666666667", "6666.666666667"), PositionTracker{}, 3));
  auto e = b.on_portfolio(figures("19700", "20000", "20000"), 4);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::DailyLoss);
}

TEST(CircuitBreaker, DailyLossAtTheLimit) {
  CircuitBreaker b(cfg());
  EXPECT_FALSE(b.on_portfolio(figures("9801", "10000", "10000"), 1));  // −1.99%
  auto e = b.on_portfolio(figures("9800", "10000", "10000"), 2);       // −2%
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::DailyLoss);
  // The detail is built only on the trip; its text is what operators and the journal read.
  EXPECT_EQ(e->detail, "daily loss 200 (2% of 10000) >= daily_loss_limit_pct 2");
}

TEST(CircuitBreaker, DailyLossRollsOverAtUtcMidnight) {
  // Through a real Portfolio: a 1.5% loss late on day 1 and another 1.5% early on day 2 never reach 2% of
  // either day's start; the same 3% within one day would have tripped.
  PositionTracker tracker;
  Portfolio portfolio(tracker);
  const Instrument perp = test::perp_btcusdt();
  tracker.add_instrument(perp);
  tracker.set_balance(Venue::Bybit, Asset::from("USDT"), M("100000"));
  tracker.apply_fill(fill(perp, "1", Side::Buy, "10", "10000"));
  auto mark = [&](const char* px) { tracker.on_mark_price({perp.id, P(px), P(px), 0, 0}); };
  CircuitBreaker b(cfg());
  mark("10000");
  EXPECT_FALSE(b.on_portfolio(portfolio.update(kMidnight + 1 * 3600 * kS), kMidnight + 1 * 3600 * kS));
  mark("9850");  // −1500 = −1.5% of 100000
  EXPECT_FALSE(b.on_portfolio(portfolio.update(kMidnight + 23 * 3600 * kS), kMidnight + 23 * 3600 * kS));
  mark("9702");  // day 2 starts at 98500; −1480 = −1.5025%
  const UnixNanos day2 = kMidnight + kNanosPerDay + 3600 * kS;
  EXPECT_FALSE(b.on_portfolio(portfolio.update(day2), day2));
  EXPECT_EQ(portfolio.figures().day_start_equity, M("98500"));
  mark("9650");  // −2000 from 98500 = −2.03%: trips
  auto e = b.on_portfolio(portfolio.update(day2 + 1), day2 + 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::DailyLoss);
}

TEST(CircuitBreaker, ConsecutiveRejects) {
  CircuitBreaker b(cfg());
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(b.on_order_rejected(i));
  b.on_order_accepted();  // the run is broken
  EXPECT_EQ(b.state().consecutive_rejects, 0u);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(b.on_order_rejected(10 + i));
  auto e = b.on_order_rejected(20);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::ConsecutiveRejects);
}

TEST(CircuitBreaker, StaleMarketDataOnlyWithExposure) {
  PositionTracker tracker;
  const Instrument btc = test::perp_btcusdt();
  const Instrument eth = test::perp_named("ETHUSDT");
  tracker.add_instrument(btc);
  tracker.add_instrument(eth);
  tracker.on_mark_price({btc.id, P("50000"), P("50000"), 100 * kS, 100 * kS});
  tracker.on_mark_price({eth.id, P("2500"), P("2500"), 100 * kS, 100 * kS});
  CircuitBreaker b(cfg());
  // No exposure: stale data does not matter.
  EXPECT_FALSE(b.check_market_data(tracker, 1000 * kS));
  tracker.apply_fill(fill(btc, "1", Side::Buy, "0.1", "50000", "0", "", 900 * kS));
  tracker.on_mark_price({btc.id, P("50000"), P("50000"), 1000 * kS, 1000 * kS});
  EXPECT_FALSE(b.check_market_data(tracker, 1030 * kS));  // exactly 30 s: not more than 30
  auto e = b.check_market_data(tracker, 1030 * kS + 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::StaleMarketData);
  EXPECT_EQ(e->detail, "market data for bybit:linear_perp:BTCUSDT (open position 0.1) stale for 30 s > stale_market_data_s 30");
}

TEST(CircuitBreaker, StaleDetailNamesTheStalePositionNotTheFirst) {
  PositionTracker tracker;
  const Instrument btc = test::perp_btcusdt();
  const Instrument eth = test::perp_named("ETHUSDT");
  tracker.add_instrument(btc);
  tracker.add_instrument(eth);
  tracker.apply_fill(fill(btc, "1", Side::Buy, "0.1", "50000", "0", "", 900 * kS));
  tracker.apply_fill(fill(eth, "2", Side::Sell, "2", "2500", "0", "", 900 * kS));
  tracker.on_mark_price({btc.id, P("50000"), P("50000"), 1000 * kS, 1000 * kS});
  tracker.on_mark_price({eth.id, P("2500"), P("2500"), 950 * kS, 950 * kS});
  CircuitBreaker b(cfg());
  auto e = b.check_market_data(tracker, 990 * kS);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->detail, "market data for bybit:linear_perp:ETHUSDT (open position -2) stale for 40 s > stale_market_data_s 30");
}

TEST(CircuitBreaker, VenueDisconnectedTooLong) {
  CircuitBreaker b(cfg());
  b.on_venue_connection(Venue::Okx, false, 10 * kS);
  b.on_venue_connection(Venue::Okx, false, 40 * kS);  // a repeated report does not restart the clock
  EXPECT_FALSE(b.check_venues(70 * kS));
  b.on_venue_connection(Venue::Okx, true, 65 * kS);
  EXPECT_FALSE(b.check_venues(200 * kS));
  b.on_venue_connection(Venue::Okx, false, 300 * kS);
  auto e = b.check_venues(360 * kS + 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::VenueDisconnected);
  EXPECT_EQ(e->detail, "okx disconnected for 60 s > venue_disconnect_s 60");
}

TEST(CircuitBreaker, ManualTripKeepsTheFirstReason) {
  config::RiskConfig c = cfg();
  c.flatten_on_trip = true;
  CircuitBreaker b(c);
  auto e = b.trip(TripReason::Manual, "operator", 5);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->flatten);
  EXPECT_TRUE(e->cancel_orders);
  EXPECT_FALSE(b.trip(TripReason::EmergencyStop, "signal", 6));
  EXPECT_FALSE(b.on_portfolio(figures("1", "10000", "10000"), 7));
  EXPECT_EQ(b.state().reason, TripReason::Manual);
  EXPECT_EQ(b.state().trips_total, 1u);
  EXPECT_EQ(b.trips_by_reason()[static_cast<std::size_t>(TripReason::Manual)], 1u);
}

TEST(CircuitBreaker, InvalidFiguresAreABrokenInvariant) {
  CircuitBreaker b(cfg());
  PortfolioFigures f;
  EXPECT_FALSE(b.on_portfolio(f, 1));  // never computed (before the first Portfolio::update): ignored
  f.computed = true;
  f.valid = false;
  auto e = b.on_portfolio(f, 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, TripReason::InvariantBroken);
}

TEST(CircuitBreaker, CooldownThenExplicitReset) {
  CircuitBreaker b(cfg());
  EXPECT_EQ(b.reset(0).error(), ResetError::NotTripped);
  b.on_portfolio(figures("8900", "10000", "10000"), 1000 * kS);
  EXPECT_EQ(b.cooldown_ends_ns(), 1300 * kS);
  EXPECT_EQ(b.reset(1299 * kS).error(), ResetError::CoolingDown);
  auto r = b.reset(1300 * kS);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->was, TripReason::Drawdown);
  EXPECT_TRUE(r->rebase_peak);
  EXPECT_FALSE(r->rebase_day);
  EXPECT_EQ(b.trading_state(), TradingState::Active);
  EXPECT_EQ(b.state().rearmed_at_ns, 1300 * kS);
}

TEST(CircuitBreaker, NoAutoRearmUnlessConfigured) {
  PositionTracker tracker;
  CircuitBreaker b(cfg());
  b.on_portfolio(figures("8900", "10000", "10000"), 0);
  // Long after the cooldown, with the drawdown gone: still tripped without an explicit reset.
  EXPECT_FALSE(b.evaluate(figures("10000", "10000", "10000"), tracker, 10'000 * kS));
  EXPECT_TRUE(b.tripped());
}

TEST(CircuitBreaker, AutoRearmOnlyWhenTheConditionCleared) {
  config::RiskConfig c = cfg();
  c.breaker_auto_rearm = true;
  PositionTracker tracker;
  CircuitBreaker b(c);
  b.on_portfolio(figures("8900", "10000", "8900"), 0);
  EXPECT_TRUE(b.tripped());
  // During the cooldown: stays, even if equity recovered.
  b.evaluate(figures("9950", "10000", "8900"), tracker, 299 * kS);
  EXPECT_TRUE(b.tripped());
  // After the cooldown, still in drawdown: stays.
  b.evaluate(figures("8950", "10000", "8900"), tracker, 301 * kS);
  EXPECT_TRUE(b.tripped());
  // Recovered above the threshold: re-armed, without moving the peak.
  EXPECT_FALSE(b.evaluate(figures("9500", "10000", "8900"), tracker, 302 * kS));
  EXPECT_FALSE(b.tripped());
  // Manual trips never auto re-arm.
  b.trip(TripReason::Manual, "operator", 400 * kS);
  b.evaluate(figures("10000", "10000", "10000"), tracker, 10'000 * kS);
  EXPECT_TRUE(b.tripped());
}

TEST(CircuitBreaker, StateRoundTripsThroughItsJournalForm) {
  BreakerState s;
  s.tripped = true;
  s.reason = TripReason::DailyLoss;
  s.detail = "daily loss 250 (2.5% of 10000) >= daily_loss_limit_pct 2; note=50%\nline";
  s.tripped_at_ns = 1'710'000'000'123'456'789;
  s.rearmed_at_ns = 42;
  s.consecutive_rejects = 3;
  s.trips_total = 7;
  const std::string line = s.encode();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.substr(0, 24), "v1;tripped=1;reason=dail");
  auto back = BreakerState::decode(line);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, s);
  EXPECT_EQ(BreakerState::decode(BreakerState{}.encode()), BreakerState{});
  // Corrupt or foreign records are refused, never half-read.
  EXPECT_FALSE(BreakerState::decode(""));
  EXPECT_FALSE(BreakerState::decode("v2;tripped=1"));
  EXPECT_FALSE(BreakerState::decode(line.substr(0, line.size() / 2)));
  std::string bad_reason = line;
  bad_reason.replace(bad_reason.find("daily_loss"), 10, "dailyxloss");
  EXPECT_FALSE(BreakerState::decode(bad_reason));
  EXPECT_FALSE(BreakerState::decode("v1;tripped=1;reason=none;tripped_at_ns=0;rearmed_at_ns=0;consecutive_rejects=0;trips_total=0;detail="));
}

TEST(CircuitBreaker, RestoredTrippedBreakerCannotBeBypassedByARestart) {
  CircuitBreaker before(cfg());
  before.on_portfolio(figures("8000", "10000", "10000"), 1000 * kS);
  const std::string journaled = before.state().encode();

  // The restarted process restores it: still tripped, same reason, same cooldown end.
  CircuitBreaker after(cfg(), *BreakerState::decode(journaled));
  EXPECT_TRUE(after.tripped());
  EXPECT_EQ(after.trading_state(), TradingState::Reducing);
  EXPECT_EQ(after.state().reason, TripReason::Drawdown);
  EXPECT_EQ(after.cooldown_ends_ns(), 1300 * kS);
  EXPECT_EQ(after.reset(1200 * kS).error(), ResetError::CoolingDown);
  EXPECT_TRUE(after.reset(1300 * kS));
  // Without the journal the process would start Active: that is why the state is journaled.
  EXPECT_FALSE(CircuitBreaker(cfg()).tripped());
}

TEST(CircuitBreaker, ResetRestartsStalenessAndDisconnectClocks) {
  PositionTracker tracker;
  const Instrument btc = test::perp_btcusdt();
  tracker.add_instrument(btc);
  tracker.apply_fill(fill(btc, "1", Side::Buy, "0.1", "50000", "0", "", 0));
  CircuitBreaker b(cfg());
  ASSERT_TRUE(b.check_market_data(tracker, 31 * kS));
  ASSERT_TRUE(b.reset(400 * kS));
  // The operator acknowledged it: 30 s more before it trips again (data still missing).
  EXPECT_FALSE(b.check_market_data(tracker, 430 * kS));
  EXPECT_TRUE(b.check_market_data(tracker, 430 * kS + 1));
}

// One step of the seeded tests' market on inst at ts: kind 0 a trade, 1 a mark price, 2 a fill that opens
// one unit or (half the time) closes what is open.
template <class Pick>
void market_step(PositionTracker& tracker, const Instrument& inst, UnixNanos ts, std::uint64_t kind, Pick& pick,
                 std::uint64_t& trade) {
  if (kind == 0) {
    tracker.on_trade({inst.id, P("100"), Q("1"), Side::Buy, TradeId{}, ts, ts});
  } else if (kind == 1) {
    tracker.on_mark_price({inst.id, P("100"), P("100"), ts, ts});
  } else {
    const Position* p = tracker.find(inst.id);
    const bool closing = p != nullptr && !p->is_flat() && pick(2) == 0;
    const Side side = closing ? (p->quantity().is_positive() ? Side::Sell : Side::Buy) : (pick(2) ? Side::Buy : Side::Sell);
    const std::string qty = closing ? p->quantity().abs().to_string() : "1";
    tracker.apply_fill(fill(inst, std::to_string(++trade), side, qty, "100", "0", "", ts));
  }
}

// The staleness check skips its scan until the earliest time a position could turn stale: seeded random
// prices (some stamped in the past, some an instrument's first), fills opening and closing positions, time
// steps and resets; after every step the breaker trips exactly when, and for the position, a plain scan of
// every open position says, and at_rest() answers as that scan does.
TEST(CircuitBreaker, StalenessMatchesAPlainScanEveryStep) {
  config::RiskConfig c = cfg();
  c.breaker_cooldown_s = 0;
  std::uint64_t trips = 0, checks = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::uint64_t n) { return rng() % n; };
    PositionTracker tracker;
    const std::vector<Instrument> insts = {test::perp_btcusdt(), test::perp_named("ETHUSDT"), test::perp_named("SOLUSDT"),
                                           test::spot_btcusdt()};
    for (const auto& i : insts) tracker.add_instrument(i);
    CircuitBreaker b(c);
    UnixNanos now = 1000 * kS;
    std::uint64_t trade = 0;
    for (int step = 0; step < 400; ++step) {
      const Instrument& inst = insts[pick(insts.size())];
      const UnixNanos ts = now - static_cast<UnixNanos>(pick(60)) * kS;  // sometimes older than what is stored
      switch (const auto kind = pick(6)) {
        case 0:
        case 1:
        case 2: market_step(tracker, inst, ts, kind, pick, trade); break;
        case 3: if (b.tripped()) (void)b.reset(now); break;
        default: now += static_cast<UnixNanos>(pick(20)) * kS; break;
      }
      // The plain scan: the first open position whose latest price (else last fill), not before the re-arm,
      // is more than 30 s old.
      std::string expected;
      for (const Position& p : tracker.positions()) {
        if (p.is_flat()) continue;
        UnixNanos since = tracker.prices().last_update_ns(p.id()).value_or(p.last_fill_ns());
        since = std::max(since, b.state().rearmed_at_ns);
        if (now - since > 30 * kS) {
          expected = p.id().to_string();
          break;
        }
      }
      const bool was_tripped = b.tripped();
      // The at-rest answer (its kept scan, dropped by a re-arm) agrees with the plain scan too.
      if (pick(2) == 0) {
        ASSERT_EQ(b.at_rest(PortfolioFigures{}, tracker, now), !was_tripped && expected.empty()) << "seed " << seed << " step " << step;
      }
      const auto e = b.check_market_data(tracker, now);
      ++checks;
      if (was_tripped) {
        EXPECT_FALSE(e) << "seed " << seed << " step " << step;  // a tripped breaker does not trip again
        continue;
      }
      ASSERT_EQ(e.has_value(), !expected.empty()) << "seed " << seed << " step " << step;
      if (e) {
        ++trips;
        EXPECT_NE(e->detail.find("market data for " + expected + " "), std::string::npos) << e->detail;
      }
    }
  }
  EXPECT_GT(trips, 100u);
  EXPECT_GT(checks, 10'000u);
}

// Drawdown and daily loss decide as part · 100 · 10^9 ≥ whole · pct in 128 bits, which is the exact ratio
// part / whole ≥ pct / 100: for random figures and limits, and amounts at and one either side of the
// smallest breaching one (⌈whole · pct / (100 · 10^9)⌉, computed here with a division).
TEST(CircuitBreaker, ThresholdsDecideAsTheExactRatio) {
  __extension__ typedef __int128 i128;
  std::mt19937_64 rng(11);
  auto draw = [&](std::int64_t max) { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max)); };
  std::uint64_t breaches = 0;
  for (int run = 0; run < 200; ++run) {
    config::RiskConfig c = cfg();
    c.max_drawdown_pct = Rate::from_raw(1 + draw(30 * fixed::kScale));
    c.daily_loss_limit_pct = Rate::from_raw(1 + draw(10 * fixed::kScale));
    CircuitBreaker b(c);
    PortfolioFigures f;
    f.computed = f.valid = true;
    for (int step = 0; step < 200; ++step) {
      if (step == 0 || draw(10) == 0) f.peak_equity = Money::from_raw(1 + draw(run % 2 ? INT64_MAX : 1'000'000 * fixed::kScale));
      if (step == 0 || draw(10) == 0) f.day_start_equity = Money::from_raw(1 + draw(run % 2 ? INT64_MAX : 1'000'000 * fixed::kScale));
      // Random amounts, and amounts one below, at and one above the exact limit.
      const auto near_limit = [&](Money whole, Rate pct) {
        const i128 n = static_cast<i128>(whole.raw()) * pct.raw();
        const i128 k = static_cast<i128>(100) * fixed::kScale;
        const i128 t = n / k + (n % k != 0 ? 1 : 0) + draw(3) - 1;
        return t > INT64_MAX ? INT64_MAX : static_cast<std::int64_t>(t);
      };
      f.drawdown = Money::from_raw(draw(2) ? draw(f.peak_equity.raw()) : near_limit(f.peak_equity, c.max_drawdown_pct));
      f.daily_pnl = Money::from_raw(-(draw(2) ? draw(f.day_start_equity.raw() / 4 + 1) : near_limit(f.day_start_equity, c.daily_loss_limit_pct)));
      const auto at_least = [](Money part, Money whole, Rate pct) {
        return static_cast<i128>(part.raw()) * 100 * fixed::kScale >= static_cast<i128>(whole.raw()) * pct.raw();
      };
      const bool dd = at_least(f.drawdown, f.peak_equity, c.max_drawdown_pct);
      const bool dl = at_least(-f.daily_pnl, f.day_start_equity, c.daily_loss_limit_pct);
      const auto e = b.on_portfolio(f, step);
      ASSERT_EQ(e.has_value(), dd || dl) << "run " << run << " step " << step;
      if (e) {
        EXPECT_EQ(e->reason, dd ? TripReason::Drawdown : TripReason::DailyLoss);
        ++breaches;
        ASSERT_TRUE(b.reset(step + 1000 * kS));
      }
    }
  }
  EXPECT_GT(breaches, 1000u);
}

// at_rest() is what the engine asks on every market event before it calls evaluate(): whenever it says so,
// evaluate() would return nothing and change no state. Random figures around both limits, prices arriving
// late or not at all, fills opening and closing positions, disconnects, resets and auto re-arms; each step
// compares at_rest() with evaluate() on a copy, and the sequences reach both answers.
TEST(CircuitBreaker, AtRestOnlyWhenEvaluateWouldDoNothing) {
  std::uint64_t rest = 0, busy = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::uint64_t n) { return rng() % n; };
    config::RiskConfig c = cfg();
    c.breaker_cooldown_s = static_cast<std::int64_t>(pick(3)) * 20;
    c.breaker_auto_rearm = pick(2) == 0;
    if (pick(4) == 0) c.stale_market_data_s = 0;
    PositionTracker tracker;
    const std::vector<Instrument> insts = {test::perp_btcusdt(), test::perp_named("ETHUSDT"), test::spot_btcusdt()};
    for (const auto& i : insts) tracker.add_instrument(i);
    CircuitBreaker b(c);
    PortfolioFigures f;
    UnixNanos now = 1000 * kS;
    std::uint64_t trade = 0;
    for (int step = 0; step < 500; ++step) {
      const Instrument& inst = insts[pick(insts.size())];
      const UnixNanos ts = now - static_cast<UnixNanos>(pick(40)) * kS;
      switch (const auto kind = pick(9)) {
        case 0:
        case 1:
        case 2: market_step(tracker, inst, ts, kind, pick, trade); break;
        case 3: {  // figures near the limits (10% drawdown, 2% daily loss)
          f.computed = pick(10) != 0;
          f.valid = pick(20) != 0;
          f.peak_equity = Money::from_units(1000);
          f.drawdown = Money::from_units(static_cast<std::int64_t>(90 + pick(12)));
          f.day_start_equity = Money::from_units(static_cast<std::int64_t>(pick(2) ? 1000 : 0));
          f.daily_pnl = Money::from_raw((static_cast<std::int64_t>(pick(45)) - 40) * fixed::kScale / 2);
          break;
        }
        case 4: b.on_venue_connection(Venue::Bybit, pick(3) != 0, now); break;
        case 5: if (b.tripped()) (void)b.reset(now); break;
        default: now += static_cast<UnixNanos>(pick(15)) * kS; break;
      }
      const bool at_rest = b.at_rest(f, tracker, now);
      CircuitBreaker copy = b;
      const auto e = copy.evaluate(f, tracker, now);
      if (at_rest) {
        ++rest;
        ASSERT_FALSE(e) << "seed " << seed << " step " << step;
        ASSERT_EQ(copy.state(), b.state()) << "seed " << seed << " step " << step;
        ASSERT_EQ(copy.version(), b.version()) << "seed " << seed << " step " << step;
      } else {
        ++busy;
      }
      (void)b.evaluate(f, tracker, now);
    }
  }
  EXPECT_GT(rest, 2000u);
  EXPECT_GT(busy, 2000u);
}

TEST(CircuitBreaker, VenueReconnectClearsItsDisconnect) {
  CircuitBreaker b(cfg());
  b.on_venue_connection(Venue::Okx, false, 10 * kS);
  b.on_venue_connection(Venue::Bybit, false, 50 * kS);
  b.on_venue_connection(Venue::Okx, true, 20 * kS);
  EXPECT_FALSE(b.check_venues(109 * kS));
  auto e = b.check_venues(110 * kS + 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->detail, "bybit disconnected for 60 s > venue_disconnect_s 60");
}

}  // namespace
}  // namespace tradingd
