// Binance request builders: method, host, path, the exact query (encoded, signed last), the API-key header
// and the pacer costs, per operation and market; rate-limit header reading.
#include <gtest/gtest.h>

#include "exchange/binance/trading_requests.h"

namespace tradingd::binance {
namespace {

constexpr const char* kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::int64_t kTs = 1499827319559;

InstrumentId spot(std::string_view s) { return {Venue::Binance, MarketKind::Spot, *Symbol::make(s)}; }
InstrumentId perp(std::string_view s) { return {Venue::Binance, MarketKind::LinearPerp, *Symbol::make(s)}; }

struct Fixture : ::testing::Test {
  BinanceSigner signer = BinanceSigner::make("my-key", kSecret).value();
  RequestBuilder b{signer, 5000};

  // The part before "&signature=", and checks the signature is over exactly that.
  std::string unsigned_query(const RestRequest& r) {
    const auto q = r.target.find('?');
    const auto s = r.target.rfind("&signature=");
    EXPECT_NE(s, std::string::npos);
    std::string query = r.target.substr(q + 1, s - q - 1);
    EXPECT_EQ(r.target.substr(s + 11), signer.sign_rest(query));
    return query;
  }
  std::string path(const RestRequest& r) { return r.target.substr(0, r.target.find('?')); }
};

OrderRequest order(InstrumentId i, OrderType t, TimeInForce tif = TimeInForce::Gtc) {
  OrderRequest o;
  o.client_order_id = *ClientOrderId::make("td-1");
  o.instrument = i;
  o.side = Side::Buy;
  o.type = t;
  o.time_in_force = tif;
  o.quantity = Quantity::from_string("1");
  if (t == OrderType::Limit || t == OrderType::StopLimit) o.price = Price::from_string("0.1");
  if (t == OrderType::StopMarket || t == OrderType::StopLimit) o.trigger_price = Price::from_string("0.09");
  return o;
}

TEST_F(Fixture, SpotLimitOrderMatchesTheDocumentedExampleShape) {
  auto r = b.new_order(order(spot("LTCBTC"), OrderType::Limit), kTs);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.host, Host::Spot);
  EXPECT_EQ(path(r), "/api/v3/order");
  EXPECT_EQ(r.api_key, "my-key");
  EXPECT_TRUE(r.counts_order);
  EXPECT_FALSE(r.idempotent);
  EXPECT_EQ(unsigned_query(r),
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=td-1"
            "&newOrderRespType=FULL&recvWindow=5000&timestamp=1499827319559");
}

TEST_F(Fixture, SpotOrderTypesAndTimeInForce) {
  auto q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::Market), kTs));
  EXPECT_NE(q.find("type=MARKET&quantity=1&newClientOrderId"), std::string::npos) << q;
  EXPECT_EQ(q.find("price="), std::string::npos);
  q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::Limit, TimeInForce::PostOnly), kTs));
  EXPECT_NE(q.find("type=LIMIT_MAKER&quantity=1&price=0.1"), std::string::npos) << q;
  EXPECT_EQ(q.find("timeInForce"), std::string::npos);
  q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::Limit, TimeInForce::Ioc), kTs));
  EXPECT_NE(q.find("timeInForce=IOC"), std::string::npos);
  q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::Limit, TimeInForce::Fok), kTs));
  EXPECT_NE(q.find("timeInForce=FOK"), std::string::npos);
  q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::StopMarket), kTs));
  EXPECT_NE(q.find("type=STOP_LOSS&quantity=1&stopPrice=0.09"), std::string::npos) << q;
  q = unsigned_query(b.new_order(order(spot("BTCUSDT"), OrderType::StopLimit), kTs));
  EXPECT_NE(q.find("type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=1&price=0.1&stopPrice=0.09"), std::string::npos) << q;
  // reduceOnly is a futures parameter: never sent to spot.
  auto o = order(spot("BTCUSDT"), OrderType::Market);
  o.reduce_only = true;
  EXPECT_EQ(unsigned_query(b.new_order(o, kTs)).find("reduceOnly"), std::string::npos);
}

