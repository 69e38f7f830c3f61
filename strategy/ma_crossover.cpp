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

MaCrossover::MaCrossover(MaCrossoverParams params)
    : params_(params),
      fast_(static_cast<std::size_t>(params.fast)),
      slow_(static_cast<std::size_t>(params.slow)) {
  // fast < slow, so |sum| · max(fast, slow) <= slow · fast · |close|: both cross products fit in int64.
  std::int64_t both = 0;
  if (!__builtin_mul_overflow(params.slow, params.fast, &both) && both > 0) narrow_limit_ = INT64_MAX / both;
}

MaCrossover::Series* MaCrossover::series(StrategyContext& ctx, const InstrumentId& id) {
  for (auto& s : series_)
    if (s.instrument == id) return last_ = &s;
  const auto& ids = ctx.instruments();
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) return nullptr;
  Series s;
  s.instrument = id;
  s.ring.assign(2 * slow_, 0);
  series_.push_back(std::move(s));
  return last_ = &series_.back();
}

int MaCrossover::wide_sign(const Series& s) const {
  // The ring holds the last `slow` closes, the newest just before `next`.
  Int128 sum_slow = 0, sum_fast = 0;
  for (std::size_t k = 1; k <= slow_; ++k) {
    const std::int64_t c = s.ring[s.next >= k ? s.next - k : s.next + slow_ - k];
    sum_slow += c;
    if (k <= fast_) sum_fast += c;
  }
  const Int128 lhs = sum_fast * params_.slow;
  const Int128 rhs = sum_slow * params_.fast;
  return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
}

void MaCrossover::on_bar(StrategyContext& ctx, const Bar& bar) {
  if (!bar.closed) return;
  // Every call below is a tail call: the usual bar (the last series, narrow, no cross) saves no registers.
  if (last_ != nullptr && last_->instrument == bar.instrument) return step(ctx, bar, *last_);
  return step_other(ctx, bar);
}

void MaCrossover::step_other(StrategyContext& ctx, const Bar& bar) {
  if (Series* s = series(ctx, bar.instrument)) step(ctx, bar, *s);
}

inline void MaCrossover::step(StrategyContext& ctx, const Bar& bar, Series& s) {
  const std::int64_t close = bar.close.raw();
  // |close| > narrow_limit_ as one unsigned comparison (exact for any limit in [0, INT64_MAX]).
  if (static_cast<std::uint64_t>(close) + static_cast<std::uint64_t>(narrow_limit_) >
      2 * static_cast<std::uint64_t>(narrow_limit_))
    s.wide = true;
  if (s.wide) [[unlikely]]
    return step_wide(ctx, bar, s, close);
  // The close leaving the slow window sits where this one goes; the one leaving the fast window is `fast`
  // places behind it. Before warm-up both slots still hold zero, so the sums need no special case.
  // The ring's second half mirrors the first, so that slot is at + slow − fast without a wrap.
  const std::size_t at = s.next;
  std::int64_t* ring = s.ring.data();
  s.sum_slow += close - ring[at];
  s.sum_fast += close - ring[at + slow_ - fast_];
  ring[at] = close;
  ring[at + slow_] = close;
  s.next = at + 1 == slow_ ? 0 : at + 1;
  if (s.count < slow_ && ++s.count < slow_) return;
  // fast_sma > slow_sma  ⇔  sum_fast · slow > sum_slow · fast (both counts positive): exact.
  const std::int64_t lhs = s.sum_fast * params_.slow;
  const std::int64_t rhs = s.sum_slow * params_.fast;
  // The usual bar leaves the sign as it was: nothing to store (crossed() would store the same value).
  if (lhs == rhs || (lhs > rhs ? 1 : -1) == s.last_sign) return;
  return crossed(ctx, bar, s, lhs > rhs ? 1 : -1);
}

void MaCrossover::step_wide(StrategyContext& ctx, const Bar& bar, Series& s, std::int64_t close) {
  const std::size_t at = s.next;
  s.ring[at] = close;  // no mirror: a wide series reads the first half only, and stays wide
  s.next = at + 1 == slow_ ? 0 : at + 1;
  if (s.count < slow_ && ++s.count < slow_) return;
  return crossed(ctx, bar, s, wide_sign(s));
}

inline void MaCrossover::crossed(StrategyContext& ctx, const Bar& bar, Series& s, int sign) {
  if (sign == 0) return;
  const int previous = s.last_sign;
  s.last_sign = sign;
  if (previous == 0 || previous == sign) return;
  return on_cross(ctx, bar, sign);
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
  static const OrderTag tag = OrderTag::from("ma_cross");
  s.tag = tag;
  const auto r = ctx.submit(s);
  const std::optional<SubmitRejectKind> kind = r ? std::nullopt : std::optional(r.error().kind);
  if (kind && kind == rejecting_) {
    ++rejections_not_logged_;
    return;
  }
  if (rejections_not_logged_ > 0) {
    ctx.log(StrategyLogLevel::Info, "Signal rejections not logged kind=" + std::string(to_string(*rejecting_)) +
                                        " count=" + std::to_string(rejections_not_logged_));
  }
  rejecting_ = kind;
  rejections_not_logged_ = 0;
  if (kind) {
    ctx.log(StrategyLogLevel::Warn, "Signal rejected side=" + std::string(to_string(side)) +
                                        " kind=" + std::string(to_string(*kind)) + " detail=" + r.error().detail);
  }
}

}  // namespace tradingd
