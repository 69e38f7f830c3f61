// BarReader: the interface of the streaming bar loaders (Binance archive CSV, plain OHLCV CSV, the history
// cache's day files). Every reader yields closed bars in strictly increasing open time with
// low <= open, close <= high and volume >= 0; a row breaking that is an error naming file:line.
#pragma once

#include <optional>
#include <string>

#include "backtest/line_reader.h"
#include "backtest/load_error.h"
#include "core/ids.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

class BarReader {
 public:
  virtual ~BarReader() = default;
  virtual ReadStatus next(Bar& out) = 0;
  virtual const LoadError& error() const = 0;
  virtual const InstrumentId& instrument() const = 0;
  virtual std::int64_t interval_s() const = 0;  // 0 until known (an OHLCV file infers it from two rows)
  virtual const std::string& path() const = 0;
};

// The OHLC/volume invariants above; the message names the broken one.
std::optional<std::string> check_bar_values(const Bar& b);

// Strictly increasing open times; remembers the previous row for the message.
class OpenTimeOrder {
 public:
  // nullopt when t follows the previous open time; else why not. Inline: it runs once per row.
  std::optional<std::string> check(UnixNanos t, std::uint64_t line) {
    if (have_prev_ && t <= prev_ns_) return why_not(t);
    prev_ns_ = t;
    prev_line_ = line;
    have_prev_ = true;
    return std::nullopt;
  }

 private:
  std::string why_not(UnixNanos t) const;

  UnixNanos prev_ns_ = 0;
  std::uint64_t prev_line_ = 0;
  bool have_prev_ = false;
};

// The shared state of the line-based bar readers: their lines, instrument, interval and order check.
class LineBarReader : public BarReader {
 public:
  const LoadError& error() const override { return lines_.error(); }
  const InstrumentId& instrument() const override { return instrument_; }
  std::int64_t interval_s() const override { return interval_s_; }
  const std::string& path() const override { return lines_.path(); }

 protected:
  LineBarReader(LineReader lines, InstrumentId instrument, std::int64_t interval_s)
      : lines_(std::move(lines)), instrument_(instrument), interval_s_(interval_s) {}

  DataLines lines_;
  InstrumentId instrument_;
  std::int64_t interval_s_;
  OpenTimeOrder order_;
};

}  // namespace tradingd::backtest
