// Bybit topics and subscription frames (see ws_feed.h).
#include "exchange/bybit/ws_feed.h"

#include "exchange/market_data.h"

namespace tradingd::bybit {

std::uint32_t orderbook_depth(int wanted) {
  if (wanted <= 1) return 1;
  if (wanted <= 50) return 50;
  if (wanted <= 200) return 200;
  return 1000;
}

std::vector<net::FeedTopic> topics_for(const InstrumentId& instrument, std::uint32_t channels, int book_depth) {
  const std::string s = instrument.symbol.str();
  const std::size_t conn = instrument.kind == MarketKind::Spot ? kSpotConnection : kLinearConnection;
  std::vector<net::FeedTopic> out;
  if (channels & kTrades) out.push_back({conn, "publicTrade." + s, false});
  // Spot tickers carry no bid/ask: orderbook.1 is the best bid/ask on both markets (the decoder turns it
  // into QuoteTicks). It is snapshot-only, so it never needs a resync.
  if (channels & kQuotes) out.push_back({conn, "orderbook.1." + s, false});
  if (channels & kBook) {
    const auto depth = orderbook_depth(book_depth);
    out.push_back({conn, "orderbook." + std::to_string(depth == 1 ? 50 : depth) + "." + s, true});
  }
  if (channels & kBars1m) out.push_back({conn, "kline.1." + s, false});
  if (instrument.kind == MarketKind::LinearPerp && (channels & (kMarkPrice | kFunding)))
    out.push_back({conn, "tickers." + s, false});
  return out;
}

std::vector<std::string> subscription_frames(std::span<const std::string> topics, bool subscribe, std::uint64_t& next_id) {
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < topics.size(); i += kMaxArgsPerFrame) {
    std::string f = R"({"req_id":")" + std::to_string(next_id++) + R"(","op":")" + (subscribe ? "subscribe" : "unsubscribe") +
                    R"(","args":[)";
    for (std::size_t j = i; j < topics.size() && j < i + kMaxArgsPerFrame; ++j) {
      if (j > i) f += ',';
      f += '"';
      f += topics[j];  // topic names are [A-Za-z0-9.]: nothing to escape
      f += '"';
    }
    f += "]}";
    frames.push_back(std::move(f));
  }
  return frames;
}

Result<std::unique_ptr<BybitFeedSpec>, std::string> BybitFeedSpec::create(const MarketDataEndpoints& e, int book_depth) {
  auto spec = std::make_unique<BybitFeedSpec>();
  spec->book_depth_ = book_depth;
  struct Def {
    const char* name;
    const std::string* url;
    MarketKind kind;
  };
  const Def defs[] = {{"spot", &e.ws_spot, MarketKind::Spot}, {"linear", &e.ws_linear, MarketKind::LinearPerp}};
  for (const auto& d : defs) {
    auto url = net::parse_url(*d.url);
    if (!url.ok()) return Err{"bybit " + std::string(d.name) + " stream URL: " + url.error()};
    net::FeedConnectionSpec c;
    c.name = d.name;
    c.url = *url;
    c.kind = d.kind;
    c.heartbeat = net::bybit_heartbeat();
    spec->connections_.push_back(std::move(c));
  }
  return spec;
}

}  // namespace tradingd::bybit
