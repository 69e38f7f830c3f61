// OKX request builders: method, path (with query), exact body and rate budget per operation.
#include "exchange/okx/trading_requests.h"

#include <gtest/gtest.h>

namespace tradingd::okx {
namespace {

InstrumentId spot() { return InstrumentId{Venue::Okx, MarketKind::Spot, *Symbol::make("BTC-USDT")}; }
InstrumentId swap() { return InstrumentId{Venue::Okx, MarketKind::LinearPerp, *Symbol::make("BTC-USDT-SWAP")}; }

OrderRequest order(InstrumentId inst, OrderType type, TimeInForce tif, const char* qty, const char* px = nullptr) {
  OrderRequest o;
  o.client_order_id = *ClientOrderId::make("c42");
  o.instrument = inst;
  o.side = Side::Buy;
  o.type = type;
  o.time_in_force = tif;
  o.quantity = Quantity::from_string(qty);
  if (px) o.price = Price::from_string(px);
  return o;
}

TEST(OkxRequests, SpotLimitGtc) {
  auto r = place_order(order(spot(), OrderType::Limit, TimeInForce::Gtc, "0.01", "50000.5"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, OkxMethod::Post);
  EXPECT_EQ(r->path, "/api/v5/trade/order");
  EXPECT_EQ(r->endpoint, OkxEndpoint::PlaceOrder);
  EXPECT_EQ(r->body,
            R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.01","px":"50000.5","clOrdId":"c42"})");
}

TEST(OkxRequests, TimeInForceMapsToOrdType) {
  const std::pair<TimeInForce, const char*> cases[] = {
      {TimeInForce::PostOnly, "post_only"}, {TimeInForce::Fok, "fok"}, {TimeInForce::Ioc, "ioc"}};
  for (auto [tif, name] : cases) {
    auto r = place_order(order(swap(), OrderType::Limit, tif, "3", "100"));
    ASSERT_TRUE(r);
    EXPECT_NE(r->body.find(std::string("\"ordType\":\"") + name + "\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"tdMode\":\"cross\""), std::string::npos);
  }
}

TEST(OkxRequests, SpotMarketSizesInBaseAndSwapReduceOnlyIsolated) {
  auto m = place_order(order(spot(), OrderType::Market, TimeInForce::Ioc, "0.5"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body, R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"market","sz":"0.5","clOrdId":"c42","tgtCcy":"base_ccy"})");

  auto o = order(swap(), OrderType::Market, TimeInForce::Gtc, "2");
  o.side = Side::Sell;
  o.reduce_only = true;
  auto r = place_order(o, OkxOrderOptions{"isolated"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body,
            R"({"instId":"BTC-USDT-SWAP","tdMode":"isolated","side":"sell","ordType":"market","sz":"2","clOrdId":"c42","reduceOnly":true})");
}

TEST(OkxRequests, StopOrdersGoToOrderAlgo) {
  auto o = order(swap(), OrderType::StopMarket, TimeInForce::Gtc, "1");
  o.trigger_price = Price::from_string("99000");
  auto r = place_order(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path, "/api/v5/trade/order-algo");
  EXPECT_EQ(r->endpoint, OkxEndpoint::PlaceAlgo);
  EXPECT_EQ(r->body,
            R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"trigger","sz":"1","triggerPx":"99000","orderPx":"-1","algoClOrdId":"c42"})");
  auto sl = order(swap(), OrderType::StopLimit, TimeInForce::Gtc, "1", "98900");
  sl.trigger_price = Price::from_string("99000");
  auto r2 = place_order(sl);
  ASSERT_TRUE(r2);
  EXPECT_NE(r2->body.find(R"("orderPx":"98900")"), std::string::npos);
}

TEST(OkxRequests, InvalidOrdersAreRefusedBeforeSending) {
  auto bad_id = order(spot(), OrderType::Limit, TimeInForce::Gtc, "1", "1");
  bad_id.client_order_id = *ClientOrderId::make("has-dash");
  EXPECT_FALSE(place_order(bad_id));
  EXPECT_FALSE(place_order(order(spot(), OrderType::Limit, TimeInForce::Gtc, "1")));  // no price
  EXPECT_FALSE(place_order(order(spot(), OrderType::Limit, TimeInForce::Gtc, "0", "1")));
  // Spot has no reduceOnly on OKX: the flag is left out (a spot sell cannot exceed the holding anyway).
  auto ro = order(spot(), OrderType::Market, TimeInForce::Ioc, "1");
  ro.reduce_only = true;
  auto sent = place_order(ro);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->body.find("reduceOnly"), std::string::npos) << sent->body;
  EXPECT_FALSE(place_order(order(swap(), OrderType::StopMarket, TimeInForce::Gtc, "1")));  // no trigger
  EXPECT_FALSE(place_order(order(swap(), OrderType::Market, TimeInForce::PostOnly, "1")));
  EXPECT_TRUE(valid_cl_ord_id("abcXYZ0123456789abcXYZ0123456789"));
  EXPECT_FALSE(valid_cl_ord_id("abcXYZ0123456789abcXYZ01234567890"));
}

TEST(OkxRequests, CancelByOrdIdWhenKnownElseClOrdId) {
  CancelRequest c{swap(), *ClientOrderId::make("c1"), VenueOrderId{}};
  auto r = cancel_order(c);
  EXPECT_EQ(r.method, OkxMethod::Post);
  EXPECT_EQ(r.path, "/api/v5/trade/cancel-order");
  EXPECT_EQ(r.body, R"({"instId":"BTC-USDT-SWAP","clOrdId":"c1"})");
  c.venue_order_id = *VenueOrderId::make("123");
  EXPECT_EQ(cancel_order(c).body, R"({"instId":"BTC-USDT-SWAP","ordId":"123"})");
}

TEST(OkxRequests, CancelAllIsBatchesOfTwenty) {
  std::vector<CancelRequest> cs;
  for (int i = 0; i < 45; ++i) cs.push_back(CancelRequest{spot(), *ClientOrderId::make("c" + std::to_string(i)), {}});
  auto rs = cancel_batch(cs);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].path, "/api/v5/trade/cancel-batch-orders");
  EXPECT_EQ(rs[0].cost, 20);
  EXPECT_EQ(rs[2].cost, 5);
  EXPECT_EQ(rs[2].body.substr(0, 42), R"([{"instId":"BTC-USDT","clOrdId":"c40"},{"i)");
  EXPECT_EQ(rs[2].body.back(), ']');
  EXPECT_TRUE(cancel_batch({}).empty());
}

