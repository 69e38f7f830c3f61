// Fixed-point parse/format throughput next to a baseline: strtod on the same strings (what a naive
// double-based parser would pay) in the same run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/fixed_point.h"

namespace {
const std::vector<std::string> kInputs = {"65432.10", "0.00100000", "0.00000001", "27845.70000000", "1.5",
                                          "123456.789", "0.01", "3366.1", "9999999.999999999", "42"};

void BM_StrtodBaseline(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : kInputs) benchmark::DoNotOptimize(std::strtod(s.c_str(), nullptr));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(kInputs.size()));
}
BENCHMARK(BM_StrtodBaseline);

void BM_PriceParse(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& s : kInputs) benchmark::DoNotOptimize(tradingd::Price::parse(s).ok());
  state.SetItemsProcessed(state.iterations() * static_cast<long>(kInputs.size()));
}
BENCHMARK(BM_PriceParse);

void BM_PriceFormat(benchmark::State& state) {
  std::vector<tradingd::Price> prices;
  for (const auto& s : kInputs) prices.push_back(tradingd::Price::from_string(s));
  char buf[tradingd::fixed::kMaxFormattedLen];
  for (auto _ : state)
    for (auto p : prices) benchmark::DoNotOptimize(p.format_to(buf));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(prices.size()));
}
BENCHMARK(BM_PriceFormat);
}  // namespace

BENCHMARK_MAIN();
