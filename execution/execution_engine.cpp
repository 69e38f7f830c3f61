// Signal -> order, local OCO emulation and the emergency hooks. Listener callbacks run after the
// manager's bookkeeping, so placing or canceling orders from them is safe.
#include "execution/execution_engine.h"

#include <spdlog/spdlog.h>

namespace tradingd {

std::string_view to_string(SignalErrorKind k) {
  switch (k) {
    case SignalErrorKind::Invalid: return "invalid";
    case SignalErrorKind::RiskDenied: return "risk_denied";
    case SignalErrorKind::OrderFailed: return "order_failed";
    case SignalErrorKind::Halted: return "halted";
  }
  return "unknown";
}

std::string_view SignalError::reason() const {
  return std::visit(
      [](const auto& c) -> std::string_view {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, OrderError>) return to_string(c.kind);
        else return to_string(c.reason);
      },
      cause);
}

const std::string& SignalError::detail() const {
  return std::visit([](const auto& c) -> const std::string& { return c.detail; }, cause);
}

std::size_t FlattenReport::failures() const {
  std::size_t n = 0;
  for (const auto& i : items) n += i.failure.empty() ? 0 : 1;
  return n;
}

namespace {

OrderIntentView view_of(const OrderSpec& s, const Instrument* inst, UnixNanos now_ns) {
  OrderIntentView v;
  v.instrument = inst;
  v.side = s.side;
  v.type = s.type;
  v.quantity = s.quantity;
  v.price = s.price;
  v.trigger_price = s.trigger_price;
  v.reduce_only = s.reduce_only;
  v.strategy_id = s.strategy_id;
  v.ts_ns = now_ns;
  return v;
}

}  // namespace

ExecutionEngine::ExecutionEngine(const Clock& clock, OrderManager& manager, RiskGate& risk,
                                 const InstrumentSource& instruments, ExecutionEngineConfig config)
    : clock_(clock), manager_(manager), risk_(risk), instruments_(instruments), config_(config) {
  manager_.add_listener(*this);
}

ExecutionEngine::~ExecutionEngine() { manager_.remove_listener(*this); }

Result<OrderId, SignalError> ExecutionEngine::submit_signal(const Signal& signal) {
  ++stats_.signals;
  try {
    if (manager_.halted()) [[unlikely]]
      return Err{SignalError{SignalErrorKind::Halted, OrderError{OrderErrorKind::Halted, manager_.halt_reason()}}};
    const UnixNanos now = clock_.now_ns();
    const Instrument* inst = signal_instrument(signal.instrument);
    auto spec = validate_signal(signal, inst, config_.rounding, now);
    if (!spec) [[unlikely]] {
      ++stats_.invalid;
      return Err{SignalError{SignalErrorKind::Invalid, spec.error()}};
    }
    const OrderIntentView view = view_of(*spec, inst, now);
    if (auto denial = risk_.check_order(view)) [[unlikely]] {
      ++stats_.risk_denied;
      return Err{SignalError{SignalErrorKind::RiskDenied, std::move(*denial)}};
    }
    auto id = manager_.create(*spec);
    if (!id) [[unlikely]]
      return Err{SignalError{SignalErrorKind::OrderFailed, id.error()}};
    if (auto sent = manager_.submit(*id); !sent) [[unlikely]]
      return Err{SignalError{SignalErrorKind::OrderFailed, sent.error()}};
    risk_.on_order_sent(view);
    ++stats_.orders;
    return *id;
  } catch (const FixedPointOverflow& e) {
    manager_.report_invariant({InvariantKind::FixedPointOverflow, 0, std::string("signal: ") + e.what()});
    return Err{SignalError{SignalErrorKind::Halted, OrderError{OrderErrorKind::Halted, e.what()}}};
  }
}

const Instrument* ExecutionEngine::find_instrument(const InstrumentId& id) {
  const Instrument* inst = instruments_.find(id);
  if (inst != nullptr && inst->id == id) last_instrument_ = inst;
  return inst;
}

std::size_t ExecutionEngine::cancel_all() { return manager_.cancel_all(CancelScope{}); }

FlattenReport ExecutionEngine::flatten(const OpenPositionSource& positions) {
  FlattenReport report;
  for (const auto& p : positions.open_positions()) {
    if (p.quantity.is_zero()) continue;
    FlattenItem item;
    item.instrument = p.instrument;
    item.position = p.quantity;
    for (const Order* o : manager_.open_orders(p.instrument))
      if (o->spec().role == OrderRole::Flatten) {  // idempotent: one working flatten per instrument
        item.order_id = o->id();
        item.order_quantity = o->quantity();
        item.already_working = true;
      }
    if (item.already_working) {
      report.items.push_back(item);
      continue;
    }
    const Instrument* inst = instruments_.find(p.instrument);
    if (!inst) {
      item.failure = "unknown instrument";
      report.items.push_back(item);
      continue;
    }
    const Quantity step = inst->market_step_size.is_positive() ? inst->market_step_size : inst->step_size;
    Quantity qty;
    try {
      qty = p.quantity.abs();
      if (step.is_positive()) qty = qty.round_to(step, Rounding::Down);
    } catch (const FixedPointOverflow&) {
      qty = Quantity::zero();
      item.failure = "position out of range";
    }
    item.order_quantity = qty;
    if (!item.failure.empty()) {
      // reported below
    } else if (!qty.is_positive()) {
      item.failure = "position below the step size";
    } else if (auto v = check_rules(*inst, std::nullopt, qty, true)) {
      item.failure = std::string(to_string(*v));
    } else {
      OrderSpec s;
      s.instrument = p.instrument;
      s.side = p.quantity.is_positive() ? Side::Sell : Side::Buy;
      s.type = OrderType::Market;
      s.quantity = qty;
      s.reduce_only = true;
      s.role = OrderRole::Flatten;
      s.strategy_id = StrategyId::from("flatten");
      auto id = manager_.create(s);
      if (id && manager_.submit(*id)) {
        item.order_id = *id;
        ++stats_.flatten_orders;
      } else {
        item.failure = id ? "submit failed" : id.error().detail;
      }
    }
    if (!item.failure.empty())
      spdlog::error("Flatten failed instrument={} position={} reason=\"{}\"", p.instrument.to_string(), p.quantity.to_string(), item.failure);
    report.items.push_back(item);
  }
  return report;
}

