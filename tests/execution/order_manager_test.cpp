// OrderManager: the journal-before-send rule (synchronous and group commit), events, cancels, queries,
// listeners, invariant breaks and restore.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "execution/memory_journal.h"
#include "execution/order_manager.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/recording_listener.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::btc;
using test::fill_event;

class OrderManagerTest : public ::testing::Test {
 protected:
  explicit OrderManagerTest(bool manual_durability = false) : journal_(manual_durability) {
    manager_.add_venue(venue_);
    manager_.add_listener(listener_);
  }

  OrderId submit(Side side = Side::Buy, const char* q = "1", const char* p = "100", Venue v = Venue::Binance) {
    auto id = manager_.create(test::limit_spec(side, q, p, v));
    EXPECT_TRUE(id);
    EXPECT_TRUE(manager_.submit(*id));
    return *id;
  }
  const Order& order(OrderId id) { return *manager_.find(id); }
  ClientOrderId cid(OrderId id) { return order(id).client_order_id(); }

  SimulatedClock clock_{1'000'000};
  MemoryJournal journal_;
  test::FakeVenue venue_{Venue::Binance};
  test::FakeVenue bybit_{Venue::Bybit, VenueCapabilities{true, false, false, false, false}};  // no cancel-all endpoint
  // Venues outlive the manager (its destructor detaches itself from them).
  OrderManager manager_{clock_, journal_, *ClientOrderIdCodec::make("tdq1w2e3")};
  test::RecordingListener listener_;
};

class GroupCommitTest : public OrderManagerTest {
 protected:
  GroupCommitTest() : OrderManagerTest(true) {}
};

TEST_F(OrderManagerTest, SubmitJournalsTheIntentThenSendsOnce) {
  const OrderId id = submit();
  ASSERT_EQ(venue_.submits.size(), 1u);
  const auto& req = venue_.submits[0];
  EXPECT_EQ(req.client_order_id, cid(id));
  EXPECT_EQ(manager_.codec().decode(req.client_order_id.view()), id);
  EXPECT_TRUE(is_portable_client_order_id(req.client_order_id.view()));
  EXPECT_EQ(req.quantity, test::qty("1"));
  EXPECT_EQ(journal_.intent_count(), 1u);
  EXPECT_EQ(order(id).status(), OrderStatus::Submitted);
  // Never twice.
  auto again = manager_.submit(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, OrderErrorKind::InvalidState);
  EXPECT_EQ(venue_.submits.size(), 1u);
}

TEST_F(OrderManagerTest, UnknownVenueIsRefused) {
  auto id = manager_.create(test::limit_spec(Side::Buy, "1", "100", Venue::Okx));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().kind, OrderErrorKind::UnknownVenue);
}

TEST_F(GroupCommitTest, TheSendWaitsForTheCommit) {
  const OrderId a = submit();
  const OrderId b = submit();
  EXPECT_TRUE(venue_.submits.empty());
  EXPECT_EQ(order(a).status(), OrderStatus::Initialized);
  EXPECT_EQ(manager_.awaiting_journal(), 2u);
  EXPECT_EQ(manager_.poll_journal(), 0u);  // nothing durable yet
  journal_.make_durable_up_to(1);
  EXPECT_EQ(manager_.poll_journal(), 1u);
  ASSERT_EQ(venue_.submits.size(), 1u);
  EXPECT_EQ(venue_.submits[0].client_order_id, cid(a));
  journal_.make_durable();
  EXPECT_EQ(manager_.poll_journal(), 1u);
  EXPECT_EQ(venue_.submits.size(), 2u);
  EXPECT_EQ(order(b).status(), OrderStatus::Submitted);
  EXPECT_EQ(manager_.poll_journal(), 0u);
  EXPECT_EQ(venue_.submits.size(), 2u);
}

TEST_F(GroupCommitTest, CanceledWhileAwaitingTheCommitIsNeverSent) {
  const OrderId id = submit();
  ASSERT_TRUE(manager_.cancel(id));
  EXPECT_EQ(order(id).status(), OrderStatus::Canceled);
  journal_.make_durable();
  manager_.poll_journal();
  EXPECT_TRUE(venue_.submits.empty());
  EXPECT_TRUE(venue_.cancels.empty());
}

TEST_F(GroupCommitTest, AFailedGroupCommitRejectsLocallyAndHalts) {
  const OrderId id = submit();
  journal_.fail_commits(JournalError{JournalErrorKind::Io, "disk full"});
  manager_.poll_journal();
  EXPECT_EQ(order(id).status(), OrderStatus::Rejected);
  EXPECT_TRUE(venue_.submits.empty());
  EXPECT_TRUE(manager_.halted());
  ASSERT_FALSE(listener_.invariants.empty());
  EXPECT_EQ(listener_.invariants[0].kind, InvariantKind::JournalFailed);
}

