// The JSON-lines codec: see protocol.h. Decoding uses simdjson on-demand because it exposes a number's raw
// text (raw_json_token), which is what lets "0.1" arrive as exactly 0.1 rather than the nearest double.
#include "strategy/protocol.h"

#include <simdjson.h>

#include <exception>

namespace tradingd::protocol {
namespace {

namespace od = simdjson::ondemand;

Err<Error> fail(ErrorCode code, std::string field, std::string detail) {
  return Err{Error{code, std::move(field), std::move(detail)}};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "?";
}

// Reads one field's value; every reader returns an error naming `field`.
class FieldReader {
 public:
  FieldReader(od::value& v, std::string field) : v_(v), field_(std::move(field)) {}

  Result<od::json_type, Error> type() {
    od::json_type t;
    if (v_.type().get(t)) return fail(ErrorCode::InvalidJson, field_, "malformed value");
    return t;
  }
  Result<std::string_view, Error> string() {
    auto t = type();
    if (!t) return Err{t.error()};
    if (*t != od::json_type::string) return fail(ErrorCode::WrongType, field_, "expected a string, got " + std::string(type_name(*t)));
    std::string_view s;
    if (v_.get_string().get(s)) return fail(ErrorCode::InvalidJson, field_, "malformed string");
    return s;
  }
  Result<bool, Error> boolean() {
    auto t = type();
    if (!t) return Err{t.error()};
    if (*t != od::json_type::boolean) return fail(ErrorCode::WrongType, field_, "expected true or false, got " + std::string(type_name(*t)));
    bool b = false;
    if (v_.get_bool().get(b)) return fail(ErrorCode::InvalidJson, field_, "malformed boolean");
    return b;
  }
  // A decimal string or a JSON number read from its own text; null gives nullopt.
  template <class F>
  Result<std::optional<F>, Error> decimal() {
    auto t = type();
    if (!t) return Err{t.error()};
    if (*t == od::json_type::null) return std::optional<F>{};
    std::string_view text;
    if (*t == od::json_type::string) {
      if (v_.get_string().get(text)) return fail(ErrorCode::InvalidJson, field_, "malformed string");
    } else if (*t == od::json_type::number) {
      text = trim(v_.raw_json_token());
    } else {
      return fail(ErrorCode::WrongType, field_, "expected a decimal string or number, got " + std::string(type_name(*t)));
    }
    const auto d = F::parse(text);
    if (!d) return fail(ErrorCode::InvalidValue, field_, "expected a decimal, got \"" + std::string(text) + "\" (" + std::string(tradingd::to_string(d.error())) + ")");
    return std::optional<F>{*d};
  }
  template <class T, class Parse>
  Result<T, Error> enumeration(Parse parse, std::string_view expected) {
    auto s = string();
    if (!s) return Err{s.error()};
    const auto v = parse(*s);
    if (!v) return fail(ErrorCode::InvalidValue, field_, "expected " + std::string(expected) + ", got \"" + std::string(*s) + "\"");
    return *v;
  }
  template <std::size_t N>
  Result<InlineString<N>, Error> inline_string() {
    auto s = string();
    if (!s) return Err{s.error()};
    auto v = InlineString<N>::make(*s);
    if (!v) return fail(ErrorCode::InvalidValue, field_, "longer than " + std::to_string(N) + " characters");
    return *v;
  }

