// The venue's order storage: the flat id index (SlotIndex), the reused FIFO (RingQueue), the decimal ids,
// and what they serve — lookups by client and venue order id, retention of finished orders (forgotten
// after max_terminal_orders_kept, a reused client id always naming its latest order), and snapshots.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "execution/sim/decimal_id.h"
#include "execution/sim/latency_model.h"
#include "execution/sim/order_store.h"
#include "execution/sim/ring_queue.h"
#include "execution/sim/slot_index.h"
#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

// --- SlotIndex -------------------------------------------------------------------------------------------

// Keys live in "slots" (here a vector of strings); hash_of may collide on purpose.
struct IndexHarness {
  std::vector<std::string> slots;
  SlotIndex index;
  std::uint64_t (*hash_of)(const std::string&) = [](const std::string& k) { return hash_text(k); };

  std::uint32_t find(const std::string& k) const {
    return index.find(hash_of(k), [&](std::uint32_t s) { return slots[s] == k; });
  }
  void assign(const std::string& k, std::uint32_t s) {
    index.assign(hash_of(k), s, [&](std::uint32_t t) { return slots[t] == k; });
  }
};

TEST(SlotIndex, FindsAssignsReplacesAndErasesBySlot) {
  IndexHarness h;
  h.slots = {"a", "b", "a"};
  EXPECT_EQ(h.find("a"), SlotIndex::npos);
  h.assign("a", 0);
  h.assign("b", 1);
  EXPECT_EQ(h.find("a"), 0u);
  EXPECT_EQ(h.find("b"), 1u);
  EXPECT_EQ(h.index.size(), 2u);
  h.assign("a", 2);  // the key now names another slot
  EXPECT_EQ(h.find("a"), 2u);
  EXPECT_EQ(h.index.size(), 2u);
  EXPECT_FALSE(h.index.erase(hash_text("a"), 0));  // the old slot is no longer indexed: nothing to erase
  EXPECT_EQ(h.find("a"), 2u);
  EXPECT_TRUE(h.index.erase(hash_text("a"), 2));
  EXPECT_EQ(h.find("a"), SlotIndex::npos);
  EXPECT_EQ(h.find("b"), 1u);
  h.index.clear();
  EXPECT_EQ(h.find("b"), SlotIndex::npos);
  EXPECT_TRUE(h.index.empty());
}

// Random inserts, replacements and erases against std::map, with good hashes and with hashes that
// collide in heavy clusters (exercising the probe runs and the backward-shift erase across wrap-around).
void random_against_reference(std::uint64_t (*hash_of)(const std::string&), std::uint64_t seed) {
  IndexHarness h;
  h.hash_of = hash_of;
  std::map<std::string, std::uint32_t> ref;
  SimRng r(seed);
  for (int step = 0; step < 20000; ++step) {
    const std::string k = "k" + std::to_string(r.uniform_inclusive(400));
    if (r.uniform_inclusive(2) != 0) {
      const auto s = static_cast<std::uint32_t>(h.slots.size());
      h.slots.push_back(k);
      h.assign(k, s);
      ref[k] = s;
    } else if (auto it = ref.find(k); it != ref.end()) {
      ASSERT_TRUE(h.index.erase(hash_of(k), it->second));
      ref.erase(it);
    }
    ASSERT_EQ(h.index.size(), ref.size());
    if (step % 97 == 0) {
      for (int i = 0; i <= 400; ++i) {
        const std::string q = "k" + std::to_string(i);
        const auto it = ref.find(q);
        ASSERT_EQ(h.find(q), it == ref.end() ? SlotIndex::npos : it->second) << q << " at step " << step;
      }
    }
  }
}

TEST(SlotIndex, MatchesAMapUnderRandomOperations) {
  random_against_reference([](const std::string& k) { return hash_text(k); }, 1);
}

TEST(SlotIndex, MatchesAMapWhenHashesCollide) {
  // 8 distinct hashes for 400 keys: long runs, equal hashes told apart by the key.
  random_against_reference([](const std::string& k) { return hash_text(k) % 8; }, 2);
  // Hashes that land on the last buckets, so runs wrap around the table's end.
  random_against_reference([](const std::string& k) { return ~std::uint64_t{0} - hash_text(k) % 16; }, 3);
}

// --- RingQueue -------------------------------------------------------------------------------------------

