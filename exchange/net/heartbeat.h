// The venue heartbeat as a pure state machine: when to send a ping (a WebSocket control ping or a
// venue-specific text frame), and when silence means the connection is dead. Any inbound frame (data,
// pong, the server's own control ping) proves the connection alive. Time is passed in (monotonic ms).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/enums.h"

namespace tradingd::net {

enum class PingFrame : std::uint8_t {
  None,     // we never ping (the server pings and the WebSocket layer pongs automatically)
  Control,  // a WebSocket ping control frame
  Text,     // a text frame with ping_text (Bybit {"op":"ping"}, OKX "ping")
};
enum class PingSchedule : std::uint8_t {
  Periodic,   // every interval_ms since the last ping, traffic or not (Bybit asks for this)
  OnSilence,  // after interval_ms without any inbound frame (OKX; our liveness probe on Binance)
};

struct HeartbeatConfig {
  PingFrame frame = PingFrame::None;
  PingSchedule schedule = PingSchedule::OnSilence;
  std::string ping_text;
  std::int64_t interval_ms = 20'000;
  std::int64_t pong_timeout_ms = 10'000;  // after a ping, no inbound frame for this long: dead
  std::int64_t max_silence_ms = 0;        // no inbound frame for this long: dead (0: only the pong rule)
  // How the venue's text pong looks, so it is not handed to the market-data parser.
  std::string pong_exact;     // the whole frame ("pong")
  std::string pong_contains;  // a fragment of the JSON reply ("\"op\":\"pong\"")
  std::string pong_contains2;
};

// Binance: the server pings (spot every 20 s, USD-M every 3 min) and Beast answers; we add a control
// ping after 30 s of silence so a half-open TCP connection is noticed within a minute.
HeartbeatConfig binance_heartbeat();
// Bybit v5 public: {"op":"ping"} every 20 s; the reply carries "ret_msg":"pong" (spot/linear).
HeartbeatConfig bybit_heartbeat();
// OKX v5: the server drops a connection silent for 30 s (close 4004); text "ping" every 20 s, "pong" back.
HeartbeatConfig okx_heartbeat();
HeartbeatConfig heartbeat_for(Venue venue);

class Heartbeat {
 public:
  enum class Action : std::uint8_t { None, SendPing, Dead };

  explicit Heartbeat(HeartbeatConfig config) : config_(std::move(config)) {}

  const HeartbeatConfig& config() const { return config_; }
  // A new connection is open: all clocks start now.
  void on_open(std::int64_t now_ms);
  // Any frame received (text, binary, ping, pong).
  void on_inbound(std::int64_t now_ms);
  // What to do now. SendPing is returned once per due ping and counts as sent at now_ms.
  Action poll(std::int64_t now_ms);
  // The earliest time poll() may return something other than None (for the caller's timer).
  std::int64_t next_deadline_ms() const;
  bool awaiting_pong() const { return awaiting_pong_; }
  std::int64_t pings_sent() const { return pings_sent_; }
  // True for the venue's text reply to our ping.
  bool is_pong(std::string_view text) const;

 private:
  HeartbeatConfig config_;
  std::int64_t last_inbound_ms_ = 0;
  std::int64_t last_ping_ms_ = 0;
  bool awaiting_pong_ = false;
  std::int64_t pings_sent_ = 0;
};

}  // namespace tradingd::net
