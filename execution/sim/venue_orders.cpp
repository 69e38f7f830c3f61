// SimulatedVenue order handling at the matching engine: arrival (validation, venue rules, funds, the
// time in force), taker execution against the current market, resting, cancels, and the accounting of
// every fill. Called only from the request queue (simulated_venue.cpp) and market data (venue_market.cpp).
#include <algorithm>

#include "execution/sim/decimal_id.h"
#include "execution/sim/simulated_venue.h"

namespace tradingd::sim {
namespace {

bool is_stop(OrderType t) { return t == OrderType::StopMarket || t == OrderType::StopLimit; }
bool is_market_like(OrderType t) { return t == OrderType::Market || t == OrderType::StopMarket; }
bool stop_reached(Side side, Price trigger, Price price) { return side == Side::Buy ? price >= trigger : price <= trigger; }

Money notional_up(const Instrument& inst, Price p, Quantity q) {
  Money n = Money::from_raw(fixed::mul_raw(p.raw(), q.raw(), Rounding::Up));
  if (inst.contract_multiplier != Quantity::from_units(1)) n = fixed_mul<Money>(n, inst.contract_multiplier, Rounding::Up);
  return n;
}
Money margin_up(Money n, int leverage) {
  return leverage <= 1 ? n : Money::from_raw(fixed::div_raw(n.raw(), fixed::kScale * leverage, Rounding::Up));
}
Rate max_rate(const FeeRates& f) { return std::max({f.maker, f.taker, Rate::zero()}); }
Quantity total_qty(const std::vector<FillSlice>& slices) {
  Quantity q;
  for (const auto& s : slices) q += s.qty;
  return q;
}

}  // namespace

// --- Market view -----------------------------------------------------------------------------------------

std::optional<Price> SimulatedVenue::far_touch(const InstrumentState& st, Side taker_side) const {
  switch (st.mode()) {
    case DataMode::Depth:
    case DataMode::TopOfBook: {
      const auto lvl = taker_side == Side::Buy ? st.book.best_ask() : st.book.best_bid();
      if (lvl) return lvl->price;
      return std::nullopt;
    }
    case DataMode::LastTrade: return st.last_price;
    case DataMode::Candle: return st.last_close;
    case DataMode::None: break;
  }
  return std::nullopt;
}

bool SimulatedVenue::is_marketable(const InstrumentState& st, Side side, Price limit) const {
  const auto far = far_touch(st, side);
  return far && crosses(side, limit, *far);
}

Price SimulatedVenue::slippage_at(InstrumentState& st, Price reference, std::optional<Price> spread) {
  const Price tick = st.inst().tick_size;
  // Volatility scaling reads the spread and sigma too, which move with every market event: never reused.
  if (st.slippage.kind == SlippageKind::Volatility)
    return slippage_offset(st.slippage, reference, spread, st.vol.sigma(), tick);
  if (!st.slip_known || st.slip_ref != reference) {
    st.slip_offset = slippage_offset(st.slippage, reference, std::nullopt, 0.0, tick);
    st.slip_ref = reference;
    st.slip_known = true;
  }
  return st.slip_offset;
}

void SimulatedVenue::taker_plan(InstrumentState& st, Side side, Quantity qty, std::optional<Price> limit,
                                std::vector<FillSlice>& out) const {
  const DataMode mode = st.mode();
  if (mode == DataMode::Depth) {
    walk_book(st.book, side, qty, limit, out);
    return;
  }
  if (mode != DataMode::TopOfBook && mode != DataMode::LastTrade) return;  // candles: venue_candle.cpp
  const auto ref = far_touch(st, side);
  if (!ref || (limit && !crosses(side, *limit, *ref))) return;
  std::optional<Price> spread;
  if (mode == DataMode::TopOfBook) {
    const auto bid = st.book.best_bid();
    const auto ask = st.book.best_ask();
    if (bid && ask) spread = ask->price - bid->price;
  }
  const Price tick = st.inst().tick_size;
  Price p = slipped_price(side, *ref, slippage_at(st, *ref, spread), tick);
  if (limit && !crosses(side, *limit, p)) p = *limit;  // a marketable limit never pays beyond its limit
  out.push_back(FillSlice{p, qty});
}

// --- Funds -----------------------------------------------------------------------------------------------

Money SimulatedVenue::lock_required(const InstrumentState& st, const OrderRequest& r, Quantity remaining) const {
  if (!remaining.is_positive()) return Money::zero();
  const Instrument& inst = st.inst();
  if (inst.is_perpetual()) {
    // Market-like orders are checked when they execute; reduce-only orders need no margin.
    if (r.reduce_only || is_market_like(r.type) || !r.price) return Money::zero();
    const Money n = notional_up(inst, *r.price, remaining);
    return margin_up(n, st.position.leverage) + apply_rate(n, max_rate(st.fees), Rounding::Up);
  }
  if (r.side == Side::Sell) return fixed_cast<Money>(remaining);  // the base asset to deliver
  if (is_market_like(r.type) || !r.price) return Money::zero();    // buys at market: exact check on execution
  const Money n = notional_up(inst, *r.price, remaining);
  const bool fee_in_base = fee_in_base_asset(inst, Side::Buy, config_.binance_fee_in_received_asset);
  return n + (fee_in_base ? Money::zero() : apply_rate(n, max_rate(st.fees), Rounding::Up));
}

const Asset& SimulatedVenue::lock_asset_of(const Instrument& inst, Side side) {
  return inst.is_perpetual() ? (inst.settle.empty() ? inst.quote : inst.settle)
                             : (side == Side::Sell ? inst.base : inst.quote);
}

bool SimulatedVenue::can_afford_slices(const InstrumentState& st, const OrderRequest& r, const Asset& lock_asset,
                                       Money locked, const std::vector<FillSlice>& slices) const {
  const Instrument& inst = st.inst();
  const Money n = slices_notional(slices, inst.contract_multiplier);
  const Money fee = apply_rate(n, std::max(st.fees.taker, Rate::zero()), Rounding::Up);
  if (inst.is_perpetual()) {
    if (r.reduce_only) return true;
    const Asset settle = inst.settle.empty() ? inst.quote : inst.settle;
    return account_.free(settle) + (lock_asset == settle ? locked : Money::zero()) >=
           margin_up(n, st.position.leverage) + fee;
  }
  if (r.side == Side::Sell) {
    return account_.free(inst.base) + (lock_asset == inst.base ? locked : Money::zero()) >=
           fixed_cast<Money>(total_qty(slices));
  }
  const bool fee_in_base = fee_in_base_asset(inst, Side::Buy, config_.binance_fee_in_received_asset);
  return account_.free(inst.quote) + (lock_asset == inst.quote ? locked : Money::zero()) >=
         n + (fee_in_base ? Money::zero() : fee);
}

Quantity SimulatedVenue::reduce_only_cap(Side side, const InstrumentState& st) const {
  const Quantity pos = st.position.quantity;
  if (side == Side::Buy) return pos.is_negative() ? -pos : Quantity::zero();
  return pos.is_positive() ? pos : Quantity::zero();
}

// --- Arrival ---------------------------------------------------------------------------------------------

void SimulatedVenue::reject(const OrderRequest& req, UnixNanos t, RejectKind why) {
  ++stats_.orders_rejected;
  emit(t, OrderRejected{req.instrument, req.client_order_id,
                        venue_error(req.instrument.venue, req.instrument.kind, why), t});
}

std::optional<RejectKind> SimulatedVenue::validate(const InstrumentState& st, const OrderRequest& req) const {
  const Instrument& inst = st.inst();
  const bool needs_price = req.type == OrderType::Limit || req.type == OrderType::StopLimit;
  if (needs_price && !req.price) return RejectKind::MissingPrice;
  if (is_stop(req.type) && !req.trigger_price) return RejectKind::MissingTrigger;
  if (is_market_like(req.type) && req.time_in_force == TimeInForce::PostOnly) return RejectKind::UnsupportedOrder;
  if (is_stop(req.type)) {
    if (!req.trigger_price->is_positive()) return RejectKind::PriceNotPositive;
    if (inst.tick_size.is_positive() && !req.trigger_price->is_multiple_of(inst.tick_size))
      return RejectKind::PriceNotOnTick;
  }
  // Market orders are checked against the far touch (Binance's NOTIONAL applyMinToMarket reference).
  std::optional<Price> ref = needs_price                        ? req.price
                             : req.type == OrderType::StopMarket ? req.trigger_price
                                                                 : far_touch(st, req.side);
  auto v = check_rules(inst, ref, req.quantity, is_market_like(req.type));
  // Reduce-only perp orders are exempt from the minimum notional (Binance -4164 "unless reduce only").
  if (v == InstrumentRuleViolation::NotionalBelowMinimum && req.reduce_only && inst.is_perpetual()) v.reset();
  if (v) return reject_kind(*v);
  return std::nullopt;
}

void SimulatedVenue::on_submit_arrival(const Inbound& msg) {
  ++stats_.orders_received;
  const OrderRequest& req = msg.order;
  const UnixNanos t = msg.at;
  const int ii = find_instrument(req.instrument);
  if (ii < 0) return reject(req, t, RejectKind::UnknownInstrument);
  InstrumentState& st = instruments_[static_cast<std::size_t>(ii)];
  const Instrument& inst = st.inst();
  const std::uint64_t client_hash = hash_text(req.client_order_id.view());
  if (const std::uint32_t i = find_client(req.client_order_id, client_hash);
      i != SlotIndex::npos && orders_[i].phase != OrderPhase::Done)
    return reject(req, t, RejectKind::DuplicateClientOrderId);
  if (auto why = validate(st, req)) return reject(req, t, *why);

  const bool candle = st.mode() == DataMode::Candle;
  // Judged on the request: the order is stored only once accepted. Nothing is reserved for it yet.
  const Asset no_lock;
  const bool reduce_only = req.reduce_only && inst.is_perpetual();
  if (reduce_only && reduce_only_cap(req.side, st).is_zero()) return reject(req, t, RejectKind::ReduceOnlyRejected);

  bool trigger_now = false;
  if (is_stop(req.type)) {
    const auto ref = candle ? st.last_close
                            : (config_.stop_trigger == StopTriggerSource::Mark && st.mark_price ? st.mark_price
                                                                                                 : st.last_price);
    if (ref && stop_reached(req.side, *req.trigger_price, *ref)) {
      if (immediate_trigger_is_reject(inst.id.venue, inst.id.kind))
        return reject(req, t, RejectKind::StopWouldTriggerImmediately);
      trigger_now = !candle;
    }
  }
  const bool live_now = !candle && (!is_stop(req.type) || trigger_now);
  if (req.type == OrderType::Limit && req.time_in_force == TimeInForce::PostOnly && is_marketable(st, req.side, *req.price))
    return reject(req, t, RejectKind::PostOnlyWouldTake);

  // Orders that execute now are checked against exactly what they would get.
  if (live_now) {
    slices_.clear();
    const std::optional<Price> limit = is_market_like(req.type) ? std::nullopt : req.price;
    if (!limit || is_marketable(st, req.side, *limit)) taker_plan(st, req.side, req.quantity, limit, slices_);
    const Quantity fillable = std::min(total_qty(slices_), reduce_only ? reduce_only_cap(req.side, st) : req.quantity);
    if (req.time_in_force == TimeInForce::Fok && fillable < req.quantity &&
        fok_failure_is_reject(inst.id.venue, inst.id.kind))
      return reject(req, t, RejectKind::FokNotFilled);
    if (is_market_like(req.type) && !slices_.empty() && !can_afford_taker(st, req, no_lock, Money::zero(), slices_))
      return reject(req, t, RejectKind::InsufficientBalance);
  } else if (candle && req.type == OrderType::Market && st.last_close) {
    // Candle mode: the fill comes at the next open; check against the last close moved by slippage.
    slices_.clear();
    const Price off = slippage_at(st, *st.last_close, std::nullopt);
    slices_.push_back(FillSlice{slipped_price(req.side, *st.last_close, off, inst.tick_size), req.quantity});
    if (!can_afford_taker(st, req, no_lock, Money::zero(), slices_))
      return reject(req, t, RejectKind::InsufficientBalance);
  }
  const Asset& lock_asset = lock_asset_of(inst, req.side);
  const Money lock = lock_required(st, req, req.quantity);
  // Market buys lock nothing (they are checked on execution): no call for them.
  if (lock.is_positive() && !account_.lock(lock_asset, lock)) return reject(req, t, RejectKind::InsufficientBalance);

  SimOrder& o = new_order(req, static_cast<std::uint32_t>(ii), msg.sent, t, client_hash);
  o.lock_asset = lock_asset;
  o.locked = lock;
  emit(t, OrderAccepted{req.instrument, req.client_order_id, o.venue_order_id, t});
  if (candle) {
    candle_arrival(o, st, t);
  } else if (is_stop(req.type) && !trigger_now) {
    o.phase = OrderPhase::AwaitingTrigger;
    st.stops.push_back(index_of(o));
  } else {
    if (trigger_now) {
      o.triggered = true;
      emit(t, OrderTriggered{req.instrument, req.client_order_id, o.venue_order_id, t});
    }
    activate(o, st, t, true);
  }
}

void SimulatedVenue::activate(SimOrder& o, InstrumentState& st, UnixNanos t, bool on_arrival) {
  const OrderRequest& r = o.req;
  const bool market = is_market_like(r.type);
  const std::optional<Price> limit = market ? std::nullopt : r.price;
  if (!market && r.time_in_force == TimeInForce::PostOnly && is_marketable(st, r.side, *limit)) {
    // Only a fired stop-limit gets here (arrivals were rejected): it can no longer be refused, so it ends.
    expire(o, t);
    return;
  }
  slices_.clear();
  if (market || is_marketable(st, r.side, *limit)) taker_plan(st, r.side, o.remaining(), limit, slices_);
  const bool fok_short = r.time_in_force == TimeInForce::Fok && total_qty(slices_) < o.remaining();
  const bool unaffordable = !on_arrival && market && !slices_.empty() && !can_afford_taker(st, o, slices_);
  if (!fok_short && !unaffordable) execute_taker(o, st, slices_, t);
  if (o.phase == OrderPhase::Done) return;
  if (market || fok_short || unaffordable || r.time_in_force == TimeInForce::Ioc || r.time_in_force == TimeInForce::Fok) {
    expire(o, t);
    return;
  }
  rest(o, st);
}

void SimulatedVenue::execute_taker(SimOrder& o, InstrumentState& st, std::vector<FillSlice>& slices, UnixNanos t) {
  const Side far_side = opposite(o.req.side);
  for (const auto& s : slices) {
    if (o.phase == OrderPhase::Done) break;
    const Quantity got = fill(o, st, s.price, std::min(s.qty, o.remaining()), LiquiditySide::Taker, t);
    if (st.has_depth && got.is_positive()) {
      // Our taker removed this liquidity from the venue's copy until the feed next sets the level.
      const Quantity left = st.book.size_at(far_side, s.price) - got;
      st.book.set_level(far_side, s.price, left.is_positive() ? left : Quantity::zero());
      add_consumed(st, far_side, s.price, got);
    }
    if (!got.is_positive()) break;
  }
}

void SimulatedVenue::rest(SimOrder& o, InstrumentState& st) {
  o.phase = OrderPhase::Resting;
  const Side side = o.req.side;
  const Price p = *o.req.price;
  const Quantity displayed = st.book.size_at(side, p);
  // Is our price inside the depth we can see? Beyond it, who is ahead of us is unknown until it shows.
  bool known = displayed.is_positive();
  const std::size_t depth = st.book.depth(side);
  if (!known && depth > 0) known = !better_price(side, st.book.level(side, depth - 1).price, p);
  o.queue = queue_join(displayed, known);
  auto& list = side == Side::Buy ? st.bids : st.asks;
  const RestingRef ref{p, o.seq, index_of(o)};
  auto pos = std::upper_bound(list.begin(), list.end(), ref, [side](const RestingRef& a, const RestingRef& b) {
    if (a.price != b.price) return better_price(side, a.price, b.price);
    return a.seq < b.seq;
  });
  list.insert(pos, ref);
}

// --- Fills -----------------------------------------------------------------------------------------------

Quantity SimulatedVenue::fill(SimOrder& o, InstrumentState& st, Price price, Quantity qty, LiquiditySide liq,
                              UnixNanos t) {
  const Instrument& inst = st.inst();
  const bool reduce_only = o.req.reduce_only && inst.is_perpetual();
  Quantity q = std::min(qty, o.remaining());
  if (reduce_only) q = std::min(q, reduce_only_cap(o, st));
  if (!q.is_positive()) {
    if (reduce_only && o.phase != OrderPhase::Done) {
      expire(o, t);
    }
    return Quantity::zero();
  }
  const Side side = o.req.side;
  const Rate rate = liq == LiquiditySide::Maker ? st.fees.maker : st.fees.taker;
  // price × qty once, for the fee, the balances (both inst.notional_of) and the average price (unscaled).
  const Money n = notional(price, q, Rounding::Nearest);
  const Money fill_notional =
      inst.contract_multiplier == Quantity::from_units(1) ? n : fixed_mul<Money>(n, inst.contract_multiplier, Rounding::Nearest);
  const FeeCharge fee = compute_fee_on(inst, side, q, fill_notional, rate, config_.binance_fee_in_received_asset);
  if (o.locked.is_positive()) {
    const Money keep = std::min(o.locked, lock_required(st, o.req, o.remaining() - q));
    account_.unlock(o.lock_asset, o.locked - keep);
    o.locked = keep;
  }
  if (inst.is_perpetual()) {
    account_.apply_perp_fill(st.position, inst, side, price, q, fill_notional, fee);
  } else {
    account_.apply_spot_fill(inst, side, q, fill_notional, fee);
  }
  o.filled += q;
  o.filled_notional += n;
  o.ts_last_ns = t;
  // Written in the log (every field: the slot holds an older fill), copied once into the answer queue.
  OrderFilled& ev = fill_log_.push_slot();
  ev.instrument = o.req.instrument;
  ev.client_order_id = o.req.client_order_id;
  ev.venue_order_id = o.venue_order_id;
  ev.trade_id = trade_ids_.take();
  ev.side = side;
  ev.last_quantity = q;
  ev.last_price = price;
  ev.fee = fee.amount;
  ev.fee_asset = fee.asset;
  ev.liquidity = liq;
  ev.ts_event_ns = t;
  emit(t, ev);
  if (const std::size_t cap = config_.fill_history_kept; cap > 0 && fill_log_.size() >= 2 * cap) {
    // Trim every `cap` fills, at least `cap` always kept: the ring drops its oldest in one step.
    fill_log_.drop_front(fill_log_.size() - cap);
  }
  ++stats_.fills;
  if (o.remaining().is_zero()) {
    finish(o, OrderStatus::Filled, t);
  } else {
    o.status = OrderStatus::PartiallyFilled;
  }
  if (inst.is_perpetual() && st.position.quantity.is_zero()) {
    // Flat: reduce-only orders can no longer reduce anything; the venue expires them.
    auto expire_ro = [&](std::uint32_t idx) {
      SimOrder& other = orders_[idx];
      if (other.phase == OrderPhase::Done || !other.req.reduce_only) return;
      expire(other, t);
    };
    for (const auto& r : st.bids) expire_ro(r.order);
    for (const auto& r : st.asks) expire_ro(r.order);
    for (auto i : st.stops) expire_ro(i);
    for (auto i : st.candle) expire_ro(i);
  }
  return q;
}

void SimulatedVenue::expire(SimOrder& o, UnixNanos t) {
  if (o.phase == OrderPhase::Done) return;
  finish(o, OrderStatus::Expired, t);
  ++stats_.expiries;
  emit(t, OrderExpired{o.req.instrument, o.req.client_order_id, o.venue_order_id, t});
}

// --- Cancels ---------------------------------------------------------------------------------------------

void SimulatedVenue::on_cancel_arrival(const Inbound& msg) {
  const CancelRequest& c = msg.cancel;
  const UnixNanos t = msg.at;
  SimOrder* o = nullptr;
  std::uint32_t i = SlotIndex::npos;
  if (!c.client_order_id.empty()) {
    i = find_client(c.client_order_id);
  } else if (!c.venue_order_id.empty()) {
    i = find_venue(c.venue_order_id);
  }
  if (i != SlotIndex::npos) o = &orders_[i];
  if (o == nullptr || o->phase == OrderPhase::Done || !(o->req.instrument == c.instrument)) {
    // Unknown, or already filled/canceled: the cancel lost the race.
    ++stats_.cancel_rejects;
    emit(t, OrderCancelRejected{c.instrument, c.client_order_id,
                                venue_error(c.instrument.venue, c.instrument.kind, RejectKind::CancelUnknownOrder), t});
    return;
  }
  finish(*o, OrderStatus::Canceled, t);
  ++stats_.cancels;
  emit(t, OrderCanceled{o->req.instrument, o->req.client_order_id, o->venue_order_id, t});
}

void SimulatedVenue::on_cancel_all_arrival(const Inbound& msg) {
  const UnixNanos t = msg.at;
  std::vector<std::uint32_t> victims;
  for (std::uint32_t i = 0; i < orders_.size(); ++i) {
    const SimOrder& o = orders_[i];
    if (o.phase == OrderPhase::Done || o.req.client_order_id.empty()) continue;
    if (msg.instrument && !(o.req.instrument == *msg.instrument)) continue;
    victims.push_back(i);
  }
  std::sort(victims.begin(), victims.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& va = orders_[a].venue_order_id;
    const auto& vb = orders_[b].venue_order_id;
    return va.size() != vb.size() ? va.size() < vb.size() : va < vb;
  });
  for (auto i : victims) {
    SimOrder& o = orders_[i];
    finish(o, OrderStatus::Canceled, t);
    ++stats_.cancels;
    emit(t, OrderCanceled{o.req.instrument, o.req.client_order_id, o.venue_order_id, t});
  }
}

}  // namespace tradingd::sim
