// One order as the simulated matching engine holds it, from its arrival until it is final. The request is
// kept verbatim; everything else is engine state (phase, fills, queue position, reserved funds).
// Invariants: filled <= quantity; locked >= 0 and only while the order is open; a Done order is in no
// resting, stop or candle list once the venue compacts its lists.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "exchange/execution_venue.h"
#include "execution/sim/queue_model.h"

namespace tradingd::sim {

enum class OrderPhase : std::uint8_t {
  AwaitingTrigger,  // a stop that has not fired
  Resting,          // a limit in the (virtual) book, matched by trades and book changes
  Candle,           // candle mode: waits for the next bar(s)
  Done,             // final; kept for queries until evicted
};

struct SimOrder {
  OrderRequest req;
  VenueOrderId venue_order_id;
  std::uint64_t number = 0;       // venue_order_id as the venue counted it (0: not one of our decimal ids)
  std::uint64_t seq = 0;          // time priority among resting orders (arrival or trigger order)
  std::uint32_t instrument = 0;   // index into the venue's instruments
  std::uint32_t slot = 0;         // its own place in the venue's order storage
  OrderStatus status = OrderStatus::Accepted;
  OrderPhase phase = OrderPhase::Resting;
  bool triggered = false;
  bool candle_mode = false;        // matched against bars (listed in the candle list)
  bool candle_fresh = true;        // candle mode: not yet checked against a bar
  bool marketable_on_arrival = false;  // candle mode: a limit that crossed the last close when it arrived
  Quantity filled;
  Money filled_notional;           // Σ price × qty of the fills, for the average price
  QueueState queue;
  Asset lock_asset;
  Money locked;                    // still reserved for the unfilled rest
  UnixNanos ts_sent_ns = 0;
  UnixNanos ts_arrived_ns = 0;
  UnixNanos ts_last_ns = 0;        // last status change

  Quantity remaining() const { return req.quantity - filled; }
  bool is_buy() const { return req.side == Side::Buy; }
};

}  // namespace tradingd::sim
