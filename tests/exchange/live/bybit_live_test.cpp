// The Bybit live adapter end to end against the emulator over TLS on loopback (the emulator's CA trusted
// explicitly, system CAs off): spot and linear order flow, queries, account, leverage, and the failures
// the adapter must survive — clock skew (one 10002, resync, success), a throttle (the pacer holds until the
// venue's reset), an order accepted but never answered (OrderSubmitUnknown, then found filled by query),
// duplicated / replayed executions (one OrderFilled per execId), a partial fill, and a private stream
// drop (disconnect → reconnect → resubscribed). The emulator runs in-process on its own thread, as in
// tests/emulator/server_test.cpp; faults go through its admin endpoint. Every wait polls with a deadline.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "tests/exchange/live/settle.h"
#include "config/config.h"
#include "exchange/emulator/account.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/certs.h"
#include "exchange/emulator/server.h"
#include "exchange/live/live_venue.h"
#include "exchange/net/https_client.h"
#include "exchange/net/tls_context.h"

namespace tradingd {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Sink final : VenueEventSink {
  std::vector<VenueEvent> events;
  void on_venue_event(const VenueEvent& e) override { events.push_back(e); }
  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& e : events)
      if (const auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  template <class T>
  std::vector<T> of(std::string_view cid) const {
    std::vector<T> out;
    for (const auto& x : all<T>())
      if (x.client_order_id.view() == cid) out.push_back(x);
    return out;
  }
};

class BybitLive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("bybit_live_test_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    auto certs = emulator::ensure_certificates(*dir_);
    ASSERT_TRUE(certs) << certs.error();
    ca_ = new std::string(certs->ca_cert.string());
    emulator::ServiceOptions o;
    o.market = {5, emulator::wall_ms(), 1};
    o.account.api_key = "live-key";
    o.account.api_secret = "live-secret";
    emulator::ServerSetup s;
    s.services.push_back(std::make_unique<emulator::bybit::BybitService>(o));
    s.ports = {0};
    s.cert_file = certs->leaf_cert.string();
    s.key_file = certs->leaf_key.string();
    s.tick_ms = 50;
    s.handle_signals = false;
    server_ = new emulator::EmulatorServer(std::move(s));
    auto ok = server_->start();
    ASSERT_TRUE(ok) << ok.error();
    thread_ = new std::thread([] { server_->run(); });
    for (const auto& spec : emulator::default_instruments(Venue::Bybit)) instruments_.push_back(emulator::to_instrument(spec));
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    fs::remove_all(*dir_);
    delete dir_;
    delete ca_;
  }

  void SetUp() override {
    net::TlsClientOptions t;
    t.extra_ca_file = *ca_;
    t.use_system_cas = false;
    auto tls = net::TlsContext::create_client(t);
    ASSERT_TRUE(tls) << tls.error();
    tls_ = *tls;
    const std::string base = "127.0.0.1:" + std::to_string(server_->port(Venue::Bybit));
    cfg_.venues.bybit.enabled = true;
    cfg_.venues.bybit.environment = config::VenueEnvironment::Testnet;
    cfg_.venues.bybit.rest_url = "https://" + base;
    cfg_.venues.bybit.ws_private_url = "wss://" + base + "/v5/private";
    cfg_.venues.bybit.http_timeout_ms = 3000;
    cfg_.venues.bybit.dead_man_switch = true;
    cfg_.venues.bybit.dead_man_switch_timeout_s = 60;
    admin_ = std::make_unique<net::HttpsClient>(io_, tls_, *net::parse_url("https://" + base));
    fault(R"({"fault":"clear"})");
  }
  void TearDown() override {
    if (venue_) venue_->stop();
    venue_.reset();
    if (admin_) fault(R"({"fault":"clear"})");
    admin_.reset();
    io_.run_for(50ms);
  }

