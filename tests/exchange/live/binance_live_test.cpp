// The Binance live adapter against the venue emulator over TLS on loopback (the emulator's CA trusted
// explicitly, system CAs off): per market submit → accepted → fill → account, cancel, cancel-all, query,
// open orders, fills_since, leverage; and the named failures through the emulator's fault endpoint:
// listen-key expiry, clock skew (-1021 → resync), 429 then 418, accept-then-silence (OrderSubmitUnknown
// → query shows the fill), fills replayed after a reconnect, a partial fill. Every wait is bounded.
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/exchange/live/settle.h"
#include "config/config.h"
#include "exchange/binance/live_endpoints.h"
#include "exchange/binance/urls.h"
#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/certs.h"
#include "exchange/emulator/server.h"
#include "exchange/live/live_venue.h"
#include "exchange/net/https_client.h"
#include "exchange/net/tls_context.h"

namespace tradingd::live {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Recorder final : VenueEventSink {
  std::vector<VenueEvent> events;
  void on_venue_event(const VenueEvent& e) override { events.push_back(e); }
  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& e : events)
      if (const auto* t = std::get_if<T>(&e)) out.push_back(*t);
    return out;
  }
  template <class T>
  std::vector<T> for_order(std::string_view cid) const {
    std::vector<T> out;
    for (const auto& t : all<T>())
      if (t.client_order_id.view() == cid) out.push_back(t);
    return out;
  }
};

Instrument instrument(MarketKind kind) {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, kind, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.max_leverage = 125;
  return i;
}

