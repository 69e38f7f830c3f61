// The emergency stop's dispatch point. SIGUSR1 (and later the control API) call request(); the components
// that can make the account safe (the execution engine: trip the breaker, cancel all, flatten) plug in a
// handler. Handlers run on the io_context in registration order; each must be idempotent, since an operator
// may send the signal again while a stop is still running. Pure: no Asio, no logging.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace tradingd::daemon {

struct EmergencyStopRequest {
  std::string source;  // "signal" (SIGUSR1) or "api"; a bounded set (it is a metric label)
  UnixNanos requested_at_ns = 0;
};

// A component's reaction to an emergency stop. It starts the work (asynchronously, on the io_context) and
// returns; it never blocks the loop. Exceptions are caught and reported as failures, never propagated.
using EmergencyStopHandler = std::function<void(const EmergencyStopRequest&)>;

struct EmergencyStopOutcome {
  std::uint64_t request_number = 0;      // 1 for the first request of this process
  std::vector<std::string> started;      // handlers that ran
  std::vector<std::string> failed;       // "name: what()" for handlers that threw
};

class EmergencyStop {
 public:
  void add_handler(std::string name, EmergencyStopHandler handler);
  EmergencyStopOutcome request(const EmergencyStopRequest& request);

  std::uint64_t requests() const { return requests_; }
  std::size_t handler_count() const { return handlers_.size(); }

 private:
  std::vector<std::pair<std::string, EmergencyStopHandler>> handlers_;
  std::uint64_t requests_ = 0;
};

}  // namespace tradingd::daemon
