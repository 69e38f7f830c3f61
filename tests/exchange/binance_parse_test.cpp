// Binance parsers against the shared fixtures, field by field: ws_public (trade, aggTrade, bookTicker,
// depthUpdate, kline, markPriceUpdate; raw and combined-stream frames; spot and USD-M), rest_response
// (depth snapshots, exchangeInfo), control replies, and the messages the parser must refuse with a type.
#include <gtest/gtest.h>

#include "exchange/binance/parse.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

using test::fixture_frame;

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }
constexpr UnixNanos kRecv = 1'700'000'000'123'456'789;
constexpr UnixNanos ms(std::int64_t v) { return v * kNanosPerMilli; }

class BinanceParseTest : public ::testing::Test {
 protected:
  void SetUp() override { TRADINGD_REQUIRE_FIXTURES(); }

  template <class T>
  T parse_as(BinanceParser& parser, const std::string& relative) {
    frame_ = fixture_frame(relative);
    auto r = parser.parse(frame_, lookup_, kRecv);
    EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : to_string(r.error().code)) << " "
                        << (r.ok() ? "" : r.error().field);
    if (!r.ok() || !std::holds_alternative<T>(*r)) {
      ADD_FAILURE() << relative << " parsed to the wrong type";
      return T{};
    }
    return std::get<T>(*r);
  }

  InstrumentLookup lookup_{Venue::Binance, /*accept_unknown=*/true};
  BinanceParser perp_{MarketKind::LinearPerp};
  BinanceParser spot_{MarketKind::Spot};
  std::string frame_;
};

TEST_F(BinanceParseTest, UsdmTradeStream) {
  auto t = parse_as<TradeTick>(perp_, "binance/ws_public/usdm_trade_stream.json");
  EXPECT_EQ(t.instrument.to_string(), "binance:linear_perp:BTCUSDT");
  EXPECT_EQ(t.price, P("0.001"));
  EXPECT_EQ(t.size, Q("100"));
  EXPECT_EQ(t.aggressor, Side::Sell);  // m: buyer is maker
  EXPECT_EQ(t.trade_id.view(), "5933014");
  EXPECT_EQ(t.ts_event_ns, ms(123456785));
  EXPECT_EQ(t.ts_recv_ns, kRecv);
}

TEST_F(BinanceParseTest, UsdmAggTradeStream) {
  auto t = parse_as<TradeTick>(perp_, "binance/ws_public/usdm_agg_trade_stream.json");
  EXPECT_EQ(t.price, P("0.001"));
  EXPECT_EQ(t.size, Q("100"));
  EXPECT_EQ(t.aggressor, Side::Sell);
  EXPECT_EQ(t.trade_id.view(), "5933014");  // the aggregate id "a"
  EXPECT_EQ(t.ts_event_ns, ms(123456785));
}

TEST_F(BinanceParseTest, SpotTradeCombinedStream) {
  auto t = parse_as<TradeTick>(spot_, "binance/ws_public/ws_spot_trade.json");
  EXPECT_EQ(t.instrument.to_string(), "binance:spot:ETHUSDT");
  EXPECT_EQ(t.price, P("4149.74"));
  EXPECT_EQ(t.size, Q("0.4387"));
  EXPECT_EQ(t.aggressor, Side::Sell);
  EXPECT_EQ(t.trade_id.view(), "705291099");  // "t", not the order ids "b"/"a"
  EXPECT_EQ(t.ts_event_ns, ms(1639351062243));
}

TEST_F(BinanceParseTest, SpotAggTradeCombinedStream) {
  auto t = parse_as<TradeTick>(spot_, "binance/ws_public/ws_spot_agg_trade.json");
  EXPECT_EQ(t.instrument.symbol.view(), "ETHUSDT");
  EXPECT_EQ(t.price, P("1632.46"));
  EXPECT_EQ(t.size, Q("0.34305"));
  EXPECT_EQ(t.aggressor, Side::Buy);  // m false: the buyer took
  EXPECT_EQ(t.trade_id.view(), "226532");
  EXPECT_EQ(t.ts_event_ns, ms(1675759520847));
}

TEST_F(BinanceParseTest, UsdmBookTicker) {
  auto q = parse_as<QuoteTick>(perp_, "binance/ws_public/usdm_book_ticker_stream.json");
  EXPECT_EQ(q.instrument.symbol.view(), "BNBUSDT");
  EXPECT_EQ(q.bid_price, P("25.3519"));
  EXPECT_EQ(q.bid_size, Q("31.21"));
  EXPECT_EQ(q.ask_price, P("25.3652"));
  EXPECT_EQ(q.ask_size, Q("40.66"));
  EXPECT_EQ(q.ts_event_ns, ms(1568014460891));  // T
}