class BinanceLive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("binance_live_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    auto certs = emulator::ensure_certificates(dir_);
    ASSERT_TRUE(certs) << certs.error();
    ca_ = certs->ca_cert.string();
    emulator::ServiceOptions o;
    o.market = {5, emulator::wall_ms(), 1};
    emulator::ServerSetup s;
    s.services.push_back(std::make_unique<emulator::binance::BinanceService>(o));
    s.ports = {0};
    s.cert_file = certs->leaf_cert.string();
    s.key_file = certs->leaf_key.string();
    s.tick_ms = 50;
    s.handle_signals = false;
    server_ = new emulator::EmulatorServer(std::move(s));
    auto ok = server_->start();
    ASSERT_TRUE(ok) << ok.error();
    thread_ = new std::thread([] { server_->run(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    fs::remove_all(dir_);
  }

  void SetUp() override {
    auto tls = net::TlsContext::create_client({ca_, false});
    ASSERT_TRUE(tls) << tls.error();
    tls_ = *tls;
    const std::string origin = "127.0.0.1:" + std::to_string(server_->port(Venue::Binance));
    cfg_.venues.binance.enabled = true;
    cfg_.venues.binance.rest_url = "https://" + origin;
    cfg_.venues.binance.ws_url = "wss://" + origin;
    cfg_.venues.binance.ws_private_url = "wss://" + origin;
    cfg_.venues.binance.http_timeout_ms = 3000;
    cfg_.venues.binance.dead_man_switch = false;
    admin_ = std::make_unique<net::HttpsClient>(io_, tls_, *net::parse_url("https://" + origin));
    fault(R"({"fault":"clear"})");
  }
  void TearDown() override {
    if (venue_) venue_->stop();
    venue_.reset();
    fault(R"({"fault":"clear"})");
  }

  void make(std::vector<MarketKind> kinds) {
    config::VenueCredentials creds;
    creds.api_key = "emulator-key";
    creds.api_secret = config::Secret("emulator-secret");
    std::vector<Instrument> instruments;
    for (auto k : kinds) instruments.push_back(instrument(k));
    LiveVenueContext ctx{io_, tls_, cfg_, creds, clock_, instruments};
    auto v = make_live_venue(Venue::Binance, ctx);
    ASSERT_TRUE(v) << v.error();
    venue_ = std::move(*v);
    venue_->set_event_sink(&rec_);
  }

  void start_connected() {
    venue_->start();
    ASSERT_TRUE(run_until([&] { return venue_->stats().private_stream_connected; })) << "private streams did not connect";
    live::testing::settle(io_, *venue_);
  }

  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds timeout = 8s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      io_.run_for(10ms);
    }
    return true;
  }

  // The emulator's admin endpoint (faults), over the same trusted TLS.
  void fault(const std::string& body) {
    bool done = false;
    net::HttpRequest r;
    r.method = net::HttpMethod::Post;
    r.target = "/_emulator/fault";
    r.body = body;
    r.content_type = "application/json";
    admin_->request(std::move(r), [&](net::HttpResult res) {
      EXPECT_TRUE(res && res->status == 200) << body;
      done = true;
    });
    ASSERT_TRUE(run_until([&] { return done; }));
  }
  // The ask at `level` (0: best) and the quantity of the levels up to it, from the public depth.
  std::pair<Price, Quantity> best_ask(MarketKind kind, std::size_t level = 0) {
    std::optional<std::pair<Price, Quantity>> out;
    net::HttpRequest r;
    r.target = kind == MarketKind::Spot ? "/api/v3/depth?symbol=BTCUSDT&limit=5" : "/fapi/v1/depth?symbol=BTCUSDT&limit=5";
    admin_->request(std::move(r), [&](net::HttpResult res) {
      const auto v = boost::json::parse(res->body);
      Quantity total;
      Price p;
      for (std::size_t i = 0; i <= level; ++i) {
        const auto& a = v.at("asks").as_array().at(i).as_array();
        p = Price::from_string(a.at(0).as_string());
        total = total + Quantity::from_string(a.at(1).as_string());
      }
      out = {p, total};
    });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return out.value_or(std::pair<Price, Quantity>{});
  }

  OrderRequest order(MarketKind kind, const std::string& cid, OrderType type, const char* qty, std::optional<Price> price = {}) {
    OrderRequest o;
    o.client_order_id = ClientOrderId::from(cid);
    o.instrument = instrument(kind).id;
    o.side = Side::Buy;
    o.type = type;
    o.quantity = Quantity::from_string(qty);
    o.price = price;
    return o;
  }
  Price far_below(MarketKind kind) {
    const Price ask = best_ask(kind).first;
    return Price::from_raw(ask.raw() / 2 / Price::from_string("0.1").raw() * Price::from_string("0.1").raw());
  }

  template <class T>
  std::optional<Result<T, VenueError>> wait_result(std::function<void(VenueCallback<T>)> start) {
    std::optional<Result<T, VenueError>> out;
    start([&](Result<T, VenueError> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return out;
  }

  static inline fs::path dir_;
  static inline std::string ca_;
  static inline emulator::EmulatorServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;

  boost::asio::io_context io_;
  std::shared_ptr<net::TlsContext> tls_;
  config::Config cfg_;
  RealClock clock_;
  std::unique_ptr<net::HttpsClient> admin_;
  std::unique_ptr<LiveVenue> venue_;
  Recorder rec_;
};

TEST(BinanceLiveEndpoints, PerEnvironmentAndOverrides) {
  config::VenueConfig v;
  auto e = tradingd::binance::live_endpoints(v);
  // The documented hosts live in exchange/binance/urls.h (tests never name a real host themselves).
  using namespace tradingd::binance;
  EXPECT_EQ(e.spot_rest, kSpotProduction.rest);
  EXPECT_EQ(e.futures_rest, kUsdmProduction.rest);
  EXPECT_EQ(e.ws_api, kSpotWsApiProduction);
  EXPECT_EQ(e.futures_ws, kUsdmUserStreamProduction);
  v.environment = config::VenueEnvironment::Testnet;
  e = tradingd::binance::live_endpoints(v);
  EXPECT_EQ(e.spot_rest, kSpotTestnet.rest);
  EXPECT_EQ(e.futures_rest, kUsdmTestnet.rest);
  EXPECT_EQ(e.ws_api, kSpotWsApiTestnet);
  EXPECT_EQ(e.futures_ws, kUsdmUserStreamTestnet);
  v.environment = config::VenueEnvironment::Demo;
  e = tradingd::binance::live_endpoints(v);
  EXPECT_EQ(e.spot_rest, kSpotDemo.rest);
  EXPECT_EQ(e.ws_api, kSpotWsApiDemo);
  // The emulator: origins only; futures follow rest_url/ws_url unless overridden themselves.
  v.rest_url = "https://127.0.0.1:9000";
  v.ws_url = "wss://127.0.0.1:9000";
  v.ws_private_url = "wss://127.0.0.1:9000/";
  e = tradingd::binance::live_endpoints(v);
  EXPECT_EQ(e.futures_rest, "https://127.0.0.1:9000");
  EXPECT_EQ(e.futures_ws, "wss://127.0.0.1:9000");
  EXPECT_EQ(e.ws_api, "wss://127.0.0.1:9000/ws-api/v3");
  v.ws_private_url = "wss://127.0.0.1:18003/ws-api/v3";
  EXPECT_EQ(tradingd::binance::live_endpoints(v).ws_api, "wss://127.0.0.1:18003/ws-api/v3");
  v.futures_rest_url = "https://127.0.0.1:9001";
  EXPECT_EQ(tradingd::binance::live_endpoints(v).futures_rest, "https://127.0.0.1:9001");
  EXPECT_EQ(tradingd::binance::futures_user_stream_prefix("/"), "/private/ws?listenKey=");
  EXPECT_EQ(tradingd::binance::futures_user_stream_prefix("/public"), "/private/ws?listenKey=");
  EXPECT_EQ(tradingd::binance::futures_user_stream_prefix("/fstream/ws"), "/fstream/private/ws?listenKey=");
}

Money balance_of(const AccountReport& a, std::string_view asset) {
  Money m;
  for (const auto& b : a.balances)
    if (b.asset.view() == asset) m = m + b.total();
  return m;
}

TEST_F(BinanceLive, SpotSubmitFillAccountCancelQuery) {
  make({MarketKind::Spot});
  EXPECT_FALSE(venue_->capabilities().dead_man_switch);  // spot has none
  start_connected();
  auto before = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(before && *before);

  venue_->submit(order(MarketKind::Spot, "sp-m1", OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderFilled>("sp-m1").empty() && !rec_.for_order<OrderAccepted>("sp-m1").empty(); }));
  // The stream repeats the REST answer's fills: still one event per trade id.
  ASSERT_TRUE(run_until([&] { return venue_->stats().duplicate_fills_dropped >= 1; }));
  EXPECT_EQ(rec_.for_order<OrderAccepted>("sp-m1").size(), 1u);
  Quantity filled;
  for (const auto& f : rec_.for_order<OrderFilled>("sp-m1")) filled = filled + f.last_quantity;
  EXPECT_EQ(filled, Quantity::from_string("0.001"));
  auto after = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(after && *after);
  EXPECT_EQ(balance_of(**after, "BTC"), balance_of(**before, "BTC") + Money::from_string("0.001"));

  // Resting order: open orders, query by client id, cancel.
  venue_->submit(order(MarketKind::Spot, "sp-l1", OrderType::Limit, "0.001", far_below(MarketKind::Spot)));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>("sp-l1").empty(); }));
  auto open = wait_result<std::vector<OrderStatusReport>>([&](auto cb) { venue_->open_orders(instrument(MarketKind::Spot).id, cb); });
  ASSERT_TRUE(open && *open);
  EXPECT_EQ((**open).size(), 1u);
  auto q = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::Spot).id, ClientOrderId::from("sp-l1"), cb); });
  ASSERT_TRUE(q && *q);
  EXPECT_EQ((**q).status, OrderStatus::Accepted);
  venue_->cancel({instrument(MarketKind::Spot).id, ClientOrderId::from("sp-l1"), {}});
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderCanceled>("sp-l1").empty(); }));
  // The stream's CANCELED report is not a second event.
  run_until([] { return false; }, 300ms);
  EXPECT_EQ(rec_.for_order<OrderCanceled>("sp-l1").size(), 1u);
  // Unknown order: a cancel reject / query error.
  auto unknown = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::Spot).id, ClientOrderId::from("nope"), cb); });
  ASSERT_TRUE(unknown);
  ASSERT_FALSE(*unknown);
  EXPECT_EQ(unknown->error().reason, VenueErrorReason::UnknownOrder);

  // Cancel-all.
  venue_->submit(order(MarketKind::Spot, "sp-l2", OrderType::Limit, "0.001", far_below(MarketKind::Spot)));
  venue_->submit(order(MarketKind::Spot, "sp-l3", OrderType::Limit, "0.001", far_below(MarketKind::Spot)));
  ASSERT_TRUE(run_until([&] { return rec_.for_order<OrderAccepted>("sp-l2").size() + rec_.for_order<OrderAccepted>("sp-l3").size() == 2; }));
  venue_->cancel_all(instrument(MarketKind::Spot).id);
  ASSERT_TRUE(run_until([&] { return rec_.for_order<OrderCanceled>("sp-l2").size() + rec_.for_order<OrderCanceled>("sp-l3").size() == 2; }));

  // fills_since: the market buy's fills, with the client id restored from the venue order id.
  auto fills = wait_result<std::vector<OrderFilled>>([&](auto cb) { venue_->fills_since(instrument(MarketKind::Spot).id, clock_.now_ns() - 60 * kNanosPerSecond, cb); });
  ASSERT_TRUE(fills && *fills);
  ASSERT_FALSE((**fills).empty());
  EXPECT_EQ((**fills).back().client_order_id.view(), "sp-m1");
  EXPECT_GT(venue_->stats().requests, 5u);
}

