// Binance stream names, targets and subscription frames (see ws_feed.h).
#include "exchange/binance/ws_feed.h"

#include "exchange/market_data.h"

namespace tradingd::binance {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

std::vector<net::FeedTopic> stream_topics(const InstrumentId& instrument, std::uint32_t channels) {
  const std::string s = lower(instrument.symbol.view());
  std::vector<net::FeedTopic> out;
  if (instrument.kind == MarketKind::Spot) {
    if (channels & kTrades) out.push_back({kSpotConnection, s + "@trade", false});
    if (channels & kQuotes) out.push_back({kSpotConnection, s + "@bookTicker", false});
    if (channels & kBook) out.push_back({kSpotConnection, s + "@depth@100ms", true});
    if (channels & kBars1m) out.push_back({kSpotConnection, s + "@kline_1m", false});
    return out;  // spot has no mark price or funding
  }
  if (channels & kTrades) out.push_back({kUsdmMarketConnection, s + "@aggTrade", false});
  if (channels & kQuotes) out.push_back({kUsdmPublicConnection, s + "@bookTicker", false});
  if (channels & kBook) out.push_back({kUsdmPublicConnection, s + "@depth@100ms", true});
  if (channels & kBars1m) out.push_back({kUsdmMarketConnection, s + "@kline_1m", false});
  // One stream carries both: markPriceUpdate has the mark price and the funding rate.
  if (channels & (kMarkPrice | kFunding)) out.push_back({kUsdmMarketConnection, s + "@markPrice@1s", false});
  return out;
}

std::string combined_stream_target(std::string_view base_path, std::span<const std::string> streams) {
  std::string query = "stream?streams=";
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) query += '/';
    query += streams[i];
  }
  return net::join_path(base_path.substr(0, base_path.find('?')), query);
}

std::string subscription_frame(std::span<const std::string> streams, bool subscribe, std::uint64_t id) {
  std::string f = subscribe ? R"({"method":"SUBSCRIBE","params":[)" : R"({"method":"UNSUBSCRIBE","params":[)";
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) f += ',';
    f += '"';
    f += streams[i];  // stream names are [a-z0-9@_]: nothing to escape
    f += '"';
  }
  f += R"(],"id":)";
  f += std::to_string(id);
  f += '}';
  return f;
}

Result<std::unique_ptr<BinanceFeedSpec>, std::string> BinanceFeedSpec::create(const MarketDataEndpoints& e) {
  auto spec = std::unique_ptr<BinanceFeedSpec>(new BinanceFeedSpec());
  struct Def {
    const char* name;
    const std::string* url;
    MarketKind kind;
  };
  const Def defs[] = {{"spot", &e.spot_ws, MarketKind::Spot},
                      {"usdm-public", &e.usdm_ws_public, MarketKind::LinearPerp},
                      {"usdm-market", &e.usdm_ws_market, MarketKind::LinearPerp}};
  for (const auto& d : defs) {
    auto url = net::parse_url(*d.url);
    if (!url.ok()) return Err{"binance " + std::string(d.name) + " stream URL: " + url.error()};
    net::FeedConnectionSpec c;
    c.name = d.name;
    c.url = *url;
    c.kind = d.kind;
    c.heartbeat = net::binance_heartbeat();
    c.max_connection_age_ms = kMaxConnectionAgeMs;
    c.topics_in_url = true;
    spec->connections_.push_back(std::move(c));
  }
  return spec;
}

std::string BinanceFeedSpec::target(std::size_t connection, std::span<const std::string> topics) const {
  return combined_stream_target(connections_.at(connection).url.target, topics);
}

std::vector<std::string> BinanceFeedSpec::subscription_messages(std::size_t, std::span<const std::string> topics,
                                                                bool subscribe, std::uint64_t& next_id) const {
  // One frame for all of them: spot allows only 5 incoming messages per second per connection.
  return {subscription_frame(topics, subscribe, next_id++)};
}

}  // namespace tradingd::binance
