// sd_notify wrapper. unset_environment stays 0: the watchdog pings need $NOTIFY_SOCKET for the whole run.
#include "daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <charconv>
#include <cstring>

#include <spdlog/spdlog.h>

namespace tradingd::daemon {

std::optional<std::chrono::microseconds> watchdog_interval(const config::EnvLookup& env, long self_pid) {
  const auto usec_text = env("WATCHDOG_USEC");
  if (!usec_text) return std::nullopt;
  long long usec = 0;
  auto [p, ec] = std::from_chars(usec_text->data(), usec_text->data() + usec_text->size(), usec);
  if (ec != std::errc{} || p != usec_text->data() + usec_text->size() || usec <= 0) return std::nullopt;
  if (const auto pid_text = env("WATCHDOG_PID")) {
    long pid = 0;
    auto [pp, pec] = std::from_chars(pid_text->data(), pid_text->data() + pid_text->size(), pid);
    if (pec != std::errc{} || pp != pid_text->data() + pid_text->size() || pid != self_pid) return std::nullopt;
  }
  return std::chrono::microseconds(usec / 2);
}

void SystemdNotifier::notify(std::string_view state) {
  const std::string s(state);
  const int r = sd_notify(0, s.c_str());
  if (r < 0 && !warned_) {
    warned_ = true;
    spdlog::warn("sd_notify failed error=\"{}\" state={}; systemd readiness/watchdog may not work",
                 std::strerror(-r), s.substr(0, s.find('\n')));
  }
}

}  // namespace tradingd::daemon
