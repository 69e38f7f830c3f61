// The control API against the real tradingd in paper mode (synthetic quotes from the TEST ONLY hook, no
// synthetic signals: every order here is ours): authentication, every endpoint, bad requests on the wire,
// a posted market signal whose fill arrives on the /v1/events WebSocket, breaker trip/reset (API and
// SIGUSR2), emergency stop, the metrics, tradingctl and examples/api_client.py, and the start-up policy
// (a non-loopback address without a token refuses to start; loopback without one leaves the API off).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <csignal>

#include "tests/daemon/api_wire_client.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

constexpr const char* kToken = "process-test-token";
constexpr const char* kConfig =
    "instruments:\n  - venue: binance\n    market: linear_perp\n    symbol: BTCUSDT\n    leverage: 2\n"
    "risk:\n  breaker_cooldown_s: 0\n"
    "api:\n  max_body_bytes: 2048\n";
constexpr const char* kMarketBuy =
    R"({"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market","quantity":"0.01","strategy_id":"ptest"})";

boost::json::object json_of(const WireResponse& r) { return boost::json::parse(r.body).as_object(); }

class ApiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg = dir.write("c.yaml", kConfig);
    env = daemon_env(dir);
    env["TRADINGD_API_TOKEN"] = kToken;
    env["TRADINGD_TEST_SYNTHETIC_TRADING"] = "quotes";
    d = std::make_unique<DaemonProcess>(dir, std::vector<std::string>{"run", "--config", cfg.string()}, env);
    port = control_api_port(*d);
    ASSERT_GT(port, 0) << d->stderr_text();
    ASSERT_TRUE(eventually([&] {
      auto r = api_request(port, "GET", "/v1/status", kToken);
      return r.status == 200 && json_of(r).at("node").at("state") == "ready";
    })) << d->stderr_text();
  }
  void TearDown() override {
    if (!d || !d->running()) return;
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(), 0) << d->stderr_text();
  }
  WireResponse get(const std::string& path) { return api_request(port, "GET", path, kToken); }
  WireResponse post(const std::string& path, const std::string& body = {}) {
    return api_request(port, "POST", path, kToken, body);
  }
  // A market signal once the synthetic quotes gave the node a price (until then risk says no_reference_price).
  boost::json::object submit_market() {
    boost::json::object order;
    EXPECT_TRUE(eventually([&] {
      auto r = post("/v1/signals", kMarketBuy);
      if (r.status != 200) return false;
      order = json_of(r);
      return true;
    })) << d->stderr_text();
    return order;
  }
  std::map<std::string, std::string> tool_env() const {
    return {{"PATH", "/usr/bin:/bin"}, {"TRADINGD_API_LISTEN", "127.0.0.1:" + std::to_string(port)},
            {"TRADINGD_API_TOKEN", kToken}};
  }

  TempDir dir;
  std::filesystem::path cfg;
  std::map<std::string, std::string> env;
  std::unique_ptr<DaemonProcess> d;
  int port = 0;
};

TEST_F(ApiProcessTest, AuthenticationIsRequiredOnEveryEndpoint) {
  EXPECT_EQ(api_request(port, "GET", "/v1/status", "").status, 401);
  EXPECT_EQ(api_request(port, "GET", "/v1/status", "wrong").status, 401);
  EXPECT_EQ(api_request(port, "POST", "/v1/signals", "", kMarketBuy).status, 401);
  EXPECT_EQ(api_request(port, "POST", "/v1/emergency-stop", "").status, 401);
  WsClient ws;
  EXPECT_EQ(ws.connect(port, "/v1/events", ""), 401);
  EXPECT_EQ(get("/v1/orders").status, 200);
  EXPECT_TRUE(json_of(get("/v1/orders")).at("orders").as_array().empty());  // nothing unauthenticated got through
}

