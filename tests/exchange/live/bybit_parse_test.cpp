// Bybit v5 error map, REST response parsers and private-stream parser against the shared fixtures (real
// payloads) and hand-made edge cases.
#include "exchange/bybit/trading_parse.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/fixtures.h"

namespace tradingd::bybit {
namespace {

Instrument make(MarketKind kind, std::string_view symbol, std::string_view base) {
  Instrument i;
  i.id = {Venue::Bybit, kind, Symbol::from(symbol)};
  i.base = Asset::from(base);
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  return i;
}

InstrumentTable table() {
  return InstrumentTable({make(MarketKind::LinearPerp, "BTCUSDT", "BTC"), make(MarketKind::LinearPerp, "ETHUSDT", "ETH"),
                          make(MarketKind::LinearPerp, "ICPUSDT", "ICP"), make(MarketKind::Spot, "APEXUSDT", "APEX"),
                          make(MarketKind::Spot, "BTCUSDT", "BTC")});
}

std::string fixture(std::string_view rel) { return test::read_file(*test::fixtures_dir() / "bybit" / rel); }

TEST(BybitErrorMap, EveryCodeTheAdapterMeets) {
  using R = VenueErrorReason;
  EXPECT_EQ(map_ret_code(10001), R::Other);
  EXPECT_EQ(map_ret_code(10002), R::Timestamp);
  EXPECT_EQ(map_ret_code(10003), R::Authentication);
  EXPECT_EQ(map_ret_code(10004), R::Authentication);
  EXPECT_EQ(map_ret_code(10005), R::Authentication);
  EXPECT_EQ(map_ret_code(10010), R::Authentication);
  EXPECT_EQ(map_ret_code(10006), R::RateLimited);
  EXPECT_EQ(map_ret_code(10018), R::RateLimited);
  EXPECT_EQ(map_ret_code(10000), R::UnknownOutcome);
  EXPECT_EQ(map_ret_code(10016), R::UnknownOutcome);
  EXPECT_EQ(map_ret_code(110001), R::UnknownOrder);
  EXPECT_EQ(map_ret_code(110003), R::InvalidPrice);
  EXPECT_EQ(map_ret_code(110004), R::InsufficientBalance);
  EXPECT_EQ(map_ret_code(110007), R::InsufficientBalance);
  EXPECT_EQ(map_ret_code(110012), R::InsufficientBalance);
  EXPECT_EQ(map_ret_code(110017), R::ReduceOnlyRejected);
  EXPECT_EQ(map_ret_code(110020), R::Other);
  EXPECT_EQ(map_ret_code(110072), R::DuplicateClientOrderId);
  EXPECT_EQ(map_ret_code(110094), R::NotionalTooSmall);
  EXPECT_EQ(map_ret_code(170131), R::InsufficientBalance);
  EXPECT_EQ(map_ret_code(170193), R::InvalidPrice);
  EXPECT_EQ(map_ret_code(170194), R::InvalidPrice);
  EXPECT_EQ(map_ret_code(170136), R::InvalidQuantity);
  EXPECT_EQ(map_ret_code(170137), R::InvalidQuantity);
  EXPECT_EQ(map_ret_code(170140), R::NotionalTooSmall);
  EXPECT_EQ(map_ret_code(170141), R::DuplicateClientOrderId);
  EXPECT_EQ(map_ret_code(170121), R::UnknownInstrument);
  EXPECT_EQ(map_ret_code(170213), R::UnknownOrder);
  EXPECT_EQ(map_ret_code(170217), R::PostOnlyWouldTake);
  EXPECT_EQ(map_ret_code(170222), R::RateLimited);
  EXPECT_EQ(map_ret_code(999999), R::Other);
  EXPECT_EQ(map_http_status(429), R::RateLimited);
  EXPECT_EQ(map_http_status(403), R::RateLimited);
  EXPECT_EQ(map_http_status(502), R::UnknownOutcome);
  EXPECT_EQ(map_http_status(503), R::Maintenance);
  EXPECT_EQ(map_http_status(404), R::Other);
  EXPECT_TRUE(cancel_means_done(110001));
  EXPECT_TRUE(cancel_means_done(170142));
  EXPECT_FALSE(cancel_means_done(10002));
  EXPECT_EQ(map_reject_reason("EC_PostOnlyWillTakeLiquidity"), R::PostOnlyWouldTake);
}

TEST(BybitErrorMap, EnvelopeErrorsCarryCodeAndMessage) {
  auto r = parse_create(R"({"retCode":170131,"retMsg":"Insufficient balance.","result":{},"retExtInfo":{},"time":1})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, VenueErrorReason::InsufficientBalance);
  EXPECT_EQ(r.error().code, "170131");
  EXPECT_EQ(r.error().message, "Insufficient balance.");
  auto bad = parse_create("<html>502</html>");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "parse");
}

TEST(BybitRateLimit, HeadersRead) {
  const auto h = read_rate_limit(std::string_view("10"), std::string_view("0"), std::string_view("1700000001000"));
  EXPECT_EQ(h.limit, 10);
  EXPECT_EQ(h.remaining, 0);
  EXPECT_EQ(h.reset_ms, 1700000001000);
  const auto none = read_rate_limit(std::nullopt, std::string_view("x"), std::nullopt);
  EXPECT_FALSE(none.limit);
  EXPECT_FALSE(none.remaining);
}

TEST(BybitRest, CreateAndServerTimeAndLeverage) {
  auto id = parse_create(R"({"retCode":0,"retMsg":"OK","result":{"orderId":"1321003749386327552","orderLinkId":"c-1"},"retExtInfo":{},"time":1})");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->view(), "1321003749386327552");
  auto t = parse_server_time(R"({"retCode":0,"retMsg":"OK","result":{"timeSecond":"1688639403","timeNano":"1688639403423213947"},"retExtInfo":{},"time":1688639403423})");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1688639403423);
  EXPECT_EQ(*parse_set_leverage(R"({"retCode":110043,"retMsg":"Set leverage not modified","result":{},"time":1})", 5), 5);
  EXPECT_FALSE(parse_set_leverage(R"({"retCode":10001,"retMsg":"bad","result":{},"time":1})", 5));
  auto n = parse_cancel_all(R"({"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"a","orderLinkId":"b"},{"orderId":"c","orderLinkId":"d"}],"success":"1"},"time":1})");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2u);
}

