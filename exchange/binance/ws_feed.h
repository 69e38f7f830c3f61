// Binance market-stream layout (pure): which connection and stream name carry each channel, the combined
// stream URL target and the SUBSCRIBE/UNSUBSCRIBE frames. Spot streams go on the spot host; USD-M streams
// on the routed paths (since 2026-04-23): depth and bookTicker on /public, aggTrade, kline and markPrice on
// /market — a stream on the wrong path is acknowledged but silent. Topics travel in the URL
// (/stream?streams=a/b), so a reconnect needs no subscribe frame; streams added later are SUBSCRIBEd.
// Connections rotate before Binance's 24 h forced disconnect.
#pragma once

#include <string>
#include <vector>

#include "exchange/net/feed_spec.h"

namespace tradingd::binance {

struct MarketDataEndpoints {
  std::string spot_rest;        // https://api.binance.com
  std::string spot_ws;          // wss://stream.binance.com:9443
  std::string usdm_rest;        // https://fapi.binance.com
  std::string usdm_ws_public;   // wss://fstream.binance.com/public
  std::string usdm_ws_market;   // wss://fstream.binance.com/market
};

// Connection indices of BinanceFeedSpec.
inline constexpr std::size_t kSpotConnection = 0;
inline constexpr std::size_t kUsdmPublicConnection = 1;
inline constexpr std::size_t kUsdmMarketConnection = 2;

// Just under 24 h: the rotation (and a retry or two) completes before the venue cuts the connection.
inline constexpr std::int64_t kMaxConnectionAgeMs = 23 * 3'600'000 + 30 * 60'000;

// "btcusdt@depth@100ms" etc.: the stream names of `channels` for one instrument, with their connection.
std::vector<net::FeedTopic> stream_topics(const InstrumentId& instrument, std::uint32_t channels);
// base_path (the URL's path, "/" or "/public") + "stream?streams=a/b/c".
std::string combined_stream_target(std::string_view base_path, std::span<const std::string> streams);
// {"method":"SUBSCRIBE","params":[...],"id":N}
std::string subscription_frame(std::span<const std::string> streams, bool subscribe, std::uint64_t id);

class BinanceFeedSpec final : public net::FeedSpec {
 public:
  // Fails on an unparsable URL.
  static Result<std::unique_ptr<BinanceFeedSpec>, std::string> create(const MarketDataEndpoints& endpoints);

  Venue venue() const override { return Venue::Binance; }
  const std::vector<net::FeedConnectionSpec>& connections() const override { return connections_; }
  std::vector<net::FeedTopic> topics(const InstrumentId& instrument, std::uint32_t channels) const override {
    return stream_topics(instrument, channels);
  }
  std::string target(std::size_t connection, std::span<const std::string> topics) const override;
  std::vector<std::string> subscription_messages(std::size_t connection, std::span<const std::string> topics,
                                                 bool subscribe, std::uint64_t& next_id) const override;
  bool resync_by_snapshot() const override { return true; }

 private:
  std::vector<net::FeedConnectionSpec> connections_;
};

}  // namespace tradingd::binance
