// Readiness registry: a small list under a mutex (a handful of conditions, read once per probe).
#include "daemon/readiness.h"

#include <algorithm>

namespace tradingd::daemon {

void ReadinessRegistry::declare(std::string name, std::string detail) {
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(conditions_.begin(), conditions_.end(), [&](const auto& c) { return c.name == name; });
    if (it == conditions_.end()) {
      conditions_.push_back({std::move(name), false, std::move(detail)});
    } else {
      it->ready = false;
      it->detail = std::move(detail);
    }
  }
  notify_changed();
}

void ReadinessRegistry::report(std::string_view name, bool ready, std::string detail) {
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(conditions_.begin(), conditions_.end(), [&](const auto& c) { return c.name == name; });
    if (it == conditions_.end()) {
      conditions_.push_back({std::string(name), ready, std::move(detail)});
    } else {
      if (it->ready == ready && it->detail == detail) return;  // no change, no notification
      it->ready = ready;
      it->detail = std::move(detail);
    }
  }
  notify_changed();
}

ReadinessRegistry::Snapshot ReadinessRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.conditions = conditions_;
  s.ready = std::all_of(conditions_.begin(), conditions_.end(), [](const auto& c) { return c.ready; });
  return s;
}

void ReadinessRegistry::set_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void ReadinessRegistry::notify_changed() {
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(snapshot());
}

std::string format_readiness(const ReadinessRegistry::Snapshot& snapshot) {
  std::string out = snapshot.ready ? "ready\n" : "not ready\n";
  for (const auto& c : snapshot.conditions) {
    out += c.ready ? "ok " : "waiting ";
    out += c.name;
    if (!c.detail.empty()) {
      out += ' ';
      out += c.detail;
    }
    out += '\n';
  }
  return out;
}

}  // namespace tradingd::daemon