TEST(BybitRest, OrdersRealtimeAndHistoryFixtures) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  auto open = parse_orders(fixture("rest_response/http_get_orders_realtime.json"), MarketKind::LinearPerp, t);
  ASSERT_TRUE(open) << open.error().message;
  ASSERT_EQ(open->orders.size(), 2u);
  const auto& o = open->orders[0];
  EXPECT_EQ(o.client_order_id.view(), "client-open-1");
  EXPECT_EQ(o.venue_order_id.view(), "open-order-1");
  EXPECT_EQ(o.status, OrderStatus::Accepted);
  EXPECT_EQ(o.type, OrderType::Limit);
  EXPECT_EQ(o.quantity, Quantity::from_string("0.01"));
  EXPECT_EQ(*o.price, Price::from_string("3930.41"));
  EXPECT_FALSE(o.avg_fill_price);  // null in the payload
  EXPECT_EQ(open->orders[1].side, Side::Sell);

  auto hist = parse_orders(fixture("rest_response/http_get_orders_history.json"), MarketKind::LinearPerp, t);
  ASSERT_TRUE(hist);
  ASSERT_EQ(hist->orders.size(), 1u);
  EXPECT_EQ(hist->orders[0].status, OrderStatus::Canceled);

  // Rejected after a partial fill: the order ended with its fill, not as a clean rejection, and its
  // filled quantity is the partial one, not the full size.
  auto pr = parse_orders(fixture("rest_response/http_get_order_partially_filled_rejected.json"), MarketKind::LinearPerp, t);
  ASSERT_TRUE(pr);
  ASSERT_EQ(pr->orders.size(), 1u);
  EXPECT_EQ(pr->orders[0].status, OrderStatus::Canceled);
  EXPECT_EQ(pr->orders[0].filled_quantity, Quantity::from_string("0.005"));
  EXPECT_EQ(pr->orders[0].quantity, Quantity::from_string("0.01"));
}

