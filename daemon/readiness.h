// The readiness registry behind /readyz: each component declares the conditions it must meet before the
// daemon may trade (market data connected, state reconciled, ...) and reports their state as it changes.
// The daemon is ready when every declared condition is; with none declared there is nothing to wait for.
// Written from the io_context, read from the HTTP threads: every member takes the mutex.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tradingd::daemon {

class ReadinessRegistry {
 public:
  struct Condition {
    std::string name;    // "market_data.binance", "reconciliation"; a bounded set (it is a metric label)
    bool ready = false;
    std::string detail;  // why not ready ("connecting"), or what it is when ready
  };
  struct Snapshot {
    bool ready = true;
    std::vector<Condition> conditions;  // in declaration order
  };
  using Listener = std::function<void(const Snapshot&)>;

  // Declares a condition, not ready, with the reason. Declaring an existing name resets it.
  void declare(std::string name, std::string detail);
  // Reports a condition's state; an undeclared name is declared by its first report.
  void report(std::string_view name, bool ready, std::string detail = {});

  Snapshot snapshot() const;
  bool ready() const { return snapshot().ready; }

  // Called (outside the lock, on the reporting thread) after every declare/report that changed something.
  void set_listener(Listener listener);

 private:
  void notify_changed();

  mutable std::mutex mutex_;
  std::vector<Condition> conditions_;
  Listener listener_;
};

// The /readyz body: "ready" or "not ready", then one line per condition: "ok NAME DETAIL" / "waiting NAME DETAIL".
std::string format_readiness(const ReadinessRegistry::Snapshot& snapshot);

}  // namespace tradingd::daemon
