// The README's first command, at process level: the real `tradingd run` with config/demo.yaml (the file
// deploy/demo.sh runs) in paper mode against the real venue-emulator (loopback TLS, its own CA; never a real
// host). The shipped quoter must trade within seconds, and what it did must be visible where the README
// says to look: the log ("Strategy order", "Strategy fill", "Strategy summary"), the control API
// (GET /v1/orders, /v1/positions, /v1/portfolio), /metrics, tradingctl and examples/api_client.py.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <string>

#include "tests/daemon/api_wire_client.h"
#include "tests/daemon/daemon_process.h"
#include "tests/daemon/market_data_emulator.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kToken = "demo-test-token";
constexpr const char* kStrategy = "demo_quoter";  // the strategy config/demo.yaml names

double metric(int port, const std::string& series) {
  return sample_value(http_get(port, "/metrics").body, series).value_or(-1);
}

std::string series(const std::string& name) { return name + "{strategy=\"" + kStrategy + "\"}"; }

// A loopback port the kernel just handed out (free now; the script binds it a moment later).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

TEST(DemoConfig, IsValid) {
  const auto r = run_program({(bin_dir() / "tradingd").string(), "validate-config",
                              (source_dir() / "config" / "demo.yaml").string()},
                             {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("quoter"));
}

TEST(Demo, TheQuoterTradesAgainstTheEmulatorAndEveryOperatorViewShowsIt) {
  if (!find_program("curl")) GTEST_SKIP() << "curl is not installed (deploy/install-deps.sh installs it)";
  const auto started = std::chrono::steady_clock::now();
  TempDir dir;
  EmulatorProcess emulator(dir);  // the demo's emulator: default tick and seed
  ASSERT_TRUE(emulator.wait_ready()) << emulator.stderr_text();
  auto env = daemon_env(dir);
  emulator.wire(env);
  env["TRADINGD_API_TOKEN"] = kToken;
  DaemonProcess d(dir, {"run", "--config", (source_dir() / "config" / "demo.yaml").string()}, env);
  const int metrics = d.metrics_port();
  ASSERT_NE(metrics, 0) << d.stderr_text();
  const int api = control_api_port(d);
  ASSERT_NE(api, 0) << d.stderr_text();

  // The log: the quoter's post-only orders, then a fill with its position and PnL.
  ASSERT_TRUE(d.wait_for_log("Strategy fill strategy=demo_quoter", 30s)) << d.stderr_text();
  const auto log = d.stderr_text();
  EXPECT_THAT(log, HasSubstr("Strategy started strategy=demo_quoter mode=paper"));
  EXPECT_THAT(log, HasSubstr("Strategy order strategy=demo_quoter order_id="));
  EXPECT_THAT(log, HasSubstr("instrument=binance:spot:BTCUSDT side=buy type=limit tif=post_only qty=0.0005"));
  EXPECT_THAT(log, HasSubstr("liquidity=maker position="));
  EXPECT_THAT(log, HasSubstr(" realized_pnl="));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(kToken)));  // the token is never logged

  // The API: the strategy's orders, at least one filled at the emulator's price (BTCUSDT spot starts near
  // 60000), and the position it built.
  const auto orders_r = api_request(api, "GET", "/v1/orders", kToken);
  ASSERT_EQ(orders_r.status, 200) << orders_r.body;
  const auto orders_doc = boost::json::parse(orders_r.body);
  const auto& orders = orders_doc.at("orders").as_array();
  int filled = 0;
  int ours = 0;
  for (const auto& ov : orders) {
    const auto& o = ov.as_object();
    if (o.at("strategy_id") != kStrategy) continue;
    ++ours;
    EXPECT_EQ(o.at("time_in_force"), "post_only") << o;
    EXPECT_THAT(std::string(o.at("tag").as_string()), ::testing::StartsWith("quoter_")) << o;
    if (o.at("status") == "filled" || o.at("filled_quantity") != "0") {
      ++filled;
      const double price = std::stod(std::string(o.at("avg_price").as_string()));
      EXPECT_GT(price, 40000.0) << o;
      EXPECT_LT(price, 80000.0) << o;
    }
  }
  EXPECT_GE(ours, 1) << orders_r.body;
  EXPECT_GE(filled, 1) << orders_r.body;
  const auto positions_r = api_request(api, "GET", "/v1/positions", kToken);
  ASSERT_EQ(positions_r.status, 200) << positions_r.body;
  bool position_with_fills = false;
  const auto positions_doc = boost::json::parse(positions_r.body);
  for (const auto& pv : positions_doc.at("positions").as_array()) {
    const auto& p = pv.as_object();
    if (p.at("symbol") == "BTCUSDT" && p.at("venue") == "binance" && p.at("fills").as_int64() >= 1)
      position_with_fills = true;
  }
  EXPECT_TRUE(position_with_fills) << positions_r.body;
  const auto portfolio_r = api_request(api, "GET", "/v1/portfolio", kToken);
  ASSERT_EQ(portfolio_r.status, 200) << portfolio_r.body;
  EXPECT_GE(boost::json::parse(portfolio_r.body).at("fills").as_int64(), 1) << portfolio_r.body;

  // /metrics (the strategy counters are refreshed every second).
  EXPECT_TRUE(eventually([&] { return metric(metrics, series("tradingd_strategy_fills_total")) >= 1; }, 5s))
      << http_get(metrics, "/metrics").body;
  EXPECT_GE(metric(metrics, series("tradingd_strategy_signals_total")), 1);
  EXPECT_GE(metric(metrics, series("tradingd_strategy_orders_total")), 1);
  EXPECT_EQ(metric(metrics, series("tradingd_strategy_running")), 1);
  EXPECT_GE(metric(metrics, "tradingd_fills_total{liquidity=\"maker\",venue=\"binance\"}"), 1);
  EXPECT_GE(metric(metrics, "tradingd_orders_submitted_total{venue=\"binance\"}"), 1);
  EXPECT_GT(metric(metrics, "tradingd_equity"), 0);

  // The operator's tools against it.
  const std::map<std::string, std::string> tool_env = {
      {"PATH", "/usr/bin:/bin"}, {"TRADINGD_API_LISTEN", "127.0.0.1:" + std::to_string(api)}, {"TRADINGD_API_TOKEN", kToken}};
  if (find_program("python3")) {
    const auto ctl = (bin_dir() / "tradingctl").string();
    const auto status = run_program({ctl, "status"}, tool_env);
    ASSERT_EQ(status.exit_code, 0) << status.err;
    EXPECT_EQ(boost::json::parse(status.out).at("mode"), "paper") << status.out;
    const auto positions = run_program({ctl, "positions"}, tool_env);
    EXPECT_EQ(positions.exit_code, 0) << positions.err;
    EXPECT_THAT(positions.out, HasSubstr("\"BTCUSDT\""));
    const auto client = run_program({find_program("python3")->string(), (source_dir() / "examples/api_client.py").string(),
                                     "demo", "--symbol", "BTCUSDT", "--quantity", "0.0005"},
                                    tool_env, 20s);
    EXPECT_EQ(client.exit_code, 0) << client.out << client.err;
    EXPECT_THAT(client.out, HasSubstr("status=filled"));
    EXPECT_THAT(client.out, HasSubstr("fill event"));
  }

  // Shutdown: the quotes are canceled, and the last lines sum up what the strategy did.
  d.signal(SIGTERM);
  ASSERT_EQ(d.wait_exit(15s), 0) << d.stderr_text();
  const auto end = d.stderr_text();
  EXPECT_THAT(end, HasSubstr("Strategy summary strategy=demo_quoter state="));
  EXPECT_THAT(end, ::testing::ContainsRegex("Strategy stopped strategy=demo_quoter signals=[1-9][0-9]* submitted=[1-9][0-9]* "
                                            "fills=[1-9]"));
  std::cout << "[ demo ] trading, checks and shutdown took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms\n";
}

