// OKX private REST and stream parsers against the shared fixtures (shared/fixtures/okx/rest_response,
// ws_private), envelope rules (top-level code vs per-item sCode), and the error map.
#include <gtest/gtest.h>

#include "exchange/okx/trading_errors.h"
#include "exchange/okx/trading_parse.h"
#include "exchange/okx/trading_stream.h"
#include "tests/support/fixtures.h"

namespace tradingd::okx {
namespace {

std::string fixture(const std::string& rel) { return test::read_file(*test::fixtures_dir() / "okx" / rel); }

template <class T>
std::vector<T> of(const std::vector<VenueEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (auto* p = std::get_if<T>(&e)) out.push_back(*p);
  return out;
}

TEST(OkxParse, PlaceOrderAckAndAlgoAcks) {
  TRADINGD_REQUIRE_FIXTURES();
  // The fixture is the bare item; wrap it in the envelope OKX sends.
  const std::string body = R"({"code":"0","msg":"","data":[)" + fixture("rest_response/http_place_order_response.json") + "]}";
  auto acks = parse_acks(200, body);
  ASSERT_TRUE(acks);
  ASSERT_EQ(acks->size(), 1u);
  EXPECT_TRUE((*acks)[0].ok());
  EXPECT_EQ((*acks)[0].ord_id, "12345678901234567890");
  EXPECT_EQ((*acks)[0].cl_ord_id, "client_order_123");

  auto algo = parse_acks(200, fixture("rest_response/http_place_algo_order_response.json"));
  ASSERT_TRUE(algo);
  EXPECT_EQ((*algo)[0].ord_id, "12345");
  EXPECT_EQ((*algo)[0].cl_ord_id, "test_algo_1");
  auto rej = parse_acks(200, fixture("rest_response/http_place_algo_order_rejected.json"));
  ASSERT_TRUE(rej);
  EXPECT_FALSE((*rej)[0].ok());
  EXPECT_EQ(ack_error((*rej)[0]).code, "51000");
  auto cancel = parse_acks(200, fixture("rest_response/http_cancel_algo_order_response.json"));
  ASSERT_TRUE(cancel);
  EXPECT_TRUE((*cancel)[0].ok());
}

TEST(OkxParse, ItemCodesDecideWhenTopLevelFails) {
  auto r = parse_acks(200, R"({"code":"1","msg":"All operations failed","data":[{"ordId":"","clOrdId":"c1","sCode":"51008","sMsg":"Order failed. Insufficient USDT balance in account."}]})");
  ASSERT_TRUE(r);
  const auto e = ack_error((*r)[0]);
  EXPECT_EQ(e.reason, VenueErrorReason::InsufficientBalance);
  EXPECT_EQ(e.code, "51008");
  // Partial batch: code 2, each item decides.
  auto b = parse_acks(200, R"({"code":"2","msg":"","data":[{"ordId":"1","clOrdId":"a","sCode":"0","sMsg":""},{"ordId":"","clOrdId":"b","sCode":"51400","sMsg":"x"}]})");
  ASSERT_TRUE(b);
  EXPECT_TRUE((*b)[0].ok());
  EXPECT_EQ(ack_error((*b)[1]).reason, VenueErrorReason::UnknownOrder);
  // Top-level only.
  auto t = parse_acks(200, R"({"code":"50102","msg":"Timestamp request expired","data":[]})");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().reason, VenueErrorReason::Timestamp);
  auto rl = parse_acks(429, R"({"code":"50011","msg":"Too Many Requests"})");
  ASSERT_FALSE(rl);
  EXPECT_EQ(rl.error().reason, VenueErrorReason::RateLimited);
  auto gw = parse_acks(502, "<html>Bad Gateway</html>");
  ASSERT_FALSE(gw);
  EXPECT_EQ(gw.error().reason, VenueErrorReason::Maintenance);
  EXPECT_FALSE(parse_acks(200, "not json"));
}

TEST(OkxParse, PendingAndHistoryOrders) {
  TRADINGD_REQUIRE_FIXTURES();
  auto p = parse_orders(200, fixture("rest_response/http_get_orders_pending.json"));
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->size(), 1u);
  const auto& o = (*p)[0];
  EXPECT_EQ(o.instrument.kind, MarketKind::LinearPerp);
  EXPECT_EQ(o.instrument.symbol.view(), "BTC-USDT-SWAP");
  EXPECT_EQ(o.client_order_id.view(), "client-order-1");
  EXPECT_EQ(o.venue_order_id.view(), "1234567890123456789");
  EXPECT_EQ(o.status, OrderStatus::Accepted);
  EXPECT_EQ(o.type, OrderType::Limit);
  EXPECT_EQ(o.quantity, Quantity::from_string("0.1"));  // contracts, exact
  EXPECT_EQ(o.filled_quantity, Quantity{});
  EXPECT_EQ(o.price, Price::from_string("103500"));
  EXPECT_FALSE(o.avg_fill_price);
  EXPECT_EQ(o.ts_event_ns % kNanosPerMilli, 0);

