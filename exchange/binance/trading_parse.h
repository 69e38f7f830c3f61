// Binance trading parsers (spot and USD-M), pure: REST response bodies, error bodies and private-stream
// frames in, the engine's types out (exact fixed point from the venue's strings), or an error text; never
// an exception. Contract:
//   - orders (/api/v3/order, /fapi/v1/order, /fapi/v1/algoOrder, cancel and cancel-all answers, open
//     orders) → OrderStatusReport; a spot FULL answer's fills[] → OrderFilled with their trade ids;
//   - myTrades / userTrades → OrderFilled (the REST trade lists carry no client order id: it stays empty and
//     the venue order id identifies the order);
//   - account / positionRisk → AccountReport (balances; USD-M positions netted per symbol);
//   - error bodies ({"code":-2010,"msg":...}) and HTTP status → VenueError via map_error(), which knows every
//     code the adapter can meet and -2010's/-1013's message variants;
//   - user-data frames (raw, combined {"stream","data"}, or WS-API {"subscriptionId","event"} and WS-API
//     responses) → VenueEvents; listenKeyExpired and eventStreamTerminated are reported as such.
// Instruments are named by the market kind the caller passes (the spot and USD-M streams are separate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"

namespace tradingd::binance {

// Venue error → reason. http_status 0: not an HTTP answer (WS-API error).
VenueErrorReason map_error(int http_status, int code, std::string_view msg);
// A non-2xx answer (or a 2xx carrying {"code":<0}) → VenueError. Spot 5xx and -1006/-1007 are UnknownOutcome.
VenueError parse_error(int http_status, std::string_view body);
// True when the body is an error object ({"code":-N,"msg":...}) even under HTTP 200.
bool is_error_body(std::string_view body);

struct ParsedOrder {
  OrderStatusReport report;
  std::vector<OrderFilled> fills;  // spot FULL responses only
};
Result<ParsedOrder, std::string> parse_order(std::string_view body, MarketKind kind);
// Arrays of orders (open orders, spot cancel-all; order-list entries are skipped).
Result<std::vector<OrderStatusReport>, std::string> parse_orders(std::string_view body, MarketKind kind);
Result<std::vector<OrderFilled>, std::string> parse_trades(std::string_view body, MarketKind kind);
Result<AccountReport, std::string> parse_spot_account(std::string_view body);
Result<AccountReport, std::string> parse_futures_account(std::string_view body);
Result<std::vector<PositionReport>, std::string> parse_position_risk(std::string_view body);
Result<std::int64_t, std::string> parse_server_time(std::string_view body);  // serverTime, ms
Result<std::string, std::string> parse_listen_key(std::string_view body);
Result<int, std::string> parse_leverage(std::string_view body);

// Order vocabulary.
std::optional<OrderStatus> parse_order_status(std::string_view s);
OrderType parse_order_type(std::string_view s);

// One private-stream frame.
enum class StreamMessageKind : std::uint8_t {
  Events,            // events holds what the frame meant (possibly nothing, e.g. a TRADE_LITE)
  ListenKeyExpired,  // USD-M: get a new key, reconnect, reconcile
  StreamTerminated,  // spot WS API: the subscription ended
  WsApiResponse,     // an answer to a WS-API request (see response)
  Ignored,           // a known event the engine has no use for (balanceUpdate, listStatus, ...)
};
struct WsApiResponse {
  std::string id;
  int status = 0;
  int error_code = 0;  // 0: success
  std::string error_msg;
  std::int64_t subscription_id = -1;
};
struct StreamMessage {
  StreamMessageKind kind = StreamMessageKind::Events;
  std::vector<VenueEvent> events;
  WsApiResponse response;
  std::string event_type;  // "executionReport", ...: for logs and counters
};
Result<StreamMessage, std::string> parse_user_stream(std::string_view frame, MarketKind kind);

}  // namespace tradingd::binance
