// End-to-end backtest throughput: one year of 1-minute bars (525,600) for one instrument through the whole
// engine — event cursor → TradingNode → SimulatedVenue (candle mode) → portfolio → RiskGuard → strategy
// (the moving-average crossover through the StrategyHost) — in bars per second, next to baselines measured
// in the same run: a loop that only reads the same bars, and the CSV loader alone (the archive format,
// parsed into exact fixed-point bars), and the full path from that CSV file.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "backtest/backtest_run.h"
#include "backtest/data_set.h"
#include "bench/backtest_engine_setup.h"

namespace {
using namespace tradingd;
using namespace tradingd::backtest;

constexpr int kBars = 525'600;                         // 365 days of minutes
constexpr UnixNanos kStart = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01

// A seeded random walk with slow swings, so the averages cross a few times a day as on real data.
std::vector<HistoricalEvent> make_events(const InstrumentId& id) {
  std::vector<HistoricalEvent> ev;
  ev.reserve(kBars);
  std::uint64_t state = 42;
  std::int64_t cents = 4'200'000;
  for (int i = 0; i < kBars; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const std::int64_t open = cents;
    cents += static_cast<std::int64_t>(state % 2001) - 1000;
    if (cents < 100'000) cents = 100'000;
    Bar b;
    b.instrument = id;
    b.interval_s = 60;
    b.ts_open_ns = kStart + static_cast<std::int64_t>(i) * 60 * kNanosPerSecond;
    b.open = Price::from_raw(open * 10'000'000);
    b.close = Price::from_raw(cents * 10'000'000);
    b.high = Price::from_raw((std::max(open, cents) + static_cast<std::int64_t>(state % 700)) * 10'000'000);
    b.low = Price::from_raw((std::min(open, cents) - static_cast<std::int64_t>(state % 500)) * 10'000'000);
    b.volume = Quantity::from_raw(static_cast<std::int64_t>(state % 90'000'000'000) + 1'000'000'000);
    ev.push_back(HistoricalEvent{b.ts_close_ns(), 0, b});
  }
  return ev;
}

struct Data {
  InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  std::vector<HistoricalEvent> events = make_events(id);
};

const Data& data() {
  static const Data d;
  return d;
}

// The same bars as an archive file (written on first use).
struct CsvFile {
  std::filesystem::path csv;
  CsvFile() {
    const auto& events = data().events;
    csv = std::filesystem::temp_directory_path() / ("tradingd_bench_" + std::to_string(::getpid())) /
          "BTCUSDT-1m-2024-01.csv";
    std::filesystem::create_directories(csv.parent_path());
    std::ofstream out(csv, std::ios::binary);
    char buf[256];
    for (const auto& e : events) {
      const Bar& b = std::get<Bar>(e.payload);
      const long long t = b.ts_open_ns / kNanosPerMilli;
      std::snprintf(buf, sizeof buf, "%lld,%s,%s,%s,%s,%s,%lld,0,1,0,0,0\n", t, b.open.to_string().c_str(),
                    b.high.to_string().c_str(), b.low.to_string().c_str(), b.close.to_string().c_str(),
                    b.volume.to_string().c_str(), t + 59'999);
      out << buf;
    }
  }
  ~CsvFile() { std::filesystem::remove_all(csv.parent_path()); }
};

const std::filesystem::path& csv_file() {
  static const CsvFile f;
  return f.csv;
}

void report(benchmark::State& state, std::int64_t bars) {
  state.SetItemsProcessed(state.iterations() * bars);
  state.counters["bars_per_s"] = benchmark::Counter(static_cast<double>(state.iterations() * bars),
                                                    benchmark::Counter::kIsRate);
}

// Baseline: only read the bars (the same cursor the engine reads them through).
void BM_Baseline_ReadBars(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) {
    SpanCursor cursor(d.events);
    const HistoricalEvent* ev = nullptr;
    std::int64_t sum = 0;
    while (cursor.next(ev) == ReadStatus::Item) sum += std::get<Bar>(ev->payload).close.raw();
    benchmark::DoNotOptimize(sum);
  }
  report(state, kBars);
}
BENCHMARK(BM_Baseline_ReadBars)->Unit(benchmark::kMillisecond);

// The whole engine from bars in memory.
void BM_EndToEnd_Memory(benchmark::State& state) {
  const auto& d = data();
  std::int64_t trades = 0;
  for (auto _ : state) {
    auto spec = bench::ma_spec(d.id);
    SpanCursor cursor(d.events);
    auto r = run_backtest(spec, cursor, bench::ma_attacher());
    if (!r) {
      state.SkipWithError(r.error().c_str());
      return;
    }
    trades = r->summary.trades;
    benchmark::DoNotOptimize(r->equity.data());
  }
  state.counters["trades"] = static_cast<double>(trades);
  report(state, kBars);
}
BENCHMARK(BM_EndToEnd_Memory)->Unit(benchmark::kMillisecond);

// The node path without a strategy (no orders): what every bar costs before any trading.
void BM_NodeOnly_Memory(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) {
    auto spec = bench::ma_spec(d.id);
    SpanCursor cursor(d.events);
    auto r = run_backtest(spec, cursor, {});
    if (!r) {
      state.SkipWithError(r.error().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->equity.data());
  }
  report(state, kBars);
}
BENCHMARK(BM_NodeOnly_Memory)->Unit(benchmark::kMillisecond);

// Baseline: the archive CSV parsed into bars (the loader alone).
void BM_Baseline_LoadCsv(benchmark::State& state) {
  config::Config cfg;
  auto plan = plan_data_file(csv_file(), cfg);
  if (!plan) {
    state.SkipWithError(plan.error().c_str());
    return;
  }
  for (auto _ : state) {
    EventMerger merger;
    (void)open_data_set({*plan}, merger);
    HistoricalEvent ev;
    std::int64_t n = 0;
    while (merger.next(ev) == ReadStatus::Item) ++n;
    benchmark::DoNotOptimize(n);
  }
  report(state, kBars);
}
BENCHMARK(BM_Baseline_LoadCsv)->Unit(benchmark::kMillisecond);

// The whole path from the CSV file: loader → merge → node → venue → portfolio → risk → strategy.
void BM_EndToEnd_Csv(benchmark::State& state) {
  const auto& d = data();
  config::Config cfg;
  auto plan = plan_data_file(csv_file(), cfg);
  if (!plan) {
    state.SkipWithError(plan.error().c_str());
    return;
  }
  for (auto _ : state) {
    EventMerger merger;
    (void)open_data_set({*plan}, merger);
    MergerCursor cursor(merger);
    auto spec = bench::ma_spec(d.id);
    auto r = run_backtest(spec, cursor, bench::ma_attacher());
    if (!r) {
      state.SkipWithError(r.error().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->equity.data());
  }
  report(state, kBars);
}
BENCHMARK(BM_EndToEnd_Csv)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
