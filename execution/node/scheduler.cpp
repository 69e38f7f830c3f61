// Scheduler timers: the generic one over schedule_after(), and ManualScheduler's in-place timers.
#include "execution/node/scheduler.h"

namespace tradingd {
namespace {

// Over schedule_after(): each arm() schedules one callback carrying the arm's generation; a callback
// whose generation is not the current one (re-armed, disarmed, or the timer destroyed) does nothing.
class ScheduledTimer final : public Timer {
 public:
  ScheduledTimer(Scheduler& scheduler, std::function<void()> fn)
      : scheduler_(scheduler), state_(std::make_shared<State>(State{std::move(fn), 0, false})) {}
  ~ScheduledTimer() override { disarm(); }
  void arm(std::int64_t delay_ns) override {
    const std::uint64_t generation = ++state_->generation;
    state_->armed = true;
    std::weak_ptr<State> weak = state_;
    scheduler_.schedule_after(delay_ns, [weak, generation] {
      auto s = weak.lock();
      if (!s || !s->armed || s->generation != generation) return;
      s->armed = false;
      s->fn();
    });
  }
  void disarm() override {
    ++state_->generation;
    state_->armed = false;
  }
  bool armed() const override { return state_->armed; }

 private:
  struct State {
    std::function<void()> fn;
    std::uint64_t generation;
    bool armed;
  };
  Scheduler& scheduler_;
  std::shared_ptr<State> state_;
};

}  // namespace

std::unique_ptr<Timer> Scheduler::make_timer(std::function<void()> fn) {
  return std::make_unique<ScheduledTimer>(*this, std::move(fn));
}

// Registered in the scheduler's list while it lives; its due time and sequence number share the tasks'
// order, so a timer and a task due at the same instant run in the order they were set.
class ManualScheduler::ManualTimer final : public Timer {
 public:
  ManualTimer(ManualScheduler& owner, std::shared_ptr<TimerList> list, std::function<void()> fn)
      : owner_(&owner), list_(std::move(list)), fn_(std::move(fn)) {
    list_->timers.push_back(this);
  }
  ~ManualTimer() override {
    auto& v = list_->timers;
    v.erase(std::remove(v.begin(), v.end(), this), v.end());
  }
  void arm(std::int64_t delay_ns) override {
    if (list_.use_count() == 1) return;  // the scheduler is gone: nothing will ever run it
    due_ns_ = owner_->clock_.now_ns() + delay_ns;
    seq_ = owner_->next_seq_++;
    armed_ = true;
  }
  void disarm() override { armed_ = false; }
  bool armed() const override { return armed_; }

  UnixNanos due_ns_ = 0;
  std::uint64_t seq_ = 0;
  bool armed_ = false;
  ManualScheduler* owner_;
  std::shared_ptr<TimerList> list_;
  std::function<void()> fn_;
};

std::unique_ptr<Timer> ManualScheduler::make_timer(std::function<void()> fn) {
  return std::make_unique<ManualTimer>(*this, timers_, std::move(fn));
}

ManualScheduler::ManualTimer* ManualScheduler::earliest_due_timer(UnixNanos now) const {
  ManualTimer* best = nullptr;
  for (ManualTimer* t : timers_->timers) {
    if (!t->armed_ || t->due_ns_ > now) continue;
    if (best == nullptr || t->due_ns_ < best->due_ns_ || (t->due_ns_ == best->due_ns_ && t->seq_ < best->seq_))
      best = t;
  }
  return best;
}

std::size_t ManualScheduler::run_due() {
  std::size_t n = 0;
  const UnixNanos now = clock_.now_ns();
  // A backtest's usual case, once per event: no one-off task queued and one timer (the node's tick).
  if (tasks_.empty() && timers_->timers.size() == 1) {
    ManualTimer* t = timers_->timers.front();
    while (t->armed_ && t->due_ns_ <= now) {
      t->armed_ = false;  // before the call: the callback may arm it again
      t->fn_();
      ++n;
      // The callback may have queued a task or made a timer: back to the general loop for those.
      if (!tasks_.empty() || timers_->timers.size() != 1 || timers_->timers.front() != t) return n + run_due();
    }
    return n;
  }
  for (;;) {
    ManualTimer* timer = earliest_due_timer(now);
    const bool task_due = !tasks_.empty() && tasks_.front().due_ns <= now;
    if (timer == nullptr && !task_due) break;
    const bool run_timer =
        timer != nullptr && (!task_due || timer->due_ns_ < tasks_.front().due_ns ||
                             (timer->due_ns_ == tasks_.front().due_ns && timer->seq_ < tasks_.front().seq));
    ++n;
    if (run_timer) {
      timer->armed_ = false;  // before the call: the callback may arm it again
      timer->fn_();
      continue;
    }
    std::pop_heap(tasks_.begin(), tasks_.end(), Later{});
    Task task = std::move(tasks_.back());
    tasks_.pop_back();
    task.fn();
  }
  return n;
}

std::size_t ManualScheduler::pending() const {
  std::size_t n = tasks_.size();
  for (const ManualTimer* t : timers_->timers) n += t->armed_ ? 1 : 0;
  return n;
}

}  // namespace tradingd
