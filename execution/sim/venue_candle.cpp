// SimulatedVenue candle mode (instruments with bars only): orders wait for the next bar and are matched
// against its open and range, in the conservative intra-bar order documented in simulated_venue.h:
// (1) the open: market orders and marketable limits; (2) stops; (3) resting limits under a shared
// volume participation cap.
#include <algorithm>
#include <exception>

#include "execution/sim/simulated_venue.h"

namespace tradingd::sim {

void SimulatedVenue::candle_arrival(SimOrder& o, InstrumentState& st, UnixNanos /*t*/) {
  o.candle_mode = true;
  o.candle_fresh = true;
  o.marketable_on_arrival = o.req.type == OrderType::Limit && st.last_close && crosses(o.req.side, *o.req.price, *st.last_close);
  const bool stop = o.req.type == OrderType::StopMarket || o.req.type == OrderType::StopLimit;
  o.phase = stop ? OrderPhase::AwaitingTrigger : OrderPhase::Candle;
  st.candle.push_back(index_of(o));
}

// Every bar the inline on_bar does not answer: something is due, an order waits for a bar, housekeeping is
// pending, or the bar is another instrument's.
void SimulatedVenue::on_bar_full(const Bar& b) {
  try {
    InstrumentState* const found = begin_market_event(b.instrument);
    if (found == nullptr) return;
    InstrumentState& st = *found;
    process_bar(st, b, now_ns_);
    market_epilogue(st, now_ns_);
  } catch (const std::exception& e) {
    note_error("on_bar", e);
  }
}

void SimulatedVenue::process_bar(InstrumentState& st, const Bar& bar, UnixNanos now) {
  if (!bar.closed) return;  // the forming bar of a live feed says nothing final about the range
  note_closed_bar(st, bar);
  if (st.candle.empty() || st.mode() != DataMode::Candle) return;  // most bars: no order waits for one
  match_bar(st, bar, now);
}

void SimulatedVenue::match_bar(InstrumentState& st, const Bar& bar, UnixNanos now) {
  const Instrument& inst = st.inst();
  const Price tick = inst.tick_size;
  const bool touch = config_.fill_on_touch;
  auto ts_open = [&](const SimOrder& o) { return std::max(o.ts_arrived_ns, std::min(bar.ts_open_ns, now)); };
  auto ts_close = [&](const SimOrder& o) { return std::max(o.ts_arrived_ns, std::min(bar.ts_close_ns(), now)); };
  auto slipped_open = [&](Side side, Price ref) {
    return slipped_price(side, ref, slippage_at(st, ref, std::nullopt), tick);
  };
  // Eligible: sent no later than the bar's open (the strategy saw the bar before). Arrival order. Held
  // by address (orders never move, and none is added during the bar) for the three passes below.
  std::vector<SimOrder*>& eligible = scratch_orders_;
  eligible.clear();
  bool any_limit = false;  // only limits (and stop-limits) can reach the resting pass (3)
  for (auto idx : st.candle) {
    SimOrder& o = orders_[idx];
    if (o.phase != OrderPhase::Done && o.ts_sent_ns <= bar.ts_open_ns) {
      eligible.push_back(&o);
      any_limit |= o.req.price.has_value();
    }
  }
  // Participation cap for maker fills, shared by our orders: pct% of the bar's volume, rounded down. Only
  // the resting pass spends it: a bar that only market orders wait for skips the arithmetic.
  Quantity budget;
  if (any_limit) {
    budget = Quantity::from_raw(fixed::mul_raw(bar.volume.raw(), st.participation_pct.raw(), Rounding::Down) / 100);
    budget = inst.round_quantity(budget, Rounding::Down);
  }

  // (1) At the open.
  for (SimOrder* order : eligible) {
    SimOrder& o = *order;
    if (o.phase != OrderPhase::Candle || !o.candle_fresh) continue;
    o.candle_fresh = false;
    const Side side = o.req.side;
    const bool market = o.req.type == OrderType::Market || o.req.type == OrderType::StopMarket;
    if (market) {
      slices_.clear();
      slices_.push_back(FillSlice{slipped_open(side, bar.open), o.remaining()});
      if (can_afford_taker(st, o, slices_)) fill(o, st, slices_.front().price, o.remaining(), LiquiditySide::Taker, ts_open(o));
      if (o.phase != OrderPhase::Done) expire(o, ts_open(o));
      continue;
    }
    const Price limit = *o.req.price;
    if (o.marketable_on_arrival && crosses(side, limit, bar.open)) {
      Price px = slipped_open(side, bar.open);
      if (!crosses(side, limit, px)) px = limit;
      fill(o, st, px, o.remaining(), LiquiditySide::Taker, ts_open(o));
    }
    o.marketable_on_arrival = false;
    if (o.phase != OrderPhase::Done &&
        (o.req.time_in_force == TimeInForce::Ioc || o.req.time_in_force == TimeInForce::Fok)) {
      expire(o, ts_open(o));
    }
  }

  // (2) Stops: the adverse side is assumed to happen first.
  for (SimOrder* order : eligible) {
    SimOrder& o = *order;
    if (o.phase != OrderPhase::AwaitingTrigger) continue;
    const Side side = o.req.side;
    const Price trigger = *o.req.trigger_price;
    if (side == Side::Buy ? bar.high < trigger : bar.low > trigger) continue;
    const bool gapped = side == Side::Buy ? bar.open >= trigger : bar.open <= trigger;
    const UnixNanos t = gapped ? ts_open(o) : ts_close(o);
    o.triggered = true;
    emit(t, OrderTriggered{o.req.instrument, o.req.client_order_id, o.venue_order_id, t});
    if (o.req.type == OrderType::StopMarket) {
      o.phase = OrderPhase::Candle;
      const Price ref = gapped ? bar.open : trigger;
      slices_.clear();
      slices_.push_back(FillSlice{slipped_open(side, ref), o.remaining()});
      if (can_afford_taker(st, o, slices_)) fill(o, st, slices_.front().price, o.remaining(), LiquiditySide::Taker, t);
      if (o.phase != OrderPhase::Done) expire(o, t);
    } else {
      // The path inside the bar is unknown: the limit starts at the next bar, judged against this close.
      o.phase = OrderPhase::Candle;
      o.candle_fresh = true;
      o.marketable_on_arrival = crosses(side, *o.req.price, bar.close);
    }
  }

  // (3) Resting limits: the range trades through the price; maker at the limit, capped by participation.
  if (!any_limit) return;
  for (SimOrder* order : eligible) {
    SimOrder& o = *order;
    if (o.phase != OrderPhase::Candle || o.candle_fresh || !o.req.price) continue;
    const Price limit = *o.req.price;
    const bool through = o.is_buy() ? (bar.low < limit || (touch && bar.low == limit))
                                    : (bar.high > limit || (touch && bar.high == limit));
    if (!through || !budget.is_positive()) continue;
    const Quantity got = fill(o, st, limit, std::min(budget, o.remaining()), LiquiditySide::Maker, ts_close(o));
    budget -= got;
  }
  // No compaction forced here: an order that finished in this bar marked the lists itself (finish), and a
  // fired stop stays in the candle list as a candle order.
}

}  // namespace tradingd::sim
