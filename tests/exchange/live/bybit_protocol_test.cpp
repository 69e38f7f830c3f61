// Bybit v5 signer and request builders: the documented signing layout (shared fixture), signatures
// checked against an independent HMAC (Python's hmac module), and every operation's method, path,
// parameters and headers.
#include "exchange/bybit/trading_protocol.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fixtures.h"

namespace tradingd::bybit {
namespace {

namespace json = boost::json;

InstrumentId linear(std::string_view s) { return {Venue::Bybit, MarketKind::LinearPerp, Symbol::from(s)}; }
InstrumentId spot(std::string_view s) { return {Venue::Bybit, MarketKind::Spot, Symbol::from(s)}; }

TEST(BybitSigner, DocumentedStringToSignVectors) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto text = test::read_file(*test::fixtures_dir() / "bybit/rest_request/signing_vectors.json");
  const auto doc = json::parse(text);
  int checked = 0;
  for (const auto& v : doc.at("vectors").as_array()) {
    const auto& in = v.at("inputs").as_object();
    const std::int64_t ts = std::stoll(std::string(in.at("timestamp").as_string()));
    const std::int64_t rw = std::stoll(std::string(in.at("recv_window").as_string()));
    auto signer = BybitSigner::make(std::string(in.at("api_key").as_string()), "any-secret", rw);
    ASSERT_TRUE(signer);
    const auto* payload = in.if_contains("queryString");
    if (!payload) payload = in.if_contains("jsonBodyString");
    ASSERT_NE(payload, nullptr);
    EXPECT_EQ(signer->string_to_sign(ts, payload->as_string()), in.at("string_to_sign").as_string()) << v.at("id");
    // Bybit publishes no secret for these examples (the fixture says so): only the layout is checkable.
    EXPECT_FALSE(v.at("usable_for_signature_check").as_bool());
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(BybitSigner, SignatureMatchesAnIndependentHmac) {
  auto s = BybitSigner::make("XXXXXXXXXX", "test-secret", 5000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->sign(1658384314791, "category=option&symbol=BTC-29JUL22-25000-C"),
            "236d8f7132d3e4c8bad803010e296f3d07211356e54c01455b26c8229a682297");
  EXPECT_EQ(s->sign(1658385579423, R"({"category": "option"})"),
            "17a6bfe3e7a2aa41dffd3f16bfa0febb8b18ff79bb33de625705dc86876feffe");
  EXPECT_NE(s->sign(1658385579424, R"({"category": "option"})"),
            "17a6bfe3e7a2aa41dffd3f16bfa0febb8b18ff79bb33de625705dc86876feffe");
}

TEST(BybitSigner, HeadersCarryKeyTimestampSignatureAndWindow) {
  auto s = BybitSigner::make("XXXXXXXXXX", "test-secret", 5000);
  ASSERT_TRUE(s);
  const auto h = s->headers(1658384314791, "category=option&symbol=BTC-29JUL22-25000-C");
  auto find = [&](std::string_view n) {
    for (const auto& x : h)
      if (x.name == n) return x.value;
    return std::string("<absent>");
  };
  EXPECT_EQ(find("X-BAPI-API-KEY"), "XXXXXXXXXX");
  EXPECT_EQ(find("X-BAPI-TIMESTAMP"), "1658384314791");
  EXPECT_EQ(find("X-BAPI-RECV-WINDOW"), "5000");
  EXPECT_EQ(find("X-BAPI-SIGN"), "236d8f7132d3e4c8bad803010e296f3d07211356e54c01455b26c8229a682297");
}

TEST(BybitSigner, RejectsANonPositiveWindow) { EXPECT_FALSE(BybitSigner::make("k", "s", 0)); }

TEST(BybitSigner, WsAuthFrameSignsGetRealtimePlusExpires) {
  auto s = BybitSigner::make("key1", "test-secret", 5000);
  ASSERT_TRUE(s);
  const auto v = json::parse(s->ws_auth_frame(1700000000000));
  EXPECT_EQ(v.at("op").as_string(), "auth");
  const auto& args = v.at("args").as_array();
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[0].as_string(), "key1");
  EXPECT_EQ(args[1].to_number<std::int64_t>(), 1700000000000);
  EXPECT_EQ(args[2].as_string(), "5e1a6810262f270b783cf759f856aadee413643be3c03d0fb89dd22261e41df0");
}

TEST(BybitSigner, WriteHttpProducesTheSignedRequestBytes) {
  auto s = BybitSigner::make("XXXXXXXXXX", "test-secret", 5000);
  ASSERT_TRUE(s);
  BybitRequest get{false, "/v5/order/realtime", "category=option&symbol=BTC-29JUL22-25000-C"};
  std::string out;
  s->write_http(get, "api.example", 1658384314791, out);
  EXPECT_TRUE(out.starts_with("GET /v5/order/realtime?category=option&symbol=BTC-29JUL22-25000-C HTTP/1.1\r\nHost: api.example\r\n"));
  EXPECT_NE(out.find("X-BAPI-SIGN: 236d8f7132d3e4c8bad803010e296f3d07211356e54c01455b26c8229a682297\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n"));
  BybitRequest post{true, "/v5/order/create", R"({"category": "option"})"};
  out.clear();
  s->write_http(post, "api.example", 1658385579423, out);
  EXPECT_TRUE(out.starts_with("POST /v5/order/create HTTP/1.1\r\n"));
  EXPECT_NE(out.find("Content-Length: 22\r\n"), std::string::npos);
  EXPECT_NE(out.find("X-BAPI-SIGN: 17a6bfe3e7a2aa41dffd3f16bfa0febb8b18ff79bb33de625705dc86876feffe\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n{\"category\": \"option\"}"));
}

json::object body_of(const BybitRequest& r) {
  EXPECT_TRUE(r.post);
  return json::parse(r.payload).as_object();
}

TEST(BybitBuilders, LinearLimitPostOnlyReduceOnly) {
  OrderRequest o;
  o.client_order_id = ClientOrderId::from("c-1");
  o.instrument = linear("BTCUSDT");
  o.side = Side::Sell;
  o.type = OrderType::Limit;
  o.time_in_force = TimeInForce::PostOnly;
  o.quantity = Quantity::from_string("0.010");
  o.price = Price::from_string("65000.5");
  o.reduce_only = true;
  const auto r = create_order(o);
  EXPECT_EQ(r.path, "/v5/order/create");
  EXPECT_TRUE(r.is_order_entry);
  const auto b = body_of(r);
  EXPECT_EQ(b.at("category").as_string(), "linear");
  EXPECT_EQ(b.at("symbol").as_string(), "BTCUSDT");
  EXPECT_EQ(b.at("side").as_string(), "Sell");
  EXPECT_EQ(b.at("orderType").as_string(), "Limit");
  EXPECT_EQ(b.at("qty").as_string(), "0.01");
  EXPECT_EQ(b.at("price").as_string(), "65000.5");
  EXPECT_EQ(b.at("timeInForce").as_string(), "PostOnly");
  EXPECT_EQ(b.at("reduceOnly").as_bool(), true);
  EXPECT_EQ(b.at("positionIdx").as_int64(), 0);
  EXPECT_EQ(b.at("orderLinkId").as_string(), "c-1");
  EXPECT_FALSE(b.contains("triggerPrice"));
}

TEST(BybitBuilders, SpotMarketIsSizedInBaseAndHasNoReduceOnly) {
  OrderRequest o;
  o.client_order_id = ClientOrderId::from("c-2");
  o.instrument = spot("BTCUSDT");
  o.type = OrderType::Market;
  o.quantity = Quantity::from_string("0.5");
  o.reduce_only = true;  // not a spot concept: never sent
  const auto b = body_of(create_order(o));
  EXPECT_EQ(b.at("category").as_string(), "spot");
  EXPECT_EQ(b.at("orderType").as_string(), "Market");
  EXPECT_EQ(b.at("marketUnit").as_string(), "baseCoin");
  EXPECT_FALSE(b.contains("reduceOnly"));
  EXPECT_FALSE(b.contains("price"));
  EXPECT_FALSE(b.contains("timeInForce"));
}

TEST(BybitBuilders, StopOrdersCarryTriggerAndDirection) {
  OrderRequest o;
  o.client_order_id = ClientOrderId::from("c-3");
  o.instrument = linear("ETHUSDT");
  o.side = Side::Sell;
  o.type = OrderType::StopMarket;
  o.quantity = Quantity::from_string("1");
  o.trigger_price = Price::from_string("3000");
  auto b = body_of(create_order(o));
  EXPECT_EQ(b.at("triggerPrice").as_string(), "3000");
  EXPECT_EQ(b.at("triggerDirection").as_int64(), 2);  // a sell stop fires on a fall
  EXPECT_EQ(b.at("orderType").as_string(), "Market");
  o.side = Side::Buy;
  o.type = OrderType::StopLimit;
  o.price = Price::from_string("3010");
  o.time_in_force = TimeInForce::Ioc;
  o.instrument = spot("ETHUSDT");
  b = body_of(create_order(o));
  EXPECT_EQ(b.at("triggerDirection").as_int64(), 1);
  EXPECT_EQ(b.at("orderType").as_string(), "Limit");
  EXPECT_EQ(b.at("price").as_string(), "3010");
  EXPECT_EQ(b.at("timeInForce").as_string(), "IOC");
  EXPECT_EQ(b.at("orderFilter").as_string(), "StopOrder");
}

TEST(BybitBuilders, FokTimeInForce) {
  OrderRequest o;
  o.client_order_id = ClientOrderId::from("c-4");
  o.instrument = linear("BTCUSDT");
  o.type = OrderType::Limit;
  o.time_in_force = TimeInForce::Fok;
  o.quantity = Quantity::from_string("1");
  o.price = Price::from_string("1");
  EXPECT_EQ(body_of(create_order(o)).at("timeInForce").as_string(), "FOK");
}

TEST(BybitBuilders, CancelByOrderIdWhenKnownElseByLinkId) {
  CancelRequest c{linear("BTCUSDT"), ClientOrderId::from("c-1"), VenueOrderId{}};
  auto r = cancel_order(c);
  EXPECT_EQ(r.path, "/v5/order/cancel");
  EXPECT_TRUE(r.post);
  auto b = body_of(r);
  EXPECT_EQ(b.at("orderLinkId").as_string(), "c-1");
  EXPECT_FALSE(b.contains("orderId"));
  c.venue_order_id = VenueOrderId::from("v-9");
  b = body_of(cancel_order(c));
  EXPECT_EQ(b.at("orderId").as_string(), "v-9");
}

TEST(BybitBuilders, CancelAllPerCategory) {
  auto b = body_of(cancel_all(MarketKind::LinearPerp, std::nullopt));
  EXPECT_EQ(b.at("category").as_string(), "linear");
  EXPECT_EQ(b.at("settleCoin").as_string(), "USDT");
  b = body_of(cancel_all(MarketKind::Spot, std::string_view("BTCUSDT")));
  EXPECT_EQ(b.at("symbol").as_string(), "BTCUSDT");
  EXPECT_EQ(cancel_all(MarketKind::Spot, std::nullopt).payload, R"({"category":"spot"})");
}

TEST(BybitBuilders, Queries) {
  auto r = query_order(MarketKind::LinearPerp, "BTCUSDT", "c-1");
  EXPECT_FALSE(r.post);
  EXPECT_EQ(r.target(), "/v5/order/realtime?category=linear&symbol=BTCUSDT&orderLinkId=c-1");
  EXPECT_EQ(open_orders(MarketKind::LinearPerp, std::nullopt).target(),
            "/v5/order/realtime?category=linear&settleCoin=USDT&openOnly=0&limit=50");
  EXPECT_EQ(open_orders(MarketKind::Spot, std::string_view("ETHUSDT"), "abc").target(),
            "/v5/order/realtime?category=spot&symbol=ETHUSDT&openOnly=0&limit=50&cursor=abc");
  EXPECT_EQ(order_history(MarketKind::Spot, "BTCUSDT", "c-1").target(),
            "/v5/order/history?category=spot&symbol=BTCUSDT&orderLinkId=c-1");
  EXPECT_EQ(executions(MarketKind::LinearPerp, "BTCUSDT", 1700000000000).target(),
            "/v5/execution/list?category=linear&symbol=BTCUSDT&startTime=1700000000000&limit=100");
  EXPECT_EQ(wallet_balance().target(), "/v5/account/wallet-balance?accountType=UNIFIED");
  EXPECT_EQ(positions().target(), "/v5/position/list?category=linear&settleCoin=USDT");
  EXPECT_EQ(server_time().target(), "/v5/market/time");
  // Escaping: the signed query is the sent query.
  EXPECT_EQ(query_order(MarketKind::Spot, "BTCUSDT", "a b").payload, "category=spot&symbol=BTCUSDT&orderLinkId=a%20b");
}

TEST(BybitBuilders, LeverageAndDcp) {
  const auto r = set_leverage("BTCUSDT", 7);
  EXPECT_EQ(r.path, "/v5/position/set-leverage");
  const auto b = body_of(r);
  EXPECT_EQ(b.at("buyLeverage").as_string(), "7");
  EXPECT_EQ(b.at("sellLeverage").as_string(), "7");
  EXPECT_EQ(b.at("category").as_string(), "linear");
  const auto d = disconnect_cancel_all("DERIVATIVES", 10);
  EXPECT_EQ(d.path, "/v5/order/disconnected-cancel-all");
  EXPECT_EQ(d.payload, R"({"product":"DERIVATIVES","timeWindow":10})");
}

TEST(BybitBuilders, SubscribeFrames) {
  const auto v = json::parse(ws_subscribe_frame(false));
  EXPECT_EQ(v.at("op").as_string(), "subscribe");
  EXPECT_EQ(v.at("args").as_array().size(), 4u);
  EXPECT_NE(ws_subscribe_frame(true).find("dcp.future"), std::string::npos);
}

}  // namespace
}  // namespace tradingd::bybit
