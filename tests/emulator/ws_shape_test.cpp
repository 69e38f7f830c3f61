// WebSocket payloads against the captured venue payloads: subscribe through the venue protocol, tick the
// market, and compare the first frame of each stream with its fixture (keys and value kinds at every path).
#include <functional>

#include <gtest/gtest.h>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/okx/service.h"
#include "tests/emulator/shape.h"
#include "tests/support/fixtures.h"

namespace tradingd::emulator {
namespace {
namespace json = boost::json;
using test::fixture_json;
using test::join;
using test::parse;
using test::shape_diff;

constexpr std::int64_t kNow = 1'700'000'000'000;

ServiceOptions options() {
  ServiceOptions o;
  o.market = {11, kNow, 5};
  return o;
}

// Frames from `ticks` ticks after subscribing with `subscribe` (replies included, in order).
std::vector<json::value> frames(VenueService& svc, const std::string& target, const std::string& subscribe, int ticks = 40) {
  auto ws = svc.open_ws(target);
  EXPECT_TRUE(ws) << target;
  std::vector<std::string> out;
  if (!subscribe.empty()) ws->on_text(subscribe, kNow, out);
  for (int i = 1; i <= ticks; ++i) ws->on_tick(svc.tick(kNow + i * 100), out);
  std::vector<json::value> parsed;
  for (const auto& f : out) parsed.push_back(parse(f));
  return parsed;
}

json::value first(const std::vector<json::value>& fs, const std::function<bool(const json::value&)>& pred) {
  for (const auto& f : fs)
    if (pred(f)) return f;
  ADD_FAILURE() << "no matching frame among " << fs.size();
  return nullptr;
}

auto has(const char* key, const char* value) {
  return [key, value](const json::value& v) {
    const auto* o = v.if_object();
    const auto* d = o && o->contains("data") && o->at("data").is_object() ? &o->at("data").get_object() : o;
    return d && d->contains(key) && d->at(key) == value;
  };
}

void expect_shape(const json::value& ours, const std::string& fixture, const std::set<std::string>& allowed = {}) {
  const auto f = fixture_json(fixture);
  ASSERT_FALSE(f.is_null()) << fixture;
  const auto diff = shape_diff(ours, f, allowed);
  EXPECT_TRUE(diff.empty()) << fixture << ":" << join(diff) << "\nours: " << json::serialize(ours).substr(0, 400);
}

TEST(WsShape, BinanceUsdm) {
  TRADINGD_REQUIRE_FIXTURES();
  binance::BinanceService svc(options());
  const auto fs = frames(svc, "/fstream/ws",
                         R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@trade","btcusdt@aggTrade",)"
                         R"("btcusdt@bookTicker","btcusdt@kline_1m","btcusdt@markPrice@1s"],"id":1})",
                         700);  // past a minute boundary: a closed kline too
  EXPECT_EQ(json::serialize(fs.at(0)), R"({"result":null,"id":1})");
  expect_shape(first(fs, has("e", "depthUpdate")), "binance/ws_public/ws_futures_depth_diff_update.json");
  expect_shape(first(fs, has("e", "trade")), "binance/ws_public/usdm_trade_stream.json");
  // "st", "ps": fields of one SDK's sample that the venue's documentation does not list.
  expect_shape(first(fs, has("e", "aggTrade")), "binance/ws_public/usdm_agg_trade_stream.json", {"$.st", "$.nq"});
  expect_shape(first(fs, has("e", "bookTicker")), "binance/ws_public/usdm_book_ticker_stream.json", {"$.st", "$.ps"});
  expect_shape(first(fs, has("e", "markPriceUpdate")), "binance/ws_public/usdm_mark_price_stream.json", {"$.st"});
  const auto closed = first(fs, [](const json::value& v) {
    return v.is_object() && v.as_object().contains("k") && v.at("k").at("x").as_bool();
  });
  expect_shape(closed, "binance/ws_public/usdm_kline_stream_closed.json");
}

TEST(WsShape, BinanceSpotCombined) {
  TRADINGD_REQUIRE_FIXTURES();
  binance::BinanceService svc(options());
  const auto fs = frames(svc, "/stream?streams=ethusdt@trade/ethusdt@aggTrade/ethusdt@bookTicker/ethusdt@depth@100ms", "");
  // The 2021 capture still has the buyer/seller order ids "b"/"a", removed from the trade stream since.
  expect_shape(first(fs, has("e", "trade")), "binance/ws_public/ws_spot_trade.json", {"$.data.b", "$.data.a"});
  // "st" is not in the venue's documentation of the spot aggTrade stream.
  expect_shape(first(fs, has("e", "aggTrade")), "binance/ws_public/ws_spot_agg_trade.json", {"$.data.st"});
  // The spot bookTicker has no event or transaction time (docs); that capture came from another stream.
  expect_shape(first(fs, [](const json::value& v) { return v.at("stream") == "ethusdt@bookTicker"; }),
               "binance/ws_public/ws_spot_ticker_book.json", {"$.data.T", "$.data.E"});
  const auto depth = first(fs, has("e", "depthUpdate"));
  EXPECT_FALSE(depth.at("data").as_object().contains("pu")) << "spot depth has no pu";
}

TEST(WsShape, BinanceControlFrames) {
  binance::BinanceService svc(options());
  auto ws = svc.open_ws("/ws");
  std::vector<std::string> out;
  ws->on_text(R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":"abc"})", kNow, out);
  ws->on_text(R"({"method":"LIST_SUBSCRIPTIONS","id":2})", kNow, out);
  ws->on_text(R"({"method":"SET_PROPERTY","params":["combined",true],"id":3})", kNow, out);
  ws->on_text(R"({"method":"GET_PROPERTY","params":["combined"],"id":4})", kNow, out);
  ws->on_text(R"({"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":5})", kNow, out);
  ws->on_text("not json", kNow, out);
  ws->on_text(R"({"method":"NOPE","id":6})", kNow, out);
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0], R"({"result":null,"id":"abc"})");
  EXPECT_EQ(out[1], R"({"result":["btcusdt@trade"],"id":2})");
  EXPECT_EQ(out[2], R"({"result":null,"id":3})");
  EXPECT_EQ(out[3], R"({"result":true,"id":4})");
  EXPECT_EQ(out[4], R"({"result":null,"id":5})");
  EXPECT_EQ(parse(out[5]).at("error").at("code"), 3);
  EXPECT_EQ(parse(out[6]).at("error").at("code"), 2);
  EXPECT_EQ(svc.open_ws("/nope"), nullptr);
  // A USD-M stream on the wrong routed path is acknowledged but silent.
  const auto silent = frames(svc, "/public/ws", R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1})");
  EXPECT_EQ(silent.size(), 1u);
  const auto routed = frames(svc, "/market/ws", R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1})");
  EXPECT_GT(routed.size(), 1u);
}

