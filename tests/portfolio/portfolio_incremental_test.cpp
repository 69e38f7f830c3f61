// Portfolio::update keeps its work between calls (a plan per ledger version, a valuation per price version,
// memoized percentages). Seeded random sequences of fills (fees in quote, base or a third asset), funding,
// trades/quotes/marks, balances (including zero and overflowing ones), fixed asset prices, day rollovers and
// mark rebases drive one tracker; after every step the portfolio's figures and marks must equal, field by
// field, those computed from scratch the plain way (portfolio_reference.h), whether the step ran update()
// or revalue() (the ratios then read at once, after later steps, or never).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "tests/portfolio/portfolio_reference.h"
#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

constexpr UnixNanos kMidnight = 19792 * kNanosPerDay;

Instrument ethbtc() {  // quoted in BTC: its values reach the valuation asset through BTC's spot mark
  Instrument i = test::spot_ethusdt();
  i.id.symbol = Symbol::from("ETHBTC");
  i.quote = i.settle = Asset::from("BTC");
  i.tick_size = test::P("0.00001");
  return i;
}

Instrument usdc_perp() {  // settled in USDC: valued through a fixed price when one is set, else unvalued
  Instrument i = test::perp_named("SOLUSDC");
  i.base = Asset::from("SOL");
  i.quote = i.settle = Asset::from("USDC");
  return i;
}

#define SAME(field) EXPECT_EQ(a.field, b.field) << where << " field " #field

// Every field but the three ratios revalue() leaves to figures(): what values() must already hold.
void expect_same_values(const PortfolioFigures& a, const PortfolioFigures& b, const std::string& where) {
  SAME(ts_ns);
  SAME(computed);
  SAME(valid);
  SAME(equity);
  SAME(cash);
  SAME(realized_pnl);
  SAME(unrealized_pnl);
  SAME(fees);
  SAME(funding);
  SAME(gross_exposure);
  SAME(net_exposure);
  SAME(peak_equity);
  SAME(drawdown);
  SAME(day_start_ns);
  SAME(day_start_equity);
  SAME(daily_pnl);
  SAME(fills);
  SAME(round_trips);
  SAME(wins);
  SAME(losses);
  SAME(open_positions);
  SAME(unvalued_balances);
}

void expect_same(const PortfolioFigures& a, const PortfolioFigures& b, const std::string& where) {
  expect_same_values(a, b, where);
  SAME(leverage);
  SAME(drawdown_pct);
  SAME(daily_pnl_pct);
}

#undef SAME

