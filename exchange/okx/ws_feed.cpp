// OKX channel args and subscription frames (see ws_feed.h).
#include "exchange/okx/ws_feed.h"

#include "exchange/market_data.h"

namespace tradingd::okx {

std::string channel_arg(std::string_view channel, std::string_view inst_id) {
  // instIds are [A-Z0-9-]: nothing to escape.
  return R"({"channel":")" + std::string(channel) + R"(","instId":")" + std::string(inst_id) + R"("})";
}

std::vector<net::FeedTopic> topics_for(const InstrumentId& instrument, std::uint32_t channels) {
  const std::string_view id = instrument.symbol.view();
  const bool swap = instrument.kind == MarketKind::LinearPerp;
  std::vector<net::FeedTopic> out;
  if (channels & kTrades) out.push_back({kPublicConnection, channel_arg("trades", id), false});
  if (channels & kQuotes) out.push_back({kPublicConnection, channel_arg("bbo-tbt", id), false});
  if (channels & kBook) out.push_back({kPublicConnection, channel_arg("books", id), true});
  if (channels & kBars1m) out.push_back({kBusinessConnection, channel_arg("candle1m", id), false});
  if (swap && (channels & kMarkPrice)) out.push_back({kPublicConnection, channel_arg("mark-price", id), false});
  if (swap && (channels & kFunding)) out.push_back({kPublicConnection, channel_arg("funding-rate", id), false});
  return out;
}

std::vector<std::string> subscription_frames(std::span<const std::string> args, bool subscribe, std::uint64_t& next_id) {
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < args.size(); i += kMaxArgsPerFrame) {
    std::string f = R"({"id":")" + std::to_string(next_id++) + R"(","op":")" + (subscribe ? "subscribe" : "unsubscribe") +
                    R"(","args":[)";
    for (std::size_t j = i; j < args.size() && j < i + kMaxArgsPerFrame; ++j) {
      if (j > i) f += ',';
      f += args[j];
    }
    f += "]}";
    frames.push_back(std::move(f));
  }
  return frames;
}

Result<std::unique_ptr<OkxFeedSpec>, std::string> OkxFeedSpec::create(const MarketDataEndpoints& e) {
  auto spec = std::make_unique<OkxFeedSpec>();
  const std::pair<const char*, const std::string*> defs[] = {{"public", &e.ws_public}, {"business", &e.ws_business}};
  for (const auto& [name, text] : defs) {
    auto url = net::parse_url(*text);
    if (!url.ok()) return Err{"okx " + std::string(name) + " stream URL: " + url.error()};
    net::FeedConnectionSpec c;
    c.name = name;
    c.url = *url;
    c.heartbeat = net::okx_heartbeat();
    spec->connections_.push_back(std::move(c));
  }
  return spec;
}

}  // namespace tradingd::okx