  auto h = parse_orders(200, fixture("rest_response/http_get_orders_history.json"));
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].status, OrderStatus::Filled);
  EXPECT_EQ((*h)[0].type, OrderType::Market);
  EXPECT_EQ((*h)[0].filled_quantity, Quantity::from_string("0.03"));
  EXPECT_EQ((*h)[0].avg_fill_price, Price::from_string("103698.9"));
}

TEST(OkxParse, PartialFillIsNotFull) {
  auto p = parse_orders(200, R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT","clOrdId":"c1","ordId":"9","side":"buy","ordType":"limit","state":"partially_filled","sz":"1","accFillSz":"0.4","px":"100","avgPx":"100","uTime":"1"}]})");
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)[0].status, OrderStatus::PartiallyFilled);
  EXPECT_EQ((*p)[0].filled_quantity, Quantity::from_string("0.4"));
  EXPECT_EQ((*p)[0].quantity, Quantity::from_string("1"));
}

TEST(OkxParse, BalanceAndPositions) {
  TRADINGD_REQUIRE_FIXTURES();
  auto b = parse_balance(200, fixture("rest_response/http_get_account_balance.json"));
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_FALSE(b->empty());
  EXPECT_EQ((*b)[0].asset.view(), "USDT");
  EXPECT_EQ((*b)[0].free, Money::from_string("94.426129903"));  // truncated below 1e-9
  EXPECT_EQ((*b)[0].locked, Money::from_string("5.468566666"));

  auto p = parse_positions(200, fixture("rest_response/http_get_positions.json"));
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ((*p)[0].instrument.symbol.view(), "BTC-USDT-SWAP");
  EXPECT_EQ((*p)[0].quantity, Quantity::from_string("0.5"));
  EXPECT_EQ((*p)[0].entry_price, Price::from_string("10000"));
  EXPECT_EQ((*p)[0].leverage, 10);
  auto s = parse_positions(200, R"({"code":"0","msg":"","data":[{"instId":"ETH-USDT-SWAP","pos":"3","posSide":"short","avgPx":"2000","lever":"3"}]})");
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].quantity, Quantity::from_string("-3"));
}

TEST(OkxParse, FillsTimeLeverageCancelAllAfter) {
  auto f = parse_fills(200, R"({"code":"0","msg":"","data":[{"instType":"SPOT","instId":"BTC-USDT","tradeId":"123","ordId":"9","clOrdId":"c1","billId":"1","fillPx":"50000.1","fillSz":"0.002","side":"sell","execType":"M","fee":"-0.1","feeCcy":"USDT","ts":"1700000000001"}]})");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 1u);
  EXPECT_EQ((*f)[0].trade_id.view(), "123");
  EXPECT_EQ((*f)[0].side, Side::Sell);
  EXPECT_EQ((*f)[0].last_price, Price::from_string("50000.1"));
  EXPECT_EQ((*f)[0].last_quantity, Quantity::from_string("0.002"));
  EXPECT_EQ((*f)[0].fee, Money::from_string("0.1"));  // paid
  EXPECT_EQ((*f)[0].fee_asset.view(), "USDT");
  EXPECT_EQ((*f)[0].liquidity, LiquiditySide::Maker);
  EXPECT_EQ((*f)[0].ts_event_ns, 1700000000001 * kNanosPerMilli);

  auto t = parse_server_time(200, R"({"code":"0","msg":"","data":[{"ts":"1597026383085"}]})");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1597026383085);
  auto l = parse_leverage(200, R"({"code":"0","msg":"","data":[{"lever":"30","mgnMode":"cross","instId":"BTC-USDT-SWAP","posSide":""}]})");
  ASSERT_TRUE(l);
  EXPECT_EQ(*l, 30);
  auto c = parse_cancel_all_after(200, R"({"code":"0","msg":"","data":[{"triggerTime":"1587971460","tag":"","ts":"1587971400"}]})");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, 1587971460);
}

