// OrderMonitor: ack timeouts and unknown outcomes are resolved by query (never by resending), TTL
// cancels, stale reports, and the latency/slippage measurements.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "execution/memory_journal.h"
#include "execution/order_monitor.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::btc;
using test::fill_event;

struct RecordingObserver : ExecutionObserver {
  std::vector<std::int64_t> ack_ns, fill_ns;
  std::vector<Rate> slippage;
  std::vector<QueryReason> queries;
  std::vector<ResolveOutcome> results;
  int stale = 0, ttl = 0;
  void on_ack_latency(Venue, std::int64_t ns) override { ack_ns.push_back(ns); }
  void on_first_fill_latency(Venue, std::int64_t ns) override { fill_ns.push_back(ns); }
  void on_slippage_bps(Venue, Rate bps) override { slippage.push_back(bps); }
  void on_order_query(const Order&, QueryReason r) override { queries.push_back(r); }
  void on_query_result(const Order&, ResolveOutcome o) override { results.push_back(o); }
  void on_stale_order(const Order&, std::int64_t) override { ++stale; }
  void on_ttl_cancel(const Order&) override { ++ttl; }
};

class OrderMonitorTest : public ::testing::Test {
 protected:
  OrderMonitorTest() { manager_.add_venue(venue_); }

  OrderId submit(OrderSpec spec = test::limit_spec(Side::Buy, "1", "100")) {
    const OrderId id = *manager_.create(spec);
    EXPECT_TRUE(manager_.submit(id));
    return id;
  }
  const Order& order(OrderId id) { return *manager_.find(id); }
  ClientOrderId cid(OrderId id) { return order(id).client_order_id(); }
  void advance_ms(std::int64_t ms) { clock_.advance_ns(ms * kNanosPerMilli); }
  void tick() { monitor_.on_timer(clock_.now_ns()); }
  OrderStatusReport report(OrderId id, OrderStatus status, const char* filled) {
    OrderStatusReport r;
    r.instrument = btc();
    r.client_order_id = cid(id);
    r.venue_order_id = VenueOrderId::from("V1");
    r.status = status;
    r.quantity = test::qty("1");
    r.filled_quantity = test::qty(filled);
    return r;
  }

