// OKX v5 private REST response parsers (digest §3, §5): the {"code","msg","data":[...]} envelope with its
// per-item sCode/sMsg, order records → OrderStatusReport, fills → OrderFilled (keyed by tradeId), balance
// details → Balance, positions → PositionReport (SWAP sizes in contracts, signed: short < 0). Every
// decimal is parsed exactly from the venue's string; fees flip sign (OKX: negative = paid; ours: positive
// = paid). The top-level code decides unless items carry sCode, which then decides per item. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"

namespace tradingd::okx {

// One order's outcome in a place / cancel / batch / algo answer. sCode "0" only means accepted.
struct OkxOrderAck {
  std::string ord_id;     // ordId, or algoId for algo orders
  std::string cl_ord_id;  // clOrdId, or algoClOrdId
  std::string s_code;
  std::string s_msg;
  bool ok() const { return s_code == "0"; }
};
VenueError ack_error(const OkxOrderAck& ack);

// The instrument an OKX instId names ("-SWAP" suffix → linear perp).
InstrumentId instrument_of(std::string_view inst_id);

// A failed envelope (HTTP error, top-level code without items, unparsable body) is the VenueError.
Result<std::vector<OkxOrderAck>, VenueError> parse_acks(int http_status, std::string_view body);
Result<std::vector<OrderStatusReport>, VenueError> parse_orders(int http_status, std::string_view body);
Result<std::vector<OrderFilled>, VenueError> parse_fills(int http_status, std::string_view body);
Result<std::vector<Balance>, VenueError> parse_balance(int http_status, std::string_view body);
Result<std::vector<PositionReport>, VenueError> parse_positions(int http_status, std::string_view body);
// /api/v5/public/time → the server's Unix milliseconds.
Result<std::int64_t, VenueError> parse_server_time(int http_status, std::string_view body);
// set-leverage → the leverage now in force.
Result<int, VenueError> parse_leverage(int http_status, std::string_view body);
// cancel-all-after → triggerTime (Unix ms; 0 when disabled).
Result<std::int64_t, VenueError> parse_cancel_all_after(int http_status, std::string_view body);

// "live" | "partially_filled" | "filled" | "canceled" | "mmp_canceled" → OrderStatus (nullopt: unknown).
std::optional<OrderStatus> order_status(std::string_view state);

}  // namespace tradingd::okx
