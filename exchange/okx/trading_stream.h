// OKX v5 private WebSocket parser (digest §7): login/subscribe acknowledgements, errors and notices, the
// text "pong", and the orders / positions / account pushes turned into VenueEvents. An orders push gives
// OrderAccepted (live, nothing filled), OrderFilled (this update's fill: fillSz/fillPx/tradeId; the
// adapter drops a tradeId seen before), OrderCanceled (canceled, mmp_canceled); account gives an
// AccountReport of balances only, positions one of positions only. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "exchange/execution_venue.h"

namespace tradingd::okx {

struct OkxStreamMessage {
  enum class Kind : std::uint8_t { Login, Subscribed, Error, Pong, Orders, Positions, Account, Notice, Other };
  Kind kind = Kind::Other;
  std::string code;     // login / error / notice code
  std::string msg;
  std::string channel;  // subscribe acks and pushes
  std::vector<VenueEvent> events;
  std::vector<OrderStatusReport> orders;  // the orders push as reports (state after this update)
};

// Error: not JSON, or a push whose fields cannot be read (the adapter counts and survives it).
Result<OkxStreamMessage, std::string> parse_stream(std::string_view text);

// {"op":"subscribe","args":[{"channel":"orders","instType":"ANY"},{"channel":"positions","instType":"SWAP"},
// {"channel":"account"}]}
std::string subscribe_private_frame();

}  // namespace tradingd::okx