TEST(RingQueue, IsAFifoAcrossGrowthAndWrapAround) {
  RingQueue<std::string> q;
  EXPECT_TRUE(q.empty());
  int pushed = 0, popped = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < round % 13 + 1; ++i) q.push_back("v" + std::to_string(pushed++));
    for (int i = 0; i < round % 7 + 1 && !q.empty(); ++i) {
      ASSERT_EQ(q.front(), "v" + std::to_string(popped++));
      q.pop_front();
    }
    ASSERT_EQ(q.size(), static_cast<std::size_t>(pushed - popped));
    for (std::size_t i = 0; i < q.size(); ++i) ASSERT_EQ(q[i], "v" + std::to_string(popped + static_cast<int>(i)));
  }
  q.clear();
  EXPECT_TRUE(q.empty());
  q.push_back("again");
  EXPECT_EQ(q.front(), "again");
}

TEST(RingQueue, PushSlotAppendsInPlaceAndKeepsTheOrderAcrossGrowth) {
  RingQueue<int> q;
  int next = 0, popped = 0;
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < round % 11 + 1; ++i) q.push_slot() = next++;  // the slot may hold an old value
    for (int i = 0; i < round % 5 + 1 && !q.empty(); ++i) {
      ASSERT_EQ(q.front(), popped++);
      q.pop_front();
    }
    ASSERT_EQ(q.size(), static_cast<std::size_t>(next - popped));
  }
}

TEST(RingQueue, BackIterationAndDropFrontFollowTheFifoAcrossWrapAround) {
  RingQueue<int> q;
  EXPECT_EQ(q.begin(), q.end());
  q.drop_front(0);  // nothing to drop, nothing allocated yet
  EXPECT_TRUE(q.empty());
  int next = 0, first = 0;
  for (int round = 0; round < 60; ++round) {
    for (int i = 0; i < round % 9 + 1; ++i) q.push_back(next++);
    ASSERT_EQ(q.back(), next - 1);
    const std::size_t drop = std::min<std::size_t>(q.size(), static_cast<std::size_t>(round % 6));
    q.drop_front(drop);
    first += static_cast<int>(drop);
    ASSERT_EQ(q.size(), static_cast<std::size_t>(next - first));
    std::vector<int> seen(q.begin(), q.end());
    std::vector<int> expected;
    for (int v = first; v < next; ++v) expected.push_back(v);
    ASSERT_EQ(seen, expected);
    if (!q.empty()) {
      ASSERT_EQ(q.front(), first);
      ASSERT_EQ(q.back(), next - 1);
    }
  }
  q.back() = -1;
  EXPECT_EQ(q[q.size() - 1], -1);
}

// --- SlotIndex growth ------------------------------------------------------------------------------------

