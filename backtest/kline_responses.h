// Pure parsers of the venues' kline REST responses into Bars (exact decimals, ascending open time), for
// `tradingd fetch-history`. Bybit and OKX answer newest first; the result is always oldest first. A bar
// is closed when its end is at or before now_ns (and, on OKX, when confirm is "1"); the downloader caches
// closed bars only (either row order is accepted). Venue error bodies become typed errors, rate-limit ones
// distinguished so the caller can pause (RatePacer::pause_until) instead of failing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backtest/kline_requests.h"
#include "core/result.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

struct KlineError {
  enum class Kind : std::uint8_t {
    RateLimited,  // Binance -1003 / HTTP 429, Bybit 10006, OKX 50011: back off and retry
    Venue,        // any other venue error (bad symbol, bad interval): do not retry
    Malformed,    // not the documented shape, or a bar breaking low <= open, close <= high
  };
  Kind kind = Kind::Malformed;
  std::string code;  // the venue's code when it gave one
  std::string message;
  std::string to_string() const;
};

Result<std::vector<Bar>, KlineError> parse_binance_klines(std::string_view body, const InstrumentId& instrument,
                                                          std::int64_t interval_s, UnixNanos now_ns);
Result<std::vector<Bar>, KlineError> parse_bybit_klines(std::string_view body, const InstrumentId& instrument,
                                                        std::int64_t interval_s, UnixNanos now_ns);
Result<std::vector<Bar>, KlineError> parse_okx_candles(std::string_view body, const InstrumentId& instrument,
                                                       std::int64_t interval_s, UnixNanos now_ns);

// The parser for the request's venue; keeps only bars opening inside the request's window (a venue may
// round a bound) and reports rows out of order.
Result<std::vector<Bar>, KlineError> parse_kline_response(const KlineRequest& request, std::string_view body,
                                                          UnixNanos now_ns);

}  // namespace tradingd::backtest
