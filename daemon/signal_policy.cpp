// The signal table. SIGHUP during startup is a reload request the daemon can honour as soon as the
// config is loaded (it is by then), so Starting and Running behave alike except for shutdown.
#include "daemon/signal_policy.h"

#include <csignal>

namespace tradingd::daemon {

SignalAction decide_signal_action(int signal_number, Phase phase, bool interrupted_before) {
  const bool stopping = phase == Phase::Stopping;
  switch (signal_number) {
    case SIGTERM: return stopping ? SignalAction::AlreadyStopping : SignalAction::BeginShutdown;
    case SIGINT:
      if (!stopping) return SignalAction::BeginShutdown;
      return interrupted_before ? SignalAction::ForceExit : SignalAction::AlreadyStopping;
    case SIGUSR1: return SignalAction::EmergencyStop;
    case SIGHUP: return stopping ? SignalAction::Ignore : SignalAction::Reload;
    case SIGUSR2: return stopping ? SignalAction::Ignore : SignalAction::ResetBreaker;  // never re-arm while leaving
    default: return SignalAction::Ignore;
  }
}

std::string_view to_string(SignalAction a) {
  switch (a) {
    case SignalAction::BeginShutdown: return "begin_shutdown";
    case SignalAction::AlreadyStopping: return "already_stopping";
    case SignalAction::ForceExit: return "force_exit";
    case SignalAction::EmergencyStop: return "emergency_stop";
    case SignalAction::Reload: return "reload";
    case SignalAction::ResetBreaker: return "reset_breaker";
    case SignalAction::Ignore: return "ignore";
  }
  return "ignore";
}

std::string_view to_string(Phase p) {
  switch (p) {
    case Phase::Starting: return "starting";
    case Phase::Running: return "running";
    case Phase::Stopping: return "stopping";
  }
  return "running";
}

std::string_view signal_name(int signal_number) {
  switch (signal_number) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    default: return "other";
  }
}

}  // namespace tradingd::daemon
