// The random walk: same seed and tick schedule give the same market; the book stays sane (uncrossed, on
// the tick and step grids); the reported changes rebuild the book exactly; update ids count the changes;
// klines aggregate exactly the trades.
#include <map>

#include <gtest/gtest.h>

#include "exchange/emulator/common.h"
#include "exchange/emulator/instruments.h"
#include "exchange/emulator/market.h"

namespace tradingd::emulator {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

std::string fingerprint(const MarketSim& m) {
  std::string s = std::to_string(m.update_id()) + "|";
  for (const auto& l : m.bids()) s += l.price.to_string() + ":" + l.qty.to_string() + ",";
  s += "|";
  for (const auto& l : m.asks()) s += l.price.to_string() + ":" + l.qty.to_string() + ",";
  for (const auto& t : m.trades()) s += "|" + std::to_string(t.id) + "@" + t.price.to_string() + "x" + t.qty.to_string();
  s += "|" + m.mark_price().to_string() + "|" + m.funding_rate().to_string();
  return s;
}

TEST(MarketSim, SameSeedAndScheduleGiveTheSameMarket) {
  for (auto venue : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    for (const auto& spec : default_instruments(venue)) {
      MarketSim a(spec, 42, kStart), b(spec, 42, kStart), c(spec, 43, kStart);
      for (int i = 1; i <= 500; ++i) {
        const auto ea = a.tick(kStart + i * 100);
        const auto eb = b.tick(kStart + i * 100);
        (void)c.tick(kStart + i * 100);
        ASSERT_EQ(ea.changes, eb.changes) << spec.symbol << " tick " << i;
      }
      EXPECT_EQ(fingerprint(a), fingerprint(b)) << spec.symbol;
      EXPECT_NE(fingerprint(a), fingerprint(c)) << spec.symbol << ": another seed, another market";
    }
  }
}

TEST(MarketSim, VenueMarketsAreDeterministicIncludingWarmUp) {
  MarketOptions o{9, kStart, 5};
  VenueMarkets a(Venue::Okx, o), b(Venue::Okx, o);
  FaultState fa, fb;
  for (int i = 1; i <= 100; ++i) {
    (void)a.tick(kStart + i * 250, fa);
    (void)b.tick(kStart + i * 250, fb);
  }
  for (std::size_t i = 0; i < a.all().size(); ++i) EXPECT_EQ(fingerprint(a.all()[i]), fingerprint(b.all()[i]));
}

TEST(MarketSim, BookStaysSaneAndChangesRebuildIt) {
  for (auto venue : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    for (const auto& spec : default_instruments(venue)) {
      MarketSim m(spec, 7, kStart);
      std::map<std::int64_t, std::int64_t> bids, asks;
      for (const auto& l : m.bids()) bids[l.price.raw()] = l.qty.raw();
      for (const auto& l : m.asks()) asks[l.price.raw()] = l.qty.raw();
      std::int64_t last_u = m.update_id();
      for (int i = 1; i <= 3000; ++i) {
        const auto ev = m.tick(kStart + i * 100);
        ASSERT_EQ(ev.prev_update_id, last_u);
        if (ev.book_changed()) {
          ASSERT_EQ(ev.first_update_id, last_u + 1);
          ASSERT_EQ(ev.last_update_id, last_u + static_cast<std::int64_t>(ev.changes.size()));
        } else {
          ASSERT_EQ(ev.last_update_id, last_u);
        }
        last_u = ev.last_update_id;
        for (const auto& c : ev.changes) {
          auto& side = c.is_bid ? bids : asks;
          if (c.qty.is_zero()) side.erase(c.price.raw());
          else side[c.price.raw()] = c.qty.raw();
        }
        const auto bb = m.best_bid(), ba = m.best_ask();
        ASSERT_TRUE(bb && ba);
        ASSERT_LT(bb->price, ba->price) << spec.symbol << " crossed at tick " << i;
        for (const auto& t : ev.trades) {
          ASSERT_TRUE(t.price.is_multiple_of(spec.tick_size));
          ASSERT_TRUE(t.qty.is_multiple_of(spec.step_size));
          ASSERT_TRUE(t.qty.is_positive());
        }
      }
      std::map<std::int64_t, std::int64_t> real_bids, real_asks;
      for (const auto& l : m.bids()) {
        EXPECT_TRUE(l.price.is_multiple_of(spec.tick_size)) << spec.symbol << " " << l.price;
        EXPECT_TRUE(l.qty.is_multiple_of(spec.step_size)) << spec.symbol << " " << l.qty;
        real_bids[l.price.raw()] = l.qty.raw();
      }
      for (const auto& l : m.asks()) real_asks[l.price.raw()] = l.qty.raw();
      EXPECT_EQ(bids, real_bids) << spec.symbol;
      EXPECT_EQ(asks, real_asks) << spec.symbol;
      EXPECT_GE(m.bids().size(), 90u);
      // The walk is pulled back toward its start: after 5 minutes it is within 2%.
      const auto mid = m.mid_price().to_double(), start = spec.start_price.to_double();
      EXPECT_NEAR(mid, start, start * 0.02) << spec.symbol;
    }
  }
}

TEST(MarketSim, KlinesAggregateTheTrades) {
  const auto spec = default_instruments(Venue::Binance)[0];
  MarketSim m(spec, 3, kStart);
  std::vector<SimTrade> all;
  for (int i = 1; i <= 1800; ++i) {
    const auto ev = m.tick(kStart + i * 100);
    all.insert(all.end(), ev.trades.begin(), ev.trades.end());
  }
  const auto bars = m.klines();
  ASSERT_GE(bars.size(), 3u);
  for (std::size_t i = 1; i < bars.size(); ++i) EXPECT_EQ(bars[i].open_ms - bars[i - 1].open_ms, 60'000);
  for (const auto& b : bars) {
    Quantity vol;
    std::int64_t n = 0;
    Price hi = Price::zero(), lo = Price::max();
    for (const auto& t : all) {
      if (t.ts_ms < b.open_ms || t.ts_ms > b.close_ms()) continue;
      vol += t.qty;
      ++n;
      hi = std::max(hi, t.price);
      lo = std::min(lo, t.price);
    }
    EXPECT_EQ(b.volume, vol);
    EXPECT_EQ(b.trade_count, n);
    if (n > 0) {
      EXPECT_EQ(b.high, hi);
      EXPECT_EQ(b.low, lo);
    }
  }
  const auto five = aggregate_klines(bars, 300'000);
  Quantity total, total5;
  for (const auto& b : bars) total += b.volume;
  for (const auto& b : five) total5 += b.volume;
  EXPECT_EQ(total, total5);
  for (const auto& b : five) EXPECT_EQ(b.open_ms % 300'000, 0);
}

TEST(MarketSim, PerpetualsHaveFundingHistoryAndMark) {
  const auto spec = default_instruments(Venue::Binance)[2];
  ASSERT_TRUE(spec.is_perp());
  MarketSim m(spec, 3, kStart);
  EXPECT_EQ(m.funding_history().size(), 20u);
  EXPECT_GT(m.next_funding_ms(), kStart);
  EXPECT_EQ(m.next_funding_ms() % MarketSim::kFundingIntervalMs, 0);
  (void)m.tick(kStart + 100);
  EXPECT_TRUE(m.mark_price().is_multiple_of(spec.tick_size));
}

}  // namespace
}  // namespace tradingd::emulator