TEST_F(BinanceLive, FuturesSubmitFillPositionLeverageCancelAllDeadMan) {
  cfg_.venues.binance.dead_man_switch = true;
  cfg_.venues.binance.dead_man_switch_timeout_s = 2;
  make({MarketKind::LinearPerp});
  EXPECT_TRUE(venue_->capabilities().dead_man_switch);
  start_connected();
  auto lev = wait_result<int>([&](auto cb) { venue_->set_leverage(instrument(MarketKind::LinearPerp).id, 7, cb); });
  ASSERT_TRUE(lev && *lev);
  EXPECT_EQ(**lev, 7);
  venue_->submit(order(MarketKind::LinearPerp, "fu-m1", OrderType::Market, "0.01"));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderFilled>("fu-m1").empty(); }));
  auto acct = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(acct && *acct);
  ASSERT_EQ((**acct).positions.size(), 1u);
  EXPECT_EQ((**acct).positions[0].quantity, Quantity::from_string("0.01"));
  EXPECT_EQ((**acct).positions[0].leverage, 7);
  // USD-M cancel-all answers {"code":200}: the cancels arrive on the user-data stream.
  venue_->submit(order(MarketKind::LinearPerp, "fu-l1", OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>("fu-l1").empty(); }));
  venue_->cancel_all(instrument(MarketKind::LinearPerp).id);
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderCanceled>("fu-l1").empty(); }));
  // The dead-man switch is refreshed while the adapter runs (every quarter of the 2 s countdown).
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 3; }));
  EXPECT_EQ(venue_->stats().dead_man_failures, 0u);
}

