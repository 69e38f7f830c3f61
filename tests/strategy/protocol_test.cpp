// The JSON-lines codec: exact encodings, round trips, exact decimals from JSON numbers, and every error.
#include <gtest/gtest.h>

#include "strategy/protocol.h"
#include "tests/strategy/fake_context.h"

namespace tradingd::protocol {
namespace {

SignalBody full_body() {
  SignalBody b;
  b.venue = Venue::Okx;
  b.symbol = Symbol::from("BTC-USDT-SWAP");
  b.market = MarketKind::LinearPerp;
  b.side = Side::Sell;
  b.type = OrderType::StopLimit;
  b.quantity = Quantity::from_string("0.000000001");
  b.price = Price::from_string("50000.5");
  b.stop_price = Price::from_string("50001");
  b.time_in_force = TimeInForce::Ioc;
  b.reduce_only = true;
  b.stop_loss = Price::from_string("51000");
  b.take_profit = Price::from_string("49000.123456789");
  b.strategy_id = StrategyId::from("py");
  b.tag = OrderTag::from("a \"quoted\" tag");
  return b;
}

Error error_of(std::string_view line) {
  auto r = decode_strategy_line(line);
  EXPECT_FALSE(r) << line;
  return r ? Error{} : r.error();
}

TEST(Protocol, SignalRoundTrip) {
  for (const auto& body : {full_body(), SignalBody{}}) {
    const std::string line = encode_signal(body);
    auto r = decode_strategy_line(line);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(std::get<SignalMessage>(*r).body, body) << line;
  }
}

TEST(Protocol, SignalEncoding) {
  SignalBody b;
  b.symbol = Symbol::from("BTCUSDT");
  b.quantity = Quantity::from_string("0.01");
  EXPECT_EQ(encode_signal(b),
            R"({"type":"signal","signal":{"venue":"binance","symbol":"BTCUSDT","market":null,"side":"buy","type":"market",)"
            R"("quantity":"0.01","notional":null,"price":null,"stop_price":null,"time_in_force":"gtc","reduce_only":false,)"
            R"("stop_loss":null,"take_profit":null,"strategy_id":"","tag":""}})");
}

TEST(Protocol, ApiExampleDecodes) {
  auto r = decode_signal_body(
      R"({"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"limit","quantity":"0.01","price":"50000",)"
      R"("time_in_force":"gtc","reduce_only":false,"stop_loss":null,"take_profit":null,"strategy_id":"manual","tag":""})");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->type, OrderType::Limit);
  EXPECT_EQ(r->price, Price::from_string("50000"));
  EXPECT_EQ(r->strategy_id.view(), "manual");
  EXPECT_FALSE(r->market);
}

TEST(Protocol, NumbersAreReadFromTheirText) {
  auto r = decode_strategy_line(
      R"({"signal":{"venue":"bybit","symbol":"ETHUSDT","side":"buy","type":"limit","quantity":0.1,"price":3000.000000001,"stop_loss":2.5E3},"type":"signal"})");
  ASSERT_TRUE(r) << r.error().message();
  const auto& b = std::get<SignalMessage>(*r).body;
  EXPECT_EQ(b.quantity->raw(), 100'000'000);  // exactly 0.1, not 0.1000000000000000055
  EXPECT_EQ(b.price, Price::from_string("3000.000000001"));
  EXPECT_EQ(b.stop_loss, Price::from_string("2500"));
}

TEST(Protocol, LogAndDone) {
  const std::string line = encode_log(StrategyLogLevel::Warn, "line\nbreak \"q\" \x01");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto r = decode_strategy_line(line);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(std::get<LogMessage>(*r), (LogMessage{StrategyLogLevel::Warn, "line\nbreak \"q\" \x01"}));
  auto d = decode_strategy_line(encode_done() + "\r");
  ASSERT_TRUE(d);
  EXPECT_TRUE(std::holds_alternative<DoneMessage>(*d));
  auto l = decode_strategy_line(R"({"type":"log","message":"hi"})");
  ASSERT_TRUE(l);
  EXPECT_EQ(std::get<LogMessage>(*l).level, StrategyLogLevel::Info);
}

