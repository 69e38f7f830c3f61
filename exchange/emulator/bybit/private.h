// The Bybit emulator's trading side, shared by its private REST (private_rest.cpp) and private stream
// (private_ws.cpp): the account's reports and events in Bybit's v5 payload shapes (strings for every
// number, orderStatus names, execId as the trade id), and the mapping of the account's rejections onto
// Bybit's retCodes (spot 170xxx, linear 110xxx). Pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "exchange/emulator/bybit/service.h"

namespace tradingd::emulator::bybit {

// Bybit's orderStatus for an order report (spot partially filled then cancelled is its own status).
std::string_view order_status(const OrderStatusReport& r);
// stream: the private stream's variant of the item (its field set differs from REST's in places: the
// stream's orders carry category/createType, its positions entryPrice where REST says avgPrice, ...).
boost::json::object order_json(const OrderStatusReport& r, const InstrumentSpec& s, std::string_view status,
                               std::string_view reject_reason, std::int64_t updated_ms, bool stream);
boost::json::object execution_json(const OrderFilled& f, const InstrumentSpec& s,
                                   const std::optional<OrderStatusReport>& order, std::int64_t seq, bool stream);
boost::json::object position_json(const InstrumentSpec& s, const std::optional<PositionReport>& p, int leverage,
                                  Price mark, std::int64_t now_ms, bool stream);
boost::json::object wallet_json(const AccountReport& a, bool stream);

struct BybitCode {
  int code = 10001;
  std::string_view msg;
};
BybitCode ret_code_for(const VenueError& e, bool spot);

// The /v5/private WebSocket protocol.
std::unique_ptr<WsProtocol> make_private_ws(BybitService& svc);

}  // namespace tradingd::emulator::bybit
