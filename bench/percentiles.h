// Latency percentiles for the latency benches: each call is timed on its own (steady_clock around it,
// prep() run untimed before it), kPercentileSamples times, and p50/p99/p999 become counters of the run.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace tradingd::bench {

inline constexpr int kPercentileSamples = 200'000;

template <class Prep, class F>
void percentiles(benchmark::State& state, Prep&& prep, F&& call) {
  std::vector<std::int64_t> ns(kPercentileSamples);
  for (int i = 0; i < kPercentileSamples; ++i) {
    prep();
    const auto t0 = std::chrono::steady_clock::now();
    call();
    const auto t1 = std::chrono::steady_clock::now();
    ns[static_cast<std::size_t>(i)] = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
  }
  std::sort(ns.begin(), ns.end());
  state.counters["p50_ns"] = static_cast<double>(ns[kPercentileSamples / 2]);
  state.counters["p99_ns"] = static_cast<double>(ns[kPercentileSamples * 99 / 100]);
  state.counters["p999_ns"] = static_cast<double>(ns[kPercentileSamples * 999 / 1000]);
}

template <class F>
void percentiles(benchmark::State& state, F&& call) {
  percentiles(state, [] {}, std::forward<F>(call));
}

}  // namespace tradingd::bench
