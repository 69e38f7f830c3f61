// NodeDriver: runs historical events through the SAME TradingNode paper and live mode use (simulated
// venues, OrderManager, RiskGuard, portfolio), on a SimulatedClock and a ManualScheduler, and records what
// a backtest reports (equity, fills, orders, prices) from the node's own state.
// Time: for each event the clock steps through every queued venue arrival/delivery before the event's
// time (each at its own instant, running due timers there), then to the event's time; the event is
// delivered first and the due timers run after it, so a tick never sees the market older than the data's
// own cadence (the node's staleness check would otherwise trip between two 1-minute bars). Deterministic:
// no wall clock, no threads, no randomness but the venues' seeded models.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backtest/merge.h"
#include "backtest/results.h"
#include "core/clock.h"
#include "core/result.h"
#include "execution/memory_journal.h"
#include "execution/node/scheduler.h"
#include "execution/node/trading_node.h"
#include "execution/sim/simulated_venue.h"
#include "backtest/frame_feed.h"
#include "execution/order_listener.h"

namespace tradingd::backtest {

struct NodeDriverConfig {
  TradingNodeConfig node;           // risk, execution, one SimVenueConfig per venue traded
  std::vector<Instrument> instruments;
  UnixNanos start_ns = 0;           // the clock's start (the first event's time is a good choice)
  std::string currency = "USDT";    // the account currency of equity and PnL
  bool record_prices = true;        // keep bar closes / trade prices per instrument for the report
  // Frame events need a decoder (market-data layer); without one they are an error of the run.
  std::int64_t max_startup_ns = 60 * kNanosPerSecond;  // simulated time allowed for reconciliation
  std::uint64_t expected_events = 0;  // capacity reserved for the equity curve and prices (0: unknown)
  // Recorded frames: the market of each source's connection (by source index; Spot when absent). Frames
  // go through the live feed's decoder (parser + book synchronisers) for the configured instruments.
  std::vector<MarketKind> source_kinds;
};

class NodeDriver final : private OrderListener {
 public:
  explicit NodeDriver(NodeDriverConfig config);
  ~NodeDriver() override;
  NodeDriver(const NodeDriver&) = delete;
  NodeDriver& operator=(const NodeDriver&) = delete;

  TradingNode& node() { return *node_; }
  SimulatedClock& clock() { return clock_; }
  ManualScheduler& scheduler() { return scheduler_; }

  // Starts the node (empty journal) and steps simulated time until it accepts signals. Attach strategies
  // before (they see on_start) or after; either way before the first event.
  Result<bool, std::string> start();

  // Steps the clock through venue work and timers up to t (never backwards).
  void advance_to(UnixNanos t) {
    // The common case between two bars, inline: no venue has anything queued up to t.
    // (An idle venue reads as due at the end of time: stepping there instead finds nothing and ends alike.)
    for (const auto& sv : node_->sim_venues()) {
      if (sv->next_event_ns().value_or(std::numeric_limits<UnixNanos>::max()) <= t) return step_venues_to(t);
    }
    clock_.set_ns(t);
  }
  // advance_to(event time), deliver to the node (frames through the venue's decoder), run due timers,
  // record: an equity sample per bar and after every fill; trades and frames sample at most once per
  // second of event time (an L2 recording has thousands of frames a second).
  void deliver(const HistoricalEvent& event);
  // Lets in-flight orders arrive and answer (up to drain_ns after the last event; their fills are
  // sampled). Idempotent. The node stays up (the destructor ends it), so strategies can stop after.
  void finish(std::int64_t drain_ns = kNanosPerSecond);

  // The recorded run; finalize_results() still has to run (it needs funding and multipliers).
  BacktestResults take_results();
  Money funding_paid() const;
  std::uint64_t events() const { return events_; }
  const std::optional<std::string>& error() const { return error_; }

