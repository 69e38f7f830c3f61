// The venue market-data clients end to end against loopback venue servers (TLS, generated CA): instruments
// from REST (a missing one reported, the disk cache used when REST fails), subscriptions in the URL
// (Binance) or in subscribe frames (Bybit, OKX), books synchronised from the REST snapshot or the stream's
// snapshot, gaps resynced (snapshot refetch / resubscribe), FeedStatus transitions (Connecting, Live,
// Resyncing, Stale, Disconnected), reconnect with the same subscriptions, venue notices rotating the
// connection, malformed frames survived, raw frames recorded in the replay format.
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "core/clock.h"
#include "exchange/binance/market_data_client.h"
#include "exchange/bybit/market_data_client.h"
#include "exchange/okx/market_data_client.h"
#include "exchange/replay.h"
#include "tests/exchange/net/net_test_util.h"

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;

struct RecordingSink final : MarketDataSink {
  std::vector<TradeTick> trades;
  int books = 0;
  std::map<std::string, std::vector<FeedStatus>> statuses;
  void on_trade(const TradeTick& t) override { trades.push_back(t); }
  void on_book(const BookUpdate&) override { ++books; }
  void on_feed_status(const InstrumentId& id, FeedStatus s, UnixNanos) override { statuses[id.to_string()].push_back(s); }
  std::optional<FeedStatus> last(const InstrumentId& id) const {
    auto it = statuses.find(id.to_string());
    if (it == statuses.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  bool saw(const InstrumentId& id, FeedStatus s) const {
    auto it = statuses.find(id.to_string());
    return it != statuses.end() && std::find(it->second.begin(), it->second.end(), s) != it->second.end();
  }
};

std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("tradingd-feed-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

net::FeedClientOptions fast_options(const std::filesystem::path& dir) {
  net::FeedClientOptions o;
  o.stale_after_ms = 400;
  o.tick_ms = 20;
  o.reconnect_tick_ms = 20;
  o.reconnect.initial_ms = 20;
  o.reconnect.max_ms = 80;
  o.reconnect.min_ms = 10;
  o.ws = fast_ws_options();
  o.instrument_cache_dir = (dir / "instruments").string();
  o.record_dir = (dir / "record").string();
  o.resubscribe_timeout_ms = 2'000;
  return o;
}

HttpReply json(std::string body) { return HttpReply{200, {{"Content-Type", "application/json"}}, std::move(body)}; }

std::int64_t now_ms() { return RealClock{}.now_ns() / kNanosPerMilli; }

// ---- Binance ------------------------------------------------------------------------------------------

constexpr std::string_view kBinanceExchangeInfo = R"({"timezone":"UTC","symbols":[
 {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
   {"filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"1000000.00","tickSize":"0.01"},
   {"filterType":"LOT_SIZE","minQty":"0.00001","maxQty":"9000.00000000","stepSize":"0.00001"},
   {"filterType":"NOTIONAL","minNotional":"5.00000000"}]},
 {"symbol":"ETHUSDT","status":"TRADING","baseAsset":"ETH","quoteAsset":"USDT","filters":[
   {"filterType":"PRICE_FILTER","tickSize":"0.01"},{"filterType":"LOT_SIZE","minQty":"0.0001","maxQty":"9000","stepSize":"0.0001"}]}]})";

std::string binance_diff(std::uint64_t first, std::uint64_t last, std::string_view bid_size) {
  return R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":)" + std::to_string(now_ms()) +
         R"(,"s":"BTCUSDT","U":)" + std::to_string(first) + R"(,"u":)" + std::to_string(last) +
         R"(,"b":[["100.00",")" + std::string(bid_size) + R"("]],"a":[]}})";
}

std::string binance_trade(int id) {
  return R"({"stream":"btcusdt@trade","data":{"e":"trade","E":)" + std::to_string(now_ms()) + R"(,"s":"BTCUSDT","t":)" +
         std::to_string(id) + R"(,"p":"100.50","q":"0.10000","T":)" + std::to_string(now_ms()) + R"(,"m":true,"M":true}})";
}

