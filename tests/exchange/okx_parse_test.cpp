// OKX v5 parsers against the shared fixtures, field by field: ws_public (books snapshot/update with the
// original level strings, bbo-tbt, trades, candle, funding-rate, the real checksum-vector messages),
// rest_response (books snapshot, instruments for SPOT and SWAP), event replies, the "pong" text, and the
// channels the parser must refuse with a type.
#include <gtest/gtest.h>

#include "exchange/okx/parse.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

using test::fixture_frame;

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }
constexpr UnixNanos kRecv = 7;
constexpr UnixNanos ms(std::int64_t v) { return v * kNanosPerMilli; }

class OkxParseTest : public ::testing::Test {
 protected:
  void SetUp() override { TRADINGD_REQUIRE_FIXTURES(); }

  template <class T>
  T parse_as(const std::string& frame) {
    frame_ = frame;
    auto r = parser_.parse(frame_, lookup_, kRecv);
    EXPECT_TRUE(r.ok()) << frame.substr(0, 80) << ": " << (r.ok() ? "" : to_string(r.error().code)) << " "
                        << (r.ok() ? "" : r.error().field);
    if (!r.ok() || !std::holds_alternative<T>(*r)) {
      ADD_FAILURE() << "wrong type";
      return T{};
    }
    return std::get<T>(*r);
  }

  InstrumentLookup lookup_{Venue::Okx, /*accept_unknown=*/true};
  OkxParser parser_;
  std::string frame_;
};

TEST_F(OkxParseTest, BooksSnapshotKeepsOriginalStrings) {
  auto b = parse_as<OkxBook>(fixture_frame("okx/ws_public/ws_books_snapshot.json"));
  EXPECT_EQ(b.instrument.to_string(), "okx:spot:BTC-USDT");
  EXPECT_EQ(b.channel, OkxBookChannel::Books);
  EXPECT_TRUE(b.is_snapshot);
  EXPECT_EQ(*b.seq_id, 123456);
  EXPECT_EQ(*b.prev_seq_id, -1);
  EXPECT_EQ(b.checksum, -855196043);
  EXPECT_EQ(b.ts_event_ns, ms(1597026383085));
  ASSERT_EQ(b.asks.size(), 8u);
  ASSERT_EQ(b.bids.size(), 8u);
  EXPECT_EQ(b.asks[0], (BookLevel{P("8476.98"), Q("415")}));
  EXPECT_EQ(b.asks[1], (BookLevel{P("8477"), Q("7")}));
  EXPECT_EQ(b.bids[7], (BookLevel{P("8446"), Q("95")}));
  EXPECT_TRUE(b.ask_texts.empty());  // every string is canonical: nothing to keep for the checksum
  EXPECT_TRUE(b.bid_texts.empty());
}

TEST_F(OkxParseTest, BooksUpdate) {
  auto b = parse_as<OkxBook>(fixture_frame("okx/ws_public/ws_books_update.json"));
  EXPECT_FALSE(b.is_snapshot);
  EXPECT_EQ(*b.seq_id, 123457);
  EXPECT_EQ(*b.prev_seq_id, 123456);
}

TEST_F(OkxParseTest, RealChecksumMessagesWithoutSeqIds) {
  for (const auto& v : test::okx_checksum_vectors()) {
    if (v.raw_message.empty()) continue;
    auto b = parse_as<OkxBook>(v.raw_message);
    EXPECT_EQ(b.checksum, v.expected_checksum) << v.id;
    EXPECT_FALSE(b.seq_id) << v.id;  // 2022 recordings predate seqId/prevSeqId
    EXPECT_TRUE(b.bid_texts.empty() && b.ask_texts.empty()) << v.id;
  }
  const auto vectors = test::okx_checksum_vectors();
  auto b = parse_as<OkxBook>(vectors[0].raw_message);
  EXPECT_EQ(b.channel, OkxBookChannel::BooksL2Tbt);
  EXPECT_EQ(b.instrument.symbol.view(), "BTC-USD-220304-32000-P");
  EXPECT_TRUE(b.bids.empty());
  ASSERT_EQ(b.asks.size(), 2u);
  EXPECT_EQ(b.asks[0], (BookLevel{P("0.0005"), Q("305")}));
}

TEST_F(OkxParseTest, BboTbtIsAQuote) {
  auto q = parse_as<QuoteTick>(fixture_frame("okx/ws_public/ws_bbo_tbt.json"));
  EXPECT_EQ(q.instrument.to_string(), "okx:spot:BTC-USDT");
  EXPECT_EQ(q.bid_price, P("8476.97"));
  EXPECT_EQ(q.bid_size, Q("256"));
  EXPECT_EQ(q.ask_price, P("8476.98"));
  EXPECT_EQ(q.ask_size, Q("415"));
  EXPECT_EQ(q.ts_event_ns, ms(1597026383085));
}