TEST(BybitRest, ExecutionsFixture) {
  TRADINGD_REQUIRE_FIXTURES();
  auto r = parse_executions(fixture("rest_response/http_get_executions.json"), MarketKind::LinearPerp, table());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->fills.size(), 2u);
  const auto& f = r->fills[0];
  EXPECT_EQ(f.trade_id.view(), "e0cbe81d-0f18-5866-9415-cf319b5dab3b");
  EXPECT_EQ(f.client_order_id.view(), "test-order-001");
  EXPECT_EQ(f.last_quantity, Quantity::from_string("0.1"));
  EXPECT_EQ(f.last_price, Price::from_string("50000"));
  EXPECT_EQ(f.fee, Money::from_string("0.015"));
  EXPECT_EQ(f.fee_asset.view(), "USDT");
  EXPECT_EQ(f.liquidity, LiquiditySide::Maker);
  EXPECT_EQ(f.ts_event_ns, 1672282722429LL * 1'000'000);
  EXPECT_EQ(r->fills[1].side, Side::Sell);
  EXPECT_EQ(r->next_cursor, "132766%3A2%2C132766%3A2");
}

TEST(BybitRest, WalletAndPositionsFixtures) {
  TRADINGD_REQUIRE_FIXTURES();
  auto w = parse_wallet(fixture("rest_response/http_get_wallet_balance.json"));
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ((*w)[1].asset.view(), "USDT");
  EXPECT_EQ((*w)[1].free, Money::from_string("1000.5"));
  EXPECT_TRUE((*w)[1].locked.is_zero());

  auto p = parse_positions(fixture("rest_response/http_get_positions.json"), table());
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->size(), 2u);  // SOLUSDT is not configured: skipped
  EXPECT_EQ((*p)[0].quantity, Quantity::from_string("0.5"));
  EXPECT_EQ((*p)[0].entry_price, Price::from_string("50000"));
  EXPECT_EQ((*p)[0].leverage, 10);
  EXPECT_EQ((*p)[1].quantity, Quantity::from_string("-5"));
}

TEST(BybitPrivate, AuthReplies) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  PrivateParser p(t);
  auto ok = p.parse(fixture("ws_private/ws_auth_success.json"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->kind, PrivateKind::AuthAck);
  EXPECT_TRUE(ok->success);
  auto bad = p.parse(fixture("ws_private/ws_auth_failure.json"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, PrivateKind::AuthAck);
  EXPECT_FALSE(bad->success);
  EXPECT_EQ(bad->ret_code, 10003);
  auto trade = p.parse(fixture("ws_private/ws_order_response.json"));
  ASSERT_TRUE(trade);
  EXPECT_EQ(trade->kind, PrivateKind::Ignored);
  auto pong = p.parse(R"({"op":"pong","args":["1700000000000"],"conn_id":"x"})");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->kind, PrivateKind::Pong);
  auto sub = p.parse(R"({"success":true,"ret_msg":"","op":"subscribe","conn_id":"x"})");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->kind, PrivateKind::SubscribeAck);
  EXPECT_TRUE(sub->success);
  EXPECT_FALSE(p.parse("{not json"));
  EXPECT_FALSE(p.parse(""));
}

TEST(BybitPrivate, OrderTopics) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  PrivateParser p(t);
  auto canceled = p.parse(fixture("ws_private/ws_account_order.json"));
  ASSERT_TRUE(canceled);
  ASSERT_EQ(canceled->events.size(), 1u);
  const auto* c = std::get_if<OrderCanceled>(&canceled->events[0]);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->client_order_id.view(), "client-1");
  EXPECT_EQ(c->venue_order_id.view(), "abcdef123456");

  auto filled = p.parse(fixture("ws_private/ws_account_order_filled.json"));
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->kind, PrivateKind::Order);
  EXPECT_TRUE(filled->events.empty());  // fills come from the execution topic

  auto stop = p.parse(fixture("ws_private/ws_account_order_stop_market.json"));
  ASSERT_TRUE(stop);
  ASSERT_EQ(stop->events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(stop->events[0]));

  auto tp = p.parse(fixture("ws_private/ws_account_order_take_profit.json"));
  ASSERT_TRUE(tp);
  ASSERT_EQ(tp->events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(tp->events[0]));

  // Spot, rejected after a partial fill: reported as canceled (the fill stands), never as rejected.
  auto pr = p.parse(fixture("ws_private/ws_account_order_partially_filled_rejected.json"));
  ASSERT_TRUE(pr);
  ASSERT_EQ(pr->events.size(), 1u);
  const auto* pc = std::get_if<OrderCanceled>(&pr->events[0]);
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->instrument.kind, MarketKind::Spot);

  auto post_only = p.parse(
      R"({"topic":"order","data":[{"category":"linear","symbol":"BTCUSDT","orderId":"o1","orderLinkId":"c9","side":"Buy","orderType":"Limit","price":"1","qty":"1","timeInForce":"PostOnly","orderStatus":"Cancelled","rejectReason":"EC_PostOnlyWillTakeLiquidity","cumExecQty":"0","updatedTime":"1"}]})");
  ASSERT_TRUE(post_only);
  ASSERT_EQ(post_only->events.size(), 1u);
  const auto* rj = std::get_if<OrderRejected>(&post_only->events[0]);
  ASSERT_NE(rj, nullptr);
  EXPECT_EQ(rj->error.reason, VenueErrorReason::PostOnlyWouldTake);
}

