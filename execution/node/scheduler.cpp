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

// Over make_timer(): the callback re-arms the inner timer, as an owner's own callback would.
class PeriodicTimer final : public Timer {
 public:
  PeriodicTimer(Scheduler& scheduler, std::int64_t period_ns, std::function<bool()> fn)
      : period_ns_(period_ns), fn_(std::move(fn)) {
    inner_ = scheduler.make_timer([this] {
      if (fn_()) inner_->arm(period_ns_);
    });
  }
  void arm(std::int64_t delay_ns) override { inner_->arm(delay_ns); }
  void disarm() override { inner_->disarm(); }
  bool armed() const override { return inner_->armed(); }

 private:
  std::int64_t period_ns_;
  std::function<bool()> fn_;
  std::unique_ptr<Timer> inner_;
};

}  // namespace

std::unique_ptr<Timer> Scheduler::make_timer(std::function<void()> fn) {
  return std::make_unique<ScheduledTimer>(*this, std::move(fn));
}

std::unique_ptr<Timer> Scheduler::make_periodic_timer(std::int64_t period_ns, std::function<bool()> fn) {
  return std::make_unique<PeriodicTimer>(*this, period_ns, std::move(fn));
}

// Registered in the scheduler's list while it lives; its due time and sequence number share the tasks'
// order, so a timer and a task due at the same instant run in the order they were set.
class ManualScheduler::ManualTimer final : public Timer {
 public:
  ManualTimer(std::shared_ptr<TimerList> list, std::int64_t period_ns, std::function<bool()> fn)
      : list_(std::move(list)) {
    state_.period_ns = period_ns;
    state_.fn = std::move(fn);
    list_->timers.push_back(this);
    if (list_->owner != nullptr) list_->owner->timers_changed();
  }
  ~ManualTimer() override {
    auto& v = list_->timers;
    v.erase(std::remove(v.begin(), v.end(), this), v.end());
    if (list_->owner != nullptr) list_->owner->timers_changed();
  }
  void arm(std::int64_t delay_ns) override {
    ManualScheduler* owner = list_->owner;
    if (owner == nullptr) return;  // the scheduler is gone: nothing will ever run it
    state_.due_ns = owner->clock_.now_ns() + delay_ns;
    state_.seq = owner->next_seq_++;
    state_.armed = true;
  }
  void disarm() override { state_.armed = false; }
  bool armed() const override { return state_.armed; }

  TimerState state_;
  std::shared_ptr<TimerList> list_;
};

ManualScheduler::ManualScheduler(const Clock& clock) : clock_(clock), timers_(std::make_shared<TimerList>()) {
  timers_->owner = this;
}

ManualScheduler::~ManualScheduler() { timers_->owner = nullptr; }

void ManualScheduler::timers_changed() {
  lone_ = timers_->timers.size() == 1 ? &timers_->timers.front()->state_ : nullptr;
}

std::unique_ptr<Timer> ManualScheduler::make_timer(std::function<void()> fn) {
  return std::make_unique<ManualTimer>(timers_, 0, [fn = std::move(fn)] {
    fn();
    return false;
  });
}

std::unique_ptr<Timer> ManualScheduler::make_periodic_timer(std::int64_t period_ns, std::function<bool()> fn) {
  return std::make_unique<ManualTimer>(timers_, period_ns, std::move(fn));
}

ManualScheduler::ManualTimer* ManualScheduler::earliest_due_timer(UnixNanos now) const {
  ManualTimer* best = nullptr;
  for (ManualTimer* t : timers_->timers) {
    const TimerState& s = t->state_;
    if (!s.armed || s.due_ns > now) continue;
    if (best == nullptr || s.due_ns < best->state_.due_ns ||
        (s.due_ns == best->state_.due_ns && s.seq < best->state_.seq))
      best = t;
  }
  return best;
}

std::size_t ManualScheduler::run_due_general() {
  std::size_t n = 0;
  const UnixNanos now = clock_.now_ns();
  for (;;) {
    ManualTimer* timer = earliest_due_timer(now);
    const bool task_due = !tasks_.empty() && tasks_.front().due_ns <= now;
    if (timer == nullptr && !task_due) break;
    const bool run_timer = timer != nullptr && (!task_due || timer->state_.due_ns < tasks_.front().due_ns ||
                                                (timer->state_.due_ns == tasks_.front().due_ns &&
                                                 timer->state_.seq < tasks_.front().seq));
    ++n;
    if (run_timer) {
      timer->state_.armed = false;  // before the call: the callback may arm it again
      if (timer->state_.fn()) rearm(timer->state_);
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
  for (const ManualTimer* t : timers_->timers) n += t->state_.armed ? 1 : 0;
  return n;
}

}  // namespace tradingd
