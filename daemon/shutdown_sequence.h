// Graceful shutdown order: components register a stopper as they are wired and are stopped in reverse
// order (the engine before the market data it consumes), each only after the previous one reported done,
// so in-flight work finishes and the journal is flushed before its writers go away. The bounded deadline is
// the caller's (a timer on the io_context); pending() names who did not finish. Pure: no Asio.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tradingd::daemon {

class ShutdownSequence {
 public:
  using Done = std::function<void()>;
  // Begins stopping (stop accepting work, let in-flight work finish, flush) and calls done when finished,
  // now or later from the io_context. Calling done more than once is harmless.
  using Stopper = std::function<void(Done done)>;

  void add(std::string name, Stopper stopper);
  // Runs the stoppers; on_finished is called once, after the last one is done. False if already started.
  bool start(std::function<void()> on_finished);

  bool started() const { return started_; }
  bool finished() const { return started_ && next_ == stoppers_.size() && !running_; }
  // The component being waited for and those not yet stopped, in stop order.
  std::vector<std::string> pending() const;
  // "name: what()" for stoppers that threw (they count as done: shutdown must go on).
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void run_next();

  std::vector<std::pair<std::string, Stopper>> stoppers_;  // in registration order; run back to front
  std::size_t next_ = 0;                                   // how many have been started
  bool started_ = false;
  bool running_ = false;  // stoppers_[size - next_] is running and has not called done yet
  bool in_stopper_ = false;  // inside a stopper call: its done() must not recurse into run_next()
  std::uint64_t generation_ = 0;  // tells a stale (repeated) done from the current one
  std::function<void()> on_finished_;
  std::vector<std::string> failures_;
};

}  // namespace tradingd::daemon