TEST_F(BinanceLive, FuturesStopGoesToTheAlgoBookAndCancels) {
  make({MarketKind::LinearPerp});
  start_connected();
  OrderRequest stop = order(MarketKind::LinearPerp, "fu-st1", OrderType::StopMarket, "0.01");
  stop.trigger_price = Price::from_raw(best_ask(MarketKind::LinearPerp).first.raw() / 10 * 15);
  venue_->submit(stop);
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>("fu-st1").empty() || !rec_.for_order<OrderRejected>("fu-st1").empty(); }));
  ASSERT_TRUE(rec_.for_order<OrderRejected>("fu-st1").empty());
  auto q = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::LinearPerp).id, ClientOrderId::from("fu-st1"), cb); });
  ASSERT_TRUE(q && *q);
  EXPECT_EQ((**q).type, OrderType::StopMarket);
  venue_->cancel({instrument(MarketKind::LinearPerp).id, ClientOrderId::from("fu-st1"), {}});
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderCanceled>("fu-st1").empty(); }));
  run_until([] { return false; }, 300ms);
  EXPECT_EQ(rec_.for_order<OrderCanceled>("fu-st1").size(), 1u);  // the ALGO_UPDATE is not a second cancel
  EXPECT_TRUE(rec_.for_order<OrderCancelRejected>("fu-st1").empty());
}

TEST_F(BinanceLive, ListenKeyExpiryIsRenewedAndEventsContinue) {
  make({MarketKind::LinearPerp});
  start_connected();
  fault(R"({"fault":"listen_key_expire"})");
  // Disconnected (the engine reconciles), then connected again on a new key.
  ASSERT_TRUE(run_until([&] { return !rec_.all<VenueConnectionChanged>().empty() && !rec_.all<VenueConnectionChanged>().back().connected; }));
  ASSERT_TRUE(run_until([&] { return rec_.all<VenueConnectionChanged>().back().connected; }));
  venue_->submit(order(MarketKind::LinearPerp, "lk-l1", OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>("lk-l1").empty(); }));
  venue_->cancel_all(instrument(MarketKind::LinearPerp).id);
  // Only the stream reports a USD-M cancel-all: it flows on the renewed key.
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderCanceled>("lk-l1").empty(); }));
}

