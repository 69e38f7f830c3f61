// StrategyHost: see strategy_host.h. Routing tables are built once in add*(); the hot path (a market event)
// is one id comparison (a hash lookup when the instrument changes) plus a virtual call per interested
// strategy; everything rare after a callback is out of line (after_call).
#include "strategy/strategy_host.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <algorithm>
#include <exception>
#include <string>
#include <stdexcept>
#include <utility>

#include "risk/position_sizer.h"
#include "strategy/external_strategy.h"
#include "strategy/process_supervisor.h"

namespace tradingd {

std::string_view to_string(StrategyRunState s) {
  switch (s) {
    case StrategyRunState::Created: return "created";
    case StrategyRunState::Running: return "running";
    case StrategyRunState::Halted: return "halted";
    case StrategyRunState::Stopped: return "stopped";
  }
  return "unknown";
}

namespace {

// A per-strategy limit on one kind of log line: at most `burst` lines per window of event time.
struct TradeLogBudget {
  UnixNanos window_start = 0;
  std::uint32_t used = 0;
  std::uint64_t suppressed = 0;  // left out since the last line printed
};

// True when a line may be printed now (the caller then prints and resets suppressed); counts a left-out
// line otherwise.
bool take(TradeLogBudget& b, UnixNanos now, std::uint32_t burst, std::int64_t window_ms) {
  if (burst == 0) return false;
  if (now - b.window_start >= window_ms * kNanosPerMilli || now < b.window_start) {
    b.window_start = now;
    b.used = 0;
  }
  if (b.used >= burst) {
    ++b.suppressed;
    return false;
  }
  ++b.used;
  return true;
}

// " suppressed=N" when lines were left out before this one (and resets the count), else "".
std::string suppressed_note(TradeLogBudget& b) {
  if (b.suppressed == 0) return {};
  std::string s = " suppressed=" + std::to_string(b.suppressed);
  b.suppressed = 0;
  return s;
}

}  // namespace

// An order event for a strategy that was inside a callback when it happened: delivered once it returns.
// A fill's figures wait in the slot's deferred_fills: an update (two of every order's three events) copies
// no Fill.
struct StrategyHost::DeferredOrderEvent {
  static constexpr std::uint32_t kNoFill = UINT32_MAX;
  OrderId order_id = 0;
  std::uint32_t fill = kNoFill;  // index into deferred_fills, or kNoFill for an order update
};

struct StrategyHost::Slot {
  // Read on every market event: first, together.
  StrategyRunState state = StrategyRunState::Created;
  bool stopping = false;  // inside on_stop: submits are refused, cancels allowed
  bool draining = false;
  bool synchronous = false;
  // external != nullptr or an order event deferred: after a callback, after_call() has work to check.
  bool after = false;
  int depth = 0;  // inside a callback of this strategy
  // What the strategy asked for (Strategy::wants_*), read once when it is set.
  bool order_updates = true;
  bool fills = true;
  std::unique_ptr<Strategy> strategy;
  std::unique_ptr<Context> ctx;
  ExternalStrategy* external = nullptr;
  // Order events caused from inside a callback; [deferred_head, size) are pending. Cleared (capacity kept)
  // once drained, so deferring allocates nothing in a steady run.
  std::vector<DeferredOrderEvent> deferred;
  std::vector<Fill> deferred_fills;
  std::size_t deferred_head = 0;

  StrategyId id;
  std::vector<InstrumentId> instruments;
  StrategyHostStats stats;
  // Its net position per instrument it was filled on: a handful at most, so a scan (the last hit first:
  // fills come in runs of one instrument) instead of hashing the id.
  std::vector<std::pair<InstrumentId, Quantity>> positions;
  std::size_t last_position = 0;
  std::map<std::string, std::uint64_t, std::less<>> timers;  // name -> sequence of its pending timer
  std::uint64_t timer_seq = 0;
  // External programs.
  std::shared_ptr<ProcessSupervisor> supervisor;
  std::shared_ptr<ExternalStrategy*> line_target;  // what the supervisor's callbacks reach; nulled on destruction
  std::deque<std::string> stderr_tail;
  TradeLogBudget order_log, fill_log;  // rate limits of the "Strategy order" / "Strategy fill" lines

