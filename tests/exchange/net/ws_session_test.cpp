// WsSession against the loopback server: every connect step's failure and timeout, idle timeout, text
// frames, ping/pong both ways, the single bounded write queue (order and overflow), closes from either
// side, permessage-deflate, and owner callbacks that destroy the session or throw.
#include <boost/asio/io_context.hpp>

#include "tests/exchange/net/net_test_util.h"

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct WsFixture : ::testing::Test {
  boost::asio::io_context io;
  WsRecorder rec;

  std::unique_ptr<TestWsServer> server(WsServerMode mode = WsServerMode::Normal, bool deflate = false) {
    WsServerOptions o;
    o.cert = shared_test_pki().good;
    o.mode = mode;
    o.deflate = deflate;
    return std::make_unique<TestWsServer>(io, o);
  }
  std::unique_ptr<net::WsSession> session(const std::string& url, net::WsOptions o = fast_ws_options()) {
    auto s = std::make_unique<net::WsSession>(io, tls_trusting_test_ca(), url_of(url), o, rec.handlers());
    s->start();
    return s;
  }
  bool wait_open() { return run_until(io, [&] { return rec.opened || rec.closed; }) && rec.opened; }
};

TEST_F(WsFixture, ConnectRefusedIsAConnectError) {
  auto s = session("wss://127.0.0.1:" + std::to_string(unused_port()) + "/");
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Connect);
  EXPECT_FALSE(rec.closed->timeout);
  EXPECT_FALSE(rec.opened);
  EXPECT_EQ(s->stats().connect_failures.value(), 1u);
}

TEST_F(WsFixture, TlsHandshakeTimesOut) {
  auto srv = server(WsServerMode::StallTls);
  auto o = fast_ws_options();
  o.tls_handshake_timeout_ms = 200;
  const auto t0 = Clock::now();
  auto s = session(srv->url(), o);
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  const auto took = Clock::now() - t0;
  EXPECT_EQ(rec.closed->stage, net::NetStage::TlsHandshake);
  EXPECT_TRUE(rec.closed->timeout) << rec.closed->to_string();
  EXPECT_GE(took, 180ms);
  EXPECT_LT(took, 2'000ms);
  EXPECT_EQ(srv->accepted(), 1u);
}

TEST_F(WsFixture, WebSocketHandshakeTimesOut) {
  auto srv = server(WsServerMode::StallUpgrade);
  auto o = fast_ws_options();
  o.ws_handshake_timeout_ms = 200;
  const auto t0 = Clock::now();
  auto s = session(srv->url(), o);
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::WsHandshake);
  EXPECT_TRUE(rec.closed->timeout) << rec.closed->to_string();
  EXPECT_LT(Clock::now() - t0, 2'000ms);
}

TEST_F(WsFixture, RefusedUpgradeReportsTheHttpStatus) {
  // What a wrong stream path looks like (e.g. a retired Binance route).
  auto srv = server(WsServerMode::RejectUpgrade);
  auto s = session(srv->url("localhost", "/no/such/path"));
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::WsHandshake);
  EXPECT_EQ(rec.closed->http_status, 404) << rec.closed->to_string();
}

TEST_F(WsFixture, IdleTimeoutClosesASilentConnection) {
  auto srv = server();
  auto o = fast_ws_options();
  o.idle_timeout_ms = 300;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  const auto t0 = Clock::now();
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }, 3'000ms));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Read);
  EXPECT_TRUE(rec.closed->timeout) << rec.closed->to_string();
  EXPECT_GE(Clock::now() - t0, 250ms);
  EXPECT_EQ(s->stats().disconnects.value(), 1u);
}

TEST_F(WsFixture, IdleTimeoutIsResetByTraffic) {
  auto srv = server();
  auto o = fast_ws_options();
  o.idle_timeout_ms = 1'000;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  for (int i = 0; i < 6; ++i) {  // 1.5 s in all, never 1 s without a frame
    srv->send(0, "tick");
    run_for(io, 250ms);
  }
  EXPECT_FALSE(rec.closed.has_value());
  EXPECT_EQ(rec.texts.size(), 6u);
}