 private:
  od::value& v_;
  std::string field_;
};

#define TRY_ASSIGN(target, expr)             \
  do {                                       \
    auto r_ = (expr);                        \
    if (!r_) return Err{r_.error()};         \
    target = std::move(*r_);                 \
  } while (0)

std::optional<StrategyLogLevel> parse_log_level(std::string_view s) {
  for (auto l : {StrategyLogLevel::Debug, StrategyLogLevel::Info, StrategyLogLevel::Warn, StrategyLogLevel::Error})
    if (s == to_string(l)) return l;
  return std::nullopt;
}

Result<SignalBody, Error> decode_body(od::object& obj, const std::string& prefix) {
  SignalBody b;
  std::uint32_t seen = 0;
  static constexpr std::string_view kFields[] = {"venue", "symbol", "market", "side", "type", "quantity",
                                                 "notional", "price", "stop_price", "time_in_force",
                                                 "reduce_only", "stop_loss", "take_profit", "strategy_id", "tag"};
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return fail(ErrorCode::InvalidJson, prefix, "malformed object");
    const std::string name = prefix + std::string(key);
    std::size_t i = 0;
    while (i < std::size(kFields) && kFields[i] != key) ++i;
    if (i == std::size(kFields)) return fail(ErrorCode::UnknownField, name, "not a signal field");
    if (seen & (1u << i)) return fail(ErrorCode::DuplicateField, name, "given twice");
    seen |= 1u << i;
    od::value v = field.value();
    FieldReader r(v, name);
    switch (i) {
      case 0: TRY_ASSIGN(b.venue, r.enumeration<Venue>(parse_venue, "binance, bybit, okx or simulated")); break;
      case 1: TRY_ASSIGN(b.symbol, r.inline_string<Symbol::capacity()>()); break;
      case 2: {
        auto t = r.type();
        if (!t) return Err{t.error()};
        if (*t != od::json_type::null) TRY_ASSIGN(b.market, r.enumeration<MarketKind>(parse_market_kind, "spot or linear_perp"));
        break;
      }
      case 3: TRY_ASSIGN(b.side, r.enumeration<Side>(parse_side, "buy or sell")); break;
      case 4: TRY_ASSIGN(b.type, r.enumeration<OrderType>(parse_order_type, "market, limit, stop_market or stop_limit")); break;
      case 5: TRY_ASSIGN(b.quantity, r.decimal<Quantity>()); break;
      case 6: TRY_ASSIGN(b.notional, r.decimal<Money>()); break;
      case 7: TRY_ASSIGN(b.price, r.decimal<Price>()); break;
      case 8: TRY_ASSIGN(b.stop_price, r.decimal<Price>()); break;
      case 9: TRY_ASSIGN(b.time_in_force, r.enumeration<TimeInForce>(parse_time_in_force, "gtc, ioc, fok or post_only")); break;
      case 10: TRY_ASSIGN(b.reduce_only, r.boolean()); break;
      case 11: TRY_ASSIGN(b.stop_loss, r.decimal<Price>()); break;
      case 12: TRY_ASSIGN(b.take_profit, r.decimal<Price>()); break;
      case 13: TRY_ASSIGN(b.strategy_id, r.inline_string<StrategyId::capacity()>()); break;
      case 14: TRY_ASSIGN(b.tag, r.inline_string<OrderTag::capacity()>()); break;
    }
  }
  for (std::size_t i : {0u, 1u, 3u, 4u})  // venue, symbol, side, type
    if (!(seen & (1u << i))) return fail(ErrorCode::MissingField, prefix + std::string(kFields[i]), "required");
  return b;
}

// On-demand parsing is lazy, so tell "valid JSON but not an object" from "not JSON" by the first byte.
std::optional<Error> not_an_object(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i < text.size() && text[i] == '{') return std::nullopt;
  const std::string_view rest = text.substr(i);
  const bool json_value = !rest.empty() && (rest[0] == '[' || rest[0] == '"' || rest[0] == '-' ||
                                            (rest[0] >= '0' && rest[0] <= '9') || rest == "true" ||
                                            rest == "false" || rest == "null");
  if (json_value) return Error{ErrorCode::NotAnObject, "", "a line must be one JSON object"};
  return Error{ErrorCode::InvalidJson, "", "not JSON"};
}

Result<StrategyMessage, Error> decode_line(std::string_view line) {
  line = trim(line);
  if (line.size() > kMaxLineBytes) return fail(ErrorCode::LineTooLong, "", "line of " + std::to_string(line.size()) + " bytes");
  thread_local od::parser parser;
  const simdjson::padded_string padded(line);
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc)) return fail(ErrorCode::InvalidJson, "", "not JSON");
  if (auto e = not_an_object(line)) return Err{std::move(*e)};
  if (doc.get_object().get(obj)) return fail(ErrorCode::InvalidJson, "", "malformed object");

  std::string_view type;
  {
    od::value tv;
    const auto err = obj.find_field_unordered("type").get(tv);
    if (err == simdjson::NO_SUCH_FIELD) return fail(ErrorCode::MissingField, "type", "required");
    if (err) return fail(ErrorCode::InvalidJson, "", "malformed object");
    FieldReader r(tv, "type");
    TRY_ASSIGN(type, r.string());
  }
  if (obj.reset().error()) return fail(ErrorCode::InvalidJson, "", "malformed object");

  if (type == "signal") {
    std::optional<SignalBody> body;
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return fail(ErrorCode::InvalidJson, "", "malformed object");
      if (key == "type") continue;
      if (key != "signal") return fail(ErrorCode::UnknownField, std::string(key), "not a field of a signal line");
      if (body) return fail(ErrorCode::DuplicateField, "signal", "given twice");
      od::object inner;
      if (field.value().get_object().get(inner)) return fail(ErrorCode::WrongType, "signal", "expected an object");
      TRY_ASSIGN(body, decode_body(inner, "signal."));
    }
    if (!body) return fail(ErrorCode::MissingField, "signal", "required");
    return StrategyMessage{SignalMessage{std::move(*body)}};
  }
  if (type == "log") {
    LogMessage m;
    bool has_message = false;
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return fail(ErrorCode::InvalidJson, "", "malformed object");
      if (key == "type") continue;
      od::value v = field.value();
      FieldReader r(v, std::string(key));
      if (key == "level") {
        TRY_ASSIGN(m.level, r.enumeration<StrategyLogLevel>(parse_log_level, "debug, info, warn or error"));
      } else if (key == "message") {
        std::string_view s;
        TRY_ASSIGN(s, r.string());
        m.message.assign(s);
        has_message = true;
      } else {
        return fail(ErrorCode::UnknownField, std::string(key), "not a field of a log line");
      }
    }
    if (!has_message) return fail(ErrorCode::MissingField, "message", "required");
    return StrategyMessage{std::move(m)};
  }
  if (type == "done") {
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return fail(ErrorCode::InvalidJson, "", "malformed object");
      if (key != "type") return fail(ErrorCode::UnknownField, std::string(key), "not a field of a done line");
    }
    return StrategyMessage{DoneMessage{}};
  }
  return fail(ErrorCode::UnknownMessageType, "type", "expected signal, log or done, got \"" + std::string(type) + "\"");
}

