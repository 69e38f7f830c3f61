#include "exchange/emulator/account.h"

#include <algorithm>

#include "execution/sim/sim_config.h"
#include "execution/sim/simulated_venue.h"

namespace tradingd::emulator {

namespace {

std::string key_of(const InstrumentId& id) { return id.to_string(); }

}  // namespace

class EmulatedAccount::Sink final : public VenueEventSink {
 public:
  void on_venue_event(const VenueEvent& event) override { pending.push_back(event); }
  std::vector<VenueEvent> pending;
};

Instrument to_instrument(const InstrumentSpec& spec) {
  Instrument i;
  i.id = InstrumentId{spec.venue, spec.kind, Symbol::from(spec.symbol)};
  i.base = Asset::from(spec.base);
  i.quote = Asset::from(spec.quote);
  i.settle = Asset::from(spec.settle.empty() ? spec.quote : spec.settle);
  i.tick_size = spec.tick_size;
  i.step_size = spec.step_size;
  i.min_quantity = spec.min_qty;
  i.max_quantity = spec.max_qty;
  i.min_notional = spec.min_notional;
  i.contract_multiplier = spec.contract_value;
  i.max_leverage = std::max(1, spec.max_leverage);
  return i;
}

EmulatedAccount::EmulatedAccount(Venue venue, const std::vector<InstrumentSpec>& specs, const AccountOptions& options)
    : venue_(venue), options_(options), sink_(std::make_unique<Sink>()) {
  sim::SimVenueConfig cfg;
  cfg.venue = venue;
  cfg.seed = 1;
  for (const auto& [asset, amount] : options.balances) cfg.starting_balances.emplace_back(Asset::from(asset), amount);
  for (const auto& spec : specs) {
    if (spec.venue != venue) continue;
    Instrument inst = to_instrument(spec);
    instruments_.push_back(inst);
    sim::SimInstrumentConfig sc;
    sc.instrument = inst;
    sc.leverage = 1;
    cfg.instruments.push_back(sc);
    leverage_[key_of(inst.id)] = 1;
  }
  engine_ = std::make_unique<sim::SimulatedVenue>(std::move(cfg), clock_);
  engine_->set_event_sink(sink_.get());
}

EmulatedAccount::~EmulatedAccount() = default;

std::vector<VenueEvent> EmulatedAccount::run(std::int64_t now_ms) {
  clock_.set_ns(now_ms * kNanosPerMilli);
  // Zero latency: arrivals and answers are both due now; two passes let answers queued by arrivals go out.
  engine_->advance_to(clock_.now_ns());
  engine_->advance_to(clock_.now_ns());
  std::vector<VenueEvent> out;
  out.swap(sink_->pending);
  for (const auto& e : out) {
    if (const auto* acc = std::get_if<OrderAccepted>(&e)) {
      by_venue_id_[std::string(acc->venue_order_id.view())] = acc->client_order_id;
    }
  }
  return out;
}

void EmulatedAccount::append(const std::vector<VenueEvent>& events, std::int64_t now_ms) {
  for (const auto& e : events) {
    log_.push_back(AccountEvent{next_seq_++, now_ms, e});
    if (log_.size() > kMaxLog) log_.pop_front();
  }
}

void EmulatedAccount::on_market(const MarketSim& market, const TickEvents& events) {
  const InstrumentId id{market.spec().venue, market.spec().kind, Symbol::from(market.spec().symbol)};
  if (rules(id) == nullptr) return;
  clock_.set_ns(events.ts_ms * kNanosPerMilli);
  const UnixNanos now = clock_.now_ns();
  auto& seeded = seeded_[key_of(id)];
  std::vector<tradingd::BookLevel> bids, asks;
  if (!seeded) {
    for (const auto& l : market.bids()) bids.push_back({l.price, l.qty});
    for (const auto& l : market.asks()) asks.push_back({l.price, l.qty});
  } else {
    for (const auto& c : events.changes) (c.is_bid ? bids : asks).push_back({c.price, c.qty});
  }
  if (!seeded || !bids.empty() || !asks.empty()) {
    BookUpdate u;
    u.instrument = id;
    u.is_snapshot = !seeded;
    u.bids = bids;
    u.asks = asks;
    u.sequence = static_cast<std::uint64_t>(std::max<std::int64_t>(0, market.update_id()));
    u.ts_event_ns = now;
    u.ts_recv_ns = now;
    engine_->on_book(u);
    seeded = true;
  }
  for (const auto& t : events.trades) {
    TradeTick tick;
    tick.instrument = id;
    tick.price = t.price;
    tick.size = t.qty;
    tick.aggressor = t.taker_is_buy ? Side::Buy : Side::Sell;
    tick.trade_id = TradeId::from(std::to_string(t.id));
    tick.ts_event_ns = t.ts_ms * kNanosPerMilli;
    tick.ts_recv_ns = now;
    engine_->on_trade(tick);
  }
  if (market.spec().kind == MarketKind::LinearPerp && market.mark_price().is_positive()) {
    MarkPriceUpdate m;
    m.instrument = id;
    m.mark_price = market.mark_price();
    m.ts_event_ns = now;
    engine_->on_mark_price(m);
  }
  append(run(events.ts_ms), events.ts_ms);
}

std::vector<VenueEvent> EmulatedAccount::submit(const OrderRequest& request, std::int64_t now_ms) {
  clock_.set_ns(now_ms * kNanosPerMilli);
  engine_->submit(request);
  auto events = run(now_ms);
  append(events, now_ms);
  return events;
}

std::vector<VenueEvent> EmulatedAccount::cancel(const InstrumentId& instrument, const ClientOrderId& id,
                                                std::int64_t now_ms) {
  clock_.set_ns(now_ms * kNanosPerMilli);
  CancelRequest c;
  c.instrument = instrument;
  c.client_order_id = id;
  if (auto r = engine_->order_report(id)) c.venue_order_id = r->venue_order_id;
  engine_->cancel(c);
  auto events = run(now_ms);
  append(events, now_ms);
  return events;
}

std::vector<VenueEvent> EmulatedAccount::cancel_all(const std::optional<InstrumentId>& instrument,
                                                    std::int64_t now_ms) {
  clock_.set_ns(now_ms * kNanosPerMilli);
  engine_->cancel_all(instrument);
  auto events = run(now_ms);
  append(events, now_ms);
  return events;
}

std::optional<OrderStatusReport> EmulatedAccount::order(const ClientOrderId& id) const {
  return engine_->order_report(id);
}

std::optional<OrderStatusReport> EmulatedAccount::order_by_venue_id(const VenueOrderId& id) const {
  const auto it = by_venue_id_.find(id.view());
  if (it == by_venue_id_.end()) return std::nullopt;
  return engine_->order_report(it->second);
}

std::vector<OrderStatusReport> EmulatedAccount::open_orders(const std::optional<InstrumentId>& instrument) const {
  std::vector<OrderStatusReport> out;
  // The engine answers through a callback; with zero latency it is the engine's current state.
  engine_->open_orders(instrument, [&out](Result<std::vector<OrderStatusReport>, VenueError> r) {
    if (r) out = std::move(*r);
  });
  return out;
}

std::vector<OrderFilled> EmulatedAccount::fills(const std::optional<InstrumentId>& instrument,
                                                std::int64_t since_ms) const {
  std::vector<OrderFilled> out;
  for (const auto& f : engine_->fill_log()) {
    if (instrument && f.instrument != *instrument) continue;
    if (f.ts_event_ns < since_ms * kNanosPerMilli) continue;
    out.push_back(f);
  }
  return out;
}

AccountReport EmulatedAccount::account() const { return engine_->account_now(); }

int EmulatedAccount::leverage(const InstrumentId& instrument) const {
  const auto it = leverage_.find(key_of(instrument));
  return it == leverage_.end() ? 1 : it->second;
}

bool EmulatedAccount::set_leverage(const InstrumentId& instrument, int leverage, std::int64_t now_ms) {
  const Instrument* r = rules(instrument);
  if (r == nullptr || leverage < 1 || leverage > r->max_leverage) return false;
  clock_.set_ns(now_ms * kNanosPerMilli);
  bool ok = false;
  engine_->set_leverage(instrument, leverage, [&ok](Result<int, VenueError> res) { ok = res.ok(); });
  (void)run(now_ms);
  if (ok) leverage_[key_of(instrument)] = leverage;
  return ok;
}

std::optional<InstrumentId> EmulatedAccount::instrument(MarketKind kind, std::string_view symbol) const {
  for (const auto& i : instruments_) {
    if (i.id.kind == kind && i.id.symbol.view() == symbol) return i.id;
  }
  return std::nullopt;
}

const Instrument* EmulatedAccount::rules(const InstrumentId& id) const {
  for (const auto& i : instruments_) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

std::vector<AccountEvent> EmulatedAccount::events_since(std::uint64_t after_seq) const {
  std::vector<AccountEvent> out;
  for (const auto& e : log_) {
    if (e.seq > after_seq) out.push_back(e);
  }
  return out;
}

void EmulatedAccount::duplicate_last_fill(std::int64_t now_ms) {
  for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
    if (std::holds_alternative<OrderFilled>(it->event)) {
      const VenueEvent copy = it->event;
      append({copy}, now_ms);
      return;
    }
  }
}

}  // namespace tradingd::emulator
