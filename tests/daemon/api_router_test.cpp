// ApiRouter over a real TradingNode (NodeHarness): every endpoint, authentication, and every kind of bad
// request (bad JSON, unknown field, wrong type, missing field, oversized body, unknown order, 404, 405).
#include <gtest/gtest.h>

#include <set>

#include "tests/daemon/api_test_backend.h"

namespace tradingd::daemon::api {
namespace {

using test::body_of;
using test::HarnessBackend;
using test::NodeHarness;
using test::req;

constexpr const char* kMarketBuy =
    R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"market","quantity":"0.1","strategy_id":"manual"})";

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(h.start()); }
  ApiResponse call(const ApiRequest& r) { return router.handle(r); }
  std::string field(const ApiResponse& r, const char* name) {
    const auto o = body_of(r);
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  NodeHarness h;
  HarnessBackend backend{h};
  ApiRouter router{backend, RouterOptions{test::kToken, 1024}};
};

TEST_F(RouterTest, AuthenticationIsRequiredAndChecked) {
  auto missing = call(req("GET", "/v1/status", "", ""));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(field(missing, "error"), "unauthorized");
  ASSERT_FALSE(missing.headers.empty());
  EXPECT_EQ(missing.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(call(req("GET", "/v1/status", "", "Bearer wrong")).status, 401);
  EXPECT_EQ(call(req("GET", "/v1/status", "", std::string("Basic ") + test::kToken)).status, 401);
  EXPECT_EQ(call(req("GET", "/v1/status", "", std::string("Bearer ") + test::kToken + "x")).status, 401);
  // Unknown paths answer 401 too: nothing about the routes is revealed before authentication.
  EXPECT_EQ(call(req("GET", "/v1/nowhere", "", "")).status, 401);
  EXPECT_EQ(call(req("GET", "/v1/status", "", std::string("bearer ") + test::kToken)).status, 200);
  EXPECT_EQ(call(req("GET", "/v1/status")).status, 200);
}

TEST_F(RouterTest, AnEmptyTokenNeverAuthenticates) {
  ApiRouter open_router{backend, RouterOptions{"", 1024}};
  EXPECT_EQ(open_router.handle(req("GET", "/v1/status", "", "Bearer ")).status, 401);
  EXPECT_EQ(open_router.handle(req("GET", "/v1/status", "", "")).status, 401);
}

TEST_F(RouterTest, StatusShowsDaemonAndNode) {
  auto r = call(req("GET", "/v1/status"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.endpoint, "GET /v1/status");
  auto o = body_of(r);
  EXPECT_EQ(o.at("version").as_string(), "9.9.9");
  EXPECT_EQ(o.at("mode").as_string(), "paper");
  EXPECT_TRUE(o.at("ready").as_bool());
  EXPECT_EQ(o.at("node").at("state").as_string(), "ready");
  EXPECT_EQ(o.at("node").at("trading_state").as_string(), "active");
}

TEST_F(RouterTest, MarketSignalAnswersTheOrderAndFills) {
  auto r = call(req("POST", "/v1/signals", kMarketBuy));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.endpoint, "POST /v1/signals");
  auto o = body_of(r);
  const auto id = o.at("id").as_int64();
  EXPECT_GT(id, 0);
  EXPECT_FALSE(o.at("client_order_id").as_string().empty());
  EXPECT_EQ(o.at("quantity").as_string(), "0.1");
  EXPECT_TRUE(o.contains("status") && o.contains("filled_quantity") && o.contains("avg_price") && o.contains("fees"));
  h.step_ms(50);
  auto got = body_of(call(req("GET", "/v1/orders/" + std::to_string(id))));
  EXPECT_EQ(got.at("status").as_string(), "filled");
  EXPECT_EQ(got.at("filled_quantity").as_string(), "0.1");
  EXPECT_TRUE(got.at("avg_price").is_string());  // an exact decimal string
  ASSERT_EQ(got.at("fees").as_array().size(), 1u);
  EXPECT_EQ(got.at("fees").as_array()[0].at("asset").as_string(), "USDT");
}

TEST_F(RouterTest, JsonNumbersAreReadExactlyFromTheirText) {
  auto r = call(req("POST", "/v1/signals",
                    R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"limit","quantity":0.003,"price":49999.99,"strategy_id":"m"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = body_of(r);
  EXPECT_EQ(o.at("quantity").as_string(), "0.003");
  EXPECT_EQ(o.at("price").as_string(), "49999.99");
}

TEST_F(RouterTest, SignalDecodeErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* error;
    const char* field;
  };
  const Case cases[] = {
      {"{not json", "invalid_json", ""},
      {"[1,2]", "not_an_object", ""},
      {R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"market","quantity":"1","colour":"red"})", "unknown_field", "colour"},
      {R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"market","quantity":1,"reduce_only":"yes"})", "wrong_type", "reduce_only"},
      {R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"market","quantity":true})", "wrong_type", "quantity"},
      {R"({"venue":"binance","symbol":"C0USDT","type":"market","quantity":"1"})", "missing_field", "side"},
      {R"({"venue":"binance","symbol":"C0USDT","side":"up","type":"market","quantity":"1"})", "invalid_value", "side"},
      {R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"market","quantity":"1.2.3"})", "invalid_value", "quantity"},
  };
  for (const auto& c : cases) {
    auto r = call(req("POST", "/v1/signals", c.body));
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_EQ(field(r, "error"), c.error) << c.body;
    EXPECT_EQ(field(r, "field"), c.field) << c.body;
    EXPECT_FALSE(field(r, "message").empty());
  }
  EXPECT_EQ(h.node().manager().order_count(), 0u);
}

