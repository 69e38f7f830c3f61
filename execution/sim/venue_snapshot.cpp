// SimulatedVenue state <-> SimVenueSnapshot. restore() rebuilds every list from the open orders (sorted as
// the engine keeps them) so a restored venue matches exactly like the one the snapshot was taken from,
// given the same market data from then on (books excepted: they come back with the feed's next snapshot).
#include <algorithm>

#include "execution/sim/decimal_id.h"
#include "execution/sim/simulated_venue.h"

namespace tradingd::sim {

SimVenueSnapshot SimulatedVenue::snapshot() const {
  SimVenueSnapshot s;
  s.venue = config_.venue;
  s.rng = rng_.state();
  s.next_order_number = order_ids_.next();
  s.next_trade_number = trade_ids_.next();
  s.next_message_seq = next_message_seq_;
  s.next_order_seq = next_order_seq_;
  s.last_request_arrival_ns = last_request_arrival_ns_;
  s.last_response_ns = last_response_ns_;
  s.now_ns = now_ns_;
  for (const auto& [asset, b] : account_.raw()) s.balances.emplace_back(asset, b);
  for (const auto& st : instruments_) {
    SimInstrumentSnapshot i;
    i.id = st.inst().id;
    i.last_price = st.last_price;
    i.mark_price = st.mark_price;
    i.last_close = st.last_close;
    i.vol_variance = st.vol.variance();
    i.vol_last_raw = st.vol.last_raw();
    i.has_trade = st.has_trade;
    i.has_bars = st.has_bars;
    i.position = st.position;
    s.instruments.push_back(i);
  }
  std::vector<const SimOrder*> open;
  for (std::uint32_t i = 0; i < orders_.size(); ++i)
    if (const SimOrder& o = orders_[i]; o.phase != OrderPhase::Done && !o.req.client_order_id.empty()) open.push_back(&o);
  std::sort(open.begin(), open.end(), [](const SimOrder* a, const SimOrder* b) { return a->seq < b->seq; });
  for (const SimOrder* o : open) {
    SimOrderSnapshot x;
    x.request = o->req;
    x.venue_order_id = o->venue_order_id;
    x.seq = o->seq;
    x.status = o->status;
    x.phase = o->phase;
    x.triggered = o->triggered;
    x.candle_mode = o->candle_mode;
    x.candle_fresh = o->candle_fresh;
    x.marketable_on_arrival = o->marketable_on_arrival;
    x.filled = o->filled;
    x.filled_notional = o->filled_notional;
    x.queue = o->queue;
    x.lock_asset = o->lock_asset;
    x.locked = o->locked;
    x.ts_sent_ns = o->ts_sent_ns;
    x.ts_arrived_ns = o->ts_arrived_ns;
    x.ts_last_ns = o->ts_last_ns;
    s.orders.push_back(x);
  }
  for (std::size_t k = 0; k < inbound_.size(); ++k) {
    const Inbound& m = inbound_[k];
    SimPendingSnapshot p;
    p.kind = m.kind;
    p.at_ns = m.at;
    p.sent_ns = m.sent;
    p.seq = m.seq;
    p.order = m.order;
    p.cancel = m.cancel;
    p.instrument = m.instrument;
    s.pending.push_back(p);
  }
  const std::size_t keep = std::min(fill_log_.size(), config_.snapshot_fill_history);
  s.recent_fills.reserve(keep);
  for (std::size_t k = fill_log_.size() - keep; k < fill_log_.size(); ++k) s.recent_fills.push_back(fill_log_[k]);
  return s;
}

Result<bool, std::string> SimulatedVenue::restore(const SimVenueSnapshot& s) {
  try {
    if (s.venue != config_.venue) return Err{std::string("snapshot is for venue ") + std::string(to_string(s.venue))};
    for (const auto& i : s.instruments)
      if (find_instrument(i.id) < 0) return Err{"snapshot instrument not configured: " + i.id.to_string()};
    for (const auto& o : s.orders) {
      if (find_instrument(o.request.instrument) < 0)
        return Err{"snapshot order for an unknown instrument: " + o.request.instrument.to_string()};
      if (o.phase == OrderPhase::Done) return Err{"snapshot holds a finished order: " + o.request.client_order_id.str()};
      if ((o.phase == OrderPhase::Resting || o.request.type == OrderType::Limit) && !o.request.price)
        return Err{"snapshot limit order without a price: " + o.request.client_order_id.str()};
    }
    rng_.set_state(s.rng);
    order_ids_.reset(s.next_order_number);
    trade_ids_.reset(s.next_trade_number);
    next_message_seq_ = s.next_message_seq;
    next_order_seq_ = s.next_order_seq;
    last_request_arrival_ns_ = s.last_request_arrival_ns;
    last_response_ns_ = s.last_response_ns;
    now_ns_ = s.now_ns;
    account_ = SimAccount{};
    for (const auto& [asset, b] : s.balances) account_.set_raw(asset, b);
    for (auto& st : instruments_) {
      st.book.clear();
      st.consumed.clear();
      st.has_depth = st.has_quote = st.has_trade = st.has_bars = false;
      st.last_price.reset();
      st.mark_price.reset();
      st.last_close.reset();
      st.vol = VolatilityEstimator{};
      st.bids.clear();
      st.asks.clear();
      st.stops.clear();
      st.candle.clear();
      st.position = SimPosition{};
      st.position.leverage = std::max(1, st.cfg.leverage);
      st.lists_dirty = false;
    }
    for (const auto& i : s.instruments) {
      InstrumentState& st = instruments_[static_cast<std::size_t>(find_instrument(i.id))];
      st.last_price = i.last_price;
      st.mark_price = i.mark_price;
      st.last_close = i.last_close;
      st.vol.restore(i.vol_variance, i.vol_last_raw);
      st.has_trade = i.has_trade;
      st.has_bars = i.has_bars;
      st.position = i.position;
    }
    orders_.clear();
    free_slots_.clear();
    terminal_.clear();
    by_client_id_.clear();
    by_venue_number_.clear();
    inbound_.clear();
    outbound_.clear();
    next_due_ = kIdle;
    busy_ &= static_cast<std::uint8_t>(~kHousekeeping);
    for (const auto& x : s.orders) {
      const auto ii = static_cast<std::uint32_t>(find_instrument(x.request.instrument));
      const std::uint32_t idx = orders_.size();
      SimOrder& o = orders_.add();
      o.slot = idx;
      o.req = x.request;
      o.venue_order_id = x.venue_order_id;
      o.number = decimal_id_number(x.venue_order_id.view());
      o.seq = x.seq;
      o.instrument = ii;
      o.status = x.status;
      o.phase = x.phase;
      o.triggered = x.triggered;
      o.candle_mode = x.candle_mode;
      o.candle_fresh = x.candle_fresh;
      o.marketable_on_arrival = x.marketable_on_arrival;
      o.filled = x.filled;
      o.filled_notional = x.filled_notional;
      o.queue = x.queue;
      o.lock_asset = x.lock_asset;
      o.locked = x.locked;
      o.ts_sent_ns = x.ts_sent_ns;
      o.ts_arrived_ns = x.ts_arrived_ns;
      o.ts_last_ns = x.ts_last_ns;
      index_order(idx, hash_text(o.req.client_order_id.view()));
      InstrumentState& st = instruments_[ii];
      if (o.candle_mode) {
        st.candle.push_back(idx);
      } else if (o.phase == OrderPhase::AwaitingTrigger) {
        st.stops.push_back(idx);
      } else if (o.phase == OrderPhase::Resting) {
        auto& list = o.req.side == Side::Buy ? st.bids : st.asks;
        list.push_back(RestingRef{*o.req.price, o.seq, idx});
      }
    }
    for (auto& st : instruments_) {
      for (Side side : {Side::Buy, Side::Sell}) {
        auto& list = side == Side::Buy ? st.bids : st.asks;
        std::sort(list.begin(), list.end(), [side](const RestingRef& a, const RestingRef& b) {
          if (a.price != b.price) return better_price(side, a.price, b.price);
          return a.seq < b.seq;
        });
      }
    }
    for (const auto& p : s.pending) {
      Inbound m;
      m.kind = p.kind;
      m.at = p.at_ns;
      m.sent = p.sent_ns;
      m.seq = p.seq;
      m.order = p.order;
      m.cancel = p.cancel;
      m.instrument = p.instrument;
      inbound_.push_back(std::move(m));
    }
    refresh_next_due();
    fill_log_.clear();
    for (const auto& f : s.recent_fills) fill_log_.push_back(f);
    return true;
  } catch (const std::exception& e) {
    note_error("restore", e);
    return Err{std::string("restore failed: ") + e.what()};
  }
}

}  // namespace tradingd::sim
