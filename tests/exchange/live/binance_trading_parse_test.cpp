// Binance trading parsers against the shared fixtures: every private-stream payload, the order/account/
// trade REST answers, and the error map (codes, -2010/-1013 message variants, HTTP 418/429/5xx).
#include <filesystem>

#include <gtest/gtest.h>

#include "exchange/binance/trading_parse.h"
#include "tests/support/fixtures.h"

namespace tradingd::binance {
namespace {

std::string fixture(const std::string& rel) { return test::read_file(*test::fixtures_dir() / "binance" / rel); }

template <class T>
const T& only(const StreamMessage& m) {
  EXPECT_EQ(m.events.size(), 1u);
  static const T empty{};
  if (m.events.size() != 1 || !std::holds_alternative<T>(m.events[0])) {
    ADD_FAILURE() << "unexpected event";
    return empty;
  }
  return std::get<T>(m.events[0]);
}

StreamMessage ws(const std::string& file, MarketKind kind) {
  auto r = parse_user_stream(fixture("ws_private/" + file), kind);
  EXPECT_TRUE(r) << file << ": " << (r ? "" : r.error());
  return r ? *r : StreamMessage{};
}

TEST(BinanceUserStream, EveryFixtureParses) {
  TRADINGD_REQUIRE_FIXTURES();
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(*test::fixtures_dir() / "binance/ws_private")) {
    const auto name = e.path().filename().string();
    const MarketKind kind = name.find("spot") != std::string::npos ? MarketKind::Spot : MarketKind::LinearPerp;
    auto r = parse_user_stream(test::read_file(e.path()), kind);
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error());
    ++n;
  }
  EXPECT_GE(n, 27);
}

TEST(BinanceUserStream, SpotExecutionReports) {
  TRADINGD_REQUIRE_FIXTURES();
  auto m = ws("spot_execution_report_new.json", MarketKind::Spot);
  EXPECT_EQ(m.event_type, "executionReport");
  (void)only<OrderAccepted>(m);

  m = ws("spot_execution_report_trade.json", MarketKind::Spot);
  const auto& f = only<OrderFilled>(m);
  EXPECT_EQ(f.instrument.kind, MarketKind::Spot);
  EXPECT_EQ(f.instrument.symbol.view(), "ETHUSDT");
  EXPECT_EQ(f.client_order_id.view(), "x-TD67BGP9-T0000000000000");
  EXPECT_EQ(f.venue_order_id.view(), "12345678");
  EXPECT_EQ(f.trade_id.view(), "98765432");
  EXPECT_EQ(f.side, Side::Buy);
  EXPECT_EQ(f.last_quantity, Quantity::from_string("1"));
  EXPECT_EQ(f.last_price, Price::from_string("2500"));
  EXPECT_EQ(f.fee, Money::from_string("0.001"));
  EXPECT_EQ(f.fee_asset.view(), "ETH");  // a spot buy pays its fee in the received base asset
  EXPECT_EQ(f.liquidity, LiquiditySide::Maker);
  EXPECT_EQ(f.ts_event_ns, 1709654401000 * kNanosPerMilli);

  m = ws("spot_execution_report_wrapped.json", MarketKind::Spot);  // WS-API {"subscriptionId","event"}
  EXPECT_EQ(only<OrderAccepted>(m).venue_order_id.view(), "4293153");

  m = ws("spot_execution_report_canceled.json", MarketKind::Spot);
  (void)only<OrderCanceled>(m);
  m = ws("spot_execution_report_expired.json", MarketKind::Spot);
  (void)only<OrderExpired>(m);
  m = ws("ws_spot_execution_report_rejected.json", MarketKind::Spot);
  EXPECT_EQ(only<OrderRejected>(m).error.reason, VenueErrorReason::PostOnlyWouldTake);
  // Self-trade prevention expires the order; "l" is set but t=-1: no fill.
  m = ws("ws_spot_execution_report_trade_prevention.json", MarketKind::Spot);
  (void)only<OrderExpired>(m);
  m = ws("ws_spot_execution_report_pending_cancel.json", MarketKind::Spot);
  EXPECT_TRUE(m.events.empty());
  m = ws("spot_execution_report_stop_loss.json", MarketKind::Spot);
  (void)only<OrderAccepted>(m);
}