TEST_F(WsFixture, DeliversTextFramesAndCounts) {
  auto srv = server();
  auto s = session(srv->url("localhost", "/stream?streams=a/b"));
  ASSERT_TRUE(wait_open());
  EXPECT_EQ(srv->last_target(0), "/stream?streams=a/b");
  srv->send(0, R"({"a":1})");
  srv->send(0, R"({"b":2})");
  ASSERT_TRUE(run_until(io, [&] { return rec.texts.size() == 2; }));
  EXPECT_EQ(rec.texts[0], R"({"a":1})");
  EXPECT_EQ(rec.texts[1], R"({"b":2})");
  EXPECT_EQ(s->stats().messages_in.value(), 2u);
  EXPECT_EQ(s->stats().bytes_in.value(), 14u);
  EXPECT_EQ(s->stats().connects.value(), 1u);
}

TEST_F(WsFixture, ServerPingIsAnsweredAutomatically) {
  auto srv = server();
  auto s = session(srv->url());
  ASSERT_TRUE(wait_open());
  srv->ping(0);
  ASSERT_TRUE(run_until(io, [&] { return srv->pongs_received(0) == 1; }));
  ASSERT_EQ(rec.controls.size(), 1u);
  EXPECT_EQ(rec.controls[0], net::WsControlFrame::Ping);
  EXPECT_EQ(s->stats().pings_received.value(), 1u);
}

TEST_F(WsFixture, ClientPingGetsAPong) {
  auto srv = server();
  auto s = session(srv->url());
  ASSERT_TRUE(wait_open());
  ASSERT_TRUE(s->send_ping());
  ASSERT_TRUE(run_until(io, [&] { return !rec.controls.empty(); }));
  EXPECT_EQ(rec.controls[0], net::WsControlFrame::Pong);
  EXPECT_EQ(srv->pings_received(0), 1u);
  EXPECT_EQ(s->stats().pings_sent.value(), 1u);
  EXPECT_EQ(s->stats().pongs_received.value(), 1u);
}

TEST_F(WsFixture, WriteQueueKeepsOrderWithPingsInterleaved) {
  auto srv = server();
  auto o = fast_ws_options();
  o.max_queued_writes = 1'000;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  std::vector<std::string> sent;
  for (int i = 0; i < 300; ++i) {
    sent.push_back("msg-" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 7) * 100, 'x'));
    ASSERT_TRUE(s->send_text(sent.back()));
    if (i % 50 == 0) {
      ASSERT_TRUE(s->send_ping());
    }
  }
  ASSERT_TRUE(run_until(io, [&] { return srv->received(0).size() == sent.size(); }));
  EXPECT_EQ(srv->received(0), sent);
  ASSERT_TRUE(run_until(io, [&] { return s->queued_writes() == 0; }));
  EXPECT_EQ(srv->pings_received(0), 6u);
  EXPECT_EQ(s->stats().messages_out.value(), 300u);
}

TEST_F(WsFixture, WriteQueueIsBounded) {
  auto srv = server();
  auto o = fast_ws_options();
  o.max_queued_writes = 4;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += s->send_text("m" + std::to_string(i)) ? 1 : 0;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(s->stats().write_queue_full.value(), 6u);
  ASSERT_TRUE(run_until(io, [&] { return srv->received(0).size() == 4; }));
  EXPECT_EQ(srv->received(0), (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
  EXPECT_TRUE(s->send_text("after"));  // drained: accepting again
}

TEST_F(WsFixture, SendBeforeOpenIsRefused) {
  auto srv = server();
  auto s = session(srv->url());
  EXPECT_FALSE(s->send_text("too early"));
  EXPECT_FALSE(s->is_open());
  ASSERT_TRUE(wait_open());
  EXPECT_TRUE(s->is_open());
}

TEST_F(WsFixture, RemoteCloseIsReported) {
  auto srv = server();
  auto s = session(srv->url());
  ASSERT_TRUE(wait_open());
  srv->close(0);
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_TRUE(rec.closed->remote_close);
  EXPECT_EQ(rec.closed->close_code, 1000);
  EXPECT_FALSE(s->is_open());
}

TEST_F(WsFixture, DroppedConnectionIsAReadError) {
  auto srv = server();
  auto s = session(srv->url());
  ASSERT_TRUE(wait_open());
  srv->drop(0);
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Read);
  EXPECT_FALSE(rec.closed->remote_close);
}

TEST_F(WsFixture, LocalCloseIsGracefulAndReportedOnce) {
  auto srv = server();
  auto s = session(srv->url());
  ASSERT_TRUE(wait_open());
  s->close();
  EXPECT_FALSE(rec.closed.has_value()) << "on_closed must not run inside close()";
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Local);
  ASSERT_TRUE(run_until(io, [&] { return srv->open_now() == 0; }));
  s->close();  // idempotent
  run_for(io, 20ms);
}

