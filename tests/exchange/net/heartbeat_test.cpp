// Venue heartbeat rules as pure state machines: Bybit and OKX ping every 20 s regardless of traffic,
// Binance probes with a control ping after 30 s of silence; a missing reply is
// Dead; any inbound frame counts as a reply; the venues' pong frames are recognised.
#include "exchange/net/heartbeat.h"

#include <gtest/gtest.h>

namespace tradingd::net {
namespace {

using A = Heartbeat::Action;

TEST(Heartbeat, BybitPingsEvery20sEvenWithTraffic) {
  Heartbeat hb(bybit_heartbeat());
  EXPECT_EQ(hb.config().ping_text, R"({"op":"ping"})");
  EXPECT_EQ(hb.config().frame, PingFrame::Text);
  hb.on_open(0);
  for (std::int64_t t = 1'000; t < 20'000; t += 1'000) {
    hb.on_inbound(t);  // market data flowing
    ASSERT_EQ(hb.poll(t), A::None) << t;
  }
  EXPECT_EQ(hb.next_deadline_ms(), 20'000);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  EXPECT_EQ(hb.poll(20'001), A::None);  // once per due ping
  hb.on_inbound(20'050);                // the pong
  EXPECT_FALSE(hb.awaiting_pong());
  EXPECT_EQ(hb.poll(39'999), A::None);
  EXPECT_EQ(hb.poll(40'000), A::SendPing);
  EXPECT_EQ(hb.pings_sent(), 2);
}

TEST(Heartbeat, BybitDeadWhenNothingAnswers) {
  Heartbeat hb(bybit_heartbeat());
  hb.on_open(0);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  EXPECT_EQ(hb.poll(29'999), A::None);
  EXPECT_EQ(hb.poll(30'000), A::Dead);
}

TEST(Heartbeat, OkxPingsEvery20sSoTheServerAlwaysHearsFromUs) {
  Heartbeat hb(okx_heartbeat());
  EXPECT_EQ(hb.config().ping_text, "ping");
  hb.on_open(0);
  hb.on_inbound(15'000);  // a push from the venue does not postpone our ping (close 4004 counts what we send)
  EXPECT_EQ(hb.poll(19'999), A::None);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  EXPECT_EQ(hb.poll(25'000), A::None);
  EXPECT_EQ(hb.poll(30'000), A::Dead);  // no pong (nor anything else) within 10 s
}

TEST(Heartbeat, OkxPongOrAnyFrameAnswersThePing) {
  Heartbeat hb(okx_heartbeat());
  hb.on_open(0);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  hb.on_inbound(20'100);
  EXPECT_EQ(hb.poll(30'000), A::None);
  EXPECT_EQ(hb.poll(39'999), A::None);
  EXPECT_EQ(hb.poll(40'000), A::SendPing);
}

TEST(Heartbeat, OkxNoticesInboundSilenceWithin30s) {
  // The venue drops a connection silent for 30 s; we must notice a dead one about as fast.
  const auto c = okx_heartbeat();
  EXPECT_LT(c.interval_ms, 30'000);
  EXPECT_LE(c.interval_ms + c.pong_timeout_ms, 30'000);
  Heartbeat hb(c);
  hb.on_open(0);
  hb.on_inbound(19'000);  // the last frame ever
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  EXPECT_EQ(hb.poll(30'000), A::Dead);
}

TEST(Heartbeat, BinanceControlPingAfterSilenceServerPingsKeepItQuiet) {
  Heartbeat hb(binance_heartbeat());
  EXPECT_EQ(hb.config().frame, PingFrame::Control);
  hb.on_open(0);
  // The server's own pings every 20 s are inbound frames: we never need to probe.
  for (std::int64_t t = 20'000; t <= 200'000; t += 20'000) {
    hb.on_inbound(t);
    ASSERT_EQ(hb.poll(t + 1), A::None);
  }
  // Silence (a half-open connection): probe at 30 s, dead 30 s later.
  EXPECT_EQ(hb.poll(230'000), A::SendPing);
  EXPECT_EQ(hb.poll(259'999), A::None);
  EXPECT_EQ(hb.poll(260'000), A::Dead);
}

TEST(Heartbeat, MaxSilenceIsAHardLimit) {
  HeartbeatConfig c;
  c.frame = PingFrame::None;
  c.max_silence_ms = 5'000;
  Heartbeat hb(c);
  hb.on_open(1'000);
  EXPECT_EQ(hb.poll(5'999), A::None);
  EXPECT_EQ(hb.next_deadline_ms(), 6'000);
  EXPECT_EQ(hb.poll(6'000), A::Dead);
}

TEST(Heartbeat, ReopenResetsEverything) {
  Heartbeat hb(bybit_heartbeat());
  hb.on_open(0);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  hb.on_open(100'000);
  EXPECT_FALSE(hb.awaiting_pong());
  EXPECT_EQ(hb.poll(110'000), A::None);
}

TEST(Heartbeat, RecognisesVenuePongs) {
  Heartbeat bybit(bybit_heartbeat());
  EXPECT_TRUE(bybit.is_pong(R"({"success":true,"ret_msg":"pong","conn_id":"abc","op":"ping"})"));
  EXPECT_TRUE(bybit.is_pong(R"({"req_id":"1","op":"pong","args":["1700000000000"],"conn_id":"x"})"));
  EXPECT_FALSE(bybit.is_pong(R"({"success":true,"ret_msg":"","conn_id":"abc","op":"subscribe"})"));
  EXPECT_FALSE(bybit.is_pong(R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{}})"));
  Heartbeat okx(okx_heartbeat());
  EXPECT_TRUE(okx.is_pong("pong"));
  EXPECT_FALSE(okx.is_pong(R"({"event":"subscribe"})"));
  Heartbeat binance(binance_heartbeat());
  EXPECT_FALSE(binance.is_pong("pong"));
  EXPECT_EQ(heartbeat_for(Venue::Okx).ping_text, "ping");
  EXPECT_EQ(heartbeat_for(Venue::Bybit).ping_text, R"({"op":"ping"})");
  EXPECT_EQ(heartbeat_for(Venue::Binance).frame, PingFrame::Control);
}

}  // namespace
}  // namespace tradingd::net
