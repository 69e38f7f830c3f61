// The market-data client every venue adapter is built from: instruments loaded from the venue's REST
// (cached on disk, the cache used when the venue is unreachable), one ReconnectingWs per venue connection
// with subscriptions restored after every reconnect, frames recorded (optional) and decoded by the
// marketdata branch's FeedDecoder (parser + book synchronisers), book resyncs (REST snapshot or
// resubscribe), per-instrument staleness and FeedStatus, and MarketDataStats. The venue specifics come in
// through FeedSpec and MarketDataRest (exchange/<venue>/). Invariants: everything runs on the io_context
// thread; the sink is called only from there; an instrument the venue does not list is never subscribed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/instrument.h"
#include "exchange/book/order_book.h"
#include "exchange/market_data.h"
#include "exchange/net/backoff.h"
#include "exchange/net/feed_spec.h"
#include "exchange/net/market_data_stats.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/ws_session.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::net {

struct FeedClientOptions {
  std::int64_t stale_after_ms = 10'000;  // no event for an instrument this long: FeedStatus::Stale
  int book_depth = 50;                   // levels requested (REST snapshot, Bybit orderbook.N)
  std::string record_dir;                // non-empty: raw frames recorded here (replay format)
  std::string instrument_cache_dir;      // empty: no cache
  // A cache older than this is not used (the venue's rules may have changed): the load keeps retrying.
  std::int64_t instrument_cache_max_age_ms = 7LL * 24 * 3'600'000;
  BackoffOptions reconnect;              // WebSocket reconnects, snapshot and instrument retries
  WsOptions ws;
  std::uint64_t seed = 1;                // jitter seed (varied per connection)
  std::int64_t tick_ms = 250;            // staleness and retry housekeeping period
  std::int64_t resubscribe_timeout_ms = 10'000;  // a resubscribed book not valid by then is resubscribed again
  std::int64_t reconnect_tick_ms = 250;  // ReconnectingWs heartbeat check period
};

// The daemon's defaults from the configuration (stale_after_ms, book_depth, record_dir, reconnect
// schedule, connect timeout, instrument cache dir = <state_dir>/instruments when unset).
FeedClientOptions feed_client_options(const config::Config& config, Venue venue);

// What start() found out about the instruments (also logged). missing: subscribed but not listed by the
// venue: a configuration error the daemon must surface (their feeds stay Disconnected).
struct InstrumentReport {
  Venue venue = Venue::Binance;
  MarketKind kind = MarketKind::Spot;
  bool ok = false;          // the market's list was loaded (from REST or the cache)
  bool from_cache = false;  // the venue was unreachable: the cached list was used
  std::string error;        // why loading failed (REST and cache); retried with backoff
  std::vector<InstrumentId> missing;
};

class FeedClient : public MarketDataClient {
 public:
  class Impl;
  using InstrumentCallback = std::function<void(const InstrumentReport&)>;

  FeedClient(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, std::unique_ptr<FeedSpec> spec,
             std::unique_ptr<MarketDataRest> rest, MarketDataSink& sink, const Clock& clock, FeedClientOptions options,
             InstrumentCallback on_instruments = {});
  ~FeedClient() override;
  FeedClient(const FeedClient&) = delete;
  FeedClient& operator=(const FeedClient&) = delete;

  Venue venue() const override;
  void subscribe(const InstrumentId& instrument, std::uint32_t channels) override;
  void start() override;
  void stop() override;

  // The venue's rules for a subscribed instrument, once loaded (null before, or when it is missing).
  const Instrument* instrument(const InstrumentId& id) const;
  FeedStatus status(const InstrumentId& id) const;
  const OrderBook* book(const InstrumentId& id) const;
  const MarketDataStats& stats() const;
  // Resync a book now (e.g. a strategy saw it crossed): REST snapshot or resubscribe, per venue.
  void resync(const InstrumentId& id);

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tradingd::net
