// Seeded property test over thousands of random fill / mark / funding sequences on spot (fees in quote or
// base), a linear perpetual and a contract-sized swap:
//   1. equity − starting equity == Σ (realized + unrealized − fees − funding), exactly (raw 1e-9 units);
//   2. each position's quantity == Σ signed fill quantities − base fees (an independent running sum);
//   3. applying every event again (duplicates, in any order after the first) changes nothing.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::M;

struct Sim {
  std::vector<Instrument> instruments{test::spot_btcusdt(), test::perp_btcusdt(), test::okx_btc_swap()};
  std::vector<std::int64_t> price_ticks{500'000, 500'000, 500'000};  // random walk per instrument, in ticks
  std::vector<Quantity> expected_qty{Quantity{}, Quantity{}, Quantity{}};
};

TEST(PnlProperty, EquityChangeEqualsPnlComponents) {
  constexpr int kSequences = 400;
  constexpr int kEventsPerSequence = 60;
  std::uint64_t checked_events = 0;
  for (int seq = 0; seq < kSequences; ++seq) {
    std::mt19937_64 rng(0x5eed0000u + static_cast<unsigned>(seq));
    auto uniform = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    Sim sim;
    PositionTracker tracker(seq % 3 == 0 ? PriceSource::Mid : seq % 3 == 1 ? PriceSource::Last : PriceSource::Mark);
    PositionTracker replica(tracker.price_source());
    Portfolio portfolio(tracker);
    for (auto* t : {&tracker, &replica}) {
      for (const auto& i : sim.instruments) t->add_instrument(i, {static_cast<int>(uniform(1, 20)), test::R("0.005")});
      t->set_balance(Venue::Binance, Asset::from("USDT"), M("1000000"));
      t->set_balance(Venue::Bybit, Asset::from("USDT"), M("1000000"));
      t->set_balance(Venue::Okx, Asset::from("USDT"), M("1000000"));
    }
    const Money start_equity = portfolio.update(0).equity;
    ASSERT_EQ(start_equity, M("3000000"));
    std::vector<LedgerEvent> journal;
    std::vector<std::pair<int, Price>> marks;  // applied to the replica at the end, in order

    for (int ev = 0; ev < kEventsPerSequence; ++ev) {
      const int k = static_cast<int>(uniform(0, 2));
      const Instrument& inst = sim.instruments[k];
      sim.price_ticks[k] = std::max<std::int64_t>(1, sim.price_ticks[k] + uniform(-3000, 3000));
      const Price px = inst.tick_size * sim.price_ticks[k];
      const int action = static_cast<int>(uniform(0, 9));
      if (action <= 5) {
        OrderFilled f;
        f.instrument = inst.id;
        f.trade_id = TradeId::from("t" + std::to_string(ev));
        f.side = uniform(0, 1) ? Side::Buy : Side::Sell;
        f.last_quantity = inst.step_size * uniform(1, 400);
        f.last_price = px;
        const bool base_fee = !inst.is_perpetual() && f.side == Side::Buy && uniform(0, 1);
        if (base_fee) {
          // 0.1% of the quantity in BTC, rounded down to 1e-9 (what Binance charges, to its precision).
          f.fee = Money::from_raw(fixed_mul<Quantity>(f.last_quantity, test::R("0.001"), Rounding::Down).raw());
          f.fee_asset = inst.base;
        } else {
          f.fee = apply_rate(inst.notional_of(px, f.last_quantity), uniform(0, 3) == 0 ? test::R("-0.0001") : test::R("0.00055"),
                             Rounding::Up);
          f.fee_asset = inst.quote;
        }
        ASSERT_EQ(tracker.apply_fill(f), FillResult::Applied);
        sim.expected_qty[k] += f.last_quantity * sign(f.side) - (base_fee ? Quantity::from_raw(f.fee.raw()) : Quantity{});
        journal.push_back(f);
        // Duplicates, at once and later, never count.
        ASSERT_EQ(tracker.apply_fill(f), FillResult::Duplicate);
      } else if (action <= 7) {
        if (inst.is_perpetual()) {
          tracker.on_mark_price({inst.id, px, px, ev, ev});
        } else {
          tracker.on_trade({inst.id, px, inst.step_size, Side::Buy, TradeId::from("m"), ev, ev});
          tracker.on_quote({inst.id, px, inst.step_size, px + inst.tick_size, inst.step_size, ev, ev});
        }
        marks.emplace_back(k, px);
      } else if (inst.is_perpetual()) {
        FundingEvent fe{inst.id, ev, std::nullopt, Rate::from_raw(uniform(-300'000, 300'000)), px};
        if (uniform(0, 1)) fe.paid = M("0.0123") * uniform(-5, 5);
        ASSERT_EQ(tracker.apply_funding(fe), FillResult::Applied);
        ASSERT_EQ(tracker.apply_funding(fe), FillResult::Duplicate);
        journal.push_back(fe);
      }

      const auto& f = portfolio.update(ev + 1);
      ASSERT_TRUE(f.valid);
      Money components;
      for (const auto& p : tracker.positions()) components += p.realized_pnl() + p.unrealized_pnl() - p.fees() - p.funding();
      ASSERT_EQ((f.equity - start_equity).raw(), components.raw()) << "seed " << seq << " event " << ev;
      ASSERT_EQ(f.equity - start_equity, f.realized_pnl + f.unrealized_pnl - f.fees - f.funding);
      for (int i = 0; i < 3; ++i)
        ASSERT_EQ(tracker.find(sim.instruments[i].id)->quantity(), sim.expected_qty[i]) << "seed " << seq;
      ++checked_events;
    }

    // Replay the journal twice over into the replica (every event duplicated), then the marks: same state.
    replay(replica, journal);
    replay(replica, journal);
    for (const auto& [k, px] : marks) {
      const auto& inst = sim.instruments[k];
      if (inst.is_perpetual()) replica.on_mark_price({inst.id, px, px, 0, 0});
      else {
        replica.on_trade({inst.id, px, inst.step_size, Side::Buy, TradeId::from("m"), 0, 0});
        replica.on_quote({inst.id, px, inst.step_size, px + inst.tick_size, inst.step_size, 0, 0});
      }
    }
    EXPECT_EQ(replica.balances(), tracker.balances());
    for (int i = 0; i < 3; ++i) {
      const auto* a = tracker.find(sim.instruments[i].id);
      const auto* b = replica.find(sim.instruments[i].id);
      EXPECT_EQ(a->quantity(), b->quantity());
      EXPECT_EQ(a->cost_basis(), b->cost_basis());
      EXPECT_EQ(a->realized_pnl(), b->realized_pnl());
      EXPECT_EQ(a->fees(), b->fees());
      EXPECT_EQ(a->funding(), b->funding());
      EXPECT_EQ(a->round_trips(), b->round_trips());
    }
  }
  EXPECT_EQ(checked_events, static_cast<std::uint64_t>(kSequences) * kEventsPerSequence);
}

}  // namespace
}  // namespace tradingd
