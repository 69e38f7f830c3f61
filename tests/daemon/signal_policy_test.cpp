// The signal table, case by case: what each signal does in each phase.
#include "daemon/signal_policy.h"

#include <csignal>

#include <gtest/gtest.h>

namespace tradingd::daemon {
namespace {

TEST(SignalPolicy, TermAndIntBeginShutdownOnce) {
  EXPECT_EQ(decide_signal_action(SIGTERM, Phase::Starting, false), SignalAction::BeginShutdown);
  EXPECT_EQ(decide_signal_action(SIGTERM, Phase::Running, false), SignalAction::BeginShutdown);
  EXPECT_EQ(decide_signal_action(SIGINT, Phase::Running, false), SignalAction::BeginShutdown);
  EXPECT_EQ(decide_signal_action(SIGTERM, Phase::Stopping, false), SignalAction::AlreadyStopping);
  EXPECT_EQ(decide_signal_action(SIGTERM, Phase::Stopping, true), SignalAction::AlreadyStopping);
}

TEST(SignalPolicy, SecondInterruptForcesExitButSigtermAfterSigtermDoesNot) {
  EXPECT_EQ(decide_signal_action(SIGINT, Phase::Stopping, true), SignalAction::ForceExit);
  // SIGTERM first, then one SIGINT: that SIGINT is the first interrupt.
  EXPECT_EQ(decide_signal_action(SIGINT, Phase::Stopping, false), SignalAction::AlreadyStopping);
}

TEST(SignalPolicy, EmergencyStopInEveryPhase) {
  for (auto phase : {Phase::Starting, Phase::Running, Phase::Stopping})
    EXPECT_EQ(decide_signal_action(SIGUSR1, phase, false), SignalAction::EmergencyStop) << to_string(phase);
}

TEST(SignalPolicy, ReloadUnlessStopping) {
  EXPECT_EQ(decide_signal_action(SIGHUP, Phase::Starting, false), SignalAction::Reload);
  EXPECT_EQ(decide_signal_action(SIGHUP, Phase::Running, false), SignalAction::Reload);
  EXPECT_EQ(decide_signal_action(SIGHUP, Phase::Stopping, false), SignalAction::Ignore);
}

TEST(SignalPolicy, BreakerResetUnlessStopping) {
  EXPECT_EQ(decide_signal_action(SIGUSR2, Phase::Starting, false), SignalAction::ResetBreaker);
  EXPECT_EQ(decide_signal_action(SIGUSR2, Phase::Running, false), SignalAction::ResetBreaker);
  EXPECT_EQ(decide_signal_action(SIGUSR2, Phase::Stopping, false), SignalAction::Ignore);
  EXPECT_EQ(signal_name(SIGUSR2), "SIGUSR2");
  EXPECT_EQ(to_string(SignalAction::ResetBreaker), "reset_breaker");
}

TEST(SignalPolicy, OthersIgnoredAndNamed) {
  EXPECT_EQ(decide_signal_action(SIGWINCH, Phase::Running, false), SignalAction::Ignore);
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGUSR1), "SIGUSR1");
  EXPECT_EQ(signal_name(SIGWINCH), "other");
  EXPECT_EQ(to_string(SignalAction::ForceExit), "force_exit");
}

}  // namespace
}  // namespace tradingd::daemon