TEST(Protocol, DaemonLines) {
  const auto id = test::make_instrument().id;
  Bar bar = test::make_bar(id, 2, "42000.5");
  bar.volume = Quantity::from_string("12.25");
  EXPECT_EQ(encode_bar(bar),
            R"({"type":"bar","venue":"binance","symbol":"BTCUSDT","market":"spot","interval_s":60,"ts_open_ns":120000000000,)"
            R"("open":"42000.5","high":"42000.5","low":"42000.5","close":"42000.5","volume":"12.25"})");
  EXPECT_EQ(encode_position(id, Quantity::from_string("-0.5")),
            R"({"type":"position","venue":"binance","symbol":"BTCUSDT","market":"spot","quantity":"-0.5"})");
  EXPECT_EQ(encode_start(StrategyId::from("ma"), TradingMode::Backtest, std::vector{id}, {{"fast", "5"}}),
            R"({"type":"start","strategy_id":"ma","mode":"backtest","instruments":[{"venue":"binance","symbol":"BTCUSDT","market":"spot"}],"params":{"fast":"5"}})");
  EXPECT_EQ(encode_stop(), R"({"type":"stop"})");
  TradeTick t;
  t.instrument = id;
  t.price = Price::from_string("1.5");
  t.size = Quantity::from_string("2");
  t.aggressor = Side::Sell;
  t.trade_id = TradeId::from("t1");
  t.ts_event_ns = 7;
  EXPECT_EQ(encode_trade(t),
            R"({"type":"trade","venue":"binance","symbol":"BTCUSDT","market":"spot","price":"1.5","size":"2","aggressor":"sell","trade_id":"t1","ts_event_ns":7})");
}

TEST(Protocol, FillLine) {
  OrderSpec spec;
  spec.instrument = test::make_instrument().id;
  spec.side = Side::Buy;
  spec.quantity = Quantity::from_string("1");
  spec.tag = OrderTag::from("ma_cross");
  Order order(9, ClientOrderId::from("c9"), spec, 0);
  Fill f;
  f.trade_id = TradeId::from("x1");
  f.quantity = Quantity::from_string("1");
  f.price = Price::from_string("100");
  f.fee = Money::from_string("0.1");
  f.fee_asset = Asset::from("USDT");
  f.ts_event_ns = 5;
  EXPECT_EQ(encode_fill(order, f),
            R"({"type":"fill","venue":"binance","symbol":"BTCUSDT","market":"spot","order_id":9,"client_order_id":"c9",)"
            R"("side":"buy","price":"100","quantity":"1","fee":"0.1","fee_asset":"USDT","liquidity":"taker","trade_id":"x1",)"
            R"("tag":"ma_cross","ts_event_ns":5})");
}

TEST(Protocol, WholeLineErrors) {
  EXPECT_EQ(error_of(std::string(kMaxLineBytes + 1, ' ') + "x").code, ErrorCode::LineTooLong);
  EXPECT_EQ(error_of("{\"type\":").code, ErrorCode::InvalidJson);
  EXPECT_EQ(error_of("").code, ErrorCode::InvalidJson);
  EXPECT_EQ(error_of("[1]").code, ErrorCode::NotAnObject);
  EXPECT_EQ(error_of("null").code, ErrorCode::NotAnObject);
  EXPECT_EQ(error_of("nope").message(), "invalid_json: not JSON");
  EXPECT_EQ(error_of(R"({"type":"done"} x)").code, ErrorCode::InvalidJson);
  EXPECT_EQ(error_of("{}").message(), "type: missing_field: required");
  EXPECT_EQ(error_of(R"({"type":7})").message(), "type: wrong_type: expected a string, got a number");
  EXPECT_EQ(error_of(R"({"type":"order"})").message(),
            "type: unknown_message_type: expected signal, log or done, got \"order\"");
}

