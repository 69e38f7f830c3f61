// Bybit v5 parsers against the shared fixtures, field by field: ws_public (orderbook snapshot/delta,
// public trade, kline, linear ticker, subscription ack/failure), rest_response (orderbook snapshot,
// instruments-info for spot, linear, and the inverse/option lists that must yield nothing), control
// frames, and the ticker delta merge.
#include <gtest/gtest.h>

#include "exchange/bybit/parse.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

using test::fixture_frame;

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }
constexpr UnixNanos kRecv = 42;
constexpr UnixNanos ms(std::int64_t v) { return v * kNanosPerMilli; }

class BybitParseTest : public ::testing::Test {
 protected:
  void SetUp() override { TRADINGD_REQUIRE_FIXTURES(); }

  template <class T>
  T parse_as(const std::string& relative) {
    frame_ = fixture_frame(relative);
    auto r = parser_.parse(frame_, lookup_, kRecv);
    EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : to_string(r.error().code));
    if (!r.ok() || !std::holds_alternative<T>(*r)) {
      ADD_FAILURE() << relative << " parsed to the wrong type";
      return T{};
    }
    return std::get<T>(*r);
  }

  InstrumentLookup lookup_{Venue::Bybit, /*accept_unknown=*/true};
  BybitParser parser_{MarketKind::LinearPerp};
  std::string frame_;
};

TEST_F(BybitParseTest, OrderbookSnapshot) {
  auto ob = parse_as<BybitOrderbook>("bybit/ws_public/ws_orderbook_snapshot.json");
  EXPECT_EQ(ob.instrument.to_string(), "bybit:linear_perp:BTCUSDT");
  EXPECT_TRUE(ob.is_snapshot);
  EXPECT_EQ(ob.depth, 1u);
  EXPECT_EQ(ob.update_id, 123456789u);
  EXPECT_EQ(ob.cross_seq, 987654321u);
  ASSERT_EQ(ob.bids.size(), 2u);
  EXPECT_EQ(ob.bids[0], (BookLevel{P("27450.00"), Q("0.500")}));
  EXPECT_EQ(ob.bids[1], (BookLevel{P("27449.50"), Q("1.000")}));
  ASSERT_EQ(ob.asks.size(), 2u);
  EXPECT_EQ(ob.asks[0], (BookLevel{P("27451.00"), Q("0.750")}));
  EXPECT_EQ(ob.asks[1], (BookLevel{P("27451.50"), Q("0.900")}));
  EXPECT_EQ(ob.ts_event_ns, ms(1709891679000));
  EXPECT_EQ(ob.ts_recv_ns, kRecv);
}

TEST_F(BybitParseTest, OrderbookDelta) {
  auto ob = parse_as<BybitOrderbook>("bybit/ws_public/ws_orderbook_delta.json");
  EXPECT_FALSE(ob.is_snapshot);
  EXPECT_EQ(ob.update_id, 123456790u);
  EXPECT_EQ(ob.cross_seq, 987654322u);
  ASSERT_EQ(ob.bids.size(), 1u);
  EXPECT_EQ(ob.bids[0], (BookLevel{P("27450.00"), Q("0.400")}));
  ASSERT_EQ(ob.asks.size(), 1u);
  EXPECT_EQ(ob.asks[0], (BookLevel{P("27451.00"), Quantity::zero()}));
}

TEST_F(BybitParseTest, OrderbookUsesMatchingEngineTimeAndAnyKeyOrder) {
  // Spot and depth-1 pushes put ts before type; cts (matching engine) wins over ts when present.
  auto r = parser_.parse(
      R"({"ts":1700000000100,"topic":"orderbook.50.ETHUSDT","type":"delta","data":{"s":"ETHUSDT","b":[],"a":[["2000.5","1"]],"u":8,"seq":9},"cts":1700000000090})",
      lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  auto& ob = std::get<BybitOrderbook>(*r);
  EXPECT_EQ(ob.depth, 50u);
  EXPECT_EQ(ob.ts_event_ns, ms(1700000000090));
  EXPECT_EQ(ob.instrument.symbol.view(), "ETHUSDT");
}

TEST_F(BybitParseTest, PublicTrade) {
  auto trades = parse_as<BybitTrades>("bybit/ws_public/ws_public_trade.json");
  ASSERT_EQ(trades.trades.size(), 1u);
  const TradeTick& t = trades.trades[0];
  EXPECT_EQ(t.instrument.symbol.view(), "BTCUSDT");
  EXPECT_EQ(t.price, P("27451.00"));
  EXPECT_EQ(t.size, Q("0.010"));
  EXPECT_EQ(t.aggressor, Side::Buy);
  EXPECT_EQ(t.trade_id.view(), "9dc75fca-4bdd-4773-9f78-6f5d7ab2a110");
  EXPECT_EQ(t.ts_event_ns, ms(1709891679000));
}

TEST_F(BybitParseTest, SeveralTradesOldestFirst) {
  auto r = parser_.parse(
      R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":10,"s":"BTCUSDT","S":"Sell","v":"0.5","p":"100.5","i":"a","BT":false},{"T":11,"s":"BTCUSDT","S":"Buy","v":"1","p":"101","i":"b","BT":false}]})",
      lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  auto& trades = std::get<BybitTrades>(*r).trades;
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].aggressor, Side::Sell);
  EXPECT_EQ(trades[0].trade_id.view(), "a");
  EXPECT_EQ(trades[1].price, P("101"));
  EXPECT_EQ(trades[1].ts_event_ns, ms(11));
}

