// The benchmark's backtest: the moving-average crossover (fast 10, slow 30, 0.001 BTC, long only) on one
// Binance spot instrument with the default paper fill model (50 ms latency, 1 bps slippage, base-tier fees)
// and the default RiskGuard limits.
#pragma once

#include "backtest/backtest_run.h"
#include "daemon/backtest_strategies.h"

namespace tradingd::bench {

inline backtest::BacktestSpec ma_spec(const InstrumentId& id) {
  backtest::BacktestSpec spec;
  Instrument i;
  i.id = id;
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  spec.instruments = {i};
  spec.bar_interval_s = 60;
  config::InstrumentConfig ic;
  ic.id = id;
  spec.config.instruments = {ic};
  config::StrategyConfig s;
  s.name = "ma";
  s.type = "ma_crossover";
  s.instruments = {id};
  s.params = {{"fast", "10"}, {"slow", "30"}, {"quantity", "0.001"}};
  spec.config.strategies = {s};
  spec.config.risk.max_orders_per_day = 100'000;
  return spec;
}

// The strategies of the spec through the StrategyHost, exactly as `tradingd backtest` attaches them.
inline backtest::StrategyAttacher ma_attacher() { return daemon::backtest_strategy_attacher(); }

}  // namespace tradingd::bench