  void clear_deferred() {
    deferred.clear();
    deferred_fills.clear();
    deferred_head = 0;
    after = external != nullptr;
  }
  void set_external(ExternalStrategy* e) {
    external = e;
    after = external != nullptr || !deferred.empty();
  }
  // last_position < positions.size() whenever positions is not empty.
  const Quantity* find_position(const InstrumentId& id) const {
    if (!positions.empty() && positions[last_position].first == id) return &positions[last_position].second;
    for (const auto& [instrument, q] : positions)
      if (instrument == id) return &q;
    return nullptr;
  }
  // The position on id, made zero when there is none yet.
  Quantity& position_of(const InstrumentId& id) {
    if (!positions.empty() && positions[last_position].first == id) [[likely]]
      return positions[last_position].second;
    return position_of_other(id);
  }
  [[gnu::noinline]] Quantity& position_of_other(const InstrumentId& id) {
    for (std::size_t i = 0; i < positions.size(); ++i)
      if (positions[i].first == id) return positions[last_position = i].second;
    last_position = positions.size();
    return positions.emplace_back(id, Quantity::zero()).second;
  }
};

class StrategyHost::Context final : public StrategyContext {
 public:
  Context(StrategyHost& host, Slot& slot) : host_(host), slot_(slot) {}

  const StrategyId& strategy_id() const override { return slot_.id; }
  TradingMode mode() const override { return host_.options_.mode; }
  UnixNanos now_ns() const override { return host_.clock_.now_ns(); }
  const std::vector<InstrumentId>& instruments() const override { return slot_.instruments; }
  const Instrument* instrument(const InstrumentId& id) const override { return host_.node_.instruments().find(id); }
  Quantity position(const InstrumentId& id) const override {
    const Quantity* q = slot_.find_position(id);
    return q == nullptr ? Quantity::zero() : *q;
  }
  std::vector<const Order*> open_orders(const InstrumentId& id) const override {
    std::vector<const Order*> out;
    for (const Order* o : host_.node_.manager().orders_for_strategy(slot_.id, /*open_only=*/true))
      if (o->instrument() == id) out.push_back(o);  // by id: oldest first
    return out;
  }
  SubmitResult submit(const Signal& signal) override { return host_.submit(slot_, signal); }
  CancelOutcome cancel(OrderId order_id) override { return host_.cancel(slot_, order_id); }
  void set_timer(std::string_view name, UnixNanos at_ns) override { host_.set_timer(slot_, name, at_ns); }
  void log(StrategyLogLevel level, std::string_view message) override {
    switch (level) {
      case StrategyLogLevel::Debug: spdlog::debug("{} strategy={}", message, slot_.id.view()); break;
      case StrategyLogLevel::Info: spdlog::info("{} strategy={}", message, slot_.id.view()); break;
      case StrategyLogLevel::Warn: spdlog::warn("{} strategy={}", message, slot_.id.view()); break;
      case StrategyLogLevel::Error: spdlog::error("{} strategy={}", message, slot_.id.view()); break;
    }
  }