TEST(OkxStream, EveryOrdersFixture) {
  TRADINGD_REQUIRE_FIXTURES();
  struct Case {
    const char* file;
    const char* trade_id;
    Side side;
    const char* qty;
    const char* px;
    LiquiditySide liq;
  };
  const Case cases[] = {
      {"ws_orders.json", "1518905529", Side::Buy, "0.03", "103698.9", LiquiditySide::Maker},
      {"ws_orders_adl.json", "1518906000", Side::Buy, "0.3", "41000", LiquiditySide::Taker},
      {"ws_orders_fok.json", "1518905530", Side::Buy, "0.05", "50000", LiquiditySide::Taker},
      {"ws_orders_ioc.json", "1518905531", Side::Buy, "0.02", "50100.5", LiquiditySide::Taker},
      {"ws_orders_liquidation.json", "1518905999", Side::Buy, "0.5", "40000", LiquiditySide::Taker},
      {"ws_orders_trigger.json", "1518905530", Side::Buy, "0.01", "101950", LiquiditySide::Taker},
  };
  for (const auto& c : cases) {
    auto m = parse_stream(fixture(std::string("ws_private/") + c.file));
    ASSERT_TRUE(m) << c.file << ": " << m.error();
    EXPECT_EQ(m->kind, OkxStreamMessage::Kind::Orders) << c.file;
    auto fills = of<OrderFilled>(m->events);
    ASSERT_EQ(fills.size(), 1u) << c.file;
    EXPECT_EQ(fills[0].trade_id.view(), c.trade_id) << c.file;
    EXPECT_EQ(fills[0].last_quantity, Quantity::from_string(c.qty)) << c.file;
    EXPECT_EQ(fills[0].last_price, Price::from_string(c.px)) << c.file;
    EXPECT_EQ(fills[0].liquidity, c.liq) << c.file;
    EXPECT_TRUE(fills[0].fee.is_positive()) << c.file;  // OKX's negative fee = paid
    EXPECT_GT(fills[0].ts_event_ns, 0) << c.file;
  }
  // The IOC partial fill is partial, with exactly its own quantity.
  auto ioc = parse_stream(fixture("ws_private/ws_orders_ioc.json"));
  ASSERT_TRUE(ioc);
  EXPECT_EQ(ioc->orders[0].status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(ioc->orders[0].filled_quantity, Quantity::from_string("0.02"));
  EXPECT_EQ(ioc->orders[0].quantity, Quantity::from_string("0.05"));
  auto swap = parse_stream(fixture("ws_private/ws_orders.json"));
  ASSERT_TRUE(swap);
  EXPECT_EQ(of<OrderFilled>(swap->events)[0].fee, Money::from_string("0.021776769"));
  EXPECT_EQ(of<OrderFilled>(swap->events)[0].instrument.kind, MarketKind::LinearPerp);
  EXPECT_EQ(of<OrderFilled>(swap->events)[0].client_order_id.view(), "001BTCUSDT20250106001");
}

TEST(OkxStream, AlgoChannelIsNotAnOrdersPush) {
  TRADINGD_REQUIRE_FIXTURES();
  auto m = parse_stream(fixture("ws_private/ws_orders_algo.json"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, OkxStreamMessage::Kind::Other);
  EXPECT_TRUE(m->events.empty());
}

TEST(OkxStream, AccountFixtures) {
  TRADINGD_REQUIRE_FIXTURES();
  auto m = parse_stream(fixture("ws_private/ws_account.json"));
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->kind, OkxStreamMessage::Kind::Account);
  ASSERT_EQ(m->events.size(), 1u);
  const auto& ar = std::get<AccountReport>(m->events[0]);
  EXPECT_EQ(ar.venue, Venue::Okx);
  ASSERT_EQ(ar.balances.size(), 3u);
  EXPECT_EQ(ar.balances[0].asset.view(), "USDT");
  EXPECT_EQ(ar.balances[0].free, Money::from_string("100.527685697"));
  EXPECT_EQ(ar.balances[1].free, Money::from_string("0.000000005"));
  auto e = parse_stream(fixture("ws_private/ws_account_empty.json"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(std::get<AccountReport>(e->events[0]).balances.empty());
}

TEST(OkxStream, LoginSubscribeErrorsPongAndLifecycle) {
  auto login = parse_stream(R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->kind, OkxStreamMessage::Kind::Login);
  auto bad = parse_stream(R"({"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, OkxStreamMessage::Kind::Error);
  EXPECT_EQ(error_reason(bad->code), VenueErrorReason::Authentication);
  auto sub = parse_stream(R"({"event":"subscribe","arg":{"channel":"orders","instType":"ANY"},"connId":"a4d3ae55"})");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->kind, OkxStreamMessage::Kind::Subscribed);
  EXPECT_EQ(sub->channel, "orders");
  EXPECT_EQ(parse_stream("pong")->kind, OkxStreamMessage::Kind::Pong);
  EXPECT_EQ(parse_stream(R"({"event":"notice","code":"64008","msg":"restart"})")->kind, OkxStreamMessage::Kind::Notice);
  EXPECT_FALSE(parse_stream("{broken"));

  auto live = parse_stream(R"({"arg":{"channel":"orders","instType":"ANY"},"data":[{"instId":"BTC-USDT","clOrdId":"c1","ordId":"5","side":"buy","ordType":"limit","state":"live","sz":"1","accFillSz":"0","px":"10","fillSz":"0","tradeId":"","uTime":"10"}]})");
  ASSERT_TRUE(live);
  ASSERT_EQ(live->events.size(), 1u);
  EXPECT_EQ(std::get<OrderAccepted>(live->events[0]).venue_order_id.view(), "5");
  auto canceled = parse_stream(R"({"arg":{"channel":"orders","instType":"ANY"},"data":[{"instId":"BTC-USDT","clOrdId":"c1","ordId":"5","side":"buy","ordType":"limit","state":"canceled","cancelSource":"20","sz":"1","accFillSz":"0","px":"10","fillSz":"0","tradeId":"","uTime":"11"}]})");
  ASSERT_TRUE(canceled);
  ASSERT_EQ(canceled->events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderCanceled>(canceled->events[0]));
  auto pos = parse_stream(R"({"arg":{"channel":"positions","instType":"SWAP"},"data":[{"instId":"BTC-USDT-SWAP","pos":"-2","posSide":"net","avgPx":"100","lever":"5","uTime":"3"}]})");
  ASSERT_TRUE(pos);
  EXPECT_EQ(std::get<AccountReport>(pos->events[0]).positions[0].quantity, Quantity::from_string("-2"));
}

TEST(OkxErrors, EveryDocumentedCodeMaps) {
  using R = VenueErrorReason;
  const std::pair<const char*, R> cases[] = {
      {"50001", R::Maintenance},  {"50004", R::UnknownOutcome}, {"50011", R::RateLimited},
      {"50061", R::RateLimited},  {"50102", R::Timestamp},      {"50111", R::Authentication},
      {"50113", R::Authentication}, {"50114", R::Authentication}, {"50105", R::Authentication},
      {"51000", R::Other},        {"51001", R::UnknownInstrument}, {"51008", R::InsufficientBalance},
      {"51008_1000", R::InsufficientBalance}, {"51020", R::InvalidQuantity}, {"51121", R::InvalidQuantity},
      {"51006", R::InvalidPrice}, {"51124", R::PostOnlyWouldTake}, {"51149", R::UnknownOutcome},
      {"51400", R::UnknownOrder}, {"51401", R::UnknownOrder},   {"51603", R::UnknownOrder},
      {"51169", R::ReduceOnlyRejected}, {"51170", R::ReduceOnlyRejected}, {"51016", R::DuplicateClientOrderId},
      {"99999", R::Other},
  };
  for (auto [code, reason] : cases) EXPECT_EQ(error_reason(code), reason) << code;
  EXPECT_EQ(http_reason(429), R::RateLimited);
  EXPECT_EQ(http_reason(503), R::Maintenance);
  EXPECT_EQ(http_reason(401), R::Authentication);
  EXPECT_TRUE(is_timestamp_error("50102"));
  EXPECT_FALSE(is_timestamp_error("51000"));
  EXPECT_TRUE(is_rate_limit_error("50011"));
  EXPECT_TRUE(is_rate_limit_error("50061"));
}

}  // namespace
}  // namespace tradingd::okx