TEST(BinanceUserStream, CanceledReportNamesTheOriginalClientId) {
  auto r = parse_user_stream(
      R"({"e":"executionReport","E":1,"s":"BTCUSDT","c":"cancel-req","C":"td-7","S":"BUY","o":"LIMIT","x":"CANCELED","X":"CANCELED","i":5,"l":"0","L":"0","t":-1,"T":2})",
      MarketKind::Spot);
  ASSERT_TRUE(r);
  EXPECT_EQ(only<OrderCanceled>(*r).client_order_id.view(), "td-7");
}

TEST(BinanceUserStream, SpotBalancesAndIgnoredEvents) {
  TRADINGD_REQUIRE_FIXTURES();
  auto m = ws("spot_account_position.json", MarketKind::Spot);
  const auto& a = only<AccountReport>(m);
  ASSERT_EQ(a.balances.size(), 2u);
  EXPECT_EQ(a.balances[0].asset.view(), "USDT");
  EXPECT_EQ(a.balances[0].free, Money::from_string("10000"));
  EXPECT_EQ(a.balances[0].locked, Money::from_string("2500"));
  EXPECT_EQ(ws("spot_balance_update.json", MarketKind::Spot).kind, StreamMessageKind::Ignored);
  EXPECT_EQ(ws("spot_list_status_wrapped.json", MarketKind::Spot).kind, StreamMessageKind::Ignored);
}

TEST(BinanceUserStream, FuturesOrderTradeUpdates) {
  TRADINGD_REQUIRE_FIXTURES();
  (void)only<OrderAccepted>(ws("usdm_order_update_new.json", MarketKind::LinearPerp));
  auto m = ws("usdm_order_update_trade.json", MarketKind::LinearPerp);
  const auto& f = only<OrderFilled>(m);
  EXPECT_EQ(f.instrument.kind, MarketKind::LinearPerp);
  EXPECT_EQ(f.trade_id.view(), "12345678");
  EXPECT_EQ(f.last_quantity, Quantity::from_string("0.001"));
  EXPECT_EQ(f.last_price, Price::from_string("7100.5"));
  EXPECT_EQ(f.fee, Money::from_string("0.01"));
  // A partial fill is one fill of its own quantity, never the order's.
  m = ws("usdm_order_update_trade_partial.json", MarketKind::LinearPerp);
  EXPECT_EQ(only<OrderFilled>(m).last_quantity, Quantity::from_string("0.001"));
  // Liquidation / ADL fills (x=CALCULATED) are fills too.
  m = ws("usdm_order_update_calculated.json", MarketKind::LinearPerp);
  EXPECT_EQ(only<OrderFilled>(m).client_order_id.view(), "autoclose-1234567890");
  m = ws("ws_futures_order_update_liquidation.json", MarketKind::LinearPerp);
  EXPECT_EQ(only<OrderFilled>(m).trade_id.view(), "1122334455");
  (void)only<OrderFilled>(ws("usdm_order_update_adl.json", MarketKind::LinearPerp));
  EXPECT_EQ(ws("usdm_trade_lite.json", MarketKind::LinearPerp).kind, StreamMessageKind::Ignored);
}

