// A TradingNode on a SimulatedVenue with a simulated clock, a ManualScheduler, a MemoryJournal and a
// StateStore in a temporary directory; restart() builds a new node from the same journal and store, as a
// daemon restart would. Synthetic market data: one quote per instrument around a mid price.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "execution/journal_export.h"
#include "execution/memory_journal.h"
#include "execution/node/trading_node.h"

namespace tradingd::test {

inline Instrument perp(const std::string& base) {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from(base + "USDT")};
  i.base = Asset::from(base);
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.001");
  i.min_quantity = Quantity::from_string("0.001");
  i.min_notional = Money::from_string("5");
  i.max_leverage = 10;
  return i;
}

class NodeHarness {
 public:
  explicit NodeHarness(std::size_t instrument_count = 1, std::int64_t latency_ms = 0) {
    dir_ = std::filesystem::temp_directory_path() /
           ("tradingd_node_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (std::size_t i = 0; i < instrument_count; ++i) instruments_.push_back(perp("C" + std::to_string(i)));

    config_.risk.max_orders_per_second = 0;
    config_.risk.max_orders_per_day = 0;
    config_.risk.max_open_positions = 50;
    config_.risk.max_position_notional = Money::from_units(1'000'000);
    config_.risk.max_gross_exposure = Money::from_units(10'000'000);
    config_.risk.max_leverage = Rate::from_units(10);
    config_.risk.cancel_orders_on_trip = false;
    sim::SimVenueConfig vc;
    vc.venue = Venue::Binance;
    vc.latency.order_entry_ns = latency_ms * kNanosPerMilli;
    vc.latency.response_ns = latency_ms * kNanosPerMilli;
    vc.starting_balances = {{Asset::from("USDT"), Money::from_units(1'000'000)}};
    for (const auto& inst : instruments_) {
      sim::SimInstrumentConfig ic;
      ic.instrument = inst;
      ic.leverage = 10;
      vc.instruments.push_back(ic);
    }
    config_.sim_venues.push_back(vc);
    config_.timer_interval_ms = 10;
    open_store();
    build();
  }
  ~NodeHarness() {
    node_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A fresh node over the same journal and store (a restart): the old one shuts down first.
  Result<StartupReport, std::string> restart() {
    if (node_) node_->shutdown();
    node_.reset();
    scheduler_ = std::make_unique<ManualScheduler>(clock_);
    build();
    return start();
  }

  // A crash: the node is gone without shutdown() (no final breaker/venue snapshot), then a restart.
  Result<StartupReport, std::string> crash_restart() {
    node_.reset();
    scheduler_ = std::make_unique<ManualScheduler>(clock_);
    build();
    return start();
  }

  Result<StartupReport, std::string> start() {
    auto r = node_->start(journal_.durable_snapshot(), [this](const ReconcileReport& rep) { reconcile_ = rep; });
    quotes("50000");
    step_ms(200);
    return r;
  }

  void quotes(const char* mid) {
    const Price m = Price::from_string(mid);
    for (const auto& inst : instruments_) {
      node_->on_quote(QuoteTick{inst.id, m - Price::from_string("0.5"), Quantity::from_units(100),
                                m + Price::from_string("0.5"), Quantity::from_units(100), clock_.now_ns(),
                                clock_.now_ns()});
    }
  }

  // Moves the simulated clock in 1 ms steps, running due timers (the node's tick) at each.
  void step_ms(std::int64_t ms) {
    for (std::int64_t i = 0; i < ms; ++i) {
      clock_.advance_ns(kNanosPerMilli);
      scheduler_->run_due();
    }
  }

  Signal market(std::size_t instrument, Side side, const char* q, bool reduce_only = false) const {
    Signal s;
    s.instrument = instruments_.at(instrument).id;
    s.side = side;
    s.type = OrderType::Market;
    s.quantity = Quantity::from_string(q);
    s.reduce_only = reduce_only;
    s.reference_price = Price::from_string("50000");
    s.strategy_id = StrategyId::from("test");
    return s;
  }
  Signal limit(std::size_t instrument, Side side, const char* q, const char* price) const {
    Signal s = market(instrument, side, q);
    s.type = OrderType::Limit;
    s.limit_price = Price::from_string(price);
    return s;
  }

  Quantity position(std::size_t instrument) const {
    const Position* p = node_->tracker().find(instruments_.at(instrument).id);
    return p ? p->quantity() : Quantity{};
  }

  TradingNode& node() { return *node_; }
  SimulatedClock& clock() { return clock_; }
  TradingNodeConfig& config() { return config_; }
  MemoryJournal& journal() { return journal_; }
  const std::optional<ReconcileReport>& reconcile() const { return reconcile_; }
  const std::vector<Instrument>& instruments() const { return instruments_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  void open_store() {
    auto s = StateStore::open(dir_ / "state.sqlite3", /*fsync=*/false);
    if (s) store_ = std::move(*s);
  }
  void build() {
    reconcile_.reset();
    node_ = std::make_unique<TradingNode>(config_, clock_, *scheduler_, journal_, store_.get(),
                                          *ClientOrderIdCodec::make("td"), instruments_);
  }

  std::filesystem::path dir_;
  SimulatedClock clock_{1'700'000'000 * kNanosPerSecond};
  std::unique_ptr<ManualScheduler> scheduler_ = std::make_unique<ManualScheduler>(clock_);
  MemoryJournal journal_;
  std::unique_ptr<StateStore> store_;
  std::vector<Instrument> instruments_;
  TradingNodeConfig config_;
  std::unique_ptr<TradingNode> node_;
  std::optional<ReconcileReport> reconcile_;
};

}  // namespace tradingd::test