TEST(SlotIndex, ReserveGrowsToTheDoublingSizeInOneStepAndKeepsEveryEntry) {
  IndexHarness h;
  for (int i = 0; i < 100; ++i) h.slots.push_back("k" + std::to_string(i));
  for (std::uint32_t i = 0; i < 100; ++i) h.assign(h.slots[i], i);
  EXPECT_EQ(h.index.capacity(), 128u);  // 32, 64, 128, 256 entries of table: room for half
  h.index.reserve(1'000);
  EXPECT_EQ(h.index.capacity(), 1'024u);  // what doubling would reach: 2'048 entries of table
  h.index.reserve(10);                    // never shrinks
  EXPECT_EQ(h.index.capacity(), 1'024u);
  EXPECT_EQ(h.index.size(), 100u);
  for (std::uint32_t i = 0; i < 100; ++i) ASSERT_EQ(h.find(h.slots[i]), i);
  EXPECT_EQ(h.find("absent"), SlotIndex::npos);
  for (int i = 100; i < 1'000; ++i) h.slots.push_back("k" + std::to_string(i));
  for (std::uint32_t i = 100; i < 1'000; ++i) h.assign(h.slots[i], i);
  EXPECT_EQ(h.index.capacity(), 1'024u);  // reserved room: no growth on the way
  for (std::uint32_t i = 0; i < 1'000; ++i) ASSERT_EQ(h.find(h.slots[i]), i);
  SlotIndex fresh;
  fresh.reserve(3);
  EXPECT_EQ(fresh.capacity(), 16u);  // the smallest table
}

// --- OrderStore ------------------------------------------------------------------------------------------

TEST(OrderStore, OrdersNeverMoveWhileTheStoreGrows) {
  OrderStore store;
  SimOrder& first = store.add();
  first.seq = 42;
  std::vector<const SimOrder*> where;
  for (std::uint32_t i = 1; i < 3 * OrderStore::kBlock + 5; ++i) {
    SimOrder& o = store.add();
    EXPECT_EQ(o.seq, 0u);  // fresh
    o.seq = i;
    where.push_back(&o);
  }
  EXPECT_EQ(store.size(), 3 * OrderStore::kBlock + 5);
  EXPECT_EQ(&store[0], &first);
  EXPECT_EQ(first.seq, 42u);
  for (std::uint32_t i = 1; i < store.size(); ++i) {
    EXPECT_EQ(&store[i], where[i - 1]);
    EXPECT_EQ(store[i].seq, i);
  }
  store.clear();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.add().seq, 0u);  // reused memory, reset order
}

// --- Decimal ids -----------------------------------------------------------------------------------------

TEST(DecimalId, RoundTripsCanonicalDecimalOnly) {
  EXPECT_EQ(decimal_id<47>(1).view(), "1");
  EXPECT_EQ(decimal_id<47>(18446744073709551615ULL).view(), "18446744073709551615");
  EXPECT_EQ(decimal_id_number("12345"), 12345u);
  EXPECT_EQ(decimal_id_number(decimal_id<47>(987654321).view()), 987654321u);
  EXPECT_EQ(decimal_id_number(""), 0u);
  EXPECT_EQ(decimal_id_number("0"), 0u);
  EXPECT_EQ(decimal_id_number("017"), 0u);  // not the text the venue makes for 17
  EXPECT_EQ(decimal_id_number("17a"), 0u);
  EXPECT_EQ(decimal_id_number("-3"), 0u);
  EXPECT_EQ(decimal_id_number("99999999999999999999999"), 0u);  // out of range
}

TEST(DecimalCounter, SpellsWhatDecimalIdSpellsAcrossEveryDigitCountChange) {
  DecimalCounter<47> c;
  for (std::uint64_t n = 1; n <= 100'500; ++n) {
    ASSERT_EQ(c.next(), n);
    ASSERT_EQ(c.take(), decimal_id<47>(n));
  }
  // From anywhere (a restored snapshot), including the carries into a new digit.
  for (std::uint64_t start : {0ULL, 9ULL, 999'999'999ULL, 9'999'999'999'999'999'998ULL}) {
    c.reset(start);
    for (std::uint64_t n = start; n < start + 3; ++n) EXPECT_EQ(c.take(), decimal_id<47>(n)) << n;
  }
  // The last number, then the wrap to 0 the number itself makes.
  c.reset(18446744073709551615ULL);
  EXPECT_EQ(c.take().view(), "18446744073709551615");
  EXPECT_EQ(c.next(), 0u);
  EXPECT_EQ(c.take().view(), "0");
  EXPECT_EQ(c.take().view(), "1");
}

// --- The venue's lookups and retention -------------------------------------------------------------------

CancelRequest by_venue_id(const Scenario& s, const char* venue_id) {
  CancelRequest c;
  c.instrument = s.id;
  c.venue_order_id = VenueOrderId::from(venue_id);
  return c;
}

TEST(SimOrderStorage, CancelByVenueOrderIdFindsTheOrder) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"101", "1"}});
  s.limit("l1", Side::Buy, "1", "99").limit("l2", Side::Buy, "1", "98").at(1);
  s.venue().cancel(by_venue_id(s, "2"));
  s.venue().cancel(by_venue_id(s, "02"));  // not an id this venue gave
  s.venue().cancel(by_venue_id(s, "9"));
  s.at(2);
  EXPECT_EQ(s.events_of("canceled"), "1 canceled l2\n");
  EXPECT_EQ(s.venue().stats().cancel_rejects, 2u);
  EXPECT_EQ(s.order("l1")->status, OrderStatus::Accepted);
  EXPECT_EQ(s.order("l2")->status, OrderStatus::Canceled);
  // A finished order is found but not canceled again: the cancel lost the race.
  s.venue().cancel(by_venue_id(s, "2"));
  s.at(3);
  EXPECT_EQ(s.venue().stats().cancel_rejects, 3u);
}

TEST(SimOrderStorage, FinishedOrdersAreForgottenOldestFirstAndAReusedClientIdNamesTheLatest) {
  SimVenueConfig cfg = default_config();
  cfg.max_terminal_orders_kept = 2;
  Scenario s(cfg);
  s.at(0).book({{"99", "1"}}, {{"100", "100"}});
  s.market("m1", Side::Buy, "0.1").market("m2", Side::Buy, "0.1").market("m3", Side::Buy, "0.1");
  s.market("m4", Side::Buy, "0.1").at(1);
  EXPECT_FALSE(s.order("m1"));
  EXPECT_FALSE(s.order("m2"));
  ASSERT_TRUE(s.order("m3"));
  EXPECT_EQ(s.order("m3")->status, OrderStatus::Filled);
  EXPECT_EQ(s.order("m3")->venue_order_id.view(), "3");
  EXPECT_EQ(s.order("m4")->venue_order_id.view(), "4");
  std::string err;
  s.venue().query_order(s.id, ClientOrderId::from("m1"), [&](Result<OrderStatusReport, VenueError> r) {
    err = std::string(to_string(r.error().reason));
  });
  EXPECT_EQ(err, "unknown_order");

  // m3 again (allowed: the first m3 is finished) takes a reused slot; forgetting the first m3 must not
  // forget the second.
  s.at(2).market("m3", Side::Buy, "0.2").at(3);
  ASSERT_TRUE(s.order("m3"));
  EXPECT_EQ(s.order("m3")->venue_order_id.view(), "5");
  EXPECT_EQ(s.order("m3")->filled_quantity, Quantity::from_string("0.2"));
  s.at(4).market("m6", Side::Buy, "0.1").at(5);
  EXPECT_FALSE(s.order("m4"));
  ASSERT_TRUE(s.order("m3"));
  EXPECT_EQ(s.order("m3")->venue_order_id.view(), "5");
  EXPECT_EQ(s.order("m6")->venue_order_id.view(), "6");
  // An open order is never forgotten, however many finish after it.
  s.limit("rest", Side::Buy, "0.1", "90").at(6);
  for (int i = 0; i < 5; ++i) s.market(("x" + std::to_string(i)).c_str(), Side::Buy, "0.1");
  s.at(7);
  ASSERT_TRUE(s.order("rest"));
  EXPECT_EQ(s.order("rest")->status, OrderStatus::Accepted);
  s.venue().cancel(by_venue_id(s, s.order("rest")->venue_order_id.str().c_str()));
  s.at(8);
  EXPECT_EQ(s.order("rest")->status, OrderStatus::Canceled);
}

// The indexes jump to their reserved size at the 1,024th order: every order, before and after, stays found
// by client id and by venue id, finished and open alike.
TEST(SimOrderStorage, OrdersStayFoundAcrossTheIndexJumpAt1024Orders) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "100000"}});
  s.limit("open", Side::Buy, "0.1", "90");
  for (int i = 0; i < 1'500; ++i) s.market(("m" + std::to_string(i)).c_str(), Side::Buy, "0.1");
  s.at(1);
  for (int i : {0, 1, 1'021, 1'022, 1'023, 1'024, 1'025, 1'499}) {
    const std::string id = "m" + std::to_string(i);
    const auto r = s.order(id.c_str());
    ASSERT_TRUE(r) << id;
    EXPECT_EQ(r->status, OrderStatus::Filled) << id;
    EXPECT_EQ(r->venue_order_id.view(), std::to_string(i + 2)) << id;  // "open" took venue id 1
  }
  ASSERT_TRUE(s.order("open"));
  s.venue().cancel(by_venue_id(s, "1"));  // the first order, indexed before the jump
  s.venue().cancel(by_venue_id(s, "1501"));  // finished: found, but the cancel lost the race
  s.at(2);
  EXPECT_EQ(s.order("open")->status, OrderStatus::Canceled);
  EXPECT_EQ(s.venue().stats().cancels, 1u);
  EXPECT_EQ(s.venue().stats().cancel_rejects, 1u);
  // New orders after the jump are indexed as well.
  s.limit("late", Side::Buy, "0.1", "90").at(3);
  ASSERT_TRUE(s.order("late"));
  EXPECT_EQ(s.order("late")->venue_order_id.view(), "1502");
  s.venue().cancel(by_venue_id(s, "1502"));
  s.at(4);
  EXPECT_EQ(s.order("late")->status, OrderStatus::Canceled);
}