  void make_venue() {
    config::VenueCredentials cred;
    cred.api_key = "live-key";
    cred.api_secret = config::Secret("live-secret");
    live::LiveVenueContext ctx{io_, tls_, cfg_, cred, clock_, instruments_};
    auto v = live::make_live_venue(Venue::Bybit, ctx);
    ASSERT_TRUE(v) << v.error();
    venue_ = std::move(*v);
    venue_->set_event_sink(&sink_);
    venue_->start();
    ASSERT_TRUE(run_until([&] { return venue_->stats().private_stream_connected; }, 10s)) << "private stream never came up";
    live::testing::settle(io_, *venue_);
  }

  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > end) return false;
      io_.run_for(5ms);
    }
    return true;
  }

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
    ASSERT_TRUE(run_until([&] { return done; }, 5s));
  }

  template <class T>
  Result<T, VenueError> wait(std::function<void(VenueCallback<T>)> call, std::chrono::milliseconds limit = 10s) {
    std::optional<Result<T, VenueError>> out;
    call([&](Result<T, VenueError> r) { out.emplace(std::move(r)); });
    if (!run_until([&] { return out.has_value(); }, limit)) return Err{VenueError{VenueErrorReason::Other, "", "timeout"}};
    return std::move(*out);
  }

  AccountReport account() {
    auto r = wait<AccountReport>([&](auto cb) { venue_->account(cb); });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : AccountReport{};
  }
  static Money total(const AccountReport& a, std::string_view asset) {
    for (const auto& b : a.balances)
      if (b.asset.view() == asset) return b.total();
    return Money{};
  }
  static Quantity position(const AccountReport& a, const InstrumentId& id) {
    for (const auto& p : a.positions)
      if (p.instrument == id) return p.quantity;
    return Quantity{};
  }
  Quantity filled(std::string_view cid) const {
    Quantity q;
    for (const auto& f : sink_.of<OrderFilled>(cid)) q += f.last_quantity;
    return q;
  }

  static OrderRequest order(std::string cid, MarketKind kind, Side side, OrderType type, const char* qty,
                            std::optional<Price> price = {}, TimeInForce tif = TimeInForce::Gtc) {
    OrderRequest o;
    o.client_order_id = ClientOrderId::from(cid);
    o.instrument = {Venue::Bybit, kind, Symbol::from("BTCUSDT")};
    o.side = side;
    o.type = type;
    o.time_in_force = tif;
    o.quantity = Quantity::from_string(qty);
    o.price = price;
    return o;
  }
  std::string cid(std::string_view tag) { return std::string(tag) + "-" + std::to_string(++counter_); }
  static inline fs::path* dir_ = nullptr;
  static inline std::string* ca_ = nullptr;
  static inline emulator::EmulatorServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline std::vector<Instrument> instruments_;
  static inline int counter_ = 0;

  boost::asio::io_context io_;
  std::shared_ptr<net::TlsContext> tls_;
  config::Config cfg_;
  RealClock clock_;
  Sink sink_;
  std::unique_ptr<live::LiveVenue> venue_;
  std::unique_ptr<net::HttpsClient> admin_;
};

const InstrumentId kSpot{Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")};
const InstrumentId kLinear{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};

TEST_F(BybitLive, FactoryChecksCredentialsAndEndpoints) {
  config::VenueCredentials none;
  live::LiveVenueContext no_key{io_, tls_, cfg_, none, clock_, instruments_};
  auto r = live::make_live_venue(Venue::Bybit, no_key);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("API key"), std::string::npos);
  config::VenueCredentials cred;
  cred.api_key = "k";
  cred.api_secret = config::Secret("s");
  // Every environment has documented defaults; nothing connects before start().
  for (auto env : {config::VenueEnvironment::Production, config::VenueEnvironment::Testnet, config::VenueEnvironment::Demo}) {
    config::Config c;
    c.venues.bybit.environment = env;
    live::LiveVenueContext ctx{io_, tls_, c, cred, clock_, instruments_};
    auto v = live::make_live_venue(Venue::Bybit, ctx);
    ASSERT_TRUE(v) << v.error();
    EXPECT_FALSE((*v)->stats().private_stream_connected);
    EXPECT_EQ((*v)->stats().requests, 0u);
  }
  config::Config bad = cfg_;
  bad.venues.bybit.rest_url = "not a url";
  live::LiveVenueContext ctx{io_, tls_, bad, cred, clock_, instruments_};
  EXPECT_FALSE(live::make_live_venue(Venue::Bybit, ctx));
  bad = cfg_;
  bad.venues.bybit.recv_window_ms = 0;
  live::LiveVenueContext ctx2{io_, tls_, bad, cred, clock_, instruments_};
  EXPECT_FALSE(live::make_live_venue(Venue::Bybit, ctx2));
}

TEST_F(BybitLive, StartsWithStreamDeadManSwitchAndServerTime) {
  make_venue();
  EXPECT_EQ(venue_->venue(), Venue::Bybit);
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 2; }, 5s));  // SPOT and DERIVATIVES
  EXPECT_TRUE(venue_->capabilities().dead_man_switch);
  EXPECT_EQ(sink_.all<VenueConnectionChanged>().size(), 1u);
  EXPECT_TRUE(sink_.all<VenueConnectionChanged>()[0].connected);
  EXPECT_LT(std::abs(venue_->stats().server_time_offset_ms), 1000);
}

