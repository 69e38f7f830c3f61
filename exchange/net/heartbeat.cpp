// Venue heartbeat rules (../shared/venues/*.md §WebSocket) and the pure ping/dead state machine.
#include "exchange/net/heartbeat.h"

#include <algorithm>
#include <limits>

namespace tradingd::net {

HeartbeatConfig binance_heartbeat() {
  HeartbeatConfig c;
  c.frame = PingFrame::Control;  // unsolicited client pings are answered; they count towards 5 msgs/s
  c.schedule = PingSchedule::OnSilence;
  c.interval_ms = 30'000;
  c.pong_timeout_ms = 30'000;
  return c;
}

HeartbeatConfig bybit_heartbeat() {
  HeartbeatConfig c;
  c.frame = PingFrame::Text;
  c.schedule = PingSchedule::Periodic;
  c.ping_text = R"({"op":"ping"})";
  c.interval_ms = 20'000;
  c.pong_timeout_ms = 10'000;
  c.pong_contains = R"("ret_msg":"pong")";
  c.pong_contains2 = R"("op":"pong")";
  return c;
}

HeartbeatConfig okx_heartbeat() {
  HeartbeatConfig c;
  c.frame = PingFrame::Text;
  // Every 20 s, traffic or not: OKX's docs restart the timer on inbound frames, but its close code 4004
  // ("No data received in 30s") is about what *we* send; a periodic ping satisfies both readings, and
  // still notices 30 s of inbound silence (ping at most 20 s into it, pong due 10 s later).
  c.schedule = PingSchedule::Periodic;
  c.ping_text = "ping";
  c.interval_ms = 20'000;
  c.pong_timeout_ms = 10'000;
  c.pong_exact = "pong";
  return c;
}

HeartbeatConfig heartbeat_for(Venue venue) {
  switch (venue) {
    case Venue::Bybit: return bybit_heartbeat();
    case Venue::Okx: return okx_heartbeat();
    case Venue::Binance:
    case Venue::Simulated: break;
  }
  return binance_heartbeat();
}

void Heartbeat::on_open(std::int64_t now_ms) {
  last_inbound_ms_ = now_ms;
  last_ping_ms_ = now_ms;
  awaiting_pong_ = false;
}

void Heartbeat::on_inbound(std::int64_t now_ms) {
  last_inbound_ms_ = std::max(last_inbound_ms_, now_ms);
  // Any frame after the ping proves the connection; for Periodic venues a data frame may arrive before
  // the pong, which is just as good evidence.
  if (awaiting_pong_ && last_inbound_ms_ >= last_ping_ms_) awaiting_pong_ = false;
}

Heartbeat::Action Heartbeat::poll(std::int64_t now_ms) {
  if (config_.max_silence_ms > 0 && now_ms - last_inbound_ms_ >= config_.max_silence_ms) return Action::Dead;
  if (awaiting_pong_ && now_ms - last_ping_ms_ >= config_.pong_timeout_ms) return Action::Dead;
  if (config_.frame == PingFrame::None) return Action::None;
  const std::int64_t due = config_.schedule == PingSchedule::Periodic
                               ? last_ping_ms_ + config_.interval_ms
                               : std::max(last_inbound_ms_, last_ping_ms_) + config_.interval_ms;
  if (now_ms < due) return Action::None;
  // OnSilence: one ping per silent stretch; while a ping is outstanding, only the pong rule applies.
  if (config_.schedule == PingSchedule::OnSilence && awaiting_pong_) return Action::None;
  last_ping_ms_ = now_ms;
  awaiting_pong_ = true;
  ++pings_sent_;
  return Action::SendPing;
}

std::int64_t Heartbeat::next_deadline_ms() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  if (config_.max_silence_ms > 0) t = std::min(t, last_inbound_ms_ + config_.max_silence_ms);
  if (awaiting_pong_) t = std::min(t, last_ping_ms_ + config_.pong_timeout_ms);
  if (config_.frame != PingFrame::None && !(config_.schedule == PingSchedule::OnSilence && awaiting_pong_)) {
    t = std::min(t, config_.schedule == PingSchedule::Periodic
                        ? last_ping_ms_ + config_.interval_ms
                        : std::max(last_inbound_ms_, last_ping_ms_) + config_.interval_ms);
  }
  return t;
}

bool Heartbeat::is_pong(std::string_view text) const {
  if (!config_.pong_exact.empty() && text == config_.pong_exact) return true;
  // Venue pongs are short; a fragment match on a long data frame would be a coincidence, not a pong.
  if (text.size() > 256) return false;
  if (!config_.pong_contains.empty() && text.find(config_.pong_contains) != std::string_view::npos) return true;
  if (!config_.pong_contains2.empty() && text.find(config_.pong_contains2) != std::string_view::npos) return true;
  return false;
}

}  // namespace tradingd::net
