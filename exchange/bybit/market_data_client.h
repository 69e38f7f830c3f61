// Bybit market data (spot and USDT linear perpetuals) for the daemon: endpoints for the configured
// environment (demo trading has no public stream of its own: mainnet's is used) with TRADINGD_BYBIT_*
// overrides, and the FeedClient built from Bybit's topics (ws_feed.h) and REST (rest_client.h). Books
// are resynced by resubscribing their topic.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "exchange/bybit/ws_feed.h"
#include "exchange/net/feed_client.h"

namespace tradingd::bybit {

// An overridden ws_url is the venue's root: /v5/public/spot and /v5/public/linear are appended.
MarketDataEndpoints market_data_endpoints(const config::VenueConfig& venue);

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments = {});

}  // namespace tradingd::bybit