TEST_F(BinanceParseTest, SpotBookTickerHasNoEventType) {
  auto q = parse_as<QuoteTick>(spot_, "binance/ws_public/ws_spot_ticker_book.json");
  EXPECT_EQ(q.instrument.to_string(), "binance:spot:ETHUSDT");
  EXPECT_EQ(q.bid_price, P("4507.24"));
  EXPECT_EQ(q.bid_size, Q("2.3595"));
  EXPECT_EQ(q.ask_price, P("4507.25"));
  EXPECT_EQ(q.ask_size, Q("2.8457"));
}

TEST_F(BinanceParseTest, UsdmDepthUpdates) {
  for (const char* f : {"binance/ws_public/usdm_depth_update_stream.json", "binance/ws_public/ws_futures_depth_diff_update.json"}) {
    auto d = parse_as<BinanceDepthUpdate>(perp_, f);
    EXPECT_EQ(d.first_update_id, 157u) << f;
    EXPECT_EQ(d.final_update_id, 160u);
    ASSERT_TRUE(d.prev_final_update_id);
    EXPECT_EQ(*d.prev_final_update_id, 149u);
    ASSERT_EQ(d.bids.size(), 1u);
    EXPECT_EQ(d.bids[0], (BookLevel{P("0.0024"), Q("10")}));
    ASSERT_EQ(d.asks.size(), 1u);
    EXPECT_EQ(d.asks[0], (BookLevel{P("0.0026"), Q("100")}));
    EXPECT_EQ(d.ts_event_ns, ms(123456788));  // T
  }
  auto d = parse_as<BinanceDepthUpdate>(perp_, "binance/ws_public/ws_futures_depth_update.json");
  EXPECT_EQ(d.first_update_id, 390497796u);
  EXPECT_EQ(d.final_update_id, 390497878u);
  EXPECT_EQ(*d.prev_final_update_id, 390497794u);
  ASSERT_EQ(d.bids.size(), 5u);
  EXPECT_EQ(d.bids[1], (BookLevel{P("7403.90"), Q("3.906")}));
  EXPECT_EQ(d.bids[4], (BookLevel{P("7405.43"), Q("2.562")}));
  ASSERT_EQ(d.asks.size(), 5u);
  EXPECT_EQ(d.asks[0], (BookLevel{P("7405.96"), Q("3.340")}));
  EXPECT_EQ(d.asks[4], (BookLevel{P("7407.20"), Q("0.175")}));
}

TEST_F(BinanceParseTest, CaptureDepthFrameIsCombinedStreamWithZeroSizes) {
  const std::string frame = test::capture_frames("binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json")[1];
  auto r = perp_.parse(frame, lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  auto& d = std::get<BinanceDepthUpdate>(*r);
  EXPECT_EQ(d.instrument.symbol.view(), "SUSHIUSDT");
  EXPECT_EQ(d.first_update_id, 600859599090u);
  EXPECT_EQ(d.final_update_id, 600859600917u);
  EXPECT_EQ(*d.prev_final_update_id, 600859598061u);
  ASSERT_EQ(d.bids.size(), 3u);
  EXPECT_EQ(d.bids[1], (BookLevel{P("7.6090"), Quantity::zero()}));
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.asks[1], (BookLevel{P("7.6220"), Q("3284")}));
}

TEST_F(BinanceParseTest, KlineOpenAndClosed) {
  auto b = parse_as<Bar>(perp_, "binance/ws_public/usdm_kline_stream_closed.json");
  EXPECT_EQ(b.instrument.symbol.view(), "BTCUSDT");
  EXPECT_EQ(b.interval_s, 60);
  EXPECT_EQ(b.ts_open_ns, ms(1638747660000));
  EXPECT_EQ(b.open, P("0.0010"));
  EXPECT_EQ(b.high, P("0.0025"));
  EXPECT_EQ(b.low, P("0.0010"));
  EXPECT_EQ(b.close, P("0.0020"));
  EXPECT_EQ(b.volume, Q("1000"));
  EXPECT_TRUE(b.closed);
  auto open = parse_as<Bar>(perp_, "binance/ws_public/usdm_kline_stream_open.json");
  EXPECT_FALSE(open.closed);
  EXPECT_EQ(open.low, P("0.0015"));
}

TEST_F(BinanceParseTest, MarkPriceWithFunding) {
  auto m = parse_as<BinanceMarkPrice>(perp_, "binance/ws_public/usdm_mark_price_stream.json");
  EXPECT_EQ(m.mark.mark_price, P("11794.15"));
  EXPECT_EQ(m.mark.index_price, P("11784.62659091"));
  EXPECT_EQ(m.mark.ts_event_ns, ms(1562305380000));
  ASSERT_TRUE(m.funding);
  EXPECT_EQ(m.funding->rate, Rate::from_string("0.00038167"));
  EXPECT_EQ(m.funding->next_funding_ns, ms(1562306400000));
}

