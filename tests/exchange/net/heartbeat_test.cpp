// Venue heartbeat rules as pure state machines: Bybit pings every 20 s regardless of traffic, OKX pings
// after 20 s of silence, Binance probes with a control ping after 30 s of silence; a missing reply is
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

TEST(Heartbeat, OkxPingsOnlyAfterSilenceAndTrafficPostponesIt) {
  Heartbeat hb(okx_heartbeat());
  EXPECT_EQ(hb.config().ping_text, "ping");
  hb.on_open(0);
  hb.on_inbound(15'000);
  EXPECT_EQ(hb.poll(20'000), A::None);  // 5 s since the last frame
  EXPECT_EQ(hb.next_deadline_ms(), 35'000);
  EXPECT_EQ(hb.poll(35'000), A::SendPing);
  EXPECT_EQ(hb.poll(40'000), A::None);  // one ping per silent stretch
  EXPECT_EQ(hb.next_deadline_ms(), 45'000);
  EXPECT_EQ(hb.poll(45'000), A::Dead);  // no pong within 10 s
}

TEST(Heartbeat, OkxPongRestartsTheSilenceTimer) {
  Heartbeat hb(okx_heartbeat());
  hb.on_open(0);
  EXPECT_EQ(hb.poll(20'000), A::SendPing);
  hb.on_inbound(20'100);
  EXPECT_EQ(hb.poll(30'000), A::None);
  EXPECT_EQ(hb.poll(40'099), A::None);
  EXPECT_EQ(hb.poll(40'100), A::SendPing);
}

TEST(Heartbeat, OkxStaysUnder30sOfSilence) {
  // The server drops a connection silent for 30 s: our ping must go out well before.
  const auto c = okx_heartbeat();
  EXPECT_LT(c.interval_ms, 30'000);
  EXPECT_EQ(c.schedule, PingSchedule::OnSilence);
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
  Heartbeat hb(okx_heartbeat());
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
