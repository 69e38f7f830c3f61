// What the StrategyHost adds to a market event: TradingNode::on_bar alone (the baseline, same run) against
// the node with a host routing the bar to 1 and to 8 no-op strategies on that instrument, to 8 strategies
// on another instrument (routing skips them), and to one MaCrossover 10/30 on a rising close (its SMAs
// update every bar, no cross after warm-up: the per-bar cost of a strategy that does not trade).
// MaCrossover_OnBar: the strategy alone, called directly with a stub context (no node, no host).
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <functional>

#include "strategy/ma_crossover.h"
#include "strategy/strategy_host.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd {
namespace {

struct Noop final : Strategy {
  std::uint64_t bars = 0;
  void on_bar(StrategyContext&, const Bar&) override { ++bars; }
};

const std::int64_t kBaseClose = Price::from_string("50000").raw();

// The close of bar i: a saw-tooth (the no-op cases) or rising by one tick a bar (no SMA cross).
std::int64_t sawtooth(std::int64_t i) { return kBaseClose + (i % 100) * 1'000'000; }
std::int64_t rising(std::int64_t i) { return kBaseClose + i * 10'000'000; }

void run(benchmark::State& state, int strategies, bool same_instrument,
         const std::function<std::unique_ptr<Strategy>()>& make = [] { return std::make_unique<Noop>(); },
         std::int64_t (*close)(std::int64_t) = sawtooth) {
  spdlog::set_level(spdlog::level::off);
  test::NodeHarness h(2);
  if (!h.start()) {
    state.SkipWithError("node did not start");
    return;
  }
  ManualScheduler scheduler(h.clock());
  std::unique_ptr<StrategyHost> host;
  if (strategies > 0) {
    host = std::make_unique<StrategyHost>(h.node(), h.clock(), scheduler);
    const InstrumentId& id = h.instruments().at(same_instrument ? 0 : 1).id;
    for (int i = 0; i < strategies; ++i) host->add("s" + std::to_string(i), make(), {id});
    host->start();
  }
  Bar b;
  b.instrument = h.instruments().at(0).id;
  b.open = b.high = b.low = b.close = Price::from_string("50000");
  b.volume = Quantity::from_string("1");
  std::int64_t i = 0;
  for (auto _ : state) {
    b.ts_open_ns = ++i * 60 * kNanosPerSecond;
    b.close = Price::from_raw(close(i));
    h.node().on_bar(b);
  }
  state.SetItemsProcessed(state.iterations());
  if (host) {
    if (const auto* st = host->stats(StrategyId::from("s0")); st && st->signals != 0)
      state.SkipWithError("the strategy traded: not the no-signal path");
    host->stop();
  }
}

std::unique_ptr<Strategy> ma_crossover() { return std::make_unique<MaCrossover>(MaCrossoverParams{10, 30, false, std::nullopt}); }

void BM_NodeOnBar_Baseline(benchmark::State& s) { run(s, 0, true); }
void BM_NodeOnBar_Host1(benchmark::State& s) { run(s, 1, true); }
void BM_NodeOnBar_Host8(benchmark::State& s) { run(s, 8, true); }
void BM_NodeOnBar_Host8OtherInstrument(benchmark::State& s) { run(s, 8, false); }
void BM_NodeOnBar_BaselineRising(benchmark::State& s) { run(s, 0, true, ma_crossover, rising); }
void BM_NodeOnBar_HostMaCrossover(benchmark::State& s) { run(s, 1, true, ma_crossover, rising); }
BENCHMARK(BM_NodeOnBar_Baseline);
BENCHMARK(BM_NodeOnBar_Host1);
BENCHMARK(BM_NodeOnBar_Host8);
BENCHMARK(BM_NodeOnBar_Host8OtherInstrument);
BENCHMARK(BM_NodeOnBar_BaselineRising);
BENCHMARK(BM_NodeOnBar_HostMaCrossover);

// Answers what MaCrossover asks on the no-signal path; anything else is a bench bug.
class StubContext final : public StrategyContext {
 public:
  explicit StubContext(InstrumentId id) : ids_{id} {}
  const StrategyId& strategy_id() const override { return id_; }
  TradingMode mode() const override { return TradingMode::Backtest; }
  UnixNanos now_ns() const override { return 0; }
  const std::vector<InstrumentId>& instruments() const override { return ids_; }
  const Instrument* instrument(const InstrumentId&) const override { return nullptr; }
  Quantity position(const InstrumentId&) const override { return Quantity::zero(); }
  std::vector<const Order*> open_orders(const InstrumentId&) const override { return {}; }
  SubmitResult submit(const Signal&) override {
    ++submits;
    return Err{SubmitRejection{}};
  }
  CancelOutcome cancel(OrderId) override { return CancelOutcome::UnknownOrder; }
  void set_timer(std::string_view, UnixNanos) override {}
  void log(StrategyLogLevel, std::string_view) override {}
  std::uint64_t submits = 0;

 private:
  StrategyId id_ = StrategyId::from("bench");
  std::vector<InstrumentId> ids_;
};

void BM_MaCrossover_OnBar(benchmark::State& state) {
  const InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  StubContext ctx(id);
  auto strategy = ma_crossover();
  Bar b;
  b.instrument = id;
  std::int64_t i = 0;
  for (auto _ : state) {
    b.close = Price::from_raw(rising(++i));
    strategy->on_bar(ctx, b);
  }
  state.SetItemsProcessed(state.iterations());
  if (ctx.submits != 0) state.SkipWithError("the strategy traded: not the no-signal path");
}
BENCHMARK(BM_MaCrossover_OnBar);

}  // namespace
}  // namespace tradingd

BENCHMARK_MAIN();