TEST_F(OrderManagerTest, AJournalFailureRejectsLocallyNeverSendsAndHalts) {
  journal_.fail_appends(JournalError{JournalErrorKind::Io, "disk I/O error"});
  auto id = manager_.create(test::limit_spec(Side::Buy, "1", "100"));
  auto r = manager_.submit(*id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, OrderErrorKind::JournalFailed);
  EXPECT_EQ(order(*id).status(), OrderStatus::Rejected);
  EXPECT_TRUE(venue_.submits.empty());
  EXPECT_TRUE(manager_.halted());
  auto next = manager_.create(test::limit_spec(Side::Buy, "1", "100"));
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().kind, OrderErrorKind::Halted);
}

TEST_F(OrderManagerTest, BackpressureRejectsWithoutHalting) {
  journal_.fail_appends(JournalError{JournalErrorKind::Backpressure, "queue full"});
  auto id = manager_.create(test::limit_spec(Side::Buy, "1", "100"));
  EXPECT_FALSE(manager_.submit(*id));
  EXPECT_EQ(order(*id).status(), OrderStatus::Rejected);
  EXPECT_FALSE(manager_.halted());
}

TEST_F(OrderManagerTest, AppliesVenueEventsJournalsAndNotifies) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 5});
  venue_.emit(fill_event(cid(id), "t1", Side::Buy, "0.4", "100", "0.04"));
  venue_.emit(fill_event(cid(id), "t2", Side::Buy, "0.6", "101", "0.06"));
  const Order& o = order(id);
  EXPECT_EQ(o.status(), OrderStatus::Filled);
  EXPECT_EQ(o.venue_order_id().view(), "V1");
  EXPECT_EQ(o.avg_price(), test::px("100.6"));
  EXPECT_EQ(o.fee_in(Asset::from("USDT")), test::money("0.1"));
  EXPECT_EQ(journal_.event_count(), 3u);
  ASSERT_EQ(listener_.fills.size(), 2u);
  EXPECT_EQ(listener_.fills[1].second, "t2");
  ASSERT_GE(listener_.updates.size(), 4u);
  EXPECT_EQ(listener_.updates.back().status, OrderStatus::Filled);
  EXPECT_TRUE(manager_.open_orders().empty());
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("V1")), &o);
}

TEST_F(OrderManagerTest, TheSameFillFromStreamAndRestCountsOnce) {
  const OrderId id = submit();
  const auto f = fill_event(cid(id), "t1", Side::Buy, "0.5", "100");
  venue_.emit(f);
  venue_.emit(f);
  manager_.apply_fill_history(std::vector<OrderFilled>{f});
  EXPECT_EQ(order(id).filled_quantity(), test::qty("0.5"));
  EXPECT_EQ(manager_.stats().fills_applied, 1u);
  EXPECT_EQ(manager_.stats().duplicate_fills, 2u);
  EXPECT_EQ(listener_.fills.size(), 1u);
  EXPECT_EQ(journal_.event_count(), 1u);
}

TEST_F(OrderManagerTest, AnOverfillIsReportedNotAppliedAndHalts) {
  const OrderId id = submit();
  venue_.emit(fill_event(cid(id), "t1", Side::Buy, "0.8", "100"));
  venue_.emit(fill_event(cid(id), "t2", Side::Buy, "0.3", "100"));
  EXPECT_EQ(order(id).filled_quantity(), test::qty("0.8"));
  EXPECT_EQ(manager_.stats().overfills, 1u);
  EXPECT_TRUE(manager_.halted());
  ASSERT_EQ(listener_.invariants.size(), 1u);
  EXPECT_EQ(listener_.invariants[0].kind, InvariantKind::Overfill);
  EXPECT_EQ(listener_.invariants[0].order_id, id);
}

TEST_F(OrderManagerTest, AFillOfTheWrongSideIsAnInvariantBreak) {
  const OrderId id = submit();
  venue_.emit(fill_event(cid(id), "t1", Side::Sell, "0.5", "100"));
  EXPECT_TRUE(order(id).filled_quantity().is_zero());
  EXPECT_EQ(manager_.stats().invalid_fills, 1u);
  EXPECT_TRUE(manager_.halted());
}

