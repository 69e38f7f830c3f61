// What the control API needs from the daemon: its status figures, the trading node (absent in a mode
// that has none), and the emergency stop (through the daemon, so SIGUSR1 and the API share one path).
// The daemon implements it; tests implement it over a NodeHarness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tradingd {
class TradingNode;
}

namespace tradingd::daemon::api {

struct ReadinessCondition {
  std::string name;
  bool ready = false;
  std::string detail;
};

struct DaemonStatus {
  std::string version;
  std::string mode;  // paper | live
  std::string phase;  // starting | running | stopping
  std::int64_t uptime_seconds = 0;  // whole seconds
  bool ready = false;
  std::vector<ReadinessCondition> conditions;
};

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  virtual DaemonStatus status() const = 0;
  virtual TradingNode* node() = 0;  // nullptr: no trading node (the node endpoints answer 503)
  virtual void request_emergency_stop(const std::string& source) = 0;
};

}  // namespace tradingd::daemon::api