 private:
  StrategyHost& host_;
  Slot& slot_;
};

StrategyHost::StrategyHost(TradingNode& node, const Clock& clock, Scheduler& scheduler, StrategyHostOptions options)
    : node_(node), clock_(clock), scheduler_(scheduler), options_(std::move(options)) {
  node_.add_market_listener(*this);
  node_.add_order_listener(*this);
}

StrategyHost::~StrategyHost() {
  *alive_ = false;
  for (auto& slot : slots_) {
    if (slot->line_target) *slot->line_target = nullptr;  // the supervisor may outlive us while it reaps
    if (slot->supervisor) slot->supervisor->stop();
  }
  node_.manager().remove_listener(*this);
  node_.remove_market_listener(*this);
}

StrategyHost::Slot& StrategyHost::make_slot(std::string name, std::vector<InstrumentId> instruments) {
  auto slot = std::make_unique<Slot>();
  slot->id = StrategyId::from(name);
  slot->instruments = std::move(instruments);
  slot->ctx = std::make_unique<Context>(*this, *slot);
  Slot& ref = *slot;
  for (const auto& id : ref.instruments) {
    if (node_.instruments().find(id) == nullptr)
      spdlog::warn("Strategy instrument not configured on the node strategy={} instrument={}", ref.id.view(), id.to_string());
    last_route_ = nullptr;  // the map may rehash
    auto& v = by_instrument_[id];
    if (std::find(v.begin(), v.end(), &ref) == v.end()) v.push_back(&ref);
  }
  slots_.push_back(std::move(slot));
  update_solo();
  return ref;
}

StrategyHost::Slot* StrategyHost::find(const StrategyId& id) const {
  for (const auto& s : slots_)
    if (s->id == id) return s.get();
  return nullptr;
}

StrategyId StrategyHost::add(std::string name, std::unique_ptr<Strategy> strategy, std::vector<InstrumentId> instruments) {
  const auto id = StrategyId::make(name);
  if (!id || name.empty()) throw std::invalid_argument("strategy name must be 1.." + std::to_string(StrategyId::capacity()) + " characters: " + name);
  if (find(*id) != nullptr) throw std::invalid_argument("duplicate strategy name " + name);
  if (!strategy) throw std::invalid_argument("strategy " + name + " is null");
  Slot& slot = make_slot(std::move(name), std::move(instruments));
  set_strategy(slot, std::move(strategy));
  return slot.id;
}

void StrategyHost::set_strategy(Slot& slot, std::unique_ptr<Strategy> strategy) {
  slot.order_updates = strategy->wants_order_updates();
  slot.fills = strategy->wants_fills();
  slot.strategy = std::move(strategy);
  any_order_updates_ = any_order_updates_ || slot.order_updates;
}

Result<StrategyId, std::string> StrategyHost::add_from_config(const config::StrategyConfig& cfg,
                                                              const StrategyRegistry& registry) {
  const std::string where = "strategies[" + cfg.name + "]";
  if (!cfg.enabled) return Err{where + ": disabled"};
  const auto id = StrategyId::make(cfg.name);
  if (!id || cfg.name.empty()) return Err{where + ".name: expected 1.." + std::to_string(StrategyId::capacity()) + " characters"};
  if (find(*id) != nullptr) return Err{where + ".name: duplicate strategy name"};
  if (started_) return Err{where + ": strategies are added before start()"};
  if (cfg.command.empty()) {
    auto made = registry.create(cfg);
    if (!made) return Err{made.error()};
    return add(cfg.name, std::move(*made), cfg.instruments);
  }
  if (cfg.instruments.empty()) return Err{where + ".instruments: at least one instrument is required"};
  if (options_.synchronous_external) {
    auto made = create_external_synchronous(cfg, options_.external_read_timeout_ms);
    if (!made) return Err{made.error()};
    ExternalStrategy* ext = made->get();
    const StrategyId added = add(cfg.name, std::move(*made), cfg.instruments);
    Slot& slot = *find(added);
    slot.set_external(ext);
    slot.synchronous = true;
    return added;
  }
  if (options_.io == nullptr) return Err{where + ".command: external programs need the daemon's event loop (no io_context given)"};
  // As make_supervised_external, but the callbacks reach the strategy through a slot this host clears when
  // it goes away: the supervisor lives on while it reaps the child.
  Slot& slot = make_slot(cfg.name, cfg.instruments);
  slot.line_target = std::make_shared<ExternalStrategy*>(nullptr);
  std::weak_ptr<bool> alive = alive_;
  Slot* sp = &slot;
  SupervisorConfig sc;
  sc.command = cfg.command;
  sc.restart_initial_ms = options_.restart_initial_ms;
  sc.restart_max_ms = options_.restart_max_ms;
  SupervisorCallbacks callbacks{
      // A line is handled like a callback: the order events its signals cause wait until it is done.
      [this, alive, sp, target = slot.line_target](std::string_view line) {
        if (auto a = alive.lock(); !a || !*a || *target == nullptr) return;
        ExternalStrategy* ext = *target;
        call(*sp, "handle_line", [ext, line](Strategy&, StrategyContext&) { ext->handle_line(line); });
      },
      [this, alive, sp](std::string_view line) {
        if (auto a = alive.lock(); !a || !*a) return;
        spdlog::info("Strategy stderr strategy={} line={}", sp->id.view(), line);
        sp->stderr_tail.emplace_back(line);
        while (sp->stderr_tail.size() > options_.stderr_tail_lines) sp->stderr_tail.pop_front();
      },
      [target = slot.line_target] {
        if (*target != nullptr) (*target)->resync();
      },
      [this, alive, sp](int wait_status, std::int64_t restart_in_ms) {
        if (auto a = alive.lock(); !a || !*a) return;
        on_external_death(*sp, wait_status, restart_in_ms);
      }};
  slot.supervisor = ProcessSupervisor::create(*options_.io, std::move(sc), std::move(callbacks));
  auto ext = std::make_unique<ExternalStrategy>(std::make_unique<SupervisedTransport>(slot.supervisor),
                                                ExternalMode::Asynchronous, cfg.params);
  slot.set_external(ext.get());
  *slot.line_target = ext.get();
  set_strategy(slot, std::move(ext));
  return slot.id;
}

void StrategyHost::start() {
  if (started_) return;
  started_ = true;
  for (auto& slot : slots_) {
    // The node has restored its journal by now: a restart resumes the strategy's position from the fills
    // of its own orders.
    slot->positions.clear();
    slot->last_position = 0;
    for (const Order* o : node_.manager().orders_for_strategy(slot->id)) {
      if (o->filled_quantity().is_zero()) continue;
      slot->position_of(o->instrument()) += o->side() == Side::Buy ? o->filled_quantity() : -o->filled_quantity();
    }
    slot->state = StrategyRunState::Running;
    if (slot->supervisor) slot->supervisor->start();  // before on_start: its start line goes to the program
    spdlog::info("Strategy started strategy={} mode={} instruments={} external={}", slot->id.view(),
                 to_string(options_.mode), slot->instruments.size(), slot->external != nullptr);
    call(*slot, "on_start", [](Strategy& s, StrategyContext& c) { s.on_start(c); });
  }
}

void StrategyHost::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& slot : slots_) {
    if (slot->state == StrategyRunState::Running) {
      slot->stopping = true;
      call(*slot, "on_stop", [](Strategy& s, StrategyContext& c) { s.on_stop(c); });
      slot->stopping = false;
    }
    if (slot->supervisor) slot->supervisor->stop();
    if (slot->state == StrategyRunState::Running) slot->state = StrategyRunState::Stopped;
    slot->timers.clear();
    slot->clear_deferred();
    spdlog::info("Strategy stopped strategy={} signals={} submitted={} fills={} errors={}", slot->id.view(),
                 slot->stats.signals, slot->stats.submitted, slot->stats.fills, slot->stats.errors);
  }
}

