// systemd's notify protocol (sd_notify): READY=1 once the daemon serves, WATCHDOG=1 pings from the
// io_context at half of WATCHDOG_USEC (so a stuck loop stops pinging and systemd restarts us), RELOADING=1
// around a SIGHUP reload, STOPPING=1 at shutdown. Without $NOTIFY_SOCKET every call is a no-op.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/load.h"

namespace tradingd::daemon {

// The ping interval systemd asks for: half of WATCHDOG_USEC, when it is set, positive, and WATCHDOG_PID
// (if set) names this process. Pure: the environment and pid are arguments.
std::optional<std::chrono::microseconds> watchdog_interval(const config::EnvLookup& env, long self_pid);

class SystemdNotifier {
 public:
  // Sends one state string ("READY=1\nSTATUS=..."); failures are logged once, never fatal.
  void notify(std::string_view state);
  void ready(std::string_view status) { notify("READY=1\nSTATUS=" + std::string(status)); }
  void reloading() { notify("RELOADING=1"); }
  void stopping(std::string_view status) { notify("STOPPING=1\nSTATUS=" + std::string(status)); }
  void watchdog() { notify("WATCHDOG=1"); }

 private:
  bool warned_ = false;
};

}  // namespace tradingd::daemon