TEST(SimOrderStorage, RestoredOrdersAreFoundByAnyVenueOrderIdText) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"101", "1"}});
  s.limit("a", Side::Buy, "1", "99").limit("b", Side::Buy, "1", "98").at(1);
  SimVenueSnapshot snap = s.venue().snapshot();
  ASSERT_EQ(snap.orders.size(), 2u);
  snap.orders[0].venue_order_id = VenueOrderId::from("ext-7");  // not one of our decimal ids

  Scenario r;
  r.at(1);
  ASSERT_TRUE(r.venue().restore(snap).ok());
  EXPECT_EQ(r.order("a")->venue_order_id.view(), "ext-7");
  EXPECT_EQ(r.order("b")->venue_order_id.view(), "2");
  r.venue().cancel(by_venue_id(r, "1"));  // a's old number no longer names it
  r.venue().cancel(by_venue_id(r, "ext-7"));
  r.venue().cancel(by_venue_id(r, "2"));
  r.at(2);
  EXPECT_EQ(r.events_of("canceled"), "1 canceled a\n1 canceled b\n");
  EXPECT_EQ(r.venue().stats().cancel_rejects, 1u);
  // New orders continue the snapshot's numbering.
  r.limit("c", Side::Buy, "1", "97").at(3);
  EXPECT_EQ(r.order("c")->venue_order_id.view(), "3");
}

}  // namespace
}  // namespace tradingd::sim::test
