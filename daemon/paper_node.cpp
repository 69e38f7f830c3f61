// PaperNode wiring, in the order execution/README.md prescribes: journal -> (venue instrument rules) ->
// orders restored -> positions from journaled fills -> breaker and paper venue from the StateStore ->
// reconcile -> accept signals -> market data attached.
#include "daemon/paper_node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "daemon/market_data_feeds.h"
#include "exchange/book/order_book.h"
#include "exchange/net/feed_client.h"
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
  daemon_.readiness().declare("state", "waiting for the venues' instrument rules");

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
  scheduler_ = std::make_unique<AsioScheduler>(io);

  // 2. The venues' instrument rules first (market data loads them: REST, else a fresh cache), then the node.
  MarketDataFeeds* md = daemon_.market_data();
  if (md == nullptr) {
    std::vector<Instrument> rules;  // TEST ONLY (TRADINGD_TEST_NO_MARKET_DATA=1): no venue to ask
    for (const auto& ic : cfg.instruments) rules.push_back(paper_instrument_rules(ic));
    build_node(rules);
    return;
  }
  md->start([this, alive](const std::vector<Instrument>& rules) {
    if (auto a = alive.lock(); !a || !*a) return;
    if (daemon_.shutdown_sequence().started()) return;  // shutting down: no node to build any more
    try {
      build_node(rules);
    } catch (const StartupUsageError& e) {
      daemon_.fail(2, e.what());  // unusable configuration or credentials: exit 2, as at start-up
    } catch (const std::exception& e) {
      daemon_.fail(1, std::string("paper trading node: ") + e.what());
    }
  });
}

void PaperNode::build_node(const std::vector<Instrument>& rules) {
  const auto& cfg = daemon_.config();
  std::weak_ptr<bool> alive = alive_;
  const auto rules_of = [&rules](const InstrumentId& id) -> const Instrument* {
    for (const auto& r : rules)
      if (r.id == id) return &r;
    return nullptr;
  };

  // One simulated venue per venue with configured instruments, on the venue's own rules.
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
      const Instrument* inst = rules_of(ic.id);
      if (inst == nullptr) throw std::runtime_error("no instrument rules for " + ic.id.to_string());
      vc.instruments.push_back(sim::sim_instrument_from_config(*inst, ic));
      instruments.push_back(*inst);
      ids.push_back(inst->id);
    }
    if (vc.instruments.empty()) continue;
    venues.push_back(v);
    if (cfg.mode != TradingMode::Live) nc.sim_venues.push_back(std::move(vc));
  }
  // Live mode: the venues' adapters instead of simulated venues (owned here, outlive the node).
  if (cfg.mode == TradingMode::Live) {
    auto built = make_live_venues(daemon_.io(), cfg, daemon_.credentials(), daemon_.clock(), instruments);
    if (!built) throw StartupUsageError("live venues: " + built.error());
    live_ = std::make_unique<LiveVenues>(std::move(*built));
    live_stats_ = std::make_unique<LiveVenueMetrics>(daemon_.metrics(), *live_);
    nc.live_venues = live_->pointers();
  }
  stats_ = std::make_unique<NodeStats>(daemon_.metrics(), venues, ids);
  nc.observer = stats_.get();
  auto codec = ClientOrderIdCodec::make(make_client_id_prefix("td", journal_->epoch()));
  if (!codec) throw std::runtime_error("client order id prefix from the journal epoch is invalid");
  node_ = std::make_unique<TradingNode>(std::move(nc), daemon_.clock(), *scheduler_, *journal_, store_.get(), *codec,
                                        instruments);
  strategies_ = std::make_unique<StrategyWiring>(daemon_, *node_, *scheduler_);  // a bad strategies[] entry throws
  daemon_.readiness().report("state", false, "restoring journal");

  // Restore and reconcile; "state" becomes ready when signals are accepted.
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
      "Trading node started mode={} venues={} instruments={} orders={} open_orders={} fills={} "
      "breaker_tripped={} venue_snapshots={}",
      to_string(cfg.mode), venues.size(), instruments.size(), started->restored.orders, started->restored.open_orders,
      started->fills_replayed, started->breaker_tripped, started->venue_snapshots_restored);

  // Market data flows into the node from now on (the current feed statuses first).
  if (MarketDataFeeds* md = daemon_.market_data()) md->attach(node_.get());

  // SIGUSR1 / control API: the emergency stop coordinator; the outcome is logged by the node.
  daemon_.emergency_stop().add_handler("trading_node", [this, alive](const EmergencyStopRequest& req) {
    const auto r =
        node_->emergency_stop("emergency stop (" + req.source + ")", [this, alive](const EmergencyStopReport& rep) {
          if (auto a = alive.lock(); !a || !*a) return;
          stats_->on_emergency_stop(rep);
          stats_->refresh(*node_);
        });
    if (r == StartResult::AlreadyRunning) spdlog::info("Emergency stop already running source={}", req.source);
  });

  // Shutdown: detach from market data, persist the breaker and paper venues, then flush the journal.
  daemon_.shutdown_sequence().add("trading_node", [this](ShutdownSequence::Done done) {
    if (MarketDataFeeds* md = daemon_.market_data()) md->attach(nullptr);
    node_->shutdown();
    stats_->refresh(*node_);
    if (live_stats_) live_stats_->refresh();
    if (!journal_->flush()) spdlog::error("Journal flush did not complete before shutdown");
    done();
  });
  strategies_->add_shutdown_step();  // registered after the node's step: the strategies stop first
  schedule_metrics();
  for (auto& fn : node_ready_) fn(*node_);
  node_ready_.clear();
  // TEST ONLY. "1" (the SIGKILL crash test): synthetic quotes and alternating market signals, so the
  // process has orders and fills in flight when it is killed. "signals" (the market-data e2e test):
  // alternating market signals of 50 USDT only, filled against the live books. "quotes" (the control API
  // test, which sends its own signals): the synthetic quotes alone. Never set in deployment; logged loudly.
  if (const char* hook = std::getenv("TRADINGD_TEST_SYNTHETIC_TRADING"); hook != nullptr) {
    const std::string mode(hook);
    if (mode == "1" || mode == "signals" || mode == "quotes") {
      test_synthetic_quotes_ = mode != "signals";
      test_signals_enabled_ = mode != "quotes";
      spdlog::warn("TEST ONLY: synthetic {} enabled (TRADINGD_TEST_SYNTHETIC_TRADING={})",
                   mode == "1" ? "market data and signals" : mode == "signals" ? "signals on live market data" : "quotes",
                   mode);
      for (const auto& inst : instruments) test_instruments_.push_back(inst.id);
      schedule_test_trading();
    }
  }
}