 private:
  void on_order_filled(const Order& order, const Fill& fill) override;
  // One point per instant: several events (instruments) at one time keep the state after the last.
  void sample_equity() {
    const PortfolioFigures& f = node_->portfolio().values();  // no ratio is recorded
    if (!f.valid) return;
    const UnixNanos now = clock_.now_ns();
    const EquityPoint p{now, f.equity, f.cash, f.gross_exposure};
    if (now == last_sample_ns_ && !results_.equity.empty()) {
      results_.equity.back() = p;
      return;
    }
    last_sample_ns_ = now;
    push_back_reserved(results_.equity, p);  // last: a tail call when it grows
  }
  // push_back with the growth out of line: a recorder's every-event path then saves no registers for a
  // reallocation that the reserved capacity makes rare (never, when the event count was known).
  template <class T>
  [[gnu::flatten]] static void push_back_reserved(std::vector<T>& v, const T& x) {
    if (v.size() == v.capacity()) [[unlikely]]
      return push_back_grow(v, x);
    if (v.size() == v.capacity()) __builtin_unreachable();  // lets push_back drop its own growth path
    v.push_back(x);
  }
  template <class T>
  [[gnu::noinline]] static void push_back_grow(std::vector<T>& v, const T& x) {
    v.push_back(x);
  }
  void step_venues_to(UnixNanos t);
  // Bars come in runs of one instrument: the series of the last one is tried first, inline.
  [[gnu::always_inline]] void record_price(const InstrumentId& id, UnixNanos ts, Price price) {
    if (last_series_ != nullptr && last_series_->instrument == id) {
      append_price(*last_series_, last_slot_->second_end_ns, ts, price);
      return;
    }
    record_price_slow(id, ts, price);
  }
  void record_price_slow(const InstrumentId& id, UnixNanos ts, Price price);
  // One point per second at most: a trade recording would otherwise keep every print for the chart.
  static void append_price(PriceSeries& series, UnixNanos& second_end_ns, UnixNanos ts, Price price) {
    auto& points = series.points;
    if (ts < second_end_ns && !points.empty()) {
      points.back() = PricePoint{ts, price};
      return;
    }
    second_end_ns = second_end(ts);
    push_back_reserved(points, PricePoint{ts, price});  // last: a tail call when it grows
  }
  // The end of ts's second (floor, also before 1970, plus one second).
  static UnixNanos second_end(UnixNanos ts) {
    const UnixNanos s = ts / kNanosPerSecond * kNanosPerSecond;
    return (s > ts ? s - kNanosPerSecond : s) + kNanosPerSecond;
  }
  const Instrument* instrument(const InstrumentId& id) const;
  class FrameForwarder;
  void on_frame(const HistoricalEvent& event, const RawFrame& frame);

  NodeDriverConfig config_;
  SimulatedClock clock_;
  ManualScheduler scheduler_;
  // Nothing replays a backtest's journal: its records would only grow memory (≈17 MB a simulated year).
  MemoryJournal journal_{MemoryJournalOptions{.manual_durability = false, .keep_records = false}};
  std::unique_ptr<TradingNode> node_;
  BacktestResults results_;
  struct PriceSlot {
    std::size_t series = ~std::size_t{0};  // index in results_.prices; none yet
    UnixNanos second_end_ns = 0;           // the end of the second of the series' last point
  };
  std::vector<PriceSlot> price_slots_;  // by instrument index
  PriceSeries* last_series_ = nullptr;  // the series record_price() appended to last, and its slot
  PriceSlot* last_slot_ = nullptr;
  std::unique_ptr<FrameForwarder> forwarder_;
  std::unique_ptr<FrameFeed> frames_;
  std::uint64_t events_ = 0;
  UnixNanos last_sample_ns_ = -1;
  UnixNanos last_tick_sample_ns_ = -1;  // trades/frames: the last second sampled
  bool finished_ = false;
  std::optional<std::string> error_;
};

// One bar/trade/frame stream consumed by a run: either a streaming merger of files or an in-memory vector
// shared read-only by the runs of a sweep.
class EventCursor {
 public:
  virtual ~EventCursor() = default;
  // Points `out` at the next event (valid until the next call).
  virtual ReadStatus next(const HistoricalEvent*& out) = 0;
  virtual std::string error() const = 0;
  // How many events there are, when known (capacity planning only).
  virtual std::uint64_t size_hint() const { return 0; }
  // All the events not read yet, when the cursor holds them in memory, which the caller then walks without
  // a call per event (next() returns End after); nullopt when it streams them.
  virtual std::optional<std::span<const HistoricalEvent>> take_rest() { return std::nullopt; }
};

class MergerCursor final : public EventCursor {
 public:
  explicit MergerCursor(EventMerger& merger) : merger_(merger) {}
  ReadStatus next(const HistoricalEvent*& out) override {
    const ReadStatus s = merger_.next(buffer_);
    out = &buffer_;
    return s;
  }
  std::string error() const override { return merger_.error().to_string(); }

 private:
  EventMerger& merger_;
  HistoricalEvent buffer_;
};

class SpanCursor final : public EventCursor {
 public:
  explicit SpanCursor(std::span<const HistoricalEvent> events) : events_(events) {}
  ReadStatus next(const HistoricalEvent*& out) override {
    if (pos_ >= events_.size()) return ReadStatus::End;
    out = &events_[pos_++];
    return ReadStatus::Item;
  }
  std::string error() const override { return {}; }
  std::uint64_t size_hint() const override { return events_.size(); }
  std::optional<std::span<const HistoricalEvent>> take_rest() override {
    const auto rest = events_.subspan(pos_);
    pos_ = events_.size();
    return rest;
  }

 private:
  std::span<const HistoricalEvent> events_;
  std::size_t pos_ = 0;
};

}  // namespace tradingd::backtest