TEST_F(BinanceLive, ListenKeyExpiredWhileDisconnectedIsReplacedOnReconnect) {
  make({MarketKind::LinearPerp});
  start_connected();
  // The connection is cut and the key dies meanwhile: reconnecting with the old key is refused, so the
  // adapter must fetch a new key rather than retry the dead one forever.
  fault(R"({"fault":"private_drop"})");
  fault(R"({"fault":"listen_key_expire"})");
  ASSERT_TRUE(run_until([&] { return !rec_.all<VenueConnectionChanged>().empty() && !rec_.all<VenueConnectionChanged>().back().connected; }));
  // Events between the loss and the new key's connection are gone (the engine reconciles on the
  // reconnect); the stream must come back on a live key: a USD-M cancel-all, which only the stream
  // reports, eventually arrives.
  bool streamed = false;
  for (int attempt = 0; attempt < 8 && !streamed; ++attempt) {
    ASSERT_TRUE(run_until([&] { return venue_->stats().private_stream_connected; }, 15s));
    const std::string cid = "lk-d" + std::to_string(attempt);
    venue_->submit(order(MarketKind::LinearPerp, cid, OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)));
    ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>(cid).empty(); }));
    venue_->cancel_all(instrument(MarketKind::LinearPerp).id);
    streamed = run_until([&] { return !rec_.for_order<OrderCanceled>(cid).empty(); }, 2s);
  }
  EXPECT_TRUE(streamed) << "no stream event after the key was replaced";
}

TEST_F(BinanceLive, ClockSkewGivesOneTimestampErrorThenResyncs) {
  make({MarketKind::LinearPerp});
  start_connected();
  fault(R"({"fault":"clock_skew","duration_ms":30000})");
  venue_->submit(order(MarketKind::LinearPerp, "sk-1", OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderAccepted>("sk-1").empty() || !rec_.for_order<OrderRejected>("sk-1").empty(); }));
  EXPECT_TRUE(rec_.for_order<OrderRejected>("sk-1").empty());
  EXPECT_EQ(venue_->stats().timestamp_resyncs, 1u);
  EXPECT_GE(venue_->stats().server_time_offset_ms, 29'000);
  // Later requests carry the venue's time: no more -1021.
  auto q = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::LinearPerp).id, ClientOrderId::from("sk-1"), cb); });
  ASSERT_TRUE(q && *q);
  EXPECT_EQ(venue_->stats().timestamp_resyncs, 1u);
}

TEST_F(BinanceLive, RateLimitHoldsThenBanStopsSending) {
  make({MarketKind::Spot});
  // Sync first so the counts below are the account calls only.
  auto first = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(first && *first);
  fault(R"({"fault":"rest_429","count":1,"duration_ms":1000})");
  auto limited = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(limited);
  ASSERT_FALSE(*limited);
  EXPECT_EQ(limited->error().reason, VenueErrorReason::RateLimited);
  EXPECT_EQ(venue_->stats().rate_limited, 1u);
  // The next request is held until Retry-After (1 s) has passed: nothing is sent meanwhile.
  const auto sent_before = venue_->stats().requests;
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<Result<AccountReport, VenueError>> held;
  venue_->account([&](Result<AccountReport, VenueError> r) { held.emplace(std::move(r)); });
  run_until([] { return false; }, 500ms);
  EXPECT_EQ(venue_->stats().requests, sent_before);
  EXPECT_FALSE(held.has_value());
  ASSERT_TRUE(run_until([&] { return held.has_value(); }));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 800ms);
  EXPECT_TRUE(*held);
  EXPECT_GE(venue_->stats().queued_for_rate_limit, 1u);

  // The ban: 418 → nothing more is sent; requests fail at once as IpBanned.
  fault(R"({"fault":"rest_418","count":1,"duration_ms":60000})");
  auto banned = wait_result<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(banned);
  ASSERT_FALSE(*banned);
  EXPECT_EQ(banned->error().reason, VenueErrorReason::IpBanned);
  EXPECT_TRUE(venue_->stats().banned);
  const auto sent = venue_->stats().requests;
  venue_->submit(order(MarketKind::Spot, "ban-1", OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderRejected>("ban-1").empty(); }));
  EXPECT_EQ(rec_.for_order<OrderRejected>("ban-1")[0].error.reason, VenueErrorReason::IpBanned);
  EXPECT_EQ(venue_->stats().requests, sent);
}

