// The OKX live adapter end to end against the emulator over TLS on loopback (the emulator's CA trusted
// explicitly, no system CAs): spot and swap orders with their fills, balances and positions; cancel,
// cancel-all, queries; and the named failures — timestamps drifting out of the window, the rate limit
// honoured, an order that timed out locally but filled on the venue, fills replayed counted once, a
// partial fill not recorded as full, the private stream lost and re-logged-in, the dead-man switch.
// The emulator runs in-process on its own thread (as tests/emulator/server_test.cpp); the adapter runs on
// this thread's io_context. Waits poll with bounded deadlines; faults go through the admin endpoint.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "tests/exchange/live/settle.h"
#include "exchange/emulator/certs.h"
#include "exchange/emulator/okx/service.h"
#include "exchange/emulator/server.h"
#include "exchange/live/live_venue.h"
#include "exchange/net/https_client.h"
#include "exchange/net/tls_context.h"

namespace tradingd {
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
      if (auto* p = std::get_if<T>(&e)) out.push_back(*p);
    return out;
  }
  template <class T>
  std::vector<T> of(std::string_view cl) const {
    std::vector<T> out;
    for (const auto& e : all<T>())
      if (e.client_order_id.view() == cl) out.push_back(e);
    return out;
  }
  int connections(bool up) const {
    int n = 0;
    for (const auto& c : all<VenueConnectionChanged>()) n += c.connected == up;
    return n;
  }
};

class OkxLiveTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("okx_live_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    auto certs = emulator::ensure_certificates(dir_);
    ASSERT_TRUE(certs) << certs.error();
    ca_ = certs->ca_cert.string();
    emulator::ServiceOptions o;
    o.market = {11, emulator::wall_ms(), 1};
    emulator::ServerSetup s;
    s.services.push_back(std::make_unique<emulator::okx::OkxService>(o));
    s.ports = {0};
    s.cert_file = certs->leaf_cert.string();
    s.key_file = certs->leaf_key.string();
    s.tick_ms = 50;
    s.handle_signals = false;
    server_ = new emulator::EmulatorServer(std::move(s));
    auto ok = server_->start();
    ASSERT_TRUE(ok) << ok.error();
    thread_ = new std::thread([] { server_->run(); });
    account_ = o.account;
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    fs::remove_all(dir_);
  }

  void SetUp() override {
    auto tls = net::TlsContext::create_client(net::TlsClientOptions{ca_, false});
    ASSERT_TRUE(tls) << tls.error();
    tls_ = *tls;
    const std::string origin = "https://localhost:" + std::to_string(server_->port(Venue::Okx));
    cfg_.venues.okx.enabled = true;
    cfg_.venues.okx.rest_url = origin;
    cfg_.venues.okx.ws_private_url = "wss://localhost:" + std::to_string(server_->port(Venue::Okx));
    cfg_.venues.okx.http_timeout_ms = 3'000;
    cfg_.venues.okx.dead_man_switch = false;
    auto admin_url = net::parse_url(origin);
    ASSERT_TRUE(admin_url);
    admin_ = std::make_unique<net::HttpsClient>(io_, tls_, *admin_url);
  }

  std::unique_ptr<live::LiveVenue> make_venue(Recorder& rec) {
    config::VenueCredentials c;
    c.api_key = account_.api_key;
    c.api_secret = config::Secret(account_.api_secret);
    c.passphrase = config::Secret(account_.passphrase);
    live::LiveVenueContext ctx{io_, tls_, cfg_, c, clock_, {}};
    auto v = live::make_live_venue(Venue::Okx, ctx);
    EXPECT_TRUE(v) << (v ? "" : v.error());
    if (!v) return nullptr;
    auto venue = std::move(*v);
    venue->set_event_sink(&rec);
    venue->start();
    EXPECT_TRUE(run_until([&] { return rec.connections(true) >= 1; })) << "private stream never logged in";
    live::testing::settle(io_, *venue);
    return venue;
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 8s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      io_.restart();
      io_.run_for(20ms);
    }
    return true;
  }

  template <class T>
  Result<T, VenueError> wait_for(const std::function<void(VenueCallback<T>)>& call) {
    std::optional<Result<T, VenueError>> out;
    call([&](Result<T, VenueError> r) { out.emplace(std::move(r)); });
    if (!run_until([&] { return out.has_value(); })) return Err{VenueError{VenueErrorReason::Other, "test", "timeout"}};
    return std::move(*out);
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
    ASSERT_TRUE(run_until([&] { return done; }));
  }

  // The best ask of the emulator's spot book, from its public REST.
  std::pair<Price, Quantity> best_ask(const std::string& inst) {
    std::optional<std::pair<Price, Quantity>> out;
    net::HttpRequest r;
    r.target = "/api/v5/market/books?instId=" + inst + "&sz=1";
    admin_->request(std::move(r), [&](net::HttpResult res) {
      const std::string& b = res->body;
      const auto a = b.find("\"asks\":[[\"");
      const auto p0 = a + 10, p1 = b.find('"', p0), q0 = b.find('"', p1 + 1) + 1, q1 = b.find('"', q0);
      out.emplace(Price::from_string(b.substr(p0, p1 - p0)), Quantity::from_string(b.substr(q0, q1 - q0)));
    });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return *out;
  }

  static OrderRequest order(const std::string& id, const InstrumentId& inst, Side side, OrderType type, const char* qty,
                            std::optional<Price> px = {}, TimeInForce tif = TimeInForce::Gtc) {
    OrderRequest o;
    o.client_order_id = *ClientOrderId::make(id);
    o.instrument = inst;
    o.side = side;
    o.type = type;
    o.time_in_force = type == OrderType::Market ? TimeInForce::Ioc : tif;
    o.quantity = Quantity::from_string(qty);
    o.price = px;
    return o;
  }
  static Quantity filled(const Recorder& rec, std::string_view cl) {
    Quantity q;
    for (const auto& f : rec.of<OrderFilled>(cl)) q += f.last_quantity;
    return q;
  }
  static std::string uid(const char* prefix) {
    static int n = 0;
    return prefix + std::to_string(::getpid() % 10000) + "x" + std::to_string(++n);
  }

  const InstrumentId spot_{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  const InstrumentId swap_{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  boost::asio::io_context io_;
  RealClock clock_;
  config::Config cfg_;
  std::shared_ptr<net::TlsContext> tls_;
  std::unique_ptr<net::HttpsClient> admin_;

  static inline fs::path dir_;
  static inline std::string ca_;
  static inline emulator::AccountOptions account_;
  static inline emulator::EmulatorServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
};

Money balance_of(const AccountReport& a, std::string_view asset) {
  for (const auto& b : a.balances)
    if (b.asset.view() == asset) return b.total();
  return Money{};
}

TEST_F(OkxLiveTest, SpotMarketOrderAcceptedFilledAndBalancesMove) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  auto before = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  ASSERT_TRUE(before) << before.error().message;
  const std::string id = uid("spot");
  v->submit(order(id, spot_, Side::Buy, OrderType::Market, "0.01"));
  ASSERT_TRUE(run_until([&] { return filled(rec, id) == Quantity::from_string("0.01"); }));
  ASSERT_EQ(rec.of<OrderAccepted>(id).size(), 1u);  // REST ack and stream push: once
  EXPECT_FALSE(rec.of<OrderAccepted>(id)[0].venue_order_id.view().empty());
  auto after = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  ASSERT_TRUE(after);
  EXPECT_EQ(balance_of(*after, "BTC") - balance_of(*before, "BTC"), Money::from_string("0.01"));
  EXPECT_LT(balance_of(*after, "USDT"), balance_of(*before, "USDT"));
  auto q = wait_for<OrderStatusReport>([&](auto cb) { v->query_order(spot_, *ClientOrderId::make(id), cb); });
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, OrderStatus::Filled);
  EXPECT_GE(v->stats().requests, 3u);
  EXPECT_TRUE(v->stats().private_stream_connected);
}

