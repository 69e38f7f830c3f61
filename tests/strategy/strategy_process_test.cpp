// The real build/bin/tradingd in paper mode with strategies[] entries: a compiled-in strategy and an
// external program start once the node is ready (log line, tradingd_strategy_running), a program that dies
// is logged with its stderr and restarted (tradingd_strategy_restarts_total), a bad entry stops start-up
// naming it, and SIGTERM stops the strategies before the node. Loopback only; every wait has a deadline.
#include <signal.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/daemon/daemon_process.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using ::testing::HasSubstr;

std::string scrape(int port) { return http_get(port, "/metrics").body; }

bool series_at_least(int port, const std::string& series, double value) {
  return eventually([&] {
    const auto v = sample_value(scrape(port), series);
    return v && *v >= value;
  });
}

constexpr const char* kInstruments =
    "instruments:\n  - venue: binance\n    market: linear_perp\n    symbol: BTCUSDT\n    leverage: 2\n";

TEST(StrategyProcess, PaperRunStartsConfiguredStrategiesAndRestartsADeadProgram) {
  TempDir dir;
  const std::string python = find_program("python3").value_or("python3");
  const auto script = (source_dir() / "examples" / "ma_crossover.py").string();
  const std::string yaml = std::string(kInstruments) +
                           "strategies:\n"
                           "  - name: ma\n"
                           "    type: ma_crossover\n"
                           "    instruments: [binance:linear_perp:BTCUSDT]\n"
                           "    params: {fast: \"3\", slow: \"8\", quantity: \"0.001\"}\n"
                           "  - name: py\n"
                           "    command: [" + python + ", " + script + "]\n"
                           "    instruments: [binance:linear_perp:BTCUSDT]\n"
                           "    params: {fast: \"3\", slow: \"8\"}\n"
                           "  - name: dies\n"
                           "    command: [sh, -c, \"echo about to fail >&2; exit 3\"]\n"
                           "    instruments: [binance:linear_perp:BTCUSDT]\n"
                           "  - name: off\n"
                           "    type: ma_crossover\n"
                           "    instruments: [binance:linear_perp:BTCUSDT]\n"
                           "    enabled: false\n";
  const auto cfg = dir.write("config.yaml", yaml);
  DaemonProcess d(dir, {"run", "--config", cfg.string()}, daemon_env(dir));
  const int port = d.metrics_port();
  ASSERT_GT(port, 0) << d.stderr_text();
  ASSERT_TRUE(d.wait_for_log("Strategy started strategy=ma")) << d.stderr_text();
  ASSERT_TRUE(d.wait_for_log("Strategy started strategy=py")) << d.stderr_text();
  EXPECT_TRUE(series_at_least(port, "tradingd_strategy_running{strategy=\"ma\"}", 1)) << scrape(port);
  EXPECT_TRUE(series_at_least(port, "tradingd_strategy_running{strategy=\"py\"}", 1)) << scrape(port);

  // The dying program: a risk event with its stderr, then restarts with backoff (1 s, 2 s, ...).
  ASSERT_TRUE(d.wait_for_log("External strategy died strategy=dies")) << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), HasSubstr("about to fail"));
  EXPECT_TRUE(series_at_least(port, "tradingd_strategy_restarts_total{strategy=\"dies\"}", 2)) << scrape(port);
  const auto body = scrape(port);
  EXPECT_GE(sample_value(body, "tradingd_strategy_errors_total{strategy=\"dies\"}").value_or(0), 2);
  EXPECT_EQ(sample_value(body, "tradingd_strategy_errors_total{strategy=\"ma\"}"), 0);
  EXPECT_EQ(sample_value(body, "tradingd_strategy_signals_total{strategy=\"ma\"}"), 0);
  EXPECT_EQ(sample_value(body, "tradingd_strategy_rejections_total{kind=\"risk_denied\",strategy=\"ma\"}"), 0);
  EXPECT_FALSE(sample_value(body, "tradingd_strategy_running{strategy=\"off\"}"));  // configured names only
  if (const auto promtool = find_program("promtool")) {
    TempDir tmp;
    auto r = run_program({promtool->string(), "check", "metrics"}, {{"PATH", "/usr/bin:/bin"}}, 30s,
                         tmp.write("scrape.txt", body));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0) << d.stderr_text();
  const auto log = d.stderr_text();
  EXPECT_THAT(log, HasSubstr("Strategy stopped strategy=ma"));
  EXPECT_THAT(log, HasSubstr("Strategy stopped strategy=py"));
  // The shutdown sequence lists components in stop order: the strategies before the node they trade on.
  const auto at = log.find("Shutting down ");
  ASSERT_NE(at, std::string::npos) << log;
  const std::string line = log.substr(at, log.find('\n', at) - at);
  ASSERT_NE(line.find("strategies"), std::string::npos) << line;
  EXPECT_LT(line.find("strategies"), line.find("trading_node")) << line;
}

TEST(StrategyProcess, ABadStrategyEntryStopsStartUpNamingIt) {
  TempDir dir;
  const std::string yaml = std::string(kInstruments) +
                           "strategies:\n"
                           "  - name: ma\n"
                           "    type: ma_crossover\n"
                           "    instruments: [binance:linear_perp:BTCUSDT]\n"
                           "    params: {fast: \"x\"}\n";
  const auto cfg = dir.write("config.yaml", yaml);
  DaemonProcess d(dir, {"run", "--config", cfg.string()}, daemon_env(dir));
  EXPECT_EQ(d.wait_exit(), 1);
  EXPECT_THAT(d.stderr_text(), HasSubstr("strategies[ma].params.fast"));
}

}  // namespace
}  // namespace tradingd::test
