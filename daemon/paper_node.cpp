// PaperNode wiring, in the order execution/README.md prescribes: journal -> orders restored -> positions
// from journaled fills -> breaker and paper venue from the StateStore -> reconcile -> accept signals.
#include "daemon/paper_node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "execution/journal_export.h"
#include "execution/sim/sim_config.h"

namespace tradingd::daemon {

class PaperNode::AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(boost::asio::io_context& io) : io_(io) {}
  void schedule_after(std::int64_t delay_ns, std::function<void()> fn) override {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::nanoseconds(delay_ns));
    timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (!ec) fn();
    });
  }

 private:
  boost::asio::io_context& io_;
};

Instrument paper_instrument_rules(const config::InstrumentConfig& cfg) {
  Instrument i;
  i.id = cfg.id;
  const std::string_view sym = cfg.id.symbol.view();
  // Symbols end in the quote asset (BTCUSDT, BTC-USDT, BTC-USDT-SWAP); USDT is the only one we trade.
  const auto pos = sym.find("USDT");
  std::string base(sym.substr(0, pos == std::string_view::npos ? sym.size() : pos));
  while (!base.empty() && base.back() == '-') base.pop_back();
  i.base = Asset::from(base);
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.00000001");
  i.step_size = Quantity::from_string("0.00000001");
  i.min_quantity = Quantity::from_string("0.00000001");
  i.max_leverage = cfg.leverage > 0 ? cfg.leverage : 1;
  return i;
}

