// RiskGuard::check_order latency with 10 open positions (every check enabled, the order passes them all),
// next to in-run baselines: an empty non-inlined call and AllowAllRiskGate through the RiskGate interface.
// Besides Google Benchmark's mean, each benchmark times 200k single calls with steady_clock and reports
// p50/p99 counters; the "timer" baseline is the cost of the timing itself (subtract it to compare).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "percentiles.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_guard.h"

namespace {

using namespace tradingd;
using tradingd::bench::percentiles;

constexpr UnixNanos kNoon = 19792 * kNanosPerDay + 12 * 3600 * kNanosPerSecond;

Instrument perp(int i) {
  Instrument inst;
  inst.id = {i % 2 ? Venue::Bybit : Venue::Binance, MarketKind::LinearPerp, Symbol::from("C" + std::to_string(i) + "USDT")};
  inst.base = Asset::from("C" + std::to_string(i));
  inst.quote = inst.settle = Asset::from("USDT");
  inst.tick_size = Price::from_string("0.1");
  inst.step_size = Quantity::from_string("0.001");
  inst.min_quantity = Quantity::from_string("0.001");
  inst.max_quantity = Quantity::from_units(1000);
  inst.min_notional = Money::from_units(5);
  return inst;
}

// Ten instruments with a position each, marked, and a guard with the default RiskConfig limits raised so
// the benchmarked order passes every check (the full path, not an early denial).
struct World {
  std::vector<Instrument> instruments;
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  std::unique_ptr<RiskGuard> guard;
  OrderIntentView order;

  explicit World(const Clock& clock) {
    config::RiskConfig cfg;
    cfg.max_open_positions = 20;
    cfg.max_orders_per_second = 1000;
    cfg.max_orders_per_day = 1'000'000;
    for (int i = 0; i < 10; ++i) instruments.push_back(perp(i));
    for (const auto& inst : instruments) {
      tracker.add_instrument(inst);
      tracker.on_mark_price({inst.id, Price::from_units(1000), Price::from_units(1000), kNoon, kNoon});
      OrderFilled f;
      f.instrument = inst.id;
      f.trade_id = TradeId::from("t");
      f.side = Side::Buy;
      f.last_quantity = Quantity::from_units(1);
      f.last_price = Price::from_units(1000);
      tracker.apply_fill(f);
    }
    tracker.set_balance(Venue::Binance, Asset::from("USDT"), Money::from_units(500'000));
    tracker.set_balance(Venue::Bybit, Asset::from("USDT"), Money::from_units(500'000));
    portfolio.update(kNoon);
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
    order.instrument = &instruments[7];
    order.side = Side::Buy;
    order.type = OrderType::Limit;
    order.quantity = Quantity::from_string("0.5");
    order.price = Price::from_string("999.9");
    if (guard->check_order(order)) std::abort();  // the order must pass: we measure the whole path
  }
};

__attribute__((noinline)) std::optional<RiskDenial> empty_call(const OrderIntentView& o) {
  benchmark::DoNotOptimize(&o);
  return std::nullopt;
}

void BM_TimerOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::ClobberMemory();
  percentiles(state, [] { benchmark::ClobberMemory(); });
}
BENCHMARK(BM_TimerOnly);

void BM_EmptyCall(benchmark::State& state) {
  OrderIntentView o;
  for (auto _ : state) benchmark::DoNotOptimize(empty_call(o));
  percentiles(state, [&] { benchmark::DoNotOptimize(empty_call(o)); });
}
BENCHMARK(BM_EmptyCall);

void BM_AllowAllRiskGate(benchmark::State& state) {
  AllowAllRiskGate allow;
  RiskGate* gate = &allow;
  benchmark::DoNotOptimize(gate);
  OrderIntentView o;
  for (auto _ : state) benchmark::DoNotOptimize(gate->check_order(o));
  percentiles(state, [&] { benchmark::DoNotOptimize(gate->check_order(o)); });
}
BENCHMARK(BM_AllowAllRiskGate);

void BM_RiskGuardCheckOrder_10Positions(benchmark::State& state) {
  SimulatedClock clock(kNoon);
  World w(clock);
  RiskGate* gate = w.guard.get();
  for (auto _ : state) benchmark::DoNotOptimize(gate->check_order(w.order));
  percentiles(state, [&] { benchmark::DoNotOptimize(gate->check_order(w.order)); });
}
BENCHMARK(BM_RiskGuardCheckOrder_10Positions);

// The same with the real clock the daemon uses (two clock reads for the rate windows).
void BM_RiskGuardCheckOrder_10Positions_RealClock(benchmark::State& state) {
  RealClock clock;
  World w(clock);
  RiskGate* gate = w.guard.get();
  for (auto _ : state) benchmark::DoNotOptimize(gate->check_order(w.order));
  percentiles(state, [&] { benchmark::DoNotOptimize(gate->check_order(w.order)); });
}
BENCHMARK(BM_RiskGuardCheckOrder_10Positions_RealClock);

// A denial (max order notional): the path that builds the human detail string.
void BM_RiskGuardCheckOrder_Denied(benchmark::State& state) {
  SimulatedClock clock(kNoon);
  World w(clock);
  OrderIntentView big = w.order;
  big.quantity = Quantity::from_units(20);  // 19998 > max_order_notional 10000
  for (auto _ : state) benchmark::DoNotOptimize(w.guard->check_order(big));
  percentiles(state, [&] { benchmark::DoNotOptimize(w.guard->check_order(big)); });
}
BENCHMARK(BM_RiskGuardCheckOrder_Denied);

}  // namespace

BENCHMARK_MAIN();
