// A tiny scenario DSL for the simulated venue's golden tests: a market-data script and orders on a
// simulated clock, read top to bottom like the timeline they describe, and the resulting fills/events as
// text to compare with hand-computed expectations. Times are milliseconds since 0; latency defaults to 0.
//
//   Scenario s;
//   s.at(0).book({{"100", "1"}}, {{"100.5", "2"}})
//    .market("c1", Side::Buy, "0.5")
//    .at(10);
//   EXPECT_EQ(s.fills(), "0 c1 buy 0.5@100.5 fee=0.05025 USDT taker\n");
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "execution/sim/simulated_venue.h"

namespace tradingd::sim::test {

struct Lvl {
  const char* price;
  const char* size;
};

// BTCUSDT-like rules: tick 0.01, step 0.001, min qty 0.001, min notional 5 (no fee rates: venue defaults).
Instrument spot_instrument(Venue venue = Venue::Binance);
// Linear perp: tick 0.1, step 0.001, min qty 0.001, min notional 5, max leverage 20.
Instrument perp_instrument(Venue venue = Venue::Binance);
// One instrument, balances 100 000 USDT and 10 BTC, zero latency, seed 7.
SimVenueConfig default_config(const Instrument& inst = spot_instrument());

// Records every event the venue delivers, with the simulated time it arrived.
class RecordingSink final : public VenueEventSink {
 public:
  explicit RecordingSink(const Clock& clock) : clock_(clock) {}
  void on_venue_event(const VenueEvent& e) override { events.emplace_back(clock_.now_ns(), e); }
  std::vector<std::pair<UnixNanos, VenueEvent>> events;

 private:
  const Clock& clock_;
};

std::string format_ms(UnixNanos ns);
std::string render_event(const VenueEvent& e);

class Scenario {
 public:
  explicit Scenario(SimVenueConfig cfg = default_config());

  // Time: runs every queued venue event up to t (each at its own time), then sets the clock to t.
  Scenario& at(std::int64_t ms);
  Scenario& at_ns(UnixNanos t);

  // Market data at the current time.
  Scenario& book(std::initializer_list<Lvl> bids, std::initializer_list<Lvl> asks);  // snapshot
  Scenario& bid(const char* price, const char* size);                               // one-level delta
  Scenario& ask(const char* price, const char* size);
  Scenario& trade(const char* price, const char* size, Side aggressor);
  Scenario& quote(const char* bid, const char* bid_size, const char* ask, const char* ask_size);
  Scenario& mark(const char* price);
  // A closed 1-minute bar opening at open_s seconds, delivered at its close (the clock moves there).
  Scenario& bar(std::int64_t open_s, const char* o, const char* h, const char* l, const char* c, const char* v);

  // Orders sent at the current time.
  Scenario& submit(const OrderRequest& r);
  Scenario& market(const char* id, Side side, const char* qty, TimeInForce tif = TimeInForce::Gtc,
                   bool reduce_only = false);
  Scenario& limit(const char* id, Side side, const char* qty, const char* price, TimeInForce tif = TimeInForce::Gtc,
                  bool reduce_only = false);
  Scenario& stop_market(const char* id, Side side, const char* qty, const char* trigger, bool reduce_only = false);
  Scenario& stop_limit(const char* id, Side side, const char* qty, const char* trigger, const char* price,
                       TimeInForce tif = TimeInForce::Gtc, bool reduce_only = false);
  Scenario& cancel(const char* id);
  Scenario& cancel_all();

  // "<venue ms> <client id> <side> <qty>@<price> fee=<fee> <asset> <maker|taker>" per fill.
  std::string fills() const;
  // "<delivery ms> <event>" per event delivered to the sink.
  std::string events() const;
  // Only the events of one kind word ("rejected", "canceled", ...), same format.
  std::string events_of(std::string_view kind) const;
  std::optional<OrderStatusReport> order(const char* id) const { return venue_.order_report(ClientOrderId::from(id)); }
  Money free(const char* asset) const;
  Money locked(const char* asset) const;

  SimulatedClock clock;
  InstrumentId id;
  SimulatedVenue& venue() { return venue_; }
  const SimulatedVenue& venue() const { return venue_; }
  RecordingSink& sink() { return sink_; }

 private:
  SimulatedVenue venue_;
  RecordingSink sink_;
  std::uint64_t book_seq_ = 0;
};

}  // namespace tradingd::sim::test