TEST_F(BinanceParseTest, UnsubscribedStreamsAreTypedErrors) {
  for (const char* f : {"binance/ws_public/usdm_liquidation_stream.json", "binance/ws_public/usdm_ticker_stream.json",
                        "binance/ws_public/ws_spot_ticker_24hr.json"}) {
    frame_ = fixture_frame(f);
    auto r = perp_.parse(frame_, lookup_, kRecv);
    ASSERT_FALSE(r.ok()) << f;
    EXPECT_EQ(r.error().code, ParseErrorCode::UnknownMessage) << f;
  }
}

TEST_F(BinanceParseTest, ControlReplies) {
  auto r = perp_.parse(R"({"result":null,"id":1})", lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  auto c = std::get<ControlMessage>(*r);
  EXPECT_EQ(c.kind, ControlKind::SubscribeAck);
  EXPECT_EQ(c.request_id.view(), "1");
  r = perp_.parse(R"({"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":7})", lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  c = std::get<ControlMessage>(*r);
  EXPECT_EQ(c.kind, ControlKind::SubscribeError);
  EXPECT_FALSE(c.success);
  EXPECT_EQ(c.code.view(), "2");
  EXPECT_EQ(c.message.view(), "Invalid request: unknown variant");
  r = spot_.parse(R"({"e":"serverShutdown","E":1700000000000})", lookup_, kRecv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<ControlMessage>(*r).kind, ControlKind::Notice);
}

TEST_F(BinanceParseTest, UnknownInstrumentWhenNotPermissive) {
  InstrumentLookup strict(Venue::Binance);
  strict.add(InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from("ETHUSDT")});
  frame_ = fixture_frame("binance/ws_public/usdm_trade_stream.json");
  auto r = perp_.parse(frame_, strict, kRecv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::UnknownInstrument);
  // The same symbol listed for spot does not match a USD-M connection.
  strict.add(InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")});
  EXPECT_FALSE(perp_.parse(frame_, strict, kRecv).ok());
  EXPECT_TRUE(spot_.parse(frame_, strict, kRecv).ok());
}

TEST_F(BinanceParseTest, MalformedValuesAreTypedErrors) {
  struct Case {
    const char* frame;
    ParseErrorCode code;
  } cases[] = {
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.2.3","q":"1","T":1,"m":true})", ParseErrorCode::BadDecimal},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"0.0000000001","q":"1","T":1,"m":true})", ParseErrorCode::BadDecimal},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"q":"1","T":1,"m":true})", ParseErrorCode::MissingField},
      {R"({"e":"trade","E":"x","s":"BTCUSDT","t":1,"p":"1","q":"1","T":1,"m":true})", ParseErrorCode::WrongType},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":4,"b":[],"a":[]})", ParseErrorCode::BadValue},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":4,"b":[["1","-2"]],"a":[]})", ParseErrorCode::BadValue},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":4,"b":[["1"]],"a":[]})", ParseErrorCode::MissingField},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":4,"b":[]})", ParseErrorCode::MissingField},
      {R"({"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1,"i":"1M","o":"1","h":"1","l":"1","c":"1","v":"1","x":true}})",
       ParseErrorCode::UnsupportedInterval},
      {R"({"e":"trade","E":99999999999999999,"s":"BTCUSDT","t":1,"p":"1","q":"1","T":1,"m":true})", ParseErrorCode::WrongType},
      {R"([1,2,3])", ParseErrorCode::UnknownMessage},
      {R"({"e":"trade"} {})", ParseErrorCode::InvalidJson},
      {R"({"e":"trade",)", ParseErrorCode::InvalidJson},
      {R"(not json)", ParseErrorCode::InvalidJson},
      {"", ParseErrorCode::Empty},
  };
  for (const auto& c : cases) {
    auto r = perp_.parse(c.frame, lookup_, kRecv);
    ASSERT_FALSE(r.ok()) << c.frame;
    EXPECT_EQ(r.error().code, c.code) << c.frame << " gave " << to_string(r.error().code);
  }
}

