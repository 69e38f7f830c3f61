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

// A callback the owner re-arms again and again (the node's timer tick). arm() sets its one due time
// (replacing an earlier one), disarm() drops it, and destroying the timer disarms it: the scheduler never
// calls into a destroyed owner, and re-arming allocates nothing in ManualScheduler (a backtest ticks once
// per event).
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void arm(std::int64_t delay_ns) = 0;
  virtual void disarm() = 0;
  virtual bool armed() const = 0;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs fn once, delay_ns from now (the owner's clock), on the event loop.
  virtual void schedule_after(std::int64_t delay_ns, std::function<void()> fn) = 0;
  // A re-armable timer calling fn. The default goes through schedule_after() (one callback per arm, the
  // stale ones ignored); ManualScheduler keeps the timer in place.
  virtual std::unique_ptr<Timer> make_timer(std::function<void()> fn);
  // A timer that re-arms itself: each time fn returns true it is due again period_ns after (the clock's
  // now then), exactly as if fn had ended with arm(period_ns); false leaves it disarmed. fn returning true
  // must not have destroyed the timer. The first due time is set by arm(). The default goes through
  // make_timer(); ManualScheduler re-arms in place, without a virtual arm() per run.
  virtual std::unique_ptr<Timer> make_periodic_timer(std::int64_t period_ns, std::function<bool()> fn);
};

// Due times against a Clock; run_due() runs what is due at the clock's now (FIFO among equal times).
class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(const Clock& clock);
  ~ManualScheduler() override;  // its timers stay valid objects whose arm() does nothing
  ManualScheduler(const ManualScheduler&) = delete;
  ManualScheduler& operator=(const ManualScheduler&) = delete;
  void schedule_after(std::int64_t delay_ns, std::function<void()> fn) override {
    tasks_.push_back(Task{clock_.now_ns() + delay_ns, next_seq_++, std::move(fn)});
    std::push_heap(tasks_.begin(), tasks_.end(), Later{});
  }
  std::unique_ptr<Timer> make_timer(std::function<void()> fn) override;
  std::unique_ptr<Timer> make_periodic_timer(std::int64_t period_ns, std::function<bool()> fn) override;
  // Runs every task and timer due at or before now, earliest first (FIFO among equal times by when they
  // were scheduled or armed); what is scheduled meanwhile for later stays queued.
  // Inline for a backtest's usual case, once per event: no one-off task queued and one timer (the node's
  // tick); anything else, or anything its callback queues or makes, goes through the general loop.
  std::size_t run_due() {
    TimerState* t = lone_;
    if (t == nullptr || !tasks_.empty()) return run_due_general();
    const UnixNanos now = clock_.now_ns();
    std::size_t n = 0;
    while (t->armed && t->due_ns <= now) {
      t->armed = false;  // before the call: the callback may arm it again
      if (t->fn()) rearm(*t);
      ++n;
      // lone_ is re-read: the callback may have destroyed the timer or made another one.
      if (!tasks_.empty() || lone_ != t) return n + run_due_general();
    }
    return n;
  }
  std::size_t pending() const;

 private:
  // A binary heap in one vector (earliest due, then first scheduled, on top): a node-based map would
  // allocate and free a node for each task.
  struct Task {
    UnixNanos due_ns;
    std::uint64_t seq;
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Task& a, const Task& b) const {
      return a.due_ns != b.due_ns ? a.due_ns > b.due_ns : a.seq > b.seq;
    }
  };
  // One timer's due time and callback; its sequence number shares the tasks' order. fn returns whether to
  // re-arm period_ns from now (a plain timer's always says no).
  struct TimerState {
    UnixNanos due_ns = 0;
    std::uint64_t seq = 0;
    bool armed = false;
    std::int64_t period_ns = 0;
    std::function<bool()> fn;
  };
  // What arm(period_ns) does, inline.
  void rearm(TimerState& t) {
    t.due_ns = clock_.now_ns() + t.period_ns;
    t.seq = next_seq_++;
    t.armed = true;
  }
  class ManualTimer;
  // Shared with the timers: either side may be destroyed first (the scheduler's end clears owner).
  struct TimerList {
    std::vector<ManualTimer*> timers;
    ManualScheduler* owner = nullptr;
  };
  ManualTimer* earliest_due_timer(UnixNanos now) const;
  std::size_t run_due_general();
  void timers_changed();  // a timer was made or destroyed: lone_ follows

  const Clock& clock_;
  std::vector<Task> tasks_;
  std::uint64_t next_seq_ = 0;
  std::shared_ptr<TimerList> timers_;
  TimerState* lone_ = nullptr;  // the only timer's state, when there is exactly one
};

}  // namespace tradingd
