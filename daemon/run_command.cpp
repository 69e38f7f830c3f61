// `tradingd run`: load and check everything that can be checked before touching the network (config,
// credentials for live mode, the state directory), then hand over to the Daemon. Failures before the loop
// starts exit 2 when the operator must fix the configuration, 1 otherwise.
#include <array>

#include <spdlog/spdlog.h>

#include "config/credentials.h"
#include "config/load.h"
#include "daemon/commands.h"
#include "daemon/daemon.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/state_dir.h"

namespace tradingd::daemon {

int run_command(Args args) {
  const auto env = config::process_env();
  init_logging_from_env(env);
  constexpr std::array<std::string_view, 1> kValued{"config"};
  auto parsed = parse_args(args, kValued, "run");
  if (!parsed) {
    spdlog::error("Bad command line: {}", parsed.error());
    return kExitUsage;
  }
  if (!parsed->positionals.empty()) {
    spdlog::error("Bad command line: unexpected argument '{}' (see tradingd run --help)", parsed->positionals.front());
    return kExitUsage;
  }

  const auto config_path = parsed->get("config");
  auto loaded = config::load_effective_config(config_path, env);
  if (!loaded) {
    for (const auto& e : loaded.error()) spdlog::error("Config error {}", e.to_string());
    spdlog::error("Refusing to start: {} configuration error(s); fix them (`tradingd validate-config FILE` lists "
                  "every problem)",
                  loaded.error().size());
    return kExitUsage;
  }
  config::Config config = std::move(*loaded);
  init_logging(config.log.format, parse_log_level(config.log.level).value_or(spdlog::level::info));

  if (config.mode == TradingMode::Backtest) {
    spdlog::error("mode=backtest is not a daemon mode; run `tradingd backtest` instead, or set mode: paper|live");
    return kExitUsage;
  }
  auto credentials = config::load_credentials(env);
  if (config.mode == TradingMode::Live) {
    const auto missing = config::missing_live_credentials(config, credentials);
    if (!missing.empty()) {
      std::string names;
      for (const auto& m : missing) names += (names.empty() ? "" : ",") + m;
      // Never fall back to paper: a user who asked for live must not believe they are trading live.
      spdlog::error("Live mode needs credentials; refusing to start missing={} (set them in the environment, "
                    "e.g. /etc/tradingd/tradingd.env, or as systemd credentials; or set TRADINGD_MODE=paper)",
                    names);
      return kExitUsage;
    }
  }

  auto lock = StateDirLock::acquire(config.state_dir);
  if (!lock) {
    spdlog::error("Refusing to start: {}", lock.error());
    return kExitRuntimeFailure;
  }
  Daemon daemon(std::move(config), std::move(credentials), std::move(*lock), DaemonOptions{.config_path = config_path, .env = env});
  return daemon.run();
}

}  // namespace tradingd::daemon
