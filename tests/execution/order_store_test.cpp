// OrderStore: lookup by id, id-ordered iteration with gaps, stable addresses across chunks, and the open
// list (O(1) add/close, id order, closing while walking).
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "execution/order_store.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

Order& add(OrderStore& s, OrderId id) {
  return s.add(id, ClientOrderId::from("c" + std::to_string(id)), test::limit_spec(Side::Buy, "1", "100"), 5);
}

std::vector<OrderId> ids(const OrderStore& s) {
  std::vector<OrderId> r;
  s.for_each([&](const Order& o) { r.push_back(o.id()); });
  return r;
}

std::vector<OrderId> open_ids(const OrderStore& s) {
  std::vector<OrderId> r;
  s.for_each_open([&](const Order& o) { r.push_back(o.id()); });
  return r;
}

TEST(OrderStore, EmptyFindsNothing) {
  OrderStore s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.find(0), nullptr);
  EXPECT_EQ(s.find(1), nullptr);
  EXPECT_TRUE(ids(s).empty());
  EXPECT_TRUE(open_ids(s).empty());
  s.close(1);  // unknown: nothing happens
  EXPECT_EQ(s.open_count(), 0u);
}

TEST(OrderStore, FindsByIdAcrossChunksWithStableAddresses) {
  OrderStore s;
  std::vector<const Order*> addresses;
  for (OrderId id = 10; id < 10 + 1000; ++id) addresses.push_back(&add(s, id));
  EXPECT_EQ(s.size(), 1000u);
  for (OrderId id = 10; id < 10 + 1000; ++id) {
    const Order* o = s.find(id);
    ASSERT_NE(o, nullptr) << id;
    EXPECT_EQ(o, addresses[id - 10]);
    EXPECT_EQ(o->id(), id);
    EXPECT_EQ(o->client_order_id().view(), "c" + std::to_string(id));
  }
  EXPECT_EQ(s.find(9), nullptr);
  EXPECT_EQ(s.find(1010), nullptr);
}

TEST(OrderStore, GapsAreEmptyAndIterationIsInIdOrder) {
  OrderStore s;
  for (OrderId id : {3, 4, 7, 200, 201, 1000}) add(s, id);
  EXPECT_EQ(ids(s), (std::vector<OrderId>{3, 4, 7, 200, 201, 1000}));
  EXPECT_EQ(s.find(5), nullptr);
  EXPECT_EQ(s.find(500), nullptr);
  EXPECT_NE(s.find(1000), nullptr);
  EXPECT_EQ(s.size(), 6u);
}

TEST(OrderStore, IdsMustIncrease) {
  OrderStore s;
  add(s, 5);
  EXPECT_THROW(add(s, 5), std::invalid_argument);
  EXPECT_THROW(add(s, 4), std::invalid_argument);
  EXPECT_EQ(s.size(), 1u);
  add(s, 6);
  EXPECT_EQ(ids(s), (std::vector<OrderId>{5, 6}));
}

TEST(OrderStore, OpenListKeepsIdOrderThroughCloses) {
  OrderStore s;
  for (OrderId id = 1; id <= 6; ++id) add(s, id);
  EXPECT_EQ(s.open_count(), 6u);
  s.close(1);  // head
  s.close(6);  // tail
  s.close(3);  // middle
  s.close(3);  // again: idempotent
  EXPECT_EQ(open_ids(s), (std::vector<OrderId>{2, 4, 5}));
  EXPECT_EQ(s.open_count(), 3u);
  EXPECT_FALSE(s.is_listed_open(3));
  EXPECT_TRUE(s.is_listed_open(4));
  add(s, 9);
  EXPECT_EQ(open_ids(s), (std::vector<OrderId>{2, 4, 5, 9}));
  for (OrderId id : {2, 4, 5, 9}) s.close(id);
  EXPECT_TRUE(open_ids(s).empty());
  add(s, 10);  // the list works again from empty
  EXPECT_EQ(open_ids(s), (std::vector<OrderId>{10}));
  EXPECT_EQ(ids(s).size(), 8u);  // closing never removes an order
}

TEST(OrderStore, TheWalkMayCloseTheOrderItIsGiven) {
  OrderStore s;
  for (OrderId id = 1; id <= 5; ++id) add(s, id);
  std::vector<OrderId> seen;
  s.for_each_open([&](const Order& o) {
    seen.push_back(o.id());
    if (o.id() % 2 == 1) s.close(o.id());
  });
  EXPECT_EQ(seen, (std::vector<OrderId>{1, 2, 3, 4, 5}));
  EXPECT_EQ(open_ids(s), (std::vector<OrderId>{2, 4}));
}

TEST(OrderStore, VenueIdQueuedFlagIsPerOrder) {
  OrderStore s;
  add(s, 1);
  add(s, 2);
  EXPECT_FALSE(s.venue_id_queued(1));
  s.set_venue_id_queued(1);
  EXPECT_TRUE(s.venue_id_queued(1));
  EXPECT_FALSE(s.venue_id_queued(2));
  s.set_venue_id_queued(99);  // unknown: ignored
  EXPECT_FALSE(s.venue_id_queued(99));
}

TEST(OrderStore, QueueVenueIdIsTrueOnlyTheFirstTime) {
  OrderStore s;
  add(s, 1);
  add(s, 2);
  EXPECT_TRUE(s.queue_venue_id(1));
  EXPECT_TRUE(s.venue_id_queued(1));
  EXPECT_FALSE(s.queue_venue_id(1));
  EXPECT_FALSE(s.venue_id_queued(2));
  s.set_venue_id_queued(2);
  EXPECT_FALSE(s.queue_venue_id(2));  // set by the other setter: already queued
  EXPECT_FALSE(s.queue_venue_id(99));  // unknown: nothing to queue
}

TEST(OrderStore, OrdersWithSpilledFillsAreReleased) {
  // Many fills move an order's fills to the heap; the store's destructor must free them (ASan/LSan).
  OrderStore s;
  Order& o = s.add(1, ClientOrderId::from("c1"), test::limit_spec(Side::Buy, "10", "100"), 0);
  ASSERT_TRUE(o.apply(OrderEvent::Submit, {}).applied());
  ASSERT_TRUE(o.accept(VenueOrderId::from("V1"), {}).applied());
  for (int i = 0; i < 5; ++i) {
    Fill f;
    f.trade_id = TradeId::from("t" + std::to_string(i));
    f.quantity = test::qty("1");
    f.price = test::px("100");
    f.fee = test::money("0.1");
    f.fee_asset = Asset::from(i % 2 ? "USDT" : "BNB");
    ASSERT_TRUE(o.apply_fill(f, {}).applied()) << i;
  }
  EXPECT_EQ(s.find(1)->fills().size(), 5u);
  EXPECT_EQ(s.find(1)->fees().size(), 2u);
}

}  // namespace
}  // namespace tradingd