TEST_F(OrderManagerTest, IllegalEventsAreCountedAndIgnored) {
  const OrderId id = submit();
  venue_.emit(fill_event(cid(id), "t1", Side::Buy, "0.5", "100"));
  venue_.emit(OrderRejected{btc(), cid(id), VenueError{}, 1});  // a reject after a fill
  EXPECT_EQ(order(id).status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(manager_.stats().illegal_total, 1u);
  EXPECT_EQ(manager_.stats().illegal[static_cast<int>(OrderStatus::PartiallyFilled)][static_cast<int>(OrderEvent::Reject)], 1u);
  EXPECT_EQ(journal_.event_count(), 1u);  // only the applied fill
  EXPECT_FALSE(manager_.halted());
}

TEST_F(OrderManagerTest, EventsForOrdersWeDoNotHoldAreReported) {
  venue_.emit(OrderAccepted{btc(), ClientOrderId::from("manual1"), VenueOrderId::from("V9"), 1});
  EXPECT_EQ(manager_.stats().unknown_order_events, 1u);
  EXPECT_EQ(listener_.unknown.size(), 1u);
}

TEST_F(OrderManagerTest, AFillWithoutOurClientIdIsFoundByTheVenueOrderId) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  auto f = fill_event(ClientOrderId{}, "t1", Side::Buy, "1", "100");
  f.venue_order_id = VenueOrderId::from("V1");
  venue_.emit(f);
  EXPECT_EQ(order(id).status(), OrderStatus::Filled);
}

TEST_F(OrderManagerTest, AnEventForAnotherInstrumentIsIgnored) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("ETHUSDT")}, cid(id), {}, 1});
  EXPECT_EQ(order(id).status(), OrderStatus::Submitted);
  EXPECT_EQ(manager_.stats().instrument_mismatches, 1u);
}

TEST_F(OrderManagerTest, EventsEmittedInsideSubmitAreAppliedAfterIt) {
  venue_.on_submit = [&](const OrderRequest& r) {
    venue_.emit(OrderAccepted{r.instrument, r.client_order_id, VenueOrderId::from("V1"), 1});
    venue_.emit(fill_event(r.client_order_id, "t1", Side::Buy, "1", "100"));
  };
  const OrderId id = submit();
  ASSERT_EQ(listener_.updates.size(), 3u);
  EXPECT_EQ(listener_.updates[0].event, OrderEvent::Submit);
  EXPECT_EQ(listener_.updates[1].event, OrderEvent::Accept);
  EXPECT_EQ(listener_.updates[2].event, OrderEvent::Fill);
  EXPECT_EQ(order(id).status(), OrderStatus::Filled);
}

TEST_F(OrderManagerTest, CancelSendsARequestAndTheAckCancels) {
  const OrderId id = submit();
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 1});
  ASSERT_TRUE(manager_.cancel(id));
  EXPECT_EQ(order(id).status(), OrderStatus::PendingCancel);
  ASSERT_EQ(venue_.cancels.size(), 1u);
  EXPECT_EQ(venue_.cancels[0].client_order_id, cid(id));
  EXPECT_EQ(venue_.cancels[0].venue_order_id.view(), "V1");
  venue_.emit(OrderCanceled{btc(), cid(id), VenueOrderId::from("V1"), 2});
  EXPECT_EQ(order(id).status(), OrderStatus::Canceled);
  auto again = manager_.cancel(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, OrderErrorKind::InvalidState);
}

TEST_F(OrderManagerTest, CancelAllByInstrumentVenueAndEverything) {
  test::FakeVenue& bybit = bybit_;
  manager_.add_venue(bybit);
  const OrderId a = submit();
  const OrderId b = submit(Side::Sell, "1", "200");
  auto eth = test::limit_spec(Side::Buy, "1", "10");
  eth.instrument.symbol = Symbol::from("ETHUSDT");
  const OrderId c = *manager_.create(eth);
  ASSERT_TRUE(manager_.submit(c));
  const OrderId d = submit(Side::Buy, "1", "100", Venue::Bybit);

  EXPECT_EQ(manager_.cancel_all(CancelScope{std::nullopt, btc()}), 2u);
  EXPECT_EQ(order(a).status(), OrderStatus::PendingCancel);
  EXPECT_EQ(order(b).status(), OrderStatus::PendingCancel);
  EXPECT_EQ(order(c).status(), OrderStatus::Submitted);
  ASSERT_EQ(venue_.cancel_alls.size(), 1u);
  EXPECT_EQ(venue_.cancel_alls[0], btc());

  EXPECT_EQ(manager_.cancel_all(CancelScope{Venue::Bybit, std::nullopt}), 1u);
  ASSERT_EQ(bybit.cancels.size(), 1u);  // one by one: no endpoint
  EXPECT_EQ(bybit.cancels[0].client_order_id, cid(d));

  EXPECT_EQ(manager_.cancel_all(), 4u);
  EXPECT_EQ(order(c).status(), OrderStatus::PendingCancel);
  EXPECT_EQ(venue_.cancel_alls.size(), 2u);
  EXPECT_FALSE(venue_.cancel_alls[1].has_value());
}