TEST_F(OkxLiveTest, SwapLeverageThenPositionInContracts) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  auto lev = wait_for<int>([&](auto cb) { v->set_leverage(swap_, 3, cb); });
  ASSERT_TRUE(lev) << lev.error().message;
  EXPECT_EQ(*lev, 3);
  auto before = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  ASSERT_TRUE(before);
  Quantity pos0;
  for (const auto& p : before->positions)
    if (p.instrument == swap_) pos0 = p.quantity;
  const std::string id = uid("swap");
  v->submit(order(id, swap_, Side::Buy, OrderType::Market, "2"));
  ASSERT_TRUE(run_until([&] { return filled(rec, id) == Quantity::from_string("2"); }));
  auto after = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  ASSERT_TRUE(after);
  Quantity pos1;
  int lever = 0;
  for (const auto& p : after->positions)
    if (p.instrument == swap_) pos1 = p.quantity, lever = p.leverage;
  EXPECT_EQ(pos1 - pos0, Quantity::from_string("2"));  // contracts, as the engine's instruments count them
  EXPECT_EQ(lever, 3);
}

TEST_F(OkxLiveTest, RestingOrderQueriedListedCanceledThenCancelAll) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  const Price far = Price::from_string("1000");
  const std::string a = uid("rest"), b = uid("rest"), c = uid("rest");
  for (const auto& id : {a, b, c}) v->submit(order(id, spot_, Side::Buy, OrderType::Limit, "0.001", far));
  ASSERT_TRUE(run_until([&] { return rec.of<OrderAccepted>(c).size() == 1 && rec.of<OrderAccepted>(a).size() == 1; }));
  auto q = wait_for<OrderStatusReport>([&](auto cb) { v->query_order(spot_, *ClientOrderId::make(a), cb); });
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, OrderStatus::Accepted);
  EXPECT_EQ(q->price, far);
  auto open = wait_for<std::vector<OrderStatusReport>>([&](auto cb) { v->open_orders(spot_, cb); });
  ASSERT_TRUE(open);
  EXPECT_GE(open->size(), 3u);

  v->cancel(CancelRequest{spot_, *ClientOrderId::make(a), {}});
  ASSERT_TRUE(run_until([&] { return rec.of<OrderCanceled>(a).size() == 1; }));
  auto unknown = wait_for<OrderStatusReport>([&](auto cb) { v->query_order(spot_, *ClientOrderId::make("nosuch1"), cb); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, VenueErrorReason::UnknownOrder);

  v->cancel_all(std::nullopt);
  ASSERT_TRUE(run_until([&] { return rec.of<OrderCanceled>(b).size() == 1 && rec.of<OrderCanceled>(c).size() == 1; }));
  auto left = wait_for<std::vector<OrderStatusReport>>([&](auto cb) { v->open_orders(std::nullopt, cb); });
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  EXPECT_EQ(rec.of<OrderCanceled>(a).size(), 1u);  // the stream's cancel push was not reported again
}

TEST_F(OkxLiveTest, FillsSinceListsTheTradesTheStreamReported) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  const UnixNanos start = clock_.now_ns() - kNanosPerSecond;
  const std::string id = uid("fill");
  v->submit(order(id, spot_, Side::Sell, OrderType::Market, "0.002"));
  ASSERT_TRUE(run_until([&] { return filled(rec, id) == Quantity::from_string("0.002"); }));
  auto fills = wait_for<std::vector<OrderFilled>>([&](auto cb) { v->fills_since(spot_, start, cb); });
  ASSERT_TRUE(fills) << fills.error().message;
  std::map<std::string, int> ids;
  for (const auto& f : *fills)
    if (f.client_order_id.view() == id) ++ids[f.trade_id.str()];
  ASSERT_FALSE(ids.empty());
  for (const auto& f : rec.of<OrderFilled>(id)) EXPECT_EQ(ids[f.trade_id.str()], 1) << f.trade_id.view();
}