TEST_F(Fixture, FuturesOrdersAndAlgoStops) {
  auto o = order(perp("BTCUSDT"), OrderType::Limit, TimeInForce::PostOnly);
  o.reduce_only = true;
  auto r = b.new_order(o, kTs);
  EXPECT_EQ(r.host, Host::Futures);
  EXPECT_EQ(path(r), "/fapi/v1/order");
  EXPECT_EQ(r.weight, 0);  // order entry costs no IP weight on USD-M
  EXPECT_EQ(unsigned_query(r),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=1&price=0.1&reduceOnly=true"
            "&newClientOrderId=td-1&newOrderRespType=RESULT&recvWindow=5000&timestamp=1499827319559");
  r = b.new_order(order(perp("BTCUSDT"), OrderType::StopMarket), kTs);
  EXPECT_EQ(path(r), "/fapi/v1/algoOrder");
  EXPECT_EQ(unsigned_query(r),
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=BUY&type=STOP_MARKET&quantity=1&triggerPrice=0.09"
            "&clientAlgoId=td-1&recvWindow=5000&timestamp=1499827319559");
  r = b.new_order(order(perp("BTCUSDT"), OrderType::StopLimit), kTs);
  EXPECT_NE(unsigned_query(r).find("type=STOP&timeInForce=GTC&quantity=1&price=0.1&triggerPrice=0.09"), std::string::npos);
}

TEST_F(Fixture, CancelQueryAndListings) {
  CancelRequest c{spot("BTCUSDT"), *ClientOrderId::make("td-1"), {}};
  auto r = b.cancel_order(c, kTs);
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(path(r), "/api/v3/order");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&origClientOrderId=td-1&recvWindow=5000&timestamp=1499827319559");
  c.instrument = perp("BTCUSDT");
  c.venue_order_id = *VenueOrderId::make("8886774");
  r = b.cancel_order(c, kTs);
  EXPECT_EQ(path(r), "/fapi/v1/order");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&orderId=8886774&recvWindow=5000&timestamp=1499827319559");

  r = b.cancel_all(spot("BTCUSDT"), kTs);
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(path(r), "/api/v3/openOrders");
  r = b.cancel_all(perp("BTCUSDT"), kTs);
  EXPECT_EQ(path(r), "/fapi/v1/allOpenOrders");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&recvWindow=5000&timestamp=1499827319559");

  r = b.query_order(spot("BTCUSDT"), *ClientOrderId::make("a:b/c"), kTs);
  EXPECT_EQ(r.method, "GET");
  EXPECT_TRUE(r.idempotent);
  EXPECT_EQ(r.weight, 4);
  // Client ids are percent-encoded like every value (':' and '/' are reserved).
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&origClientOrderId=a%3Ab%2Fc&recvWindow=5000&timestamp=1499827319559");
  EXPECT_EQ(path(b.query_order(perp("BTCUSDT"), *ClientOrderId::make("x"), kTs)), "/fapi/v1/order");
  EXPECT_EQ(path(b.query_algo_order(*ClientOrderId::make("x"), kTs)), "/fapi/v1/algoOrder");
  r = b.cancel_algo_order(*ClientOrderId::make("td-9"), kTs);
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(path(r), "/fapi/v1/algoOrder");
  EXPECT_EQ(unsigned_query(r), "clientAlgoId=td-9&recvWindow=5000&timestamp=1499827319559");
  r = b.cancel_all_algo(*Symbol::make("BTCUSDT"), kTs);
  EXPECT_EQ(path(r), "/fapi/v1/algoOpenOrders");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&recvWindow=5000&timestamp=1499827319559");

  r = b.open_orders(Host::Spot, std::nullopt, kTs);
  EXPECT_EQ(path(r), "/api/v3/openOrders");
  EXPECT_EQ(r.weight, 80);
  EXPECT_EQ(unsigned_query(r), "recvWindow=5000&timestamp=1499827319559");
  r = b.open_orders(Host::Futures, *Symbol::make("BTCUSDT"), kTs);
  EXPECT_EQ(path(r), "/fapi/v1/openOrders");
  EXPECT_EQ(r.weight, 1);

  r = b.trades(spot("BTCUSDT"), 1700000000000, kTs);
  EXPECT_EQ(path(r), "/api/v3/myTrades");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&startTime=1700000000000&limit=1000&recvWindow=5000&timestamp=1499827319559");
  EXPECT_EQ(path(b.trades(perp("BTCUSDT"), 0, kTs)), "/fapi/v1/userTrades");
}