TEST_F(BybitLive, SpotMarketBuyFillsAndMovesBalances) {
  make_venue();
  const auto before = account();
  const auto id = cid("spot-mkt");
  venue_->submit(order(id, MarketKind::Spot, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.001"); })) << "no fill for " << id;
  EXPECT_EQ(sink_.of<OrderAccepted>(id).size(), 1u);  // REST ack and stream "New": one event
  const auto after = account();
  EXPECT_GT(total(after, "BTC"), total(before, "BTC"));
  EXPECT_LT(total(after, "USDT"), total(before, "USDT"));
}

TEST_F(BybitLive, LinearMarketBuyOpensAPosition) {
  make_venue();
  const auto before = position(account(), kLinear);
  const auto id = cid("lin-mkt");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.002"));
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.002"); }));
  EXPECT_EQ(position(account(), kLinear), before + Quantity::from_string("0.002"));
  // The stream's position push updated the cached report too.
  ASSERT_TRUE(run_until([&] {
    for (const auto& a : sink_.all<AccountReport>())
      if (position(a, kLinear) == before + Quantity::from_string("0.002")) return true;
    return false;
  }));
}

TEST_F(BybitLive, RestingOrderQueryOpenOrdersAndCancel) {
  make_venue();
  const auto id = cid("rest");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Limit, "0.001", Price::from_string("30000")));
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderAccepted>(id).empty(); }));
  auto q = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kLinear, ClientOrderId::from(id), cb); });
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, OrderStatus::Accepted);
  EXPECT_EQ(q->price, Price::from_string("30000"));
  auto open = wait<std::vector<OrderStatusReport>>([&](auto cb) { venue_->open_orders(std::nullopt, cb); });
  ASSERT_TRUE(open);
  EXPECT_TRUE(std::any_of(open->begin(), open->end(), [&](const auto& o) { return o.client_order_id.view() == id; }));
  venue_->cancel({kLinear, ClientOrderId::from(id), VenueOrderId{}});
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderCanceled>(id).empty(); }));
  io_.run_for(300ms);  // the stream's Cancelled push arrives too: still one event
  EXPECT_EQ(sink_.of<OrderCanceled>(id).size(), 1u);
  q = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kLinear, ClientOrderId::from(id), cb); });
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, OrderStatus::Canceled);
  // Cancelling again: the venue no longer knows it as open.
  venue_->cancel({kLinear, ClientOrderId::from(id), VenueOrderId{}});
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderCancelRejected>(id).empty(); }));
  EXPECT_EQ(sink_.of<OrderCancelRejected>(id)[0].error.reason, VenueErrorReason::UnknownOrder);
  // An order the venue never saw.
  auto missing = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kLinear, ClientOrderId::from("never-sent"), cb); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, VenueErrorReason::UnknownOrder);
}

TEST_F(BybitLive, CancelAllCancelsEveryOrderOfTheInstrument) {
  make_venue();
  const auto a = cid("ca"), b = cid("ca");
  venue_->submit(order(a, MarketKind::Spot, Side::Buy, OrderType::Limit, "0.001", Price::from_string("30000")));
  venue_->submit(order(b, MarketKind::Spot, Side::Buy, OrderType::Limit, "0.001", Price::from_string("30000")));
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderAccepted>(a).empty() && !sink_.of<OrderAccepted>(b).empty(); }));
  venue_->cancel_all(kSpot);
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderCanceled>(a).empty() && !sink_.of<OrderCanceled>(b).empty(); }));
  auto open = wait<std::vector<OrderStatusReport>>([&](auto cb) { venue_->open_orders(kSpot, cb); });
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
}

TEST_F(BybitLive, FillsSinceAndLeverage) {
  make_venue();
  const auto start = clock_.now_ns();
  const auto id = cid("fs");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Sell, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.001"); }));
  auto fills = wait<std::vector<OrderFilled>>([&](auto cb) { venue_->fills_since(kLinear, start - kNanosPerSecond, cb); });
  ASSERT_TRUE(fills) << fills.error().message;
  const auto streamed = sink_.of<OrderFilled>(id);
  ASSERT_FALSE(streamed.empty());
  EXPECT_TRUE(std::any_of(fills->begin(), fills->end(), [&](const auto& f) { return f.trade_id == streamed[0].trade_id; }));
  auto lev = wait<int>([&](auto cb) { venue_->set_leverage(kLinear, 4, cb); });
  ASSERT_TRUE(lev) << lev.error().message;
  EXPECT_EQ(*lev, 4);
  lev = wait<int>([&](auto cb) { venue_->set_leverage(kLinear, 4, cb); });  // 110043: unchanged is success
  ASSERT_TRUE(lev);
  EXPECT_FALSE(wait<int>([&](auto cb) { venue_->set_leverage(kSpot, 2, cb); }));
}