struct BinanceVenue {
  boost::asio::io_context& io;
  std::vector<std::uint64_t> snapshot_ids;
  std::size_t snapshot_calls = 0;
  bool rest_down = false;
  TestHttpServer http;
  TestWsServer ws;

  explicit BinanceVenue(boost::asio::io_context& ctx, std::vector<std::uint64_t> ids = {100})
      : io(ctx),
        snapshot_ids(std::move(ids)),
        http(ctx, shared_test_pki().good, [this](const HttpRecord& r) { return rest(r); }),
        ws(ctx, WsServerOptions{shared_test_pki().good, WsServerMode::Normal, false, {}}) {}

  HttpReply rest(const HttpRecord& r) {
    if (rest_down) return HttpReply{503, {}, "down"};
    if (r.target == "/api/v3/exchangeInfo") return json(std::string(kBinanceExchangeInfo));
    if (r.target.rfind("/api/v3/depth?symbol=BTCUSDT", 0) == 0) {
      const auto id = snapshot_ids[std::min(snapshot_calls++, snapshot_ids.size() - 1)];
      return json(R"({"lastUpdateId":)" + std::to_string(id) + R"(,"bids":[["100.00","1.0"],["99.00","3.0"]],"asks":[["101.00","1.5"]]})");
    }
    return HttpReply{404, {}, R"({"code":-1,"msg":"not found"})"};
  }

  binance::MarketDataEndpoints endpoints() const {
    binance::MarketDataEndpoints e;
    e.spot_rest = http.url();
    e.usdm_rest = http.url();
    e.spot_ws = ws.url();
    e.usdm_ws_public = ws.url("localhost", "/public");
    e.usdm_ws_market = ws.url("localhost", "/market");
    return e;
  }
};

