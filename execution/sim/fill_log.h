// The fill log as text: one line per fill, fields in a fixed order with exact decimals, so two runs with
// the same inputs and seed can be compared byte for byte and golden tests can spell fills out by hand:
//   <ts_ns> <instrument> <client_order_id> order=<venue_order_id> trade=<trade_id> <buy|sell> <qty>@<price>
//   fee=<fee> <fee_asset> <maker|taker>
#pragma once

#include <span>
#include <string>

#include "exchange/execution_venue.h"
#include "execution/sim/ring_queue.h"

namespace tradingd::sim {

std::string render_fill(const OrderFilled& f);
std::string render_fill_log(std::span<const OrderFilled> fills);
// The venue's log (SimulatedVenue::fill_log), oldest first.
std::string render_fill_log(const RingQueue<OrderFilled>& fills);

}  // namespace tradingd::sim