TEST_F(BybitLive, ClockSkewCostsOneRejectionAndAResync) {
  make_venue();
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 2; }, 5s));
  fault(R"({"fault":"clock_skew","duration_ms":30000})");
  const auto before = venue_->stats().requests;
  auto r = wait<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(venue_->stats().timestamp_resyncs, 1u);
  EXPECT_NEAR(static_cast<double>(venue_->stats().server_time_offset_ms), 30000.0, 1000.0);
  // wallet refused once, wallet again, positions: three signed requests.
  EXPECT_EQ(venue_->stats().requests - before, 3u);
  const auto id = cid("skew");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.001"); }));
  EXPECT_EQ(venue_->stats().timestamp_resyncs, 1u);
}

TEST_F(BybitLive, PrivateStreamAuthAfterClockSkewResyncsAndReconnects) {
  make_venue();
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 2; }, 5s));
  fault(R"({"fault":"clock_skew","duration_ms":30000})");
  fault(R"({"fault":"drop"})");
  // The first re-auth carries an `expires` in the venue's past (10002): resync, then the stream is back.
  ASSERT_TRUE(run_until([&] {
    const auto c = sink_.all<VenueConnectionChanged>();
    return c.size() >= 3 && !c[1].connected && c.back().connected;
  }, 15s));
  EXPECT_GE(venue_->stats().timestamp_resyncs, 1u);
  EXPECT_NEAR(static_cast<double>(venue_->stats().server_time_offset_ms), 30000.0, 1000.0);
}

TEST_F(BybitLive, ThrottleHoldsThePacerUntilTheReset) {
  make_venue();
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 2; }, 5s));
  fault(R"({"fault":"rate_limit","duration_ms":1500})");
  const auto t0 = std::chrono::steady_clock::now();
  const auto before = venue_->stats();
  auto r = wait<AccountReport>([&](auto cb) { venue_->account(cb); });
  ASSERT_TRUE(r) << r.error().message;
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  // One refusal; the next attempt waited for the venue's reset time instead of hammering it.
  EXPECT_EQ(venue_->stats().rate_limited - before.rate_limited, 1u);
  EXPECT_GE(venue_->stats().queued_for_rate_limit - before.queued_for_rate_limit, 1u);
  EXPECT_GE(elapsed, 1300ms);
  EXPECT_EQ(venue_->stats().requests - before.requests, 3u);  // wallet (refused), wallet, positions
}

TEST_F(BybitLive, BurstIsPacedInOrderWithinTheVenueLimit) {
  make_venue();
  ASSERT_TRUE(run_until([&] { return venue_->stats().dead_man_refreshes >= 2; }, 5s));
  // Linear order entry is 10/s on Bybit (8 for new orders, 2 kept for cancels): 15 at once must queue.
  std::vector<std::string> ids;
  for (int i = 0; i < 15; ++i) {
    ids.push_back(cid("burst"));
    venue_->submit(order(ids.back(), MarketKind::LinearPerp, Side::Buy, OrderType::Limit, "0.001", Price::from_string("30000")));
  }
  ASSERT_TRUE(run_until([&] { return sink_.all<OrderAccepted>().size() >= 15; }, 10s));
  EXPECT_GE(venue_->stats().queued_for_rate_limit, 1u);
  EXPECT_EQ(venue_->stats().rate_limited, 0u);  // the venue never had to refuse one
  std::vector<std::string> accepted;
  for (const auto& a : sink_.all<OrderAccepted>()) accepted.emplace_back(a.client_order_id.view());
  EXPECT_EQ(accepted, ids);  // in submission order
  venue_->cancel_all(kLinear);
  ASSERT_TRUE(run_until([&] { return sink_.all<OrderCanceled>().size() >= 15; }, 10s));
}

TEST_F(BybitLive, AcceptedButNeverAnsweredIsUnknownThenFoundFilled) {
  make_venue();
  fault(R"({"fault":"accept_no_reply","count":1})");
  const auto id = cid("silent");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderSubmitUnknown>(id).empty(); }));
  EXPECT_TRUE(sink_.of<OrderRejected>(id).empty());
  EXPECT_GE(venue_->stats().unknown_outcomes, 1u);
  // The engine resolves it by query: the order exists and filled.
  auto q = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kLinear, ClientOrderId::from(id), cb); });
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, OrderStatus::Filled);
  EXPECT_EQ(q->filled_quantity, Quantity::from_string("0.001"));
  // Nothing was resent: exactly one order with this id exists, and the stream still reports its fill.
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.001"); }));
}

