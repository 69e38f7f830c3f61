// Bybit v5 public stream layout (pure): /v5/public/spot and /v5/public/linear connections, the topic of
// each channel (publicTrade, orderbook.1 for best bid/ask, orderbook.N for the book, kline.1, tickers for
// linear mark price and funding) and the {"op":"subscribe"} frames — at most 10 args per frame, the spot
// limit. Books are resynced by resubscribing (the first message of a subscription is a snapshot).
#pragma once

#include <string>
#include <vector>

#include "exchange/net/feed_spec.h"

namespace tradingd::bybit {

struct MarketDataEndpoints {
  std::string rest;       // https://api.bybit.com
  std::string ws_spot;    // wss://stream.bybit.com/v5/public/spot
  std::string ws_linear;  // wss://stream.bybit.com/v5/public/linear
};

inline constexpr std::size_t kSpotConnection = 0;
inline constexpr std::size_t kLinearConnection = 1;
inline constexpr std::size_t kMaxArgsPerFrame = 10;

// The orderbook depth Bybit offers for a wanted depth: 1, 50, 200 or 1000 (the smallest that is enough).
std::uint32_t orderbook_depth(int wanted);
std::vector<net::FeedTopic> topics_for(const InstrumentId& instrument, std::uint32_t channels, int book_depth);
// {"req_id":"N","op":"subscribe","args":[...]} frames, ≤ kMaxArgsPerFrame args each.
std::vector<std::string> subscription_frames(std::span<const std::string> topics, bool subscribe, std::uint64_t& next_id);

class BybitFeedSpec final : public net::FeedSpec {
 public:
  static Result<std::unique_ptr<BybitFeedSpec>, std::string> create(const MarketDataEndpoints& endpoints, int book_depth);

  Venue venue() const override { return Venue::Bybit; }
  const std::vector<net::FeedConnectionSpec>& connections() const override { return connections_; }
  std::vector<net::FeedTopic> topics(const InstrumentId& instrument, std::uint32_t channels) const override {
    return topics_for(instrument, channels, book_depth_);
  }
  std::string target(std::size_t, std::span<const std::string>) const override { return {}; }
  std::vector<std::string> subscription_messages(std::size_t, std::span<const std::string> topics, bool subscribe,
                                                 std::uint64_t& next_id) const override {
    return subscription_frames(topics, subscribe, next_id);
  }
  bool resync_by_snapshot() const override { return false; }

 private:
  std::vector<net::FeedConnectionSpec> connections_;
  int book_depth_ = 50;
};

}  // namespace tradingd::bybit
