// InlineVector: inline until it outgrows N, then on the heap; copies and moves keep the contents.
#include <gtest/gtest.h>

#include <span>
#include <utility>

#include "execution/inline_vector.h"

namespace tradingd {
namespace {

struct Item {
  int a = 0;
  long b = 0;
  friend bool operator==(const Item&, const Item&) = default;
};

using Vec = InlineVector<Item, 2>;

Vec filled(int n) {
  Vec v;
  for (int i = 0; i < n; ++i) v.push_back(Item{i, i * 10L});
  return v;
}

void expect_items(const Vec& v, int n) {
  ASSERT_EQ(v.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], (Item{i, i * 10L}));
  const std::span<const Item> s = v;
  EXPECT_EQ(s.size(), v.size());
  EXPECT_EQ(s.data(), v.data());
}

TEST(InlineVector, StaysInlineUpToItsCapacityThenGrows) {
  Vec v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.capacity(), 2u);
  v.push_back({0, 0});
  v.push_back({1, 10});
  EXPECT_EQ(v.capacity(), 2u);
  const auto* inline_at = v.data();
  v.push_back({2, 20});
  EXPECT_NE(v.data(), inline_at);
  EXPECT_GE(v.capacity(), 3u);
  for (int i = 3; i < 50; ++i) v.push_back(Item{i, i * 10L});
  expect_items(v, 50);
}

TEST(InlineVector, PushBackOfItsOwnElementWhileGrowing) {
  Vec v = filled(2);
  v.push_back(v[0]);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[2], (Item{0, 0}));
}

TEST(InlineVector, CopiesAndMovesInlineAndHeapContents) {
  for (int n : {0, 1, 2, 3, 17}) {
    const Vec src = filled(n);
    Vec copy(src);
    expect_items(copy, n);
    Vec assigned = filled(5);
    assigned = src;
    expect_items(assigned, n);
    Vec moved(std::move(copy));
    expect_items(moved, n);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    Vec move_assigned = filled(1);
    move_assigned = std::move(moved);
    expect_items(move_assigned, n);
    expect_items(src, n);
  }
}

TEST(InlineVector, ReserveKeepsContentsAndClearKeepsCapacity) {
  Vec v = filled(2);
  v.reserve(10);
  EXPECT_GE(v.capacity(), 10u);
  expect_items(v, 2);
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_GE(v.capacity(), 10u);
}

}  // namespace
}  // namespace tradingd