std::vector<StrategyId> StrategyHost::strategy_names() const {
  std::vector<StrategyId> out;
  for (const auto& s : slots_) out.push_back(s->id);
  return out;
}

const StrategyHostStats* StrategyHost::stats(const StrategyId& id) const {
  const Slot* s = find(id);
  return s ? &s->stats : nullptr;
}

StrategyRunState StrategyHost::state(const StrategyId& id) const {
  const Slot* s = find(id);
  return s ? s->state : StrategyRunState::Stopped;
}

bool StrategyHost::is_external(const StrategyId& id) const {
  const Slot* s = find(id);
  return s != nullptr && s->external != nullptr;
}

std::vector<InstrumentId> StrategyHost::instruments(const StrategyId& id) const {
  const Slot* s = find(id);
  return s ? s->instruments : std::vector<InstrumentId>{};
}

Quantity StrategyHost::position(const StrategyId& id, const InstrumentId& instrument) const {
  const Slot* s = find(id);
  return s ? s->ctx->position(instrument) : Quantity::zero();
}

// ---- callbacks ----

template <class F>
void StrategyHost::call(Slot& slot, std::string_view what, F&& f) {
  if (slot.state != StrategyRunState::Running) return;
  ++slot.depth;
  try {
    f(*slot.strategy, *slot.ctx);
  } catch (...) {
    --slot.depth;
    halt_on_exception(slot, what);
    return;
  }
  --slot.depth;
  // after_call() itself waits for the outermost callback and for a drain to end.
  if (slot.after) after_call(slot);
}

void StrategyHost::halt_on_exception(Slot& slot, std::string_view what) {
  try {
    throw;
  } catch (const std::exception& e) {
    halt(slot, std::string(what) + " threw: " + e.what());
  } catch (...) {
    halt(slot, std::string(what) + " threw a non-standard exception");
  }
}

