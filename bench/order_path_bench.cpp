// The order hot path and the journal's disk cost, each next to a baseline measured in the same run.
//  - SignalToOrderReady: signal -> validate -> RiskGate::check_order -> OrderManager::create/submit ->
//    intent handed to the journal (+ the venue call, a no-op here). Per-signal latencies are timed one by
//    one (steady_clock) and reported as p50/p99/p99.9/max counters (ns). Two journals: in memory, and the
//    SQLite group-commit journal, whose hand-off is a copy into a lock-free ring (its fsync runs on the
//    writer thread, off the measured path).
//  - OrderLifecycle: what a backtest pays per order: signal -> order -> venue ack -> one fill -> terminal,
//    ~20k orders per manager (one backtest's worth), then the manager's teardown; ns per order. With a
//    journal keeping every record, and as a backtest runs it (records not kept).
//  - FsyncPerOrder: the synchronous journal (commit_interval 0): one insert + COMMIT (WAL fsync) per order.
//  - GroupCommit/N: N intents queued, then one commit (one fsync) for all of them.
// Baselines: the timer's own cost, and an allocation + hash-map insert (the floor of keeping an order).
// Journal files go to $TRADINGD_BENCH_DIR (default: ./bench-journal under the current directory).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "execution/execution_engine.h"
#include "execution/memory_journal.h"
#include "execution/sqlite_journal.h"
#include "risk/risk_gate.h"

namespace tradingd {
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void report_percentiles(benchmark::State& state, std::vector<std::int64_t>& samples) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return static_cast<double>(samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))]); };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.counters["max_ns"] = static_cast<double>(samples.back());
}

