// The Daemon in-process, through the hooks later components use: shutdown waits for a component's in-flight
// work and is bounded by its timeout; emergency-stop handlers run; risk-reload listeners see new limits;
// systemd watchdog pings come from the event loop, so a stuck loop stops them.
#include "daemon/daemon.h"


#include <cstdlib>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

struct TestDaemon {
  TempDir dir;
  std::unique_ptr<Daemon> daemon;
  std::future<int> exit_code;

  explicit TestDaemon(std::chrono::milliseconds shutdown_timeout = 10s, std::map<std::string, std::string> env = {},
                      std::optional<std::string> config_path = std::nullopt) {
    config::Config c;
    c.state_dir = (dir.path() / "state").string();
    c.metrics.listen = "127.0.0.1:0";
    auto lock = StateDirLock::acquire(c.state_dir);
    daemon = std::make_unique<Daemon>(c, config::Credentials{}, std::move(*lock),
                                      DaemonOptions{config_path, test::env_lookup(std::move(env)), shutdown_timeout});
  }
  void start() {
    exit_code = std::async(std::launch::async, [this] { return daemon->run(); });
  }
  template <class F>
  void on_loop(F f) {
    boost::asio::post(daemon->io(), std::move(f));
  }
};

TEST(Daemon, ShutdownWaitsForInFlightWorkThenExitsZero) {
  TestDaemon t;
  ShutdownSequence::Done engine_done;
  std::atomic<bool> engine_stopping{false};
  t.daemon->shutdown_sequence().add("engine", [&](ShutdownSequence::Done done) {
    engine_stopping = true;
    engine_done = std::move(done);
  });
  t.start();
  t.on_loop([&] { t.daemon->request_shutdown("test"); });
  ASSERT_TRUE(test::eventually([&] { return engine_stopping.load(); }));
  EXPECT_EQ(t.exit_code.wait_for(200ms), std::future_status::timeout);  // still waiting for the engine
  t.on_loop([&] { engine_done(); });
  ASSERT_EQ(t.exit_code.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(t.exit_code.get(), 0);
}

TEST(Daemon, ShutdownIsBoundedAndExitsOneWhenAComponentHangs) {
  TestDaemon t(300ms);
  t.daemon->shutdown_sequence().add("stuck_journal", [](ShutdownSequence::Done) {});
  t.start();
  const auto t0 = std::chrono::steady_clock::now();
  t.on_loop([&] { t.daemon->request_shutdown("test"); });
  ASSERT_EQ(t.exit_code.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(t.exit_code.get(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

TEST(Daemon, EmergencyStopRunsHandlersOnTheLoop) {
  TestDaemon t;
  std::atomic<int> calls{0};
  std::thread::id handler_thread;
  t.daemon->emergency_stop().add_handler("engine", [&](const EmergencyStopRequest& r) {
    EXPECT_EQ(r.source, "api");
    handler_thread = std::this_thread::get_id();
    ++calls;
  });
  t.start();
  t.on_loop([&] { t.daemon->request_emergency_stop("api"); });
  ASSERT_TRUE(test::eventually([&] { return calls.load() == 1; }));
  EXPECT_NE(handler_thread, std::this_thread::get_id());  // ran on the daemon's loop thread
  t.on_loop([&] { t.daemon->request_shutdown("test"); });
  EXPECT_EQ(t.exit_code.get(), 0);
}

TEST(Daemon, ReloadNotifiesRiskListenersOnlyForAValidFile) {
  TempDir files;
  const auto path = files.write("c.yaml", "risk:\n  max_open_positions: 3\n").string();
  TestDaemon t(10s, {{"TRADINGD_METRICS_LISTEN", "127.0.0.1:0"}}, path);
  std::vector<int> seen;
  t.daemon->on_risk_reload([&](const config::RiskConfig& r) { seen.push_back(r.max_open_positions); });
  t.start();
  std::promise<void> reloaded;
  t.on_loop([&] {
    t.daemon->request_reload();
    files.write("c.yaml", "risk:\n  max_open_positions: many\n");
    t.daemon->request_reload();  // refused: listeners not called
    reloaded.set_value();
  });
  reloaded.get_future().wait();
  t.on_loop([&] { t.daemon->request_shutdown("test"); });
  EXPECT_EQ(t.exit_code.get(), 0);
  EXPECT_EQ(seen, (std::vector<int>{3}));
  EXPECT_EQ(t.daemon->config().risk.max_open_positions, 3);
}

// Watchdog pings stop while the loop is blocked: systemd would then kill and restart a stuck daemon.
TEST(Daemon, WatchdogPingsComeFromTheEventLoop) {
  TempDir dir;
  test::NotifySocket notify(dir.path() / "notify.sock");
  ASSERT_TRUE(notify.ok());
  ::setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);  // sd_notify reads the real environment

  TestDaemon t(10s, {{"WATCHDOG_USEC", "100000"}});  // a ping every 50 ms
  t.start();
  ASSERT_TRUE(test::eventually([&] {
    notify.drain();
    return notify.count("WATCHDOG=1") >= 3;
  }));
  // Block the loop for 600 ms: no ping may arrive meanwhile.
  std::atomic<bool> blocked{false};
  t.on_loop([&] {
    blocked = true;
    std::this_thread::sleep_for(600ms);
  });
  ASSERT_TRUE(test::eventually([&] { return blocked.load(); }));
  notify.drain();
  const auto before = notify.count("WATCHDOG=1");
  const auto blocked_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(test::eventually([&] {
    notify.drain();
    return notify.count("WATCHDOG=1") > before;
  }));
  EXPECT_GE(notify.messages().back().received - blocked_at, 400ms) << "a ping arrived while the loop was blocked";
  t.on_loop([&] { t.daemon->request_shutdown("test"); });
  EXPECT_EQ(t.exit_code.get(), 0);
  ::unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace tradingd::daemon