  SimulatedClock clock_{1'700'000'000 * kNanosPerSecond};
  MemoryJournal journal_;
  test::FakeVenue venue_;
  OrderManager manager_{clock_, journal_, *ClientOrderIdCodec::make("td")};
  OrderResolver resolver_{manager_};
  RecordingObserver observer_;
  OrderMonitor monitor_{manager_, resolver_, OrderMonitorConfig{5'000, 5'000, 3'600}, &observer_};
};

TEST_F(OrderMonitorTest, AnUnackedOrderIsQueriedNeverResentAndNotFoundRejects) {
  const OrderId id = submit();
  advance_ms(4'999);
  tick();
  EXPECT_TRUE(venue_.queries.empty());
  advance_ms(1);
  tick();
  ASSERT_EQ(venue_.queries.size(), 1u);
  EXPECT_EQ(venue_.queries[0], cid(id));
  EXPECT_EQ(venue_.submits.size(), 1u);  // never resent
  EXPECT_EQ(order(id).status(), OrderStatus::Rejected);
  EXPECT_EQ(monitor_.stats().not_found, 1u);
  ASSERT_EQ(observer_.queries.size(), 1u);
  EXPECT_EQ(observer_.queries[0], QueryReason::AckTimeout);
  advance_ms(10'000);
  tick();
  EXPECT_EQ(venue_.queries.size(), 1u);  // settled: no more queries
}

TEST_F(OrderMonitorTest, AFoundOrderIsReconciledWithItsFills) {
  const OrderId id = submit();
  venue_.orders[cid(id)] = report(id, OrderStatus::Filled, "1");
  venue_.fills = {fill_event(cid(id), "t1", Side::Buy, "0.4", "100"), fill_event(cid(id), "t2", Side::Buy, "0.6", "100"),
                  fill_event(ClientOrderId::from("other"), "t9", Side::Buy, "5", "100")};
  for (auto& f : venue_.fills) f.ts_event_ns = clock_.now_ns();
  advance_ms(5'000);
  tick();
  EXPECT_EQ(order(id).status(), OrderStatus::Filled);
  EXPECT_EQ(order(id).fills().size(), 2u);
  EXPECT_EQ(order(id).venue_order_id().view(), "V1");
  EXPECT_EQ(venue_.submits.size(), 1u);
  ASSERT_EQ(observer_.results.size(), 1u);
  EXPECT_EQ(observer_.results[0], ResolveOutcome::Updated);
}

TEST_F(OrderMonitorTest, FillListingsWithoutOurIdAreMatchedByTheVenueOrderId) {
  const OrderId id = submit();
  venue_.orders[cid(id)] = report(id, OrderStatus::PartiallyFilled, "0.5");
  auto f = fill_event(ClientOrderId{}, "t1", Side::Buy, "0.5", "100");
  f.ts_event_ns = clock_.now_ns();
  venue_.fills = {f};
  advance_ms(5'000);
  tick();
  EXPECT_EQ(order(id).status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order(id).filled_quantity(), test::qty("0.5"));
}

TEST_F(OrderMonitorTest, FillsTheVenueCountsButCannotListAreReportedNotInvented) {
  const OrderId id = submit();
  venue_.orders[cid(id)] = report(id, OrderStatus::Filled, "1");  // no fill listing
  advance_ms(5'000);
  tick();
  EXPECT_EQ(order(id).status(), OrderStatus::Accepted);
  EXPECT_TRUE(order(id).filled_quantity().is_zero());
  EXPECT_EQ(monitor_.stats().fills_missing, 1u);
}

TEST_F(OrderMonitorTest, AnUnknownOutcomeIsQueriedAtTheNextTimer) {
  const OrderId id = submit();
  venue_.orders[cid(id)] = report(id, OrderStatus::Accepted, "0");
  venue_.emit(OrderSubmitUnknown{btc(), cid(id), 1});
  tick();
  ASSERT_EQ(observer_.queries.size(), 1u);
  EXPECT_EQ(observer_.queries[0], QueryReason::OutcomeUnknown);
  EXPECT_EQ(order(id).status(), OrderStatus::Accepted);
  EXPECT_FALSE(order(id).outcome_unknown());
  EXPECT_EQ(venue_.submits.size(), 1u);
}

TEST_F(OrderMonitorTest, OneQueryInFlightAtATimeAndRetriesAfterFailures) {
  const OrderId id = submit();
  venue_.defer_callbacks = true;
  venue_.query_error = VenueError{VenueErrorReason::Network, "", "connection reset"};
  advance_ms(5'000);
  tick();
  advance_ms(20'000);
  tick();
  EXPECT_EQ(venue_.queries.size(), 1u);
  EXPECT_EQ(monitor_.queries_in_flight(), 1u);
  venue_.run_pending();  // the query failed
  EXPECT_EQ(monitor_.stats().query_failures, 1u);
  EXPECT_EQ(order(id).status(), OrderStatus::Submitted);  // a failed query decides nothing
  advance_ms(4'000);
  tick();
  EXPECT_EQ(venue_.queries.size(), 2u);  // last query was 24 s ago: retry now
  venue_.query_error.reset();
  venue_.orders[cid(id)] = report(id, OrderStatus::Accepted, "0");
  venue_.run_pending();
  EXPECT_EQ(order(id).status(), OrderStatus::Accepted);
  EXPECT_EQ(monitor_.queries_in_flight(), 0u);
}

TEST_F(OrderMonitorTest, AnUnconfirmedCancelIsQueried) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  ASSERT_TRUE(manager_.cancel(id));
  venue_.orders[cid(id)] = report(id, OrderStatus::Canceled, "0");
  advance_ms(5'000);
  tick();
  ASSERT_EQ(observer_.queries.size(), 1u);
  EXPECT_EQ(observer_.queries[0], QueryReason::CancelTimeout);
  EXPECT_EQ(order(id).status(), OrderStatus::Canceled);
}

TEST_F(OrderMonitorTest, TimeToLiveCancelsOnce) {
  auto spec = test::limit_spec(Side::Buy, "1", "100");
  spec.expire_at_ns = clock_.now_ns() + kNanosPerSecond;
  const OrderId id = submit(spec);
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  tick();
  EXPECT_TRUE(venue_.cancels.empty());
  advance_ms(1'000);
  tick();
  tick();
  ASSERT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(order(id).status(), OrderStatus::PendingCancel);
  EXPECT_EQ(observer_.ttl, 1);
}

TEST_F(OrderMonitorTest, StaleOrdersAreReportedOnce) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  advance_ms(3'599'000);
  tick();
  EXPECT_EQ(observer_.stale, 0);
  advance_ms(1'000);
  tick();
  tick();
  EXPECT_EQ(observer_.stale, 1);
  EXPECT_EQ(monitor_.stats().stale_reports, 1u);
}

TEST_F(OrderMonitorTest, QuietTicksThenTtlAndStaleOnTheSameTickEachOnce) {
  tick();  // nothing open: nothing happens
  auto spec = test::limit_spec(Side::Buy, "1", "100");
  spec.expire_at_ns = clock_.now_ns() + 3'600 * kNanosPerSecond;
  const OrderId id = submit(spec);
  const OrderId other = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  venue_.emit(OrderAccepted{btc(), cid(other), VenueOrderId::from("V2"), 1});
  for (int i = 0; i < 100; ++i) {
    advance_ms(35'990);
    tick();
  }
  EXPECT_TRUE(venue_.cancels.empty());
  EXPECT_EQ(observer_.stale, 0);
  EXPECT_EQ(monitor_.queries_in_flight(), 0u);
  advance_ms(1'000);  // 3600 s: both past their TTL or stale age
  tick();
  ASSERT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(venue_.cancels[0].client_order_id, cid(id));
  EXPECT_EQ(observer_.ttl, 1);
  EXPECT_EQ(observer_.stale, 2);  // the canceling order is still open, so it is reported too
  advance_ms(1);
  tick();
  EXPECT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(observer_.ttl, 1);
  EXPECT_EQ(observer_.stale, 2);
  venue_.emit(OrderCanceled{btc(), cid(id), VenueOrderId::from("V1"), 2});
  venue_.emit(fill_event(cid(other), "t1", Side::Buy, "1", "100"));
  EXPECT_EQ(manager_.open_order_count(), 0u);
  advance_ms(10'000);
  tick();
  EXPECT_TRUE(venue_.queries.empty());
}

// A tick with nothing due for any open order changes nothing (the monitor's quick answer); one order due
// among quiet ones is still found, and only it is acted on.
TEST_F(OrderMonitorTest, OneDueOrderAmongQuietOnesIsFound) {
  const OrderId first = submit();
  advance_ms(3'000);
  const OrderId second = submit();
  advance_ms(1'999);
  tick();  // first is 4.999 s old, second 1.999 s: nothing due
  EXPECT_TRUE(venue_.queries.empty());
  EXPECT_EQ(monitor_.queries_in_flight(), 0u);
  advance_ms(1);
  tick();  // first is due now, second is not
  ASSERT_EQ(venue_.queries.size(), 1u);
  EXPECT_EQ(venue_.queries[0], cid(first));
  EXPECT_TRUE(order(second).is_open());
  advance_ms(2'999);
  tick();  // second at 4.999 s: still not due
  EXPECT_EQ(venue_.queries.size(), 1u);
  advance_ms(1);
  tick();
  ASSERT_EQ(venue_.queries.size(), 2u);
  EXPECT_EQ(venue_.queries[1], cid(second));
}

TEST_F(OrderMonitorTest, LatencyAndSlippageAreMeasured) {
  auto spec = test::limit_spec(Side::Buy, "1", "100.1");
  spec.reference_price = test::px("100");
  const OrderId id = submit(spec);
  advance_ms(3);
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});  // duplicate: measured once
  advance_ms(2);
  venue_.emit(fill_event(cid(id), "t1", Side::Buy, "0.5", "100"));
  venue_.emit(fill_event(cid(id), "t2", Side::Buy, "0.5", "100.1"));
  ASSERT_EQ(observer_.ack_ns.size(), 1u);
  EXPECT_EQ(observer_.ack_ns[0], 3 * kNanosPerMilli);
  ASSERT_EQ(observer_.fill_ns.size(), 1u);
  EXPECT_EQ(observer_.fill_ns[0], 5 * kNanosPerMilli);
  ASSERT_EQ(observer_.slippage.size(), 1u);
  EXPECT_EQ(observer_.slippage[0], Rate::from_string("5"));  // avg 100.05 vs 100: 5 bps worse
}

TEST_F(OrderMonitorTest, SellSlippageIsPositiveWhenWeGetLess) {
  auto spec = test::limit_spec(Side::Sell, "1", "99");
  spec.reference_price = test::px("100");
  const OrderId id = submit(spec);
  venue_.emit(fill_event(cid(id), "t1", Side::Sell, "1", "99.9"));
  ASSERT_EQ(observer_.slippage.size(), 1u);
  EXPECT_EQ(observer_.slippage[0], Rate::from_string("10"));
}

}  // namespace
}  // namespace tradingd
