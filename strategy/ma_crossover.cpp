// ma_crossover: see ma_crossover.h. The trading rule is mirrored line by line in examples/ma_crossover.py.
#include "strategy/ma_crossover.h"

#include <algorithm>

#include "strategy/params.h"

namespace tradingd {

Result<std::unique_ptr<Strategy>, std::string> MaCrossover::create(const config::StrategyConfig& cfg) {
  ParamReader r(cfg.name, cfg.params);
  MaCrossoverParams p;
  p.fast = r.integer("fast", p.fast, 1);
  p.slow = r.integer("slow", p.slow, 2);
  p.long_short = r.choice("mode", "long_only", {"long_only", "long_short"}) == "long_short";
  p.quantity = r.quantity("quantity");
  if (r.ok() && p.fast >= p.slow) r.fail("fast", "must be less than slow (" + std::to_string(p.slow) + ")");
  if (auto errors = r.finish(); !errors.empty()) return Err{std::move(errors)};
  return std::unique_ptr<Strategy>(std::make_unique<MaCrossover>(p));
}

MaCrossover::Series* MaCrossover::series(StrategyContext& ctx, const InstrumentId& id) {
  if (last_ < series_.size() && series_[last_].instrument == id) return &series_[last_];
  for (std::size_t i = 0; i < series_.size(); ++i)
    if (series_[i].instrument == id) return &series_[last_ = i];
  const auto& ids = ctx.instruments();
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) return nullptr;
  Series s;
  s.instrument = id;
  s.ring.assign(static_cast<std::size_t>(params_.slow), 0);
  series_.push_back(std::move(s));
  last_ = series_.size() - 1;
  return &series_.back();
}

void MaCrossover::on_bar(StrategyContext& ctx, const Bar& bar) {
  if (!bar.closed) return;
  Series* sp = series(ctx, bar.instrument);
  if (sp == nullptr) return;
  Series& s = *sp;
  // A ring of the last `slow` closes: the close leaving the fast window is `fast` places behind the newest.
  const auto slow = static_cast<std::size_t>(params_.slow);
  const auto fast = static_cast<std::size_t>(params_.fast);
  const std::int64_t close = bar.close.raw();
  // Indices wrap by one comparison: a division per bar is most of this function's cost.
  const auto wrap = [slow](std::size_t i) { return i >= slow ? i - slow : i; };
  const std::size_t newest = wrap(s.head + s.count);  // where this close goes (the oldest's slot when full)
  if (s.count == slow) {
    s.sum_slow -= s.ring[s.head];
    s.head = wrap(s.head + 1);
  } else {
    ++s.count;
  }
  if (s.count > fast) s.sum_fast -= s.ring[wrap(newest + slow - fast)];
  s.ring[newest] = close;
  s.sum_slow += close;
  s.sum_fast += close;
  if (s.count < slow) return;

  // fast_sma > slow_sma  ⇔  sum_fast · slow > sum_slow · fast (both counts positive): exact in 128 bits.
  const Int128 lhs = s.sum_fast * params_.slow;
  const Int128 rhs = s.sum_slow * params_.fast;
  const int sign = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
  if (sign == 0) return;
  const int previous = s.last_sign;
  s.last_sign = sign;
  if (previous == 0 || previous == sign) return;
  on_cross(ctx, bar, sign);
}

void MaCrossover::on_cross(StrategyContext& ctx, const Bar& bar, int sign) {
  const Quantity position = ctx.position(bar.instrument);
  if (params_.quantity) {
    // One order from the current position to the target: a reversal is a single order.
    const Quantity q = *params_.quantity;
    const Quantity target = sign > 0 ? q : (params_.long_short ? -q : Quantity::zero());
    const Quantity delta = target - position;
    if (delta.is_zero()) return;
    submit(ctx, bar, delta.is_positive() ? Side::Buy : Side::Sell, delta.abs(), target.is_zero());
    return;
  }
  // Sizer mode: close what is against the cross exactly, then enter with no size for the sizer.
  if (sign > 0) {
    if (position.is_negative()) submit(ctx, bar, Side::Buy, position.abs(), true);
    if (!position.is_positive()) submit(ctx, bar, Side::Buy, std::nullopt, false);
  } else {
    if (position.is_positive()) submit(ctx, bar, Side::Sell, position, true);
    if (params_.long_short && !position.is_negative()) submit(ctx, bar, Side::Sell, std::nullopt, false);
  }
}

void MaCrossover::submit(StrategyContext& ctx, const Bar& bar, Side side, std::optional<Quantity> quantity,
                         bool reduce_only) {
  Signal s;
  s.instrument = bar.instrument;
  s.side = side;
  s.type = OrderType::Market;
  s.quantity = quantity;
  s.reduce_only = reduce_only;
  s.reference_price = bar.close;
  s.strategy_id = ctx.strategy_id();
  s.tag = OrderTag::from("ma_cross");
  const auto r = ctx.submit(s);
  if (!r) {
    ctx.log(StrategyLogLevel::Warn, "Signal rejected side=" + std::string(to_string(side)) +
                                        " kind=" + std::string(to_string(r.error().kind)) + " detail=" + r.error().detail);
  }
}

}  // namespace tradingd