TEST(BinanceMarketData, SyncsTheBookResyncsGapsGoesStaleReconnectsAndRecords) {
  boost::asio::io_context io;
  const auto dir = temp_dir("binance");
  RecordingSink sink;
  RealClock clock;
  BinanceVenue venue(io, {101, 110});  // a snapshot must reach the first buffered U
  std::vector<net::InstrumentReport> reports;
  auto made = binance::make_market_data_client(io, tls_trusting_test_ca(), venue.endpoints(), fast_options(dir), sink,
                                               clock, [&](const net::InstrumentReport& r) { reports.push_back(r); });
  ASSERT_TRUE(made.ok()) << made.error();
  auto& client = **made;
  const InstrumentId btc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  const InstrumentId nope{Venue::Binance, MarketKind::Spot, Symbol::from("NOPEUSDT")};
  client.subscribe(btc, kTrades | kBook);
  client.subscribe(nope, kTrades);
  client.start();

  ASSERT_TRUE(run_until(io, [&] { return venue.ws.opened() == 1; }));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].ok);
  EXPECT_FALSE(reports[0].from_cache);
  ASSERT_EQ(reports[0].missing.size(), 1u);
  EXPECT_EQ(reports[0].missing[0], nope);
  EXPECT_EQ(client.status(nope), FeedStatus::Disconnected);  // never subscribed
  ASSERT_NE(client.instrument(btc), nullptr);
  EXPECT_EQ(client.instrument(btc)->tick_size, Price::from_string("0.01"));
  EXPECT_EQ(client.instrument(nope), nullptr);
  EXPECT_EQ(venue.ws.last_target(0), "/stream?streams=btcusdt@trade/btcusdt@depth@100ms");
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Connecting; }));

  // The first diff asks for the REST snapshot; the book bridges onto it and goes live.
  std::vector<std::string> sent{binance_diff(101, 102, "2.0")};
  venue.ws.send(0, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));
  EXPECT_EQ(venue.snapshot_calls, 1u);
  const OrderBook* book = client.book(btc);
  ASSERT_NE(book, nullptr);
  EXPECT_TRUE(book->valid());
  EXPECT_EQ(book->best_bid()->size, Quantity::from_string("2.0"));
  EXPECT_EQ(book->best_ask()->price, Price::from_string("101.00"));

  sent.push_back(binance_trade(1));
  venue.ws.send(0, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return sink.trades.size() == 1; }));
  EXPECT_EQ(sink.trades[0].price, Price::from_string("100.50"));
  EXPECT_GE(client.stats().latency.count() + client.stats().latency.negative(), 2u);

  // A gap: the book is invalid (Resyncing) until a new snapshot bridges it.
  sent.push_back(binance_diff(110, 111, "5.0"));
  venue.ws.send(0, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return venue.snapshot_calls == 2 && sink.last(btc) == FeedStatus::Live; }));
  EXPECT_TRUE(sink.saw(btc, FeedStatus::Resyncing));
  EXPECT_EQ(client.stats().gaps.value(), 1u);
  EXPECT_EQ(book->best_bid()->size, Quantity::from_string("5.0"));

  // Malformed input is counted and survived.
  sent.push_back("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\"");
  venue.ws.send(0, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return client.stats().rejected.value() == 1; }));
  EXPECT_EQ(venue.ws.open_now(), 1u);
  EXPECT_EQ(venue.ws.opened(), 1u);

  // Silence: Stale after stale_after_ms, Live again with the next message.
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Stale; }, 3'000ms));
  EXPECT_GE(client.stats().stale_transitions.value(), 1u);
  sent.push_back(binance_trade(2));
  venue.ws.send(0, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));

  // A dropped connection: Disconnected, then the same streams again on the new connection.
  venue.ws.drop(0);
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Disconnected; }));
  ASSERT_TRUE(run_until(io, [&] { return venue.ws.opened() == 2; }));
  EXPECT_EQ(venue.ws.last_target(1), venue.ws.last_target(0));
  sent.push_back(binance_diff(112, 113, "6.0"));  // continues the sequence: no resync needed
  venue.ws.send(1, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));
  EXPECT_EQ(venue.snapshot_calls, 2u);

  // serverShutdown: make-before-break onto a new connection.
  sent.push_back(R"({"e":"serverShutdown","E":1700000000000})");
  venue.ws.send(1, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return venue.ws.opened() == 3; }));
  EXPECT_EQ(venue.ws.open_now(), 2u);
  sent.push_back(binance_diff(114, 114, "7.0"));
  venue.ws.send(2, sent.back());
  ASSERT_TRUE(run_until(io, [&] { return book->best_bid()->size == Quantity::from_string("7.0"); }));
  ASSERT_TRUE(run_until(io, [&] { return venue.ws.open_now() == 1; }));
  EXPECT_EQ(client.stats().notices.value(), 1u);
  EXPECT_EQ(client.stats().connections[0].second->rotations.value(), 1u);
  EXPECT_NE(client.status(btc), FeedStatus::Disconnected);  // Live, or Stale on a very slow machine

  // Every frame was recorded, one per line, as received.
  client.stop();
  EXPECT_EQ(sink.last(btc), FeedStatus::Disconnected);
  std::vector<std::string> lines;
  std::filesystem::path frames_file, snapshots_file;
  for (const auto& f : std::filesystem::directory_iterator(dir / "record")) {
    const std::string name = f.path().filename().string();
    if (name.rfind("binance-spot-", 0) != 0) continue;
    (name.ends_with(".snapshots.jsonl") ? snapshots_file : frames_file) = f.path();
  }
  {
    std::ifstream in(frames_file);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  EXPECT_EQ(lines, sent);
  // The recording replays through `tradingd replay`: every line read, the same gap and rejected frame.
  // (The replay driver serves a recorded snapshot on NeedSnapshot only, not after a Gap as the live
  // client does, so only the first recorded snapshot is used there.)
  std::ifstream frames(frames_file), snapshots(snapshots_file);
  std::ostringstream out;
  ReplayOptions ro;
  ro.venue = Venue::Binance;
  ro.market_kind = MarketKind::Spot;
  auto summary = replay(frames, &snapshots, out, ro);
  ASSERT_TRUE(summary.ok()) << summary.error();
  EXPECT_EQ(summary->lines, sent.size());
  EXPECT_EQ(summary->gaps, 1u);
  EXPECT_EQ(summary->rejected, 1u);
  EXPECT_GE(summary->snapshots_used, 1u);
  EXPECT_GE(summary->book_updates, 1u);
  std::filesystem::remove_all(dir);
}

