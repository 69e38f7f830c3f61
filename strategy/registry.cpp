// StrategyRegistry: see registry.h.
#include "strategy/registry.h"

#include <exception>

#include "strategy/ma_crossover.h"
#include "strategy/quoter.h"

namespace tradingd {

StrategyRegistry StrategyRegistry::with_builtins() {
  StrategyRegistry r;
  r.add("ma_crossover", &MaCrossover::create);
  r.add("quoter", &Quoter::create);
  return r;
}

bool StrategyRegistry::add(std::string type, StrategyFactory factory) {
  return factories_.emplace(std::move(type), std::move(factory)).second;
}

std::vector<std::string> StrategyRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [name, f] : factories_) out.push_back(name);
  return out;
}

Result<StrategyPtr, std::string> StrategyRegistry::create(const config::StrategyConfig& cfg) const {
  const auto it = factories_.find(cfg.type);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [name, f] : factories_) known += (known.empty() ? "" : ", ") + name;
    return Err{"strategies[" + cfg.name + "].type: unknown strategy type \"" + cfg.type + "\" (known: " + known + ")"};
  }
  if (cfg.instruments.empty()) return Err{"strategies[" + cfg.name + "].instruments: at least one instrument is required"};
  // A factory is user-extensible code: keep its exceptions out of the caller (the node's startup path).
  try {
    return it->second(cfg);
  } catch (const std::exception& e) {
    return Err{"strategies[" + cfg.name + "]: factory failed: " + std::string(e.what())};
  }
}

}  // namespace tradingd