TEST(OkxRequests, QueriesCarryTheirQueryInThePath) {
  auto q = query_order(swap(), *ClientOrderId::make("c9"));
  EXPECT_EQ(q.method, OkxMethod::Get);
  EXPECT_EQ(q.path, "/api/v5/trade/order?instId=BTC-USDT-SWAP&clOrdId=c9");
  EXPECT_TRUE(q.body.empty());
  EXPECT_EQ(orders_pending(MarketKind::Spot, std::nullopt).path, "/api/v5/trade/orders-pending?instType=SPOT&limit=100");
  EXPECT_EQ(orders_pending(MarketKind::LinearPerp, swap(), "77").path,
            "/api/v5/trade/orders-pending?instType=SWAP&instId=BTC-USDT-SWAP&after=77&limit=100");
  EXPECT_EQ(fills(spot(), 1700000000000).path, "/api/v5/trade/fills?instType=SPOT&instId=BTC-USDT&begin=1700000000000&limit=100");
  EXPECT_EQ(fills(swap(), 5, true).path, "/api/v5/trade/fills-history?instType=SWAP&instId=BTC-USDT-SWAP&begin=5&limit=100");
  EXPECT_EQ(fills(swap(), 5, true).endpoint, OkxEndpoint::FillsHistory);
  EXPECT_EQ(balance().path, "/api/v5/account/balance");
  EXPECT_EQ(positions().path, "/api/v5/account/positions?instType=SWAP");
  EXPECT_EQ(server_time().path, "/api/v5/public/time");
}

TEST(OkxRequests, LeverageAndCancelAllAfter) {
  auto l = set_leverage(swap(), 5);
  EXPECT_EQ(l.method, OkxMethod::Post);
  EXPECT_EQ(l.path, "/api/v5/account/set-leverage");
  EXPECT_EQ(l.body, R"({"instId":"BTC-USDT-SWAP","lever":"5","mgnMode":"cross"})");
  EXPECT_EQ(cancel_all_after(60).body, R"({"timeOut":"60"})");
  EXPECT_EQ(cancel_all_after(3).body, R"({"timeOut":"10"})");    // OKX's minimum
  EXPECT_EQ(cancel_all_after(500).body, R"({"timeOut":"120"})");  // and maximum
  EXPECT_EQ(cancel_all_after(0).body, R"({"timeOut":"0"})");     // off
  EXPECT_EQ(cancel_all_after(0).endpoint, OkxEndpoint::CancelAllAfter);
}

TEST(OkxRequests, RateWindowsFollowTheDigest) {
  const auto w = okx_rate_windows();
  ASSERT_EQ(w.size(), static_cast<std::size_t>(OkxEndpoint::kCount));
  EXPECT_EQ(w[static_cast<int>(OkxEndpoint::PlaceOrder)].limit, 60);
  EXPECT_EQ(w[static_cast<int>(OkxEndpoint::PlaceOrder)].interval_ns, 2 * kNanosPerSecond);
  EXPECT_EQ(w[static_cast<int>(OkxEndpoint::Balance)].limit, 10);
  EXPECT_EQ(w[static_cast<int>(OkxEndpoint::CancelAllAfter)].limit, 1);
  EXPECT_EQ(w[static_cast<int>(OkxEndpoint::CancelAllAfter)].interval_ns, kNanosPerSecond);
}

}  // namespace
}  // namespace tradingd::okx