TEST_F(Fixture, AccountLeverageDeadManAndListenKey) {
  auto r = b.account(Host::Spot, kTs);
  EXPECT_EQ(path(r), "/api/v3/account");
  EXPECT_EQ(r.weight, 20);
  EXPECT_EQ(path(b.account(Host::Futures, kTs)), "/fapi/v3/account");
  EXPECT_EQ(path(b.position_risk(kTs)), "/fapi/v3/positionRisk");
  r = b.set_leverage(*Symbol::make("BTCUSDT"), 7, kTs);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(path(r), "/fapi/v1/leverage");
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&leverage=7&recvWindow=5000&timestamp=1499827319559");
  r = b.countdown_cancel_all(*Symbol::make("BTCUSDT"), 60000, kTs);
  EXPECT_EQ(path(r), "/fapi/v1/countdownCancelAll");
  EXPECT_EQ(r.weight, 10);
  EXPECT_EQ(unsigned_query(r), "symbol=BTCUSDT&countdownTime=60000&recvWindow=5000&timestamp=1499827319559");
  r = b.listen_key("PUT");
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.target, "/fapi/v1/listenKey");  // USER_STREAM: key only, no signature
  EXPECT_EQ(r.api_key, "my-key");
  r = RequestBuilder::server_time(Host::Spot);
  EXPECT_EQ(r.target, "/api/v3/time");
  EXPECT_TRUE(r.api_key.empty());
  EXPECT_EQ(RequestBuilder::server_time(Host::Futures).target, "/fapi/v1/time");
}

TEST_F(Fixture, WsApiSubscriptionIsSignedOverSortedRawParams) {
  const std::string text = b.ws_subscribe_signature("7", kTs);
  const std::string sig = signer.sign_ws("apiKey=my-key&recvWindow=5000&timestamp=1499827319559");
  EXPECT_EQ(text, R"({"id":"7","method":"userDataStream.subscribe.signature","params":{"apiKey":"my-key","recvWindow":5000,)"
                  R"("timestamp":1499827319559,"signature":")" + sig + R"("}})");
}

TEST(BinanceRate, WindowsCostsAndHeaders) {
  auto spot_w = pacer_windows(Host::Spot);
  ASSERT_EQ(spot_w.size(), 3u);
  EXPECT_EQ(spot_w[kWeight1m].limit, 6000);
  EXPECT_EQ(spot_w[kOrders10s].limit, 50);
  EXPECT_EQ(spot_w[kOrdersLong].limit, 160000);
  EXPECT_EQ(pacer_windows(Host::Futures)[kWeight1m].limit, 2400);
  RestRequest r;
  r.weight = 0;
  r.counts_order = true;
  auto c = costs_of(r);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].window, kOrders10s);
  auto h = read_rate_headers(Host::Spot, [](std::string_view name) -> std::string_view {
    if (name == "X-MBX-USED-WEIGHT-1M") return "123";
    if (name == "X-MBX-ORDER-COUNT-10S") return " 4 ";
    if (name == "X-MBX-ORDER-COUNT-1D") return "99";
    return {};
  });
  EXPECT_EQ(h.used_weight_1m, 123);
  EXPECT_EQ(h.order_count_10s, 4);
  EXPECT_EQ(h.order_count_long, 99);
  EXPECT_EQ(h.retry_after_s, -1);
  EXPECT_EQ(parse_header_int("12x"), -1);
}

}  // namespace
}  // namespace tradingd::binance
