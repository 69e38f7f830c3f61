// MarketDataFeeds: the daemon's market data, in paper and live mode. One FeedClient per enabled venue
// with configured instruments (exchange/net), all writing to one MarketDataRelay; the instruments'
// venue rules are loaded first (REST, else a fresh disk cache) and handed to whoever builds the trading
// node, which is then attached as the relay's target. Subscriptions: trades, best bid/ask, L2 book,
// 1-minute klines, and mark price + funding for perpetuals. Owns the readiness conditions "instruments"
// and "market_data.<venue>", and the tradingd_market_data_* metrics.
// Invariants: everything runs on the daemon's io_context; a configured instrument the venue does not list
// stops the daemon with exit code 2 (a configuration error) naming venue, market and symbol.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "daemon/market_data_relay.h"
#include "daemon/market_data_stats.h"

namespace tradingd::net {
class FeedClient;
struct InstrumentReport;
}  // namespace tradingd::net

namespace tradingd::daemon {

class Daemon;

class MarketDataFeeds {
 public:
  using InstrumentsReady = std::function<void(const std::vector<Instrument>&)>;

  // Builds the clients (nothing connects yet). Throws std::runtime_error when the TLS context or a client
  // cannot be created (e.g. an unreadable TRADINGD_CA_FILE): the daemon exits 1 with the reason.
  explicit MarketDataFeeds(Daemon& daemon);
  ~MarketDataFeeds();
  MarketDataFeeds(const MarketDataFeeds&) = delete;
  MarketDataFeeds& operator=(const MarketDataFeeds&) = delete;

  // Starts loading instruments and, venue by venue as they load, the streams. on_ready is called once,
  // on the event loop, with every configured instrument's venue rules (configured leverage applied).
  void start(InstrumentsReady on_ready);
  // Events flow to sink from now on (null: dropped); the instruments' current FeedStatus is replayed.
  void attach(MarketDataSink* sink);
  // No configured instrument on any enabled venue: there is nothing to load or subscribe.
  bool empty() const { return clients_.empty(); }
  const MarketDataRelay& relay() const { return relay_; }
  // The venue's client (null when that venue has no feed).
  net::FeedClient* client(Venue venue);

 private:
  struct Market {
    Venue venue;
    MarketKind kind;
    bool loaded = false;
    bool from_cache = false;
    bool tls_hint_logged = false;
    std::string error;
  };
  void on_instruments(const net::InstrumentReport& report);
  void report_instruments_readiness();
  void on_status(const InstrumentId& id, FeedStatus status);
  void schedule_refresh();
  void refresh();
  void stop();

  Daemon& daemon_;
  std::vector<InstrumentId> ids_;
  MarketDataRelay relay_;
  std::vector<Venue> venues_;
  std::vector<std::unique_ptr<net::FeedClient>> clients_;  // parallel to venues_
  std::unique_ptr<MarketDataMetrics> metrics_;
  std::vector<Market> markets_;
  InstrumentsReady on_ready_;
  bool ready_reported_ = false;
  bool failed_ = false;
  std::int64_t refresh_count_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd::daemon
