// Event-time merge of historical sources: bars, trades and recorded frames from several files,
// instruments and venues become one stream in event-time order. Ties keep source order (the order sources
// were added), then each source's own order, so the same inputs always give the same sequence. A bar is
// stamped at its CLOSE (open + interval): that is when a live feed could deliver it, so merging by open time
// would hand a strategy a bar before the trades inside it happened.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "backtest/bar_reader.h"
#include "backtest/frame_reader.h"
#include "backtest/load_error.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

using EventPayload = std::variant<Bar, TradeTick, RawFrame>;

struct HistoricalEvent {
  UnixNanos ts_ns = 0;       // event time: bars at their close, trades at ts_event_ns, frames as stamped
  std::uint32_t source = 0;  // index in the merger (add order)
  EventPayload payload;
};

// A time-ordered stream (non-decreasing ts_ns); the merger reports a source that goes backwards.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual ReadStatus next(HistoricalEvent& out) = 0;
  virtual const LoadError& error() const = 0;
  virtual const std::string& name() const = 0;
};

std::unique_ptr<EventSource> make_bar_source(std::unique_ptr<BarReader> reader);

// The frame's event time as the venue stamped it (the market-data layer knows where: Binance "E", Bybit
// "ts", OKX data[].ts). nullopt (control messages) or a time before the previous frame's keeps the previous
// frame's time: a recording's line order is the order it was received, and that order is kept.
using FrameTimestamper = std::function<std::optional<UnixNanos>(Venue, std::string_view frame)>;
std::unique_ptr<EventSource> make_frame_source(FrameReader reader, FrameTimestamper timestamper);

// In-memory events (tests, generated data, trades decoded elsewhere); ts_ns must not decrease.
std::unique_ptr<EventSource> make_vector_source(std::string name, std::vector<HistoricalEvent> events);

class EventMerger {
 public:
  // Returns the source's index; the first is 0.
  std::uint32_t add(std::unique_ptr<EventSource> source);
  ReadStatus next(HistoricalEvent& out);
  // The first error of any source (the merge stops there: a partial history would silently bias results).
  const LoadError& error() const { return error_; }
  std::size_t source_count() const { return sources_.size(); }

 private:
  struct Slot {
    std::unique_ptr<EventSource> source;
    HistoricalEvent head;
    bool live = false;
  };
  bool refill(std::uint32_t index);  // false on error (error_ set)

  std::vector<Slot> sources_;
  bool primed_ = false;
  bool failed_ = false;
  LoadError error_;
};

}  // namespace tradingd::backtest