std::filesystem::path bench_dir(const char* name) {
  const char* env = std::getenv("TRADINGD_BENCH_DIR");
  std::filesystem::path dir = std::filesystem::path(env && *env ? env : "bench-journal") / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Answers nothing: the order path up to the venue call. FillingVenue below answers through the same stubs.
class NullVenue : public ExecutionVenue {
 public:
  Venue venue() const override { return Venue::Binance; }
  VenueCapabilities capabilities() const override { return {}; }
  void set_event_sink(VenueEventSink*) override {}
  void submit(const OrderRequest& r) override { benchmark::DoNotOptimize(&r); }
  void cancel(const CancelRequest&) override {}
  void cancel_all(const std::optional<InstrumentId>&) override {}
  void query_order(const InstrumentId&, const ClientOrderId&, VenueCallback<OrderStatusReport>) override {}
  void open_orders(const std::optional<InstrumentId>&, VenueCallback<std::vector<OrderStatusReport>>) override {}
  void fills_since(const InstrumentId&, UnixNanos, VenueCallback<std::vector<OrderFilled>>) override {}
  void account(VenueCallback<AccountReport>) override {}
  void set_leverage(const InstrumentId&, int, VenueCallback<int>) override {}
};

Instrument btc() {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  i.min_notional = Money::from_string("5");
  return i;
}

Signal signal_for(const Instrument& inst) {
  Signal s;
  s.instrument = inst.id;
  s.side = Side::Buy;
  s.type = OrderType::Limit;
  s.quantity = Quantity::from_string("0.01");
  s.limit_price = Price::from_string("65000.01");
  s.reference_price = Price::from_string("65000.5");
  s.strategy_id = StrategyId::from("bench");
  return s;
}

OrderIntentRecord intent(OrderId id) {
  OrderIntentRecord r;
  r.order_id = id;
  r.client_order_id = ClientOrderId::from("bench" + std::to_string(id));
  r.spec.instrument = btc().id;
  r.spec.type = OrderType::Limit;
  r.spec.quantity = Quantity::from_string("0.01");
  r.spec.price = Price::from_string("65000.01");
  r.spec.strategy_id = StrategyId::from("bench");
  r.ts_ns = 1;
  return r;
}

constexpr int kHotIterations = 100'000;

// --- Baselines --------------------------------------------------------------------------------------------

void BM_Baseline_TimerOverhead(benchmark::State& state) {
  std::vector<std::int64_t> samples;
  samples.reserve(kHotIterations);
  for (auto _ : state) {
    const std::int64_t t0 = now_ns();
    benchmark::ClobberMemory();
    samples.push_back(now_ns() - t0);
  }
  report_percentiles(state, samples);
}
BENCHMARK(BM_Baseline_TimerOverhead)->Iterations(kHotIterations);

void BM_Baseline_AllocateAndIndex(benchmark::State& state) {
  std::unordered_map<OrderId, std::unique_ptr<Order>> map;
  const OrderSpec spec = intent(1).spec;
  std::vector<std::int64_t> samples;
  samples.reserve(kHotIterations);
  OrderId id = 0;
  for (auto _ : state) {
    const std::int64_t t0 = now_ns();
    ++id;
    map.emplace(id, std::make_unique<Order>(id, ClientOrderId::from("x"), spec, 0));
    samples.push_back(now_ns() - t0);
  }
  report_percentiles(state, samples);
}
BENCHMARK(BM_Baseline_AllocateAndIndex)->Iterations(kHotIterations);

void BM_Baseline_ValidateOnly(benchmark::State& state) {
  const Instrument inst = btc();
  const Signal s = signal_for(inst);
  std::vector<std::int64_t> samples;
  samples.reserve(kHotIterations);
  for (auto _ : state) {
    const std::int64_t t0 = now_ns();
    auto r = validate_signal(s, &inst, {}, 0);
    benchmark::DoNotOptimize(r);
    samples.push_back(now_ns() - t0);
  }
  report_percentiles(state, samples);
}
BENCHMARK(BM_Baseline_ValidateOnly)->Iterations(kHotIterations);

// --- The hot path -----------------------------------------------------------------------------------------

void run_signal_path(benchmark::State& state, OrderJournal& journal) {
  RealClock clock;
  InstrumentTable instruments;
  instruments.add(btc());
  AllowAllRiskGate risk;
  NullVenue venue;
  OrderManager manager(clock, journal, *ClientOrderIdCodec::make("tdbench1"));
  manager.add_venue(venue);
  ExecutionEngine engine(clock, manager, risk, instruments);
  const Signal s = signal_for(btc());
  std::vector<std::int64_t> samples;
  samples.reserve(kHotIterations);
  std::int64_t failures = 0;
  for (auto _ : state) {
    const std::int64_t t0 = now_ns();
    auto r = engine.submit_signal(s);
    const std::int64_t dt = now_ns() - t0;
    if (!r) ++failures;
    samples.push_back(dt);
  }
  report_percentiles(state, samples);
  state.counters["failures"] = static_cast<double>(failures);
}

void BM_SignalToOrderReady_MemoryJournal(benchmark::State& state) {
  MemoryJournal journal;
  run_signal_path(state, journal);
}
BENCHMARK(BM_SignalToOrderReady_MemoryJournal)->Iterations(kHotIterations);

void BM_SignalToOrderReady_SqliteGroupCommit(benchmark::State& state) {
  SqliteJournalOptions o;
  o.commit_interval_ms = 2;
  o.queue_capacity = 1 << 17;
  auto j = SqliteJournal::open(bench_dir("group") / "journal.sqlite3", o);
  if (!j) {
    state.SkipWithError(j.error().message.c_str());
    return;
  }
  run_signal_path(state, **j);
  (*j)->flush(60'000);
  const JournalStats st = (*j)->stats();
  state.counters["commits"] = static_cast<double>(st.commits);
  state.counters["avg_batch"] = st.commits ? static_cast<double>(st.records) / static_cast<double>(st.commits) : 0;
}
BENCHMARK(BM_SignalToOrderReady_SqliteGroupCommit)->Iterations(kHotIterations);

// A venue that acks and fills every order in full, synchronously (the manager defers the events until
// submit() returns, as it does for the simulated venue).
class FillingVenue final : public NullVenue {
 public:
  void set_event_sink(VenueEventSink* sink) override { sink_ = sink; }
  void submit(const OrderRequest& r) override {
    ++n_;
    const VenueOrderId vid = *VenueOrderId::make(std::to_string(1'000'000 + n_));
    sink_->on_venue_event(OrderAccepted{r.instrument, r.client_order_id, vid, 1});
    sink_->on_venue_event(OrderFilled{r.instrument, r.client_order_id, vid, *TradeId::make(std::to_string(n_)), r.side,
                                      r.quantity, *r.price, fee_, fee_asset_, LiquiditySide::Taker, 2});
  }

 private:
  VenueEventSink* sink_ = nullptr;
  std::uint64_t n_ = 0;
  const Money fee_ = Money::from_string("0.65");  // parsed once: the harness's cost, not the order path's
  const Asset fee_asset_ = Asset::from("USDT");
};

void run_lifecycle(benchmark::State& state, MemoryJournalOptions journal_options) {
  constexpr int kOrders = 20'000;
  InstrumentTable instruments;
  instruments.add(btc());
  AllowAllRiskGate risk;
  const Signal s = signal_for(btc());
  std::int64_t failures = 0;
  for (auto _ : state) {
    SimulatedClock clock(1'700'000'000'000'000'000);
    MemoryJournal journal(journal_options);
    FillingVenue venue;
    auto manager = std::make_unique<OrderManager>(clock, journal, *ClientOrderIdCodec::make("tdbench1"));
    manager->add_venue(venue);
    {
      ExecutionEngine engine(clock, *manager, risk, instruments);
      for (int i = 0; i < kOrders; ++i) {
        clock.advance_ns(60'000'000'000);
        if (!engine.submit_signal(s)) ++failures;
      }
    }
    manager.reset();  // teardown is part of the cost
  }
  state.SetItemsProcessed(state.iterations() * kOrders);
  state.counters["ns_per_order"] = benchmark::Counter(static_cast<double>(state.iterations() * kOrders),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["failures"] = static_cast<double>(failures);
}

// The journal keeps every record (a restart could read them back).
void BM_OrderLifecycle_MemoryJournal(benchmark::State& state) { run_lifecycle(state, MemoryJournalOptions{}); }
BENCHMARK(BM_OrderLifecycle_MemoryJournal)->Unit(benchmark::kMillisecond);

// As NodeDriver configures it for a backtest: records counted and sequenced, not kept.
void BM_OrderLifecycle_BacktestJournal(benchmark::State& state) {
  run_lifecycle(state, MemoryJournalOptions{.manual_durability = false, .keep_records = false});
}
BENCHMARK(BM_OrderLifecycle_BacktestJournal)->Unit(benchmark::kMillisecond);

// --- The disk ---------------------------------------------------------------------------------------------

void BM_FsyncPerOrder(benchmark::State& state) {
  auto j = SqliteJournal::open(bench_dir("sync") / "journal.sqlite3", SqliteJournalOptions{});
  if (!j) {
    state.SkipWithError(j.error().message.c_str());
    return;
  }
  OrderId id = 0;
  std::vector<std::int64_t> samples;
  for (auto _ : state) {
    const std::int64_t t0 = now_ns();
    auto r = (*j)->append_intent(intent(++id));
    samples.push_back(now_ns() - t0);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  report_percentiles(state, samples);
  const JournalStats st = (*j)->stats();
  state.counters["commit_avg_ns"] = st.commits ? static_cast<double>(st.commit_ns_total) / static_cast<double>(st.commits) : 0;
}
BENCHMARK(BM_FsyncPerOrder)->Iterations(300)->Unit(benchmark::kMicrosecond);

void BM_GroupCommit(benchmark::State& state) {
  SqliteJournalOptions o;
  o.commit_interval_ms = 3'600'000;  // only flush() commits
  o.queue_capacity = 1 << 14;
  auto j = SqliteJournal::open(bench_dir("batch") / "journal.sqlite3", o);
  if (!j) {
    state.SkipWithError(j.error().message.c_str());
    return;
  }
  const int n = static_cast<int>(state.range(0));
  OrderId id = 0;
  std::vector<std::int64_t> samples;
  for (auto _ : state) {
    for (int i = 0; i < n; ++i) (void)(*j)->append_intent(intent(++id));
    const std::int64_t t0 = now_ns();
    if (!(*j)->flush(60'000)) state.SkipWithError("flush failed");
    samples.push_back(now_ns() - t0);
  }
  report_percentiles(state, samples);
  const JournalStats st = (*j)->stats();
  state.counters["fsync_avg_ns"] = st.commits ? static_cast<double>(st.commit_ns_total) / static_cast<double>(st.commits) : 0;
  state.counters["write_per_order_ns"] = st.intents ? static_cast<double>(st.write_ns_total) / static_cast<double>(st.intents) : 0;
}
BENCHMARK(BM_GroupCommit)->Arg(1)->Arg(10)->Arg(100)->Arg(1000)->Iterations(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tradingd

BENCHMARK_MAIN();
