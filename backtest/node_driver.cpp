// NodeDriver: the backtest's event loop around one TradingNode (see node_driver.h for the time rules).
#include "backtest/node_driver.h"

#include <algorithm>

#include "core/huge_pages.h"

namespace tradingd::backtest {
namespace {

ClientOrderIdCodec backtest_codec() {
  // Fixed prefix: client order ids are part of the outputs, which must not depend on anything but inputs.
  return *ClientOrderIdCodec::make("bt");
}

}  // namespace

// Decoded market data from recorded frames, into the node (and the report's price series).
class NodeDriver::FrameForwarder final : public MarketDataSink {
 public:
  explicit FrameForwarder(NodeDriver& d) : d_(d) {}
  void on_trade(const TradeTick& t) override {
    d_.node_->on_trade(t);
    d_.record_price(t.instrument, d_.clock_.now_ns(), t.price);
  }
  void on_quote(const QuoteTick& q) override { d_.node_->on_quote(q); }
  void on_book(const BookUpdate& u) override { d_.node_->on_book(u); }
  void on_bar(const Bar& b) override {
    d_.node_->on_bar(b);
    if (b.closed) d_.record_price(b.instrument, d_.clock_.now_ns(), b.close);
  }
  void on_mark_price(const MarkPriceUpdate& m) override { d_.node_->on_mark_price(m); }
  void on_funding_rate(const FundingRateUpdate& f) override { d_.node_->on_funding_rate(f); }