TEST_F(BinanceLive, TimedOutSubmitThatFilledIsResolvedByQuery) {
  make({MarketKind::Spot});
  start_connected();
  fault(R"({"fault":"rest_no_reply","count":1})");
  venue_->submit(order(MarketKind::Spot, "to-1", OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderSubmitUnknown>("to-1").empty(); }));
  EXPECT_TRUE(rec_.for_order<OrderRejected>("to-1").empty());
  EXPECT_GE(venue_->stats().unknown_outcomes, 1u);
  auto q = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::Spot).id, ClientOrderId::from("to-1"), cb); });
  ASSERT_TRUE(q && *q);
  EXPECT_EQ((**q).status, OrderStatus::Filled);
  // The fill itself still arrives once, from the stream.
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderFilled>("to-1").empty(); }));
}

TEST_F(BinanceLive, FillsReplayedAfterReconnectAreCountedOnce) {
  make({MarketKind::Spot});
  start_connected();
  venue_->submit(order(MarketKind::Spot, "dup-1", OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderFilled>("dup-1").empty(); }));
  fault(R"({"fault":"private_drop"})");
  ASSERT_TRUE(run_until([&] { return !rec_.all<VenueConnectionChanged>().empty() && !rec_.all<VenueConnectionChanged>().back().connected; }));
  ASSERT_TRUE(run_until([&] { return rec_.all<VenueConnectionChanged>().back().connected; }));
  EXPECT_GE(venue_->stats().private_stream_reconnects, 1u);
  const auto dropped = venue_->stats().duplicate_fills_dropped;
  fault(R"({"fault":"duplicate_fill","count":2})");
  ASSERT_TRUE(run_until([&] { return venue_->stats().duplicate_fills_dropped >= dropped + 2; }));
  std::map<std::string, int> per_trade;
  for (const auto& f : rec_.all<OrderFilled>()) ++per_trade[std::string(f.trade_id.view())];
  for (const auto& [id, n] : per_trade) EXPECT_EQ(n, 1) << id;
}

TEST_F(BinanceLive, PartialFillIsNotRecordedAsFull) {
  make({MarketKind::LinearPerp});
  start_connected();
  auto lev = wait_result<int>([&](auto cb) { venue_->set_leverage(instrument(MarketKind::LinearPerp).id, 50, cb); });
  ASSERT_TRUE(lev && *lev);
  // Three times the first three levels, priced at the third: those levels fill (the market may move a
  // little meanwhile), the rest rests on the book.
  const auto [ask, top_qty] = best_ask(MarketKind::LinearPerp, 2);
  const Quantity want = top_qty + top_qty + top_qty;
  OrderRequest o = order(MarketKind::LinearPerp, "pf-1", OrderType::Limit, "1", ask);
  o.quantity = want;
  venue_->submit(o);
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderFilled>("pf-1").empty(); }));
  run_until([] { return false; }, 300ms);
  Quantity filled;
  for (const auto& f : rec_.for_order<OrderFilled>("pf-1")) filled = filled + f.last_quantity;
  EXPECT_TRUE(filled.is_positive());
  EXPECT_LT(filled, want);
  auto q = wait_result<OrderStatusReport>([&](auto cb) { venue_->query_order(instrument(MarketKind::LinearPerp).id, ClientOrderId::from("pf-1"), cb); });
  ASSERT_TRUE(q && *q);
  EXPECT_EQ((**q).status, OrderStatus::PartiallyFilled);
  EXPECT_EQ((**q).filled_quantity, filled);
  venue_->cancel_all(instrument(MarketKind::LinearPerp).id);
  ASSERT_TRUE(run_until([&] { return !rec_.for_order<OrderCanceled>("pf-1").empty(); }));
}

}  // namespace
}  // namespace tradingd::live
