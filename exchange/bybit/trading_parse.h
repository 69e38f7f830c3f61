// Bybit v5 trading protocol, the incoming half: the error map (retCode and HTTP status → VenueErrorReason),
// the rate-limit headers, REST response parsers ({retCode, retMsg, result, time} envelope) and the
// private-stream parser (auth/subscribe/pong replies, order, execution, position, wallet topics).
// Contract: pure and exception-free; money is parsed exactly from the venue's strings; a body that is not
// the expected shape is a VenueError with reason Other and code "parse" (the adapter counts and logs it);
// symbols the adapter was not configured with are skipped, not guessed. Execution ids are the trade ids.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/instrument.h"
#include "core/result.h"
#include "exchange/execution_venue.h"
#include "exchange/parse_types.h"

namespace tradingd::bybit {

// retCode → reason (0 is not an error; unknown codes are Other).
VenueErrorReason map_ret_code(std::int64_t ret_code);
// HTTP status of a response that carried no usable envelope: 403 (IP limit / region ban), 429, 5xx...
VenueErrorReason map_http_status(int status);
// Codes that mean "the order is already gone" on a cancel (110001, 110008, 110010, 170142, 170213...).
bool cancel_means_done(std::int64_t ret_code);

// The X-Bapi-Limit* headers of one response (absent values stay nullopt).
struct RateLimitHeaders {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> remaining;
  std::optional<std::int64_t> reset_ms;
};
RateLimitHeaders read_rate_limit(std::optional<std::string_view> limit, std::optional<std::string_view> status,
                                 std::optional<std::string_view> reset);

// The instruments the adapter trades, found by (kind, symbol): parsers use it to build ids and know
// each instrument's base/quote assets.
class InstrumentTable {
 public:
  InstrumentTable() = default;
  explicit InstrumentTable(std::vector<Instrument> instruments) : list_(std::move(instruments)) {}
  const Instrument* find(MarketKind kind, std::string_view symbol) const;
  const Instrument* find(const InstrumentId& id) const { return find(id.kind, id.symbol.view()); }
  const std::vector<Instrument>& all() const { return list_; }

 private:
  std::vector<Instrument> list_;
};

// A parsed envelope: retCode/retMsg/time. A non-zero retCode becomes the VenueError the parsers return.
struct Envelope {
  std::int64_t ret_code = 0;
  std::string ret_msg;
  std::int64_t time_ms = 0;
};
Result<Envelope, VenueError> parse_envelope(std::string_view body);
VenueError error_from(const Envelope& e);

// The REST response parsers. kind: the request's category.
Result<VenueOrderId, VenueError> parse_create(std::string_view body);
Result<VenueOrderId, VenueError> parse_cancel(std::string_view body);
Result<std::size_t, VenueError> parse_cancel_all(std::string_view body);  // orders cancelled
struct OrderPage {
  std::vector<OrderStatusReport> orders;
  std::string next_cursor;
};
Result<OrderPage, VenueError> parse_orders(std::string_view body, MarketKind kind, const InstrumentTable& table);
struct FillPage {
  std::vector<OrderFilled> fills;
  std::string next_cursor;
};
Result<FillPage, VenueError> parse_executions(std::string_view body, MarketKind kind, const InstrumentTable& table);
Result<std::vector<Balance>, VenueError> parse_wallet(std::string_view body);
Result<std::vector<PositionReport>, VenueError> parse_positions(std::string_view body, const InstrumentTable& table);
// 110043 (leverage not modified) is success.
Result<int, VenueError> parse_set_leverage(std::string_view body, int requested);
// result.timeNano / timeSecond → ms.
Result<std::int64_t, VenueError> parse_server_time(std::string_view body);

// --- Private stream --------------------------------------------------------------------------------------
enum class PrivateKind : std::uint8_t { AuthAck, SubscribeAck, Pong, Order, Execution, Position, Wallet, Ignored };

struct PrivateMessage {
  PrivateKind kind = PrivateKind::Ignored;
  bool success = true;           // auth/subscribe replies
  std::string ret_msg;           // failure text (logs)
  std::int64_t ret_code = 0;
  std::string req_id;            // echoed request id of a reply
  std::vector<VenueEvent> events;           // order and execution topics
  std::vector<Balance> balances;            // wallet topic
  std::vector<PositionReport> positions;    // position topic
  std::size_t skipped = 0;                  // items for instruments not configured / not trades
};

class PrivateParser {
 public:
  explicit PrivateParser(const InstrumentTable& table);
  ~PrivateParser();
  PrivateParser(const PrivateParser&) = delete;
  PrivateParser& operator=(const PrivateParser&) = delete;
  Result<PrivateMessage, ParseError> parse(std::string_view frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Bybit's order statuses and reject reasons.
std::optional<OrderStatus> map_order_status(std::string_view status, bool has_fills);
VenueErrorReason map_reject_reason(std::string_view reject_reason);

}  // namespace tradingd::bybit