TEST(WsShape, Bybit) {
  TRADINGD_REQUIRE_FIXTURES();
  bybit::BybitService svc(options());
  auto fs = frames(svc, "/v5/public/linear",
                   R"({"req_id":"sub-1","op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT","tickers.BTCUSDT","kline.1.BTCUSDT"]})",
                   700);
  expect_shape(fs.at(0), "bybit/ws_public/ws_subscription_ack.json");
  // cts (matching-engine time) is documented and sent by the venue; the sample omits it.
  auto book = [](const char* type) {
    return [type](const json::value& v) { return v.as_object().contains("topic") && v.at("topic") == "orderbook.50.BTCUSDT" && v.at("type") == type; };
  };
  expect_shape(first(fs, book("snapshot")), "bybit/ws_public/ws_orderbook_snapshot.json", {"$.cts"});
  expect_shape(first(fs, book("delta")), "bybit/ws_public/ws_orderbook_delta.json", {"$.cts"});
  // L (tick direction) is documented for linear trades.
  expect_shape(first(fs, [](const json::value& v) { return v.as_object().contains("topic") && v.at("topic") == "publicTrade.BTCUSDT"; }),
               "bybit/ws_public/ws_public_trade.json", {"$.data[].L"});
  expect_shape(first(fs, [](const json::value& v) { return v.as_object().contains("topic") && v.at("topic") == "tickers.BTCUSDT"; }),
               "bybit/ws_public/ws_ticker_linear.json");
  expect_shape(first(fs, [](const json::value& v) { return v.as_object().contains("topic") && v.at("topic") == "kline.1.BTCUSDT"; }),
               "bybit/ws_public/ws_kline.json");
  fs = frames(svc, "/v5/public/spot", R"({"op":"subscribe","args":["orderbook.1.NOPE"]})", 0);
  expect_shape(fs.at(0), "bybit/ws_public/ws_subscription_failure.json");
  EXPECT_EQ(fs.at(0).at("success"), false);
}

