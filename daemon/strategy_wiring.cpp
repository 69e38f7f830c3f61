// StrategyWiring: see strategy_wiring.h.
#include "daemon/strategy_wiring.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

#include "strategy/registry.h"

namespace tradingd::daemon {

namespace {

void add_delta(prometheus::Counter& c, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) c.Increment(static_cast<double>(now - seen));
  seen = now;
}

}  // namespace

StrategyWiring::StrategyWiring(Daemon& daemon, TradingNode& node, Scheduler& scheduler)
    : daemon_(daemon), node_(node), scheduler_(scheduler) {
  const auto& cfg = daemon_.config();
  StrategyHostOptions options;
  options.mode = cfg.mode;
  options.synchronous_external = false;
  options.risk = cfg.risk;
  options.io = &daemon_.io();
  host_ = std::make_unique<StrategyHost>(node, daemon_.clock(), scheduler_, options);
  const auto registry = StrategyRegistry::with_builtins();
  for (const auto& sc : cfg.strategies) {
    if (!sc.enabled) {
      spdlog::info("Strategy disabled strategy={}", sc.name);
      continue;
    }
    auto added = host_->add_from_config(sc, registry);
    if (!added) throw std::runtime_error(added.error());
  }

  auto& r = daemon_.metrics();
  auto& signals = prometheus::BuildCounter()
                      .Name("tradingd_strategy_signals_total")
                      .Help("Signals a strategy submitted through its context, by strategy.")
                      .Register(r);
  auto& orders = prometheus::BuildCounter()
                     .Name("tradingd_strategy_orders_total")
                     .Help("A strategy's signals that became orders, by strategy.")
                     .Register(r);
  auto& fills = prometheus::BuildCounter()
                    .Name("tradingd_strategy_fills_total")
                    .Help("Fills of a strategy's orders, by strategy.")
                    .Register(r);
  auto& rejections = prometheus::BuildCounter()
                         .Name("tradingd_strategy_rejections_total")
                         .Help("A strategy's signals that produced no order, by strategy and kind "
                               "(invalid_signal, risk_denied, trading_halted, internal).")
                         .Register(r);
  auto& errors = prometheus::BuildCounter()
                     .Name("tradingd_strategy_errors_total")
                     .Help("Strategy callbacks that threw and external program deaths, by strategy.")
                     .Register(r);
  auto& restarts = prometheus::BuildCounter()
                       .Name("tradingd_strategy_restarts_total")
                       .Help("Restarts of an external strategy program after it died, by strategy.")
                       .Register(r);
  auto& running = prometheus::BuildGauge()
                      .Name("tradingd_strategy_running")
                      .Help("1 while the strategy runs (started, not halted or stopped), by strategy.")
                      .Register(r);
  for (const StrategyId& id : host_->strategy_names()) {
    PerStrategy m;
    m.id = id;
    const std::string name(id.view());
    m.signals = &signals.Add({{"strategy", name}});
    m.orders = &orders.Add({{"strategy", name}});
    m.fills = &fills.Add({{"strategy", name}});
    for (std::size_t k = 0; k < kSubmitRejectKindCount; ++k)
      m.rejections[k] =
          &rejections.Add({{"strategy", name}, {"kind", std::string(to_string(static_cast<SubmitRejectKind>(k)))}});
    m.errors = &errors.Add({{"strategy", name}});
    m.restarts = &restarts.Add({{"strategy", name}});
    m.running = &running.Add({{"strategy", name}});
    metrics_.push_back(m);
  }
  spdlog::info("Strategies built count={} mode={}", host_->size(), to_string(cfg.mode));
}

StrategyWiring::~StrategyWiring() { *alive_ = false; }

void StrategyWiring::start() {
  if (started_) return;
  started_ = true;
  host_->start();
  refresh();
  schedule_refresh();
}

void StrategyWiring::add_shutdown_step() {
  daemon_.shutdown_sequence().add("strategies", [this](daemon::ShutdownSequence::Done done) {
    host_->stop();
    refresh();
    log_summaries(/*final_line=*/true);
    done();
  });
}

void StrategyWiring::refresh() {
  for (auto& m : metrics_) {
    const StrategyHostStats* st = host_->stats(m.id);
    if (st == nullptr) continue;
    add_delta(*m.signals, st->signals, m.seen.signals);
    add_delta(*m.orders, st->submitted, m.seen.submitted);
    add_delta(*m.fills, st->fills, m.seen.fills);
    for (std::size_t k = 0; k < kSubmitRejectKindCount; ++k) add_delta(*m.rejections[k], st->rejected[k], m.seen.rejected[k]);
    add_delta(*m.errors, st->errors, m.seen.errors);
    add_delta(*m.restarts, st->restarts, m.seen.restarts);
    m.running->Set(host_->state(m.id) == StrategyRunState::Running ? 1.0 : 0.0);
  }
}

void StrategyWiring::schedule_refresh() {
  std::weak_ptr<bool> alive = alive_;
  scheduler_.schedule_after(kNanosPerSecond, [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    refresh();
    if (++refreshes_ % kSummaryEverySeconds == 0) log_summaries(/*final_line=*/false);
    schedule_refresh();
  });
}

void StrategyWiring::log_summaries(bool final_line) {
  const auto& figures = node_.portfolio().figures();
  for (auto& m : metrics_) {
    const StrategyHostStats* st = host_->stats(m.id);
    if (st == nullptr) continue;
    if (!final_line && st->submitted == m.summarized_orders && st->fills == m.summarized_fills) continue;
    m.summarized_orders = st->submitted;
    m.summarized_fills = st->fills;
    // Positions are the strategy's own; the PnL figures are its instruments' (the account's).
    std::string positions;
    Money realized;
    Money net;
    for (const InstrumentId& id : host_->instruments(m.id)) {
      if (!positions.empty()) positions += ',';
      positions += id.to_string() + '=' + host_->position(m.id, id).to_string();
      if (const Position* p = node_.tracker().find(id)) {
        realized += p->realized_pnl();
        net += p->net_pnl();
      }
    }
    const std::size_t open_orders = node_.manager().orders_for_strategy(m.id, /*open_only=*/true).size();
    spdlog::info("Strategy summary strategy={} state={} orders={} fills={} open_orders={} position={} realized_pnl={} "
                 "net_pnl={} equity={}",
                 m.id.view(), to_string(host_->state(m.id)), st->submitted, st->fills, open_orders, positions,
                 realized.to_string(), net.to_string(), figures.equity.to_string());
  }
}

}  // namespace tradingd::daemon