TEST(BinanceUserStream, FuturesAccountAndAlgoUpdates) {
  TRADINGD_REQUIRE_FIXTURES();
  auto m = ws("usdm_account_update.json", MarketKind::LinearPerp);
  const auto& a = only<AccountReport>(m);
  ASSERT_EQ(a.balances.size(), 1u);
  EXPECT_EQ(a.balances[0].free, Money::from_string("122624.12345678"));
  // Hedge-mode legs net into one position: 0 + 20 - 10.
  ASSERT_EQ(a.positions.size(), 1u);
  EXPECT_EQ(a.positions[0].quantity, Quantity::from_string("10"));
  m = ws("usdm_account_update_bnfcr.json", MarketKind::LinearPerp);
  EXPECT_EQ(only<AccountReport>(m).balances[0].asset.view(), "BNFCR");

  m = ws("usdm_algo_update_new.json", MarketKind::LinearPerp);
  const auto& acc = only<OrderAccepted>(m);
  EXPECT_EQ(acc.client_order_id.view(), "Q5xaq5EGKgXXa0fD7fs0Ip");
  EXPECT_EQ(acc.venue_order_id.view(), "2148719");
  (void)only<OrderCanceled>(ws("usdm_algo_update_canceled.json", MarketKind::LinearPerp));
  (void)only<OrderTriggered>(ws("ws_futures_algo_update_triggered.json", MarketKind::LinearPerp));
}

TEST(BinanceUserStream, ControlMessages) {
  auto r = parse_user_stream(R"({"e":"listenKeyExpired","E":1576653824250,"listenKey":"abc"})", MarketKind::LinearPerp);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, StreamMessageKind::ListenKeyExpired);
  r = parse_user_stream(R"({"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}})", MarketKind::Spot);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, StreamMessageKind::StreamTerminated);
  r = parse_user_stream(R"({"id":"s1","status":200,"result":{"subscriptionId":3},"rateLimits":[]})", MarketKind::Spot);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, StreamMessageKind::WsApiResponse);
  EXPECT_EQ(r->response.id, "s1");
  EXPECT_EQ(r->response.subscription_id, 3);
  EXPECT_EQ(r->response.error_code, 0);
  r = parse_user_stream(R"({"id":"s2","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})", MarketKind::Spot);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->response.error_code, -1022);
  EXPECT_FALSE(parse_user_stream(R"({"e":"somethingNew"})", MarketKind::Spot));
  EXPECT_FALSE(parse_user_stream(R"({"e":"executionReport","s":"X","x":"TRADE","S":"BUY","l":"1","L":"1","t":-1})", MarketKind::Spot));
  EXPECT_FALSE(parse_user_stream("{not json", MarketKind::Spot));
}

TEST(BinanceRest, OrderAnswers) {
  TRADINGD_REQUIRE_FIXTURES();
  auto o = parse_order(fixture("rest_response/spot_new_order_full_response.json"), MarketKind::Spot);
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->report.status, OrderStatus::Filled);
  EXPECT_EQ(o->report.type, OrderType::Market);
  EXPECT_EQ(o->report.filled_quantity, Quantity::from_string("10"));
  ASSERT_EQ(o->fills.size(), 5u);
  EXPECT_EQ(o->fills[0].trade_id.view(), "56");
  EXPECT_EQ(o->fills[1].last_price, Price::from_string("3999"));
  EXPECT_EQ(o->fills[1].fee, Money::from_string("19.995"));
  EXPECT_EQ(o->fills[4].client_order_id.view(), "6gCrw2kRUAF9CvJDGP16IP");
  EXPECT_EQ(o->report.avg_fill_price, Price::from_string("1"));  // 10 quote / 10 base

  o = parse_order(fixture("rest_response/spot_order_response.json"), MarketKind::Spot);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->report.status, OrderStatus::Accepted);
  EXPECT_EQ(o->report.client_order_id.view(), "myOrder1");
  EXPECT_EQ(o->report.price, Price::from_string("0.1"));
  o = parse_order(fixture("rest_response/spot_cancel_order_response.json"), MarketKind::Spot);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->report.status, OrderStatus::Canceled);
  EXPECT_EQ(o->report.client_order_id.view(), "myOrder1");  // origClientOrderId, not the cancel's id
  o = parse_order(fixture("rest_response/usdm_order_response.json"), MarketKind::LinearPerp);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->report.instrument.kind, MarketKind::LinearPerp);
  EXPECT_EQ(o->report.venue_order_id.view(), "12345678");
  EXPECT_EQ(o->report.quantity, Quantity::from_string("0.001"));
  EXPECT_FALSE(o->report.avg_fill_price);

  auto list = parse_orders(fixture("rest_response/spot_cancel_open_orders_response.json"), MarketKind::Spot);
  ASSERT_TRUE(list) << list.error();
  EXPECT_EQ(list->size(), 2u);  // the OCO summary is skipped
  list = parse_orders(fixture("rest_response/spot_open_orders_response.json"), MarketKind::Spot);
  ASSERT_TRUE(list) << list.error();
  list = parse_orders(fixture("rest_response/usdm_open_algo_orders.json"), MarketKind::LinearPerp);
  ASSERT_TRUE(list) << list.error();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].client_order_id.view(), "test-algo-order-1");
  EXPECT_EQ((*list)[0].type, OrderType::StopMarket);
  list = parse_orders(fixture("rest_response/http_futures_account_orders.json"), MarketKind::LinearPerp);
  ASSERT_TRUE(list) << list.error();
}