TEST_F(OrderManagerTest, Queries) {
  const OrderId a = submit();
  auto spec = test::limit_spec(Side::Buy, "1", "100");
  spec.strategy_id = StrategyId::from("other");
  const OrderId b = *manager_.create(spec);
  ASSERT_TRUE(manager_.submit(b));
  venue_.emit(OrderRejected{btc(), cid(b), VenueError{VenueErrorReason::InsufficientBalance, "-2010", "no money"}, 1});
  EXPECT_EQ(manager_.find_by_client_id(cid(a))->id(), a);
  EXPECT_EQ(manager_.open_orders().size(), 1u);
  EXPECT_EQ(manager_.open_orders(btc()).size(), 1u);
  EXPECT_EQ(manager_.orders_for_strategy(StrategyId::from("other")).size(), 1u);
  EXPECT_EQ(manager_.orders_for_strategy(StrategyId::from("other"), true).size(), 0u);
  EXPECT_EQ(manager_.all_orders().size(), 2u);
  EXPECT_EQ(manager_.find(999), nullptr);
}

TEST_F(OrderManagerTest, SubmitUnknownFlagsTheOrderForAQuery) {
  const OrderId id = submit();
  venue_.emit(OrderSubmitUnknown{btc(), cid(id), 1});
  EXPECT_TRUE(order(id).outcome_unknown());
  EXPECT_EQ(listener_.submit_unknown.size(), 1u);
  EXPECT_EQ(order(id).status(), OrderStatus::Submitted);  // not a rejection
  venue_.emit(OrderAccepted{btc(), cid(id), VenueOrderId::from("V1"), 2});
  EXPECT_FALSE(order(id).outcome_unknown());
}

TEST_F(OrderManagerTest, NotFoundRejectsOnlyOrdersTheVenueNeverAcked) {
  const OrderId a = submit();
  const OrderId b = submit();
  venue_.emit(OrderAccepted{btc(), cid(b), VenueOrderId::from("V2"), 1});
  EXPECT_TRUE(manager_.mark_not_found(a));
  EXPECT_EQ(order(a).status(), OrderStatus::Rejected);
  EXPECT_FALSE(manager_.mark_not_found(b));
  EXPECT_EQ(order(b).status(), OrderStatus::Accepted);
}

TEST_F(OrderManagerTest, RestoreRebuildsOrdersFillsAndIds) {
  const OrderId a = submit();
  const OrderId b = submit(Side::Sell, "2", "150");
  venue_.emit(OrderAccepted{btc(), cid(a), VenueOrderId::from("V1"), 1});
  venue_.emit(fill_event(cid(a), "t1", Side::Buy, "0.25", "100", "0.01", "BNB"));
  ASSERT_TRUE(manager_.cancel(a));
  venue_.emit(OrderRejected{btc(), cid(b), VenueError{VenueErrorReason::InsufficientBalance, "-2010", "Account has insufficient balance"}, 2});

  MemoryJournal scratch;
  OrderManager restarted(clock_, scratch, *ClientOrderIdCodec::make("tdq1w2e3"));
  auto r = restarted.restore(journal_.durable_snapshot());
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->orders, 2u);
  EXPECT_EQ(r->open_orders, 1u);
  EXPECT_EQ(r->next_order_id, b + 1);
  const Order& ra = *restarted.find(a);
  EXPECT_EQ(ra.status(), OrderStatus::PendingCancel);
  EXPECT_EQ(ra.filled_quantity(), test::qty("0.25"));
  EXPECT_EQ(ra.fee_in(Asset::from("BNB")), test::money("0.01"));
  EXPECT_EQ(ra.venue_order_id().view(), "V1");
  EXPECT_EQ(restarted.find(b)->status(), OrderStatus::Rejected);
  EXPECT_EQ(restarted.find_by_client_id(cid(a)), &ra);
  // New orders continue the ids: a client id is never reused.
  restarted.add_venue(venue_);
  EXPECT_EQ(*restarted.create(test::limit_spec(Side::Buy, "1", "100")), b + 1);
}

