// Randomized property tests (seeded, reproducible): thousands of event sequences with duplicates and
// reorderings, applied to an Order and through the OrderManager. Invariants after every event: filled <=
// quantity; filled equals the sum of distinct applied fills; the status agrees with the fills; a trade
// id counts once. At the end: every order of the same events gives the same fills, and the journal
// replays into exactly the same state.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <variant>

#include "core/clock.h"
#include "execution/memory_journal.h"
#include "execution/order_manager.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

struct Step {
  enum Kind { Accept, Trigger, Fill, CancelRequest, CancelReject, Cancel, Expire, Reject } kind;
  std::size_t fill = 0;  // index into the scenario's fills
};

struct Scenario {
  Quantity quantity;
  std::vector<Fill> fills;  // the venue's truth (plus, sometimes, a bogus over-fill at the end)
  bool has_bogus = false;
  std::vector<Step> steps;
};

Scenario make_scenario(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Scenario sc;
  const int units = pick(1, 20);  // quantity in steps of 0.001
  sc.quantity = Quantity::from_raw(units * 1'000'000LL);
  int left = pick(0, 3) == 0 ? pick(0, units) : units;  // usually the venue fills it all
  int n = 0;
  while (left > 0) {
    const int q = pick(1, left);
    left -= q;
    sc.fills.push_back(Fill{TradeId::from("T" + std::to_string(n++)), VenueOrderId::from("V"),
                            Quantity::from_raw(q * 1'000'000LL), Price::from_raw(pick(99'000, 101'000) * 10'000'000LL),
                            Money::from_raw(pick(0, 1000) * 1000LL), Asset::from(pick(0, 1) ? "USDT" : "BNB"),
                            LiquiditySide::Taker, n});
  }
  if (pick(0, 9) == 0) {  // an over-fill attempt: a fill the venue never made
    sc.has_bogus = true;
    sc.fills.push_back(Fill{TradeId::from("BOGUS"), VenueOrderId::from("V"), sc.quantity, Price::from_raw(100'000'000'000LL),
                            Money::zero(), Asset::from("USDT"), LiquiditySide::Taker, 99});
  }
  for (std::size_t i = 0; i < sc.fills.size(); ++i)
    for (int c = pick(1, 3); c > 0; --c) sc.steps.push_back({Step::Fill, i});  // duplicates
  for (int c = pick(0, 2); c > 0; --c) sc.steps.push_back({Step::Accept});
  const Step::Kind extras[] = {Step::Trigger, Step::CancelRequest, Step::CancelReject, Step::Cancel, Step::Expire, Step::Reject};
  for (int c = pick(0, 3); c > 0; --c) sc.steps.push_back({extras[pick(0, pick(0, 3) == 0 ? 5 : 4)]});
  std::shuffle(sc.steps.begin(), sc.steps.end(), rng);
  return sc;
}

void check_invariants(const Order& o, const char* where) {
  SCOPED_TRACE(where);
  ASSERT_LE(o.filled_quantity(), o.quantity());
  Quantity sum;
  std::set<std::string> trades;
  for (const auto& f : o.fills()) {
    sum += f.quantity;
    ASSERT_TRUE(trades.insert(f.trade_id.str()).second) << "trade counted twice: " << f.trade_id;
  }
  ASSERT_EQ(sum, o.filled_quantity());
  const bool some = o.filled_quantity().is_positive();
  const bool all = o.filled_quantity() == o.quantity();
  switch (o.status()) {
    case OrderStatus::Filled: ASSERT_TRUE(all); break;
    case OrderStatus::PartiallyFilled: ASSERT_TRUE(some && !all); break;
    case OrderStatus::Submitted:
    case OrderStatus::Accepted: ASSERT_FALSE(some); break;
    case OrderStatus::PendingCancel:
    case OrderStatus::Canceled:
    case OrderStatus::Expired:
    case OrderStatus::Rejected: ASSERT_FALSE(all); break;
    case OrderStatus::Initialized:
    case OrderStatus::PendingUpdate: FAIL() << "impossible status " << to_string(o.status());
  }
  if (some) {
    auto [lo, hi] = std::minmax_element(o.fills().begin(), o.fills().end(), [](const Fill& a, const Fill& b) { return a.price < b.price; });
    const Price avg = *o.avg_price();
    ASSERT_GE(avg, lo->price);
    ASSERT_LE(avg, hi->price);
  }
}

void apply_step(Order& o, const Scenario& sc, const Step& s) {
  const LocalStamp t{1, 1};
  switch (s.kind) {
    case Step::Accept: o.accept(VenueOrderId::from("V"), t); break;
    case Step::Trigger: o.apply(OrderEvent::Trigger, t); break;
    case Step::Fill: o.apply_fill(sc.fills[s.fill], t); break;
    case Step::CancelRequest: o.apply(OrderEvent::CancelRequest, t); break;
    case Step::CancelReject: o.apply(OrderEvent::CancelReject, t); break;
    case Step::Cancel: o.apply(OrderEvent::Cancel, t); break;
    case Step::Expire: o.apply(OrderEvent::Expire, t); break;
    case Step::Reject: o.apply(OrderEvent::Reject, t); break;
  }
}

Order run_order(const Scenario& sc, const std::vector<Step>& steps) {
  Order o(1, ClientOrderId::from("c"), test::limit_spec(Side::Buy, "1", "1000"), 0);
  OrderSpec spec = o.spec();
  spec.quantity = sc.quantity;
  o = Order(1, ClientOrderId::from("c"), spec, 0);
  o.apply(OrderEvent::Submit, {1, 1});
  for (const auto& s : steps) {
    apply_step(o, sc, s);
    check_invariants(o, "after a step");
    if (::testing::Test::HasFatalFailure()) return o;
  }
  return o;
}

TEST(OrderProperty, RandomSequencesKeepEveryInvariant) {
  constexpr int kSequences = 5000;
  for (int seed = 1; seed <= kSequences; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Scenario sc = make_scenario(static_cast<std::uint64_t>(seed));
    const Order a = run_order(sc, sc.steps);
    ASSERT_FALSE(HasFatalFailure());
    if (sc.has_bogus) continue;  // which fill an over-fill displaces depends on the order; invariants held
    Quantity truth;
    for (const auto& f : sc.fills) truth += f.quantity;
    ASSERT_EQ(a.filled_quantity(), truth) << "a genuine fill was lost or counted twice";
    if (truth == sc.quantity) {
      ASSERT_EQ(a.status(), OrderStatus::Filled);
    }
    // The same events in another order: the same fills, notional and fees.
    std::vector<Step> other = sc.steps;
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919);
    std::shuffle(other.begin(), other.end(), rng);
    const Order b = run_order(sc, other);
    ASSERT_EQ(b.filled_quantity(), a.filled_quantity());
    ASSERT_EQ(b.fill_notional(), a.fill_notional());
    ASSERT_EQ(b.avg_price(), a.avg_price());
    for (const auto& fee : a.fees()) ASSERT_EQ(b.fee_in(fee.asset), fee.amount);
  }
}

