// ma_crossover: a moving-average crossover on closed bars. Fast and slow simple moving averages of the
// close; when the fast one crosses the slow one the strategy moves to its target position with market
// orders: long on a cross up; flat (long_only) or short (long_short) on a cross down.
// Invariants: the SMA comparison is exact (integer sums of fixed-point closes compared by cross
// multiplication, no double), so examples/ma_crossover.py reproduces every trade; a cross is a change of
// the sign of fast − slow between two non-zero signs (equal averages neither make nor break a cross, and
// the first sign after warm-up is not a cross).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "strategy/strategy.h"

namespace tradingd {

struct MaCrossoverParams {
  std::int64_t fast = 10;   // bars, >= 1
  std::int64_t slow = 30;   // bars, > fast
  bool long_short = false;  // mode: long_only (default) | long_short
  // Order size. Absent: entries carry no size and the node's sizer decides; exits close the position.
  std::optional<Quantity> quantity;
};

class MaCrossover final : public Strategy {
 public:
  explicit MaCrossover(MaCrossoverParams params);
  MaCrossover(const MaCrossover&) = delete;  // last_ points into series_
  MaCrossover& operator=(const MaCrossover&) = delete;
  // Params: fast, slow, mode, quantity.
  static Result<std::unique_ptr<Strategy>, std::string> create(const config::StrategyConfig& cfg);

  void on_bar(StrategyContext& ctx, const Bar& bar) override;
  // Order events change nothing here: the position is read from the context at a cross.
  bool wants_order_updates() const override { return false; }
  bool wants_fills() const override { return false; }

  const MaCrossoverParams& params() const { return params_; }

 private:
  __extension__ using Int128 = __int128;
  // The per-bar work is O(1) and division-free: a ring of the last `slow` closes (zero before warm-up, so
  // the warm-up needs no special case) and running sums. While every close is within narrow_limit_ the
  // sums and their cross products fit in 64 bits; a close beyond it makes the series wide for good, and
  // its sums are then taken from the ring in 128 bits on each bar (exact, O(slow), for absurd prices only).
  struct Series {
    InstrumentId instrument;
    // The last `slow` closes (raw fixed point), `next` holding the oldest, then the same `slow` again: the
    // close leaving the fast window is read at next + slow − fast with no wrap.
    std::vector<std::int64_t> ring;
    std::size_t next = 0;            // where the next close goes
    std::size_t count = 0;           // closes seen, up to slow
    std::int64_t sum_fast = 0;       // of the last `fast` closes (valid while !wide)
    std::int64_t sum_slow = 0;       // of the last `slow` closes (valid while !wide)
    bool wide = false;
    int last_sign = 0;  // sign of fast − slow at the last bar where it was non-zero
  };
  // The series of an instrument this strategy trades, made on its first bar (nullptr for another one).
  Series* series(StrategyContext& ctx, const InstrumentId& id);
  // Sign of fast_sma − slow_sma from the ring in 128 bits (a wide series).
  int wide_sign(const Series& s) const;
  // One close into a series: the 64-bit running sums, or (wide) the ring alone and the sign from it.
  void step(StrategyContext& ctx, const Bar& bar, Series& s);
  // A bar of another instrument than the last one: its series found (or made) first.
  [[gnu::noinline]] void step_other(StrategyContext& ctx, const Bar& bar);
  void step_wide(StrategyContext& ctx, const Bar& bar, Series& s, std::int64_t close);
  // A non-zero sign that differs from the last one is a cross.
  void crossed(StrategyContext& ctx, const Bar& bar, Series& s, int sign);

  void on_cross(StrategyContext& ctx, const Bar& bar, int sign);
  void submit(StrategyContext& ctx, const Bar& bar, Side side, std::optional<Quantity> quantity, bool reduce_only);

  MaCrossoverParams params_;
  std::size_t fast_ = 0;
  std::size_t slow_ = 0;
  std::int64_t narrow_limit_ = 0;  // |close| <= this keeps slow · fast · |close| within int64
  // A handful of instruments per strategy: a scan beats hashing the id; the last one found is checked first
  // (a backtest's bars come in runs of one instrument). Stable addresses: series are never removed, and
  // last_ is re-pointed when the vector grows.
  std::vector<Series> series_;
  Series* last_ = nullptr;
  // A tripped breaker refuses every entry until it is reset: a run of rejections of one kind is logged
  // once, and how many were left out when the run ends (another kind, or a signal accepted).
  std::optional<SubmitRejectKind> rejecting_;
  std::uint64_t rejections_not_logged_ = 0;
};

}  // namespace tradingd
