// ReconnectingWs against the loopback server, with a short backoff schedule and heartbeat: reconnect
// after drops with subscriptions re-sent on every connection, bounded attempts while the venue is down,
// heartbeat death detection (text and control pings), venue pongs filtered, make-before-break rotation
// (planned and when the old connection ends first), and stop().
#include <algorithm>

#include <boost/asio/io_context.hpp>

#include "exchange/net/reconnecting_ws.h"
#include "tests/exchange/net/net_test_util.h"

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;

net::ReconnectOptions fast_reconnect() {
  net::ReconnectOptions o;
  o.backoff.initial_ms = 20;
  o.backoff.max_ms = 80;
  o.backoff.min_ms = 10;
  o.backoff.stable_after_ms = 60'000;
  o.tick_ms = 10;
  o.seed = 7;
  return o;
}

net::HeartbeatConfig no_heartbeat() {
  net::HeartbeatConfig h;
  h.frame = net::PingFrame::None;
  return h;
}

struct Events {
  int opens = 0;
  int disconnects = 0;
  int switches = 0;
  std::vector<std::string> texts;
  std::vector<net::NetError> errors;
};

struct ReconnectFixture : ::testing::Test {
  boost::asio::io_context io;
  Events ev;
  std::vector<std::string> subscriptions{R"({"op":"subscribe","args":["a"]})"};

  std::unique_ptr<TestWsServer> server(std::function<std::optional<std::string>(std::size_t, std::string_view)> on_text = {}) {
    WsServerOptions o;
    o.cert = shared_test_pki().good;
    o.on_text = std::move(on_text);
    return std::make_unique<TestWsServer>(io, o);
  }

  net::ReconnectingWsHandlers handlers() {
    net::ReconnectingWsHandlers h;
    h.on_open = [this](net::WsSession& s) {
      ++ev.opens;
      for (const auto& sub : subscriptions) s.send_text(sub);
    };
    h.on_text = [this](std::string_view t) { ev.texts.emplace_back(t); };
    h.on_disconnected = [this](const net::NetError& e) {
      ++ev.disconnects;
      ev.errors.push_back(e);
    };
    h.on_switched = [this] { ++ev.switches; };
    return h;
  }

  std::unique_ptr<net::ReconnectingWs> client(const std::string& url, net::HeartbeatConfig hb = no_heartbeat(),
                                              net::ReconnectOptions ro = fast_reconnect()) {
    auto c = std::make_unique<net::ReconnectingWs>(io, tls_trusting_test_ca(), url_of(url), fast_ws_options(), hb, ro,
                                                   handlers());
    c->start();
    return c;
  }
};

TEST_F(ReconnectFixture, ReconnectsAfterDropsAndResubscribesEveryTime) {
  auto srv = server();
  auto c = client(srv->url());
  for (std::size_t conn = 0; conn < 3; ++conn) {
    ASSERT_TRUE(run_until(io, [&] { return srv->received(conn).size() == 1; })) << conn;
    EXPECT_EQ(srv->received(conn)[0], subscriptions[0]);
    srv->send(conn, "data-" + std::to_string(conn));
    ASSERT_TRUE(run_until(io, [&] { return ev.texts.size() == conn + 1; }));
    srv->drop(conn);
    ASSERT_TRUE(run_until(io, [&] { return srv->opened() == conn + 2; })) << conn;
  }
  ASSERT_TRUE(run_until(io, [&] { return ev.opens == 4; }));
  EXPECT_EQ(ev.texts, (std::vector<std::string>{"data-0", "data-1", "data-2"}));
  EXPECT_EQ(ev.disconnects, 3);
  EXPECT_EQ(ev.opens, 4);
  EXPECT_EQ(c->stats().reconnects.value(), 3u);
  EXPECT_EQ(c->stats().connects.value(), 4u);
  ASSERT_TRUE(run_until(io, [&] { return c->state() == net::ConnectionState::Open; }));
}

TEST_F(ReconnectFixture, SubscriptionsAddedLaterAreRestoredAfterReconnect) {
  auto srv = server();
  auto c = client(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  subscriptions.push_back(R"({"op":"subscribe","args":["b"]})");
  ASSERT_TRUE(c->send_text(subscriptions.back()));  // live subscription on the open connection
  ASSERT_TRUE(run_until(io, [&] { return srv->received(0).size() == 2; }));
  srv->drop(0);
  ASSERT_TRUE(run_until(io, [&] { return srv->received(1).size() == 2; }));
  EXPECT_EQ(srv->received(1), subscriptions);
}

TEST_F(ReconnectFixture, TargetIsRebuiltForEachConnection) {
  auto srv = server();
  std::string streams = "btcusdt@depth";
  auto h = handlers();
  h.target = [&] { return "/stream?streams=" + streams; };
  net::ReconnectingWs c(io, tls_trusting_test_ca(), url_of(srv->url()), fast_ws_options(), no_heartbeat(),
                        fast_reconnect(), h);
  c.start();
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 1; }));
  EXPECT_EQ(srv->last_target(0), "/stream?streams=btcusdt@depth");
  streams += "/ethusdt@depth";
  srv->drop(0);
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 2; }));
  EXPECT_EQ(srv->last_target(1), "/stream?streams=btcusdt@depth/ethusdt@depth");
}