// The same scenarios through the OrderManager (venue events, journaling), then a restart from the
// journal: the replayed order must equal the live one field for field.
TEST(OrderProperty, ManagerAndJournalReplayAgree) {
  constexpr int kSequences = 1500;
  for (int seed = 1; seed <= kSequences; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Scenario sc = make_scenario(static_cast<std::uint64_t>(seed) + 100'000);
    SimulatedClock clock(1'000);
    MemoryJournal journal;
    test::FakeVenue venue;
    OrderManager m(clock, journal, *ClientOrderIdCodec::make("td"));
    m.add_venue(venue);
    OrderSpec spec = test::limit_spec(Side::Buy, "1", "1000");
    spec.quantity = sc.quantity;
    const OrderId id = *m.create(spec);
    ASSERT_TRUE(m.submit(id));
    const auto cid = m.find(id)->client_order_id();
    const auto inst = test::btc();
    for (const auto& s : sc.steps) {
      clock.advance_ns(1);
      switch (s.kind) {
        case Step::Accept: venue.emit(OrderAccepted{inst, cid, VenueOrderId::from("V"), 1}); break;
        case Step::Trigger: venue.emit(OrderTriggered{inst, cid, VenueOrderId::from("V"), 1}); break;
        case Step::Fill: {
          const Fill& f = sc.fills[s.fill];
          venue.emit(OrderFilled{inst, cid, f.venue_order_id, f.trade_id, Side::Buy, f.quantity, f.price, f.fee, f.fee_asset,
                                 f.liquidity, f.ts_event_ns});
          break;
        }
        case Step::CancelRequest: (void)m.cancel(id); break;
        case Step::CancelReject: venue.emit(OrderCancelRejected{inst, cid, VenueError{}, 1}); break;
        case Step::Cancel: venue.emit(OrderCanceled{inst, cid, VenueOrderId::from("V"), 1}); break;
        case Step::Expire: venue.emit(OrderExpired{inst, cid, VenueOrderId::from("V"), 1}); break;
        case Step::Reject: venue.emit(OrderRejected{inst, cid, VenueError{}, 1}); break;
      }
      check_invariants(*m.find(id), "manager");
      ASSERT_FALSE(HasFatalFailure());
    }
    EXPECT_EQ(venue.submits.size(), 1u);
    const Order& live = *m.find(id);
    EXPECT_EQ(m.stats().fills_applied, live.fills().size());

    MemoryJournal scratch;
    OrderManager restarted(clock, scratch, *ClientOrderIdCodec::make("td"));
    auto r = restarted.restore(journal.durable_snapshot());
    ASSERT_TRUE(r) << r.error();
    const Order& back = *restarted.find(id);
    ASSERT_EQ(back.status(), live.status());
    ASSERT_EQ(back.filled_quantity(), live.filled_quantity());
    ASSERT_EQ(back.avg_price(), live.avg_price());
    ASSERT_EQ(back.fills().size(), live.fills().size());
    ASSERT_EQ(back.acked(), live.acked());
    for (const auto& fee : live.fees()) ASSERT_EQ(back.fee_in(fee.asset), fee.amount);
    EXPECT_EQ(restarted.next_order_id(), id + 1);
  }
}

}  // namespace
}  // namespace tradingd