void StrategyHost::after_call(Slot& slot) {
  check_external(slot);
  if (slot.depth > 0 || slot.draining || slot.deferred_head == slot.deferred.size()) return;
  slot.draining = true;
  while (slot.deferred_head < slot.deferred.size() && slot.state == StrategyRunState::Running) {
    const DeferredOrderEvent e = slot.deferred[slot.deferred_head++];  // a copy: delivering it may defer more
    if (e.fill == DeferredOrderEvent::kNoFill) {
      if (const Order* o = node_.manager().find(e.order_id)) run_order_event(slot, *o, nullptr);
    } else {
      const Fill f = slot.deferred_fills[e.fill];  // a copy, as above
      if (const Order* o = node_.manager().find(e.order_id)) run_order_event(slot, *o, &f);
    }
  }
  slot.clear_deferred();
  slot.draining = false;
}

void StrategyHost::deliver(Slot& slot, const Order& order, const Fill* fill) {
  if (slot.state != StrategyRunState::Running) return;
  if (slot.depth > 0 || slot.draining) {
    // By id: the strategy sees the order as it is when the event is delivered.
    std::uint32_t at = DeferredOrderEvent::kNoFill;
    if (fill != nullptr) {
      at = static_cast<std::uint32_t>(slot.deferred_fills.size());
      slot.deferred_fills.push_back(*fill);
    }
    slot.deferred.push_back(DeferredOrderEvent{order.id(), at});
    slot.after = true;
    return;
  }
  run_order_event(slot, order, fill);
}

void StrategyHost::run_order_event(Slot& slot, const Order& order, const Fill* fill) {
  const Order* o = &order;
  if (fill != nullptr) call(slot, "on_fill", [o, fill](Strategy& st, StrategyContext& c) { st.on_fill(c, *o, *fill); });
  else call(slot, "on_order_update", [o](Strategy& st, StrategyContext& c) { st.on_order_update(c, *o); });
}

void StrategyHost::halt(Slot& slot, std::string_view why) {
  if (slot.state != StrategyRunState::Running) return;
  ++slot.stats.errors;
  slot.state = StrategyRunState::Halted;
  spdlog::error("Strategy halted strategy={} reason=\"{}\"", slot.id.view(), why);
  slot.timers.clear();
  slot.clear_deferred();
  if (slot.supervisor) slot.supervisor->stop();
  cancel_open_orders(slot, "strategy halted");
}

void StrategyHost::check_external(Slot& slot) {
  // Synchronous programs fail inside a callback (EOF, timeout); supervised ones report through on_exit.
  if (slot.external == nullptr || !slot.synchronous || !slot.external->failed()) return;
  if (slot.state != StrategyRunState::Running) return;
  on_external_death(slot, -1, -1);
}

void StrategyHost::on_external_death(Slot& slot, int wait_status, std::int64_t restart_in_ms) {
  if (slot.state != StrategyRunState::Running || slot.stopping) return;
  ++slot.stats.deaths;
  ++slot.stats.errors;
  std::string status = "unknown";
  if (wait_status >= 0 && WIFEXITED(wait_status)) status = "exit " + std::to_string(WEXITSTATUS(wait_status));
  else if (wait_status >= 0 && WIFSIGNALED(wait_status)) status = "signal " + std::to_string(WTERMSIG(wait_status));
  else if (slot.external != nullptr && slot.external->failed()) status = slot.external->failure();
  std::string tail;
  for (const auto& line : slot.stderr_tail) tail += (tail.empty() ? "" : " | ") + line;
  spdlog::error("External strategy died strategy={} status=\"{}\" restart_in_ms={} stderr_tail=\"{}\"", slot.id.view(),
                status, restart_in_ms, tail);
  slot.stderr_tail.clear();
  if (restart_in_ms >= 0) {
    ++slot.stats.restarts;  // the supervisor resyncs it (start line, positions) once it runs again
  } else {
    // Halted before canceling: the cancels' updates must not reach (and re-report) the dead program.
    slot.state = StrategyRunState::Halted;
    slot.timers.clear();
    slot.clear_deferred();
  }
  cancel_open_orders(slot, "external program died");
}

void StrategyHost::cancel_open_orders(Slot& slot, std::string_view why) {
  std::size_t n = 0;
  for (const Order* o : node_.manager().orders_for_strategy(slot.id, /*open_only=*/true)) {
    if (o->status() == OrderStatus::PendingCancel) continue;
    if (node_.manager().cancel(o->id())) ++n;
  }
  if (n > 0) spdlog::warn("Strategy orders canceled strategy={} orders={} reason=\"{}\"", slot.id.view(), n, why);
}

