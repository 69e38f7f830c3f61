// EmulatedAccount: the one trading account each venue of the emulator keeps (issue 7's trading side).
// Matching, balances, positions and order state are the SimulatedVenue's (execution/sim) with zero
// latency, fed with the emulator's own market (the MarketSim books and trades): the emulator's job is the
// venue's *protocol* — signatures, timestamps, payload shapes, error codes, private streams, faults — not
// a second matching engine. Each venue module translates requests into OrderRequests and the account's
// VenueEvents into its own REST answers and private-stream frames.
// Every request is answered synchronously: submit() returns the events it caused (accepted or rejected,
// and any immediate fills); later fills (resting orders the market trades through) appear in the event
// log, which private streams read with their own cursor. Pure: time comes in as arguments.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "exchange/emulator/account_options.h"
#include "exchange/emulator/instruments.h"
#include "exchange/emulator/market.h"
#include "exchange/execution_venue.h"

namespace tradingd::sim {
class SimulatedVenue;
}

namespace tradingd::emulator {

// The rules of an emulator instrument as the engine's Instrument (ids in the venue's symbols).
Instrument to_instrument(const InstrumentSpec& spec);

struct AccountEvent {
  std::uint64_t seq = 0;  // 1, 2, ...: private streams keep a cursor
  std::int64_t ts_ms = 0;
  VenueEvent event;
};

class EmulatedAccount {
 public:
  EmulatedAccount(Venue venue, const std::vector<InstrumentSpec>& specs, const AccountOptions& options);
  ~EmulatedAccount();
  EmulatedAccount(const EmulatedAccount&) = delete;
  EmulatedAccount& operator=(const EmulatedAccount&) = delete;

  const AccountOptions& options() const { return options_; }
  Venue venue() const { return venue_; }

  // The market moved (call with every market's TickEvents in the service's tick): books and trades go to
  // the matching engine, which may fill resting orders.
  void on_market(const MarketSim& market, const TickEvents& events);

  // Requests. The returned events are those this call caused, in order (also appended to the log).
  std::vector<VenueEvent> submit(const OrderRequest& request, std::int64_t now_ms);
  std::vector<VenueEvent> cancel(const InstrumentId& instrument, const ClientOrderId& id, std::int64_t now_ms);
  std::vector<VenueEvent> cancel_all(const std::optional<InstrumentId>& instrument, std::int64_t now_ms);

  // Queries (the venue's view; nullopt: unknown order, as the venue would answer).
  std::optional<OrderStatusReport> order(const ClientOrderId& id) const;
  std::optional<OrderStatusReport> order_by_venue_id(const VenueOrderId& id) const;
  std::vector<OrderStatusReport> open_orders(const std::optional<InstrumentId>& instrument) const;
  std::vector<OrderFilled> fills(const std::optional<InstrumentId>& instrument, std::int64_t since_ms) const;
  AccountReport account() const;
  int leverage(const InstrumentId& instrument) const;
  // False when the instrument is unknown or the leverage is out of 1..max.
  bool set_leverage(const InstrumentId& instrument, int leverage, std::int64_t now_ms);
  // The instrument for a venue symbol and kind (nullopt: the venue lists no such instrument).
  std::optional<InstrumentId> instrument(MarketKind kind, std::string_view symbol) const;
  const Instrument* rules(const InstrumentId& id) const;

  // Events after `after_seq` (0: from the oldest kept), oldest first. The log keeps the last kMaxLog.
  std::vector<AccountEvent> events_since(std::uint64_t after_seq) const;
  std::uint64_t last_seq() const { return next_seq_ - 1; }
  static constexpr std::size_t kMaxLog = 10'000;

  // Fault hooks for the private streams: re-append an old fill (duplicate execution report) or swap the
  // next two events (out of order).
  void duplicate_last_fill(std::int64_t now_ms);

 private:
  class Sink;
  std::vector<VenueEvent> run(std::int64_t now_ms);  // advance the engine, collect what it emitted
  void append(const std::vector<VenueEvent>& events, std::int64_t now_ms);

  Venue venue_;
  AccountOptions options_;
  SimulatedClock clock_;
  std::vector<Instrument> instruments_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<sim::SimulatedVenue> engine_;
  std::map<std::string, ClientOrderId, std::less<>> by_venue_id_;  // venue order id -> client order id
  std::map<std::string, int, std::less<>> leverage_;               // instrument key -> leverage
  std::deque<AccountEvent> log_;
  std::uint64_t next_seq_ = 1;
  std::map<std::string, bool, std::less<>> seeded_;                // instrument key -> book snapshot sent
};

}  // namespace tradingd::emulator