// ---- encoding ----

void append_escaped(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

class Writer {
 public:
  Writer() = default;  // a plain object
  explicit Writer(std::string_view type) { str("type", type); }
  Writer& str(std::string_view key, std::string_view value) {
    key_(key);
    append_escaped(out_, value);
    return *this;
  }
  template <class F>
  Writer& dec(std::string_view key, std::optional<F> value) {
    key_(key);
    if (value) append_escaped(out_, value->to_string());
    else out_ += "null";
    return *this;
  }
  Writer& integer(std::string_view key, std::int64_t v) {
    key_(key);
    out_ += std::to_string(v);
    return *this;
  }
  Writer& boolean(std::string_view key, bool v) {
    key_(key);
    out_ += v ? "true" : "false";
    return *this;
  }
  Writer& raw(std::string_view key, std::string_view json) {
    key_(key);
    out_ += json;
    return *this;
  }
  Writer& instrument(const InstrumentId& id) {
    return str("venue", to_string(id.venue)).str("symbol", id.symbol.view()).str("market", to_string(id.kind));
  }
  std::string done() { return std::move(out_) + "}"; }

 private:
  void key_(std::string_view key) {
    out_ += out_.empty() ? "{" : ",";
    append_escaped(out_, key);
    out_ += ':';
  }
  std::string out_;
};

}  // namespace

std::string_view to_string(ErrorCode c) {
  switch (c) {
    case ErrorCode::LineTooLong: return "line_too_long";
    case ErrorCode::InvalidJson: return "invalid_json";
    case ErrorCode::NotAnObject: return "not_an_object";
    case ErrorCode::UnknownMessageType: return "unknown_message_type";
    case ErrorCode::MissingField: return "missing_field";
    case ErrorCode::UnknownField: return "unknown_field";
    case ErrorCode::DuplicateField: return "duplicate_field";
    case ErrorCode::WrongType: return "wrong_type";
    case ErrorCode::InvalidValue: return "invalid_value";
    case ErrorCode::UnknownInstrument: return "unknown_instrument";
  }
  return "?";
}

std::string Error::message() const {
  return (field.empty() ? std::string() : field + ": ") + std::string(to_string(code)) + ": " + detail;
}

Result<StrategyMessage, Error> decode_strategy_line(std::string_view line) {
  try {
    return decode_line(line);
  } catch (const std::exception& e) {  // simdjson or allocation: never past the event loop
    return fail(ErrorCode::InvalidJson, "", e.what());
  }
}

Result<SignalBody, Error> decode_signal_body(std::string_view json) try {
  json = trim(json);
  if (json.size() > kMaxLineBytes) return fail(ErrorCode::LineTooLong, "", "body of " + std::to_string(json.size()) + " bytes");
  thread_local od::parser parser;
  const simdjson::padded_string padded(json);
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc)) return fail(ErrorCode::InvalidJson, "", "not JSON");
  if (auto e = not_an_object(json)) return Err{std::move(*e)};
  if (doc.get_object().get(obj)) return fail(ErrorCode::InvalidJson, "", "malformed object");
  return decode_body(obj, "");
} catch (const std::exception& e) {
  return fail(ErrorCode::InvalidJson, "", e.what());
}