TEST(Protocol, SignalErrorsNameTheField) {
  const auto sig = [](std::string_view fields) {
    return error_of(R"({"type":"signal","signal":{)" + std::string(fields) + "}}").message();
  };
  const std::string base = R"("venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market")";
  EXPECT_EQ(error_of(R"({"type":"signal"})").message(), "signal: missing_field: required");
  EXPECT_EQ(error_of(R"({"type":"signal","signal":[]})").message(), "signal: wrong_type: expected an object");
  EXPECT_EQ(error_of(R"({"type":"signal","extra":1,"signal":{}})").message(),
            "extra: unknown_field: not a field of a signal line");
  EXPECT_EQ(sig(R"("symbol":"BTCUSDT","side":"buy","type":"market")"), "signal.venue: missing_field: required");
  EXPECT_EQ(sig(base + R"(,"qty":"1")"), "signal.qty: unknown_field: not a signal field");
  EXPECT_EQ(sig(base + R"(,"side":"sell")"), "signal.side: duplicate_field: given twice");
  EXPECT_EQ(sig(base + R"(,"quantity":true)"),
            "signal.quantity: wrong_type: expected a decimal string or number, got a boolean");
  EXPECT_EQ(sig(base + R"(,"quantity":"1.2.3")"),
            "signal.quantity: invalid_value: expected a decimal, got \"1.2.3\" (not a decimal number)");
  EXPECT_EQ(sig(base + R"(,"price":0.0000000001)"),
            "signal.price: invalid_value: expected a decimal, got \"0.0000000001\" (more than 9 decimal places)");
  EXPECT_EQ(sig(R"("venue":"kraken","symbol":"BTCUSDT","side":"buy","type":"market")"),
            "signal.venue: invalid_value: expected binance, bybit, okx or simulated, got \"kraken\"");
  EXPECT_EQ(sig(R"("venue":"binance","symbol":"BTCUSDT","side":"long","type":"market")"),
            "signal.side: invalid_value: expected buy or sell, got \"long\"");
  EXPECT_EQ(sig(base + R"(,"time_in_force":"day")"),
            "signal.time_in_force: invalid_value: expected gtc, ioc, fok or post_only, got \"day\"");
  EXPECT_EQ(sig(base + R"(,"reduce_only":"yes")"), "signal.reduce_only: wrong_type: expected true or false, got a string");
  EXPECT_EQ(sig(base + R"(,"tag":")" + std::string(40, 'x') + "\""), "signal.tag: invalid_value: longer than 31 characters");
  EXPECT_EQ(error_of(R"({"type":"log","message":"x","level":"trace"})").message(),
            "level: invalid_value: expected debug, info, warn or error, got \"trace\"");
  EXPECT_EQ(error_of(R"({"type":"log"})").message(), "message: missing_field: required");
  EXPECT_EQ(error_of(R"({"type":"log","message":"x","at":1})").message(), "at: unknown_field: not a field of a log line");
  EXPECT_EQ(error_of(R"({"type":"done","n":1})").message(), "n: unknown_field: not a field of a done line");
}

TEST(Protocol, ToSignalResolvesTheInstrument) {
  const auto spot = test::make_instrument().id;
  InstrumentId perp = spot;
  perp.kind = MarketKind::LinearPerp;
  SignalBody b;
  b.symbol = Symbol::from("BTCUSDT");
  b.quantity = Quantity::from_string("1");
  auto one = to_signal(b, std::vector{spot});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->instrument, spot);
  EXPECT_EQ(one->quantity, Quantity::from_string("1"));

  EXPECT_EQ(to_signal(b, std::vector{spot, perp}).error().message(),
            "signal.market: unknown_instrument: ambiguous: give spot or linear_perp");
  b.market = MarketKind::LinearPerp;
  EXPECT_EQ(to_signal(b, std::vector{spot, perp})->instrument, perp);
  b.symbol = Symbol::from("ETHUSDT");
  EXPECT_EQ(to_signal(b, std::vector{spot}).error().message(),
            "signal.symbol: unknown_instrument: binance ETHUSDT is not one of the strategy's instruments");

  Signal s = *one;
  s.limit_price = Price::from_string("5");
  EXPECT_EQ(to_signal(from_signal(s), std::vector{spot})->limit_price, s.limit_price);
}

}  // namespace
}  // namespace tradingd::protocol
