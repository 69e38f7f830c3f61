// The OrderBook against a plain std::map model under random updates (near the top, deep, deletes of
// absent levels), and its snapshot, truncate and accessor semantics.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "exchange/book/order_book.h"

namespace tradingd {
namespace {

Price px(std::int64_t ticks) { return Price::from_raw(ticks * 1'000'000); }
Quantity qty(std::int64_t units) { return Quantity::from_raw(units * 1'000'000'000); }

void expect_matches(const OrderBook& book, const std::map<std::int64_t, std::int64_t>& bids,
                    const std::map<std::int64_t, std::int64_t>& asks) {
  ASSERT_EQ(book.depth(Side::Buy), bids.size());
  ASSERT_EQ(book.depth(Side::Sell), asks.size());
  std::size_t i = 0;
  for (auto it = bids.rbegin(); it != bids.rend(); ++it, ++i) {
    EXPECT_EQ(book.level(Side::Buy, i).price.raw(), it->first);
    EXPECT_EQ(book.level(Side::Buy, i).size.raw(), it->second);
  }
  i = 0;
  for (auto it = asks.begin(); it != asks.end(); ++it, ++i) {
    EXPECT_EQ(book.level(Side::Sell, i).price.raw(), it->first);
    EXPECT_EQ(book.level(Side::Sell, i).size.raw(), it->second);
  }
}

TEST(OrderBook, MatchesMapModelUnderRandomUpdates) {
  std::mt19937_64 rng(7);
  OrderBook book;
  std::map<std::int64_t, std::int64_t> bids, asks;
  for (int step = 0; step < 50000; ++step) {
    const Side side = rng() % 2 ? Side::Buy : Side::Sell;
    // Mostly within 10 ticks of the touch (where the scan finds them), sometimes up to 2000 deep.
    const std::int64_t depth = rng() % 10 < 8 ? static_cast<std::int64_t>(rng() % 10) : static_cast<std::int64_t>(rng() % 2000);
    const std::int64_t ticks = side == Side::Buy ? 100000 - depth : 100001 + depth;
    const std::int64_t size = rng() % 4 == 0 ? 0 : static_cast<std::int64_t>(rng() % 50 + 1);
    book.set_level(side, px(ticks), qty(size));
    auto& model = side == Side::Buy ? bids : asks;
    if (size == 0) model.erase(px(ticks).raw());
    else model[px(ticks).raw()] = qty(size).raw();
    if (step % 997 == 0) expect_matches(book, bids, asks);
  }
  expect_matches(book, bids, asks);
  EXPECT_FALSE(book.is_crossed());
}

TEST(OrderBook, ApplyLevelsEqualsSetLevelInTurn) {
  std::mt19937_64 rng(11);
  OrderBook a, b;
  for (int step = 0; step < 20000; ++step) {
    const Side side = rng() % 2 ? Side::Buy : Side::Sell;
    std::vector<BookLevel> levels;
    const int n = static_cast<int>(rng() % 12);
    std::int64_t depth = static_cast<std::int64_t>(rng() % 30);
    for (int k = 0; k < n; ++k) {
      // Mostly best first (worse and worse prices) as venues send them; sometimes out of order or repeated.
      depth += rng() % 5 == 0 ? -static_cast<std::int64_t>(rng() % 10) : static_cast<std::int64_t>(rng() % 40);
      if (depth < 0) depth = 0;
      const std::int64_t ticks = side == Side::Buy ? 100000 - depth : 100001 + depth;
      levels.push_back({px(ticks), rng() % 4 == 0 ? Quantity::zero() : qty(static_cast<std::int64_t>(rng() % 9 + 1))});
    }
    a.apply_levels(side, levels);
    for (const auto& l : levels) b.set_level(side, l.price, l.size);
  }
  ASSERT_EQ(a.depth(Side::Buy), b.depth(Side::Buy));
  ASSERT_EQ(a.depth(Side::Sell), b.depth(Side::Sell));
  for (Side side : {Side::Buy, Side::Sell})
    for (std::size_t i = 0; i < a.depth(side); ++i) ASSERT_EQ(a.level(side, i), b.level(side, i));
  EXPECT_GT(a.depth(Side::Buy), 100u);
}

TEST(OrderBook, SnapshotSortsDropsZerosAndLastDuplicateWins) {
  OrderBook book;
  book.set_level(Side::Buy, px(1), qty(1));  // replaced entirely
  std::vector<BookLevel> bids{{px(100), qty(1)}, {px(98), qty(2)}, {px(99), qty(0)}, {px(98), qty(5)}};
  std::vector<BookLevel> asks{{px(103), qty(3)}, {px(101), qty(4)}, {px(102), qty(1)}, {px(102), qty(0)}};
  book.apply_snapshot(bids, asks);
  std::map<std::int64_t, std::int64_t> mb{{px(100).raw(), qty(1).raw()}, {px(98).raw(), qty(5).raw()}};
  std::map<std::int64_t, std::int64_t> ma{{px(101).raw(), qty(4).raw()}, {px(103).raw(), qty(3).raw()}};
  expect_matches(book, mb, ma);
  EXPECT_EQ(book.best_bid()->price, px(100));
  EXPECT_EQ(book.best_ask()->price, px(101));
  EXPECT_EQ(book.size_at(Side::Buy, px(98)), qty(5));
  EXPECT_EQ(book.size_at(Side::Sell, px(102)), Quantity::zero());
}

TEST(OrderBook, TruncateKeepsBestLevels) {
  OrderBook book;
  for (int i = 0; i < 10; ++i) {
    book.set_level(Side::Buy, px(100 - i), qty(1));
    book.set_level(Side::Sell, px(101 + i), qty(1));
  }
  book.truncate(Side::Buy, 3);
  book.truncate(Side::Sell, 50);
  ASSERT_EQ(book.depth(Side::Buy), 3u);
  EXPECT_EQ(book.level(Side::Buy, 2).price, px(98));
  EXPECT_EQ(book.depth(Side::Sell), 10u);
}

TEST(OrderBook, RemovingAnAbsentLevelIsANoOp) {
  OrderBook book;
  book.set_level(Side::Sell, px(5), Quantity::zero());
  EXPECT_TRUE(book.empty());
  book.set_level(Side::Buy, px(4), qty(2));
  book.set_level(Side::Sell, px(4), qty(2));
  EXPECT_TRUE(book.is_crossed());
  EXPECT_EQ(*book.mid(), px(4));
}

}  // namespace
}  // namespace tradingd
