// RecentTradeIds: membership scoped by instrument, oldest-first forgetting at capacity, and a seeded run of
// inserts and lookups against a plain deque + set model (through several table growths and many
// evictions, so the backward-shift deletion is exercised).
#include "portfolio/recent_trade_ids.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>
#include <string>
#include <utility>

namespace tradingd {
namespace {

TradeId id(std::uint64_t n) { return TradeId::from(std::to_string(n)); }

TEST(RecentTradeIds, RemembersPairsScopedByInstrument) {
  RecentTradeIds s(100);
  EXPECT_FALSE(s.contains(0, id(1)));
  s.insert(0, id(1));
  EXPECT_TRUE(s.contains(0, id(1)));
  EXPECT_FALSE(s.contains(1, id(1)));  // the same trade id on another instrument is another fill
  EXPECT_FALSE(s.contains(0, id(11)));
  s.insert(1, id(1));
  EXPECT_TRUE(s.contains(1, id(1)));
  EXPECT_EQ(s.size(), 2u);
}

TEST(RecentTradeIds, ForgetsTheOldestAtCapacity) {
  RecentTradeIds s(3);
  for (std::uint64_t n = 1; n <= 3; ++n) s.insert(0, id(n));
  s.insert(0, id(4));
  EXPECT_FALSE(s.contains(0, id(1)));
  for (std::uint64_t n = 2; n <= 4; ++n) EXPECT_TRUE(s.contains(0, id(n)));
  EXPECT_EQ(s.size(), 3u);
  RecentTradeIds one(0);  // at least one id is kept
  one.insert(0, id(1));
  EXPECT_TRUE(one.contains(0, id(1)));
}

TEST(RecentTradeIds, HashReadsOnlyTheIdsOwnCharacters) {
  // Ids of 1 to 47 characters hash equal when equal, whatever their length relative to the 8-byte words.
  std::string text;
  for (int len = 1; len <= 47; ++len) {
    text += static_cast<char>('a' + len % 26);
    EXPECT_EQ(RecentTradeIds::hash(3, TradeId::from(text)), RecentTradeIds::hash(3, TradeId::from(std::string(text))));
    EXPECT_NE(RecentTradeIds::hash(3, TradeId::from(text)), RecentTradeIds::hash(4, TradeId::from(text)));
  }
}

TEST(RecentTradeIds, CounterIdsHashInRunsOfFour) {
  // "40".."43" share everything but the low two bits (adjacent slots), "44" starts another run elsewhere;
  // another instrument's "40" is elsewhere too.
  const std::uint64_t h40 = RecentTradeIds::hash(0, id(40));
  for (std::uint64_t n = 41; n <= 43; ++n) EXPECT_EQ(RecentTradeIds::hash(0, id(n)), h40 + (n - 40)) << n;
  EXPECT_NE(RecentTradeIds::hash(0, id(44)) & ~std::uint64_t{3}, h40 & ~std::uint64_t{3});
  EXPECT_NE(RecentTradeIds::hash(1, id(40)) & ~std::uint64_t{3}, h40 & ~std::uint64_t{3});
  EXPECT_NE(RecentTradeIds::hash(0, TradeId::from("")), RecentTradeIds::hash(1, TradeId::from("")));
}

TEST(RecentTradeIds, CounterIdsKeepTheWindowExactly) {
  // Consecutive ids (as the simulated venue makes them) through the first sizing, growths and wrap-around:
  // exactly the last `capacity` are remembered.
  for (std::size_t capacity : {1u, 7u, 3000u, 5000u}) {
    RecentTradeIds s(capacity);
    for (std::uint64_t n = 1; n <= 12'000; ++n) {
      ASSERT_FALSE(s.contains(2, id(n))) << n;
      s.insert(2, id(n));
      ASSERT_TRUE(s.contains(2, id(n)));
      if (n > capacity) {
        ASSERT_FALSE(s.contains(2, id(n - capacity))) << capacity << " " << n;
      }
      if (n >= capacity) {
        ASSERT_TRUE(s.contains(2, id(n - capacity + 1))) << capacity << " " << n;
      }
      ASSERT_EQ(s.size(), std::min<std::size_t>(n, capacity));
    }
  }
}

TEST(RecentTradeIds, MatchesAPlainModelOverASeededRun) {
  std::mt19937_64 rng(7);
  constexpr std::size_t kCapacity = 1000;
  RecentTradeIds s(kCapacity);
  std::deque<std::pair<std::uint32_t, std::string>> order;
  std::set<std::pair<std::uint32_t, std::string>> model;
  for (int step = 0; step < 60'000; ++step) {
    // Ids from a small space (so lookups hit often) with lengths across word boundaries.
    const auto inst = static_cast<std::uint32_t>(rng() % 3);
    std::string text = std::to_string(rng() % 2500);
    if (rng() % 4 == 0) text += "-0123456789abcdef";
    const TradeId t = TradeId::from(text);
    const bool known = model.contains({inst, text});
    ASSERT_EQ(s.contains(inst, t), known) << step;
    if (!known) {
      s.insert(inst, t);
      order.emplace_back(inst, text);
      model.insert({inst, text});
      if (order.size() > kCapacity) {
        model.erase(order.front());
        order.pop_front();
      }
    }
    ASSERT_EQ(s.size(), model.size());
  }
  for (const auto& [inst, text] : model) EXPECT_TRUE(s.contains(inst, TradeId::from(text)));
}

}  // namespace
}  // namespace tradingd
