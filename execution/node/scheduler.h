// Scheduler: the one timer facility the TradingNode uses, so the node stays free of Asio. The daemon
// implements it with an asio steady_timer; backtests and tests use ManualScheduler driven by the
// simulated clock. Callbacks run on the owner's event loop, never re-entrantly from schedule_after().
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace tradingd {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs fn once, delay_ns from now (the owner's clock), on the event loop.
  virtual void schedule_after(std::int64_t delay_ns, std::function<void()> fn) = 0;
  // The same for a callback scheduled again and again (the node's timer tick): a scheduler may keep a
  // reference instead of copying it. The default copies.
  virtual void schedule_shared(std::int64_t delay_ns, std::shared_ptr<const std::function<void()>> fn) {
    schedule_after(delay_ns, *fn);
  }
};

// Due times against a Clock; run_due() runs what is due at the clock's now (FIFO among equal times).
class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(const Clock& clock) : clock_(clock) {}
  void schedule_after(std::int64_t delay_ns, std::function<void()> fn) override {
    tasks_.push_back(Task{clock_.now_ns() + delay_ns, next_seq_++, std::move(fn), nullptr});
    std::push_heap(tasks_.begin(), tasks_.end(), Later{});
  }
  // Keeps the reference: a backtest ticks once per event, and copying the callback would allocate each time.
  void schedule_shared(std::int64_t delay_ns, std::shared_ptr<const std::function<void()>> fn) override {
    tasks_.push_back(Task{clock_.now_ns() + delay_ns, next_seq_++, nullptr, std::move(fn)});
    std::push_heap(tasks_.begin(), tasks_.end(), Later{});
  }
  // Runs every task due at or before now (tasks scheduled meanwhile for later stay queued).
  std::size_t run_due() {
    std::size_t n = 0;
    const UnixNanos now = clock_.now_ns();
    while (!tasks_.empty() && tasks_.front().due_ns <= now) {
      std::pop_heap(tasks_.begin(), tasks_.end(), Later{});
      Task task = std::move(tasks_.back());
      tasks_.pop_back();
      if (task.shared) (*task.shared)();
      else task.fn();
      ++n;
    }
    return n;
  }
  std::size_t pending() const { return tasks_.size(); }

 private:
  // A binary heap in one vector (earliest due, then first scheduled, on top): a backtest schedules and
  // runs a timer per event, and a node-based map would allocate and free a node for each.
  struct Task {
    UnixNanos due_ns;
    std::uint64_t seq;
    std::function<void()> fn;
    std::shared_ptr<const std::function<void()>> shared;  // instead of fn when scheduled shared
  };
  struct Later {
    bool operator()(const Task& a, const Task& b) const {
      return a.due_ns != b.due_ns ? a.due_ns > b.due_ns : a.seq > b.seq;
    }
  };
  const Clock& clock_;
  std::vector<Task> tasks_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace tradingd