TEST(BinanceMarketData, UsesTheInstrumentCacheWhenTheVenueRestIsDown) {
  boost::asio::io_context io;
  const auto dir = temp_dir("binance-cache");
  RecordingSink sink;
  RealClock clock;
  const InstrumentId btc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  {
    BinanceVenue venue(io);
    std::vector<net::InstrumentReport> reports;
    auto client = binance::make_market_data_client(io, tls_trusting_test_ca(), venue.endpoints(), fast_options(dir), sink,
                                                   clock, [&](const net::InstrumentReport& r) { reports.push_back(r); });
    ASSERT_TRUE(client.ok());
    (*client)->subscribe(btc, kTrades);
    (*client)->start();
    ASSERT_TRUE(run_until(io, [&] { return !reports.empty(); }));
    EXPECT_FALSE(reports[0].from_cache);
  }
  BinanceVenue venue(io);
  venue.rest_down = true;
  std::vector<net::InstrumentReport> reports;
  auto client = binance::make_market_data_client(io, tls_trusting_test_ca(), venue.endpoints(), fast_options(dir), sink,
                                                 clock, [&](const net::InstrumentReport& r) { reports.push_back(r); });
  ASSERT_TRUE(client.ok());
  (*client)->subscribe(btc, kTrades);
  (*client)->start();
  ASSERT_TRUE(run_until(io, [&] { return !reports.empty() && venue.ws.opened() == 1; }));
  EXPECT_TRUE(reports[0].ok);
  EXPECT_TRUE(reports[0].from_cache);
  EXPECT_EQ((*client)->stats().instruments_from_cache.value(), 1u);
  ASSERT_NE((*client)->instrument(btc), nullptr);
  std::filesystem::remove_all(dir);
}

TEST(BinanceMarketData, NoInstrumentsAndNoCacheIsAClearRetriedError) {
  boost::asio::io_context io;
  const auto dir = temp_dir("binance-nocache");
  RecordingSink sink;
  RealClock clock;
  BinanceVenue venue(io);
  venue.rest_down = true;
  std::vector<net::InstrumentReport> reports;
  auto client = binance::make_market_data_client(io, tls_trusting_test_ca(), venue.endpoints(), fast_options(dir), sink,
                                                 clock, [&](const net::InstrumentReport& r) { reports.push_back(r); });
  ASSERT_TRUE(client.ok());
  (*client)->subscribe({Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")}, kTrades);
  (*client)->start();
  ASSERT_TRUE(run_until(io, [&] { return reports.size() >= 2; }));
  EXPECT_FALSE(reports[0].ok);
  EXPECT_NE(reports[0].error.find("503"), std::string::npos) << reports[0].error;
  EXPECT_EQ(venue.ws.accepted(), 0u);  // nothing is subscribed without the venue's instrument rules
  venue.rest_down = false;
  ASSERT_TRUE(run_until(io, [&] { return venue.ws.opened() == 1; }));
  EXPECT_TRUE(reports.back().ok);
  std::filesystem::remove_all(dir);
}

// ---- Bybit --------------------------------------------------------------------------------------------

constexpr std::string_view kBybitSpotInstruments = R"({"retCode":0,"retMsg":"OK","result":{"category":"spot",
 "nextPageCursor":"","list":[{"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","status":"Trading",
 "lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.00000001","minOrderQty":"0.000048","maxOrderQty":"71.73956243",
 "minOrderAmt":"1","maxOrderAmt":"2000000"},"priceFilter":{"tickSize":"0.01"}}]},"retExtInfo":{},"time":1700000000000})";