TEST(WsShape, BybitPing) {
  bybit::BybitService svc(options());
  std::vector<std::string> out;
  svc.open_ws("/v5/public/spot")->on_text(R"({"op":"ping"})", kNow, out);
  svc.open_ws("/v5/public/linear")->on_text(R"({"op":"ping","req_id":"7"})", kNow, out);
  ASSERT_EQ(out.size(), 2u);
  const auto spot = parse(out[0]), linear = parse(out[1]);
  EXPECT_EQ(spot.at("ret_msg"), "pong");
  EXPECT_FALSE(spot.as_object().contains("req_id"));
  EXPECT_EQ(linear.at("req_id"), "7");
  EXPECT_EQ(linear.at("op"), "ping");
}

TEST(WsShape, Okx) {
  TRADINGD_REQUIRE_FIXTURES();
  okx::OkxService svc(options());
  auto fs = frames(svc, "/ws/v5/public",
                   R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"BTC-USDT"},)"
                   R"({"channel":"trades","instId":"BTC-USDT"},{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},)"
                   R"({"channel":"tickers","instId":"BTC-USDT"},{"channel":"mark-price","instId":"BTC-USDT-SWAP"}]})");
  EXPECT_EQ(fs.at(0).at("event"), "subscribe");
  EXPECT_TRUE(fs.at(0).as_object().contains("connId"));
  auto channel = [](const char* c) {
    return [c](const json::value& v) { return v.as_object().contains("arg") && v.at("arg").at("channel") == c && !v.as_object().contains("event"); };
  };
  auto action = [](const char* a) {
    return [a](const json::value& v) { return v.as_object().contains("action") && v.at("action") == a; };
  };
  expect_shape(first(fs, action("snapshot")), "okx/ws_public/ws_books_snapshot.json");
  expect_shape(first(fs, action("update")), "okx/ws_public/ws_books_update.json");
  expect_shape(first(fs, channel("bbo-tbt")), "okx/ws_public/ws_bbo_tbt.json");
  // seqId: documented for the trades channel; the sample predates it.
  expect_shape(first(fs, channel("trades")), "okx/ws_public/ws_trades.json", {"$.data[].seqId"});
  expect_shape(first(fs, channel("funding-rate")), "okx/ws_public/ws_funding_rate.json");
  expect_shape(first(fs, channel("tickers")), "okx/ws_public/ws_tickers.json");
  const auto mark = first(fs, channel("mark-price"));
  const auto mark_diff = shape_diff(mark.at("data"), fixture_json("okx/rest_response/http_get_mark_price.json").at("data"), {});
  EXPECT_TRUE(mark_diff.empty()) << join(mark_diff);
  fs = frames(svc, "/ws/v5/business", R"({"op":"subscribe","args":[{"channel":"candle1m","instId":"ETH-USDT"}]})");
  expect_shape(first(fs, channel("candle1m")), "okx/ws_public/ws_candle.json");
}

TEST(WsShape, OkxErrorsAndPing) {
  okx::OkxService svc(options());
  std::vector<std::string> out;
  auto pub = svc.open_ws("/ws/v5/public");
  pub->on_text("ping", kNow, out);
  pub->on_text(R"({"op":"subscribe","args":[{"channel":"candle1m","instId":"BTC-USDT"}]})", kNow, out);
  pub->on_text(R"({"id":"9","op":"subscribe","args":[{"channel":"books","instId":"NOPE-USDT"}]})", kNow, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], "pong");
  EXPECT_EQ(parse(out[1]).at("code"), "60018") << "candles live on /business";
  EXPECT_EQ(parse(out[2]).at("id"), "9");
  EXPECT_EQ(pub->heartbeat().idle_timeout_ms, 30'000);
  EXPECT_EQ(pub->heartbeat().idle_close_code, 4004);
}

}  // namespace
}  // namespace tradingd::emulator
