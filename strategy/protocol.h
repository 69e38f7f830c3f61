// The external-strategy JSON-lines protocol: one JSON object per line, "type" says what it is. Pure codec:
// encode_* build daemon → strategy lines, decode_strategy_line() parses strategy → daemon lines.
// Invariants: decimals are written as strings and read from strings or from a JSON number's own text
// (never through double), so prices and sizes survive exactly; unknown, duplicate or mistyped fields are
// errors naming the field; decoding never throws. Encoded lines carry no '\n' (strings are escaped).
//   in  (to the strategy):   start, bar, trade, fill, position, stop
//   out (from the strategy): signal {"type":"signal","signal":{...the POST /v1/signals body...}}, log, done
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/result.h"
#include "exchange/market_data.h"
#include "execution/order.h"
#include "execution/signal.h"
#include "strategy/strategy.h"

namespace tradingd::protocol {

inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

enum class ErrorCode : std::uint8_t {
  LineTooLong,
  InvalidJson,
  NotAnObject,
  UnknownMessageType,
  MissingField,
  UnknownField,
  DuplicateField,
  WrongType,          // e.g. a number where a string is expected
  InvalidValue,       // right type, bad content: an unknown enum name, a malformed decimal, too long an id
  UnknownInstrument,  // venue/symbol(/market) not among the strategy's instruments
};
std::string_view to_string(ErrorCode c);

struct Error {
  ErrorCode code = ErrorCode::InvalidJson;
  std::string field;  // "signal.quantity"; empty for whole-line errors
  std::string detail;
  // "signal.quantity: invalid_value: expected a decimal, got \"1.2.3\""
  std::string message() const;
};

// The body of POST /v1/signals, shared by the control API and this protocol. quantity and notional both
// absent: the node's sizer decides. market (spot | linear_perp) is needed only when a venue lists the same
// symbol in both markets among the strategy's instruments.
struct SignalBody {
  Venue venue = Venue::Binance;
  Symbol symbol;
  std::optional<MarketKind> market;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  std::optional<Quantity> quantity;
  std::optional<Money> notional;  // an extension of the API's fields: size in quote currency
  std::optional<Price> price;
  std::optional<Price> stop_price;
  TimeInForce time_in_force = TimeInForce::Gtc;
  bool reduce_only = false;
  std::optional<Price> stop_loss;
  std::optional<Price> take_profit;
  StrategyId strategy_id;
  OrderTag tag;
  friend bool operator==(const SignalBody&, const SignalBody&) = default;
};

struct SignalMessage {
  SignalBody body;
  friend bool operator==(const SignalMessage&, const SignalMessage&) = default;
};
struct LogMessage {
  StrategyLogLevel level = StrategyLogLevel::Info;
  std::string message;
  friend bool operator==(const LogMessage&, const LogMessage&) = default;
};
struct DoneMessage {
  friend bool operator==(const DoneMessage&, const DoneMessage&) = default;
};
using StrategyMessage = std::variant<SignalMessage, LogMessage, DoneMessage>;

// One line from the strategy (without its '\n'; a trailing '\r' is tolerated).
Result<StrategyMessage, Error> decode_strategy_line(std::string_view line);
// A signal body on its own (the control API's request body).
Result<SignalBody, Error> decode_signal_body(std::string_view json);

// Resolves the body's venue/symbol/market against the strategy's instruments and builds the Signal.
Result<Signal, Error> to_signal(const SignalBody& body, std::span<const InstrumentId> instruments);
SignalBody from_signal(const Signal& signal);

// Daemon → strategy lines (no trailing '\n').
std::string encode_start(const StrategyId& strategy_id, TradingMode mode, std::span<const InstrumentId> instruments,
                         const std::map<std::string, std::string>& params);
std::string encode_bar(const Bar& bar);
std::string encode_trade(const TradeTick& trade);
std::string encode_fill(const Order& order, const Fill& fill);
std::string encode_position(const InstrumentId& instrument, Quantity quantity);
std::string encode_stop();
// Strategy → daemon lines: for tests, tools and C++ external strategies.
std::string encode_signal(const SignalBody& body);
std::string encode_log(StrategyLogLevel level, std::string_view message);
std::string encode_done();

}  // namespace tradingd::protocol