TEST_F(BybitParseTest, Kline) {
  auto k = parse_as<BybitKlines>("bybit/ws_public/ws_kline.json");
  ASSERT_EQ(k.bars.size(), 1u);
  const Bar& b = k.bars[0];
  EXPECT_EQ(b.instrument.symbol.view(), "BTCUSDT");
  EXPECT_EQ(b.interval_s, 300);
  EXPECT_EQ(b.ts_open_ns, ms(1672324800000));
  EXPECT_EQ(b.open, P("16649.5"));
  EXPECT_EQ(b.high, P("16677"));
  EXPECT_EQ(b.low, P("16608"));
  EXPECT_EQ(b.close, P("16677"));
  EXPECT_EQ(b.volume, Q("2.081"));
  EXPECT_FALSE(b.closed);
}

TEST_F(BybitParseTest, LinearTicker) {
  auto t = parse_as<BybitTicker>("bybit/ws_public/ws_ticker_linear.json");
  EXPECT_EQ(t.instrument.symbol.view(), "BTCUSDT");
  EXPECT_TRUE(t.is_snapshot);
  EXPECT_EQ(*t.mark_price, P("17217.33"));
  EXPECT_EQ(*t.index_price, P("17227.36"));
  EXPECT_EQ(*t.funding_rate, Rate::from_string("-0.000212"));
  EXPECT_EQ(*t.next_funding_ns, ms(1673280000000));
  EXPECT_EQ(t.ts_event_ns, ms(1673272861686));
}

TEST_F(BybitParseTest, OptionTickerIsAnUnknownInstrumentOnAStrictLookup) {
  InstrumentLookup strict(Venue::Bybit);
  strict.add(InstrumentId{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")});
  frame_ = fixture_frame("bybit/ws_public/ws_ticker_option.json");
  auto r = parser_.parse(frame_, strict, kRecv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::UnknownInstrument);
}

TEST_F(BybitParseTest, TickerDeltasMerge) {
  BybitTickerCache cache;
  auto snap = parse_as<BybitTicker>("bybit/ws_public/ws_ticker_linear.json");
  cache.merge(snap);
  auto r = parser_.parse(R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"17220.00"},"cs":1,"ts":1673272861786})",
                         lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  auto delta = std::get<BybitTicker>(*r);
  EXPECT_FALSE(delta.index_price);
  auto merged = cache.merge(delta);
  EXPECT_EQ(*merged.mark_price, P("17220.00"));
  EXPECT_EQ(*merged.index_price, P("17227.36"));  // unchanged fields carried over
  EXPECT_EQ(*merged.funding_rate, Rate::from_string("-0.000212"));
  EXPECT_EQ(merged.ts_event_ns, ms(1673272861786));
}

TEST_F(BybitParseTest, SubscriptionAckFailureAndPong) {
  auto ack = parse_as<ControlMessage>("bybit/ws_public/ws_subscription_ack.json");
  EXPECT_EQ(ack.kind, ControlKind::SubscribeAck);
  EXPECT_TRUE(ack.success);
  EXPECT_EQ(ack.request_id.view(), "sub-orderbook-1");
  auto failure = parse_as<ControlMessage>("bybit/ws_public/ws_subscription_failure.json");
  EXPECT_EQ(failure.kind, ControlKind::SubscribeError);
  EXPECT_FALSE(failure.success);
  EXPECT_EQ(failure.message.view(), "Invalid topic: invalid.topic.BTCUSDT");
  for (const char* pong : {R"({"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"})",
                           R"({"req_id":"1","op":"pong","args":["1672916271846"],"conn_id":"x"})"}) {
    auto r = parser_.parse(pong, lookup_, kRecv);
    ASSERT_TRUE(r.ok()) << pong;
    EXPECT_EQ(std::get<ControlMessage>(*r).kind, ControlKind::Pong);
  }
}

