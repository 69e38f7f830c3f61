// Vocabulary shared by the venue parsers: the typed parse error, control frames (acks, pongs, venue errors)
// and the input padding the parsers need. Parsers never throw: every failure is a ParseError value naming
// the field (a static string) so a bad frame can be counted, logged and survived.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/inline_string.h"

namespace tradingd {

// simdjson reads up to 64 bytes past the end of a message; a caller whose buffer has that much spare
// capacity lets the parser skip its copy.
inline constexpr std::size_t kParsePadding = 64;

enum class ParseErrorCode : std::uint8_t {
  Empty,              // zero-length frame
  InvalidJson,        // not JSON, or truncated / unbalanced / trailing bytes
  MissingField,       // a field the message type requires is absent
  WrongType,          // a field has the wrong JSON type
  BadDecimal,         // a price/size string that is not an exact decimal within range
  BadValue,           // a value out of its domain (negative size, zero price, unknown side, time overflow)
  UnknownMessage,     // valid JSON the parser does not handle (unsubscribed stream, new event type)
  UnknownInstrument,  // a symbol the connection was not set up with
  UnsupportedInterval,
  TooLarge,           // more items than the parser's bounds (e.g. levels per message)
  Internal,           // an unexpected exception (allocation failure) caught at the parser boundary
};
std::string_view to_string(ParseErrorCode c);

struct ParseError {
  ParseErrorCode code = ParseErrorCode::InvalidJson;
  const char* field = "";  // static string: the field (or message part) at fault
};

// Frames that are not market data: subscription acks, pongs, venue error replies and notices.
enum class ControlKind : std::uint8_t {
  SubscribeAck,    // subscribe/unsubscribe accepted
  SubscribeError,  // subscribe refused or a request error (see code/message)
  Pong,
  LoginAck,
  Notice,          // venue notice, e.g. OKX 64008 "service restarts in 60 s" or Binance serverShutdown: reconnect
};
std::string_view to_string(ControlKind k);

struct ControlMessage {
  ControlKind kind = ControlKind::SubscribeAck;
  bool success = true;
  InlineString<47> request_id;  // the id/req_id the request carried, when echoed
  InlineString<15> code;        // the venue's error code, when any
  InlineString<95> message;     // the venue's text, truncated to fit (for logs only)
};

// The original price/size text of a book level whose strings are not in canonical form ("41007.0",
// "0.10", which format back as "41007", "0.1"), for checksums the venue computes over its own strings
// (OKX). Views into the frame; `level` indexes the message's levels of that side.
struct BookLevelText {
  std::uint32_t level = 0;
  std::string_view price;
  std::string_view size;
};

// Whether fixed-point formatting gives back exactly this decimal text: digits with at most one dot, no
// sign, no redundant leading zero, no trailing fraction zero.
inline bool is_canonical_decimal(std::string_view t) {
  if (t.empty() || (t.size() > 1 && t[0] == '0' && t[1] != '.')) return false;
  bool dot = false;
  for (char c : t) {
    if (c == '.') {
      if (dot) return false;
      dot = true;
    } else if (static_cast<unsigned>(c - '0') >= 10u) {
      return false;
    }
  }
  return !dot || t.back() != '0';
}

// InlineString's make() for views that may be empty with a null data(): core's make() would hand that
// null to memcpy (undefined behaviour, caught by UBSan under the fuzzer).
template <class S>
std::optional<S> make_inline(std::string_view text) {
  if (text.empty()) return S{};
  return S::make(text);
}

// Copies text into an InlineString, truncating (never failing): for log-only texts.
template <std::size_t N>
InlineString<N> truncated(std::string_view text) {
  return *make_inline<InlineString<N>>(text.substr(0, N));
}

}  // namespace tradingd