// ---- routing ----

void StrategyHost::cache_route(const InstrumentId& id) {
  const auto it = by_instrument_.find(id);
  last_route_id_ = id;
  last_route_ = it == by_instrument_.end() ? &no_route_ : &it->second;
}

void StrategyHost::on_trade(const TradeTick& t) {
  for (Slot* s : routed(t.instrument)) call(*s, "on_trade", [&](Strategy& st, StrategyContext& c) { st.on_trade(c, t); });
}

void StrategyHost::on_quote(const QuoteTick& q) {
  for (Slot* s : routed(q.instrument)) call(*s, "on_quote", [&](Strategy& st, StrategyContext& c) { st.on_quote(c, q); });
}

void StrategyHost::on_book(const BookUpdate& u) {
  for (Slot* s : routed(u.instrument)) call(*s, "on_book", [&](Strategy& st, StrategyContext& c) { st.on_book(c, u); });
}

void StrategyHost::update_solo() {
  solo_ = nullptr;
  if (by_instrument_.size() != 1 || by_instrument_.begin()->second.size() != 1) return;
  solo_instrument_ = by_instrument_.begin()->first;
  solo_ = by_instrument_.begin()->second.front();
}

void StrategyHost::on_bar(const Bar& b) {
  if (!b.closed) return;  // strategies see closed bars only
  if (solo_ != nullptr) {
    if (b.instrument == solo_instrument_) call(*solo_, "on_bar", [&](Strategy& st, StrategyContext& c) { st.on_bar(c, b); });
    return;
  }
  on_bar_routed(b);
}

void StrategyHost::on_bar_routed(const Bar& b) {
  for (Slot* s : routed(b.instrument)) call(*s, "on_bar", [&](Strategy& st, StrategyContext& c) { st.on_bar(c, b); });
}

void StrategyHost::on_order_updated(const OrderUpdate& update) {
  if (!any_order_updates_) return;
  Slot* slot = find(update.order.spec().strategy_id);
  if (slot == nullptr || !slot->order_updates) return;
  deliver(*slot, update.order, nullptr);
}

void StrategyHost::on_order_filled(const Order& order, const Fill& fill) {
  Slot* slot = find(order.spec().strategy_id);
  if (slot == nullptr) return;
  // The position moves now, so a strategy asking in the middle of its callback sees the fill.
  auto& pos = slot->position_of(order.instrument());
  pos += order.side() == Side::Buy ? fill.quantity : -fill.quantity;
  ++slot->stats.fills;
  log_fill(*slot, order, fill);
  if (slot->fills) deliver(*slot, order, &fill);
}

// ---- the context's actions ----

void StrategyHost::reject(Slot& slot, SubmitRejectKind kind) { ++slot.stats.rejected[static_cast<std::size_t>(kind)]; }

namespace {

SubmitRejection rejection(SubmitRejectKind kind, std::string detail, std::optional<SignalRejectReason> reason = std::nullopt) {
  return SubmitRejection{kind, reason, std::move(detail)};
}

// The sizer's denials in the strategy's terms: a size it cannot make is an invalid signal (typed), a limit
// or a missing input is a risk denial.
SubmitRejection from_sizer(const RiskDenial& d) {
  const std::string detail = "sizer: " + std::string(to_string(d.reason)) + ": " + d.detail;
  switch (d.reason) {
    case RiskDenyReason::SizeRoundsToZero:
      return rejection(SubmitRejectKind::InvalidSignal, detail, SignalRejectReason::SizeRoundsToZero);
    case RiskDenyReason::NoReferencePrice:
      return rejection(SubmitRejectKind::InvalidSignal, detail, SignalRejectReason::NoReferencePrice);
    case RiskDenyReason::UnknownInstrument:
      return rejection(SubmitRejectKind::InvalidSignal, detail, SignalRejectReason::UnknownInstrument);
    case RiskDenyReason::InternalError: return rejection(SubmitRejectKind::Internal, detail);
    default: return rejection(SubmitRejectKind::RiskDenied, detail);
  }
}

SubmitRejection from_refusal(const SignalRefusal& r) {
  if (r.kind == SignalRefusal::Kind::NotReady || !r.engine) return rejection(SubmitRejectKind::TradingHalted, r.detail);
  const SignalError& e = *r.engine;
  switch (e.kind) {
    case SignalErrorKind::Invalid: {
      const auto& rej = std::get<SignalRejection>(e.cause);
      return rejection(SubmitRejectKind::InvalidSignal, rej.detail, rej.reason);
    }
    case SignalErrorKind::RiskDenied: {
      const auto& d = std::get<RiskDenial>(e.cause);
      const std::string detail = std::string(to_string(d.reason)) + ": " + d.detail;
      const bool halted = d.reason == RiskDenyReason::CircuitBreakerTripped || d.reason == RiskDenyReason::TradingHalted;
      return rejection(halted ? SubmitRejectKind::TradingHalted : SubmitRejectKind::RiskDenied, detail);
    }
    case SignalErrorKind::Halted: return rejection(SubmitRejectKind::TradingHalted, e.detail());
    case SignalErrorKind::OrderFailed: break;
  }
  return rejection(SubmitRejectKind::Internal, std::string(e.reason()) + ": " + e.detail());
}

}  // namespace

