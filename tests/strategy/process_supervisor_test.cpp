// ProcessSupervisor with real children (sh): lines both ways, stderr lines, death reported and followed by
// a restart with backoff, stop() ending a child that ignores stdin EOF, and an ExternalStrategy driven
// asynchronously through it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>

#include "strategy/process_supervisor.h"
#include "strategy/protocol.h"
#include "tests/strategy/fake_context.h"

namespace tradingd {
namespace {

using namespace std::chrono_literals;

// Runs the loop until pred() or the deadline.
template <class Pred>
bool run_until(boost::asio::io_context& io, Pred pred, std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(10ms);
  }
  return pred();
}

const char* kEcho = R"(while read l; do echo "$l"; echo "seen" >&2; done)";

TEST(ProcessSupervisor, LinesBothWaysAndStderr) {
  boost::asio::io_context io;
  std::vector<std::string> out, err;
  int started = 0;
  std::vector<std::int64_t> exits;
  auto sup = ProcessSupervisor::create(io, SupervisorConfig{{"sh", "-c", kEcho}},
                                       SupervisorCallbacks{[&](std::string_view l) { out.emplace_back(l); },
                                                           [&](std::string_view l) { err.emplace_back(l); },
                                                           [&] { ++started; },
                                                           [&](int, std::int64_t next) { exits.push_back(next); }});
  sup->start();
  EXPECT_EQ(started, 1);
  EXPECT_TRUE(sup->running());
  EXPECT_TRUE(sup->write_line(R"({"type":"done"})"));
  EXPECT_TRUE(sup->write_line("second"));
  ASSERT_TRUE(run_until(io, [&] { return out.size() == 2 && err.size() == 2; }));
  EXPECT_EQ(out[0], R"({"type":"done"})");
  EXPECT_EQ(out[1], "second");
  EXPECT_EQ(err[0], "seen");
  sup->stop();
  ASSERT_TRUE(run_until(io, [&] { return !exits.empty(); }));
  EXPECT_EQ(exits, (std::vector<std::int64_t>{-1}));  // stopped: no restart
  EXPECT_FALSE(sup->running());
  EXPECT_FALSE(sup->write_line("x"));
}

TEST(ProcessSupervisor, DeathIsReportedAndRestartedWithBackoff) {
  boost::asio::io_context io;
  int started = 0;
  std::vector<std::pair<int, std::int64_t>> exits;
  SupervisorConfig cfg{{"sh", "-c", "exit 3"}};
  cfg.restart_initial_ms = 10;
  cfg.restart_max_ms = 40;
  auto sup = ProcessSupervisor::create(io, cfg, SupervisorCallbacks{nullptr, nullptr, [&] { ++started; },
                                                                    [&](int status, std::int64_t next) { exits.emplace_back(status, next); }});
  sup->start();
  ASSERT_TRUE(run_until(io, [&] { return exits.size() >= 4; }));
  sup->stop();
  EXPECT_TRUE(WIFEXITED(exits[0].first));
  EXPECT_EQ(WEXITSTATUS(exits[0].first), 3);
  EXPECT_EQ(exits[0].second, 10);
  EXPECT_EQ(exits[1].second, 20);
  EXPECT_EQ(exits[2].second, 40);
  EXPECT_EQ(exits[3].second, 40);  // capped
  EXPECT_GE(started, 4);
  EXPECT_GE(sup->restarts(), 3u);
}

TEST(ProcessSupervisor, SpawnFailureIsADeathToo) {
  boost::asio::io_context io;
  std::vector<int> statuses;
  SupervisorConfig cfg{{"/nonexistent/tradingd-no-such-program"}};
  cfg.restart_initial_ms = 10;
  auto sup = ProcessSupervisor::create(io, cfg, SupervisorCallbacks{nullptr, nullptr, nullptr,
                                                                    [&](int status, std::int64_t) { statuses.push_back(status); }});
  sup->start();
  ASSERT_TRUE(run_until(io, [&] { return !statuses.empty(); }));
  sup->stop();
  EXPECT_EQ(statuses[0], -1);
}

TEST(ProcessSupervisor, StopEndsAChildThatIgnoresEof) {
  boost::asio::io_context io;
  bool exited = false;
  SupervisorConfig cfg{{"sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"}};
  cfg.stop_grace_ms = 50;  // EOF ignored, SIGTERM ignored: SIGKILL after two graces
  auto sup = ProcessSupervisor::create(io, cfg, SupervisorCallbacks{nullptr, nullptr, nullptr,
                                                                    [&](int, std::int64_t) { exited = true; }});
  sup->start();
  sup->stop();
  EXPECT_TRUE(run_until(io, [&] { return exited; }));
}

TEST(ProcessSupervisor, DrivesAnAsynchronousExternalStrategy) {
  boost::asio::io_context io;
  test::FakeContext ctx;
  ExternalStrategy* strategy = nullptr;
  // Answers every bar with a buy; everything else with done only.
  const char* script = R"(while read l; do case "$l" in *'"type":"bar"'*)
      echo '{"type":"signal","signal":{"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market","quantity":"1"}}';; esac;
      echo '{"type":"done"}'; done)";
  auto sup = ProcessSupervisor::create(io, SupervisorConfig{{"sh", "-c", script}},
                                       SupervisorCallbacks{[&](std::string_view l) { if (strategy) strategy->handle_line(l); },
                                                           nullptr, [&] { if (strategy) strategy->resync(); }, nullptr});
  ExternalStrategy s(std::make_unique<SupervisedTransport>(sup), ExternalMode::Asynchronous);
  strategy = &s;
  sup->start();
  s.on_start(ctx);
  s.on_bar(ctx, test::make_bar(ctx.id(), 1, "50"));
  ASSERT_TRUE(run_until(io, [&] { return ctx.signals.size() == 1; }));
  EXPECT_EQ(ctx.signals[0].reference_price, Price::from_string("50"));
  EXPECT_EQ(s.stats().protocol_errors, 0u);
  s.on_stop(ctx);
  sup->stop();
  run_until(io, [&] { return !sup->running(); });
}