TEST_F(ReconnectFixture, AttemptsAreBoundedWhileTheVenueIsDown) {
  const auto url = "wss://127.0.0.1:" + std::to_string(unused_port()) + "/";
  auto ro = fast_reconnect();
  ro.backoff.initial_ms = 50;
  ro.backoff.max_ms = 100;
  ro.backoff.min_ms = 50;
  auto c = client(url, no_heartbeat(), ro);
  run_for(io, 1'000ms);
  const auto failures = c->stats().connect_failures.value();
  // Each delay is in [50, 100] ms: at most 21 attempts fit in one second, never a tight loop (the lower
  // bound is loose: a loaded machine runs fewer).
  EXPECT_GE(failures, 3u);
  EXPECT_LE(failures, 21u);
  EXPECT_EQ(ev.opens, 0);
  EXPECT_EQ(static_cast<std::uint64_t>(ev.disconnects), failures);
  EXPECT_EQ(ev.errors.back().stage, net::NetStage::Connect);
  EXPECT_NE(c->state(), net::ConnectionState::Open);
}

TEST_F(ReconnectFixture, RecoversWhenTheVenueComesBack) {
  // A server that drops every connection at once keeps the client in backoff; once it behaves, the
  // client is connected again within the (short) maximum delay.
  bool hostile = true;
  std::unique_ptr<TestWsServer> srv;
  srv = server([&](std::size_t conn, std::string_view) -> std::optional<std::string> {
    if (hostile) srv->drop(conn);
    return std::nullopt;
  });
  auto c = client(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() >= 4; }));
  EXPECT_GE(ev.disconnects, 3);
  hostile = false;
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  const int disconnects = ev.disconnects;
  run_for(io, 200ms);
  EXPECT_TRUE(c->is_open());
  EXPECT_EQ(ev.disconnects, disconnects);
}

TEST_F(ReconnectFixture, TextHeartbeatWithoutReplyIsDeadAndReconnects) {
  auto srv = server();  // never answers "ping"
  auto hb = net::okx_heartbeat();
  hb.interval_ms = 100;
  hb.pong_timeout_ms = 100;
  auto c = client(srv->url(), hb);
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 2; }, 3'000ms));
  const auto got = srv->received(0);
  EXPECT_NE(std::find(got.begin(), got.end(), "ping"), got.end());
  EXPECT_EQ(c->stats().heartbeat_timeouts.value(), 1u);
  ASSERT_EQ(ev.errors.size(), 1u);
  EXPECT_EQ(ev.errors[0].stage, net::NetStage::Heartbeat);
  ASSERT_TRUE(run_until(io, [&] { return srv->received(1).size() >= 1; }));
  EXPECT_EQ(srv->received(1)[0], subscriptions[0]);  // resubscribed
}

TEST_F(ReconnectFixture, VenuePongsKeepItAliveAndAreNotDelivered) {
  auto srv = server([](std::size_t, std::string_view t) -> std::optional<std::string> {
    if (t == "ping") return std::string("pong");
    return std::nullopt;
  });
  auto hb = net::okx_heartbeat();
  hb.interval_ms = 50;
  hb.pong_timeout_ms = 2'000;  // generous: a loaded test machine must not look like a dead venue
  auto c = client(srv->url(), hb);
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  ASSERT_TRUE(run_until(io, [&] { return c->stats().pongs_received.value() >= 3; }));
  EXPECT_EQ(srv->opened(), 1u);
  EXPECT_GE(c->stats().pings_sent.value(), 3u);
  EXPECT_TRUE(ev.texts.empty()) << "pongs must not reach the parser";
  EXPECT_EQ(c->stats().heartbeat_timeouts.value(), 0u);
}

TEST_F(ReconnectFixture, BybitStyleJsonHeartbeat) {
  auto srv = server([](std::size_t, std::string_view t) -> std::optional<std::string> {
    if (t == R"({"op":"ping"})") return std::string(R"({"success":true,"ret_msg":"pong","conn_id":"c1","op":"ping"})");
    return std::nullopt;
  });
  auto hb = net::bybit_heartbeat();
  hb.interval_ms = 50;
  hb.pong_timeout_ms = 2'000;
  auto c = client(srv->url(), hb);
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  srv->send(0, R"({"topic":"publicTrade.BTCUSDT","data":[]})");
  ASSERT_TRUE(run_until(io, [&] { return c->stats().pongs_received.value() >= 3; }));
  EXPECT_EQ(srv->opened(), 1u);
  EXPECT_EQ(ev.texts, (std::vector<std::string>{R"({"topic":"publicTrade.BTCUSDT","data":[]})"}));
}