TEST_F(ApiProcessTest, APostedMarketSignalFillsAndTheFillArrivesOnTheEventsWebSocket) {
  WsClient ws;
  ASSERT_EQ(ws.connect(port, "/v1/events", kToken), 101);
  auto hello = ws.next(std::chrono::seconds(5));
  ASSERT_TRUE(hello);
  EXPECT_EQ(boost::json::parse(*hello).at("type"), "subscribed");

  const auto order = submit_market();
  ASSERT_TRUE(order.contains("id"));
  const auto id = order.at("id").as_int64();
  EXPECT_TRUE(order.contains("client_order_id") && order.contains("status") && order.contains("filled_quantity") &&
              order.contains("avg_price") && order.contains("fees"));

  bool fill_seen = false, position_seen = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!(fill_seen && position_seen) && std::chrono::steady_clock::now() < deadline) {
    auto msg = ws.next(std::chrono::seconds(5));
    ASSERT_TRUE(msg) << "events stream ended\n" << d->stderr_text();
    const auto ev = boost::json::parse(*msg).as_object();
    if (ev.at("type") == "fill" && ev.at("fill").at("order_id").as_int64() == id) {
      fill_seen = true;
      EXPECT_EQ(ev.at("fill").at("quantity").as_string(), "0.01");
    }
    if (fill_seen && ev.at("type") == "position") position_seen = true;
  }
  EXPECT_TRUE(fill_seen);
  EXPECT_TRUE(position_seen);

  auto got = json_of(get("/v1/orders/" + std::to_string(id)));
  EXPECT_EQ(got.at("status").as_string(), "filled");
  EXPECT_EQ(got.at("filled_quantity").as_string(), "0.01");
  auto pos = json_of(get("/v1/positions")).at("positions").as_array();
  ASSERT_EQ(pos.size(), 1u);
  EXPECT_EQ(pos[0].at("quantity").as_string(), "0.01");

  // The metrics count the requests and the events client.
  const int mport = d->metrics_port();
  const auto metrics = http_get(mport, "/metrics").body;
  EXPECT_EQ(sample_value(metrics, "tradingd_api_events_clients"), 1.0);
  EXPECT_GE(sample_value(metrics, "tradingd_api_requests_total{code=\"200\",endpoint=\"POST /v1/signals\"}").value_or(0), 1.0);
  EXPECT_GE(sample_value(metrics, "tradingd_api_requests_total{code=\"401\",endpoint=\"other\"}").value_or(0), 0.0);
}

