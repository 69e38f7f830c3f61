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
  explicit MaCrossover(MaCrossoverParams params) : params_(params) {}
  // Params: fast, slow, mode, quantity.
  static Result<std::unique_ptr<Strategy>, std::string> create(const config::StrategyConfig& cfg);

  void on_bar(StrategyContext& ctx, const Bar& bar) override;

  const MaCrossoverParams& params() const { return params_; }

 private:
  __extension__ using Int128 = __int128;
  struct Series {
    InstrumentId instrument;
    std::vector<std::int64_t> ring;  // the last `slow` closes (raw fixed point), oldest at `head` once full
    std::size_t head = 0;
    std::size_t count = 0;
    Int128 sum_fast = 0;
    Int128 sum_slow = 0;
    int last_sign = 0;  // sign of fast − slow at the last bar where it was non-zero
  };
  // The series of an instrument this strategy trades, made on its first bar (nullptr for another one).
  Series* series(StrategyContext& ctx, const InstrumentId& id);

  void on_cross(StrategyContext& ctx, const Bar& bar, int sign);
  void submit(StrategyContext& ctx, const Bar& bar, Side side, std::optional<Quantity> quantity, bool reduce_only);

  MaCrossoverParams params_;
  // A handful of instruments per strategy: a scan starting at the last one found beats hashing the id.
  std::vector<Series> series_;
  std::size_t last_ = 0;
};

}  // namespace tradingd
