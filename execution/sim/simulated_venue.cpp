// SimulatedVenue core: construction, the request/response queues in simulated time, order storage and
// retention, and the synchronous queries. Matching lives in venue_orders.cpp, venue_market.cpp and
// venue_candle.cpp; snapshots in venue_snapshot.cpp.
#include "execution/sim/simulated_venue.h"

#include <algorithm>
#include <exception>

#include "execution/sim/decimal_id.h"
#include "execution/sim/fill_log.h"

namespace tradingd::sim {
SimulatedVenue::SimulatedVenue(SimVenueConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock), latency_(config_.latency), rng_(config_.seed) {
  for (const auto& [asset, amount] : config_.starting_balances) account_.credit(asset, amount);
  instruments_.reserve(config_.instruments.size());
  for (const auto& ic : config_.instruments) {
    InstrumentState st;
    st.cfg = ic;
    const Instrument& inst = ic.instrument;
    const FeeRates base = default_fee_rates(inst.id.venue, inst.id.kind);
    const bool inst_has_fees = !inst.maker_fee.is_zero() || !inst.taker_fee.is_zero();
    st.fees.maker = ic.maker_fee ? *ic.maker_fee : inst_has_fees ? inst.maker_fee : base.maker;
    st.fees.taker = ic.taker_fee ? *ic.taker_fee : inst_has_fees ? inst.taker_fee : base.taker;
    st.slippage = ic.slippage.value_or(config_.slippage);
    st.participation_pct = ic.candle_participation_pct.value_or(config_.candle_participation_pct);
    st.book = OrderBook(inst.id);
    st.position.leverage = std::max(1, ic.leverage);
    instruments_.push_back(std::move(st));
  }
  now_ns_ = clock_.now_ns();
  slices_.reserve(64);
  by_client_id_.reserve(kIndexJumpOrders);
  by_venue_number_.reserve(kIndexJumpOrders);
}

VenueCapabilities SimulatedVenue::capabilities() const {
  VenueCapabilities c;
  c.native_stop_orders = true;
  c.native_sl_tp = false;
  c.cancel_all = true;
  c.dead_man_switch = false;
  c.amend = false;
  return c;
}

int SimulatedVenue::search_instrument(const InstrumentId& id) const {
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (instruments_[i].inst().id == id) {
      last_instrument_ = static_cast<int>(i);
      return last_instrument_;
    }
  }
  return -1;
}

void SimulatedVenue::note_error(const char* where, const std::exception& e) {
  ++stats_.internal_errors;
  stats_.last_error = std::string(where) + ": " + e.what();
}

// --- Requests in -----------------------------------------------------------------------------------------

// --- Indexes ---------------------------------------------------------------------------------------------

std::uint32_t SimulatedVenue::find_client(const ClientOrderId& id, std::uint64_t hash) const {
  return by_client_id_.find(hash, [&](std::uint32_t i) { return orders_[i].req.client_order_id == id; });
}

std::uint32_t SimulatedVenue::find_venue(const VenueOrderId& id) const {
  if (const std::uint64_t n = decimal_id_number(id.view()); n != 0)
    return by_venue_number_.find(hash_number(n), [&](std::uint32_t i) { return orders_[i].number == n; });
  // Not one of our numbers (a restored snapshot may hold any text): the rare slow way.
  for (std::uint32_t i = 0; i < orders_.size(); ++i) {
    const SimOrder& o = orders_[i];
    if (o.number == 0 && !o.req.client_order_id.empty() && o.venue_order_id == id) return i;
  }
  return SlotIndex::npos;
}

void SimulatedVenue::index_order(std::uint32_t idx, std::uint64_t client_hash) {
  const SimOrder& o = orders_[idx];
  const ClientOrderId& cid = o.req.client_order_id;
  by_client_id_.assign(client_hash, idx, [&](std::uint32_t i) { return orders_[i].req.client_order_id == cid; });
  if (const std::uint64_t n = o.number; n != 0)
    by_venue_number_.assign(hash_number(n), idx, [&](std::uint32_t i) { return orders_[i].number == n; });
}

void SimulatedVenue::unindex_order(std::uint32_t idx) {
  const SimOrder& o = orders_[idx];
  by_client_id_.erase(hash_text(o.req.client_order_id.view()), idx);
  if (o.number != 0) by_venue_number_.erase(hash_number(o.number), idx);
}

