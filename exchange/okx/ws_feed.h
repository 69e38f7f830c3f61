// OKX v5 public stream layout (pure): books, bbo-tbt (best bid/ask), trades, mark-price and funding-rate
// on /ws/v5/public, candle1m on /ws/v5/business (the wrong URL is refused with 60018/64001/64002). A
// topic is the subscription arg object {"channel":..,"instId":..}; frames carry many args but stay far
// below OKX's 64 KB per request. Books are resynced by resubscribing (a subscription starts with a
// snapshot); the server drops connections silent for 30 s, hence the "ping" heartbeat.
#pragma once

#include <string>
#include <vector>

#include "exchange/net/feed_spec.h"

namespace tradingd::okx {

struct MarketDataEndpoints {
  std::string rest;         // https://openapi.okx.com
  std::string ws_public;    // wss://ws.okx.com:8443/ws/v5/public
  std::string ws_business;  // wss://ws.okx.com:8443/ws/v5/business
  bool simulated_trading = false;  // demo: x-simulated-trading: 1 on REST
};

inline constexpr std::size_t kPublicConnection = 0;
inline constexpr std::size_t kBusinessConnection = 1;
inline constexpr std::size_t kMaxArgsPerFrame = 50;

// {"channel":"books","instId":"BTC-USDT"}
std::string channel_arg(std::string_view channel, std::string_view inst_id);
std::vector<net::FeedTopic> topics_for(const InstrumentId& instrument, std::uint32_t channels);
// {"id":"N","op":"subscribe","args":[...]} frames (ids are alphanumeric, ≤ 32 chars as OKX requires).
std::vector<std::string> subscription_frames(std::span<const std::string> args, bool subscribe, std::uint64_t& next_id);

class OkxFeedSpec final : public net::FeedSpec {
 public:
  static Result<std::unique_ptr<OkxFeedSpec>, std::string> create(const MarketDataEndpoints& endpoints);

  Venue venue() const override { return Venue::Okx; }
  const std::vector<net::FeedConnectionSpec>& connections() const override { return connections_; }
  std::vector<net::FeedTopic> topics(const InstrumentId& instrument, std::uint32_t channels) const override {
    return topics_for(instrument, channels);
  }
  std::string target(std::size_t, std::span<const std::string>) const override { return {}; }
  std::vector<std::string> subscription_messages(std::size_t, std::span<const std::string> topics, bool subscribe,
                                                 std::uint64_t& next_id) const override {
    return subscription_frames(topics, subscribe, next_id);
  }
  bool resync_by_snapshot() const override { return false; }

 private:
  std::vector<net::FeedConnectionSpec> connections_;
};

}  // namespace tradingd::okx