SubmitResult StrategyHost::submit(Slot& slot, const Signal& in) {
  ++slot.stats.signals;
  auto fail = [&](SubmitRejection r) -> SubmitResult {
    reject(slot, r.kind);
    return Err{std::move(r)};
  };
  if (slot.state != StrategyRunState::Running || slot.stopping)
    return fail(rejection(SubmitRejectKind::TradingHalted, "strategy " + std::string(slot.id.view()) + " is " +
                                                               (slot.stopping ? "stopping" : std::string(to_string(slot.state)))));
  if (std::find(slot.instruments.begin(), slot.instruments.end(), in.instrument) == slot.instruments.end())
    return fail(rejection(SubmitRejectKind::InvalidSignal,
                          in.instrument.to_string() + " is not one of strategy " + std::string(slot.id.view()) + "'s instruments",
                          SignalRejectReason::UnknownInstrument));
  // The signal as the node gets it: stamped with this strategy's id, sized when unsized. A copy only when
  // one of those changes it (a strategy that stamps its own id and sizes its orders is passed through).
  std::optional<Signal> stamped;
  if (!(in.strategy_id == slot.id) || (!in.quantity && !in.notional)) {
    stamped.emplace(in);
    stamped->strategy_id = slot.id;
  }
  try {
    if (stamped && !stamped->quantity && !stamped->notional) {
      Signal& s = *stamped;
      // Sizing comes before validation: the validated order carries the sized, step-rounded quantity.
      SizingInput si;
      si.instrument = node_.instruments().find(s.instrument);
      si.side = s.side;
      si.is_market = s.type == OrderType::Market || s.type == OrderType::StopMarket;
      std::optional<Price> entry;
      if (s.type == OrderType::Limit || s.type == OrderType::StopLimit) entry = s.limit_price;
      else if (s.type == OrderType::StopMarket) entry = s.stop_price;
      if (!entry) entry = s.reference_price;
      if (!entry) entry = node_.tracker().prices().reference(s.instrument);
      si.entry_price = entry.value_or(Price::zero());
      si.stop_loss = s.stop_loss;
      si.equity = node_.portfolio().figures().equity;
      if (const Position* p = node_.tracker().find(s.instrument)) si.position = p->quantity();
      auto sized = size_order(options_.risk.sizing, SizingLimits::from(options_.risk), SizeRequest{}, si);
      if (!sized) return fail(from_sizer(sized.error()));
      s.quantity = sized->quantity;
      if (!s.reference_price && si.is_market) s.reference_price = entry;
      ++slot.stats.sized;
    }
    auto r = node_.submit_signal(stamped ? *stamped : in);
    if (!r) {
      auto rej = from_refusal(r.error());
      if (rej.kind == SubmitRejectKind::Internal)
        spdlog::error("Strategy signal failed strategy={} detail=\"{}\"", slot.id.view(), rej.detail);
      return fail(std::move(rej));
    }
    ++slot.stats.submitted;
    log_order(slot, *r);
    return *r;
  } catch (const std::exception& e) {  // the contract: submit never throws
    spdlog::error("Strategy signal failed strategy={} detail=\"{}\"", slot.id.view(), e.what());
    return fail(rejection(SubmitRejectKind::Internal, e.what()));
  }
}

