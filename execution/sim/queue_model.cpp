// Queue position updates (see queue_model.h). Integer arithmetic only; the pro-rata share uses 128 bits.
#include "execution/sim/queue_model.h"

#include <algorithm>

namespace tradingd::sim {

QueueState queue_join(Quantity displayed, bool level_known) {
  QueueState q;
  q.ahead = displayed.is_positive() ? displayed : Quantity::zero();
  q.level_seen = q.ahead;
  q.level_known = level_known;
  return q;
}

Quantity queue_on_trade(QueueState& q, Quantity size, bool ignore_queue) {
  if (!size.is_positive()) return Quantity::zero();
  const Quantity reach = ignore_queue ? size : (size > q.ahead ? size - q.ahead : Quantity::zero());
  q.ahead = size >= q.ahead ? Quantity::zero() : q.ahead - size;
  // The trade explains this much of the next drop in displayed size: it is not a cancel.
  q.level_seen = size >= q.level_seen ? Quantity::zero() : q.level_seen - size;
  q.level_seen = std::max(q.level_seen, q.ahead);
  return reach;
}

void queue_on_level_update(QueueState& q, Quantity new_size, Rate cancel_share, Quantity step) {
  if (new_size.is_negative()) new_size = Quantity::zero();
  if (!q.level_known) {
    // First sight of our price level: we cannot know who joined before us, so all of it is ahead.
    q.level_known = true;
    q.ahead = new_size;
    q.level_seen = new_size;
    return;
  }
  if (new_size < q.level_seen && q.ahead.is_positive() && q.level_seen.is_positive()) {
    __extension__ using i128 = __int128;
    const i128 canceled = static_cast<i128>(q.level_seen.raw() - new_size.raw());
    const i128 ahead_part = canceled * q.ahead.raw() / q.level_seen.raw();
    const i128 share = std::clamp<std::int64_t>(cancel_share.raw(), 0, fixed::kScale);
    std::int64_t advance = static_cast<std::int64_t>(ahead_part * share / fixed::kScale);
    if (step.is_positive()) advance -= advance % step.raw();
    q.ahead = Quantity::from_raw(std::max<std::int64_t>(0, q.ahead.raw() - advance));
  }
  q.ahead = std::min(q.ahead, new_size);
  q.level_seen = new_size;
}

}  // namespace tradingd::sim
