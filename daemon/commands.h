// The subcommands' entry points, one per file (run_command.cpp, validate_config_command.cpp, ...), so each
// command's logic stays apart from the dispatch table in cli.cpp.
#pragma once

#include "daemon/cli.h"

namespace tradingd::daemon {

int run_command(Args args);              // tradingd run [--config FILE]
int validate_config_command(Args args);  // tradingd validate-config FILE
int export_command(Args args);           // tradingd export --state-dir DIR --format csv|json ...
int replay_command(Args args);           // tradingd replay --venue V --input FRAMES.jsonl ...
int backtest_command(Args args);         // tradingd backtest --config FILE --data PATH... --out DIR ...
int fetch_history_command(Args args);    // tradingd fetch-history --venue V --symbol S --interval I ...

}  // namespace tradingd::daemon