std::string bybit_book(bool snapshot, std::uint64_t u, std::string_view bid_size) {
  return R"({"topic":"orderbook.50.BTCUSDT","type":")" + std::string(snapshot ? "snapshot" : "delta") + R"(","ts":)" +
         std::to_string(now_ms()) + R"(,"data":{"s":"BTCUSDT","b":[["100.00",")" + std::string(bid_size) +
         R"("]],"a":[["101.00","1"]],"u":)" + std::to_string(u) + R"(,"seq":)" + std::to_string(u) + R"(},"cts":)" +
         std::to_string(now_ms()) + "}";
}

TEST(BybitMarketData, SubscribesByFrameAndResubscribesABookAfterAGap) {
  boost::asio::io_context io;
  const auto dir = temp_dir("bybit");
  RecordingSink sink;
  RealClock clock;
  TestHttpServer http(io, shared_test_pki().good, [](const HttpRecord& r) {
    if (r.target.rfind("/v5/market/instruments-info?category=spot", 0) == 0) return json(std::string(kBybitSpotInstruments));
    return HttpReply{404, {}, "{}"};
  });
  TestWsServer ws(io, WsServerOptions{shared_test_pki().good, WsServerMode::Normal, false, {}});
  bybit::MarketDataEndpoints e{http.url(), ws.url("localhost", "/v5/public/spot"), ws.url("localhost", "/v5/public/linear")};
  auto made = bybit::make_market_data_client(io, tls_trusting_test_ca(), e, fast_options(dir), sink, clock);
  ASSERT_TRUE(made.ok()) << made.error();
  auto& client = **made;
  const InstrumentId btc{Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")};
  client.subscribe(btc, kTrades | kBook);
  client.start();
  ASSERT_TRUE(run_until(io, [&] { return !ws.received(0).empty(); }));
  EXPECT_EQ(ws.last_target(0), "/v5/public/spot");
  EXPECT_EQ(ws.received(0)[0], R"({"req_id":"1","op":"subscribe","args":["publicTrade.BTCUSDT","orderbook.50.BTCUSDT"]})");

  ws.send(0, bybit_book(true, 1, "1"));
  ws.send(0, bybit_book(false, 2, "2"));
  ASSERT_TRUE(run_until(io, [&] { return sink.books == 2 && sink.last(btc) == FeedStatus::Live; }));
  EXPECT_EQ(client.book(btc)->best_bid()->size, Quantity::from_string("2"));

  ws.send(0, bybit_book(false, 2, "3"));  // u did not advance: a gap
  ASSERT_TRUE(run_until(io, [&] { return ws.received(0).size() == 3; }));
  EXPECT_EQ(ws.received(0)[1], R"({"req_id":"2","op":"unsubscribe","args":["orderbook.50.BTCUSDT"]})");
  EXPECT_EQ(ws.received(0)[2], R"({"req_id":"3","op":"subscribe","args":["orderbook.50.BTCUSDT"]})");
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Resyncing; }));
  ws.send(0, bybit_book(false, 3, "9"));  // an old delta still in flight: refused, no second resubscribe
  ws.send(0, bybit_book(true, 10, "4"));  // the new subscription's snapshot
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));
  EXPECT_EQ(client.book(btc)->best_bid()->size, Quantity::from_string("4"));
  EXPECT_EQ(client.stats().resubscribes.value(), 1u);
  EXPECT_EQ(ws.received(0).size(), 3u);

  // After a reconnect every topic is subscribed again and the book restarts from the new snapshot.
  ws.drop(0);
  ASSERT_TRUE(run_until(io, [&] { return ws.received(1).size() == 1; }));
  EXPECT_EQ(ws.received(1)[0], R"({"req_id":"4","op":"subscribe","args":["publicTrade.BTCUSDT","orderbook.50.BTCUSDT"]})");
  EXPECT_FALSE(client.book(btc)->valid());
  ws.send(1, bybit_book(true, 20, "5"));
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));
  std::filesystem::remove_all(dir);
}

