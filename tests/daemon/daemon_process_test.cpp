// Process-level tests of the real build/bin/tradingd: command line, configuration errors, live-mode
// credentials, the metrics and health endpoints, signals (SIGTERM, SIGINT, SIGUSR1, SIGHUP), the systemd
// notify protocol, log formats and the state-directory lock. Loopback only; every wait has a deadline.
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <sstream>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/daemon/daemon_process.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string tradingd_path() { return (bin_dir() / "tradingd").string(); }

ProcessResult run_tradingd(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), tradingd_path());
  env.emplace("PATH", "/usr/bin:/bin");
  return run_program(args, env);
}

std::string scrape(int port) { return http_get(port, "/metrics").body; }

// Polls the scrape until the series has the value.
bool series_reaches(int port, const std::string& series, double value) {
  return eventually([&] { return sample_value(scrape(port), series) == value; });
}

// A started daemon in paper mode with the given config file contents (none: defaults + environment).
struct RunningDaemon {
  TempDir dir;
  std::filesystem::path config;
  std::unique_ptr<DaemonProcess> process;
  int port = 0;

  explicit RunningDaemon(const std::string& config_yaml = "", std::map<std::string, std::string> extra_env = {}) {
    auto env = daemon_env(dir);
    for (auto& [k, v] : extra_env) env[k] = v;
    std::vector<std::string> args{"run"};
    if (!config_yaml.empty()) {
      config = dir.write("config.yaml", config_yaml);
      args = {"run", "--config", config.string()};
    }
    process = std::make_unique<DaemonProcess>(dir, args, env);
    port = process->metrics_port();
  }
  bool started() const { return port > 0 && process->wait_for_log("Started mode="); }
};