TEST_F(WsFixture, CloseWhileConnectingReportsLocal) {
  auto srv = server(WsServerMode::StallTls);
  auto s = session(srv->url());
  ASSERT_TRUE(run_until(io, [&] { return srv->accepted() == 1; }));
  s->close();
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }, 1'000ms));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Local);
  EXPECT_FALSE(rec.opened);
}

TEST_F(WsFixture, OwnerMayDestroyTheSessionInsideACallback) {
  auto srv = server();
  std::unique_ptr<net::WsSession> s;
  int texts = 0;
  net::WsHandlers h;
  h.on_text = [&](std::string_view) {
    ++texts;
    s.reset();
  };
  s = std::make_unique<net::WsSession>(io, tls_trusting_test_ca(), url_of(srv->url()), fast_ws_options(), h);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 1; }));
  srv->send(0, "one");
  srv->send(0, "two");
  ASSERT_TRUE(run_until(io, [&] { return texts == 1 && srv->open_now() == 0; }));
  run_for(io, 50ms);
  EXPECT_EQ(texts, 1);  // nothing after destruction
}

TEST_F(WsFixture, ThrowingHandlerIsContainedAndCounted) {
  auto srv = server();
  int texts = 0;
  net::WsHandlers h;
  h.on_text = [&](std::string_view t) {
    ++texts;
    if (t == "bad") throw std::runtime_error("malformed");
  };
  net::WsSession s(io, tls_trusting_test_ca(), url_of(srv->url()), fast_ws_options(), h);
  s.start();
  ASSERT_TRUE(run_until(io, [&] { return srv->opened() == 1; }));
  srv->send(0, "bad");
  srv->send(0, "good");
  ASSERT_TRUE(run_until(io, [&] { return texts == 2; }));
  EXPECT_EQ(s.stats().handler_errors.value(), 1u);
  EXPECT_TRUE(s.is_open());
}

TEST_F(WsFixture, PermessageDeflateIsNegotiable) {
  auto srv = server(WsServerMode::Normal, /*deflate=*/true);
  auto o = fast_ws_options();
  o.permessage_deflate = true;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  EXPECT_TRUE(srv->deflate_negotiated(0));
  const std::string big(20'000, 'a');
  srv->send(0, big);
  ASSERT_TRUE(s->send_text(big));
  ASSERT_TRUE(run_until(io, [&] { return rec.texts.size() == 1 && srv->received(0).size() == 1; }));
  EXPECT_EQ(rec.texts[0], big);
  EXPECT_EQ(srv->received(0)[0], big);
  // Without the option the client does not offer it.
  WsRecorder rec2;
  net::WsSession plain(io, tls_trusting_test_ca(), url_of(srv->url()), fast_ws_options(), rec2.handlers());
  plain.start();
  ASSERT_TRUE(run_until(io, [&] { return rec2.opened; }));
  EXPECT_FALSE(srv->deflate_negotiated(1));
}

TEST_F(WsFixture, OversizedMessageEndsTheSession) {
  auto srv = server();
  auto o = fast_ws_options();
  o.max_message_bytes = 1'000;
  auto s = session(srv->url(), o);
  ASSERT_TRUE(wait_open());
  srv->send(0, std::string(5'000, 'x'));
  ASSERT_TRUE(run_until(io, [&] { return rec.closed.has_value(); }));
  EXPECT_EQ(rec.closed->stage, net::NetStage::Read);
  EXPECT_TRUE(rec.texts.empty());
}

}  // namespace
}  // namespace tradingd::test