Result<Signal, Error> to_signal(const SignalBody& b, std::span<const InstrumentId> instruments) {
  const InstrumentId* match = nullptr;
  for (const auto& id : instruments) {
    if (id.venue != b.venue || id.symbol != b.symbol || (b.market && id.kind != *b.market)) continue;
    if (match != nullptr) return fail(ErrorCode::UnknownInstrument, "signal.market", "ambiguous: give spot or linear_perp");
    match = &id;
  }
  if (match == nullptr)
    return fail(ErrorCode::UnknownInstrument, "signal.symbol",
                std::string(to_string(b.venue)) + " " + b.symbol.str() + " is not one of the strategy's instruments");
  Signal s;
  s.instrument = *match;
  s.side = b.side;
  s.type = b.type;
  s.quantity = b.quantity;
  s.notional = b.notional;
  s.limit_price = b.price;
  s.stop_price = b.stop_price;
  s.time_in_force = b.time_in_force;
  s.reduce_only = b.reduce_only;
  s.stop_loss = b.stop_loss;
  s.take_profit = b.take_profit;
  s.strategy_id = b.strategy_id;
  s.tag = b.tag;
  return s;
}

SignalBody from_signal(const Signal& s) {
  SignalBody b;
  b.venue = s.instrument.venue;
  b.symbol = s.instrument.symbol;
  b.market = s.instrument.kind;
  b.side = s.side;
  b.type = s.type;
  b.quantity = s.quantity;
  b.notional = s.notional;
  b.price = s.limit_price;
  b.stop_price = s.stop_price;
  b.time_in_force = s.time_in_force;
  b.reduce_only = s.reduce_only;
  b.stop_loss = s.stop_loss;
  b.take_profit = s.take_profit;
  b.strategy_id = s.strategy_id;
  b.tag = s.tag;
  return b;
}

std::string encode_start(const StrategyId& strategy_id, TradingMode mode, std::span<const InstrumentId> instruments,
                         const std::map<std::string, std::string>& params) {
  std::string list = "[";
  for (const auto& id : instruments) {
    if (list.size() > 1) list += ',';
    list += Writer().instrument(id).done();
  }
  list += ']';
  std::string map = "{";
  for (const auto& [k, v] : params) {
    if (map.size() > 1) map += ',';
    append_escaped(map, k);
    map += ':';
    append_escaped(map, v);
  }
  map += '}';
  return Writer("start").str("strategy_id", strategy_id.view()).str("mode", to_string(mode)).raw("instruments", list).raw("params", map).done();
}

std::string encode_bar(const Bar& bar) {
  return Writer("bar").instrument(bar.instrument).integer("interval_s", bar.interval_s).integer("ts_open_ns", bar.ts_open_ns)
      .dec<Price>("open", bar.open).dec<Price>("high", bar.high).dec<Price>("low", bar.low).dec<Price>("close", bar.close)
      .dec<Quantity>("volume", bar.volume).done();
}

std::string encode_trade(const TradeTick& t) {
  return Writer("trade").instrument(t.instrument).dec<Price>("price", t.price).dec<Quantity>("size", t.size)
      .str("aggressor", to_string(t.aggressor)).str("trade_id", t.trade_id.view()).integer("ts_event_ns", t.ts_event_ns).done();
}

std::string encode_fill(const Order& order, const Fill& fill) {
  return Writer("fill").instrument(order.instrument()).integer("order_id", static_cast<std::int64_t>(order.id()))
      .str("client_order_id", order.client_order_id().view()).str("side", to_string(order.side()))
      .dec<Price>("price", fill.price).dec<Quantity>("quantity", fill.quantity).dec<Money>("fee", fill.fee)
      .str("fee_asset", fill.fee_asset.view()).str("liquidity", to_string(fill.liquidity))
      .str("trade_id", fill.trade_id.view()).str("tag", order.spec().tag.view()).integer("ts_event_ns", fill.ts_event_ns).done();
}

std::string encode_position(const InstrumentId& instrument, Quantity quantity) {
  return Writer("position").instrument(instrument).dec<Quantity>("quantity", quantity).done();
}

std::string encode_stop() { return Writer("stop").done(); }

std::string encode_signal(const SignalBody& b) {
  const std::string body = Writer().str("venue", to_string(b.venue)).str("symbol", b.symbol.view())
      .raw("market", b.market ? "\"" + std::string(to_string(*b.market)) + "\"" : "null")
      .str("side", to_string(b.side)).str("type", to_string(b.type)).dec<Quantity>("quantity", b.quantity)
      .dec<Money>("notional", b.notional).dec<Price>("price", b.price).dec<Price>("stop_price", b.stop_price)
      .str("time_in_force", to_string(b.time_in_force)).boolean("reduce_only", b.reduce_only)
      .dec<Price>("stop_loss", b.stop_loss).dec<Price>("take_profit", b.take_profit)
      .str("strategy_id", b.strategy_id.view()).str("tag", b.tag.view()).done();
  return Writer("signal").raw("signal", body).done();
}

std::string encode_log(StrategyLogLevel level, std::string_view message) {
  return Writer("log").str("level", to_string(level)).str("message", message).done();
}

std::string encode_done() { return Writer("done").done(); }

}  // namespace tradingd::protocol