TEST_F(BybitLive, GatewayErrorOnSubmitIsUnknownAndTheQueryFindsNothing) {
  make_venue();
  fault(R"({"fault":"http_5xx","count":1})");
  const auto id = cid("gw");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !sink_.of<OrderSubmitUnknown>(id).empty(); }));
  auto q = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kLinear, ClientOrderId::from(id), cb); });
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().reason, VenueErrorReason::UnknownOrder);  // never reached the matching engine
  EXPECT_TRUE(sink_.of<OrderFilled>(id).empty());
}

TEST_F(BybitLive, DuplicateAndReplayedFillsCountOnce) {
  make_venue();
  fault(R"({"fault":"duplicate_fills","count":2})");
  const auto a = cid("dup"), b = cid("dup");
  venue_->submit(order(a, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(a) == Quantity::from_string("0.001"); }));
  venue_->submit(order(b, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(b) == Quantity::from_string("0.001"); }));
  io_.run_for(300ms);
  EXPECT_EQ(filled(a), Quantity::from_string("0.001"));
  EXPECT_EQ(filled(b), Quantity::from_string("0.001"));
  EXPECT_GE(venue_->stats().duplicate_fills_dropped, 2u);
  std::map<std::string, int> per_trade;
  for (const auto& f : sink_.all<OrderFilled>()) ++per_trade[f.trade_id.str()];
  for (const auto& [t, n] : per_trade) EXPECT_EQ(n, 1) << t;
}

TEST_F(BybitLive, PartialFillIsNotRecordedAsFull) {
  make_venue();
  // A marketable IOC limit larger than what rests up to its price: part fills, the rest is cancelled. The
  // market walks between the probe and the order, so an attempt that found nothing is repeated.
  std::string id;
  Quantity got;
  for (int attempt = 0; attempt < 5 && !got.is_positive(); ++attempt) {
    const auto probe = cid("probe");
    venue_->submit(order(probe, MarketKind::Spot, Side::Buy, OrderType::Market, "0.0001"));
    ASSERT_TRUE(run_until([&] { return !sink_.of<OrderFilled>(probe).empty(); }));
    const Price limit = sink_.of<OrderFilled>(probe)[0].last_price + Price::from_string("0.5");
    id = cid("partial");
    venue_->submit(order(id, MarketKind::Spot, Side::Buy, OrderType::Limit, "0.9", limit, TimeInForce::Ioc));
    ASSERT_TRUE(run_until([&] { return !sink_.of<OrderCanceled>(id).empty() || !sink_.of<OrderRejected>(id).empty(); }));
    got = filled(id);
  }
  ASSERT_TRUE(got.is_positive()) << "no attempt filled at all";
  EXPECT_LT(got, Quantity::from_string("0.9"));
  auto q = wait<OrderStatusReport>([&](auto cb) { venue_->query_order(kSpot, ClientOrderId::from(id), cb); });
  ASSERT_TRUE(q);
  EXPECT_EQ(q->filled_quantity, got);
  EXPECT_NE(q->status, OrderStatus::Filled);
}

TEST_F(BybitLive, PrivateStreamDropReconnectsAndResubscribes) {
  make_venue();
  const auto id = cid("pre");
  venue_->submit(order(id, MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(id) == Quantity::from_string("0.001"); }));
  fault(R"({"fault":"drop"})");
  ASSERT_TRUE(run_until([&] {
    const auto c = sink_.all<VenueConnectionChanged>();
    return c.size() >= 3 && !c[1].connected && c[2].connected;
  })) << "no disconnect/reconnect pair";
  EXPECT_EQ(venue_->stats().private_stream_reconnects, 1u);
  // The gap's executions were fetched over REST: the one already applied is dropped, not re-emitted.
  ASSERT_TRUE(run_until([&] { return venue_->stats().duplicate_fills_dropped >= 1; }));
  EXPECT_EQ(sink_.of<OrderFilled>(id).size(), 1u);
  // Resubscribed: a new order's fill arrives on the new connection.
  const auto after = cid("post");
  venue_->submit(order(after, MarketKind::LinearPerp, Side::Sell, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(after) == Quantity::from_string("0.001"); }));
}

}  // namespace
}  // namespace tradingd