TEST_F(OrderManagerTest, RestoreRefusesAJournalThatDoesNotReplay) {
  submit();
  JournalSnapshot snap = journal_.durable_snapshot();
  OrderEventRecord bad;
  bad.order_id = 77;
  bad.event = OrderEvent::Accept;
  snap.events.push_back(bad);
  MemoryJournal scratch;
  OrderManager restarted(clock_, scratch, *ClientOrderIdCodec::make("td"));
  EXPECT_FALSE(restarted.restore(snap));

  JournalSnapshot overfill = journal_.durable_snapshot();
  OrderEventRecord f;
  f.order_id = 1;
  f.event = OrderEvent::Fill;
  f.trade_id = TradeId::from("x");
  f.last_quantity = test::qty("5");
  f.last_price = test::px("1");
  overfill.events.push_back(f);
  OrderManager other(clock_, scratch, *ClientOrderIdCodec::make("td"));
  EXPECT_FALSE(other.restore(overfill));
}

// --- Storage and indexes ---------------------------------------------------------------------------------

TEST_F(OrderManagerTest, QueriesListOrdersByIdAndOpenOnesAsTheyClose) {
  const OrderId a = submit();
  const OrderId b = submit();
  const OrderId c = submit();
  venue_.emit(OrderAccepted{btc(), cid(b), VenueOrderId::from("V2"), 1});
  venue_.emit(fill_event(cid(b), "t1", Side::Buy, "1", "100"));  // b is done
  auto ids = [](const std::vector<const Order*>& v) {
    std::vector<OrderId> r;
    for (const Order* o : v) r.push_back(o->id());
    return r;
  };
  EXPECT_EQ(ids(manager_.all_orders()), (std::vector<OrderId>{a, b, c}));
  EXPECT_EQ(ids(manager_.open_orders()), (std::vector<OrderId>{a, c}));
  EXPECT_EQ(ids(manager_.open_orders(btc())), (std::vector<OrderId>{a, c}));
  EXPECT_TRUE(manager_.open_orders(btc(Venue::Bybit)).empty());
  EXPECT_EQ(ids(manager_.orders_for_strategy(StrategyId::from("test"))), (std::vector<OrderId>{a, b, c}));
  EXPECT_EQ(ids(manager_.orders_for_strategy(StrategyId::from("test"), true)), (std::vector<OrderId>{a, c}));
  EXPECT_TRUE(manager_.orders_for_strategy(StrategyId::from("other")).empty());
  EXPECT_EQ(manager_.order_count(), 3u);
  EXPECT_EQ(manager_.open_order_count(), 2u);
  std::vector<OrderId> walked;
  manager_.for_each_open([&](const Order& o) { walked.push_back(o.id()); });
  EXPECT_EQ(walked, (std::vector<OrderId>{a, c}));
  EXPECT_EQ(manager_.find(c + 1), nullptr);
  EXPECT_EQ(manager_.find(0), nullptr);
}

TEST_F(OrderManagerTest, ClientIdLookupDecodesOurIdsAndRefusesLookAlikes) {
  const OrderId a = submit();
  EXPECT_EQ(manager_.find_by_client_id(cid(a)), &order(a));
  // Our prefix and a well-formed id part, but no such order.
  EXPECT_EQ(manager_.find_by_client_id(manager_.codec().encode(a + 5)), nullptr);
  EXPECT_EQ(manager_.find_by_client_id(ClientOrderId::from("someoneelse1")), nullptr);
  EXPECT_EQ(manager_.find_by_client_id(ClientOrderId{}), nullptr);
  // Another prefix that decodes to the same number is not ours either.
  EXPECT_EQ(manager_.find_by_client_id(ClientOrderIdCodec::make("other")->encode(a)), nullptr);
  venue_.emit(OrderAccepted{btc(), ClientOrderIdCodec::make("other")->encode(a), VenueOrderId::from("V9"), 1});
  EXPECT_EQ(listener_.unknown.size(), 1u);
  EXPECT_EQ(order(a).status(), OrderStatus::Submitted);
}

