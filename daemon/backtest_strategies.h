// The strategies of a backtest, attached to the run's TradingNode through the StrategyHost (the same host
// paper and live mode use), in backtest mode with external programs driven synchronously, so a run is
// deterministic bar by bar.
#pragma once

#include "backtest/backtest_run.h"

namespace tradingd::daemon {

backtest::StrategyAttacher backtest_strategy_attacher();

}  // namespace tradingd::daemon
