// The strategy contract: the callbacks a Strategy receives and the StrategyContext it acts through. This
// header is what the TradingNode (paper/live) and the backtester call; keep it small and stable.
// Invariants: callbacks run on the event loop, one at a time, and must not throw (the node still catches
// and halts the strategy, but a throw is a bug); a strategy acts only through its context (no clock, no I/O
// of its own), so the same object behaves identically in backtest, paper and live.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/result.h"
#include "exchange/market_data.h"
#include "execution/order.h"
#include "execution/signal.h"

namespace tradingd {

enum class StrategyLogLevel : std::uint8_t { Debug, Info, Warn, Error };
std::string_view to_string(StrategyLogLevel l);

// Why ctx.submit() refused a signal. Rejections are data: the strategy decides what to do next.
enum class SubmitRejectKind : std::uint8_t {
  InvalidSignal,  // validate_signal() refused it: signal_reason says why
  RiskDenied,     // the RiskGuard refused it: detail carries the deny reason
  TradingHalted,  // circuit breaker, emergency stop, or the strategy is being stopped
  Internal,       // anything else (detail says what); the node logs it as an error
};
std::string_view to_string(SubmitRejectKind k);

struct SubmitRejection {
  SubmitRejectKind kind = SubmitRejectKind::InvalidSignal;
  std::optional<SignalRejectReason> signal_reason;  // set when kind == InvalidSignal
  std::string detail;
};
// The id of the order the signal became.
using SubmitResult = Result<OrderId, SubmitRejection>;

enum class CancelOutcome : std::uint8_t {
  Requested,     // a cancel was sent; an order update follows (Canceled, or a fill that won the race)
  NotOpen,       // already terminal (or a cancel is pending): nothing to do
  UnknownOrder,  // not an order of this strategy
};
std::string_view to_string(CancelOutcome o);

struct TimerEvent {
  std::string name;  // as given to set_timer
  UnixNanos ts_ns = 0;
};

// What the node gives a strategy. Read-only views of the node's state plus the strategy's three actions
// (submit, cancel, set_timer). The context passed to on_start stays valid until on_stop has returned, so a
// strategy may keep a reference (the external adapter does, for lines that arrive between callbacks).
// Views (Order pointers, Position references) are valid only during the current callback.
class StrategyContext {
 public:
  virtual ~StrategyContext() = default;

  virtual const StrategyId& strategy_id() const = 0;
  virtual TradingMode mode() const = 0;
  // Event time: the simulated clock in backtests, the wall clock otherwise.
  virtual UnixNanos now_ns() const = 0;
  // The instruments this strategy was configured with, and their trading rules (nullptr when unknown).
  virtual const std::vector<InstrumentId>& instruments() const = 0;
  virtual const Instrument* instrument(const InstrumentId& id) const = 0;
  // This strategy's signed net position on an instrument (zero when none).
  virtual Quantity position(const InstrumentId& id) const = 0;
  // This strategy's open orders on an instrument, oldest first.
  virtual std::vector<const Order*> open_orders(const InstrumentId& id) const = 0;

  // The node stamps strategy_id, validates, applies the sizer when the signal has neither quantity nor
  // notional, asks the RiskGuard, and only then journals and sends. Never throws.
  virtual SubmitResult submit(const Signal& signal) = 0;
  virtual CancelOutcome cancel(OrderId order_id) = 0;
  // on_timer(name) fires once at at_ns (event time); setting a name again replaces its pending timer.
  virtual void set_timer(std::string_view name, UnixNanos at_ns) = 0;
  // Goes to the daemon's log with strategy=<id>; message is plain text (no secrets).
  virtual void log(StrategyLogLevel level, std::string_view message) = 0;
};

// A trading strategy. Market data arrives only for the strategy's instruments; on_bar sees closed bars only.
// Every callback has a default that does nothing, so a strategy overrides what it uses.
class Strategy {
 public:
  virtual ~Strategy() = default;

  virtual void on_start(StrategyContext& /*ctx*/) {}
  virtual void on_bar(StrategyContext& /*ctx*/, const Bar& /*bar*/) {}
  virtual void on_trade(StrategyContext& /*ctx*/, const TradeTick& /*trade*/) {}
  virtual void on_quote(StrategyContext& /*ctx*/, const QuoteTick& /*quote*/) {}
  virtual void on_book(StrategyContext& /*ctx*/, const BookUpdate& /*update*/) {}
  // The order after the change (status, filled quantity); fires for every applied order event.
  virtual void on_order_update(StrategyContext& /*ctx*/, const Order& /*order*/) {}
  // One execution of one of this strategy's orders; on_order_update for the same event comes first.
  virtual void on_fill(StrategyContext& /*ctx*/, const Order& /*order*/, const Fill& /*fill*/) {}
  virtual void on_timer(StrategyContext& /*ctx*/, const TimerEvent& /*timer*/) {}
  // false: the strategy overrides neither on_order_update nor on_fill (it reads its position through the
  // context instead), so the host skips delivering those events. Asked once, when the strategy is added.
  virtual bool wants_order_updates() const { return true; }
  virtual bool wants_fills() const { return true; }
  // Last call; open orders are the node's to cancel (per its shutdown policy), not the strategy's.
  virtual void on_stop(StrategyContext& /*ctx*/) {}
};

}  // namespace tradingd
