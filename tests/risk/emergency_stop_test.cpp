// EmergencyStop with a fake engine: cancel-all then flatten, 100 orders and 10 positions, idempotency of a
// second request, retries after rejects and failed sends, splitting by the venue's maximum size, the
// cancel wait, and the bounded timeout with its report.
#include "risk/emergency_stop.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::Q;

constexpr UnixNanos kMs = kNanosPerMilli;

// One fake implementing all three interfaces, with knobs for misbehaviour.
struct FakeEngine final : OrderCanceller, PositionSource, FlattenSubmitter {
  std::vector<OpenOrderRef> orders;
  std::set<ClientOrderId> sticky;  // orders a cancel-all does not remove (a fill race, a venue hiccup)
  std::map<InstrumentId, Quantity> positions;
  Quantity max_order;
  std::map<Venue, int> cancel_all_calls;
  struct Sent {
    ClientOrderId id;
    InstrumentId instrument;
    Side side;
    Quantity qty;
  };
  std::vector<Sent> sent;
  std::set<ClientOrderId> open_flatten;
  int fail_next_submits = 0;

  std::vector<OpenOrderRef> open_orders() const override { return orders; }
  void cancel_all(Venue v) override {
    ++cancel_all_calls[v];
    std::erase_if(orders, [&](const OpenOrderRef& o) { return o.instrument.venue == v && !sticky.contains(o.client_order_id); });
  }
  std::vector<FlattenTarget> open_positions() const override {
    std::vector<FlattenTarget> out;
    for (const auto& [id, q] : positions)
      if (!q.is_zero()) out.push_back({id, q, max_order});
    return out;
  }
  std::optional<ClientOrderId> submit_flatten(const InstrumentId& instrument, Side side, Quantity qty) override {
    if (fail_next_submits > 0) {
      --fail_next_submits;
      return std::nullopt;
    }
    const auto id = ClientOrderId::from("flat" + std::to_string(sent.size()));
    sent.push_back({id, instrument, side, qty});
    open_flatten.insert(id);
    return id;
  }
  bool is_order_open(const ClientOrderId& id) const override { return open_flatten.contains(id); }

  // The venue fills (or rejects) every open flatten order.
  void fill_all() {
    for (const auto& s : sent) {
      if (!open_flatten.erase(s.id)) continue;
      positions[s.instrument] += s.qty * sign(s.side);
    }
  }
  void reject_all() { open_flatten.clear(); }
};

struct Fixture {
  config::RiskConfig risk;
  CircuitBreaker breaker{risk};
  FakeEngine engine;
  EmergencyStopConfig cfg{2000 * kMs, 500 * kMs, 30'000 * kMs};
  EmergencyStop estop{cfg, breaker, engine, engine, engine};
  std::vector<InstrumentId> instruments;

  // 100 open orders across Binance and Bybit, 10 positions (alternating long/short).
  void populate() {
    for (int i = 0; i < 10; ++i) {
      const Venue v = i % 2 ? Venue::Bybit : Venue::Binance;
      InstrumentId id{v, MarketKind::LinearPerp, Symbol::from("C" + std::to_string(i) + "USDT")};
      instruments.push_back(id);
      engine.positions[id] = Q(std::to_string(i + 1)) * (i % 2 ? -1 : 1);
      for (int k = 0; k < 10; ++k)
        engine.orders.push_back({id, ClientOrderId::from("o" + std::to_string(i) + "_" + std::to_string(k))});
    }
  }
};

TEST(EmergencyStop, CancelsEverythingThenFlattensEverything) {
  Fixture fx;
  fx.populate();
  EXPECT_EQ(fx.estop.start(1000 * kMs), StartResult::Started);
  EXPECT_TRUE(fx.breaker.tripped());
  EXPECT_EQ(fx.breaker.state().reason, TripReason::EmergencyStop);
  // One cancel-all per venue with orders, not 100 single cancels.
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Binance], 1);
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Bybit], 1);
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Okx], 0);
  // The cancels landed at once, so flattening began in the same call: one reduce-only order per position.
  EXPECT_EQ(fx.estop.phase(), EmergencyPhase::Flattening);
  ASSERT_EQ(fx.engine.sent.size(), 10u);
  for (const auto& s : fx.engine.sent) {
    const Quantity pos = fx.engine.positions[s.instrument];
    EXPECT_EQ(s.qty, pos.abs());
    EXPECT_EQ(s.side, pos.is_positive() ? Side::Sell : Side::Buy);
  }
  fx.engine.fill_all();
  EXPECT_EQ(fx.estop.poll(1100 * kMs), EmergencyPhase::Done);
  const auto& r = *fx.estop.last_report();
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.canceled.size(), 100u);
  EXPECT_EQ(r.closed.size(), 10u);
  EXPECT_EQ(r.flatten_orders, 10u);
  EXPECT_EQ(r.finished_ns - r.started_ns, 100 * kMs);
}