TEST_F(OkxParseTest, Trades) {
  auto t = parse_as<OkxTrades>(fixture_frame("okx/ws_public/ws_trades.json"));
  ASSERT_EQ(t.trades.size(), 1u);
  EXPECT_EQ(t.trades[0].instrument.to_string(), "okx:spot:BTC-USD");
  EXPECT_EQ(t.trades[0].price, P("42219.9"));
  EXPECT_EQ(t.trades[0].size, Q("0.12060306"));
  EXPECT_EQ(t.trades[0].aggressor, Side::Buy);
  EXPECT_EQ(t.trades[0].trade_id.view(), "130639474");
  EXPECT_EQ(t.trades[0].ts_event_ns, ms(1630048897897));
}

TEST_F(OkxParseTest, Candle) {
  auto c = parse_as<OkxCandles>(fixture_frame("okx/ws_public/ws_candle.json"));
  ASSERT_EQ(c.bars.size(), 1u);
  const Bar& b = c.bars[0];
  EXPECT_EQ(b.interval_s, 86400);  // candle1D
  EXPECT_EQ(b.ts_open_ns, ms(1597026383085));
  EXPECT_EQ(b.open, P("8533.02"));
  EXPECT_EQ(b.high, P("8553.74"));
  EXPECT_EQ(b.low, P("8527.17"));
  EXPECT_EQ(b.close, P("8548.26"));
  EXPECT_EQ(b.volume, Q("45247"));
  EXPECT_TRUE(b.closed);
  auto one_minute = parse_as<OkxCandles>(
      R"({"arg":{"channel":"candle1m","instId":"BTC-USDT-SWAP"},"data":[["1700000000000","1","2","0.5","1.5","10","0.1","15","0"]]})");
  ASSERT_EQ(one_minute.bars.size(), 1u);
  EXPECT_EQ(one_minute.bars[0].interval_s, 60);
  EXPECT_FALSE(one_minute.bars[0].closed);
  EXPECT_EQ(one_minute.bars[0].instrument.kind, MarketKind::LinearPerp);
}

TEST_F(OkxParseTest, FundingRateAndMarkPrice) {
  auto f = parse_as<FundingRateUpdate>(fixture_frame("okx/ws_public/ws_funding_rate.json"));
  EXPECT_EQ(f.instrument.to_string(), "okx:linear_perp:BTC-USDT-SWAP");
  EXPECT_EQ(f.rate, Rate::from_string("0.0001"));
  EXPECT_EQ(f.next_funding_ns, ms(1744590349506));  // fundingTime: when this rate is charged
  EXPECT_EQ(f.ts_event_ns, ms(1744590349506));
  auto m = parse_as<MarkPriceUpdate>(
      R"({"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"84660.1","ts":"1744590349506"}]})");
  EXPECT_EQ(m.mark_price, P("84660.1"));
  EXPECT_EQ(m.index_price, Price::zero());
  EXPECT_EQ(m.ts_event_ns, ms(1744590349506));
  // Real funding rates carry more than nine decimals: rounded to 1e-9, explicitly.
  f = parse_as<FundingRateUpdate>(
      R"({"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","fundingRate":"0.0001515032","fundingTime":"1","ts":"1"}]})");
  EXPECT_EQ(f.rate.raw(), 151503);
}

TEST_F(OkxParseTest, EventsAndPong) {
  auto c = parse_as<ControlMessage>(R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})");
  EXPECT_EQ(c.kind, ControlKind::SubscribeAck);
  c = parse_as<ControlMessage>(R"({"event":"error","code":"60012","msg":"Invalid request: {\"op\": \"subscribe\"}","connId":"a4d3ae55"})");
  EXPECT_EQ(c.kind, ControlKind::SubscribeError);
  EXPECT_EQ(c.code.view(), "60012");
  EXPECT_EQ(c.message.view(), R"(Invalid request: {"op": "subscribe"})");
  c = parse_as<ControlMessage>(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade.","connId":"x"})");
  EXPECT_EQ(c.kind, ControlKind::Notice);
  c = parse_as<ControlMessage>("pong");
  EXPECT_EQ(c.kind, ControlKind::Pong);
}