// ---- the trade log (rate-limited; info in paper/live, debug in a backtest) ----

// The default logger asked directly (spdlog::should_log is the same question behind one more call); its
// level is read on every line, so a SIGHUP reload that changes it takes effect at once.
static bool trade_log_enabled(spdlog::level::level_enum level) { return spdlog::default_logger_raw()->should_log(level); }

void StrategyHost::log_order(Slot& slot, OrderId id) {
  const auto level = options_.mode == TradingMode::Backtest ? spdlog::level::debug : spdlog::level::info;
  if (!trade_log_enabled(level)) return;  // the arguments below allocate: a backtest sends every bar's orders
  const Order* order = node_.manager().find(id);
  if (order == nullptr) return;
  if (!take(slot.order_log, clock_.now_ns(), options_.trade_log_burst, options_.trade_log_window_ms)) return;
  const Order& o = *order;
  const OrderSpec& sp = o.spec();
  spdlog::log(level, "Strategy order strategy={} order_id={} instrument={} side={} type={} tif={} qty={} price={} tag={}{}",
              slot.id.view(), o.id(), sp.instrument.to_string(), to_string(sp.side), to_string(sp.type),
              to_string(sp.time_in_force), sp.quantity.to_string(), sp.price ? sp.price->to_string() : std::string("market"),
              sp.tag.view(), suppressed_note(slot.order_log));
}

void StrategyHost::log_fill(Slot& slot, const Order& o, const Fill& f) {
  const auto level = options_.mode == TradingMode::Backtest ? spdlog::level::debug : spdlog::level::info;
  if (!trade_log_enabled(level)) return;
  if (!take(slot.fill_log, clock_.now_ns(), options_.trade_log_burst, options_.trade_log_window_ms)) return;
  // position: this strategy's own; the PnL figures are the instrument's (the account's, as GET /v1/positions).
  std::string pnl = "realized_pnl=0 net_pnl=0";
  if (const Position* p = node_.tracker().find(o.instrument()))
    pnl = "realized_pnl=" + p->realized_pnl().to_string() + " net_pnl=" + p->net_pnl().to_string();
  spdlog::log(level,
              "Strategy fill strategy={} order_id={} instrument={} side={} qty={} price={} fee={} {} liquidity={} "
              "position={} {} fills={}{}",
              slot.id.view(), o.id(), o.instrument().to_string(), to_string(o.side()), f.quantity.to_string(),
              f.price.to_string(), f.fee.to_string(), f.fee_asset.view(), to_string(f.liquidity),
              slot.position_of(o.instrument()).to_string(), pnl, slot.stats.fills, suppressed_note(slot.fill_log));
}

CancelOutcome StrategyHost::cancel(Slot& slot, OrderId id) {
  const Order* o = node_.manager().find(id);
  if (o == nullptr || o->spec().strategy_id != slot.id) return CancelOutcome::UnknownOrder;
  if (!o->is_open() || o->status() == OrderStatus::PendingCancel) return CancelOutcome::NotOpen;
  if (!node_.manager().cancel(id)) return CancelOutcome::NotOpen;
  ++slot.stats.cancels;
  return CancelOutcome::Requested;
}

void StrategyHost::set_timer(Slot& slot, std::string_view name, UnixNanos at_ns) {
  if (slot.state != StrategyRunState::Running || slot.stopping) return;
  const std::uint64_t seq = ++slot.timer_seq;
  auto it = slot.timers.find(name);
  if (it == slot.timers.end()) it = slot.timers.emplace(std::string(name), seq).first;
  it->second = seq;  // a pending timer of the same name no longer fires
  const std::int64_t delay = std::max<std::int64_t>(0, at_ns - clock_.now_ns());
  std::weak_ptr<bool> alive = alive_;
  Slot* sp = &slot;
  scheduler_.schedule_after(delay, [this, alive, sp, seq, timer_name = std::string(name)] {
    if (auto a = alive.lock(); !a || !*a) return;
    const auto t = sp->timers.find(timer_name);
    if (t == sp->timers.end() || t->second != seq) return;
    sp->timers.erase(t);
    ++sp->stats.timers;
    const TimerEvent ev{timer_name, clock_.now_ns()};
    call(*sp, "on_timer", [&ev](Strategy& st, StrategyContext& c) { st.on_timer(c, ev); });
  });
}

}  // namespace tradingd