TEST(BinanceRest, TradesAccountsPositions) {
  TRADINGD_REQUIRE_FIXTURES();
  auto t = parse_trades(fixture("rest_response/spot_account_trades_response.json"), MarketKind::Spot);
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].trade_id.view(), "28457");
  EXPECT_EQ((*t)[0].venue_order_id.view(), "100234");
  EXPECT_EQ((*t)[0].side, Side::Buy);
  EXPECT_EQ((*t)[0].last_price, Price::from_string("4.000001"));
  EXPECT_EQ((*t)[0].liquidity, LiquiditySide::Taker);
  t = parse_trades(fixture("rest_response/http_futures_account_trades.json"), MarketKind::LinearPerp);
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].side, Side::Sell);
  EXPECT_EQ((*t)[1].fee, Money::from_string("0.005558"));

  auto a = parse_spot_account(fixture("rest_response/spot_account_response.json"));
  ASSERT_TRUE(a) << a.error();
  ASSERT_EQ(a->balances.size(), 2u);
  EXPECT_EQ(a->balances[0].free, Money::from_string("4723846.89208129"));
  a = parse_futures_account(fixture("rest_response/usdm_account_info_v2.json"));
  ASSERT_TRUE(a) << a.error();
  ASSERT_EQ(a->balances.size(), 1u);
  EXPECT_EQ(a->balances[0].total(), Money::from_string("23.72469206"));
  auto p = parse_position_risk(fixture("rest_response/usdm_position_risk.json"));
  ASSERT_TRUE(p) << p.error();
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ((*p)[0].quantity, Quantity::from_string("0.001"));
  EXPECT_EQ((*p)[0].entry_price, Price::from_string("50000"));
  EXPECT_EQ((*p)[0].leverage, 20);
  auto st = parse_server_time(fixture("rest_response/spot_server_time_response.json"));
  ASSERT_TRUE(st);
  EXPECT_GT(*st, 1'000'000'000'000);
  EXPECT_EQ(*parse_listen_key(R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})"),
            "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1");
  EXPECT_EQ(*parse_leverage(R"({"leverage":21,"maxNotionalValue":"1000000","symbol":"BTCUSDT"})"), 21);
  EXPECT_FALSE(parse_order("{}", MarketKind::Spot));
  EXPECT_FALSE(parse_trades(R"([{"symbol":"X","id":1,"price":1.5,"qty":"1"}])", MarketKind::Spot));  // a bare number is refused
}

