// Binance market data (spot and USD-M perpetuals) for the daemon: the endpoints for the configured
// environment with the TRADINGD_BINANCE_* overrides applied, and the FeedClient built from Binance's
// stream layout (ws_feed.h) and REST (rest_client.h). Books are synchronised from REST depth snapshots.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "exchange/binance/ws_feed.h"
#include "exchange/net/feed_client.h"

namespace tradingd::binance {

// Documented defaults per environment (urls.h); an overridden rest_url/ws_url is the venue's root (the
// emulator serves spot and USD-M on one port: USD-M streams under /public and /market), futures_* override
// the USD-M ones alone.
MarketDataEndpoints market_data_endpoints(const config::VenueConfig& venue);

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments = {});

}  // namespace tradingd::binance