void PaperNode::on_node_ready(std::function<void(TradingNode&)> fn) {
  if (node_) {
    fn(*node_);
  } else {
    node_ready_.push_back(std::move(fn));
  }
}

void PaperNode::schedule_test_trading() {
  std::weak_ptr<bool> alive = alive_;
  scheduler_->schedule_after(150 * kNanosPerMilli, [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    const UnixNanos now = daemon_.clock().now_ns();
    for (const auto& id : test_instruments_) {
      if (test_synthetic_quotes_) {
        node_->on_quote(QuoteTick{id, Price::from_string("49999.5"), Quantity::from_units(100),
                                  Price::from_string("50000.5"), Quantity::from_units(100), now, now});
      }
      if (!test_signals_enabled_) continue;
      Signal s;
      s.instrument = id;
      s.type = OrderType::Market;
      s.strategy_id = StrategyId::from("test_hook");
      if (test_synthetic_quotes_) {
        s.quantity = Quantity::from_string("0.001");
        s.reference_price = Price::from_string("50000");
      } else {
        // On live market data: only while the instrument's book is valid, priced from it.
        MarketDataFeeds* md = daemon_.market_data();
        net::FeedClient* client = md != nullptr ? md->client(id.venue) : nullptr;
        const OrderBook* book = client != nullptr ? client->book(id) : nullptr;
        const auto mid = book != nullptr && book->valid() ? book->mid() : std::nullopt;
        if (!mid) continue;
        s.notional = Money::from_units(50);
        s.reference_price = *mid;
      }
      s.side = (test_signals_++ % 2 == 0) ? Side::Buy : Side::Sell;
      (void)node_->submit_signal(s);  // refusals (not ready, risk) are counted by the node
    }
    schedule_test_trading();
  });
}

PaperNode::~PaperNode() {
  *alive_ = false;
  if (MarketDataFeeds* md = daemon_.market_data(); md != nullptr && node_) md->attach(nullptr);
}

void PaperNode::schedule_metrics() {
  std::weak_ptr<bool> alive = alive_;
  scheduler_->schedule_after(kNanosPerSecond, [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    stats_->refresh(*node_);
    if (live_stats_) live_stats_->refresh();
    schedule_metrics();
  });
}

}  // namespace tradingd::daemon
