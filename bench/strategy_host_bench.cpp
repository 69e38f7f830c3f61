// What the StrategyHost adds to a market event: TradingNode::on_bar alone (the baseline, same run) against
// the node with a host routing the bar to 1 and to 8 no-op strategies on that instrument, and to 8
// strategies on another instrument (routing skips them).
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include "strategy/strategy_host.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd {
namespace {

struct Noop final : Strategy {
  std::uint64_t bars = 0;
  void on_bar(StrategyContext&, const Bar&) override { ++bars; }
};

void run(benchmark::State& state, int strategies, bool same_instrument) {
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
    for (int i = 0; i < strategies; ++i) host->add("s" + std::to_string(i), std::make_unique<Noop>(), {id});
    host->start();
  }
  Bar b;
  b.instrument = h.instruments().at(0).id;
  b.open = b.high = b.low = b.close = Price::from_string("50000");
  b.volume = Quantity::from_string("1");
  std::int64_t i = 0;
  for (auto _ : state) {
    b.ts_open_ns = ++i * 60 * kNanosPerSecond;
    b.close = Price::from_raw(Price::from_string("50000").raw() + (i % 100) * 1'000'000);
    h.node().on_bar(b);
  }
  state.SetItemsProcessed(state.iterations());
  if (host) host->stop();
}

void BM_NodeOnBar_Baseline(benchmark::State& s) { run(s, 0, true); }
void BM_NodeOnBar_Host1(benchmark::State& s) { run(s, 1, true); }
void BM_NodeOnBar_Host8(benchmark::State& s) { run(s, 8, true); }
void BM_NodeOnBar_Host8OtherInstrument(benchmark::State& s) { run(s, 8, false); }
BENCHMARK(BM_NodeOnBar_Baseline);
BENCHMARK(BM_NodeOnBar_Host1);
BENCHMARK(BM_NodeOnBar_Host8);
BENCHMARK(BM_NodeOnBar_Host8OtherInstrument);

}  // namespace
}  // namespace tradingd

BENCHMARK_MAIN();
