// Kline response parsing with Boost.JSON (a fetch is network-bound: clarity over speed here). Prices are
// JSON strings on all three venues and are parsed exactly; a JSON number where a decimal string belongs is
// refused rather than read through a double.
#include "backtest/kline_responses.h"

#include <algorithm>
#include <boost/json.hpp>

#include "backtest/bar_reader.h"

namespace tradingd::backtest {
namespace json = boost::json;

std::string KlineError::to_string() const {
  std::string k = kind == Kind::RateLimited ? "rate limited"
                  : kind == Kind::Venue     ? "venue error"
                                            : "malformed response";
  if (!code.empty()) k += " " + code;
  return k + ": " + message;
}

namespace {

using Bars = std::vector<Bar>;

Err<KlineError> malformed(std::string m) { return Err{KlineError{KlineError::Kind::Malformed, "", std::move(m)}}; }

Result<json::value, KlineError> parse_json(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec) return malformed("not JSON: " + ec.message());
  return v;
}

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_string()) {
    const auto& s = v.get_string();
    std::int64_t out = 0;
    if (s.empty()) return std::nullopt;
    for (char c : s) {
      if (c < '0' || c > '9' || out > (INT64_MAX - 9) / 10) return std::nullopt;
      out = out * 10 + (c - '0');
    }
    return out;
  }
  return std::nullopt;
}

template <class T>
Result<T, KlineError> decimal(const json::value& v, std::string_view what, std::size_t row) {
  if (!v.is_string())
    return malformed("row " + std::to_string(row) + ": " + std::string(what) + " is not a decimal string");
  const auto& s = v.get_string();
  auto d = T::parse(std::string_view(s.data(), s.size()));
  if (!d)
    return malformed("row " + std::to_string(row) + ": " + std::string(what) + ": " +
                     std::string(tradingd::to_string(d.error())));
  return *d;
}

// Columns 0..5 are [open time ms, open, high, low, close, volume] on all three venues.
Result<Bar, KlineError> bar_from_row(const json::value& row_value, std::size_t row, const InstrumentId& instrument,
                                     std::int64_t interval_s, UnixNanos now_ns) {
  if (!row_value.is_array()) return malformed("row " + std::to_string(row) + " is not an array");
  const auto& a = row_value.get_array();
  if (a.size() < 6)
    return malformed("row " + std::to_string(row) + " has " + std::to_string(a.size()) +
                     " columns, expected at least 6");
  const auto open_ms = as_int(a[0]);
  if (!open_ms || *open_ms < 0 || *open_ms > INT64_MAX / kNanosPerMilli)
    return malformed("row " + std::to_string(row) + ": open time is not epoch milliseconds");
  Bar b;
  b.instrument = instrument;
  b.interval_s = interval_s;
  b.ts_open_ns = *open_ms * kNanosPerMilli;
  auto o = decimal<Price>(a[1], "open", row);
  if (!o) return Err{o.error()};
  auto h = decimal<Price>(a[2], "high", row);
  if (!h) return Err{h.error()};
  auto l = decimal<Price>(a[3], "low", row);
  if (!l) return Err{l.error()};
  auto c = decimal<Price>(a[4], "close", row);
  if (!c) return Err{c.error()};
  auto v = decimal<Quantity>(a[5], "volume", row);
  if (!v) return Err{v.error()};
  b.open = *o;
  b.high = *h;
  b.low = *l;
  b.close = *c;
  b.volume = *v;
  b.closed = b.ts_close_ns() <= now_ns;
  if (auto bad = check_bar_values(b)) return malformed("row " + std::to_string(row) + ": " + *bad);
  return b;
}

// Rows come oldest first (Binance) or newest first (Bybit, OKX); either strict order is accepted and the
// result is oldest first. Anything else (duplicates, shuffled rows) is malformed.
Result<Bars, KlineError> rows_to_bars(const json::array& rows, const InstrumentId& instrument, std::int64_t interval_s,
                                      UnixNanos now_ns) {
  Bars bars;
  bars.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto b = bar_from_row(rows[i], i, instrument, interval_s, now_ns);
    if (!b) return Err{b.error()};
    bars.push_back(*b);
  }
  if (bars.size() >= 2 && bars[0].ts_open_ns > bars[1].ts_open_ns) std::reverse(bars.begin(), bars.end());
  for (std::size_t i = 1; i < bars.size(); ++i)
    if (bars[i].ts_open_ns <= bars[i - 1].ts_open_ns) return malformed("rows are not in strict time order");
  return bars;
}