TEST(BinanceErrors, EveryCodeTheAdapterMeets) {
  using R = VenueErrorReason;
  struct Case {
    int http, code;
    const char* msg;
    R want;
  };
  const Case cases[] = {
      {429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.", R::RateLimited},
      {418, -1003, "Way too much request weight used; IP banned until 1659146400000.", R::IpBanned},
      {400, -1003, "Way too much request weight used; IP banned until 1659146400000.", R::IpBanned},
      {400, -1006, "An unexpected response was received from the message bus.", R::UnknownOutcome},
      {400, -1007, "Timeout waiting for response from backend server.", R::UnknownOutcome},
      {400, -1013, "Filter failure: LOT_SIZE", R::InvalidQuantity},
      {400, -1013, "Filter failure: PRICE_FILTER", R::InvalidPrice},
      {400, -1013, "Filter failure: NOTIONAL", R::NotionalTooSmall},
      {400, -1013, "Filter failure: MIN_NOTIONAL", R::NotionalTooSmall},
      {400, -1015, "Too many new orders; current limit is 50 orders per 10 SECOND.", R::RateLimited},
      {400, -1021, "Timestamp for this request is outside of the recvWindow.", R::Timestamp},
      {400, -1022, "Signature for this request is not valid.", R::Authentication},
      {400, -1111, "Precision is over the maximum defined for this asset.", R::InvalidQuantity},
      {400, -1116, "Invalid orderType.", R::Other},
      {400, -1121, "Invalid symbol.", R::UnknownInstrument},
      {400, -2010, "Account has insufficient balance for requested action.", R::InsufficientBalance},
      {400, -2010, "Duplicate order sent.", R::DuplicateClientOrderId},
      {400, -2010, "Order would immediately match and take.", R::PostOnlyWouldTake},
      {400, -2010, "Order would trigger immediately.", R::InvalidPrice},
      {400, -2010, "Market is closed.", R::Maintenance},
      {400, -2010, "This action is disabled on this account.", R::Authentication},
      {400, -2011, "Unknown order sent.", R::UnknownOrder},
      {400, -2013, "Order does not exist.", R::UnknownOrder},
      {400, -2014, "API-key format invalid.", R::Authentication},
      {401, -2015, "Invalid API-key, IP, or permissions for action.", R::Authentication},
      {400, -2019, "Margin is insufficient.", R::InsufficientBalance},
      {400, -2021, "Order would immediately trigger.", R::InvalidPrice},
      {400, -2022, "ReduceOnly Order is rejected.", R::ReduceOnlyRejected},
      {400, -4116, "ClientOrderId is duplicated.", R::DuplicateClientOrderId},
      {400, -4164, "Order's notional must be no smaller than 100", R::NotionalTooSmall},
      {400, -5021, "Due to the order could not be filled immediately, the FOK order has been rejected.", R::FokNotFilled},
      {400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected.", R::PostOnlyWouldTake},
      {400, -5028, "Timestamp for this request is outside of the ME recvWindow.", R::Timestamp},
      {429, 0, "", R::RateLimited},
      {418, 0, "", R::IpBanned},
      {500, 0, "Internal error", R::UnknownOutcome},
      {502, 0, "", R::UnknownOutcome},
      {503, 0, "Service Unavailable.", R::Maintenance},
      {400, -9999, "new code", R::Other},
  };
  for (const auto& c : cases) EXPECT_EQ(map_error(c.http, c.code, c.msg), c.want) << c.code << " " << c.msg;
}

TEST(BinanceErrors, ParsesErrorBodies) {
  auto e = parse_error(400, R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})");
  EXPECT_EQ(e.reason, VenueErrorReason::InsufficientBalance);
  EXPECT_EQ(e.code, "-2010");
  EXPECT_EQ(e.message, "Account has insufficient balance for requested action.");
  e = parse_error(502, "<html>Bad Gateway</html>");
  EXPECT_EQ(e.reason, VenueErrorReason::UnknownOutcome);
  EXPECT_EQ(e.code, "HTTP 502");
  EXPECT_TRUE(is_error_body(R"({"code":-1021,"msg":"x"})"));
  EXPECT_FALSE(is_error_body(R"({"code":200,"msg":"success"})"));  // countdownCancelAll's success shape
}

}  // namespace
}  // namespace tradingd::binance
