// Strategy attachment for backtests (backtest_strategies.h).
#include "daemon/backtest_strategies.h"

namespace tradingd::daemon {

backtest::StrategyAttacher backtest_strategy_attacher() {
  return [](backtest::NodeDriver&, const config::Config& cfg)
             -> Result<std::unique_ptr<backtest::AttachedStrategies>, std::string> {
    for (const auto& s : cfg.strategies)
      if (s.enabled) return Err(std::string("strategies cannot be attached yet (StrategyHost pending)"));
    return std::unique_ptr<backtest::AttachedStrategies>{};
  };
}

}  // namespace tradingd::daemon
