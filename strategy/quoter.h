// quoter: simple two-sided quoting on the L2 book of the strategy's first instrument. Posts one post-only
// limit bid and one ask at offset_ticks from the mid (or from the touch), skips a side that would take the
// position beyond ±max_position, requotes when the wanted price moves more than requote_ticks away from
// the working one, and cancels quotes older than stale_ms.
// Invariants: at most one working quote per side — a replacement is placed only after the old quote is
// terminal (never two bids out at once, so max_position holds even if both fill); nothing is quoted on an
// invalid or crossed book (working quotes are canceled instead); decisions use event time only.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "core/result.h"
#include "strategy/strategy.h"

namespace tradingd {

struct QuoterParams {
  Quantity quantity;                 // size of each quote (> 0, required)
  Quantity max_position;             // |position| limit; default: quantity
  std::int64_t offset_ticks = 1;     // distance from the reference, >= 0
  bool from_mid = true;              // reference: mid (default) | touch (best bid / best ask)
  std::int64_t requote_ticks = 0;    // requote when the wanted price is more than this many ticks away
  std::int64_t stale_ms = 0;         // > 0: cancel (and later replace) a quote this old
};

class Quoter final : public Strategy {
 public:
  Quoter(InstrumentId instrument, QuoterParams params) : instrument_(instrument), params_(params) {}
  // Params: quantity, max_position, offset_ticks, reference, requote_ticks, stale_ms.
  static Result<std::unique_ptr<Strategy>, std::string> create(const config::StrategyConfig& cfg);

  void on_book(StrategyContext& ctx, const BookUpdate& update) override;
  void on_order_update(StrategyContext& ctx, const Order& order) override;
  void on_timer(StrategyContext& ctx, const TimerEvent& timer) override;
  void on_stop(StrategyContext& ctx) override;

  const QuoterParams& params() const { return params_; }

 private:
  struct Slot {
    OrderId id = 0;  // 0: no working quote
    Price price;
    UnixNanos placed_ns = 0;
    bool canceling = false;  // a cancel is out: wait for the terminal update before replacing
  };
  static std::size_t index(Side side) { return side == Side::Buy ? 0 : 1; }

  void update_side(StrategyContext& ctx, Side side, Price wanted, bool allowed, Price tick);
  void place(StrategyContext& ctx, Side side, Price price);
  void cancel(StrategyContext& ctx, Side side);
  void cancel_all(StrategyContext& ctx);

  InstrumentId instrument_;
  QuoterParams params_;
  std::array<Slot, 2> slots_{};
};

}  // namespace tradingd
