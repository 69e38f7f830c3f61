// What a POSIX signal means to the daemon, decided from the signal and the daemon's phase alone (pure, no
// Asio): the daemon's signal_set handler asks this table and carries the answer out. One table, one line
// per case, so the behaviour an operator sees is written down in one place.
#pragma once

#include <cstdint>
#include <string_view>

namespace tradingd::daemon {

enum class Phase : std::uint8_t { Starting, Running, Stopping };

enum class SignalAction : std::uint8_t {
  BeginShutdown,    // graceful: stop taking signals/orders, finish in-flight work, flush, exit 0
  AlreadyStopping,  // a repeated SIGTERM: the bounded shutdown already runs; log it and carry on
  ForceExit,        // a second SIGINT (an operator pressing Ctrl-C again): exit now, status 1
  EmergencyStop,    // SIGUSR1: honoured in every phase, shutting down included: flattening matters most then
  Reload,           // SIGHUP: re-read risk limits and the log level
  ResetBreaker,     // SIGUSR2: reset a tripped circuit breaker (refused, and logged, while cooling down)
  Ignore,           // SIGHUP while stopping, or a signal we do not handle
};

SignalAction decide_signal_action(int signal_number, Phase phase, bool interrupted_before);

std::string_view to_string(SignalAction a);
std::string_view to_string(Phase p);
// "SIGTERM", "SIGUSR1", ...; "other" otherwise. Used in logs and as a metric label (a bounded set).
std::string_view signal_name(int signal_number);

}  // namespace tradingd::daemon
