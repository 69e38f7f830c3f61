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
    if (capacity >= bytes.size() + kParsePadding) {
      end_ = bytes.data() + bytes.size();
      return simdjson::padded_string_view(bytes.data(), bytes.size(), capacity);
    }
    if (buf_.size() < bytes.size() + kParsePadding) buf_.resize(bytes.size() + kParsePadding + bytes.size() / 2);
    std::memcpy(buf_.data(), bytes.data(), bytes.size());
    std::memset(buf_.data() + bytes.size(), 0, kParsePadding);
    end_ = buf_.data() + bytes.size();
    return simdjson::padded_string_view(buf_.data(), bytes.size(), buf_.size());
  }
  // One past the last byte of the document last wrapped: the bound for hand-written scanning.
  const char* end() const { return end_; }

 private:
  std::vector<char> buf_;
  const char* end_ = nullptr;
};

// simdjson grows its buffers to exactly the largest document seen, so a stream of slowly lengthening
// frames would reallocate again and again; capacity is set ahead in powers of two (64 KiB at least).
inline bool reserve_for(od::parser& parser, std::size_t len) {
  if (len <= parser.capacity()) return true;
  std::size_t cap = 64 * 1024;
  while (cap < len) cap *= 2;
  return !parser.allocate(cap);
}

inline ParseError fail(ParseErrorCode code, const char* field) { return ParseError{code, field}; }

// A field's key as raw text, without unescaping (a copy into simdjson's string buffer per key). Venues
// never escape keys; an escaped one would keep its backslashes and match no known key (ignored). Stage 1
// has proved the string closed, so the scan for its closing quote stays inside the padded document.
inline std::string_view raw_key(const od::field& f) {
  const char* const k = f.key().raw();
  const char* e = k;
  while (*e != '"') e += *e == '\\' ? 2 : 1;
  return std::string_view(k, static_cast<std::size_t>(e - k));
}

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

// A price/size/amount from its text into a fixed-point type; false when not an exact decimal.
template <class T>
bool decimal(std::string_view text, T& out) {
  std::int64_t raw;
  if (!parse_decimal_raw(text, raw)) return false;
  out = T::from_raw(raw);
  return true;
}

// An optional instrument limit (REST instrument lists): empty leaves out unchanged; a value beyond the
// fixed-point range ("maxQty": "9000000000000") means no practical limit and becomes zero (no limit);
// anything else that is not a decimal fails.
template <class T>
bool limit_value(std::string_view text, T& out) {
  if (text.empty()) return true;
  auto r = fixed::parse_raw(text);
  if (r.ok()) {
    out = T::from_raw(*r);
    return true;
  }
  if (r.error() == DecimalError::OutOfRange) {
    out = T::zero();
    return true;
  }
  return false;
}

// A decimal field (string or bare number); nullopt when it is fine.
inline std::optional<ParseErrorCode> read_decimal(od::value v, std::int64_t& raw) {
  std::string_view t;
  if (!scalar_text(v, t)) return ParseErrorCode::WrongType;
  if (!decimal_of(t, raw)) return ParseErrorCode::BadDecimal;
  return std::nullopt;
}

// An unsigned integer sent either as a JSON number or as a numeric string: digits only, read from the raw
// token (cheaper than asking simdjson for the type first); "1.0", "1e3", "-1" and overflow are refused.
inline bool read_u64(od::value v, std::uint64_t& out) {
  std::string_view t;
  if (!scalar_text(v, t) || t.empty() || t.size() > 20) return false;
  std::uint64_t value = 0;
  for (char c : t) {
    const unsigned d = static_cast<unsigned>(c - '0');
    if (d >= 10u || __builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, d, &value)) return false;
  }
  out = value;
  return true;
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

// A JSON string without escapes at p ('"' expected), bounded by end: its contents, and p moved past it.
inline bool scan_plain_string(const char*& p, const char* end, std::string_view& out) {
  if (p == end || *p != '"') return false;
  const char* const begin = ++p;
  while (p != end && *p != '"') {
    if (*p == '\\' || static_cast<unsigned char>(*p) < 0x20) return false;
    ++p;
  }
  if (p == end) return false;
  out = std::string_view(begin, static_cast<std::size_t>(p - begin));
  ++p;
  return true;
}

