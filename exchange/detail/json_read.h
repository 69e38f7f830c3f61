// Internal helpers for the venue parsers (included by their .cpp files only, never by a public header):
// simdjson on-demand reads through the error-code API, exact decimals straight from the raw token (no
// copy), level arrays into reusable buffers, and a padded input buffer. Nothing here throws.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <utility>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "exchange/decimal.h"
#include "exchange/market_data.h"
#include "exchange/parse_types.h"

namespace tradingd::detail {

namespace od = simdjson::ondemand;
static_assert(simdjson::SIMDJSON_PADDING == kParsePadding);

// Levels per side per message beyond which a frame is rejected (REST snapshots carry up to 5000).
inline constexpr std::size_t kMaxLevelsPerSide = 10000;

// A reusable copy of the frame with the padding simdjson needs; grows once and is then reused.
class PaddedBuffer {
 public:
  simdjson::padded_string_view wrap(std::string_view bytes, std::size_t capacity) {
    if (capacity >= bytes.size() + kParsePadding) return simdjson::padded_string_view(bytes.data(), bytes.size(), capacity);
    if (buf_.size() < bytes.size() + kParsePadding) buf_.resize(bytes.size() + kParsePadding + bytes.size() / 2);
    std::memcpy(buf_.data(), bytes.data(), bytes.size());
    std::memset(buf_.data() + bytes.size(), 0, kParsePadding);
    return simdjson::padded_string_view(buf_.data(), bytes.size(), buf_.size());
  }

 private:
  std::vector<char> buf_;
};

inline ParseError fail(ParseErrorCode code, const char* field) { return ParseError{code, field}; }

// The token text of a scalar without trailing whitespace and without the quotes of a string. Strings with
// escapes keep their backslashes, which the decimal parser then rejects: venues never escape digits.
inline bool scalar_text(od::value v, std::string_view& out) {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t')) t.remove_suffix(1);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
    out = t.substr(1, t.size() - 2);
    return true;
  }
  if (t.empty() || t.front() == '"' || t.front() == '{' || t.front() == '[') return false;
  out = t;  // a bare JSON number: its digits are exact
  return true;
}

inline bool decimal_of(std::string_view text, std::int64_t& raw) { return parse_decimal_raw(text, raw); }

// A decimal field (string or bare number); nullopt when it is fine.
inline std::optional<ParseErrorCode> read_decimal(od::value v, std::int64_t& raw) {
  std::string_view t;
  if (!scalar_text(v, t)) return ParseErrorCode::WrongType;
  if (!decimal_of(t, raw)) return ParseErrorCode::BadDecimal;
  return std::nullopt;
}

// An unsigned integer sent either as a JSON number or as a numeric string.
inline bool read_u64(od::value v, std::uint64_t& out) {
  od::json_type type;
  if (v.type().get(type)) return false;
  if (type == od::json_type::number) return !v.get_uint64().get(out);
  if (type == od::json_type::string) return !v.get_uint64_in_string().get(out);
  return false;
}

inline bool read_i64(od::value v, std::int64_t& out) {
  od::json_type type;
  if (v.type().get(type)) return false;
  if (type == od::json_type::number) return !v.get_int64().get(out);
  if (type == od::json_type::string) return !v.get_int64_in_string().get(out);
  return false;
}

// Milliseconds since the epoch (number or string) to nanoseconds, rejecting values that would overflow.
inline bool read_ms_as_ns(od::value v, UnixNanos& out) {
  std::uint64_t ms;
  if (!read_u64(v, ms)) return false;
  if (ms > static_cast<std::uint64_t>(INT64_MAX / kNanosPerMilli)) return false;
  out = static_cast<UnixNanos>(ms) * kNanosPerMilli;
  return true;
}

inline bool read_string(od::value v, std::string_view& out) { return !v.get_string().get(out); }

// [[price, size, ...], ...] into levels (and the original texts when asked). Prices must be positive,
// sizes non-negative (zero deletes in a delta). Extra elements per level (OKX's count fields) are skipped.
inline std::optional<ParseErrorCode> read_levels(od::value v, std::vector<BookLevel>& out,
                                                 std::vector<BookLevelText>* texts) {
  od::array arr;
  if (v.get_array().get(arr)) return ParseErrorCode::WrongType;
  for (auto level_result : arr) {
    od::value level_value;
    if (std::move(level_result).get(level_value)) return ParseErrorCode::InvalidJson;
    od::array level;
    if (level_value.get_array().get(level)) return ParseErrorCode::WrongType;
    std::string_view price_text, size_text;
    int index = 0;
    for (auto element_result : level) {
      od::value element;
      if (std::move(element_result).get(element)) return ParseErrorCode::InvalidJson;
      if (index == 0) {
        if (!scalar_text(element, price_text)) return ParseErrorCode::WrongType;
      } else if (index == 1) {
        if (!scalar_text(element, size_text)) return ParseErrorCode::WrongType;
      }
      ++index;
    }
    if (index < 2) return ParseErrorCode::MissingField;
    std::int64_t price, size;
    if (!decimal_of(price_text, price) || !decimal_of(size_text, size)) return ParseErrorCode::BadDecimal;
    if (price <= 0 || size < 0) return ParseErrorCode::BadValue;
    if (out.size() >= kMaxLevelsPerSide) return ParseErrorCode::TooLarge;
    out.push_back(BookLevel{Price::from_raw(price), Quantity::from_raw(size)});
    if (texts) texts->push_back(BookLevelText{price_text, size_text});
  }
  return std::nullopt;
}

// Why a document's root is not an object: valid JSON of another shape (an array) is a message we do not
// handle; anything else is not JSON at all (on-demand reads "not json" as a malformed literal).
inline ParseErrorCode root_error(std::string_view frame) {
  const auto first = frame.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && frame[first] == '[' ? ParseErrorCode::UnknownMessage
                                                                : ParseErrorCode::InvalidJson;
}

// Iteration of a document must end exactly at its end: trailing bytes are an error.
inline bool at_document_end(od::document& doc) {
  const char* loc;
  return doc.current_location().get(loc) == simdjson::OUT_OF_BOUNDS;
}

}  // namespace tradingd::detail
