// Start-up reconciliation against a fake venue: the daemon "crashed" with a journal (MemoryJournal's
// durable part) and restarts into a fresh OrderManager whose venue holds the truth.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "execution/memory_journal.h"
#include "execution/reconciler.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::btc;
using test::fill_event;

constexpr UnixNanos kT0 = 1'700'000'000 * kNanosPerSecond;

class ReconcilerTest : public ::testing::Test {
 protected:
  // Before the crash: orders sent through `before_`, events as the journal recorded them.
  ReconcilerTest() { before_mgr_.add_venue(before_venue_); }

  ClientOrderId send(const char* q = "1") {
    const OrderId id = *before_mgr_.create(test::limit_spec(Side::Buy, q, "100"));
    EXPECT_TRUE(before_mgr_.submit(id));
    return before_mgr_.find(id)->client_order_id();
  }
  OrderFilled fill(const ClientOrderId& cid, const char* trade, const char* q) {
    auto f = fill_event(cid, trade, Side::Buy, q, "100");
    f.ts_event_ns = clock_.now_ns();
    return f;
  }
  OrderStatusReport truth(const ClientOrderId& cid, OrderStatus s, const char* filled, const char* vid = "V1") {
    OrderStatusReport r;
    r.instrument = btc();
    r.client_order_id = cid;
    r.venue_order_id = VenueOrderId::from(vid);
    r.status = s;
    r.quantity = test::qty("1");
    r.filled_quantity = test::qty(filled);
    return r;
  }
  // The restart: restore, reconcile, return the report.
  ReconcileReport restart(ReconcileOptions options = {}) {
    auto r = manager_.restore(journal_.durable_snapshot());
    EXPECT_TRUE(r) << (r ? "" : r.error());
    manager_.add_venue(venue_);
    Reconciler rec(manager_, resolver_, options);
    std::optional<ReconcileReport> report;
    rec.run([&](const ReconcileReport& rep) { report = rep; });
    for (int i = 0; i < 10 && !report; ++i) venue_.run_pending();  // asynchronous venues answer later
    EXPECT_TRUE(report.has_value());
    return report.value_or(ReconcileReport{});
  }
  const Order& order(const ClientOrderId& cid) { return *manager_.find_by_client_id(cid); }

  SimulatedClock clock_{kT0};
  MemoryJournal journal_;
  test::FakeVenue before_venue_;
  OrderManager before_mgr_{clock_, journal_, *ClientOrderIdCodec::make("tdabc")};

  MemoryJournal after_journal_;
  test::FakeVenue venue_;
  OrderManager manager_{clock_, after_journal_, *ClientOrderIdCodec::make("tdabc")};
  OrderResolver resolver_{manager_};
};

TEST_F(ReconcilerTest, ASubmitOfUnknownFateIsLookedUpNotResent) {
  const auto a = send();  // crashed before any answer was journaled
  venue_.orders[a] = truth(a, OrderStatus::Accepted, "0");
  const auto rep = restart();
  EXPECT_TRUE(rep.ok_to_trade());
  EXPECT_EQ(rep.orders_checked, 1u);
  EXPECT_EQ(order(a).status(), OrderStatus::Accepted);
  EXPECT_EQ(order(a).venue_order_id().view(), "V1");
  EXPECT_TRUE(venue_.submits.empty());  // never resent
  ASSERT_EQ(venue_.queries.size(), 1u);
  EXPECT_EQ(venue_.queries[0], a);
}

TEST_F(ReconcilerTest, AnOrderThatNeverReachedTheVenueIsRejected) {
  const auto a = send();
  const auto rep = restart();
  ASSERT_EQ(rep.not_found.size(), 1u);
  EXPECT_EQ(order(a).status(), OrderStatus::Rejected);
  EXPECT_TRUE(rep.ok_to_trade());
}

TEST_F(ReconcilerTest, FillsMissedWhileDownAreAppliedOnce) {
  const auto b = send();
  before_venue_.emit(OrderAccepted{btc(), b, VenueOrderId::from("V1"), 1});
  before_venue_.emit(fill(b, "t1", "0.3"));
  clock_.advance_ns(60 * kNanosPerSecond);
  // While down: two more fills, the order is done.
  venue_.orders[b] = truth(b, OrderStatus::Filled, "1");
  venue_.fills = {fill(b, "t1", "0.3"), fill(b, "t2", "0.3"), fill(b, "t3", "0.4")};
  const auto rep = restart();
  EXPECT_TRUE(rep.ok_to_trade());
  EXPECT_EQ(rep.missed_fills_applied, 2u);
  EXPECT_EQ(order(b).status(), OrderStatus::Filled);
  EXPECT_EQ(order(b).fills().size(), 3u);
  EXPECT_EQ(order(b).filled_quantity(), test::qty("1"));
  EXPECT_EQ(manager_.stats().duplicate_fills, 1u);  // t1 seen again, counted once
}