TEST_F(OrderManagerTest, ClientIdLookupFindsRecentAndEvictedOrdersAlike) {
  // The recent-order slots hold only the newest orders (a later order may take a slot): every order must
  // be found whether its slot still names it (the fast path) or not (decoding), and nothing else.
  std::vector<OrderId> ids;
  for (int i = 0; i < 3000; ++i) ids.push_back(*manager_.create(test::limit_spec(Side::Buy, "1", "100")));
  for (OrderId id : ids) {
    const Order* o = manager_.find(id);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(manager_.find_by_client_id(o->client_order_id()), o) << id;
    // A neighbour's id with one digit changed is another order (or none), never this one.
    std::string other = o->client_order_id().str();
    other.back() = other.back() == 'z' ? 'y' : 'z';
    EXPECT_NE(manager_.find_by_client_id(ClientOrderId::from(other)), o) << id;
  }
  // Events about the oldest (evicted) and the newest order both apply.
  ASSERT_TRUE(manager_.submit(ids.front()));
  ASSERT_TRUE(manager_.submit(ids.back()));
  venue_.emit(OrderAccepted{btc(), cid(ids.front()), VenueOrderId::from("V1"), 1});
  venue_.emit(OrderAccepted{btc(), cid(ids.back()), VenueOrderId::from("V2"), 1});
  EXPECT_EQ(order(ids.front()).status(), OrderStatus::Accepted);
  EXPECT_EQ(order(ids.back()).status(), OrderStatus::Accepted);
  EXPECT_TRUE(listener_.unknown.empty());
}

TEST_F(OrderManagerTest, VenueIdLookupFindsOrdersWhoseEventsLackTheClientId) {
  const OrderId a = submit();
  const OrderId b = submit();
  venue_.emit(OrderAccepted{btc(), cid(a), VenueOrderId::from("VA"), 1});
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VA")), &order(a));
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(Venue::Bybit), VenueOrderId::from("VA")), nullptr);
  // b learns its venue id after the index was first used.
  venue_.emit(OrderAccepted{btc(), cid(b), VenueOrderId::from("VB"), 1});
  OrderFilled f = fill_event(ClientOrderId{}, "t1", Side::Buy, "0.5", "100");  // Binance myTrades: no client id
  f.venue_order_id = VenueOrderId::from("VB");
  venue_.emit(f);
  EXPECT_EQ(order(b).filled_quantity(), test::qty("0.5"));
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VB")), &order(b));
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VC")), nullptr);
  // A second order reporting a venue id already taken does not steal it: the first learned wins.
  const OrderId c = submit();
  venue_.emit(OrderAccepted{btc(), cid(c), VenueOrderId::from("VA"), 1});
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VA")), &order(a));
}

TEST_F(OrderManagerTest, VenueIdLearnedFromAFillOrAnAckIsIndexedOnce) {
  // A fill before any ack teaches the venue id: later events with only that id find the order. An order
  // whose id came with its ack is indexed by it too, and a later fill (which skips re-queueing a known id)
  // changes nothing about that.
  // A buy fill at 100 carrying the venue id (and the client id, unless empty).
  auto fill_with_venue_id = [&](ClientOrderId c, const char* trade, const char* q, const char* venue_id) {
    OrderFilled f = fill_event(c, trade, Side::Buy, q, "100");
    f.venue_order_id = VenueOrderId::from(venue_id);
    venue_.emit(f);
  };
  const OrderId a = submit();
  fill_with_venue_id(cid(a), "t1", "0.25", "VF");
  fill_with_venue_id(ClientOrderId{}, "t2", "0.25", "VF");
  EXPECT_EQ(order(a).filled_quantity(), test::qty("0.5"));
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VF")), &order(a));

  const OrderId b = submit();
  venue_.emit(OrderAccepted{btc(), cid(b), VenueOrderId::from("VB"), 1});
  fill_with_venue_id(cid(b), "t3", "0.5", "VB");
  fill_with_venue_id(ClientOrderId{}, "t4", "0.5", "VB");
  EXPECT_EQ(order(b).status(), OrderStatus::Filled);
  EXPECT_EQ(manager_.find_by_venue_order_id(btc(), VenueOrderId::from("VB")), &order(b));
  EXPECT_TRUE(listener_.unknown.empty());
}