TEST_F(RouterTest, UnknownInstrumentAndValidationAndRiskRefusalsAre422WithTheTypedReason) {
  auto unknown = call(req("POST", "/v1/signals",
                          R"({"venue":"okx","symbol":"NOPE","side":"buy","type":"market","quantity":"1"})"));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(field(unknown, "error"), "unknown_instrument");

  auto no_price = call(req("POST", "/v1/signals",
                           R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"limit","quantity":"0.1"})"));
  EXPECT_EQ(no_price.status, 422) << no_price.body;
  EXPECT_EQ(field(no_price, "error"), "signal_refused");
  EXPECT_EQ(field(no_price, "reason"), "missing_limit_price");
  EXPECT_EQ(field(no_price, "kind"), "invalid");

  ASSERT_TRUE(h.node().trip_breaker("test", "test"));
  auto denied = call(req("POST", "/v1/signals", kMarketBuy));
  EXPECT_EQ(denied.status, 422);
  EXPECT_EQ(field(denied, "reason"), "circuit_breaker_tripped");
  EXPECT_EQ(field(denied, "kind"), "risk_denied");
}

TEST_F(RouterTest, SignalsBeforeReconciliationAre503NotReady) {
  NodeHarness fresh;  // never started
  HarnessBackend b{fresh};
  ApiRouter r{b, RouterOptions{test::kToken, 1024}};
  auto res = r.handle(req("POST", "/v1/signals", kMarketBuy));
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_EQ(body_of(res).at("reason").as_string(), "not_ready");
}

TEST_F(RouterTest, OversizedBodyIs413) {
  std::string big(2000, ' ');
  auto r = call(req("POST", "/v1/signals", std::string(kMarketBuy) + big));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(field(r, "error"), "body_too_large");
  EXPECT_EQ(r.endpoint, "POST /v1/signals");
}

