// The venues' stream layouts and wire frames (pure): which connection and topic carry each channel
// (Binance USD-M routed paths, Bybit orderbook.1 for quotes, OKX candles on business), combined-stream
// targets, subscribe/unsubscribe frames and their batching, endpoint resolution from the configuration,
// and the small REST/recording helpers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "exchange/binance/market_data_client.h"
#include "exchange/binance/rest_client.h"
#include "exchange/binance/urls.h"
#include "exchange/okx/urls.h"
#include "exchange/bybit/urls.h"
#include "exchange/bybit/market_data_client.h"
#include "exchange/bybit/rest_client.h"
#include "exchange/net/frame_recorder.h"
#include "exchange/net/instrument_cache.h"
#include "exchange/net/rest_util.h"
#include "exchange/okx/market_data_client.h"
#include "exchange/okx/rest_client.h"

namespace tradingd {
namespace {

InstrumentId id(Venue v, MarketKind k, std::string_view s) { return InstrumentId{v, k, Symbol::from(s)}; }

std::vector<std::string> names(const std::vector<net::FeedTopic>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(std::to_string(t.connection) + ":" + t.topic + (t.is_book ? ":book" : ""));
  return out;
}

constexpr std::uint32_t kAll = kTrades | kQuotes | kBook | kBars1m | kMarkPrice | kFunding;

TEST(BinanceFeed, SpotStreamsOnTheSpotConnection) {
  EXPECT_EQ(names(binance::stream_topics(id(Venue::Binance, MarketKind::Spot, "BTCUSDT"), kAll)),
            (std::vector<std::string>{"0:btcusdt@trade", "0:btcusdt@bookTicker", "0:btcusdt@depth@100ms:book",
                                      "0:btcusdt@kline_1m"}));
}

TEST(BinanceFeed, UsdmStreamsOnTheirRoutedPaths) {
  // /public: depth and bookTicker; /market: aggTrade, kline, markPrice (mark price and funding in one).
  EXPECT_EQ(names(binance::stream_topics(id(Venue::Binance, MarketKind::LinearPerp, "ETHUSDT"), kAll)),
            (std::vector<std::string>{"2:ethusdt@aggTrade", "1:ethusdt@bookTicker", "1:ethusdt@depth@100ms:book",
                                      "2:ethusdt@kline_1m", "2:ethusdt@markPrice@1s"}));
}

TEST(BinanceFeed, CombinedTargetAndSubscribeFrames) {
  const std::vector<std::string> s{"btcusdt@trade", "btcusdt@depth@100ms"};
  EXPECT_EQ(binance::combined_stream_target("/", s), "/stream?streams=btcusdt@trade/btcusdt@depth@100ms");
  EXPECT_EQ(binance::combined_stream_target("/public", s), "/public/stream?streams=btcusdt@trade/btcusdt@depth@100ms");
  EXPECT_EQ(binance::subscription_frame(s, true, 7),
            R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@depth@100ms"],"id":7})");
  EXPECT_EQ(binance::subscription_frame(std::span(s).first(1), false, 8),
            R"({"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":8})");
  EXPECT_EQ(binance::depth_snapshot_target(id(Venue::Binance, MarketKind::Spot, "BTCUSDT"), 1000),
            "/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(binance::depth_snapshot_target(id(Venue::Binance, MarketKind::LinearPerp, "BTCUSDT"), 1000),
            "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
}

TEST(BinanceFeed, SpecConnectionsRotateBefore24Hours) {
  auto spec = binance::BinanceFeedSpec::create(binance::market_data_endpoints(config::VenueConfig{}));
  ASSERT_TRUE(spec.ok()) << spec.error();
  const auto& c = (*spec)->connections();
  ASSERT_EQ(c.size(), 3u);
  for (const auto& conn : c) {
    EXPECT_TRUE(conn.topics_in_url);
    EXPECT_GT(conn.max_connection_age_ms, 23 * 3'600'000);
    EXPECT_LT(conn.max_connection_age_ms, 24 * 3'600'000);
    EXPECT_EQ(conn.heartbeat.frame, net::PingFrame::Control);
  }
  EXPECT_EQ(c[1].url.target, "/public");
  EXPECT_EQ(c[2].url.target, "/market");
  EXPECT_TRUE((*spec)->resync_by_snapshot());
  const std::vector<std::string> t{"btcusdt@depth@100ms"};
  EXPECT_EQ((*spec)->target(1, t), "/public/stream?streams=btcusdt@depth@100ms");
}

TEST(BinanceFeed, EndpointsPerEnvironmentAndOverrides) {
  config::VenueConfig v;
  auto e = binance::market_data_endpoints(v);
  // Defaults are the documented sets in exchange/binance/urls.h (hosts and sources live there, not here).
  EXPECT_EQ(e.spot_rest, binance::kSpotProduction.rest);
  EXPECT_EQ(e.usdm_ws_public, binance::kUsdmProduction.ws_public);
  EXPECT_EQ(e.usdm_ws_market, binance::kUsdmProduction.ws_market);
  v.environment = config::VenueEnvironment::Testnet;
  EXPECT_EQ(binance::market_data_endpoints(v).spot_rest, binance::kSpotTestnet.rest);
  EXPECT_NE(binance::kSpotTestnet.rest, binance::kSpotProduction.rest);
  // The emulator: one root for everything; USD-M streams on its routed paths.
  v.rest_url = "https://127.0.0.1:8443";
  v.ws_url = "wss://127.0.0.1:8443/";
  e = binance::market_data_endpoints(v);
  EXPECT_EQ(e.spot_rest, "https://127.0.0.1:8443");
  EXPECT_EQ(e.usdm_rest, "https://127.0.0.1:8443");
  EXPECT_EQ(e.spot_ws, "wss://127.0.0.1:8443/");
  EXPECT_EQ(e.usdm_ws_public, "wss://127.0.0.1:8443/public");
  EXPECT_EQ(e.usdm_ws_market, "wss://127.0.0.1:8443/market");
  v.futures_ws_url = "wss://127.0.0.1:9443";
  EXPECT_EQ(binance::market_data_endpoints(v).usdm_ws_market, "wss://127.0.0.1:9443/market");
}

TEST(BybitFeed, TopicsPerChannelAndMarket) {
  EXPECT_EQ(names(bybit::topics_for(id(Venue::Bybit, MarketKind::Spot, "BTCUSDT"), kAll, 50)),
            (std::vector<std::string>{"0:publicTrade.BTCUSDT", "0:orderbook.1.BTCUSDT", "0:orderbook.50.BTCUSDT:book",
                                      "0:kline.1.BTCUSDT"}));
  EXPECT_EQ(names(bybit::topics_for(id(Venue::Bybit, MarketKind::LinearPerp, "ETHUSDT"), kBook | kMarkPrice, 100)),
            (std::vector<std::string>{"1:orderbook.200.ETHUSDT:book", "1:tickers.ETHUSDT"}));
  EXPECT_EQ(bybit::orderbook_depth(1), 1u);
  EXPECT_EQ(bybit::orderbook_depth(50), 50u);
  EXPECT_EQ(bybit::orderbook_depth(51), 200u);
  EXPECT_EQ(bybit::orderbook_depth(5000), 1000u);
}

TEST(BybitFeed, SubscribeFramesCarryAtMostTenArgs) {
  std::vector<std::string> topics;
  for (int i = 0; i < 23; ++i) topics.push_back("publicTrade.S" + std::to_string(i));
  std::uint64_t next = 5;
  const auto frames = bybit::subscription_frames(topics, true, next);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(next, 8u);
  EXPECT_EQ(frames[0].rfind(R"({"req_id":"5","op":"subscribe","args":["publicTrade.S0",)", 0), 0u) << frames[0];
  EXPECT_EQ(std::count(frames[0].begin(), frames[0].end(), ','), 2 + 9);
  EXPECT_EQ(frames[2], R"({"req_id":"7","op":"subscribe","args":["publicTrade.S20","publicTrade.S21","publicTrade.S22"]})");
  const std::vector<std::string> one{"orderbook.50.BTCUSDT"};
  EXPECT_EQ(bybit::subscription_frames(one, false, next)[0],
            R"({"req_id":"8","op":"unsubscribe","args":["orderbook.50.BTCUSDT"]})");
}

TEST(BybitFeed, EndpointsAndRestTargets) {
  config::VenueConfig v;
  auto e = bybit::market_data_endpoints(v);
  EXPECT_EQ(e.ws_spot, bybit::kProduction.ws_public_spot);  // the documented set in exchange/bybit/urls.h
  v.environment = config::VenueEnvironment::Demo;  // demo: mainnet public streams
  EXPECT_EQ(bybit::market_data_endpoints(v).ws_linear, bybit::kDemo.ws_public_linear);
  EXPECT_EQ(bybit::kDemo.ws_public_linear, bybit::kProduction.ws_public_linear);
  EXPECT_EQ(bybit::market_data_endpoints(v).rest, "https://api-demo.bybit.com");
  v.ws_url = "wss://127.0.0.1:9000";
  EXPECT_EQ(bybit::market_data_endpoints(v).ws_linear, "wss://127.0.0.1:9000/v5/public/linear");
  EXPECT_EQ(bybit::instruments_target(MarketKind::LinearPerp, ""), "/v5/market/instruments-info?category=linear&limit=1000");
  EXPECT_EQ(bybit::instruments_target(MarketKind::Spot, "a b=c"),
            "/v5/market/instruments-info?category=spot&limit=1000&cursor=a%20b%3Dc");
  EXPECT_EQ(bybit::orderbook_target(id(Venue::Bybit, MarketKind::Spot, "BTCUSDT"), 50),
            "/v5/market/orderbook?category=spot&symbol=BTCUSDT&limit=50");
}

TEST(OkxFeed, ChannelsPerConnection) {
  EXPECT_EQ(names(okx::topics_for(id(Venue::Okx, MarketKind::LinearPerp, "BTC-USDT-SWAP"), kAll)),
            (std::vector<std::string>{R"(0:{"channel":"trades","instId":"BTC-USDT-SWAP"})",
                                      R"(0:{"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"})",
                                      R"(0:{"channel":"books","instId":"BTC-USDT-SWAP"}:book)",
                                      R"(1:{"channel":"candle1m","instId":"BTC-USDT-SWAP"})",
                                      R"(0:{"channel":"mark-price","instId":"BTC-USDT-SWAP"})",
                                      R"(0:{"channel":"funding-rate","instId":"BTC-USDT-SWAP"})"}));
  // Spot has no mark price or funding rate.
  EXPECT_EQ(okx::topics_for(id(Venue::Okx, MarketKind::Spot, "BTC-USDT"), kMarkPrice | kFunding).size(), 0u);
}

TEST(OkxFeed, SubscribeFrames) {
  const std::vector<std::string> args{okx::channel_arg("books", "BTC-USDT"), okx::channel_arg("trades", "BTC-USDT")};
  std::uint64_t next = 1;
  EXPECT_EQ(okx::subscription_frames(args, true, next)[0],
            R"({"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT"}]})");
  EXPECT_EQ(okx::subscription_frames(std::span(args).first(1), false, next)[0],
            R"({"id":"2","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
}

TEST(OkxFeed, EndpointsAndRestTargets) {
  config::VenueConfig v;
  auto e = okx::market_data_endpoints(v);
  EXPECT_EQ(e.ws_business, okx::kProduction.ws_business);  // the documented set in exchange/okx/urls.h
  EXPECT_FALSE(e.simulated_trading);
  v.environment = config::VenueEnvironment::Demo;
  e = okx::market_data_endpoints(v);
  EXPECT_EQ(e.ws_public, "wss://wspap.okx.com:8443/ws/v5/public");
  EXPECT_TRUE(e.simulated_trading);
  v.ws_url = "wss://127.0.0.1:7000";
  EXPECT_EQ(okx::market_data_endpoints(v).ws_business, "wss://127.0.0.1:7000/ws/v5/business");
  EXPECT_EQ(okx::instruments_target(MarketKind::LinearPerp), "/api/v5/public/instruments?instType=SWAP");
  EXPECT_EQ(okx::books_target(id(Venue::Okx, MarketKind::Spot, "BTC-USDT"), 400), "/api/v5/market/books?instId=BTC-USDT&sz=400");
}

std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("tradingd-net-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

TEST(InstrumentCache, RoundTripKeepsPagesByteForByte) {
  const auto dir = temp_dir("cache");
  const auto file = net::instrument_cache_path(dir, "bybit", "linear_perp");
  EXPECT_EQ(file.filename(), "bybit-linear_perp.instruments");
  const std::vector<std::string> pages{"{\"a\":1}", "{\n  \"b\": \"page 2\\n\"\n}\n", ""};
  ASSERT_TRUE(net::write_instrument_cache(file, pages).ok());
  auto back = net::read_instrument_cache(file);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, pages);
  EXPECT_FALSE(net::read_instrument_cache(dir / "missing").ok());
  {
    std::ofstream(file, std::ios::trunc) << "tradingd-instrument-cache 1\npage 100\nshort\n";
  }
  EXPECT_FALSE(net::read_instrument_cache(file).ok());
  std::filesystem::remove_all(dir);
}

TEST(FrameRecorder, OneFramePerLineExactlyAsReceived) {
  const auto dir = temp_dir("rec");
  const auto path = net::recording_path(dir, "binance", "spot", 1'700'000'000'000'000'000, ".jsonl");
  EXPECT_EQ(path.filename(), "binance-spot-20231114T221320Z.jsonl");
  {
    net::FrameRecorder r(path);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_TRUE(r.write(R"({"stream":"btcusdt@trade","data":{"p":"1"}})"));
    EXPECT_TRUE(r.write("{\n \"pretty\": true\r\n}"));
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "{\"stream\":\"btcusdt@trade\",\"data\":{\"p\":\"1\"}}\n{  \"pretty\": true  }\n");
  net::FrameRecorder bad("/proc/tradingd-cannot-write/x.jsonl");
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(bad.write("x"));
  std::filesystem::remove_all(dir);
}

TEST(RetryAfterGate, HonoursRetryAfterAnd418) {
  net::RetryAfterGate g;
  net::HttpResponse r;
  r.status = 200;
  g.on_response(r, 1'000);
  EXPECT_FALSE(g.blocked(1'000));
  r.status = 429;
  r.headers.push_back({"Retry-After", "3"});
  g.on_response(r, 1'000);
  EXPECT_TRUE(g.blocked(3'999));
  EXPECT_FALSE(g.blocked(4'000));
  net::HttpResponse ban;
  ban.status = 418;  // an IP ban without a header: wait a full minute, never hammer
  g.on_response(ban, 10'000);
  EXPECT_TRUE(g.blocked(69'999));
}

}  // namespace
}  // namespace tradingd
