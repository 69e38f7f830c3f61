// MemoryJournal and its ChunkedLog storage: sequences, durability, snapshots across many chunks, and the
// option that keeps no records.
#include <gtest/gtest.h>

#include <string>

#include "execution/chunked_log.h"
#include "execution/memory_journal.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

OrderIntentRecord intent(OrderId id) {
  OrderIntentRecord r;
  r.order_id = id;
  r.client_order_id = ClientOrderId::from("c" + std::to_string(id));
  r.spec = test::limit_spec(Side::Buy, "1", "100");
  r.ts_ns = static_cast<UnixNanos>(id);
  return r;
}

OrderEventRecord event(OrderId id) {
  OrderEventRecord r;
  r.order_id = id;
  r.event = OrderEvent::Accept;
  r.venue_order_id = VenueOrderId::from("V" + std::to_string(id));
  return r;
}

TEST(ChunkedLog, AppendsAcrossChunksWithoutMovingElements) {
  ChunkedLog<std::string, 4> log;
  std::vector<const std::string*> at;
  for (int i = 0; i < 19; ++i) at.push_back(&log.emplace_back("s" + std::to_string(i)));
  ASSERT_EQ(log.size(), 19u);
  for (int i = 0; i < 19; ++i) {
    EXPECT_EQ(log[static_cast<std::size_t>(i)], "s" + std::to_string(i));
    EXPECT_EQ(&log[static_cast<std::size_t>(i)], at[static_cast<std::size_t>(i)]);
  }
  int n = 0;
  log.for_each([&](const std::string& s) { EXPECT_EQ(s, "s" + std::to_string(n++)); });
  EXPECT_EQ(n, 19);
  log.clear();
  EXPECT_TRUE(log.empty());
  log.emplace_back("again");
  EXPECT_EQ(log[0], "again");
}

TEST(MemoryJournal, SnapshotHoldsEveryDurableRecordInOrder) {
  MemoryJournal j(true);
  for (OrderId id = 1; id <= 300; ++id) {
    ASSERT_EQ(*j.append_intent(intent(id)), 2 * id - 1);
    ASSERT_EQ(*j.append_event(event(id)), 2 * id);
  }
  EXPECT_EQ(j.intent_count(), 300u);
  EXPECT_EQ(j.event_count(), 300u);
  EXPECT_EQ(j.durable_seq(), 0u);
  j.make_durable_up_to(401);  // intents 1..201, events 1..200
  const JournalSnapshot s = j.durable_snapshot();
  ASSERT_EQ(s.intents.size(), 201u);
  ASSERT_EQ(s.events.size(), 200u);
  EXPECT_EQ(s.last_seq, 401u);
  for (std::size_t i = 0; i < s.intents.size(); ++i) {
    EXPECT_EQ(s.intents[i].order_id, i + 1);
    EXPECT_EQ(s.intents[i].spec, intent(i + 1).spec);
    EXPECT_EQ(s.intents[i].client_order_id, intent(i + 1).client_order_id);
  }
  for (std::size_t i = 0; i < s.events.size(); ++i) EXPECT_EQ(s.events[i].venue_order_id, event(i + 1).venue_order_id);
  j.clear();
  EXPECT_EQ(j.intent_count(), 0u);
  EXPECT_TRUE(j.durable_snapshot().intents.empty());
}

TEST(MemoryJournal, WithoutRecordsItStillSequencesCountsAndFails) {
  MemoryJournal j(MemoryJournalOptions{.manual_durability = false, .keep_records = false});
  EXPECT_EQ(*j.append_intent(intent(1)), 1u);
  EXPECT_EQ(*j.append_event(event(1)), 2u);
  EXPECT_EQ(j.durable_seq(), 2u);
  EXPECT_EQ(j.intent_count(), 1u);
  EXPECT_EQ(j.event_count(), 1u);
  const JournalSnapshot s = j.durable_snapshot();
  EXPECT_TRUE(s.intents.empty());
  EXPECT_TRUE(s.events.empty());
  EXPECT_EQ(s.last_seq, 2u);
  j.fail_appends(JournalError{JournalErrorKind::Io, "disk"});
  EXPECT_FALSE(j.append_intent(intent(2)));
  EXPECT_EQ(j.intent_count(), 1u);
}

}  // namespace
}  // namespace tradingd