TEST_F(OrderManagerTest, RestoreTakesIntentsInAnyOrderAndForeignClientIds) {
  JournalSnapshot snap;
  auto intent = [](OrderId id, const char* client_id) {
    OrderIntentRecord r;
    r.order_id = id;
    r.client_order_id = ClientOrderId::from(client_id);
    r.spec = test::limit_spec(Side::Buy, "1", "100");
    r.ts_ns = 7;
    return r;
  };
  snap.intents = {intent(9, "legacy9"), intent(4, "legacy4"), intent(6, "legacy6")};
  OrderEventRecord acc;
  acc.order_id = 4;
  acc.event = OrderEvent::Accept;
  acc.venue_order_id = VenueOrderId::from("V4");
  snap.events.push_back(acc);
  MemoryJournal scratch;
  OrderManager restarted(clock_, scratch, *ClientOrderIdCodec::make("tdq1w2e3"));
  auto r = restarted.restore(snap);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->orders, 3u);
  EXPECT_EQ(r->next_order_id, 10u);
  std::vector<OrderId> ids;
  for (const Order* o : restarted.all_orders()) ids.push_back(o->id());
  EXPECT_EQ(ids, (std::vector<OrderId>{4, 6, 9}));
  ASSERT_NE(restarted.find_by_client_id(ClientOrderId::from("legacy6")), nullptr);
  EXPECT_EQ(restarted.find_by_client_id(ClientOrderId::from("legacy6"))->id(), 6u);
  EXPECT_EQ(restarted.find_by_venue_order_id(btc(), VenueOrderId::from("V4")), restarted.find(4));
  // Events for restored orders find them by their journaled client id.
  restarted.add_venue(venue_);
  venue_.emit(fill_event(ClientOrderId::from("legacy9"), "t9", Side::Buy, "1", "100"));
  EXPECT_EQ(restarted.find(9)->status(), OrderStatus::Filled);
  EXPECT_EQ(restarted.open_orders().size(), 2u);
  // New orders continue after the highest id.
  EXPECT_EQ(*restarted.create(test::limit_spec(Side::Buy, "1", "100")), 10u);
  EXPECT_EQ(restarted.find_by_client_id(restarted.codec().encode(10))->id(), 10u);
}

TEST_F(OrderManagerTest, RestoreRefusesADuplicateClientIdUnderAnotherOrderId) {
  JournalSnapshot snap;
  OrderIntentRecord r;
  r.client_order_id = ClientOrderId::from("same");
  r.spec = test::limit_spec(Side::Buy, "1", "100");
  r.order_id = 1;
  snap.intents.push_back(r);
  r.order_id = 2;
  snap.intents.push_back(r);
  MemoryJournal scratch;
  OrderManager restarted(clock_, scratch, *ClientOrderIdCodec::make("td"));
  EXPECT_FALSE(restarted.restore(snap));
}

// A journal that records what it is given and says whether it keeps the records' contents.
class ContentsJournal final : public OrderJournal {
 public:
  explicit ContentsJournal(bool keeps) : keeps_(keeps) {}
  Result<JournalSeq, JournalError> append_intent(const OrderIntentRecord& r) override {
    intents.push_back(r);
    seqs.push_back(++last_);
    return last_;
  }
  Result<JournalSeq, JournalError> append_event(const OrderEventRecord& r) override {
    events.push_back(r);
    seqs.push_back(++last_);
    return last_;
  }
  JournalSeq durable_seq() const override { return last_; }
  bool keeps_contents() const override { return keeps_; }

  std::vector<OrderIntentRecord> intents;
  std::vector<OrderEventRecord> events;
  std::vector<JournalSeq> seqs;

 private:
  bool keeps_;
  JournalSeq last_ = 0;
};

// One run of every journaled path (intent, ack, fills, cancel request and its ack, a local cancel, an
// overfill) against a journal that keeps contents or not.
struct JournalContentsRun {
  explicit JournalContentsRun(bool keeps) : journal(keeps) {
    manager.add_venue(venue);
    manager.add_listener(listener);
    const OrderId a = submit("1");
    venue.emit(OrderAccepted{btc(), cid(a), VenueOrderId::from("V1"), 5});
    venue.emit(fill_event(cid(a), "t1", Side::Buy, "0.4", "100", "0.04"));
    venue.emit(fill_event(cid(a), "t1", Side::Buy, "0.4", "100", "0.04"));  // duplicate: not journaled
    venue.emit(fill_event(cid(a), "t2", Side::Buy, "0.6", "101", "0.06"));
    const OrderId b = submit("2");
    EXPECT_TRUE(manager.cancel(b));
    venue.emit(OrderCanceled{btc(), cid(b), VenueOrderId::from("V2"), 7});
    const OrderId c = *manager.create(test::limit_spec(Side::Buy, "1", "100"));
    EXPECT_TRUE(manager.cancel(c));  // never sent: canceled locally
    const OrderId d = submit("1");
    venue.emit(fill_event(cid(d), "t3", Side::Buy, "5", "100"));  // overfill: an invariant break
  }
  OrderId submit(const char* q) {
    const OrderId id = *manager.create(test::limit_spec(Side::Buy, q, "100"));
    EXPECT_TRUE(manager.submit(id));
    return id;
  }
  ClientOrderId cid(OrderId id) { return manager.find(id)->client_order_id(); }