std::string text_of(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return json::serialize(*v);
}

// Bybit's {retCode, retMsg} and OKX's {code, msg} envelopes: the error they carry (code other than "0"),
// or a malformed one; nullopt when the body is an object with code "0".
std::optional<KlineError> envelope_error(const json::value& v, std::string_view code_key, std::string_view msg_key,
                                         std::string_view rate_limited_code) {
  if (!v.is_object()) return KlineError{KlineError::Kind::Malformed, "", "expected an object"};
  const auto& o = v.get_object();
  const std::string code = text_of(o.if_contains(code_key));
  if (code.empty()) return KlineError{KlineError::Kind::Malformed, "", "no " + std::string(code_key)};
  if (code == "0") return std::nullopt;
  const auto kind = code == rate_limited_code ? KlineError::Kind::RateLimited : KlineError::Kind::Venue;
  return KlineError{kind, code, text_of(o.if_contains(msg_key))};
}

}  // namespace

Result<Bars, KlineError> parse_binance_klines(std::string_view body, const InstrumentId& instrument,
                                              std::int64_t interval_s, UnixNanos now_ns) {
  auto v = parse_json(body);
  if (!v) return Err{v.error()};
  if (v->is_object()) {  // {"code":-1121,"msg":"Invalid symbol."}
    const auto& o = v->get_object();
    const std::string code = text_of(o.if_contains("code"));
    const auto kind = code == "-1003" ? KlineError::Kind::RateLimited : KlineError::Kind::Venue;
    if (!code.empty()) return Err{KlineError{kind, code, text_of(o.if_contains("msg"))}};
  }
  if (!v->is_array()) return malformed("expected an array of klines");
  return rows_to_bars(v->get_array(), instrument, interval_s, now_ns);
}

Result<Bars, KlineError> parse_bybit_klines(std::string_view body, const InstrumentId& instrument,
                                            std::int64_t interval_s, UnixNanos now_ns) {
  auto v = parse_json(body);
  if (!v) return Err{v.error()};
  if (auto e = envelope_error(*v, "retCode", "retMsg", "10006")) return Err{std::move(*e)};
  const auto& o = v->get_object();
  const auto* result = o.if_contains("result");
  const auto* list = result && result->is_object() ? result->get_object().if_contains("list") : nullptr;
  if (!list || !list->is_array()) return malformed("no result.list array");
  return rows_to_bars(list->get_array(), instrument, interval_s, now_ns);
}

Result<Bars, KlineError> parse_okx_candles(std::string_view body, const InstrumentId& instrument,
                                           std::int64_t interval_s, UnixNanos now_ns) {
  auto v = parse_json(body);
  if (!v) return Err{v.error()};
  if (auto e = envelope_error(*v, "code", "msg", "50011")) return Err{std::move(*e)};
  const auto& o = v->get_object();
  const auto* data = o.if_contains("data");
  if (!data || !data->is_array()) return malformed("no data array");
  // Column 8 is confirm: "0" while the candle is still forming. Mark by open time (rows may be reordered).
  const auto& rows = data->get_array();
  auto bars = rows_to_bars(rows, instrument, interval_s, now_ns);
  if (!bars) return bars;
  for (const auto& row : rows) {
    const auto& a = row.get_array();
    if (a.size() <= 8 || text_of(&a[8]) != "0") continue;
    const UnixNanos open = *as_int(a[0]) * kNanosPerMilli;
    for (Bar& b : *bars)
      if (b.ts_open_ns == open) b.closed = false;
  }
  return bars;
}

Result<Bars, KlineError> parse_kline_response(const KlineRequest& request, std::string_view body, UnixNanos now_ns) {
  Result<Bars, KlineError> bars = malformed("unsupported venue");
  switch (request.instrument.venue) {
    case Venue::Binance:
      bars = parse_binance_klines(body, request.instrument, request.interval_s, now_ns);
      break;
    case Venue::Bybit:
      bars = parse_bybit_klines(body, request.instrument, request.interval_s, now_ns);
      break;
    case Venue::Okx:
      bars = parse_okx_candles(body, request.instrument, request.interval_s, now_ns);
      break;
    case Venue::Simulated:
      break;
  }
  if (!bars) return bars;
  std::erase_if(*bars, [&](const Bar& b) { return b.ts_open_ns < request.from_ns || b.ts_open_ns >= request.to_ns; });
  return bars;
}

}  // namespace tradingd::backtest