TEST_F(BybitParseTest, MalformedAndUnexpected) {
  struct Case {
    const char* frame;
    ParseErrorCode code;
  } cases[] = {
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[]}})", ParseErrorCode::MissingField},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"weird","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1}})", ParseErrorCode::BadValue},
      {R"({"topic":"orderbook.x.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1}})", ParseErrorCode::UnknownMessage},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["1","x"]],"a":[],"u":1}})", ParseErrorCode::BadDecimal},
      {R"({"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Up","v":"1","p":"1","i":"a"}]})", ParseErrorCode::BadValue},
      {R"({"topic":"kline.M.BTCUSDT","ts":1,"data":[{"start":1,"interval":"M","open":"1","high":"1","low":"1","close":"1","volume":"1","confirm":true}]})", ParseErrorCode::UnsupportedInterval},
      {R"({"topic":"liquidation.BTCUSDT","ts":1,"data":{}})", ParseErrorCode::UnknownMessage},
      {R"({"op":"mystery"})", ParseErrorCode::UnknownMessage},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1})", ParseErrorCode::InvalidJson},
  };
  for (const auto& c : cases) {
    auto r = parser_.parse(c.frame, lookup_, kRecv);
    ASSERT_FALSE(r.ok()) << c.frame;
    EXPECT_EQ(r.error().code, c.code) << c.frame << " gave " << to_string(r.error().code);
  }
}

TEST_F(BybitParseTest, RestOrderbookSnapshot) {
  const std::string body = test::read_file(test::fixture("bybit/rest_response/http_get_orderbook.json"));
  auto ob = parser_.parse_orderbook_snapshot(body, lookup_, kRecv);
  ASSERT_TRUE(ob.ok());
  EXPECT_TRUE(ob->is_snapshot);
  EXPECT_EQ(ob->depth, 0u);
  EXPECT_EQ(ob->instrument.symbol.view(), "BTCUSDT");
  EXPECT_EQ(ob->update_id, 1234567u);
  EXPECT_EQ(ob->cross_seq, 9876543u);
  ASSERT_EQ(ob->bids.size(), 3u);
  EXPECT_EQ(ob->bids[2], (BookLevel{P("27449.50"), Q("0.750")}));
  ASSERT_EQ(ob->asks.size(), 3u);
  EXPECT_EQ(ob->asks[1], (BookLevel{P("27451.50"), Q("3.000")}));
  EXPECT_EQ(ob->ts_event_ns, ms(1709891679000));
  EXPECT_FALSE(parser_.parse_orderbook_snapshot(R"({"retCode":10001,"retMsg":"bad","result":{}})", lookup_, kRecv).ok());
}

TEST_F(BybitParseTest, LinearInstruments) {
  std::string cursor = "unset";
  auto r = parse_bybit_instruments(test::read_file(test::fixture("bybit/rest_response/http_get_instruments_linear.json")),
                                   MarketKind::LinearPerp, &cursor);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(cursor, "");  // null: last page
  ASSERT_EQ(r->size(), 2u);
  const Instrument& btc = (*r)[0];
  EXPECT_EQ(btc.id.to_string(), "bybit:linear_perp:BTCUSDT");
  EXPECT_EQ(btc.base.view(), "BTC");
  EXPECT_EQ(btc.quote.view(), "USDT");
  EXPECT_EQ(btc.settle.view(), "USDT");
  EXPECT_EQ(btc.tick_size, P("0.5"));
  EXPECT_EQ(btc.step_size, Q("0.001"));
  EXPECT_EQ(btc.min_quantity, Q("0.001"));
  EXPECT_EQ(btc.max_quantity, Q("100"));
  EXPECT_EQ(btc.min_notional, Money::from_string("5"));
  EXPECT_EQ(btc.max_leverage, 100);
  EXPECT_EQ((*r)[1].tick_size, P("0.05"));
  EXPECT_EQ((*r)[1].step_size, Q("0.01"));
}

TEST_F(BybitParseTest, SpotInstruments) {
  auto r = parse_bybit_instruments(test::read_file(test::fixture("bybit/rest_response/http_get_instruments_spot.json")),
                                   MarketKind::Spot);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  const Instrument& btc = (*r)[0];
  EXPECT_EQ(btc.id.to_string(), "bybit:spot:BTCUSDT");
  EXPECT_EQ(btc.tick_size, P("0.1"));
  EXPECT_EQ(btc.step_size, Q("0.0001"));  // basePrecision
  EXPECT_EQ(btc.min_quantity, Q("0.001"));
  EXPECT_EQ(btc.max_quantity, Q("100"));
  EXPECT_EQ(btc.min_notional, Money::from_string("10"));  // minOrderAmt
  EXPECT_EQ((*r)[1].step_size, Q("0.00001"));
}

TEST_F(BybitParseTest, InverseAndOptionListsHaveNoLinearPerpetuals) {
  for (const char* f : {"bybit/rest_response/http_get_instruments_inverse.json", "bybit/rest_response/http_get_instruments_option.json"}) {
    auto r = parse_bybit_instruments(test::read_file(test::fixture(f)), MarketKind::LinearPerp);
    ASSERT_TRUE(r.ok()) << f;
    EXPECT_TRUE(r->empty()) << f;
  }
}

}  // namespace
}  // namespace tradingd