TEST_F(ReconnectFixture, ControlPingHeartbeatDetectsAHungServer) {
  auto srv = server();
  auto hb = net::binance_heartbeat();
  hb.interval_ms = 100;
  hb.pong_timeout_ms = 500;
  auto c = client(srv->url(), hb);
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  run_for(io, 300ms);  // control pings answered automatically by the server
  EXPECT_EQ(srv->opened(), 1u);
  EXPECT_GE(srv->pings_received(0), 1u);
  srv->stop_reading(0);        // hung: our pings are no longer answered
  ASSERT_TRUE(c->send_text("last"));  // completes the server's read in progress; it reads no more
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 2; }, 5'000ms));
  EXPECT_EQ(c->stats().heartbeat_timeouts.value(), 1u);
}

TEST_F(ReconnectFixture, RotationIsMakeBeforeBreakWithoutGapOrDuplicate) {
  auto srv = server();
  auto c = client(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  srv->send(0, "old-1");
  c->rotate();
  // The standby opens and subscribes while the old connection is still up and delivering.
  ASSERT_TRUE(run_until(io, [&] { return srv->received(1).size() == 1; }));
  EXPECT_EQ(srv->open_now(), 2u);
  EXPECT_EQ(srv->received(1)[0], subscriptions[0]);
  srv->send(0, "old-2");
  ASSERT_TRUE(run_until(io, [&] { return ev.texts.size() == 2; }));
  srv->send(1, "new-1");  // the standby's first frame promotes it
  ASSERT_TRUE(run_until(io, [&] { return ev.switches == 1; }));
  ASSERT_TRUE(run_until(io, [&] { return srv->open_now() == 1; }));
  srv->send(0, "old-late");  // the old connection is closed: never delivered
  srv->send(1, "new-2");
  ASSERT_TRUE(run_until(io, [&] { return ev.texts.size() == 4; }));
  run_for(io, 50ms);
  EXPECT_EQ(ev.texts, (std::vector<std::string>{"old-1", "old-2", "new-1", "new-2"}));
  EXPECT_EQ(ev.disconnects, 0);
  EXPECT_EQ(c->stats().rotations.value(), 1u);
  EXPECT_EQ(ev.opens, 2);
}

TEST_F(ReconnectFixture, MaximumAgeTriggersRotation) {
  auto srv = server();
  auto ro = fast_reconnect();
  ro.max_connection_age_ms = 200;  // Binance: just under 24 h
  const auto t0 = std::chrono::steady_clock::now();
  auto c = client(srv->url(), no_heartbeat(), ro);
  ASSERT_TRUE(run_until(io, [&] { return srv->received(1).size() == 1; }, 3'000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 180ms);
  EXPECT_EQ(srv->open_now(), 2u);  // make before break
  srv->send(1, "from-standby");
  ASSERT_TRUE(run_until(io, [&] { return ev.switches >= 1; }));
  EXPECT_EQ(ev.texts.at(0), "from-standby");
  EXPECT_EQ(ev.disconnects, 0);
}

TEST_F(ReconnectFixture, VenueClosingTheOldConnectionFirstHandsOverToTheStandby) {
  auto srv = server();
  auto c = client(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  c->rotate();  // e.g. Binance's serverShutdown notice
  ASSERT_TRUE(run_until(io, [&] { return srv->received(1).size() == 1; }));
  srv->close(0);  // the venue's scheduled disconnect arrives before any frame on the standby
  ASSERT_TRUE(run_until(io, [&] { return ev.switches == 1; }));
  srv->send(1, "continues");
  ASSERT_TRUE(run_until(io, [&] { return ev.texts.size() == 1; }));
  EXPECT_EQ(ev.disconnects, 0);
  EXPECT_EQ(srv->opened(), 2u);
  EXPECT_TRUE(c->is_open());
}

TEST_F(ReconnectFixture, StandbyThatNeverDeliversIsAbandoned) {
  auto srv = server();
  auto ro = fast_reconnect();
  ro.rotation_timeout_ms = 150;
  ro.rotation_retry_ms = 60'000;
  auto c = client(srv->url(), no_heartbeat(), ro);
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  c->rotate();
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 2; }));
  ASSERT_TRUE(run_until(io, [&] { return srv->open_now() == 1; }, 2'000ms));
  srv->send(0, "still-old");
  ASSERT_TRUE(run_until(io, [&] { return ev.texts.size() == 1; }));
  EXPECT_EQ(c->stats().rotations.value(), 0u);
  EXPECT_EQ(ev.disconnects, 0);
}

TEST_F(ReconnectFixture, StopEndsEverythingQuietly) {
  auto srv = server();
  auto c = client(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return c->is_open(); }));
  c->stop();
  EXPECT_EQ(c->state(), net::ConnectionState::Idle);
  ASSERT_TRUE(run_until(io, [&] { return srv->open_now() == 0; }));
  run_for(io, 200ms);
  EXPECT_EQ(srv->opened(), 1u);  // no reconnect after stop
  EXPECT_EQ(ev.disconnects, 0);
  EXPECT_FALSE(c->send_text("x"));
}

}  // namespace
}  // namespace tradingd::test
