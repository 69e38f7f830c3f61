// SimulatedVenue market data: the venue's copy of each book, resting-order fills from trades and from the
// far side moving through them, queue position updates, and stop triggers. The hot path (a book update or
// a trade with nothing of ours near it) does a few comparisons and no allocation.
#include <algorithm>

#include "execution/sim/simulated_venue.h"

namespace tradingd::sim {
namespace {
// Does a far-side price reach a resting order at `ours` (a bid reaching our ask, an ask reaching our bid)?
bool reaches(Side our_side, Price ours, Price far, bool touch) {
  return our_side == Side::Buy ? (far < ours || (touch && far == ours)) : (far > ours || (touch && far == ours));
}
}  // namespace

void SimulatedVenue::on_book(const BookUpdate& u) {
  try {
    InstrumentState* const found = begin_market_event(u.instrument);
    if (found == nullptr) return;
    InstrumentState& st = *found;
    st.has_depth = true;
    apply_levels(st, u.bids, u.asks, u.is_snapshot, now_ns_);
    st.book.set_sequence(u.sequence);
    market_epilogue(st, now_ns_);
  } catch (const std::exception& e) {
    note_error("on_book", e);
  }
}

void SimulatedVenue::on_quote(const QuoteTick& q) {
  try {
    InstrumentState* const found = begin_market_event(q.instrument);
    if (found == nullptr) return;
    InstrumentState& st = *found;
    if (!st.has_depth) {
      // Top of book only: a one-level book per side, replaced by each quote.
      st.has_quote = true;
      const BookLevel bid{q.bid_price, q.bid_price.is_positive() ? q.bid_size : Quantity::zero()};
      const BookLevel ask{q.ask_price, q.ask_price.is_positive() ? q.ask_size : Quantity::zero()};
      apply_levels(st, std::span<const BookLevel>(&bid, 1), std::span<const BookLevel>(&ask, 1), true, now_ns_);
    }
    market_epilogue(st, now_ns_);
  } catch (const std::exception& e) {
    note_error("on_quote", e);
  }
}

void SimulatedVenue::on_trade(const TradeTick& t) {
  try {
    InstrumentState* const found = begin_market_event(t.instrument);
    if (found == nullptr) return;
    InstrumentState& st = *found;
    st.has_trade = true;
    st.last_price = t.price;
    if (st.slippage.kind == SlippageKind::Volatility) st.vol.observe(t.price, st.slippage.volatility_ewma_lambda);
    if (!st.bids.empty() || !st.asks.empty()) resting_on_trade(st, t, now_ns_);
    if (!st.stops.empty() && config_.stop_trigger == StopTriggerSource::Last) check_stops(st, t.price, now_ns_);
    market_epilogue(st, now_ns_);
  } catch (const std::exception& e) {
    note_error("on_trade", e);
  }
}

void SimulatedVenue::on_mark_price(const MarkPriceUpdate& m) {
  try {
    InstrumentState* const found = begin_market_event(m.instrument);
    if (found == nullptr) return;
    InstrumentState& st = *found;
    st.mark_price = m.mark_price;
    if (!st.stops.empty() && config_.stop_trigger == StopTriggerSource::Mark) check_stops(st, m.mark_price, now_ns_);
    market_epilogue(st, now_ns_);
  } catch (const std::exception& e) {
    note_error("on_mark_price", e);
  }
}

// --- Book ------------------------------------------------------------------------------------------------

void SimulatedVenue::apply_levels(InstrumentState& st, std::span<const BookLevel> bids, std::span<const BookLevel> asks,
                                  bool snapshot, UnixNanos t) {
  if (st.bids.empty() && st.asks.empty()) {  // nothing of ours resting: just keep the book
    if (snapshot) {
      st.book.apply_snapshot(bids, asks);
      st.consumed.clear();
    } else {
      if (!st.consumed.empty()) {
        for (const auto& l : bids) take_consumed(st, Side::Buy, l.price);
        for (const auto& l : asks) take_consumed(st, Side::Sell, l.price);
      }
      for (const auto& l : bids) st.book.set_level(Side::Buy, l.price, l.size);
      for (const auto& l : asks) st.book.set_level(Side::Sell, l.price, l.size);
    }
    return;
  }
  if (!snapshot) {
    for (const auto& l : bids) level_changed(st, Side::Buy, l.price, l.size, t);
    for (const auto& l : asks) level_changed(st, Side::Sell, l.price, l.size, t);
    return;
  }
  // Snapshot: each level is judged against the old book, then the levels the snapshot no longer has are
  // removed (a two-pointer merge, both books best first), and queues at vanished prices see zero.
  scratch_book_.apply_snapshot(bids, asks);
  for (const auto& l : bids) level_changed(st, Side::Buy, l.price, l.size, t);
  for (const auto& l : asks) level_changed(st, Side::Sell, l.price, l.size, t);
  for (Side side : {Side::Buy, Side::Sell}) {
    scratch_prices_.clear();
    std::size_t j = 0;
    const std::size_t n = scratch_book_.depth(side);
    st.book.for_each_level(side, [&](const BookLevel& l) {
      while (j < n && better_price(side, scratch_book_.level(side, j).price, l.price)) ++j;
      if (j >= n || scratch_book_.level(side, j).price != l.price) scratch_prices_.push_back(l.price);
      return true;
    });
    for (Price p : scratch_prices_) st.book.set_level(side, p, Quantity::zero());
  }
  std::erase_if(st.consumed, [&](const Consumed& c) { return st.book.size_at(c.side, c.price).is_zero(); });
  for (auto* list : {&st.bids, &st.asks}) {
    for (const auto& ref : *list) {
      SimOrder& o = orders_[ref.order];
      if (o.phase != OrderPhase::Resting || !o.queue.level_known) continue;
      queue_on_level_update(o.queue, st.book.size_at(o.req.side, ref.price), config_.queue_cancel_share,
                            st.inst().step_size);
    }
  }
}

void SimulatedVenue::level_changed(InstrumentState& st, Side side, Price price, Quantity new_size, UnixNanos t) {
  // What our own orders took from this level since the feed last set it (the feed's previous size is our
  // copy plus this); the copy's size is only looked up when a crossing needs it.
  const Quantity prior_consumed = st.consumed.empty() ? Quantity::zero() : take_consumed(st, side, price);
  Quantity consumed;
  const bool touch = config_.fill_on_touch;
  // 1. The far side moving through our resting orders: new size at a crossing level would have hit ours.
  auto& others = side == Side::Buy ? st.asks : st.bids;
  const Side our_side = opposite(side);
  if (!others.empty() && reaches(our_side, others.front().price, price, true)) {
    const Quantity old_size = st.book.size_at(side, price) + prior_consumed;
    Quantity budget = new_size > old_size ? new_size - old_size : Quantity::zero();
    for (const auto& ref : others) {
      if (!reaches(our_side, ref.price, price, true)) break;
      SimOrder& o = orders_[ref.order];
      if (o.phase != OrderPhase::Resting) continue;
      // A displayed far-side level at or through our price means nobody real is left ahead of us.
      queue_clear(o.queue);
      if (!reaches(our_side, ref.price, price, touch) || !budget.is_positive()) continue;
      const Quantity got = fill(o, st, ref.price, std::min(budget, o.remaining()), LiquiditySide::Maker, t);
      budget -= got;
      consumed += got;
    }
  }
  // 2. Our queue at this very price on this side.
  auto& same = side == Side::Buy ? st.bids : st.asks;
  if (!same.empty()) {
    auto it = std::lower_bound(same.begin(), same.end(), price, [side](const RestingRef& r, Price p) {
      return better_price(side, r.price, p);
    });
    for (; it != same.end() && it->price == price; ++it) {
      SimOrder& o = orders_[it->order];
      if (o.phase != OrderPhase::Resting) continue;
      queue_on_level_update(o.queue, new_size, config_.queue_cancel_share, st.inst().step_size);
    }
  }
  const Quantity keep = new_size - consumed;
  st.book.set_level(side, price, keep.is_positive() ? keep : Quantity::zero());
  if (consumed.is_positive()) add_consumed(st, side, price, std::min(consumed, new_size));
}

Quantity SimulatedVenue::take_consumed(InstrumentState& st, Side side, Price price) {
  for (auto it = st.consumed.begin(); it != st.consumed.end(); ++it) {
    if (it->side == side && it->price == price) {
      const Quantity q = it->qty;
      st.consumed.erase(it);
      return q;
    }
  }
  return Quantity::zero();
}

void SimulatedVenue::add_consumed(InstrumentState& st, Side side, Price price, Quantity qty) {
  for (auto& c : st.consumed) {
    if (c.side == side && c.price == price) {
      c.qty += qty;
      return;
    }
  }
  st.consumed.push_back(Consumed{side, price, qty});
}

// --- Trades ----------------------------------------------------------------------------------------------

void SimulatedVenue::resting_on_trade(InstrumentState& st, const TradeTick& trade, UnixNanos now) {
  const Price px = trade.price;
  const bool touch = config_.fill_on_touch;
  // Our buys are hit by trades at or below their price, best (highest) first; sells mirror it.
  for (Side side : {Side::Buy, Side::Sell}) {
    auto& list = side == Side::Buy ? st.bids : st.asks;
    if (list.empty() || better_price(side, px, list.front().price)) continue;
    Quantity budget = trade.size;  // this print's volume, shared by our orders in priority
    Quantity given_through;        // taken by our orders priced through the print: it never reached the level
    Quantity given_at_price;       // taken by our earlier orders at the print's price
    for (const auto& ref : list) {
      if (!budget.is_positive() || better_price(side, px, ref.price)) break;
      SimOrder& o = orders_[ref.order];
      if (o.phase != OrderPhase::Resting) continue;
      Quantity reach;
      if (ref.price != px) {
        queue_clear(o.queue);  // traded through: the whole level in front of us is gone
        reach = budget;
      } else {
        // At our price only prints against our side consume our queue (a buy-aggressor print at our bid
        // price lifted offers, not bids); fill-on-touch takes any print at our price.
        if (!touch && trade.aggressor == side) continue;
        const Quantity beyond = queue_on_trade(o.queue, trade.size - given_through, touch);
        reach = beyond > given_at_price ? beyond - given_at_price : Quantity::zero();
      }
      reach = std::min(reach, budget);
      if (!reach.is_positive()) continue;
      const Quantity got = fill(o, st, ref.price, std::min(reach, o.remaining()), LiquiditySide::Maker, now);
      budget -= got;
      (ref.price == px ? given_at_price : given_through) += got;
    }
  }
}

// --- Stops -----------------------------------------------------------------------------------------------

void SimulatedVenue::check_stops(InstrumentState& st, Price price, UnixNanos t) {
  // Index loop: activation may rest orders (other lists) but never adds stops.
  for (std::size_t i = 0; i < st.stops.size(); ++i) {
    SimOrder& o = orders_[st.stops[i]];
    if (o.phase != OrderPhase::AwaitingTrigger) continue;
    const Price trigger = *o.req.trigger_price;
    if (o.is_buy() ? price < trigger : price > trigger) continue;
    o.triggered = true;
    o.phase = OrderPhase::Resting;  // leaves the stop list at the next compaction
    o.seq = next_order_seq_++;      // time priority starts when it fires
    st.lists_dirty = true;
    emit(t, OrderTriggered{o.req.instrument, o.req.client_order_id, o.venue_order_id, t});
    activate(o, st, t, false);
  }
}

}  // namespace tradingd::sim