TEST(DaemonCli, VersionHelpAndUsageErrors) {
  auto v = run_tradingd({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_THAT(v.out, HasSubstr("tradingd "));

  auto help = run_tradingd({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("run"));
  EXPECT_THAT(help.out, HasSubstr("validate-config"));
  for (const std::string command : {"run", "validate-config"}) {
    auto h = run_tradingd({command, "--help"});
    EXPECT_EQ(h.exit_code, 0) << command;
    EXPECT_THAT(h.out, HasSubstr("usage: tradingd " + command)) << command;
  }

  auto unknown = run_tradingd({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'frobnicate'"));

  auto typo = run_tradingd({"run", "--confg", "x.yaml"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown option --confg"));

  auto missing = run_tradingd({"validate-config"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("usage: tradingd validate-config FILE"));
}

TEST(DaemonCli, ValidateConfigPrintsEffectiveConfigWithSecretsRedacted) {
  TempDir dir;
  const auto file = dir.write("config.yaml", "mode: live\nvenues:\n  binance:\n    enabled: true\nrisk:\n  max_order_notional: 2500\n");
  auto r = run_tradingd({"validate-config", file.string()}, {{"TRADINGD_BINANCE_API_KEY", "pk-ABCDEFGH-1234"},
                                                               {"TRADINGD_BINANCE_API_SECRET", "s3cr3t-never-print"},
                                                               {"TRADINGD_LOG_LEVEL", "debug"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("max_order_notional: 2500"));
  EXPECT_THAT(r.out, HasSubstr("level: \"debug\""));  // the environment override is part of the effective config
  EXPECT_THAT(r.out, HasSubstr("****1234"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("s3cr3t-never-print")));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("pk-ABCDEFGH-1234")));
}

TEST(DaemonCli, ValidateConfigReportsEveryError) {
  TempDir dir;
  const auto file =
      dir.write("bad.yaml", "risk:\n  max_drawdown_pct: ten\n  max_order_notionl: 5\nlog:\n  level: loud\n");
  auto r = run_tradingd({"validate-config", file.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("risk.max_drawdown_pct"));
  EXPECT_THAT(r.err, HasSubstr("risk.max_order_notionl"));
  EXPECT_THAT(r.err, HasSubstr("log.level"));
  EXPECT_EQ(r.out, "");
}

TEST(DaemonRun, BadConfigExits2NamingTheKey) {
  TempDir dir;
  DaemonProcess d(dir, {"run", "--config", dir.write("c.yaml", "risk:\n  max_drawdown_pct: ten\n").string()},
                  daemon_env(dir));
  EXPECT_EQ(d.wait_exit(), 2);
  EXPECT_THAT(d.stderr_text(), HasSubstr("risk.max_drawdown_pct"));
  EXPECT_THAT(d.stderr_text(), Not(HasSubstr("Started")));
}

TEST(DaemonRun, LiveModeWithoutCredentialsRefusesNamingThem) {
  TempDir dir;
  auto env = daemon_env(dir);
  env["TRADINGD_MODE"] = "live";
  env["TRADINGD_BINANCE_API_KEY"] = "only-the-key-is-set";
  DaemonProcess d(dir,
                  {"run", "--config",
                   dir.write("c.yaml", "venues:\n  binance:\n    enabled: true\n  okx:\n    enabled: true\n").string()},
                  env);
  EXPECT_EQ(d.wait_exit(), 2);
  const auto err = d.stderr_text();
  EXPECT_THAT(err, HasSubstr("TRADINGD_BINANCE_API_SECRET"));
  EXPECT_THAT(err, HasSubstr("TRADINGD_OKX_API_KEY"));
  EXPECT_THAT(err, HasSubstr("TRADINGD_OKX_API_SECRET"));
  EXPECT_THAT(err, HasSubstr("TRADINGD_OKX_API_PASSPHRASE"));
  EXPECT_THAT(err, Not(HasSubstr("TRADINGD_BINANCE_API_KEY")));  // it is set
  EXPECT_THAT(err, Not(HasSubstr("Started")));                      // never falls back to paper
}

TEST(DaemonRun, LiveModeExitsWithTheAdaptersMessageWhenItCannotBeBuiltAndNeverLogsSecrets) {
  TempDir dir;
  TempDir creds;
  // A PEM secret that is no Ed25519 key: Binance takes HMAC secrets and Ed25519 keys only, so the adapter
  // cannot be built (before any request is made: no network).
  creds.write("tradingd_binance_api_key", "BINANCEKEY-0000-wxyz\n");
  creds.write("tradingd_binance_api_secret",
              "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
              "-----END RSA PRIVATE KEY-----\n");
  auto env = daemon_env(dir);
  env["TRADINGD_MODE"] = "live";
  env["CREDENTIALS_DIRECTORY"] = creds.path().string();
  DaemonProcess d(dir,
                  {"run", "--config",
                   dir.write("c.yaml", "venues:\n  binance:\n    enabled: true\n"
                                       "instruments:\n  - venue: binance\n    market: spot\n    symbol: BTCUSDT\n")
                       .string()},
                  env);
  EXPECT_EQ(d.wait_exit(), 2);
  const auto log = d.stderr_text();
  EXPECT_THAT(log, HasSubstr("live venues: binance:"));
  EXPECT_THAT(log, HasSubstr("PEM key"));
  EXPECT_THAT(log, Not(HasSubstr("Started")));
  EXPECT_THAT(log, Not(HasSubstr("MIIBOgIBAAJBAKj34")));
  EXPECT_THAT(log, Not(HasSubstr("BINANCEKEY-0000")));
}

TEST(DaemonRun, LiveModeWithoutInstrumentsRefusesToStart) {
  TempDir dir;
  auto env = daemon_env(dir);
  env["TRADINGD_MODE"] = "live";
  env["TRADINGD_BYBIT_API_KEY"] = "k";
  env["TRADINGD_BYBIT_API_SECRET"] = "s";
  DaemonProcess d(dir, {"run", "--config", dir.write("c.yaml", "venues:\n  bybit:\n    enabled: true\n").string()},
                  env);
  EXPECT_EQ(d.wait_exit(), 2);
  EXPECT_THAT(d.stderr_text(), HasSubstr("no enabled venue has configured instruments"));
  EXPECT_THAT(d.stderr_text(), Not(HasSubstr("Started")));
}

TEST(DaemonRun, ServesMetricsThatPromtoolAccepts) {
  RunningDaemon d;
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  const auto body = scrape(d.port);
  for (const std::string name :
       {"tradingd_build_info{version=", "tradingd_mode_info{mode=\"paper\"} 1", "tradingd_uptime_seconds ",
        "tradingd_emergency_stop_requests_total{source=\"signal\"} 0",
        "tradingd_config_reloads_total{result=\"failure\"} 0", "tradingd_config_reloads_total{result=\"success\"} 0",
        "tradingd_risk_limit{limit=\"max_order_notional\"} 10000", "tradingd_ready 1", "process_cpu_seconds_total ",
        "process_resident_memory_bytes ", "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_THAT(body, HasSubstr(name));
  }
  const auto promtool = find_program("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (deploy/install-deps.sh installs it): lint not checked";
  TempDir tmp;
  const auto scrape_file = tmp.write("scrape.txt", body);
  auto r = run_program({promtool->string(), "check", "metrics"}, {{"PATH", "/usr/bin:/bin"}}, 30s, scrape_file);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << "\n--- scrape:\n" << body;
}

TEST(DaemonRun, HealthAndReadinessEndpoints) {
  RunningDaemon d;
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  auto health = http_get(d.port, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  // Paper mode with no market-data source yet: nothing to wait for, so ready.
  auto ready = http_get(d.port, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_THAT(ready.body, HasSubstr("ready\nok daemon"));
  EXPECT_EQ(http_get(d.port, "/nope").status, 404);
}

TEST(DaemonRun, SigtermExitsZeroPromptly) {
  RunningDaemon d;
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  const auto t0 = std::chrono::steady_clock::now();
  d.process->signal(SIGTERM);
  EXPECT_EQ(d.process->wait_exit(5s), 0) << d.process->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("Shutting down reason=SIGTERM"));
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("Exited status=0"));
}

TEST(DaemonRun, SigintExitsZero) {
  RunningDaemon d;
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  d.process->signal(SIGINT);
  EXPECT_EQ(d.process->wait_exit(5s), 0) << d.process->stderr_text();
}

TEST(DaemonRun, Sigusr1IsCountedAsEmergencyStop) {
  RunningDaemon d;
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  const std::string series = "tradingd_emergency_stop_requests_total{source=\"signal\"}";
  d.process->signal(SIGUSR1);
  EXPECT_TRUE(series_reaches(d.port, series, 1)) << scrape(d.port);
  d.process->signal(SIGUSR1);
  EXPECT_TRUE(series_reaches(d.port, series, 2)) << scrape(d.port);
  EXPECT_TRUE(d.process->running());  // an emergency stop is not a shutdown
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("Emergency stop requested source=signal request=2"));
  EXPECT_EQ(sample_value(scrape(d.port), "tradingd_signals_received_total{signal=\"SIGUSR1\"}"), 2);
}

constexpr const char* kPaperInstruments =
    "instruments:\n  - venue: binance\n    market: linear_perp\n    symbol: BTCUSDT\n    leverage: 2\n";

TEST(DaemonRun, PaperNodeRunsTheEmergencyStopOnSigusr1AndReportsTheOutcome) {
  RunningDaemon d(kPaperInstruments);
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  ASSERT_TRUE(d.process->wait_for_log("Trading node ready")) << d.process->stderr_text();
  const std::string ok = "tradingd_emergency_stops_total{outcome=\"success\"}";
  d.process->signal(SIGUSR1);
  EXPECT_TRUE(series_reaches(d.port, ok, 1)) << scrape(d.port);
  EXPECT_TRUE(d.process->wait_for_log("Emergency stop finished success=true"));
  const auto body = scrape(d.port);
  EXPECT_EQ(sample_value(body, "tradingd_circuit_breaker_tripped"), 1);
  EXPECT_EQ(sample_value(body, "tradingd_emergency_stop_duration_seconds_count"), 1);
  EXPECT_EQ(sample_value(body, "tradingd_open_orders{venue=\"binance\"}"), 0);
  EXPECT_EQ(sample_value(body, "tradingd_position_quantity{instrument=\"linear_perp:BTCUSDT\",venue=\"binance\"}"), 0);
  EXPECT_EQ(sample_value(body, "tradingd_component_ready{component=\"state\"}"), 1);
  EXPECT_TRUE(d.process->running());
  // The node's families (histograms, per-reason counters) must lint like the rest.
  if (const auto promtool = find_program("promtool")) {
    TempDir tmp;
    auto r = run_program({promtool->string(), "check", "metrics"}, {{"PATH", "/usr/bin:/bin"}}, 30s,
                         tmp.write("scrape.txt", body));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err << "\n--- scrape:\n" << body;
  }
  d.process->signal(SIGTERM);
  EXPECT_EQ(d.process->wait_exit(), 0);
}

TEST(DaemonRun, TrippedBreakerSurvivesARestart) {
  TempDir dir;
  auto env = daemon_env(dir);
  const auto cfg = dir.write("c.yaml", kPaperInstruments);
  {
    DaemonProcess d(dir, {"run", "--config", cfg.string()}, env);
    ASSERT_TRUE(d.wait_for_log("Trading node ready")) << d.stderr_text();
    d.signal(SIGUSR1);
    ASSERT_TRUE(d.wait_for_log("Emergency stop finished"));
    d.signal(SIGTERM);
    ASSERT_EQ(d.wait_exit(), 0);
  }
  DaemonProcess d(dir, {"run", "--config", cfg.string()}, env);
  const int port = d.metrics_port();
  ASSERT_TRUE(d.wait_for_log("Trading node ready")) << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), HasSubstr("breaker_tripped=true"));
  EXPECT_TRUE(series_reaches(port, "tradingd_circuit_breaker_tripped", 1)) << scrape(port);
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
}

TEST(DaemonCli, ExportReadsTheJournalWhileTheDaemonHoldsIt) {
  RunningDaemon d(kPaperInstruments);
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  ASSERT_TRUE(d.process->wait_for_log("Trading node ready"));
  const auto state = (d.dir.path() / "state").string();
  auto json = run_tradingd({"export", "--state-dir", state, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = boost::json::parse(json.out);
  EXPECT_TRUE(doc.as_object().contains("orders"));
  EXPECT_TRUE(doc.as_object().contains("fills"));
  const auto out = (d.dir.path() / "csv").string();
  auto csv = run_tradingd({"export", "--state-dir", state, "--format", "csv", "--out", out,
                           "--since", "2020-01-01T00:00:00Z"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(std::filesystem::exists(d.dir.path() / "csv" / "fills.csv"));
  EXPECT_TRUE(d.process->running());

  EXPECT_EQ(run_tradingd({"export", "--state-dir", state, "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(run_tradingd({"export", "--format", "json"}).exit_code, 2);
  EXPECT_EQ(run_tradingd({"export", "--state-dir", state, "--format", "json", "--since", "yesterday"}).exit_code, 2);
  EXPECT_EQ(run_tradingd({"export", "--state-dir", (d.dir.path() / "nope").string(), "--format", "json"}).exit_code, 1);
  auto help = run_tradingd({"export", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage: tradingd export"));
}

TEST(DaemonRun, SighupRefusesBrokenFileKeepingLimitsAndAppliesGoodOne) {
  RunningDaemon d("risk:\n  max_order_notional: 5000\n");
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  const std::string limit = "tradingd_risk_limit{limit=\"max_order_notional\"}";
  EXPECT_EQ(sample_value(scrape(d.port), limit), 5000);

  // A broken file: refused, counted, the running limit kept, the error logged with its key.
  d.dir.write("config.yaml", "risk:\n  max_order_notional: lots\n");
  d.process->signal(SIGHUP);
  ASSERT_TRUE(series_reaches(d.port, "tradingd_config_reloads_total{result=\"failure\"}", 1)) << scrape(d.port);
  const auto after_bad = scrape(d.port);
  EXPECT_EQ(sample_value(after_bad, limit), 5000);
  EXPECT_EQ(sample_value(after_bad, "tradingd_config_last_reload_successful"), 0);
  EXPECT_EQ(sample_value(after_bad, "tradingd_config_reloads_total{result=\"success\"}"), 0);
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("Config reload refused"));
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("risk.max_order_notional"));

  // A good file: applied, and a change outside the reloadable settings is reported, not applied.
  d.dir.write("config.yaml", "risk:\n  max_order_notional: 7000\nmarket_data:\n  book_depth: 20\n");
  d.process->signal(SIGHUP);
  ASSERT_TRUE(series_reaches(d.port, "tradingd_config_reloads_total{result=\"success\"}", 1)) << scrape(d.port);
  const auto after_good = scrape(d.port);
  EXPECT_EQ(sample_value(after_good, limit), 7000);
  EXPECT_EQ(sample_value(after_good, "tradingd_config_last_reload_successful"), 1);
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("key=risk.max_order_notional old=5000 new=7000"));
  EXPECT_THAT(d.process->stderr_text(), HasSubstr("sections=market_data"));
  d.process->signal(SIGTERM);
  EXPECT_EQ(d.process->wait_exit(), 0);
}

TEST(DaemonRun, SighupAppliesLogLevel) {
  RunningDaemon d("log:\n  level: info\n");
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  d.dir.write("config.yaml", "log:\n  level: warn\n");
  d.process->signal(SIGHUP);
  ASSERT_TRUE(series_reaches(d.port, "tradingd_config_reloads_total{result=\"success\"}", 1));
  // At warn, the info line for the signal is gone while the emergency stop's warning still shows.
  d.process->signal(SIGUSR1);
  ASSERT_TRUE(d.process->wait_for_log("Emergency stop requested"));
  EXPECT_THAT(d.process->stderr_text(), Not(HasSubstr("signal=SIGUSR1")));
}

// The systemd notify protocol over our own datagram socket: READY=1, WATCHDOG=1 pings, STOPPING=1.
TEST(DaemonRun, SystemdNotifyReadyWatchdogStopping) {
  TempDir dir;
  NotifySocket notify(dir.path() / "notify.sock");
  ASSERT_TRUE(notify.ok());
  auto env = daemon_env(dir);
  env["NOTIFY_SOCKET"] = notify.path().string();
  env["WATCHDOG_USEC"] = "200000";  // pings every 100 ms
  DaemonProcess d(dir, {"run"}, env);

  EXPECT_TRUE(notify.wait_for("READY=1")) << d.stderr_text();
  ASSERT_TRUE(notify.wait_for("WATCHDOG=1"));
  const auto pings_before = notify.count("WATCHDOG=1");
  EXPECT_TRUE(eventually([&] {
    notify.drain();
    return notify.count("WATCHDOG=1") >= pings_before + 2;
  }));
  d.signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1"));
  EXPECT_EQ(d.wait_exit(), 0);
  const auto& m = notify.messages();
  const auto ready = std::find_if(m.begin(), m.end(), [](const auto& x) { return x.text.starts_with("READY=1"); });
  const auto stopping = std::find_if(m.begin(), m.end(), [](const auto& x) { return x.text.starts_with("STOPPING=1"); });
  EXPECT_LT(ready - m.begin(), stopping - m.begin());
}

TEST(DaemonRun, JsonLogFormatIsOneObjectPerLine) {
  RunningDaemon d("", {{"TRADINGD_LOG_FORMAT", "json"}});
  ASSERT_TRUE(d.started()) << d.process->stderr_text();
  d.process->signal(SIGTERM);
  ASSERT_EQ(d.process->wait_exit(), 0);
  std::istringstream in(d.process->stderr_text());
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    ASSERT_TRUE(v.is_object()) << line;
    EXPECT_TRUE(v.as_object().contains("ts")) << line;
    EXPECT_TRUE(v.as_object().contains("level")) << line;
    EXPECT_TRUE(v.as_object().contains("msg")) << line;
  }
  EXPECT_GE(lines, 5);
}

TEST(DaemonRun, SecondDaemonOnTheSameStateDirRefuses) {
  RunningDaemon first;
  ASSERT_TRUE(first.started()) << first.process->stderr_text();
  TempDir other;
  auto env = daemon_env(other);
  env["TRADINGD_STATE_DIR"] = (first.dir.path() / "state").string();
  DaemonProcess second(other, {"run"}, env);
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_THAT(second.stderr_text(), HasSubstr("in use by another tradingd (pid " + std::to_string(first.process->pid())));
  EXPECT_TRUE(first.process->running());
}

TEST(DaemonRun, MetricsPortInUseExits1WithAdvice) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  TempDir dir;
  auto env = daemon_env(dir);
  env["TRADINGD_METRICS_LISTEN"] = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  DaemonProcess d(dir, {"run"}, env);
  EXPECT_EQ(d.wait_exit(), 1);
  EXPECT_THAT(d.stderr_text(), HasSubstr("cannot listen on metrics.listen"));
  ::close(fd);
}

}  // namespace
}  // namespace tradingd::test
