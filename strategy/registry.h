// StrategyRegistry: strategy type name ("ma_crossover", "quoter") → factory. The node builds each enabled
// strategies[] entry through it; an external entry (command set, type empty) becomes an ExternalStrategy,
// which the node wires to a transport itself. Invariant: create() never throws; a bad parameter is an
// error naming it (`strategies[ma].params.fast: ...`).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "strategy/external_strategy.h"
#include "strategy/strategy.h"

namespace tradingd {

using StrategyPtr = std::unique_ptr<Strategy>;
using StrategyFactory = std::function<Result<StrategyPtr, std::string>(const config::StrategyConfig&)>;

class StrategyRegistry {
 public:
  // A registry holding the shipped strategies (ma_crossover, quoter).
  static StrategyRegistry with_builtins();

  // False (and nothing changes) when the name is taken.
  bool add(std::string type, StrategyFactory factory);
  bool contains(const std::string& type) const { return factories_.contains(type); }
  std::vector<std::string> types() const;
  // Error when the type is unknown, the config names no instrument, or a parameter is bad. An external
  // entry (command set, type empty) is an error here: see create_external_synchronous and
  // make_supervised_external (process_supervisor.h).
  Result<StrategyPtr, std::string> create(const config::StrategyConfig& cfg) const;

 private:
  std::map<std::string, StrategyFactory, std::less<>> factories_;
};

// Backtests: the entry's command runs as a child process, driven synchronously (SubprocessTransport);
// params go to the program in its start line. Error: no command, no instrument, or the spawn failed.
Result<std::unique_ptr<ExternalStrategy>, std::string> create_external_synchronous(const config::StrategyConfig& cfg,
                                                                                   std::int64_t read_timeout_ms = 10'000);

}  // namespace tradingd