TEST_F(OkxLiveTest, TimestampsDriftingOutOfTheWindowResyncOnce) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  fault(R"({"fault":"clock_skew","duration_ms":45000})");
  auto r = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  fault(R"({"fault":"clock_skew","duration_ms":0})");
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  EXPECT_EQ(v->stats().timestamp_resyncs, 1u);
  EXPECT_NEAR(static_cast<double>(v->stats().server_time_offset_ms), 45'000.0, 2'000.0);
}

TEST_F(OkxLiveTest, RateLimitAnswerHoldsThePacer) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  fault(R"({"fault":"rate_limit","count":1})");
  const auto t0 = std::chrono::steady_clock::now();
  auto r = wait_for<AccountReport>([&](auto cb) { v->account(cb); });
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(v->stats().rate_limited, 1u);
  EXPECT_GE(v->stats().queued_for_rate_limit, 1u);
  EXPECT_GE(elapsed, 900ms);  // held for the second OKX gives no Retry-After for
}

TEST_F(OkxLiveTest, BurstOfOrdersIsQueuedNeverRefused) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  // 70 orders at once: OKX allows 60 per 2 s (the emulator enforces it with 50011); the pacer holds the
  // rest for the next window instead of having them refused.
  std::vector<std::string> ids;
  for (int i = 0; i < 70; ++i) {
    ids.push_back(uid("burst"));
    v->submit(order(ids.back(), spot_, Side::Buy, OrderType::Limit, "0.001", Price::from_string("1000")));
  }
  ASSERT_TRUE(run_until(
      [&] {
        for (const auto& id : ids)
          if (rec.of<OrderAccepted>(id).empty() && rec.of<OrderRejected>(id).empty()) return false;
        return true;
      },
      10s));
  for (const auto& id : ids) EXPECT_TRUE(rec.of<OrderRejected>(id).empty()) << id;
  EXPECT_GE(v->stats().queued_for_rate_limit, 10u);
  EXPECT_EQ(v->stats().rate_limited, 0u);
  v->cancel_all(spot_);
  ASSERT_TRUE(run_until([&] { return rec.of<OrderCanceled>(ids.back()).size() == 1; }));
}

TEST_F(OkxLiveTest, OrderThatTimedOutLocallyButFilledOnTheVenue) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  fault(R"({"fault":"accept_no_reply","count":1})");
  const std::string id = uid("lost");
  v->submit(order(id, spot_, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return !rec.of<OrderSubmitUnknown>(id).empty(); }));
  EXPECT_TRUE(rec.of<OrderRejected>(id).empty());
  EXPECT_EQ(v->stats().unknown_outcomes, 1u);
  auto q = wait_for<OrderStatusReport>([&](auto cb) { v->query_order(spot_, *ClientOrderId::make(id), cb); });
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, OrderStatus::Filled);
  EXPECT_EQ(q->filled_quantity, Quantity::from_string("0.001"));
}

TEST_F(OkxLiveTest, FillsReplayedAreCountedOnce) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  fault(R"({"fault":"duplicate_fill","count":1})");
  const std::string id = uid("dup");
  v->submit(order(id, spot_, Side::Buy, OrderType::Market, "0.003"));
  ASSERT_TRUE(run_until([&] { return filled(rec, id) == Quantity::from_string("0.003"); }));
  ASSERT_TRUE(run_until([&] { return v->stats().duplicate_fills_dropped >= 1; }, 3s));
  std::map<std::string, int> per_trade;
  for (const auto& f : rec.of<OrderFilled>(id)) ++per_trade[f.trade_id.str()];
  for (const auto& [t, n] : per_trade) EXPECT_EQ(n, 1) << t;
  EXPECT_EQ(filled(rec, id), Quantity::from_string("0.003"));
}

