// Shutdown sequence: a loop that survives done() being called synchronously from inside the stopper.
#include "daemon/shutdown_sequence.h"

#include <exception>

namespace tradingd::daemon {

void ShutdownSequence::add(std::string name, Stopper stopper) {
  stoppers_.emplace_back(std::move(name), std::move(stopper));
}

bool ShutdownSequence::start(std::function<void()> on_finished) {
  if (started_) return false;
  started_ = true;
  on_finished_ = std::move(on_finished);
  run_next();
  return true;
}

void ShutdownSequence::run_next() {
  while (next_ < stoppers_.size()) {
    auto& [name, stopper] = stoppers_[stoppers_.size() - 1 - next_];
    ++next_;
    running_ = true;
    const std::uint64_t generation = ++generation_;
    Done done = [this, generation] {
      if (generation != generation_ || !running_) return;  // repeated or stale
      running_ = false;
      if (!in_stopper_) run_next();  // called later: resume; called from inside: the loop continues
    };
    in_stopper_ = true;
    try {
      stopper(std::move(done));
    } catch (const std::exception& e) {
      failures_.push_back(name + ": " + e.what());
      running_ = false;
    } catch (...) {
      failures_.push_back(name + ": unknown exception");
      running_ = false;
    }
    in_stopper_ = false;
    if (running_) return;  // its done() resumes the sequence
  }
  if (on_finished_) {
    auto finished = std::move(on_finished_);
    on_finished_ = nullptr;
    finished();
  }
}

std::vector<std::string> ShutdownSequence::pending() const {
  std::vector<std::string> names;
  const std::size_t first = running_ ? next_ - 1 : next_;
  for (std::size_t i = first; i < stoppers_.size(); ++i) names.push_back(stoppers_[stoppers_.size() - 1 - i].first);
  return names;
}

}  // namespace tradingd::daemon
