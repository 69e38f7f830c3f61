// Queue position of a resting simulated order at its price level. The real book does not contain our
// order, so we track how much displayed size is ahead of it:
//  - joining: everything displayed at our price is ahead of us (price-time priority);
//  - a trade at our price consumes the queue first; only volume beyond it reaches us;
//  - a drop in the displayed size that no trade explains is a cancel; canceled size is assumed spread
//    evenly over the level (pro rata), so ahead/level of it was ahead of us, scaled by cancel_share;
//  - growth of the level joins behind us;
//  - a price seen only after we joined (beyond the visible depth then) counts entirely ahead of us.
// Invariants: 0 <= ahead <= level_seen after every update; quantities stay multiples of the step (the
// pro-rata advance is rounded down to it, which keeps us further back: the conservative side).
#pragma once

#include "core/fixed_point.h"

namespace tradingd::sim {

struct QueueState {
  Quantity ahead;            // displayed size ahead of us at our price
  Quantity level_seen;       // displayed size at our price when last seen (ahead + behind us)
  bool level_known = true;   // false: our price was beyond the visible depth when we joined
  friend bool operator==(const QueueState&, const QueueState&) = default;
};

QueueState queue_join(Quantity displayed, bool level_known);

// A trade of `size` printed at our price against our side. Returns the volume that reaches us. With
// ignore_queue (fill-on-touch) the whole trade reaches us.
Quantity queue_on_trade(QueueState& q, Quantity size, bool ignore_queue);

// The displayed size at our price is now new_size.
void queue_on_level_update(QueueState& q, Quantity new_size, Rate cancel_share, Quantity step);

// The market traded or was offered through our price: nothing can be ahead of us any more.
inline void queue_clear(QueueState& q) {
  q.ahead = Quantity::zero();
  q.level_known = true;
}

}  // namespace tradingd::sim