#include "exchange/okx/trading_dedup.h"

namespace tradingd::okx {
namespace {

TEST(OkxEventFilter, EachFillAcceptanceAndCancelOnce) {
  OkxEventFilter f(3);
  OrderFilled a;
  a.instrument = instrument_of("BTC-USDT");
  a.trade_id = *TradeId::make("1");
  OrderFilled other_inst = a;
  other_inst.instrument = instrument_of("BTC-USDT-SWAP");
  EXPECT_TRUE(f.admit(a));
  EXPECT_FALSE(f.admit(a));           // replayed
  EXPECT_TRUE(f.admit(other_inst));   // trade ids are per instrument
  OrderAccepted acc{a.instrument, *ClientOrderId::make("c1"), {}, 0};
  EXPECT_TRUE(f.admit(acc));
  EXPECT_FALSE(f.admit(acc));         // REST ack and stream push
  EXPECT_TRUE(f.admit(OrderCanceled{a.instrument, *ClientOrderId::make("c1"), {}, 0}));
  EXPECT_TRUE(f.admit(AccountReport{}));
  EXPECT_TRUE(f.admit(AccountReport{}));  // reports always pass
  EXPECT_EQ(f.duplicates(), 2u);
  // Bounded: the oldest key is forgotten past capacity.
  EXPECT_TRUE(f.admit(a));
  OrderFilled rest = a;
  rest.trade_id = *TradeId::make("9");
  EXPECT_TRUE(f.remember_fill(rest));
  EXPECT_FALSE(f.admit(rest));  // the engine got it by REST: the stream's copy is dropped
}

}  // namespace
}  // namespace tradingd::okx
