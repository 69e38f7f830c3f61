// The SQLite journal: round trips through restart, group commit gating sends, crash images, refusal of
// corrupt or foreign files, the process lock, back-pressure, the state store, and the cost statistics.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <atomic>
#include <fstream>

#include "core/clock.h"
#include "execution/journal_export.h"
#include "execution/memory_journal.h"
#include "execution/order_manager.h"
#include "execution/sqlite_journal.h"
#include "execution/state_store.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/journal_sample.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::btc;
using test::fill_event;

std::unique_ptr<SqliteJournal> open_ok(const std::filesystem::path& p, SqliteJournalOptions o = {}) {
  o.fsync = false;  // tests check logic, not the disk; the benchmark measures fsync
  auto j = SqliteJournal::open(p, std::move(o));
  EXPECT_TRUE(j) << (j ? "" : j.error().message);
  return j ? std::move(*j) : nullptr;
}

JournalError open_error(const std::filesystem::path& p) {
  auto j = SqliteJournal::open(p);
  EXPECT_FALSE(j);
  return j ? JournalError{} : j.error();
}

void exec_sql(const std::filesystem::path& p, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(p.string().c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(Journal, AFreshJournalHasAnEpochAndNothingElse) {
  test::TempDir dir;
  auto j = open_ok(dir / "journal.sqlite3");
  EXPECT_EQ(j->epoch().size(), 6u);
  EXPECT_TRUE(j->snapshot().intents.empty());
  EXPECT_EQ(j->durable_seq(), 0u);
  const std::string epoch = j->epoch();
  j.reset();
  EXPECT_EQ(open_ok(dir / "journal.sqlite3")->epoch(), epoch);  // stable across restarts
}

TEST(Journal, RoundTripThroughARestart) {
  test::TempDir dir;
  SimulatedClock clock(1'700'000'000 * kNanosPerSecond);
  MemoryJournal mirror;
  {
    auto j = open_ok(dir / "journal.sqlite3");
    test::write_sample(*j, clock);
    test::write_sample(mirror, clock);  // the same history in memory, to compare against
  }
  auto j = open_ok(dir / "journal.sqlite3");
  const auto& snap = j->snapshot();
  EXPECT_EQ(snap.intents.size(), 4u);
  EXPECT_EQ(snap.events.size(), mirror.durable_snapshot().events.size());
  OrderManager m(clock, *j, *ClientOrderIdCodec::make("td"));
  auto r = m.restore(snap);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(m.find(1)->status(), OrderStatus::Filled);
  EXPECT_EQ(m.find(1)->avg_price(), test::px("99.75"));
  EXPECT_EQ(m.find(1)->fee_in(Asset::from("BNB")), test::money("0.0005"));
  EXPECT_EQ(m.find(2)->status(), OrderStatus::Canceled);
  EXPECT_EQ(m.find(3)->status(), OrderStatus::Rejected);
  EXPECT_EQ(m.find(4)->status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(m.find(4)->venue_order_id().view(), "VD");
  EXPECT_EQ(m.find(1)->spec(), mirror.durable_snapshot().intents[0].spec);
  // Sequences continue after the restart.
  EXPECT_EQ(j->durable_seq(), snap.last_seq);
  OrderEventRecord rec;
  rec.order_id = 4;
  rec.event = OrderEvent::CancelRequest;
  auto seq = j->append_event(rec);
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, snap.last_seq + 1);
}

TEST(Journal, GroupCommitHoldsEverySendUntilItsIntentIsDurable) {
  test::TempDir dir;
  std::atomic<int> commits{0};
  SqliteJournalOptions o;
  o.commit_interval_ms = 60'000;  // never on its own during the test: flush() decides when
  o.on_durable = [&] { ++commits; };
  auto j = open_ok(dir / "journal.sqlite3", o);
  ASSERT_TRUE(j->group_commit());
  SimulatedClock clock;
  test::FakeVenue venue;
  OrderManager m(clock, *j, *ClientOrderIdCodec::make("td"));
  m.add_venue(venue);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(m.submit(*m.create(test::limit_spec(Side::Buy, "1", "100"))));
  EXPECT_EQ(m.poll_journal(), 0u);
  EXPECT_TRUE(venue.submits.empty());
  ASSERT_TRUE(j->flush());
  EXPECT_EQ(commits.load(), 1);  // one commit (one fsync) for the three intents
  EXPECT_EQ(m.poll_journal(), 3u);
  EXPECT_EQ(venue.submits.size(), 3u);
  const auto st = j->stats();
  EXPECT_EQ(st.commits, 1u);
  EXPECT_EQ(st.intents, 3u);
  EXPECT_EQ(st.max_batch, 3u);
}

TEST(Journal, ACrashLosesOnlyIntentsThatWereNeverSent) {
  test::TempDir dir;
  SimulatedClock clock;
  test::FakeVenue venue;
  SqliteJournalOptions o;
  o.commit_interval_ms = 60'000;
  {
    auto j = open_ok(dir / "journal.sqlite3", o);
    OrderManager m(clock, *j, *ClientOrderIdCodec::make("td"));
    m.add_venue(venue);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(m.submit(*m.create(test::limit_spec(Side::Buy, "1", "100"))));
    ASSERT_TRUE(j->flush());
    m.poll_journal();
    venue.emit(fill_event(venue.submits[0].client_order_id, "t1", Side::Buy, "1", "100"));  // queued, not committed
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(m.submit(*m.create(test::limit_spec(Side::Buy, "1", "100"))));
    EXPECT_EQ(venue.submits.size(), 3u);
    j->simulate_crash_for_test();
  }
  auto j = open_ok(dir / "journal.sqlite3");
  const auto& snap = j->snapshot();
  ASSERT_EQ(snap.intents.size(), 3u);  // every order the venue saw is in the journal
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(snap.intents[i].client_order_id, venue.submits[i].client_order_id);
  EXPECT_TRUE(snap.events.empty());  // the fill was lost with the crash: reconciliation fetches it again
  OrderManager m(clock, *j, *ClientOrderIdCodec::make("td"));
  auto r = m.restore(snap);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->next_order_id, 4u);  // ids 4 and 5 were never sent; reusing them is safe
  EXPECT_EQ(r->open_orders, 3u);
}

TEST(Journal, AnImageOfTheFilesTakenWhileWritingIsConsistent) {
  test::TempDir dir;
  test::TempDir copy;
  SimulatedClock clock;
  auto j = open_ok(dir / "journal.sqlite3");
  test::write_sample(*j, clock);
  // What a power cut leaves: the database and its WAL as they are on disk now, no shared memory.
  std::filesystem::copy_file(dir / "journal.sqlite3", copy / "journal.sqlite3");
  if (std::filesystem::exists(dir / "journal.sqlite3-wal"))
    std::filesystem::copy_file(dir / "journal.sqlite3-wal", copy / "journal.sqlite3-wal");
  auto image = open_ok(copy / "journal.sqlite3");
  EXPECT_EQ(image->snapshot().intents.size(), 4u);
  EXPECT_EQ(image->snapshot().last_seq, j->durable_seq());
}

TEST(Journal, OnlyOneProcessMayHoldIt) {
  test::TempDir dir;
  auto j = open_ok(dir / "journal.sqlite3");
  EXPECT_EQ(open_error(dir / "journal.sqlite3").kind, JournalErrorKind::Locked);
  j.reset();
  EXPECT_TRUE(open_ok(dir / "journal.sqlite3"));
}

TEST(Journal, AGarbageFileIsRefused) {
  test::TempDir dir;
  std::ofstream(dir / "journal.sqlite3") << std::string(10'000, 'x');
  const auto e = open_error(dir / "journal.sqlite3");
  EXPECT_EQ(e.kind, JournalErrorKind::Corrupt);
  EXPECT_NE(e.message.find("not a database"), std::string::npos) << e.message;
}

TEST(Journal, CorruptPagesAreRefused) {
  test::TempDir dir;
  SimulatedClock clock;
  {
    auto j = open_ok(dir / "journal.sqlite3");
    test::write_sample(*j, clock);
  }
  exec_sql(dir / "journal.sqlite3",
           "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 800) "
           "INSERT INTO orders SELECT i, i, 'c' || i, 'binance:spot:BTCUSDT', 'buy', 'limit', 'gtc', 1000000000, "
           "100000000000, NULL, 0, NULL, NULL, NULL, 's', 't', 'entry', 0, 0, 0 FROM n;");
  ASSERT_TRUE(open_ok(dir / "journal.sqlite3"));  // still sound before the damage
  {
    std::fstream f(dir / "journal.sqlite3", std::ios::in | std::ios::out | std::ios::binary);
    for (int page = 1; page < 6; ++page) {
      f.seekp(page * 4096);  // the b-tree page header and cell pointers
      f << std::string(1500, '\x5a');
    }
  }
  const auto e = open_error(dir / "journal.sqlite3");
  EXPECT_EQ(e.kind, JournalErrorKind::Corrupt) << e.message;
}

TEST(Journal, AnotherApplicationsDatabaseIsRefused) {
  test::TempDir dir;
  exec_sql(dir / "journal.sqlite3", "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  EXPECT_EQ(open_error(dir / "journal.sqlite3").kind, JournalErrorKind::SchemaMismatch);
}

TEST(Journal, ANewerSchemaVersionIsRefused) {
  test::TempDir dir;
  open_ok(dir / "journal.sqlite3").reset();
  exec_sql(dir / "journal.sqlite3", "PRAGMA user_version=2;");
  const auto e = open_error(dir / "journal.sqlite3");
  EXPECT_EQ(e.kind, JournalErrorKind::SchemaMismatch);
  EXPECT_NE(e.message.find("version 2"), std::string::npos) << e.message;
}

TEST(Journal, RowsThatDoNotParseAreCorrupt) {
  test::TempDir dir;
  SimulatedClock clock;
  {
    auto j = open_ok(dir / "journal.sqlite3");
    test::write_sample(*j, clock);
  }
  exec_sql(dir / "journal.sqlite3", "UPDATE orders SET side='sideways' WHERE order_id=2;");
  auto e = open_error(dir / "journal.sqlite3");
  EXPECT_EQ(e.kind, JournalErrorKind::Corrupt);
  EXPECT_NE(e.message.find("order_id=2"), std::string::npos) << e.message;

  exec_sql(dir / "journal.sqlite3", "UPDATE orders SET side='sell' WHERE order_id=2; "
                                    "INSERT INTO order_events(seq, order_id, kind, ts_event_ns, ts_ns) VALUES(9999, 42, 'accept', 0, 0);");
  e = open_error(dir / "journal.sqlite3");
  EXPECT_EQ(e.kind, JournalErrorKind::Corrupt);
  EXPECT_NE(e.message.find("unknown order 42"), std::string::npos) << e.message;
}

TEST(Journal, AMissingDirectoryIsUnreadable) {
  test::TempDir dir;
  EXPECT_EQ(open_error(dir.path() / "nope" / "journal.sqlite3").kind, JournalErrorKind::Unreadable);
}

TEST(Journal, AFullGroupCommitQueueIsBackPressureNotLoss) {
  test::TempDir dir;
  SqliteJournalOptions o;
  o.commit_interval_ms = 60'000;
  o.queue_capacity = 2;
  auto j = open_ok(dir / "journal.sqlite3", o);
  OrderIntentRecord r;
  r.spec = test::limit_spec(Side::Buy, "1", "1");
  for (OrderId id = 1; id <= 2; ++id) {
    r.order_id = id;
    r.client_order_id = ClientOrderId::from("c" + std::to_string(id));
    ASSERT_TRUE(j->append_intent(r));
  }
  r.order_id = 3;
  r.client_order_id = ClientOrderId::from("c3");
  auto full = j->append_intent(r);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, JournalErrorKind::Backpressure);
  ASSERT_TRUE(j->flush());
  EXPECT_TRUE(j->append_intent(r));  // room again after the commit
  ASSERT_TRUE(j->flush());
  EXPECT_FALSE(j->failure().has_value());
}

TEST(StateStore, KeyValuesAndRecordsSurviveARestart) {
  test::TempDir dir;
  const auto path = journal_path_in(dir.path());
  auto journal = open_ok(path);
  {
    auto store = StateStore::open(path, false);
    ASSERT_TRUE(store) << store.error().message;
    auto& s = **store;
    ASSERT_TRUE(s.put("circuit_breaker", "state", R"({"tripped":true,"reason":"drawdown"})", 5));
    ASSERT_TRUE(s.put("circuit_breaker", "state", R"({"tripped":true,"reason":"manual"})", 6));  // last write wins
    ASSERT_TRUE(s.put("paper.binance", "balances", std::string("USDT=10000\0BTC=1", 16), 7));
    ASSERT_TRUE(s.append("paper.binance.orders", "o1", 1));
    ASSERT_TRUE(s.append("paper.binance.orders", "o2", 2));
    ASSERT_TRUE(s.append("other", "x", 3));
    auto gone = s.erase("paper.binance", "missing");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(*gone);
  }
  journal.reset();
  auto store = StateStore::open(path, false);
  ASSERT_TRUE(store);
  auto& s = **store;
  auto v = s.get("circuit_breaker", "state");
  ASSERT_TRUE(v && *v);
  EXPECT_EQ(**v, R"({"tripped":true,"reason":"manual"})");
  auto bal = s.get("paper.binance", "balances");
  ASSERT_TRUE(bal && *bal);
  EXPECT_EQ((*bal)->size(), 16u);  // binary-safe
  EXPECT_FALSE(*s.get("circuit_breaker", "nope"));
  auto list = s.list("circuit_breaker");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].updated_ns, 6);
  auto recs = s.read("paper.binance.orders");
  ASSERT_TRUE(recs);
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[1].payload, "o2");
  auto later = s.read("paper.binance.orders", (*recs)[0].seq);
  ASSERT_EQ(later->size(), 1u);
  auto cut = s.truncate("paper.binance.orders", (*recs)[0].seq);
  ASSERT_TRUE(cut);
  EXPECT_EQ(*cut, 1u);
  EXPECT_EQ(s.read("paper.binance.orders")->size(), 1u);
  auto erased = s.erase("circuit_breaker", "state");
  EXPECT_TRUE(erased && *erased);
  // The journal still opens cleanly next to it.
  EXPECT_TRUE(open_ok(path));
}

}  // namespace
}  // namespace tradingd

namespace tradingd {
namespace {

TEST(StateStore, WritesAlongsideABusyGroupCommitWriter) {
  test::TempDir dir;
  const auto path = journal_path_in(dir.path());
  SqliteJournalOptions o;
  o.commit_interval_ms = 1;
  o.fsync = false;
  auto j = SqliteJournal::open(path, o);
  ASSERT_TRUE(j);
  auto store = StateStore::open(path, false);
  ASSERT_TRUE(store);
  OrderIntentRecord r;
  r.spec = test::limit_spec(Side::Buy, "1", "1");
  for (OrderId id = 1; id <= 300; ++id) {
    r.order_id = id;
    r.client_order_id = ClientOrderId::from("c" + std::to_string(id));
    ASSERT_TRUE((*j)->append_intent(r));
    ASSERT_TRUE((*store)->put("paper.binance", "n", std::to_string(id), static_cast<UnixNanos>(id)));
  }
  ASSERT_TRUE((*j)->flush());
  EXPECT_FALSE((*j)->failure().has_value());
  EXPECT_EQ(**(*store)->get("paper.binance", "n"), "300");
}

}  // namespace
}  // namespace tradingd