// The run of decimal digits at p, at most 8 and none at or past end: its value, and its length in n.
// Reads 8 bytes at once, which the padded document allows (kParsePadding); bytes past end are dropped.
// One step per run instead of one unpredictable branch per digit (fast_float's eight-digit conversion).
[[gnu::always_inline]] inline std::uint64_t swar_digits(const char* p, const char* end, int& n) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  const std::uint64_t a = x ^ 0x3030303030303030ULL;  // '0'..'9' become 0..9 (little endian: first char low)
  const std::uint64_t non_digit = (a & 0xF0F0F0F0F0F0F0F0ULL) |
                                  (((a & 0x0F0F0F0F0F0F0F0FULL) + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL);
  int count = non_digit ? __builtin_ctzll(non_digit) / 8 : 8;
  if (count > end - p) count = static_cast<int>(end - p);
  n = count;
  if (count == 0) return 0;
  std::uint64_t v = a << (8 * (8 - count));  // right-aligned as an 8-digit run with leading zeros
  v = v * 10 + (v >> 8);
  return (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
          (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
         32;
}

// A quoted non-negative decimal "123.456" at p, scanned and converted in one pass (the shape of every
// venue's level strings); p moves past the closing quote; canonical tells whether formatting the value
// gives the text back. Anything else returns false: the caller's slow path then handles it exactly
// (exponents, long digit runs) or reports it. Always inlined: GCC outlined it once, which took the Binance
// decode from 53% to 47% of the plain-simdjson rate (two calls per level, in the hot loop).
[[gnu::always_inline]] inline bool scan_decimal_string(const char*& p, const char* end, std::int64_t& raw,
                                                       std::string_view& text, bool& canonical) {
  if (p == end || *p != '"') return false;
  const char* const begin = ++p;
  int n = 0;
  std::uint64_t int_part = swar_digits(p, end, n);
  p += n;
  int int_digits = n;
  if (n == 8) {  // up to 10 integer digits fit the range
    while (p != end && static_cast<unsigned>(*p - '0') < 10u && int_digits < 11) {
      int_part = int_part * 10 + static_cast<unsigned>(*p++ - '0');
      ++int_digits;
    }
  }
  if (int_digits == 0 || int_digits > 10) return false;
  std::uint64_t frac = 0;
  int frac_digits = 0;
  if (p != end && *p == '.') {
    ++p;
    frac = swar_digits(p, end, frac_digits);
    p += frac_digits;
    if (frac_digits == 8 && p != end && static_cast<unsigned>(*p - '0') < 10u) {
      frac = frac * 10 + static_cast<unsigned>(*p++ - '0');
      ++frac_digits;
    }
    if (frac_digits == 0 || (p != end && static_cast<unsigned>(*p - '0') < 10u)) return false;  // > 9 decimals
  }
  if (p == end || *p != '"') return false;
  static constexpr std::uint64_t kPow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  const std::uint64_t value = int_part * static_cast<std::uint64_t>(fixed::kScale) + frac * kPow10[fixed::kScaleDigits - frac_digits];
  if (value > static_cast<std::uint64_t>(INT64_MAX)) return false;
  raw = static_cast<std::int64_t>(value);
  text = std::string_view(begin, static_cast<std::size_t>(p - begin));
  canonical = !(int_digits > 1 && begin[0] == '0') && !(frac_digits > 0 && p[-1] == '0');
  ++p;
  return true;
}

// The fast path for the level arrays every venue sends in compact form, [["p","s"(,"x")*](,[..])*]:
// scanned and converted straight from the bytes in one pass, which skips the on-demand API's per-element
// work. Anything else (whitespace, escapes, numbers, exponents, errors) returns false with `out`
// untouched, and the caller walks the value with simdjson, which then decides exactly (and reports any
// error precisely). The value is left unconsumed; simdjson skips it structurally afterwards.
inline bool scan_levels_compact(const char* p, const char* end, std::vector<BookLevel>& out,
                                std::vector<BookLevelText>* texts) {
  const std::size_t out_size = out.size(), texts_size = texts ? texts->size() : 0;
  auto undo = [&] {
    out.resize(out_size);
    if (texts) texts->resize(texts_size);
    return false;
  };
  if (p == end || *p++ != '[') return false;
  if (p != end && *p == ']') return true;
  for (;;) {
    std::int64_t price, size;
    std::string_view price_text, size_text, extra;
    bool price_canonical, size_canonical;
    if (p == end || *p++ != '[' || !scan_decimal_string(p, end, price, price_text, price_canonical) || p == end ||
        *p++ != ',' || !scan_decimal_string(p, end, size, size_text, size_canonical))
      return undo();
    while (p != end && *p == ',') {
      ++p;
      if (!scan_plain_string(p, end, extra)) return undo();
    }
    if (p == end || *p++ != ']' || price == 0 || out.size() >= kMaxLevelsPerSide) return undo();
    if (texts && !(price_canonical && size_canonical))
      texts->push_back(BookLevelText{static_cast<std::uint32_t>(out.size() - out_size), price_text, size_text});
    out.push_back(BookLevel{Price::from_raw(price), Quantity::from_raw(size)});
    if (p == end) return undo();
    if (*p == ']') return true;
    if (*p++ != ',') return undo();
  }
}

// [[price, size, ...], ...] into levels (and, when asked, the original texts of the levels whose strings
// are not canonical: see BookLevelText). Prices must be positive,
// sizes non-negative (zero deletes in a delta). Extra elements per level (OKX's count fields) are skipped.
// doc_end bounds the compact fast path (see scan_levels_compact).
inline std::optional<ParseErrorCode> read_levels(od::value v, std::vector<BookLevel>& out,
                                                 std::vector<BookLevelText>* texts, const char* doc_end) {
  const std::string_view token = v.raw_json_token();
  if (!token.empty() && scan_levels_compact(token.data(), doc_end, out, texts)) return std::nullopt;
  const std::size_t first = out.size();
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
    if (texts && !(is_canonical_decimal(price_text) && is_canonical_decimal(size_text)))
      texts->push_back(BookLevelText{static_cast<std::uint32_t>(out.size() - first), price_text, size_text});
    out.push_back(BookLevel{Price::from_raw(price), Quantity::from_raw(size)});
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