TEST_F(RouterTest, OrdersListFiltersOpenAndRejectsUnknownQueries) {
  ASSERT_EQ(call(req("POST", "/v1/signals", kMarketBuy)).status, 200);
  auto limit = call(req("POST", "/v1/signals",
                        R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"limit","quantity":"0.1","price":"49000"})"));
  ASSERT_EQ(limit.status, 200) << limit.body;
  h.step_ms(50);
  EXPECT_EQ(body_of(call(req("GET", "/v1/orders"))).at("orders").as_array().size(), 2u);
  EXPECT_EQ(body_of(call(req("GET", "/v1/orders?status=all"))).at("orders").as_array().size(), 2u);
  auto open = body_of(call(req("GET", "/v1/orders?status=open"))).at("orders").as_array();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].at("type").as_string(), "limit");
  EXPECT_EQ(call(req("GET", "/v1/orders?status=closed")).status, 400);
  EXPECT_EQ(call(req("GET", "/v1/orders?limit=5")).status, 400);
  EXPECT_EQ(call(req("GET", "/v1/positions?x=1")).status, 400);
}

TEST_F(RouterTest, OrderByIdUnknownAndMalformedIds) {
  auto unknown = call(req("GET", "/v1/orders/424242"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(field(unknown, "error"), "unknown_order");
  EXPECT_EQ(unknown.endpoint, "GET /v1/orders/{id}");
  EXPECT_EQ(call(req("GET", "/v1/orders/abc")).status, 400);
  EXPECT_EQ(call(req("GET", "/v1/orders/0")).status, 400);
  EXPECT_EQ(call(req("GET", "/v1/orders/-1")).status, 400);
  EXPECT_EQ(call(req("POST", "/v1/orders/77/cancel")).status, 404);
}

TEST_F(RouterTest, CancelOneAndCancelAll) {
  std::vector<std::int64_t> ids;
  for (const char* px : {"49000", "49100", "49200"}) {
    auto r = call(req("POST", "/v1/signals",
                      std::string(R"({"venue":"binance","symbol":"C0USDT","side":"buy","type":"limit","quantity":"0.01","price":")") +
                          px + "\"}"));
    ASSERT_EQ(r.status, 200) << r.body;
    ids.push_back(body_of(r).at("id").as_int64());
  }
  h.step_ms(20);
  auto c = call(req("POST", "/v1/orders/" + std::to_string(ids[0]) + "/cancel"));
  EXPECT_EQ(c.status, 202) << c.body;
  EXPECT_EQ(c.endpoint, "POST /v1/orders/{id}/cancel");
  h.step_ms(20);
  EXPECT_EQ(body_of(call(req("GET", "/v1/orders/" + std::to_string(ids[0])))).at("status").as_string(), "canceled");
  // A second cancel of a terminal order is a conflict, with the order attached.
  auto again = call(req("POST", "/v1/orders/" + std::to_string(ids[0]) + "/cancel"));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_TRUE(body_of(again).contains("order"));

  auto all = call(req("POST", "/v1/orders/cancel-all", "{}"));
  EXPECT_EQ(all.status, 202) << all.body;
  EXPECT_EQ(body_of(all).at("canceled").as_int64(), 2);
  h.step_ms(20);
  EXPECT_TRUE(body_of(call(req("GET", "/v1/orders?status=open"))).at("orders").as_array().empty());
}

TEST_F(RouterTest, ActionBodiesRejectUnknownFieldsWrongTypesAndBadJson) {
  auto unknown = call(req("POST", "/v1/orders/cancel-all", R"({"venue":"binance"})"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(field(unknown, "error"), "unknown_field");
  EXPECT_EQ(field(unknown, "field"), "venue");
  auto bad = call(req("POST", "/v1/emergency-stop", "{oops"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(field(bad, "error"), "invalid_json");
  auto wrong = call(req("POST", "/v1/circuit-breaker/trip", R"({"detail":5})"));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(field(wrong, "error"), "wrong_type");
  EXPECT_EQ(call(req("POST", "/v1/circuit-breaker/trip", R"({"detail":"a\nb"})")).status, 400);
  EXPECT_EQ(call(req("POST", "/v1/circuit-breaker/reset", "[]")).status, 400);
  EXPECT_EQ(call(req("GET", "/v1/risk", "{}")).status, 400);
  EXPECT_FALSE(h.node().risk().breaker().tripped());
}

TEST_F(RouterTest, PositionsAndPortfolioAreExactStrings) {
  ASSERT_EQ(call(req("POST", "/v1/signals", kMarketBuy)).status, 200);
  h.step_ms(50);
  auto p = call(req("GET", "/v1/positions"));
  ASSERT_EQ(p.status, 200);
  auto list = body_of(p).at("positions").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("symbol").as_string(), "C0USDT");
  EXPECT_EQ(list[0].at("quantity").as_string(), "0.1");
  EXPECT_TRUE(list[0].at("unrealized_pnl").is_string());
  auto pf = body_of(call(req("GET", "/v1/portfolio")));
  EXPECT_TRUE(pf.at("valid").as_bool());
  EXPECT_TRUE(pf.at("equity").is_string());
  EXPECT_EQ(pf.at("open_positions").as_int64(), 1);
  EXPECT_FALSE(pf.at("balances").as_array().empty());
}

TEST_F(RouterTest, BreakerTripAndResetWithReasons) {
  h.config().risk.breaker_cooldown_s = 30;
  ASSERT_TRUE(h.restart());
  auto not_tripped = call(req("POST", "/v1/circuit-breaker/reset"));
  EXPECT_EQ(not_tripped.status, 409);
  EXPECT_EQ(field(not_tripped, "error"), "not_tripped");

  auto trip = call(req("POST", "/v1/circuit-breaker/trip", R"({"detail":"maintenance"})"));
  ASSERT_EQ(trip.status, 200) << trip.body;
  auto t = body_of(trip);
  EXPECT_TRUE(t.at("changed").as_bool());
  EXPECT_EQ(t.at("breaker").at("reason").as_string(), "manual");
  EXPECT_EQ(t.at("breaker").at("detail").as_string(), "maintenance");
  EXPECT_FALSE(body_of(call(req("POST", "/v1/circuit-breaker/trip"))).at("changed").as_bool());
  auto risk = body_of(call(req("GET", "/v1/risk")));
  EXPECT_EQ(risk.at("trading_state").as_string(), "reducing");
  EXPECT_TRUE(risk.at("breaker").at("tripped").as_bool());

  auto cooling = call(req("POST", "/v1/circuit-breaker/reset", "{}"));
  EXPECT_EQ(cooling.status, 409);
  EXPECT_EQ(field(cooling, "error"), "cooling_down");
  EXPECT_TRUE(body_of(cooling).at("breaker").at("cooldown_ends_ns").is_int64());

  h.clock().advance_ns(31 * kNanosPerSecond);
  h.quotes("50000");
  auto ok = call(req("POST", "/v1/circuit-breaker/reset"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(field(ok, "was"), "manual");
  EXPECT_FALSE(body_of(ok).at("breaker").at("tripped").as_bool());
}

TEST_F(RouterTest, EmergencyStopGoesThroughTheDaemonAndFlattens) {
  ASSERT_EQ(call(req("POST", "/v1/signals", kMarketBuy)).status, 200);
  h.step_ms(50);
  auto r = call(req("POST", "/v1/emergency-stop"));
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(backend.emergency_stops, 1);
  EXPECT_EQ(backend.last_source, "api");
  h.step_ms(500);
  EXPECT_TRUE(h.position(0).is_zero());
  EXPECT_TRUE(body_of(call(req("GET", "/v1/risk"))).at("breaker").at("tripped").as_bool());
}

TEST_F(RouterTest, UnknownPathsAre404AndWrongMethods405WithAllow) {
  auto nf = call(req("GET", "/v1/nothing"));
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(field(nf, "error"), "not_found");
  EXPECT_EQ(nf.endpoint, "other");
  EXPECT_EQ(call(req("GET", "/v1/status/")).status, 404);
  EXPECT_EQ(call(req("GET", "/v2/status")).status, 404);

  auto m = call(req("DELETE", "/v1/orders/5"));
  EXPECT_EQ(m.status, 405);
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(call(req("GET", "/v1/signals")).status, 405);
  // The literal route wins over {id}: GET /v1/orders/cancel-all is a wrong method, not an order id.
  auto ca = call(req("GET", "/v1/orders/cancel-all"));
  EXPECT_EQ(ca.status, 405);
  EXPECT_EQ(ca.headers[0].second, "POST");
}

TEST_F(RouterTest, EventsNeedsAWebSocketUpgrade) {
  auto plain = call(req("GET", "/v1/events"));
  EXPECT_EQ(plain.status, 426);
  EXPECT_EQ(router.handle(req("GET", "/v1/events"), /*upgrade=*/true).status, kUpgradeAccepted);
  EXPECT_EQ(router.handle(req("GET", "/v1/events", "", ""), /*upgrade=*/true).status, 401);
}

TEST_F(RouterTest, WithoutATradingNodeNodeEndpointsAre503AndStatusStillAnswers) {
  backend.with_node = false;
  auto st = call(req("GET", "/v1/status"));
  EXPECT_EQ(st.status, 200);
  EXPECT_TRUE(body_of(st).at("node").is_null());
  EXPECT_EQ(call(req("GET", "/v1/orders")).status, 503);
  EXPECT_EQ(call(req("POST", "/v1/signals", kMarketBuy)).status, 503);
}

TEST_F(RouterTest, EveryRouteAnswersAuthenticatedRequestsWithJsonAndItsOwnLabel) {
  std::set<std::string> labels;
  for (const auto& route : ApiRouter::routes()) {
    std::string path(route.path);
    if (auto p = path.find("{id}"); p != std::string::npos) path.replace(p, 4, "1");
    const std::string body = path == "/v1/signals" ? kMarketBuy : "";
    auto r = router.handle(req(std::string(route.method), path, body), path == "/v1/events");
    EXPECT_LT(r.status, 500) << route.method << " " << route.path << " " << r.body;
    EXPECT_EQ(r.endpoint, std::string(route.method) + " " + std::string(route.path));
    if (r.status != kUpgradeAccepted) {
      EXPECT_NO_THROW(body_of(r)) << r.body;
    }
    labels.insert(r.endpoint);
  }
  EXPECT_EQ(labels.size(), ApiRouter::routes().size());
}

TEST_F(RouterTest, AcknowledgeUnblocksAMismatchedInstrumentOnce) {
  const std::string path = "/v1/positions/binance/linear_perp/C0USDT/acknowledge";
  // Not blocked: nothing to acknowledge.
  auto idle = call(req("POST", path));
  EXPECT_EQ(idle.status, 409) << idle.body;
  EXPECT_EQ(field(idle, "error"), "not_blocked");
  // Unknown instruments (a symbol the node does not trade, a venue or market that does not parse).
  EXPECT_EQ(call(req("POST", "/v1/positions/binance/linear_perp/ZZUSDT/acknowledge")).status, 404);
  EXPECT_EQ(call(req("POST", "/v1/positions/nowhere/linear_perp/C0USDT/acknowledge")).status, 404);
  EXPECT_EQ(call(req("POST", "/v1/positions/binance/spot/C0USDT/acknowledge")).status, 404);
  EXPECT_EQ(call(req("GET", path)).status, 405);
  EXPECT_EQ(call(req("POST", path, R"({"x":"y"})")).status, 400);

  const InstrumentId id = h.instruments().at(0).id;
  h.node().risk().blocks().block(id, "position 1 (journal) != 0.5 (venue)", 1);
  ASSERT_FALSE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  auto ok = call(req("POST", path));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.endpoint, "POST /v1/positions/{venue}/{market}/{symbol}/acknowledge");
  auto o = body_of(ok);
  EXPECT_TRUE(o.at("acknowledged").as_bool());
  EXPECT_EQ(o.at("symbol").as_string(), "C0USDT");
  EXPECT_EQ(h.node().stats().mismatches_acknowledged, 1u);
  EXPECT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  EXPECT_EQ(call(req("POST", path)).status, 409);  // acknowledged already
}

}  // namespace
}  // namespace tradingd::daemon::api