PaperNode::PaperNode(Daemon& daemon) : daemon_(daemon) {
  const auto& cfg = daemon_.config();
  auto& io = daemon_.io();
  daemon_.readiness().declare("state", "restoring journal");

  // 1. Journal and state store: refuse to trade when either cannot be opened.
  const auto path = journal_path_in(cfg.state_dir);
  SqliteJournalOptions jo;
  jo.commit_interval_ms = cfg.execution.journal_commit_interval_ms;
  std::weak_ptr<bool> alive = alive_;
  jo.on_durable = [&io, alive, this] {
    boost::asio::post(io, [alive, this] {
      if (auto a = alive.lock(); a && *a && node_) node_->manager().poll_journal();
    });
  };
  auto journal = SqliteJournal::open(path, jo);
  if (!journal) throw std::runtime_error("journal " + path.string() + ": " + journal.error().message);
  journal_ = std::move(*journal);
  auto store = StateStore::open(path);
  if (!store) throw std::runtime_error("state store " + path.string() + ": " + store.error().message);
  store_ = std::move(*store);

  // 2. One simulated venue per venue with configured instruments.
  TradingNodeConfig nc;
  nc.risk = cfg.risk;
  nc.execution = cfg.execution;
  std::vector<Instrument> instruments;
  std::vector<InstrumentId> ids;
  std::vector<Venue> venues;
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    auto vc = sim::sim_config_from_paper(cfg.paper, v);
    for (const auto& ic : cfg.instruments) {
      if (ic.id.venue != v) continue;
      const Instrument inst = paper_instrument_rules(ic);
      vc.instruments.push_back(sim::sim_instrument_from_config(inst, ic));
      instruments.push_back(inst);
      ids.push_back(inst.id);
    }
    if (vc.instruments.empty()) continue;
    venues.push_back(v);
    nc.sim_venues.push_back(std::move(vc));
  }
  stats_ = std::make_unique<NodeStats>(daemon_.metrics(), venues, ids);
  nc.observer = stats_.get();
  scheduler_ = std::make_unique<AsioScheduler>(io);
  auto codec = ClientOrderIdCodec::make(make_client_id_prefix("td", journal_->epoch()));
  if (!codec) throw std::runtime_error("client order id prefix from the journal epoch is invalid");
  node_ = std::make_unique<TradingNode>(std::move(nc), daemon_.clock(), *scheduler_, *journal_, store_.get(), *codec,
                                        instruments);
  strategies_ = std::make_unique<StrategyWiring>(daemon_, *node_, *scheduler_);  // a bad strategies[] entry throws

  // 3. Restore and reconcile; "state" becomes ready when signals are accepted.
  auto started = node_->start(journal_->snapshot(), [this, alive](const ReconcileReport& r) {
    if (auto a = alive.lock(); !a || !*a) return;
    if (r.ok_to_trade()) {
      daemon_.readiness().report("state", true, "reconciled");
      strategies_->start();
    } else {
      daemon_.readiness().report("state", false, "reconciliation incomplete: refusing to trade");
    }
  });
  if (!started) throw std::runtime_error(started.error());
  spdlog::info(
      "Paper trading node started venues={} instruments={} orders={} open_orders={} fills={} "
      "breaker_tripped={} venue_snapshots={}",
      venues.size(), instruments.size(), started->restored.orders, started->restored.open_orders,
      started->fills_replayed, started->breaker_tripped, started->venue_snapshots_restored);

  // 4. SIGUSR1 / control API: the emergency stop coordinator; the outcome is logged by the node.
  daemon_.emergency_stop().add_handler("trading_node", [this, alive](const EmergencyStopRequest& req) {
    const auto r =
        node_->emergency_stop("emergency stop (" + req.source + ")", [this, alive](const EmergencyStopReport& rep) {
          if (auto a = alive.lock(); !a || !*a) return;
          stats_->on_emergency_stop(rep);
          stats_->refresh(*node_);
        });
    if (r == StartResult::AlreadyRunning) spdlog::info("Emergency stop already running source={}", req.source);
  });

  // 5. Shutdown: persist the breaker and paper venues, then flush the journal.
  daemon_.shutdown_sequence().add("trading_node", [this](ShutdownSequence::Done done) {
    node_->shutdown();
    stats_->refresh(*node_);
    if (!journal_->flush()) spdlog::error("Journal flush did not complete before shutdown");
    done();
  });
  strategies_->add_shutdown_step();  // registered after the node's step: the strategies stop first
  schedule_metrics();
  // TEST ONLY (the SIGKILL crash test): synthetic quotes and alternating market signals, so the process
  // has orders and fills in flight when it is killed. Never set in deployment; logged loudly when on.
  if (const char* hook = std::getenv("TRADINGD_TEST_SYNTHETIC_TRADING"); hook != nullptr && std::string(hook) == "1") {
    spdlog::warn("TEST ONLY: synthetic market data and signals enabled (TRADINGD_TEST_SYNTHETIC_TRADING=1)");
    for (const auto& inst : instruments) test_instruments_.push_back(inst.id);
    schedule_test_trading();
  }
}

void PaperNode::schedule_test_trading() {
  std::weak_ptr<bool> alive = alive_;
  scheduler_->schedule_after(150 * kNanosPerMilli, [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    const UnixNanos now = daemon_.clock().now_ns();
    for (const auto& id : test_instruments_) {
      node_->on_quote(QuoteTick{id, Price::from_string("49999.5"), Quantity::from_units(100),
                                Price::from_string("50000.5"), Quantity::from_units(100), now, now});
      Signal s;
      s.instrument = id;
      s.side = (test_signals_++ % 2 == 0) ? Side::Buy : Side::Sell;
      s.type = OrderType::Market;
      s.quantity = Quantity::from_string("0.001");
      s.reference_price = Price::from_string("50000");
      s.strategy_id = StrategyId::from("test_hook");
      (void)node_->submit_signal(s);  // refusals (not ready, risk) are counted by the node
    }
    schedule_test_trading();
  });
}

PaperNode::~PaperNode() { *alive_ = false; }

void PaperNode::schedule_metrics() {
  std::weak_ptr<bool> alive = alive_;
  scheduler_->schedule_after(kNanosPerSecond, [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    stats_->refresh(*node_);
    schedule_metrics();
  });
}

}  // namespace tradingd::daemon