TEST_F(ApiProcessTest, EveryEndpointAnswersAndBadRequestsGetClearErrors) {
  const auto order = submit_market();
  const auto id = std::to_string(order.at("id").as_int64());
  for (const char* path : {"/v1/status", "/v1/orders", "/v1/orders?status=open", "/v1/positions", "/v1/portfolio", "/v1/risk"}) {
    auto r = get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    EXPECT_NO_THROW(json_of(r)) << path;
  }
  EXPECT_EQ(get("/v1/orders/" + id).status, 200);
  ASSERT_TRUE(eventually([&] { return json_of(get("/v1/orders/" + id)).at("status") == "filled"; }));
  EXPECT_EQ(get("/v1/orders/987654").status, 404);
  EXPECT_EQ(post("/v1/orders/" + id + "/cancel").status, 409);  // filled already
  EXPECT_EQ(post("/v1/orders/cancel-all").status, 202);
  EXPECT_EQ(get("/v1/events").status, 426);
  EXPECT_EQ(get("/v1/nothing").status, 404);
  auto m = api_request(port, "DELETE", "/v1/orders/" + id, kToken);
  EXPECT_EQ(m.status, 405);
  EXPECT_NE(m.head.find("Allow: GET"), std::string::npos) << m.head;

  auto bad = post("/v1/signals", "{\"venue\":");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json_of(bad).at("error").as_string(), "invalid_json");
  auto unknown = post("/v1/signals", R"({"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market","qty":"1"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json_of(unknown).at("field").as_string(), "qty");
  auto wrong = post("/v1/signals", R"({"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market","quantity":[1]})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(json_of(wrong).at("error").as_string(), "wrong_type");
  auto missing = post("/v1/signals", R"({"venue":"binance","side":"buy","type":"market","quantity":"1"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json_of(missing).at("error").as_string(), "missing_field");

  // Over api.max_body_bytes (2048 here): refused from the Content-Length, before the body is read.
  const std::string big(4096, ' ');
  auto large = api_request(port, "POST", "/v1/signals", kToken, std::string(kMarketBuy) + big);
  EXPECT_EQ(large.status, 413) << large.body;
  // Garbage instead of HTTP: an error or a closed connection, and the daemon carries on.
  (void)raw_request(port, "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(get("/v1/status").status, 200);
}

TEST_F(ApiProcessTest, BreakerTripAndResetThroughTheApiAndSigusr2) {
  auto trip = post("/v1/circuit-breaker/trip", R"({"detail":"process test"})");
  ASSERT_EQ(trip.status, 200) << trip.body;
  EXPECT_TRUE(json_of(trip).at("breaker").at("tripped").as_bool());
  EXPECT_EQ(json_of(get("/v1/risk")).at("trading_state").as_string(), "reducing");
  auto refused = post("/v1/signals", kMarketBuy);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(json_of(refused).at("reason").as_string(), "circuit_breaker_tripped");
  auto reset = post("/v1/circuit-breaker/reset");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_FALSE(json_of(reset).at("breaker").at("tripped").as_bool());
  EXPECT_EQ(post("/v1/circuit-breaker/reset").status, 409);  // not tripped any more

  ASSERT_EQ(post("/v1/circuit-breaker/trip").status, 200);
  d->signal(SIGUSR2);
  EXPECT_TRUE(d->wait_for_log("Circuit breaker reset source=signal")) << d->stderr_text();
  EXPECT_TRUE(eventually([&] { return !json_of(get("/v1/risk")).at("breaker").at("tripped").as_bool(); }));
}

TEST_F(ApiProcessTest, EmergencyStopEndsFlat) {
  submit_market();
  ASSERT_TRUE(eventually([&] { return json_of(get("/v1/portfolio")).at("open_positions").as_int64() == 1; }));
  auto r = post("/v1/emergency-stop");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(eventually([&] { return json_of(get("/v1/portfolio")).at("open_positions").as_int64() == 0; }))
      << d->stderr_text();
  EXPECT_TRUE(json_of(get("/v1/risk")).at("breaker").at("tripped").as_bool());
  EXPECT_TRUE(d->wait_for_log("Emergency stop requested source=api"));
}

TEST_F(ApiProcessTest, TradingctlWorksAgainstTheDaemon) {
  const auto ctl = (bin_dir() / "tradingctl").string();
  if (!find_program("python3")) GTEST_SKIP() << "python3 is not installed";
  auto help = run_program({ctl, "--help"}, tool_env());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("reset-breaker"), std::string::npos);

  auto status = run_program({ctl, "status"}, tool_env());
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(boost::json::parse(status.out).at("mode"), "paper");

  ASSERT_FALSE(submit_market().empty());  // a price is known from here on
  auto signal = run_program({ctl, "--json", "signal", "--venue", "binance", "--symbol", "BTCUSDT", "--side", "buy",
                             "--quantity", "0.002"},
                            tool_env());
  ASSERT_EQ(signal.exit_code, 0) << signal.err;
  const auto id = std::to_string(boost::json::parse(signal.out).at("id").as_int64());
  EXPECT_EQ(run_program({ctl, "orders", "--open"}, tool_env()).exit_code, 0);
  EXPECT_EQ(run_program({ctl, "positions"}, tool_env()).exit_code, 0);
  auto cancel = run_program({ctl, "cancel", "999999"}, tool_env());
  EXPECT_EQ(cancel.exit_code, 1);  // unknown order: refused
  EXPECT_NE(cancel.err.find("unknown_order"), std::string::npos) << cancel.err;
  EXPECT_EQ(run_program({ctl, "cancel", "--all"}, tool_env()).exit_code, 0);
  EXPECT_EQ(run_program({ctl, "reset-breaker"}, tool_env()).exit_code, 1);  // not tripped
  EXPECT_EQ(run_program({ctl, "trip-breaker", "--detail", "ctl"}, tool_env()).exit_code, 0);
  EXPECT_EQ(run_program({ctl, "reset-breaker"}, tool_env()).exit_code, 0);

  auto env = tool_env();
  env["TRADINGD_API_TOKEN"] = "wrong";
  EXPECT_EQ(run_program({ctl, "status"}, env).exit_code, 1);
  env.erase("TRADINGD_API_TOKEN");
  EXPECT_EQ(run_program({ctl, "status"}, env).exit_code, 2);
  EXPECT_EQ(run_program({ctl, "frobnicate"}, tool_env()).exit_code, 2);
  env = tool_env();
  env["TRADINGD_API_LISTEN"] = "127.0.0.1:1";
  EXPECT_EQ(run_program({ctl, "status"}, env).exit_code, 3);

  EXPECT_EQ(run_program({ctl, "emergency-stop"}, tool_env()).exit_code, 0);
}

TEST_F(ApiProcessTest, ExampleApiClientSubmitsPollsAndSeesItsFill) {
  const auto python = find_program("python3");
  if (!python) GTEST_SKIP() << "python3 is not installed";
  ASSERT_FALSE(submit_market().empty());  // the node has a price
  auto r = run_program({python->string(), (source_dir() / "examples/api_client.py").string(), "demo", "--symbol",
                        "BTCUSDT", "--quantity", "0.003"},
                       tool_env(), std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("status=filled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fill event"), std::string::npos) << r.out;
}

TEST(ApiStartPolicy, NonLoopbackWithoutTokenRefusesToStart) {
  TempDir dir;
  auto env = daemon_env(dir);
  env["TRADINGD_API_LISTEN"] = "0.0.0.0:0";
  auto r = run_program({(bin_dir() / "tradingd").string(), "run"}, env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("TRADINGD_API_TOKEN"), std::string::npos) << r.err;
}

TEST(ApiStartPolicy, LoopbackWithoutTokenRunsWithTheApiOff) {
  TempDir dir;
  DaemonProcess d(dir, {"run"}, daemon_env(dir));
  EXPECT_TRUE(d.wait_for_log("Control API disabled")) << d.stderr_text();
  EXPECT_TRUE(d.wait_for_log("Started mode=paper")) << d.stderr_text();
  EXPECT_EQ(d.stderr_text().find("Control API listening"), std::string::npos);
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
}

}  // namespace
}  // namespace tradingd::test
