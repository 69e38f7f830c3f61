// What a venue adapter tells the generic market-data client (FeedClient): its connections, which topic
// carries which channel of an instrument, how subscriptions look on the wire, how a book is resynced
// (FeedSpec, pure, exchange/<venue>/ws_feed.*), and how its public REST data is fetched
// (MarketDataRest, exchange/<venue>/rest_client.*). No Asio here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/instrument.h"
#include "core/result.h"
#include "exchange/net/heartbeat.h"
#include "exchange/net/stats.h"
#include "exchange/net/url.h"

namespace tradingd::net {

struct FeedConnectionSpec {
  std::string name;  // "spot", "usdm-public", "linear", "business": logs, metric labels, recording files
  Url url;
  MarketKind kind = MarketKind::Spot;  // the decoder's market (Binance, Bybit); OKX names it per instId
  HeartbeatConfig heartbeat;
  std::int64_t max_connection_age_ms = 0;  // > 0: rotate make-before-break at this age
  bool topics_in_url = false;  // the topics travel in the URL target (Binance combined streams)
};

struct FeedTopic {
  std::size_t connection = 0;  // index into FeedSpec::connections()
  std::string topic;           // "btcusdt@depth@100ms", "orderbook.50.BTCUSDT", OKX {"channel":..,"instId":..}
  bool is_book = false;        // the L2 book topic (resynced by resubscribing where the venue needs that)
};

class FeedSpec {
 public:
  virtual ~FeedSpec() = default;
  virtual Venue venue() const = 0;
  virtual const std::vector<FeedConnectionSpec>& connections() const = 0;
  // The topics carrying `channels` (MarketDataChannel bits) of `instrument`; channels the market does not
  // have (mark price on spot) are skipped.
  virtual std::vector<FeedTopic> topics(const InstrumentId& instrument, std::uint32_t channels) const = 0;
  // topics_in_url connections: the URL target naming these topics.
  virtual std::string target(std::size_t connection, std::span<const std::string> topics) const = 0;
  // The frames that subscribe (or unsubscribe) topics on an open connection; next_id numbers requests.
  virtual std::vector<std::string> subscription_messages(std::size_t connection, std::span<const std::string> topics,
                                                         bool subscribe, std::uint64_t& next_id) const = 0;
  // True: a book is resynced from a REST snapshot (Binance); false: by resubscribing its topic.
  virtual bool resync_by_snapshot() const = 0;
};

class MarketDataRest {
 public:
  using PagesCallback = std::function<void(Result<std::vector<std::string>, std::string>)>;
  using BodyCallback = std::function<void(Result<std::string, std::string>)>;

  virtual ~MarketDataRest() = default;
  // Every page of the venue's instrument list for one market, as received (they are cached verbatim).
  virtual void fetch_instrument_pages(MarketKind kind, PagesCallback callback) = 0;
  virtual Result<std::vector<Instrument>, std::string> parse_instruments(MarketKind kind,
                                                                         const std::vector<std::string>& pages) const = 0;
  // A REST depth snapshot body (Binance's sync start/resync; an optional bootstrap elsewhere).
  virtual void fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) = 0;
  // The HTTPS clients' stats by role ("spot", "usdm"), for MarketDataStats.
  virtual std::vector<std::pair<std::string, std::shared_ptr<HttpStats>>> http_stats() const { return {}; }
};

}  // namespace tradingd::net
