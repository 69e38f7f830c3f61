// The process exit codes of every tradingd subcommand. systemd and scripts rely on them: 2 means "fix your
// invocation or configuration" (restarting will not help), 1 means a runtime failure (a restart may help).
#pragma once

namespace tradingd::daemon {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeFailure = 1;
inline constexpr int kExitUsage = 2;  // bad command line, bad configuration, missing credentials

}  // namespace tradingd::daemon