TEST(ProcessSupervisor, MakeSupervisedExternalWiresEverything) {
  boost::asio::io_context io;
  test::FakeContext ctx;
  std::vector<std::string> stderr_lines;
  int deaths = 0;
  auto cfg = test::make_config("py", "", {}, ctx.instruments());
  EXPECT_EQ(make_supervised_external(io, cfg, nullptr, nullptr).error(),
            "strategies[py].command: required for an external strategy");
  // Dies after answering the first bar; the restart must resend the start line.
  cfg.command = {"sh", "-c", R"(while read l; do echo "got" >&2; echo '{"type":"done"}';
      case "$l" in *'"type":"bar"'*) exit 1;; esac; done)"};
  SupervisorConfig base;
  base.restart_initial_ms = 10;
  auto made = make_supervised_external(io, cfg, [&](std::string_view l) { stderr_lines.emplace_back(l); },
                                       [&](int, std::int64_t) { ++deaths; }, base);
  ASSERT_TRUE(made) << made.error();
  auto& [sup, strategy] = *made;
  sup->start();
  strategy->on_start(ctx);
  strategy->on_bar(ctx, test::make_bar(ctx.id(), 1, "50"));
  ASSERT_TRUE(run_until(io, [&] { return deaths == 1 && sup->running() && stderr_lines.size() >= 5; }));
  // start, position, bar before the death; start and position again after the restart.
  EXPECT_EQ(stderr_lines.size(), 5u);
  EXPECT_EQ(sup->restarts(), 1u);
  EXPECT_FALSE(strategy->failed());
  strategy->on_stop(ctx);
  sup->stop();
  run_until(io, [&] { return !sup->running(); });
}

}  // namespace
}  // namespace tradingd