TEST(EmergencyStop, SecondRequestWhileRunningDoesNotDoubleTheOrders) {
  Fixture fx;
  fx.populate();
  fx.estop.start(0);
  EXPECT_EQ(fx.estop.start(10 * kMs), StartResult::AlreadyRunning);
  for (int i = 1; i <= 20; ++i) {
    fx.estop.poll(i * 100 * kMs);
    if (i % 5 == 0) {
      EXPECT_EQ(fx.estop.start(i * 100 * kMs), StartResult::AlreadyRunning);
    }
  }
  EXPECT_EQ(fx.engine.sent.size(), 10u);  // the flatten orders are still working: nothing resent
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Binance], 1);
  fx.engine.fill_all();
  EXPECT_EQ(fx.estop.poll(3000 * kMs), EmergencyPhase::Done);
  EXPECT_EQ(fx.estop.last_report()->flatten_orders, 10u);
  // After it finished, a new request starts a new run (nothing left to do: done at once).
  EXPECT_EQ(fx.estop.start(4000 * kMs), StartResult::Started);
  EXPECT_EQ(fx.estop.phase(), EmergencyPhase::Done);
  EXPECT_EQ(fx.engine.sent.size(), 10u);
}

TEST(EmergencyStop, RetriesAfterRejectsAndFailedSends) {
  Fixture fx;
  const InstrumentId id{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  fx.engine.positions[id] = Q("5");
  fx.engine.fail_next_submits = 1;
  fx.estop.start(0);
  EXPECT_EQ(fx.engine.sent.size(), 0u);
  EXPECT_EQ(fx.estop.last_report(), std::nullopt);
  fx.estop.poll(499 * kMs);  // waits for the retry interval
  EXPECT_EQ(fx.engine.sent.size(), 0u);
  fx.estop.poll(500 * kMs);
  ASSERT_EQ(fx.engine.sent.size(), 1u);
  // The venue rejects it (terminal, position unchanged): another after the retry interval, not at once
  // (a venue that keeps rejecting must not get an order per poll).
  fx.engine.reject_all();
  fx.estop.poll(600 * kMs);
  EXPECT_EQ(fx.engine.sent.size(), 1u);
  fx.estop.poll(1099 * kMs);
  EXPECT_EQ(fx.engine.sent.size(), 1u);
  fx.estop.poll(1100 * kMs);
  ASSERT_EQ(fx.engine.sent.size(), 2u);
  // A partial fill: 3 of 5 close, the order is done; progress, so the remaining 2 go out at once.
  fx.engine.positions[id] = Q("2");
  fx.engine.open_flatten.clear();
  fx.estop.poll(1110 * kMs);
  ASSERT_EQ(fx.engine.sent.size(), 3u);
  EXPECT_EQ(fx.engine.sent.back().qty, Q("2"));
  fx.engine.fill_all();
  fx.estop.poll(1200 * kMs);
  const auto& r = *fx.estop.last_report();
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.submit_failures, 1u);
  EXPECT_EQ(r.flatten_orders, 3u);
  ASSERT_EQ(r.closed.size(), 1u);
  EXPECT_EQ(r.closed[0].quantity, Q("5"));
}