// ---- OKX ----------------------------------------------------------------------------------------------

constexpr std::string_view kOkxSpotInstruments = R"({"code":"0","msg":"","data":[{"instType":"SPOT","instId":"BTC-USDT",
 "baseCcy":"BTC","quoteCcy":"USDT","settleCcy":"","ctVal":"","ctMult":"","ctType":"","ctValCcy":"","tickSz":"0.1",
 "lotSz":"0.00000001","minSz":"0.00001","maxLmtSz":"9999999999","state":"live","lever":"10"}]})";

TEST(OkxMarketData, PublicAndBusinessConnectionsAndBooks) {
  boost::asio::io_context io;
  const auto dir = temp_dir("okx");
  RecordingSink sink;
  RealClock clock;
  TestHttpServer http(io, shared_test_pki().good, [](const HttpRecord& r) {
    if (r.target == "/api/v5/public/instruments?instType=SPOT") return json(std::string(kOkxSpotInstruments));
    return HttpReply{404, {}, "{}"};
  });
  TestWsServer ws(io, WsServerOptions{shared_test_pki().good, WsServerMode::Normal, false,
                                      [](std::size_t, std::string_view t) -> std::optional<std::string> {
                                        if (t == "ping") return std::string("pong");
                                        return std::nullopt;
                                      }});
  okx::MarketDataEndpoints e{http.url(), ws.url("localhost", "/ws/v5/public"), ws.url("localhost", "/ws/v5/business"), false};
  auto options = fast_options(dir);
  options.resubscribe_timeout_ms = 200;
  auto made = okx::make_market_data_client(io, tls_trusting_test_ca(), e, options, sink, clock);
  ASSERT_TRUE(made.ok()) << made.error();
  auto& client = **made;
  const InstrumentId btc{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  client.subscribe(btc, kBook | kBars1m);
  client.start();
  ASSERT_TRUE(run_until(io, [&] { return ws.opened() == 2 && !ws.received(0).empty() && !ws.received(1).empty(); }));
  std::map<std::string, std::string> by_path;
  for (std::size_t i = 0; i < 2; ++i) by_path[ws.last_target(i)] = ws.received(i)[0];
  EXPECT_EQ(by_path["/ws/v5/public"], R"({"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
  EXPECT_EQ(by_path["/ws/v5/business"], R"({"id":"2","op":"subscribe","args":[{"channel":"candle1m","instId":"BTC-USDT"}]})");
  const std::size_t pub = ws.last_target(0) == "/ws/v5/public" ? 0 : 1;
  ws.send(pub, R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["101","2","0","1"]],)"
               R"("bids":[["100","1","0","1"]],"ts":")" + std::to_string(now_ms()) + R"(","checksum":0,"prevSeqId":-1,"seqId":5}]})");
  ASSERT_TRUE(run_until(io, [&] { return sink.last(btc) == FeedStatus::Live; }));
  EXPECT_EQ(client.book(btc)->best_ask()->price, Price::from_string("101"));
  // A broken seqId chain: resubscribe on the public connection only.
  ws.send(pub, R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[["100","3","0","1"]],)"
               R"("ts":")" + std::to_string(now_ms()) + R"(","checksum":0,"prevSeqId":7,"seqId":8}]})");
  ASSERT_TRUE(run_until(io, [&] { return ws.received(pub).size() == 3; }));
  EXPECT_EQ(ws.received(pub)[1], R"({"id":"3","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
  EXPECT_EQ(ws.received(1 - pub).size(), 1u);
  EXPECT_EQ(client.stats().gaps.value(), 1u);
  EXPECT_EQ(client.status(btc), FeedStatus::Resyncing);
  // No snapshot arrives: the book is resubscribed again after the timeout, not in a tight loop.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(io, [&] { return ws.received(pub).size() == 5; }, 3'000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
  run_for(io, 100ms);
  EXPECT_EQ(ws.received(pub).size(), 5u);
  EXPECT_EQ(client.stats().resubscribes.value(), 2u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tradingd::test
