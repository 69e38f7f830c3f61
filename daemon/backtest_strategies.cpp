// Strategy attachment for backtests (backtest_strategies.h): one StrategyHost per run, in backtest mode,
// external programs synchronous (each callback waits for the program's answer, so runs are repeatable).
#include "daemon/backtest_strategies.h"

#include "strategy/registry.h"
#include "strategy/strategy_host.h"

namespace tradingd::daemon {
namespace {

class HostedStrategies final : public backtest::AttachedStrategies {
 public:
  HostedStrategies(backtest::NodeDriver& driver, const config::Config& cfg)
      : registry_(StrategyRegistry::with_builtins()),
        host_(driver.node(), driver.clock(), driver.scheduler(), options(cfg)) {}

  Result<bool, std::string> add(const config::Config& cfg) {
    for (const auto& s : cfg.strategies) {
      if (!s.enabled) continue;
      auto id = host_.add_from_config(s, registry_);
      if (!id) return Err("strategy " + s.name + ": " + id.error());
    }
    return true;
  }
  void start() override { host_.start(); }
  void stop() override { host_.stop(); }

 private:
  static StrategyHostOptions options(const config::Config& cfg) {
    StrategyHostOptions o;
    o.mode = TradingMode::Backtest;
    o.synchronous_external = true;
    o.risk = cfg.risk;
    return o;
  }

  StrategyRegistry registry_;
  StrategyHost host_;
};

}  // namespace

backtest::StrategyAttacher backtest_strategy_attacher() {
  return [](backtest::NodeDriver& driver, const config::Config& cfg)
             -> Result<std::unique_ptr<backtest::AttachedStrategies>, std::string> {
    auto hosted = std::make_unique<HostedStrategies>(driver, cfg);
    if (auto added = hosted->add(cfg); !added) return Err(added.error());
    return std::unique_ptr<backtest::AttachedStrategies>(std::move(hosted));
  };
}

}  // namespace tradingd::daemon