SimulatedVenue::Inbound& SimulatedVenue::enqueue_request(PendingKind kind) {
  const UnixNanos sent = clock_.now_ns();
  UnixNanos at = sent + latency_.request_ns(rng_);
  // FIFO on one connection, and never into the engine's past.
  at = std::max({at, last_request_arrival_ns_, now_ns_});
  Inbound& m = inbound_.push_slot();
  last_request_arrival_ns_ = at;
  m.kind = kind;
  m.at = at;
  m.sent = sent;
  m.seq = next_message_seq_++;
  next_due_ = std::min(next_due_, at);
  return m;
}

void SimulatedVenue::refresh_next_due() {
  next_due_ = kIdle;
  if (!inbound_.empty()) next_due_ = inbound_.front().at;
  if (!outbound_.empty()) next_due_ = std::min(next_due_, outbound_.front().at);
}

// Each request is written into its queue slot, every field (the slot holds an older request's leftovers,
// and snapshots copy all of them).
void SimulatedVenue::submit(const OrderRequest& request) {
  try {
    Inbound& m = enqueue_request(PendingKind::Submit);
    m.order = request;
    m.cancel = CancelRequest{};
    m.instrument.reset();
  } catch (const std::exception& e) {
    note_error("submit", e);
  }
}

void SimulatedVenue::cancel(const CancelRequest& request) {
  try {
    Inbound& m = enqueue_request(PendingKind::Cancel);
    m.order = OrderRequest{};
    m.cancel = request;
    m.instrument.reset();
  } catch (const std::exception& e) {
    note_error("cancel", e);
  }
}

void SimulatedVenue::cancel_all(const std::optional<InstrumentId>& instrument) {
  try {
    Inbound& m = enqueue_request(PendingKind::CancelAll);
    m.order = OrderRequest{};
    m.cancel = CancelRequest{};
    m.instrument = instrument;
  } catch (const std::exception& e) {
    note_error("cancel_all", e);
  }
}

// --- Simulated time --------------------------------------------------------------------------------------

void SimulatedVenue::process_due(UnixNanos t, bool inclusive) {
  busy_ |= kProcessing;
  auto due = [&](UnixNanos at) { return inclusive ? at <= t : at < t; };
  for (;;) {
    const bool in = !inbound_.empty() && due(inbound_.front().at);
    const bool out = !outbound_.empty() && due(outbound_.front().at);
    if (!in && !out) break;
    bool take_in = in;
    if (in && out) {
      const auto& a = inbound_.front();
      const auto& b = outbound_.front();
      take_in = a.at < b.at || (a.at == b.at && a.seq < b.seq);
    }
    if (take_in) {
      // Handled where it lies: the engine's handlers only emit answers (nothing reaches the sink until
      // the outbound branch below), so no request is queued while this one is read.
      const Inbound& m = inbound_.front();
      now_ns_ = std::max(now_ns_, m.at);
      try {
        handle_inbound(m);
      } catch (const std::exception& e) {
        note_error("request", e);
      }
      inbound_.pop_front();
      refresh_next_due();
    } else {
      // Moved out before delivery: the sink may queue new requests (and so grow the queues) meanwhile.
      Outbound ev = std::move(outbound_.front());
      outbound_.pop_front();
      refresh_next_due();
      if (sink_ != nullptr) {
        try {
          sink_->on_venue_event(ev.event);
        } catch (const std::exception& e) {
          note_error("sink", e);
        }
      }
    }
  }
  busy_ &= static_cast<std::uint8_t>(~kProcessing);
  evict_terminal();
}

void SimulatedVenue::advance_due(UnixNanos now_ns) {
  try {
    process_until(now_ns, true);
    if (!(busy_ & kProcessing)) now_ns_ = std::max(now_ns_, now_ns);
  } catch (const std::exception& e) {
    note_error("advance_to", e);
  }
}

void SimulatedVenue::handle_inbound(const Inbound& msg) {
  switch (msg.kind) {
    case PendingKind::Submit: on_submit_arrival(msg); break;
    case PendingKind::Cancel: on_cancel_arrival(msg); break;
    case PendingKind::CancelAll: on_cancel_all_arrival(msg); break;
  }
}

// --- Order storage ---------------------------------------------------------------------------------------