TEST_F(OkxParseTest, UnhandledChannelsAndMalformed) {
  struct Case {
    std::string frame;
    ParseErrorCode code;
  } cases[] = {
      {fixture_frame("okx/ws_public/ws_tickers.json"), ParseErrorCode::UnknownMessage},
      {fixture_frame("okx/ws_public/ws_instruments.json"), ParseErrorCode::UnknownMessage},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"patch","data":[{"asks":[],"bids":[],"ts":"1"}]})", ParseErrorCode::BadValue},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[]})", ParseErrorCode::MissingField},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1"},{"asks":[],"bids":[],"ts":"1"}]})", ParseErrorCode::TooLarge},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1","2","0","1"]],"bids":[],"ts":"1","checksum":99999999999}]})", ParseErrorCode::BadValue},
      {R"({"arg":{"channel":"candle1M","instId":"BTC-USDT"},"data":[]})", ParseErrorCode::UnsupportedInterval},
      {R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"1","px":"1","sz":"1","side":"both","ts":"1"}]})", ParseErrorCode::BadValue},
      {R"({"event":"mystery"})", ParseErrorCode::UnknownMessage},
      {"ping", ParseErrorCode::InvalidJson},
  };
  for (const auto& c : cases) {
    auto r = parser_.parse(c.frame, lookup_, kRecv);
    ASSERT_FALSE(r.ok()) << c.frame;
    EXPECT_EQ(r.error().code, c.code) << c.frame << " gave " << to_string(r.error().code);
  }
}

TEST_F(OkxParseTest, RestBooksSnapshot) {
  InstrumentId id{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  auto b = parser_.parse_books_snapshot(test::read_file(test::fixture("okx/rest_response/http_get_order_book.json")), id, kRecv);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->is_snapshot);
  EXPECT_FALSE(b->seq_id);
  ASSERT_EQ(b->asks.size(), 3u);
  EXPECT_EQ(b->asks[2], (BookLevel{P("41007.0"), Q("2.05842530")}));
  // Non-canonical strings are kept for the checksum: "41007.0", and sizes with trailing zeros.
  ASSERT_EQ(b->ask_texts.size(), 1u);
  EXPECT_EQ(b->ask_texts[0].level, 2u);
  EXPECT_EQ(b->ask_texts[0].price, "41007.0");
  EXPECT_EQ(b->ask_texts[0].size, "2.05842530");
  ASSERT_EQ(b->bid_texts.size(), 3u);
  EXPECT_EQ(b->bid_texts[1].level, 1u);
  EXPECT_EQ(b->bid_texts[1].size, "0.23970000");
  EXPECT_EQ(b->bids[0], (BookLevel{P("41006.7"), Q("0.48792100")}));
  EXPECT_EQ(b->ts_event_ns, ms(1704067200000));
  EXPECT_FALSE(parser_.parse_books_snapshot(R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})", id, kRecv).ok());
}

TEST_F(OkxParseTest, SpotInstruments) {
  auto r = parse_okx_instruments(test::read_file(test::fixture("okx/rest_response/http_get_instruments_spot.json")));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 5u);
  const Instrument& btc = (*r)[0];
  EXPECT_EQ(btc.id.to_string(), "okx:spot:BTC-USD");
  EXPECT_EQ(btc.base.view(), "BTC");
  EXPECT_EQ(btc.quote.view(), "USD");
  EXPECT_EQ(btc.tick_size, P("0.1"));
  EXPECT_EQ(btc.step_size, Q("0.00000001"));
  EXPECT_EQ(btc.min_quantity, Q("0.00001"));
  EXPECT_EQ(btc.max_quantity, Quantity::zero());  // maxLmtSz "9999999999" is beyond the range: no limit
  EXPECT_EQ(btc.contract_multiplier, Quantity::from_units(1));
  EXPECT_EQ((*r)[3].id.symbol.view(), "XRP-USD");
  EXPECT_EQ((*r)[3].min_quantity, Q("1"));
}

TEST_F(OkxParseTest, SwapInstrumentsLinearOnly) {
  auto r = parse_okx_instruments(test::read_file(test::fixture("okx/rest_response/http_get_instruments_swap.json")));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);  // BTC-USD-SWAP is inverse
  const Instrument& eth = (*r)[0];
  EXPECT_EQ(eth.id.to_string(), "okx:linear_perp:ETH-USDT-SWAP");
  EXPECT_EQ(eth.base.view(), "ETH");
  EXPECT_EQ(eth.quote.view(), "USDT");
  EXPECT_EQ(eth.settle.view(), "USDT");
  EXPECT_EQ(eth.tick_size, P("0.01"));
  EXPECT_EQ(eth.step_size, Q("0.01"));
  EXPECT_EQ(eth.min_quantity, Q("0.01"));
  EXPECT_EQ(eth.max_quantity, Q("100000000"));
  EXPECT_EQ(eth.contract_multiplier, Q("0.1"));
  EXPECT_EQ(eth.max_leverage, 100);
  EXPECT_EQ((*r)[1].id.symbol.view(), "BTC-USDT-SWAP");
  EXPECT_EQ((*r)[1].contract_multiplier, Q("0.01"));
  EXPECT_EQ((*r)[1].tick_size, P("0.1"));
}

}  // namespace
}  // namespace tradingd
