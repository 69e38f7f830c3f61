// StrategyRegistry: see registry.h.
#include "strategy/registry.h"

#include <exception>

#include "strategy/ma_crossover.h"
#include "strategy/quoter.h"
#include "strategy/subprocess_transport.h"

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
  if (cfg.type.empty() && !cfg.command.empty())
    return Err{"strategies[" + cfg.name + "]: an external strategy (command) is not built by the registry"};
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

Result<std::unique_ptr<ExternalStrategy>, std::string> create_external_synchronous(const config::StrategyConfig& cfg,
                                                                                   std::int64_t read_timeout_ms) {
  if (cfg.command.empty()) return Err{"strategies[" + cfg.name + "].command: required for an external strategy"};
  if (cfg.instruments.empty()) return Err{"strategies[" + cfg.name + "].instruments: at least one instrument is required"};
  auto transport = SubprocessTransport::spawn(cfg.command, read_timeout_ms);
  if (!transport) return Err{"strategies[" + cfg.name + "].command: " + transport.error()};
  return std::make_unique<ExternalStrategy>(std::move(*transport), ExternalMode::Synchronous, cfg.params);
}

}  // namespace tradingd