TEST_F(OkxLiveTest, PartialFillIsNotRecordedAsFull) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  // IOC at the best ask for twice what the level holds: part fills, the rest is canceled. The market walks
  // between reading the book and the order's arrival; an IOC that found the ask gone fills nothing, so a
  // few attempts are allowed (each must still be consistent), and one of them must fill partly.
  bool partial = false;
  for (int attempt = 0; attempt < 6 && !partial; ++attempt) {
    const auto [ask, qty] = best_ask("BTC-USDT");
    const Quantity want = qty + qty;
    const std::string id = uid("part");
    auto o = order(id, spot_, Side::Buy, OrderType::Limit, "1", ask, TimeInForce::Ioc);
    o.quantity = want;
    v->submit(o);
    ASSERT_TRUE(run_until([&] { return !rec.of<OrderCanceled>(id).empty() || filled(rec, id) == want; }));
    auto q = wait_for<OrderStatusReport>([&](auto cb) { v->query_order(spot_, *ClientOrderId::make(id), cb); });
    ASSERT_TRUE(q);
    EXPECT_EQ(filled(rec, id), q->filled_quantity);  // the events add up to the venue's filled size
    if (q->filled_quantity.is_positive() && q->filled_quantity < want) {
      partial = true;
      EXPECT_EQ(q->status, OrderStatus::Canceled);  // the IOC remainder, not Filled
      EXPECT_EQ(rec.of<OrderCanceled>(id).size(), 1u);
    }
  }
  EXPECT_TRUE(partial) << "no attempt filled partly";
}

TEST_F(OkxLiveTest, PrivateStreamDisconnectReconnectsAndLogsInAgain) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  fault(R"({"fault":"drop"})");
  ASSERT_TRUE(run_until([&] { return rec.connections(false) >= 1; }));
  ASSERT_TRUE(run_until([&] { return rec.connections(true) >= 2; }, 15s));
  EXPECT_EQ(v->stats().private_stream_reconnects, 1u);
  // Trading continues on the new connection.
  const std::string id = uid("after");
  v->submit(order(id, spot_, Side::Buy, OrderType::Market, "0.001"));
  ASSERT_TRUE(run_until([&] { return filled(rec, id) == Quantity::from_string("0.001"); }));
}

TEST_F(OkxLiveTest, PrivateStreamLoginRefusedForClockSkewResyncsAndLogsIn) {
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  // The venue's clock jumps; the next login (after a drop) carries a stale timestamp: 60004, resync, retry.
  fault(R"({"fault":"clock_skew","duration_ms":45000})");
  fault(R"({"fault":"drop"})");
  const bool back = run_until([&] { return rec.connections(true) >= 2; }, 20s);
  fault(R"({"fault":"clock_skew","duration_ms":0})");
  ASSERT_TRUE(back);
  EXPECT_NEAR(static_cast<double>(v->stats().server_time_offset_ms), 45'000.0, 2'000.0);
}

TEST_F(OkxLiveTest, CancelAllAfterRefreshedAndWhenStoppedTheVenueCancels) {
  cfg_.venues.okx.dead_man_switch = true;
  cfg_.venues.okx.dead_man_switch_timeout_s = 10;  // OKX's minimum; refreshed every 2.5 s
  Recorder rec;
  auto v = make_venue(rec);
  ASSERT_TRUE(v);
  const std::string id = uid("dms");
  v->submit(order(id, spot_, Side::Buy, OrderType::Limit, "0.001", Price::from_string("1000")));
  ASSERT_TRUE(run_until([&] { return rec.of<OrderAccepted>(id).size() == 1; }));
  ASSERT_TRUE(run_until([&] { return v->stats().dead_man_refreshes >= 2; }, 8s));
  EXPECT_EQ(v->stats().dead_man_failures, 0u);
  v->stop();  // refreshing stops; the switch stays armed

  cfg_.venues.okx.dead_man_switch = false;
  Recorder rec2;
  auto watcher = make_venue(rec2);
  ASSERT_TRUE(watcher);
  bool gone = false;
  ASSERT_TRUE(run_until(
      [&] {
        auto q = wait_for<OrderStatusReport>([&](auto cb) { watcher->query_order(spot_, *ClientOrderId::make(id), cb); });
        gone = q && q->status == OrderStatus::Canceled;
        return gone;
      },
      16s));
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace tradingd