TEST_F(BinanceParseTest, RestDepthSnapshots) {
  InstrumentId id{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  std::string body = test::read_file(test::fixture("binance/rest_response/http_futures_market_depth.json"));
  auto s = perp_.parse_depth_snapshot(body, id, kRecv);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->last_update_id, 1027024u);
  EXPECT_EQ(s->ts_event_ns, ms(1589436922972));
  ASSERT_EQ(s->bids.size(), 1u);
  EXPECT_EQ(s->bids[0], (BookLevel{P("4.00000000"), Q("431.00000000")}));
  EXPECT_EQ(s->asks[0], (BookLevel{P("4.00000200"), Q("12.00000000")}));

  body = test::read_file(test::fixture("binance/rest_response/http_spot_market_depth.json"));
  s = spot_.parse_depth_snapshot(body, id, kRecv);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->last_update_id, 14527958487u);
  EXPECT_EQ(s->ts_event_ns, 0);
  ASSERT_EQ(s->bids.size(), 10u);
  ASSERT_EQ(s->asks.size(), 10u);
  EXPECT_EQ(s->bids[9], (BookLevel{P("60639.93"), Q("0.07282")}));
  EXPECT_EQ(s->asks[0], (BookLevel{P("60650.01"), Q("0.61982")}));

  body = test::read_file(test::fixture("binance/rest_response/spot_depth_response.json"));
  s = spot_.parse_depth_snapshot(body, id, kRecv);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->last_update_id, 1027024u);

  const auto captured = test::capture_snapshots("binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json");
  ASSERT_EQ(captured.size(), 4u);
  s = perp_.parse_depth_snapshot(captured.at("SUSHIUSDT"), id, kRecv);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->last_update_id, 600859605926u);
  EXPECT_EQ(s->bids.size(), 1000u);
  EXPECT_EQ(s->asks.size(), 1000u);
  EXPECT_EQ(s->bids[0], (BookLevel{P("7.6110"), Q("6")}));

  EXPECT_EQ(perp_.parse_depth_snapshot(R"({"code":-1121,"msg":"Invalid symbol."})", id, kRecv).error().code,
            ParseErrorCode::UnknownMessage);
  EXPECT_EQ(perp_.parse_depth_snapshot(R"({"bids":[],"asks":[]})", id, kRecv).error().code, ParseErrorCode::MissingField);
}

TEST_F(BinanceParseTest, SpotExchangeInfo) {
  auto r = parse_binance_exchange_info(test::read_file(test::fixture("binance/rest_response/http_spot_market_exchange_info.json")),
                                       MarketKind::Spot);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  const Instrument& btc = (*r)[0];
  EXPECT_EQ(btc.id.to_string(), "binance:spot:BTCUSDT");
  EXPECT_EQ(btc.base.view(), "BTC");
  EXPECT_EQ(btc.quote.view(), "USDT");
  EXPECT_EQ(btc.settle.view(), "USDT");
  EXPECT_EQ(btc.tick_size, P("0.01"));
  EXPECT_EQ(btc.step_size, Q("0.00001"));
  EXPECT_EQ(btc.min_quantity, Q("0.00001"));
  EXPECT_EQ(btc.max_quantity, Q("9000"));
  EXPECT_EQ(btc.min_notional, Money::from_string("10"));
  EXPECT_EQ(btc.market_step_size, Quantity::zero());  // MARKET_LOT_SIZE stepSize 0: same as LOT_SIZE
  EXPECT_EQ((*r)[1].step_size, Q("0.0001"));

  // A symbol with no filters parses with zero (no) limits.
  r = parse_binance_exchange_info(test::read_file(test::fixture("binance/rest_response/spot_exchange_info_response.json")),
                                  MarketKind::Spot);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].id.symbol.view(), "ETHBTC");
  EXPECT_EQ((*r)[0].tick_size, Price::zero());
}

TEST_F(BinanceParseTest, UsdmExchangeInfoKeepsPerpetualsOnly) {
  auto r = parse_binance_exchange_info(
      test::read_file(test::fixture("binance/rest_response/http_futures_market_exchange_info.json")), MarketKind::LinearPerp);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);  // BTCUSDT_220325 (CURRENT_QUARTER) is skipped
  const Instrument& btc = (*r)[0];
  EXPECT_EQ(btc.id.to_string(), "binance:linear_perp:BTCUSDT");
  EXPECT_EQ(btc.settle.view(), "USDT");  // marginAsset
  EXPECT_EQ(btc.tick_size, P("0.10"));  // filterType listed after the values
  EXPECT_EQ(btc.step_size, Q("0.001"));
  EXPECT_EQ(btc.min_quantity, Q("0.001"));
  EXPECT_EQ(btc.max_quantity, Q("1000"));
  EXPECT_EQ(btc.market_step_size, Q("0.001"));
  EXPECT_EQ(btc.min_notional, Money::from_string("10"));  // MIN_NOTIONAL "notional"
  EXPECT_EQ((*r)[1].id.symbol.view(), "ETHUSDT");
  EXPECT_EQ((*r)[1].tick_size, P("0.01"));
}

}  // namespace
}  // namespace tradingd