SimOrder& SimulatedVenue::new_order(const OrderRequest& req, std::uint32_t instrument, UnixNanos sent,
                                    UnixNanos arrived, std::uint64_t client_hash) {
  std::uint32_t idx;
  if (!free_slots_.empty()) {
    idx = free_slots_.back();
    free_slots_.pop_back();
    orders_[idx] = SimOrder{};
  } else {
    idx = orders_.size();
    orders_.add();
    if (idx + 1 == kIndexJumpOrders) reserve_indexes();
  }
  SimOrder& o = orders_[idx];
  o.slot = idx;
  o.req = req;
  o.instrument = instrument;
  o.number = order_ids_.next();
  o.venue_order_id = order_ids_.take();
  o.seq = next_order_seq_++;
  o.ts_sent_ns = sent;
  o.ts_arrived_ns = arrived;
  o.ts_last_ns = arrived;
  index_order(idx, client_hash);
  return o;
}

void SimulatedVenue::reserve_indexes() {
  const std::size_t n = std::min<std::size_t>(config_.max_terminal_orders_kept, kIndexMaxReserved);
  by_client_id_.reserve(n);
  by_venue_number_.reserve(n);
}

void SimulatedVenue::finish(SimOrder& o, OrderStatus status, UnixNanos t) {
  if (o.phase == OrderPhase::Done) return;
  if (o.locked.is_positive()) account_.unlock(o.lock_asset, o.locked);
  o.locked = Money::zero();
  o.status = status;
  o.phase = OrderPhase::Done;
  o.ts_last_ns = t;
  instruments_[o.instrument].lists_dirty = true;
  busy_ |= kHousekeeping;
  terminal_.push_back(index_of(o));
}

void SimulatedVenue::compact_lists(InstrumentState& st) {
  // Most instruments use one or two of the lists (candle mode only the last): empty ones are skipped.
  auto resting = [&](const RestingRef& r) { return orders_[r.order].phase != OrderPhase::Resting; };
  if (!st.bids.empty()) std::erase_if(st.bids, resting);
  if (!st.asks.empty()) std::erase_if(st.asks, resting);
  if (!st.stops.empty())
    std::erase_if(st.stops, [&](std::uint32_t i) { return orders_[i].phase != OrderPhase::AwaitingTrigger; });
  if (!st.candle.empty()) {
    std::erase_if(st.candle, [&](std::uint32_t i) {
      const auto p = orders_[i].phase;
      return p != OrderPhase::Candle && p != OrderPhase::AwaitingTrigger;
    });
  }
  st.lists_dirty = false;
}

void SimulatedVenue::forget_terminal() {
  busy_ &= static_cast<std::uint8_t>(~kHousekeeping);
  for (auto& st : instruments_) compact(st);
  while (terminal_.size() > config_.max_terminal_orders_kept) {
    const std::uint32_t idx = terminal_.front();
    terminal_.pop_front();
    if (orders_[idx].phase != OrderPhase::Done) continue;
    unindex_order(idx);
    free_slots_.push_back(idx);
  }
}

// --- Queries (synchronous: the venue's current state) ----------------------------------------------------

OrderStatusReport SimulatedVenue::report_of(const SimOrder& o) const {
  OrderStatusReport r;
  r.instrument = o.req.instrument;
  r.client_order_id = o.req.client_order_id;
  r.venue_order_id = o.venue_order_id;
  r.side = o.req.side;
  r.type = o.req.type;
  r.time_in_force = o.req.time_in_force;
  r.status = o.status;
  r.quantity = o.req.quantity;
  r.filled_quantity = o.filled;
  r.price = o.req.price;
  if (o.filled.is_positive()) r.avg_fill_price = fixed_div<Price>(o.filled_notional, o.filled, Rounding::Nearest);
  r.reduce_only = o.req.reduce_only;
  r.ts_event_ns = o.ts_last_ns;
  return r;
}

std::optional<OrderStatusReport> SimulatedVenue::order_report(const ClientOrderId& id) const {
  const std::uint32_t i = find_client(id);
  if (i == SlotIndex::npos) return std::nullopt;
  return report_of(orders_[i]);
}

void SimulatedVenue::query_order(const InstrumentId& instrument, const ClientOrderId& id,
                                 VenueCallback<OrderStatusReport> done) {
  try {
    const std::uint32_t i = find_client(id);
    if (i == SlotIndex::npos || !(orders_[i].req.instrument == instrument)) {
      done(Err{venue_error(instrument.venue, instrument.kind, RejectKind::QueryUnknownOrder)});
      return;
    }
    done(report_of(orders_[i]));
  } catch (const std::exception& e) {
    note_error("query_order", e);
  }
}

