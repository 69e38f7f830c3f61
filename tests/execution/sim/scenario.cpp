// Scenario DSL implementation (see scenario.h).
#include "tests/execution/sim/scenario.h"

#include <sstream>

namespace tradingd::sim::test {
namespace {
Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }
}  // namespace

Instrument spot_instrument(Venue venue) {
  Instrument i;
  i.id = InstrumentId{venue, MarketKind::Spot, Symbol::from(venue == Venue::Okx ? "BTC-USDT" : "BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = P("0.01");
  i.step_size = Q("0.001");
  i.min_quantity = Q("0.001");
  i.min_notional = Money::from_string("5");
  return i;
}

Instrument perp_instrument(Venue venue) {
  Instrument i;
  i.id = InstrumentId{venue, MarketKind::LinearPerp, Symbol::from(venue == Venue::Okx ? "BTC-USDT-SWAP" : "BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = P("0.1");
  i.step_size = Q("0.001");
  i.min_quantity = Q("0.001");
  i.min_notional = Money::from_string("5");
  i.max_leverage = 20;
  return i;
}

SimVenueConfig default_config(const Instrument& inst) {
  SimVenueConfig c;
  c.venue = inst.id.venue;
  c.seed = 7;
  c.starting_balances = {{Asset::from("USDT"), Money::from_units(100'000)}, {Asset::from("BTC"), Money::from_units(10)}};
  SimInstrumentConfig ic;
  ic.instrument = inst;
  c.instruments.push_back(ic);
  return c;
}

std::string format_ms(UnixNanos ns) {
  std::string s = std::to_string(ns / kNanosPerMilli);
  const std::int64_t rem = ns % kNanosPerMilli;
  if (rem != 0) {
    std::string frac = std::to_string(rem + kNanosPerMilli).substr(1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s;
}

std::string render_event(const VenueEvent& e) {
  std::ostringstream os;
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, OrderAccepted>) os << "accepted " << ev.client_order_id;
        else if constexpr (std::is_same_v<T, OrderRejected>)
          os << "rejected " << ev.client_order_id << ' ' << to_string(ev.error.reason) << ' ' << ev.error.code;
        else if constexpr (std::is_same_v<T, OrderCanceled>) os << "canceled " << ev.client_order_id;
        else if constexpr (std::is_same_v<T, OrderCancelRejected>)
          os << "cancel_rejected " << ev.client_order_id << ' ' << to_string(ev.error.reason) << ' ' << ev.error.code;
        else if constexpr (std::is_same_v<T, OrderExpired>) os << "expired " << ev.client_order_id;
        else if constexpr (std::is_same_v<T, OrderTriggered>) os << "triggered " << ev.client_order_id;
        else if constexpr (std::is_same_v<T, OrderFilled>)
          os << "filled " << ev.client_order_id << ' ' << to_string(ev.side) << ' ' << ev.last_quantity << '@'
             << ev.last_price << ' ' << to_string(ev.liquidity);
        else if constexpr (std::is_same_v<T, OrderSubmitUnknown>) os << "submit_unknown " << ev.client_order_id;
        else if constexpr (std::is_same_v<T, AccountReport>) os << "account";
        else os << "connection";
      },
      e);
  return os.str();
}

Scenario::Scenario(SimVenueConfig cfg)
    : clock(0), id(cfg.instruments.front().instrument.id), venue_(std::move(cfg), clock), sink_(clock) {
  venue_.set_event_sink(&sink_);
}

Scenario& Scenario::at(std::int64_t ms) { return at_ns(ms * kNanosPerMilli); }
Scenario& Scenario::at_ns(UnixNanos t) {
  run_until(clock, venue_, t);
  return *this;
}

Scenario& Scenario::book(std::initializer_list<Lvl> bids, std::initializer_list<Lvl> asks) {
  std::vector<BookLevel> b, a;
  for (const auto& l : bids) b.push_back({P(l.price), Q(l.size)});
  for (const auto& l : asks) a.push_back({P(l.price), Q(l.size)});
  BookUpdate u;
  u.instrument = id;
  u.is_snapshot = true;
  u.bids = b;
  u.asks = a;
  u.sequence = ++book_seq_;
  u.ts_event_ns = u.ts_recv_ns = clock.now_ns();
  venue_.on_book(u);
  return *this;
}

Scenario& Scenario::bid(const char* price, const char* size) {
  const BookLevel l{P(price), Q(size)};
  BookUpdate u;
  u.instrument = id;
  u.bids = std::span<const BookLevel>(&l, 1);
  u.sequence = ++book_seq_;
  u.ts_event_ns = u.ts_recv_ns = clock.now_ns();
  venue_.on_book(u);
  return *this;
}

Scenario& Scenario::ask(const char* price, const char* size) {
  const BookLevel l{P(price), Q(size)};
  BookUpdate u;
  u.instrument = id;
  u.asks = std::span<const BookLevel>(&l, 1);
  u.sequence = ++book_seq_;
  u.ts_event_ns = u.ts_recv_ns = clock.now_ns();
  venue_.on_book(u);
  return *this;
}

Scenario& Scenario::trade(const char* price, const char* size, Side aggressor) {
  TradeTick t;
  t.instrument = id;
  t.price = P(price);
  t.size = Q(size);
  t.aggressor = aggressor;
  t.ts_event_ns = t.ts_recv_ns = clock.now_ns();
  venue_.on_trade(t);
  return *this;
}

Scenario& Scenario::quote(const char* bid, const char* bid_size, const char* ask, const char* ask_size) {
  QuoteTick q;
  q.instrument = id;
  q.bid_price = P(bid);
  q.bid_size = Q(bid_size);
  q.ask_price = P(ask);
  q.ask_size = Q(ask_size);
  q.ts_event_ns = q.ts_recv_ns = clock.now_ns();
  venue_.on_quote(q);
  return *this;
}

Scenario& Scenario::mark(const char* price) {
  MarkPriceUpdate m;
  m.instrument = id;
  m.mark_price = P(price);
  m.index_price = P(price);
  m.ts_event_ns = m.ts_recv_ns = clock.now_ns();
  venue_.on_mark_price(m);
  return *this;
}

Scenario& Scenario::bar(std::int64_t open_s, const char* o, const char* h, const char* l, const char* c, const char* v) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = open_s * kNanosPerSecond;
  b.open = P(o);
  b.high = P(h);
  b.low = P(l);
  b.close = P(c);
  b.volume = Q(v);
  b.closed = true;
  at_ns(b.ts_close_ns());
  b.ts_recv_ns = clock.now_ns();
  venue_.on_bar(b);
  return *this;
}

Scenario& Scenario::submit(const OrderRequest& r) {
  venue_.submit(r);
  return *this;
}

namespace {
OrderRequest request(const InstrumentId& id, const char* cid, Side side, OrderType type, const char* qty,
                     TimeInForce tif, bool reduce_only) {
  OrderRequest r;
  r.client_order_id = ClientOrderId::from(cid);
  r.instrument = id;
  r.side = side;
  r.type = type;
  r.time_in_force = tif;
  r.quantity = Q(qty);
  r.reduce_only = reduce_only;
  return r;
}
}  // namespace

Scenario& Scenario::market(const char* cid, Side side, const char* qty, TimeInForce tif, bool reduce_only) {
  return submit(request(id, cid, side, OrderType::Market, qty, tif, reduce_only));
}

Scenario& Scenario::limit(const char* cid, Side side, const char* qty, const char* price, TimeInForce tif,
                          bool reduce_only) {
  auto r = request(id, cid, side, OrderType::Limit, qty, tif, reduce_only);
  r.price = P(price);
  return submit(r);
}

Scenario& Scenario::stop_market(const char* cid, Side side, const char* qty, const char* trigger, bool reduce_only) {
  auto r = request(id, cid, side, OrderType::StopMarket, qty, TimeInForce::Gtc, reduce_only);
  r.trigger_price = P(trigger);
  return submit(r);
}

Scenario& Scenario::stop_limit(const char* cid, Side side, const char* qty, const char* trigger, const char* price,
                               TimeInForce tif, bool reduce_only) {
  auto r = request(id, cid, side, OrderType::StopLimit, qty, tif, reduce_only);
  r.trigger_price = P(trigger);
  r.price = P(price);
  return submit(r);
}

Scenario& Scenario::cancel(const char* cid) {
  CancelRequest c;
  c.instrument = id;
  c.client_order_id = ClientOrderId::from(cid);
  venue_.cancel(c);
  return *this;
}

Scenario& Scenario::cancel_all() {
  venue_.cancel_all(id);
  return *this;
}

std::string Scenario::fills() const {
  std::string out;
  for (const auto& f : venue_.fill_log()) {
    out += format_ms(f.ts_event_ns) + ' ' + f.client_order_id.str() + ' ' + std::string(to_string(f.side)) + ' ' +
           f.last_quantity.to_string() + '@' + f.last_price.to_string() + " fee=" + f.fee.to_string() + ' ' +
           f.fee_asset.str() + ' ' + std::string(to_string(f.liquidity)) + '\n';
  }
  return out;
}

std::string Scenario::events() const {
  std::string out;
  for (const auto& [t, e] : sink_.events) out += format_ms(t) + ' ' + render_event(e) + '\n';
  return out;
}

std::string Scenario::events_of(std::string_view kind) const {
  std::string out;
  for (const auto& [t, e] : sink_.events) {
    const std::string r = render_event(e);
    if (r.compare(0, kind.size(), kind) == 0 && r.size() > kind.size() && r[kind.size()] == ' ')
      out += format_ms(t) + ' ' + r + '\n';
  }
  return out;
}

Money Scenario::free(const char* asset) const {
  for (const auto& b : venue_.account_now().balances)
    if (b.asset.view() == asset) return b.free;
  return Money::zero();
}

Money Scenario::locked(const char* asset) const {
  for (const auto& b : venue_.account_now().balances)
    if (b.asset.view() == asset) return b.locked;
  return Money::zero();
}

}  // namespace tradingd::sim::test
