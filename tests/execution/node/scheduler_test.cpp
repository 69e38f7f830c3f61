// ManualScheduler: tasks and re-armable timers in one due-time order, and the generic timer over
// schedule_after() that a live scheduler (Asio) gets.
#include "execution/node/scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tradingd {
namespace {

struct ManualSchedulerTest : ::testing::Test {
  SimulatedClock clock{1'000};
  ManualScheduler scheduler{clock};
  std::vector<std::string> ran;
};

TEST_F(ManualSchedulerTest, TasksAndTimersRunInDueOrderThenInTheOrderTheyWereSet) {
  auto timer = scheduler.make_timer([this] { ran.push_back("timer"); });
  scheduler.schedule_after(20, [this] { ran.push_back("task20"); });
  timer->arm(10);
  scheduler.schedule_after(10, [this] { ran.push_back("task10"); });  // same instant, set after the timer
  scheduler.schedule_after(5, [this] { ran.push_back("task5"); });
  EXPECT_EQ(scheduler.pending(), 4u);
  clock.set_ns(1'010);
  EXPECT_EQ(scheduler.run_due(), 3u);
  EXPECT_EQ(ran, (std::vector<std::string>{"task5", "timer", "task10"}));
  EXPECT_FALSE(timer->armed());
  clock.set_ns(1'020);
  EXPECT_EQ(scheduler.run_due(), 1u);
  EXPECT_EQ(ran.back(), "task20");
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST_F(ManualSchedulerTest, ReArmingReplacesTheDueTimeAndDisarmDropsIt) {
  int calls = 0;
  auto timer = scheduler.make_timer([&] { ++calls; });
  timer->arm(10);
  timer->arm(50);  // replaces 10: one due time only
  clock.set_ns(1'020);
  EXPECT_EQ(scheduler.run_due(), 0u);
  clock.set_ns(1'050);
  EXPECT_EQ(scheduler.run_due(), 1u);
  EXPECT_EQ(calls, 1);
  timer->arm(10);
  timer->disarm();
  clock.set_ns(1'100);
  EXPECT_EQ(scheduler.run_due(), 0u);
  EXPECT_EQ(calls, 1);
}

TEST_F(ManualSchedulerTest, ATimerReArmedFromItsCallbackRunsOncePerRunDueAtEachInstant) {
  std::unique_ptr<Timer> timer;
  std::vector<UnixNanos> at;
  timer = scheduler.make_timer([&] {
    at.push_back(clock.now_ns());
    timer->arm(100);
  });
  timer->arm(100);
  clock.set_ns(1'350);  // three periods passed: runs once, due again at now + 100 (a tick, not a catch-up)
  EXPECT_EQ(scheduler.run_due(), 1u);
  clock.set_ns(1'449);
  EXPECT_EQ(scheduler.run_due(), 0u);
  clock.set_ns(1'450);
  EXPECT_EQ(scheduler.run_due(), 1u);
  EXPECT_EQ(at, (std::vector<UnixNanos>{1'350, 1'450}));
}

// The lone timer (a backtest's tick) runs without the general queue walk; what its callback queues due now,
// or its own destruction, must still be handled in the same run_due().
TEST_F(ManualSchedulerTest, ALoneTimersCallbackMayQueueTasksDueNowOrDestroyItself) {
  std::vector<std::string> ran;
  std::unique_ptr<Timer> timer;
  timer = scheduler.make_timer([&] {
    ran.push_back("timer");
    scheduler.schedule_after(0, [&] { ran.push_back("task now"); });
    scheduler.schedule_after(10, [&] { ran.push_back("task later"); });
    timer->arm(5);
  });
  timer->arm(1);
  clock.set_ns(1'001);
  EXPECT_EQ(scheduler.run_due(), 2u);
  EXPECT_EQ(ran, (std::vector<std::string>{"timer", "task now"}));
  clock.set_ns(1'006);  // the re-armed timer first (due 1'006), the later task (due 1'011) not yet
  EXPECT_EQ(scheduler.run_due(), 2u);
  EXPECT_EQ(ran, (std::vector<std::string>{"timer", "task now", "timer", "task now"}));

  int calls = 0;
  std::unique_ptr<Timer> self_destroying;
  ManualScheduler lone{clock};
  self_destroying = lone.make_timer([&] {
    ++calls;
    self_destroying.reset();
  });
  self_destroying->arm(0);
  EXPECT_EQ(lone.run_due(), 1u);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(lone.run_due(), 0u);
}

// The lone timer's inline path and the general loop must agree: the same arms, once with the timer alone
// and once with an idle second timer beside it (which forces the general loop), run at the same instants.
TEST_F(ManualSchedulerTest, TheLoneTimerPathRunsExactlyWhatTheGeneralLoopRuns) {
  const auto run = [](bool with_idle_second_timer) {
    SimulatedClock c{0};
    ManualScheduler s{c};
    std::unique_ptr<Timer> idle;
    if (with_idle_second_timer) idle = s.make_timer([] {});
    std::unique_ptr<Timer> tick;
    std::vector<std::pair<UnixNanos, std::size_t>> out;
    tick = s.make_timer([&] { tick->arm(100); });
    tick->arm(100);
    for (UnixNanos t : {50, 100, 100, 199, 200, 450, 451, 550, 1'000}) {
      c.set_ns(t);
      out.emplace_back(t, s.run_due());
    }
    tick->disarm();
    c.set_ns(5'000);
    out.emplace_back(5'000, s.run_due());
    return out;
  };
  const auto lone = run(false);
  EXPECT_EQ(lone, run(true));
  EXPECT_EQ(lone, (std::vector<std::pair<UnixNanos, std::size_t>>{
                      {50, 0}, {100, 1}, {100, 0}, {199, 0}, {200, 1}, {450, 1}, {451, 0}, {550, 1}, {1'000, 1}, {5'000, 0}}));
}

// Not the lone path: a queued task, or a timer made by the lone timer's callback, runs in the same run_due()
// in due order.
TEST_F(ManualSchedulerTest, ATaskQueuedOrATimerMadeBesideTheLoneTimerRunsInDueOrder) {
  auto tick = scheduler.make_timer([this] { ran.push_back("tick"); });
  tick->arm(10);
  scheduler.schedule_after(5, [this] { ran.push_back("task5"); });
  clock.set_ns(1'010);
  EXPECT_EQ(scheduler.run_due(), 2u);
  EXPECT_EQ(ran, (std::vector<std::string>{"task5", "tick"}));

  ran.clear();
  std::unique_ptr<Timer> made;
  auto maker = scheduler.make_timer([&] {
    ran.push_back("maker");
    made = scheduler.make_timer([this] { ran.push_back("made"); });
    made->arm(0);  // due now: runs in this run_due()
  });
  tick.reset();  // maker is the lone timer now
  maker->arm(0);
  EXPECT_EQ(scheduler.run_due(), 2u);
  EXPECT_EQ(ran, (std::vector<std::string>{"maker", "made"}));
  made.reset();  // maker alone again: the inline path, not due
  EXPECT_EQ(scheduler.run_due(), 0u);
  maker->arm(1);
  clock.set_ns(1'011);
  EXPECT_EQ(scheduler.run_due(), 2u);  // maker (lone) then the new "made", due at once
}

// A periodic timer runs exactly what a plain timer re-armed at the end of its callback runs: the same
// instants, and the same order against a task its callback queues for the same due time; alone (the
// inline path) and beside an idle second timer (the general loop). Returning false leaves it disarmed.
TEST_F(ManualSchedulerTest, APeriodicTimerRunsWhatATimerReArmedByItsCallbackRuns) {
  const auto run = [](bool periodic, bool with_idle_second_timer) {
    SimulatedClock c{0};
    ManualScheduler s{c};
    std::unique_ptr<Timer> idle;
    if (with_idle_second_timer) idle = s.make_timer([] {});
    std::vector<std::string> log;
    int runs = 0;
    const auto body = [&] {
      log.push_back("tick@" + std::to_string(c.now_ns()));
      if (++runs == 2) s.schedule_after(100, [&] { log.push_back("task@" + std::to_string(c.now_ns())); });
      return runs < 5;  // the fifth run stops it
    };
    std::unique_ptr<Timer> tick;
    if (periodic) {
      tick = s.make_periodic_timer(100, body);
    } else {
      tick = s.make_timer([&] {
        if (body()) tick->arm(100);
      });
    }
    tick->arm(100);
    for (UnixNanos t : {99, 100, 250, 300, 300, 420, 520, 620, 720, 2'000}) {
      c.set_ns(t);
      const std::size_t n = s.run_due();
      log.push_back("ran " + std::to_string(n) + (tick->armed() ? " armed" : " idle"));
    }
    return log;
  };
  const auto plain = run(false, false);
  EXPECT_EQ(run(true, false), plain);
  EXPECT_EQ(run(true, true), plain);
  EXPECT_EQ(run(false, true), plain);
  EXPECT_EQ(plain, (std::vector<std::string>{"ran 0 armed", "tick@100", "ran 1 armed", "tick@250", "ran 1 armed",
                                             "ran 0 armed", "ran 0 armed", "task@420", "tick@420", "ran 2 armed",
                                             "tick@520", "ran 1 armed", "tick@620", "ran 1 idle", "ran 0 idle",
                                             "ran 0 idle"}));
}

TEST_F(ManualSchedulerTest, ADestroyedTimerNeverRunsAndATimerMayOutliveItsScheduler) {
  int calls = 0;
  {
    auto timer = scheduler.make_timer([&] { ++calls; });
    timer->arm(1);
  }
  clock.set_ns(2'000);
  EXPECT_EQ(scheduler.run_due(), 0u);
  std::unique_ptr<Timer> survivor;
  {
    ManualScheduler short_lived{clock};
    survivor = short_lived.make_timer([&] { ++calls; });
    survivor->arm(1);
  }
  survivor->arm(5);  // harmless: nothing will run it
  survivor.reset();
  EXPECT_EQ(calls, 0);
}

// A scheduler with only schedule_after(), as the daemon's Asio one: the generic timer must ignore the
// callbacks of superseded arms.
class QueueScheduler final : public Scheduler {
 public:
  void schedule_after(std::int64_t delay_ns, std::function<void()> fn) override {
    queued.push_back({delay_ns, std::move(fn)});
  }
  std::vector<std::pair<std::int64_t, std::function<void()>>> queued;
};

TEST(GenericTimer, OnlyTheLatestArmFiresAndNotAfterDisarmOrDestruction) {
  QueueScheduler s;
  int calls = 0;
  auto timer = s.make_timer([&] { ++calls; });
  timer->arm(10);
  timer->arm(20);
  ASSERT_EQ(s.queued.size(), 2u);
  s.queued[0].second();  // superseded
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(timer->armed());
  s.queued[1].second();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(timer->armed());
  s.queued[1].second();  // a second delivery of the same arm does nothing
  EXPECT_EQ(calls, 1);
  timer->arm(5);
  timer->disarm();
  s.queued[2].second();
  timer->arm(5);
  timer.reset();
  s.queued[3].second();
  EXPECT_EQ(calls, 1);
}

// Over a scheduler with only schedule_after(): the periodic timer re-arms through the generic timer.
TEST(GenericTimer, APeriodicTimerReArmsWhileItsCallbackSaysSo) {
  QueueScheduler s;
  int calls = 0;
  auto timer = s.make_periodic_timer(30, [&] { return ++calls < 2; });
  timer->arm(10);
  ASSERT_EQ(s.queued.size(), 1u);
  EXPECT_EQ(s.queued[0].first, 10);
  s.queued[0].second();
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(s.queued.size(), 2u);  // re-armed for the period
  EXPECT_EQ(s.queued[1].first, 30);
  EXPECT_TRUE(timer->armed());
  s.queued[1].second();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(s.queued.size(), 2u);  // false: not re-armed
  EXPECT_FALSE(timer->armed());
  timer->arm(5);
  timer->disarm();
  s.queued[2].second();
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace tradingd