TEST(EmergencyStop, SplitsByTheVenueMaximumOneAtATime) {
  Fixture fx;
  const InstrumentId id{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  fx.engine.positions[id] = Q("-250");
  fx.engine.max_order = Q("100");
  fx.estop.start(0);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(fx.engine.sent.size(), static_cast<std::size_t>(i));
    EXPECT_EQ(fx.engine.sent.back().side, Side::Buy);
    fx.engine.fill_all();
    fx.estop.poll(i * 10 * kMs);
  }
  EXPECT_EQ(fx.engine.sent[2].qty, Q("50"));
  EXPECT_TRUE(fx.estop.last_report()->success());
}

TEST(EmergencyStop, FlattensAfterTheCancelWaitEvenIfACancelHangs) {
  Fixture fx;
  fx.populate();
  fx.engine.sticky.insert(ClientOrderId::from("o3_7"));
  fx.estop.start(0);
  EXPECT_EQ(fx.estop.phase(), EmergencyPhase::Canceling);
  EXPECT_TRUE(fx.engine.sent.empty());
  fx.estop.poll(500 * kMs);  // resend the cancel-all to the venue that still has an order
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Bybit], 2);
  EXPECT_EQ(fx.engine.cancel_all_calls[Venue::Binance], 1);
  fx.estop.poll(2000 * kMs);
  EXPECT_EQ(fx.estop.phase(), EmergencyPhase::Flattening);
  EXPECT_EQ(fx.engine.sent.size(), 10u);
  fx.engine.fill_all();
  fx.estop.poll(2100 * kMs);
  const auto& r = *fx.estop.last_report();
  EXPECT_FALSE(r.success());
  ASSERT_EQ(r.cancel_failed.size(), 1u);
  EXPECT_EQ(r.cancel_failed[0].client_order_id.view(), "o3_7");
  EXPECT_EQ(r.canceled.size(), 99u);
  EXPECT_EQ(r.closed.size(), 10u);
}

TEST(EmergencyStop, GivesUpAfterTheTimeoutAndSaysWhat) {
  Fixture fx;
  fx.populate();
  fx.estop.start(0);
  // The venue never fills and rejects everything: one order in flight per position at any time, retried.
  std::size_t max_in_flight = 0;
  for (UnixNanos t = 100 * kMs; fx.estop.running(); t += 100 * kMs) {
    max_in_flight = std::max(max_in_flight, fx.engine.open_flatten.size());
    if (t % (1000 * kMs) == 0) fx.engine.reject_all();
    fx.estop.poll(t);
    ASSERT_LE(t, 31'000 * kMs);
  }
  EXPECT_EQ(max_in_flight, 10u);
  const auto& r = *fx.estop.last_report();
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.finished_ns, 30'000 * kMs);
  EXPECT_EQ(r.failed.size(), 10u);
  EXPECT_TRUE(r.closed.empty());
  for (const auto& f : r.failed) EXPECT_EQ(f.attempts, 30u);  // one per second of rejects
  EXPECT_EQ(r.flatten_orders, 300u);
  EXPECT_TRUE(fx.breaker.tripped());  // the breaker stays tripped: an operator must look
}

TEST(EmergencyStop, CancelOnlyWhenConfiguredSo) {
  Fixture fx;
  fx.populate();
  fx.estop.start(0, {true, false, "breaker tripped: cancel_orders_on_trip"});
  EXPECT_EQ(fx.estop.phase(), EmergencyPhase::Done);
  EXPECT_TRUE(fx.engine.sent.empty());
  EXPECT_EQ(fx.estop.last_report()->canceled.size(), 100u);
  EXPECT_TRUE(fx.estop.last_report()->success());
}

TEST(EmergencyStop, ConfigFromRiskConfig) {
  config::RiskConfig risk;
  const auto c = EmergencyStopConfig::from(risk);
  EXPECT_EQ(c.timeout_ns, 30 * kNanosPerSecond);
  EXPECT_EQ(c.cancel_wait_ns, 2 * kNanosPerSecond);
  EXPECT_EQ(c.retry_interval_ns, 500 * kMs);
}

}  // namespace
}  // namespace tradingd