TEST_F(ReconcilerTest, AFillOfAnOrderCanceledBeforeTheCrashIsStillCounted) {
  const auto c = send();
  before_venue_.emit(OrderAccepted{btc(), c, VenueOrderId::from("V1"), 1});
  before_venue_.emit(OrderCanceled{btc(), c, VenueOrderId::from("V1"), 2});
  venue_.fills = {fill(c, "t1", "0.2")};  // matched just before the cancel, never received
  const auto rep = restart();
  EXPECT_EQ(rep.missed_fills_applied, 1u);
  EXPECT_EQ(order(c).status(), OrderStatus::Canceled);
  EXPECT_EQ(order(c).filled_quantity(), test::qty("0.2"));
}

TEST_F(ReconcilerTest, VenueOrdersTheJournalLacksAreReportedAndOptionallyCanceled) {
  const auto mine = send();
  venue_.orders[mine] = truth(mine, OrderStatus::Accepted, "0");
  const auto manual = ClientOrderId::from("web_12345");
  venue_.orders[manual] = truth(manual, OrderStatus::Accepted, "0", "V77");
  auto rep = restart();
  ASSERT_EQ(rep.unknown_venue_orders.size(), 1u);
  EXPECT_EQ(rep.unknown_venue_orders[0].client_order_id, manual);
  EXPECT_TRUE(venue_.cancels.empty());
  EXPECT_TRUE(rep.ok_to_trade());
}

TEST_F(ReconcilerTest, UnknownVenueOrdersAreCanceledWhenConfigured) {
  const auto manual = ClientOrderId::from("web_12345");
  venue_.orders[manual] = truth(manual, OrderStatus::Accepted, "0", "V77");
  auto rep = restart(ReconcileOptions{true, 10 * 60 * kNanosPerSecond, std::nullopt});
  EXPECT_EQ(rep.unknown_orders_canceled, 1u);
  ASSERT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(venue_.cancels[0].venue_order_id.view(), "V77");
}

TEST_F(ReconcilerTest, AnOrderTerminalHereButOpenThereIsReported) {
  const auto d = send();
  before_venue_.emit(OrderAccepted{btc(), d, VenueOrderId::from("V1"), 1});
  before_venue_.emit(OrderExpired{btc(), d, VenueOrderId::from("V1"), 2});
  venue_.orders[d] = truth(d, OrderStatus::Accepted, "0");
  const auto rep = restart();
  ASSERT_EQ(rep.terminal_but_open_at_venue.size(), 1u);
}

TEST_F(ReconcilerTest, FillsOfOrdersTheJournalLacksAreReported) {
  const auto a = send();
  venue_.orders[a] = truth(a, OrderStatus::Accepted, "0");
  venue_.fills = {fill(ClientOrderId::from("web_1"), "x1", "1")};
  const auto rep = restart();
  ASSERT_EQ(rep.unknown_fills.size(), 1u);
  EXPECT_EQ(manager_.stats().fills_applied, 0u);
}

TEST_F(ReconcilerTest, AVenueThatDoesNotAnswerBlocksTrading) {
  const auto a = send();
  venue_.query_error = VenueError{VenueErrorReason::Maintenance, "", "system maintenance"};
  const auto rep = restart();
  EXPECT_FALSE(rep.ok_to_trade());
  EXPECT_EQ(rep.query_failed.size(), 1u);
  EXPECT_FALSE(rep.errors.empty());
  EXPECT_EQ(order(a).status(), OrderStatus::Submitted);  // undecided, not rejected
}

TEST_F(ReconcilerTest, FillsTheVenueCannotListBlockTrading) {
  const auto a = send();
  venue_.orders[a] = truth(a, OrderStatus::Filled, "1");
  const auto rep = restart();
  EXPECT_FALSE(rep.ok_to_trade());
  EXPECT_EQ(rep.fills_missing.size(), 1u);
}

TEST_F(ReconcilerTest, AsynchronousAnswersGiveTheSameResult) {
  const auto a = send();
  const auto b = send();
  venue_.defer_callbacks = true;
  venue_.orders[a] = truth(a, OrderStatus::Canceled, "0");
  const auto rep = restart();
  EXPECT_EQ(rep.orders_checked, 2u);
  EXPECT_EQ(rep.resolved.size(), 1u);
  EXPECT_EQ(rep.not_found.size(), 1u);
  EXPECT_EQ(order(a).status(), OrderStatus::Canceled);
  EXPECT_EQ(order(b).status(), OrderStatus::Rejected);
}

}  // namespace
}  // namespace tradingd