 private:
  NodeDriver& d_;
};

NodeDriver::NodeDriver(NodeDriverConfig config)
    : config_(std::move(config)), clock_(config_.start_ns), scheduler_(clock_) {
  results_.currency = config_.currency;
  node_ = std::make_unique<TradingNode>(config_.node, clock_, scheduler_, journal_, nullptr, backtest_codec(),
                                        config_.instruments);
  node_->add_order_listener(*this);
  price_slots_.assign(config_.instruments.size(), PriceSlot{});
  // One equity point per event time at most (plus fills): growing by doubling would copy and fault in
  // every page of a year of minutes several times.
  results_.equity.reserve(static_cast<std::size_t>(config_.expected_events) + 16);
  prefer_huge_pages(results_.equity);
  // Fills and orders are unknown in advance; a guess of one per 16 events avoids most of the regrowth copies.
  results_.fills.reserve(static_cast<std::size_t>(config_.expected_events / 16) + 16);
}

NodeDriver::~NodeDriver() = default;

void NodeDriver::on_frame(const HistoricalEvent& event, const RawFrame& frame) {
  if (!frames_) {
    forwarder_ = std::make_unique<FrameForwarder>(*this);
    std::vector<InstrumentId> ids;
    for (const auto& i : config_.instruments) ids.push_back(i.id);
    frames_ = std::make_unique<FrameFeed>(std::move(ids), *forwarder_);
  }
  const MarketKind kind =
      event.source < config_.source_kinds.size() ? config_.source_kinds[event.source] : MarketKind::Spot;
  frames_->on_frame(frame.venue, kind, frame.text, event.ts_ns);
}

Result<bool, std::string> NodeDriver::start() {
  // Shared with the callback: it may only run after this returns (a start-up slower than max_startup_ns).
  auto why = std::make_shared<std::string>();
  auto started = node_->start(JournalSnapshot{}, [why](const ReconcileReport& r) {
    if (!r.ok_to_trade()) *why = "reconciliation against the simulated venues failed";
  });
  if (!started) return Err("trading node: " + started.error());
  // Reconciliation asks the simulated venues for open orders: their answers take the configured latency.
  const UnixNanos deadline = clock_.now_ns() + config_.max_startup_ns;
  while (node_->state() == NodeState::Reconciling && clock_.now_ns() < deadline) {
    UnixNanos next = deadline;
    for (const auto& sv : node_->sim_venues()) {
      if (auto t = sv->next_event_ns(); t && *t < next) next = std::max(*t, clock_.now_ns());
    }
    // Timers too: the node's tick polls the venues.
    next = std::min(next, clock_.now_ns() + config_.node.timer_interval_ms * kNanosPerMilli);
    next = std::max(next, clock_.now_ns() + 1);  // always progress towards the deadline
    clock_.set_ns(next);
    for (const auto& sv : node_->sim_venues()) sv->advance_to(next);
    scheduler_.run_due();
  }
  if (node_->state() != NodeState::Ready) {
    return Err(why->empty() ? "trading node not ready after start-up (state " +
                                  std::string(to_string(node_->state())) + ")"
                            : *why);
  }
  // No sample here: the curve starts with the first event, so the run's span is the data's.
  return true;
}

void NodeDriver::step_venues_to(UnixNanos t) {
  const auto& venues = node_->sim_venues();
  std::optional<UnixNanos> previous;
  int repeats = 0;
  for (;;) {
    std::optional<UnixNanos> next;
    for (const auto& sv : venues) {
      const auto n = sv->next_event_ns();
      if (n && (!next || *n < *next)) next = n;
    }
    if (!next || *next > t) break;
    // A venue that keeps reporting work it does not do would spin here forever: step on instead.
    if (next == previous && ++repeats > 1000) break;
    if (next != previous) repeats = 0;
    previous = next;
    clock_.set_ns(*next);
    const UnixNanos now = clock_.now_ns();
    for (const auto& sv : venues) sv->advance_to(now);
    scheduler_.run_due();
  }
  clock_.set_ns(t);
}

void NodeDriver::deliver(const HistoricalEvent& event) {
  if (error_) return;
  ++events_;
  advance_to(event.ts_ns);
  if (const auto* bar = std::get_if<Bar>(&event.payload)) {
    node_->on_bar(*bar);
    if (bar->closed) record_price(bar->instrument, event.ts_ns, bar->close);
    scheduler_.run_due();
    sample_equity();
    return;
  }
  if (const auto* trade = std::get_if<TradeTick>(&event.payload)) {
    node_->on_trade(*trade);
    record_price(trade->instrument, event.ts_ns, trade->price);
  } else if (const auto* frame = std::get_if<RawFrame>(&event.payload)) {
    on_frame(event, *frame);
  }
  scheduler_.run_due();
  const UnixNanos second = event.ts_ns / kNanosPerSecond;
  if (second != last_tick_sample_ns_) {
    last_tick_sample_ns_ = second;
    sample_equity();
  }
}

void NodeDriver::finish(std::int64_t drain_ns) {
  if (finished_) return;
  finished_ = true;
  advance_to(clock_.now_ns() + std::max<std::int64_t>(drain_ns, 0));
  scheduler_.run_due();
  // No closing sample: fills during the drain took their own, and nothing else moves without data (the
  // curve ends at the last event, so the run's span is the data's).
}

const Instrument* NodeDriver::instrument(const InstrumentId& id) const {
  for (const auto& i : config_.instruments)
    if (i.id == id) return &i;
  return nullptr;
}

void NodeDriver::record_price_slow(const InstrumentId& id, UnixNanos ts, Price price) {
  if (!config_.record_prices) return;
  std::size_t idx = 0;
  while (idx < config_.instruments.size() && !(config_.instruments[idx].id == id)) ++idx;
  if (idx == config_.instruments.size()) return;
  PriceSlot& slot = price_slots_[idx];
  if (slot.series == ~std::size_t{0}) {
    slot.series = results_.prices.size();
    results_.prices.push_back(PriceSeries{id, {}});
    const std::size_t instruments = std::max<std::size_t>(config_.instruments.size(), 1);
    results_.prices.back().points.reserve(static_cast<std::size_t>(config_.expected_events) / instruments + 16);
    prefer_huge_pages(results_.prices.back().points);
  }
  // Set after any growth of results_.prices (it moves the series).
  last_series_ = &results_.prices[slot.series];
  last_slot_ = &slot;
  append_price(*last_series_, slot.second_end_ns, ts, price);
}

void NodeDriver::on_order_filled(const Order& order, const Fill& fill) {
  FillRecord r;
  r.ts_ns = fill.ts_event_ns;
  r.instrument = order.instrument();
  r.order_id = order.id();
  r.client_order_id = order.client_order_id();
  r.trade_id = fill.trade_id;
  r.side = order.side();
  r.quantity = fill.quantity;
  r.price = fill.price;
  r.fee = fill.fee;
  // A fee charged in the base asset (Binance spot buys, when enabled) is reported in quote at the fill price.
  if (const Instrument* inst = instrument(order.instrument()); inst && fill.fee_asset == inst->base) {
    r.fee = notional(fill.price, Quantity::from_raw(fill.fee.raw()), Rounding::Nearest);
  }
  r.liquidity = fill.liquidity;
  r.order_type = order.spec().type;
  results_.fills.push_back(r);
  sample_equity();
}

Money NodeDriver::funding_paid() const { return node_->portfolio().figures().funding; }

BacktestResults NodeDriver::take_results() {
  const auto orders = node_->manager().all_orders();
  results_.orders.reserve(results_.orders.size() + orders.size());
  for (const Order* o : orders) {
    OrderRecord r;
    r.order_id = o->id();
    r.client_order_id = o->client_order_id();
    r.instrument = o->instrument();
    r.side = o->side();
    r.type = o->spec().type;
    r.time_in_force = o->spec().time_in_force;
    r.quantity = o->quantity();
    r.price = o->spec().price;
    r.trigger_price = o->spec().trigger_price;
    r.reduce_only = o->spec().reduce_only;
    r.status = o->status();
    r.filled_quantity = o->filled_quantity();
    r.avg_fill_price = o->avg_price();
    Money fees;
    const Instrument* inst = o->fills().empty() ? nullptr : instrument(o->instrument());
    for (const Fill& f : o->fills()) {
      Money fee = f.fee;
      if (inst != nullptr && f.fee_asset == inst->base)
        fee = notional(f.price, Quantity::from_raw(f.fee.raw()), Rounding::Nearest);
      fees += fee;
    }
    r.fees = fees;
    r.ts_created_ns = o->ts_init_ns();
    r.ts_last_ns = o->ts_last_ns();
    results_.orders.push_back(std::move(r));
  }
  // What is recorded after this starts new series: the ones handed over are not written again.
  last_series_ = nullptr;
  last_slot_ = nullptr;
  price_slots_.assign(config_.instruments.size(), PriceSlot{});
  return std::move(results_);
}

}  // namespace tradingd::backtest
