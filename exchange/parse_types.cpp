// Names of the parse-error codes and control kinds, for logs, metric labels and replay output.
#include "exchange/parse_types.h"

namespace tradingd {

std::string_view to_string(ParseErrorCode c) {
  switch (c) {
    case ParseErrorCode::Empty: return "empty";
    case ParseErrorCode::InvalidJson: return "invalid_json";
    case ParseErrorCode::MissingField: return "missing_field";
    case ParseErrorCode::WrongType: return "wrong_type";
    case ParseErrorCode::BadDecimal: return "bad_decimal";
    case ParseErrorCode::BadValue: return "bad_value";
    case ParseErrorCode::UnknownMessage: return "unknown_message";
    case ParseErrorCode::UnknownInstrument: return "unknown_instrument";
    case ParseErrorCode::UnsupportedInterval: return "unsupported_interval";
    case ParseErrorCode::TooLarge: return "too_large";
    case ParseErrorCode::Internal: return "internal";
  }
  return "unknown";
}

std::string_view to_string(ControlKind k) {
  switch (k) {
    case ControlKind::SubscribeAck: return "subscribe_ack";
    case ControlKind::SubscribeError: return "subscribe_error";
    case ControlKind::Pong: return "pong";
    case ControlKind::LoginAck: return "login_ack";
    case ControlKind::Notice: return "notice";
  }
  return "unknown";
}

}  // namespace tradingd