void SimulatedVenue::open_orders(const std::optional<InstrumentId>& instrument,
                                 VenueCallback<std::vector<OrderStatusReport>> done) {
  try {
    std::vector<const SimOrder*> open;
    for (std::uint32_t i = 0; i < orders_.size(); ++i) {
      const SimOrder& o = orders_[i];
      if (o.phase == OrderPhase::Done || o.req.client_order_id.empty()) continue;
      if (instrument && !(o.req.instrument == *instrument)) continue;
      open.push_back(&o);
    }
    std::sort(open.begin(), open.end(), [](const SimOrder* a, const SimOrder* b) {
      return a->venue_order_id.size() != b->venue_order_id.size() ? a->venue_order_id.size() < b->venue_order_id.size()
                                                                  : a->venue_order_id < b->venue_order_id;
    });
    std::vector<OrderStatusReport> out;
    out.reserve(open.size());
    for (const SimOrder* o : open) out.push_back(report_of(*o));
    done(std::move(out));
  } catch (const std::exception& e) {
    note_error("open_orders", e);
  }
}

void SimulatedVenue::fills_since(const InstrumentId& instrument, UnixNanos since_ns,
                                 VenueCallback<std::vector<OrderFilled>> done) {
  try {
    std::vector<OrderFilled> out;
    for (const auto& f : fill_log_)
      if (f.instrument == instrument && f.ts_event_ns >= since_ns) out.push_back(f);
    done(std::move(out));
  } catch (const std::exception& e) {
    note_error("fills_since", e);
  }
}

AccountReport SimulatedVenue::account_now() const {
  AccountReport r;
  r.venue = config_.venue;
  r.balances = account_.balances();
  for (const auto& st : instruments_) {
    if (!st.inst().is_perpetual() || st.position.quantity.is_zero()) continue;
    r.positions.push_back(PositionReport{st.inst().id, st.position.quantity,
                                         st.position.entry_price(st.inst().contract_multiplier), st.position.leverage});
  }
  r.ts_event_ns = now_ns_;
  return r;
}

void SimulatedVenue::account(VenueCallback<AccountReport> done) {
  try {
    done(account_now());
  } catch (const std::exception& e) {
    note_error("account", e);
  }
}

void SimulatedVenue::set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) {
  try {
    const int ii = find_instrument(instrument);
    if (ii < 0) {
      done(Err{venue_error(instrument.venue, instrument.kind, RejectKind::UnknownInstrument)});
      return;
    }
    InstrumentState& st = instruments_[static_cast<std::size_t>(ii)];
    const int max_lev = std::max(1, st.inst().max_leverage);
    if (!st.inst().is_perpetual() || leverage < 1 || leverage > max_lev) {
      done(Err{venue_error(instrument.venue, instrument.kind, RejectKind::InvalidLeverage)});
      return;
    }
    if (!account_.set_position_leverage(st.position, st.inst(), leverage)) {
      done(Err{venue_error(instrument.venue, instrument.kind, RejectKind::InsufficientBalance)});
      return;
    }
    done(leverage);
  } catch (const std::exception& e) {
    note_error("set_leverage", e);
  }
}

// --- Introspection ---------------------------------------------------------------------------------------

std::string SimulatedVenue::render_fill_log() const { return sim::render_fill_log(fill_log_); }

const OrderBook* SimulatedVenue::book(const InstrumentId& instrument) const {
  const int ii = find_instrument(instrument);
  return ii < 0 ? nullptr : &instruments_[static_cast<std::size_t>(ii)].book;
}

DataMode SimulatedVenue::data_mode(const InstrumentId& instrument) const {
  const int ii = find_instrument(instrument);
  return ii < 0 ? DataMode::None : instruments_[static_cast<std::size_t>(ii)].mode();
}

std::optional<SimPosition> SimulatedVenue::position(const InstrumentId& instrument) const {
  const int ii = find_instrument(instrument);
  if (ii < 0) return std::nullopt;
  return instruments_[static_cast<std::size_t>(ii)].position;
}

void run_until(SimulatedClock& clock, SimulatedVenue& venue, UnixNanos t) {
  while (auto next = venue.next_event_ns()) {
    if (*next > t) break;
    clock.set_ns(*next);
    venue.advance_to(std::max(*next, clock.now_ns()));
  }
  clock.set_ns(t);
  venue.advance_to(clock.now_ns());
}

}  // namespace tradingd::sim