  SimulatedClock clock{1'000'000};
  ContentsJournal journal;
  test::FakeVenue venue{Venue::Binance};
  OrderManager manager{clock, journal, *ClientOrderIdCodec::make("tdq1w2e3")};
  test::RecordingListener listener;
};

TEST(OrderManagerJournalContents, AJournalWithoutContentsGetsTheSameSequenceOfBareRecords) {
  JournalContentsRun full(true);
  JournalContentsRun bare(false);
  // The same appends, in the same order: sequencing ("journaled before sent") does not depend on contents.
  EXPECT_EQ(full.journal.seqs, bare.journal.seqs);
  ASSERT_EQ(full.journal.intents.size(), 3u);  // c was never submitted
  ASSERT_EQ(bare.journal.intents.size(), 3u);
  ASSERT_EQ(full.journal.events.size(), bare.journal.events.size());
  for (std::size_t i = 0; i < full.journal.intents.size(); ++i) {
    const auto& f = full.journal.intents[i];
    const auto& b = bare.journal.intents[i];
    EXPECT_EQ(f.order_id, b.order_id);
    EXPECT_EQ(f.client_order_id, full.manager.find(f.order_id)->client_order_id());
    EXPECT_EQ(f.spec, full.manager.find(f.order_id)->spec());
    EXPECT_TRUE(b.client_order_id.empty());
    EXPECT_EQ(b.spec, OrderSpec{});
  }
  std::vector<OrderEvent> kinds;
  for (std::size_t i = 0; i < full.journal.events.size(); ++i) {
    const auto& f = full.journal.events[i];
    const auto& b = bare.journal.events[i];
    EXPECT_EQ(f.order_id, b.order_id);
    EXPECT_EQ(f.event, b.event);
    kinds.push_back(f.event);
    EXPECT_TRUE(b.venue_order_id.empty());
    EXPECT_TRUE(b.trade_id.empty());
    EXPECT_EQ(b.ts_ns, 0);
  }
  EXPECT_EQ(kinds, (std::vector<OrderEvent>{OrderEvent::Accept, OrderEvent::PartialFill, OrderEvent::Fill,
                                            OrderEvent::CancelRequest, OrderEvent::Cancel, OrderEvent::Cancel}));
  // The full records carry the event's data.
  EXPECT_EQ(full.journal.events[0].venue_order_id.view(), "V1");
  EXPECT_EQ(full.journal.events[1].trade_id.view(), "t1");
  EXPECT_EQ(full.journal.events[2].last_price, test::px("101"));
  EXPECT_EQ(full.journal.events[2].fee, test::money("0.06"));
  EXPECT_EQ(full.journal.events[4].venue_order_id.view(), "V2");
  // Everything else is the same: states, listeners, counters and the overfill's report.
  for (OrderId id = 1; id <= 4; ++id) {
    EXPECT_EQ(full.manager.find(id)->status(), bare.manager.find(id)->status()) << id;
    EXPECT_EQ(full.manager.find(id)->filled_quantity(), bare.manager.find(id)->filled_quantity()) << id;
  }
  ASSERT_EQ(full.listener.updates.size(), bare.listener.updates.size());
  for (std::size_t i = 0; i < full.listener.updates.size(); ++i) {
    EXPECT_EQ(full.listener.updates[i].id, bare.listener.updates[i].id);
    EXPECT_EQ(full.listener.updates[i].event, bare.listener.updates[i].event);
    EXPECT_EQ(full.listener.updates[i].status, bare.listener.updates[i].status);
  }
  EXPECT_EQ(full.listener.fills, bare.listener.fills);
  EXPECT_EQ(full.manager.stats().duplicate_fills, 1u);
  EXPECT_EQ(bare.manager.stats().duplicate_fills, 1u);
  ASSERT_EQ(full.listener.invariants.size(), 1u);
  ASSERT_EQ(bare.listener.invariants.size(), 1u);
  EXPECT_EQ(full.listener.invariants[0].detail, "fill 5 trade t3 exceeds leaves 1");
  EXPECT_EQ(bare.listener.invariants[0].detail, full.listener.invariants[0].detail);
}

TEST(OrderManagerJournalContents, MemoryJournalKeepsContentsExactlyWhenItKeepsRecords) {
  EXPECT_TRUE(MemoryJournal().keeps_contents());
  EXPECT_TRUE(MemoryJournal(MemoryJournalOptions{false, true}).keeps_contents());
  EXPECT_FALSE(MemoryJournal(MemoryJournalOptions{false, false}).keeps_contents());
}

}  // namespace
}  // namespace tradingd