bool ExecutionEngine::needs_emulated_brackets(const Order& o) const {
  const auto& s = o.spec();
  return config_.emulate_brackets && s.role == OrderRole::Entry && (s.stop_loss || s.take_profit) &&
         o.filled_quantity().is_positive() &&
         !manager_.capabilities(s.instrument.venue).native_sl_tp && !brackets_.count(o.id());
}

void ExecutionEngine::on_order_updated(const OrderUpdate& u) {
  const Order& o = u.order;
  if (u.event == OrderEvent::Reject && u.previous != OrderStatus::Initialized)
    risk_.on_order_rejected(o.instrument(), clock_.now_ns());
  if (u.became_terminal && needs_emulated_brackets(o)) place_brackets(o);
}

void ExecutionEngine::on_order_filled(const Order& order, const Fill&) {
  const OrderRole role = order.spec().role;
  if (role == OrderRole::StopLoss || role == OrderRole::TakeProfit) cancel_sibling(order);
}

void ExecutionEngine::place_brackets(const Order& entry) {
  const OrderId entry_id = entry.id();
  brackets_[entry_id] = Bracket{};  // first, so a re-entrant update cannot place the pair twice
  Bracket b;
  if (entry.spec().stop_loss) b.stop_loss = place_leg(entry, OrderRole::StopLoss);
  if (const Order* e = manager_.find(entry_id); e && e->spec().take_profit) b.take_profit = place_leg(*e, OrderRole::TakeProfit);
  brackets_[entry_id] = b;
}

OrderId ExecutionEngine::place_leg(const Order& entry, OrderRole role) {
  OrderSpec s;
  s.instrument = entry.instrument();
  s.side = opposite(entry.side());
  s.quantity = entry.filled_quantity();
  s.reduce_only = true;
  s.time_in_force = TimeInForce::Gtc;
  s.strategy_id = entry.spec().strategy_id;
  s.tag = entry.spec().tag;
  s.role = role;
  s.parent_id = entry.id();
  if (role == OrderRole::StopLoss) {
    s.type = OrderType::StopMarket;
    s.trigger_price = entry.spec().stop_loss;
  } else {
    s.type = OrderType::Limit;
    s.price = entry.spec().take_profit;
  }
  const OrderId entry_id = entry.id();
  const OrderIntentView view = view_of(s, instruments_.find(s.instrument), clock_.now_ns());
  std::string failure;
  if (auto denial = risk_.check_order(view)) {
    failure = std::string(to_string(denial->reason)) + ": " + denial->detail;
  } else if (auto id = manager_.create(s); !id) {
    failure = id.error().detail;
  } else if (auto sent = manager_.submit(*id); !sent) {
    failure = sent.error().detail;
  } else {
    risk_.on_order_sent(view);
    ++stats_.brackets_placed;
    return *id;
  }
  ++stats_.bracket_failures;
  spdlog::error("Protective order not placed entry_order_id={} role={} reason=\"{}\"", entry_id, to_string(role), failure);
  return 0;
}

void ExecutionEngine::cancel_sibling(const Order& leg) {
  auto it = brackets_.find(leg.spec().parent_id);
  if (it == brackets_.end()) return;
  const OrderId sibling = leg.id() == it->second.stop_loss ? it->second.take_profit : it->second.stop_loss;
  const Order* s = sibling ? manager_.find(sibling) : nullptr;
  if (!s || !s->is_open() || s->status() == OrderStatus::PendingCancel) return;
  ++stats_.oco_cancels;
  (void)manager_.cancel(sibling);
}

void ExecutionEngine::on_restored() {
  const auto orders = manager_.all_orders();
  for (const Order* o : orders) {
    const OrderRole role = o->spec().role;
    if ((role == OrderRole::StopLoss || role == OrderRole::TakeProfit) && o->spec().parent_id != 0) {
      Bracket& b = brackets_[o->spec().parent_id];
      (role == OrderRole::StopLoss ? b.stop_loss : b.take_profit) = o->id();
    }
  }
  for (const Order* o : orders)
    if (o->is_terminal() && needs_emulated_brackets(*o)) place_brackets(*o);
  for (const auto& [entry, b] : std::unordered_map<OrderId, Bracket>(brackets_)) {
    for (OrderId leg : {b.stop_loss, b.take_profit})
      if (const Order* l = leg ? manager_.find(leg) : nullptr; l && l->filled_quantity().is_positive()) cancel_sibling(*l);
  }
}

}  // namespace tradingd
