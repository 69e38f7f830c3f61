// Emergency stop dispatch: every handler runs even when an earlier one fails (one broken venue must not
// keep the others from canceling).
#include "daemon/emergency_stop.h"

#include <exception>

namespace tradingd::daemon {

void EmergencyStop::add_handler(std::string name, EmergencyStopHandler handler) {
  handlers_.emplace_back(std::move(name), std::move(handler));
}

EmergencyStopOutcome EmergencyStop::request(const EmergencyStopRequest& request) {
  EmergencyStopOutcome outcome;
  outcome.request_number = ++requests_;
  for (auto& [name, handler] : handlers_) {
    try {
      handler(request);
      outcome.started.push_back(name);
    } catch (const std::exception& e) {
      outcome.failed.push_back(name + ": " + e.what());
    } catch (...) {
      outcome.failed.push_back(name + ": unknown exception");
    }
  }
  return outcome;
}

}  // namespace tradingd::daemon