// usdt_only: every instrument is quoted and settled in the valuation asset, so every plan takes the
// per-ledger split of the valuation (Portfolio's quick path), and balances of either sign reach the range
// where its bound gives the valuation back to the ordered sum.
struct Sequence {
  explicit Sequence(std::uint64_t seed, bool usdt_only = false)
      : rng(seed), tracker(static_cast<PriceSource>(seed % 3)), portfolio(tracker), reference(tracker), usdt_only(usdt_only) {
    instruments = {test::spot_btcusdt(), test::spot_ethusdt(), test::spot_btcusdt(Venue::Bybit), test::perp_btcusdt(),
                   test::perp_named("ETHUSDT"), test::okx_btc_swap(), ethbtc(), usdc_perp()};
    if (usdt_only) instruments.resize(6);
    ticks.assign(instruments.size(), 0);
    for (std::size_t i = 0; i < instruments.size(); ++i) {
      // Not every instrument is registered, and not all at once: registrations move the ledger too.
      if (i < 5 || pick(2) == 0) tracker.add_instrument(instruments[i], {static_cast<int>(1 + pick(10)), test::R("0.005")});
      ticks[i] = instruments[i].id.symbol.view().starts_with("ETHBTC") ? 5000 : 3'000'000 + static_cast<std::int64_t>(pick(100'000));
    }
  }

  std::uint64_t pick(std::uint64_t n) { return rng() % n; }
  Price price_of(std::size_t i) {
    const Instrument& inst = instruments[i];
    return Price::from_raw(std::max<std::int64_t>(1, ticks[i]) * inst.tick_size.raw());
  }

  void step() {
    const std::size_t i = pick(instruments.size());
    const Instrument& inst = instruments[i];
    switch (pick(14)) {
      case 0: case 1: case 2: case 3: {  // a trade (sometimes at the same price: nothing moves)
        if (pick(4) != 0) ticks[i] += static_cast<std::int64_t>(pick(2001)) - 1000;
        tracker.on_trade({inst.id, price_of(i), test::Q("1"), Side::Buy, TradeId{}, now, now});
        break;
      }
      case 4: {
        ticks[i] += static_cast<std::int64_t>(pick(2001)) - 1000;
        const Price bid = price_of(i);
        tracker.on_quote({inst.id, bid, test::Q("1"), Price::from_raw(bid.raw() + inst.tick_size.raw() * static_cast<std::int64_t>(pick(5))),
                          test::Q("1"), now, now});
        break;
      }
      case 5: {
        ticks[i] += static_cast<std::int64_t>(pick(2001)) - 1000;
        tracker.on_mark_price({inst.id, price_of(i), price_of(i), now, now});
        break;
      }
      case 6: case 7: case 8: {  // a fill, fee in quote, base or BNB
        std::string fee_asset = inst.quote.str();
        switch (pick(4)) {
          case 0: fee_asset = "BNB"; break;
          case 1: if (!inst.is_perpetual()) fee_asset = inst.base.str(); break;
          default: break;
        }
        OrderFilled f = test::fill(inst, std::to_string(++trade), pick(2) ? Side::Buy : Side::Sell, "1", "1", "0", "", now);
        f.fee_asset = Asset::from(fee_asset);
        f.last_quantity = Quantity::from_raw(inst.step_size.raw() * static_cast<std::int64_t>(1 + pick(300)));
        f.last_price = price_of(i);
        f.fee = Money::from_raw(static_cast<std::int64_t>(pick(1000)) * 1000);
        tracker.apply_fill(f);
        if (pick(5) == 0) tracker.apply_fill(f);  // a duplicate changes nothing
        break;
      }
      case 9: {
        FundingEvent e{inst.id, now + static_cast<UnixNanos>(++trade), std::nullopt, test::R("0.0001"), price_of(i)};
        if (pick(2)) e.paid = Money::from_raw(static_cast<std::int64_t>(pick(2'000'000'000)) - 1'000'000'000);
        tracker.apply_funding(e);
        break;
      }
      case 10: {  // a balance: zero, ordinary, or (rarely) one that overflows the sums
        static const char* kAssets[] = {"USDT", "BTC", "ETH", "USDC", "BNB", "XYZ"};
        const Venue venue = static_cast<Venue>(pick(3));
        Money amount = Money::from_raw(static_cast<std::int64_t>(pick(50'000)) * fixed::kScale);
        if (pick(4) == 0) amount = Money::zero();
        if (pick(25) == 0) amount = Money::from_raw(INT64_MAX / 2 + static_cast<std::int64_t>(pick(1000)));
        if (usdt_only && pick(3) == 0) amount = -amount;  // large terms that cancel: in range in order
        tracker.set_balance(venue, Asset::from(kAssets[pick(6)]), amount);
        break;
      }
      case 11: {  // a fixed asset price
        const char* asset = pick(2) ? "USDC" : "BNB";
        const Price p = Price::from_raw(pick(3) == 0 ? fixed::kScale : 900'000'000 + static_cast<std::int64_t>(pick(200'000'000)));
        portfolio.set_asset_price(Asset::from(asset), p);
        reference.fixed_prices[Asset::from(asset)] = p;
        break;
      }
      case 12: {  // the operator rebases, or a restart restores the marks
        if (pick(2)) {
          portfolio.rebase_peak();
          if (reference.marks.initialized) reference.marks.peak_equity = reference.marks.last_equity;
        } else {
          portfolio.rebase_day();
          if (reference.marks.initialized) reference.marks.day_start_equity = reference.marks.last_equity;
        }
        if (pick(3) == 0) {
          EquityMarks m = reference.marks;
          m.peak_equity = Money::from_raw(m.peak_equity.raw() + static_cast<std::int64_t>(pick(1000)) * fixed::kScale);
          portfolio.restore_marks(m);
          reference.marks = m;
        }
        break;
      }
      case 13: now += static_cast<UnixNanos>(pick(4)) * 6 * 3600 * kNanosPerSecond; break;  // day rollovers
    }
    now += kNanosPerSecond;
  }

  std::mt19937_64 rng;
  PositionTracker tracker;
  Portfolio portfolio;
  test::ReferencePortfolio reference;
  std::vector<Instrument> instruments;
  std::vector<std::int64_t> ticks;
  std::uint64_t trade = 0;
  UnixNanos now = kMidnight + 3600 * kNanosPerSecond;
  bool usdt_only = false;
};

void run_sequences(bool usdt_only) {
  std::uint64_t invalid_steps = 0, valid_steps = 0;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    Sequence run(seed, usdt_only);
    for (int s = 0; s < 250; ++s) {
      run.step();
      const std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(s);
      const PortfolioFigures& want = run.reference.update(run.now);
      // update(), or revalue() with the ratios read at once, later (after more steps) or never.
      switch (run.pick(3)) {
        case 0: expect_same(run.portfolio.update(run.now), want, where); break;
        case 1:
          run.portfolio.revalue(run.now);
          expect_same_values(run.portfolio.values(), want, where + " (values)");
          expect_same(run.portfolio.figures(), want, where);
          break;
        default:
          run.portfolio.revalue(run.now);
          expect_same_values(run.portfolio.values(), want, where + " (values)");
          break;
      }
      const PortfolioFigures& got = run.portfolio.values();
      EXPECT_EQ(run.portfolio.marks(), run.reference.marks) << where;
      (got.valid ? valid_steps : invalid_steps)++;
      if (run.pick(4) == 0) {  // again with nothing changed: the kept valuation, a later time
        run.now += kNanosPerSecond;
        expect_same(run.portfolio.update(run.now), run.reference.update(run.now), where + " (unchanged)");
        EXPECT_EQ(run.portfolio.marks(), run.reference.marks) << where;
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
  // The sequences reach both outcomes: ordinary figures and the overflow that invalidates them.
  EXPECT_GT(valid_steps, 10'000u);
  EXPECT_GT(invalid_steps, 100u);
}

TEST(PortfolioIncremental, EveryStepEqualsAFullRecompute) { run_sequences(false); }

TEST(PortfolioIncremental, EveryStepEqualsAFullRecomputeWhenAllIsInTheValuationAsset) { run_sequences(true); }

// A copied tracker starts a new version lineage: a portfolio that read the original never takes the copy's
// state for one it has valued.
TEST(PortfolioIncremental, TrackerCopiesNeverShareAVersion) {
  PositionTracker a;
  a.add_instrument(test::spot_btcusdt());
  PositionTracker b = a;
  EXPECT_NE(a.ledger_version(), b.ledger_version());
  EXPECT_NE(a.price_version(), b.price_version());
  b = a;
  EXPECT_NE(a.ledger_version(), b.ledger_version());
}

}  // namespace
}  // namespace tradingd