// deploy/demo.sh itself on the binaries already built (DEMO_BIN_DIR: it installs and builds nothing), bounded
// by DEMO_SECONDS: it exits 0 and its output shows the strategy trading in the log, the example API client's
// filled order and fill event, and the operator views (tradingctl, the orders summary, /metrics).
TEST(DemoScript, RunsTheQuoterAndPrintsWhatTheOperatorSees) {
  for (const char* tool : {"bash", "curl", "python3"})
    if (!find_program(tool)) GTEST_SKIP() << tool << " is not installed";
  TempDir dir;
  const int metrics = free_port();
  const int api = free_port();
  ASSERT_TRUE(metrics > 0 && api > 0 && metrics != api);
  const auto r = run_program({find_program("bash")->string(), (source_dir() / "deploy" / "demo.sh").string()},
                             {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                              {"TMPDIR", dir.path().string()},  // its state directory, removed with dir
                              {"DEMO_BIN_DIR", bin_dir().string()},
                              {"DEMO_SECONDS", "15"},
                              {"DEMO_REPORT_SECONDS", "0"},
                              {"TRADINGD_METRICS_LISTEN", "127.0.0.1:" + std::to_string(metrics)},
                              {"TRADINGD_API_LISTEN", "127.0.0.1:" + std::to_string(api)},
                              {"TRADINGD_API_TOKEN", kToken}},
                             40s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The daemon's log (stderr): the quoter's orders and fills, and the summary at shutdown.
  EXPECT_THAT(r.err, HasSubstr("Strategy order strategy=demo_quoter"));
  EXPECT_THAT(r.err, HasSubstr("Strategy fill strategy=demo_quoter"));
  EXPECT_THAT(r.err, ::testing::ContainsRegex("Strategy summary strategy=demo_quoter state=stopped orders=[1-9][0-9]* "
                                              "fills=[1-9]"));
  // The example client through the API, then the final report.
  EXPECT_THAT(r.out, HasSubstr("status=filled"));
  EXPECT_THAT(r.out, HasSubstr("fill event"));
  EXPECT_THAT(r.out, HasSubstr("==== demo: what the operator sees"));
  EXPECT_THAT(r.out, HasSubstr("\"mode\": \"paper\""));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("[0-9]+ orders: .*[1-9][0-9]* filled"));
  EXPECT_THAT(r.out, HasSubstr("\"symbol\": \"BTCUSDT\""));  // tradingctl positions
  EXPECT_THAT(r.out, ::testing::ContainsRegex("tradingd_strategy_fills_total\\{strategy=\"demo_quoter\"\\} [1-9]"));
  EXPECT_THAT(r.out, HasSubstr("tradingd_equity "));
  EXPECT_THAT(r.out, HasSubstr("DEMO_SECONDS=15 reached"));
  EXPECT_THAT(r.out + r.err, ::testing::Not(HasSubstr("Traceback")));
  EXPECT_THAT(r.out + r.err, ::testing::Not(HasSubstr(kToken)));  // the token is never printed
  EXPECT_THAT(r.out, HasSubstr("/api_token)"));                    // but where to find it is
}

}  // namespace
}  // namespace tradingd::test