TEST(BybitPrivate, ExecutionTopics) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  PrivateParser p(t);
  auto ex = p.parse(fixture("ws_private/ws_account_execution.json"));
  ASSERT_TRUE(ex);
  EXPECT_EQ(ex->kind, PrivateKind::Execution);
  ASSERT_EQ(ex->events.size(), 1u);
  const auto& f = std::get<OrderFilled>(ex->events[0]);
  EXPECT_EQ(f.trade_id.view(), "0ab1bdf7-4219-438b-b30a-32ec863018f7");
  EXPECT_EQ(f.last_quantity, Quantity::from_string("0.5"));
  EXPECT_EQ(f.last_price, Price::from_string("95900.1"));
  EXPECT_EQ(f.fee, Money::from_string("26.3725275"));
  EXPECT_EQ(f.fee_asset.view(), "USDT");
  EXPECT_EQ(f.side, Side::Sell);
  EXPECT_EQ(f.liquidity, LiquiditySide::Taker);

  auto fast = p.parse(fixture("ws_private/ws_account_execution_fast.json"));
  ASSERT_TRUE(fast);
  ASSERT_EQ(fast->events.size(), 1u);
  EXPECT_EQ(std::get<OrderFilled>(fast->events[0]).instrument.symbol.view(), "ICPUSDT");

  auto funding = p.parse(
      R"({"topic":"execution","data":[{"category":"linear","symbol":"BTCUSDT","execType":"Funding","execId":"f1","orderId":"","orderLinkId":"","side":"Buy","execQty":"1","execPrice":"1"}]})");
  ASSERT_TRUE(funding);
  EXPECT_TRUE(funding->events.empty());
  EXPECT_EQ(funding->skipped, 1u);
}

TEST(BybitPrivate, PositionAndWalletTopics) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  PrivateParser p(t);
  for (const char* f : {"ws_private/ws_account_position.json", "ws_private/ws_account_position_short.json"}) {
    auto pos = p.parse(fixture(f));
    ASSERT_TRUE(pos) << f;
    EXPECT_EQ(pos->kind, PrivateKind::Position);
    ASSERT_EQ(pos->positions.size(), 1u);
    EXPECT_EQ(pos->positions[0].quantity, Quantity::from_string("-0.01"));
    EXPECT_EQ(pos->positions[0].entry_price, Price::from_string("3641.075"));
    EXPECT_EQ(pos->positions[0].leverage, 30);
  }
  auto w = p.parse(fixture("ws_private/ws_account_wallet.json"));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->kind, PrivateKind::Wallet);
  ASSERT_EQ(w->balances.size(), 2u);
  // free = walletBalance - locked margin, which is Bybit's availableToWithdraw in this payload.
  EXPECT_EQ(w->balances[0].free, Money::from_string("0.00092964"));
  EXPECT_EQ(w->balances[1].free, Money::from_string("9519.89806037"));
  EXPECT_EQ(w->balances[1].total(), Money::from_string("9647.75537647"));
}

TEST(BybitPrivate, EveryFixtureParses) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto t = table();
  PrivateParser p(t);
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(*test::fixtures_dir() / "bybit/ws_private")) {
    auto r = p.parse(test::read_file(e.path()));
    EXPECT_TRUE(r) << e.path();
    ++n;
  }
  EXPECT_GE(n, 13);
}

}  // namespace
}  // namespace tradingd::bybit
