// The shared sample history (see journal_sample.h).
#include "tests/execution/journal_sample.h"

#include <gtest/gtest.h>

#include "execution/order_manager.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd::test {

// Writes a journal with a filled, a canceled, a rejected and an open order.
namespace {
OrderFilled at(UnixNanos ts, OrderFilled f) {
  f.ts_event_ns = ts;
  return f;
}
}  // namespace

void write_sample(OrderJournal& journal, SimulatedClock& clock) {
  test::FakeVenue venue;
  OrderManager m(clock, journal, *ClientOrderIdCodec::make("td"));
  m.add_venue(venue);
  auto submit = [&](Side side, const char* q, const char* p) {
    const OrderId id = *m.create(test::limit_spec(side, q, p));
    EXPECT_TRUE(m.submit(id));
    return std::pair{id, m.find(id)->client_order_id()};
  };
  auto [a, ca] = submit(Side::Buy, "1", "100");
  auto [b, cb] = submit(Side::Sell, "2", "110");
  auto [c, cc] = submit(Side::Buy, "3", "90");
  auto [d, cd] = submit(Side::Buy, "4", "95");
  clock.advance_ns(kNanosPerSecond);
  venue.emit(OrderAccepted{btc(), ca, VenueOrderId::from("VA"), clock.now_ns()});
  venue.emit(at(clock.now_ns(), fill_event(ca, "ta1", Side::Buy, "0.5", "100", "0.05")));
  venue.emit(at(clock.now_ns(), fill_event(ca, "ta2", Side::Buy, "0.5", "99.5", "0.0005", "BNB")));
  venue.emit(OrderAccepted{btc(), cb, VenueOrderId::from("VB"), clock.now_ns()});
  EXPECT_TRUE(m.cancel(b));
  venue.emit(OrderCanceled{btc(), cb, VenueOrderId::from("VB"), clock.now_ns()});
  venue.emit(OrderRejected{btc(), cc, VenueError{VenueErrorReason::InsufficientBalance, "-2010", "Account has insufficient balance"}, 7});
  venue.emit(OrderAccepted{btc(), cd, VenueOrderId::from("VD"), clock.now_ns()});
  venue.emit(at(clock.now_ns(), fill_event(cd, "td1", Side::Buy, "1", "95")));
  (void)a;
  (void)d;
}

}  // namespace tradingd::test
