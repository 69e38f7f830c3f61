// OKX market data (spot and USDT-margined SWAP perpetuals) for the daemon: endpoints for the configured
// environment (demo uses wspap.okx.com and the x-simulated-trading header) with TRADINGD_OKX_* overrides,
// and the FeedClient built from OKX's channels (ws_feed.h) and REST (rest_client.h). Books are resynced
// by resubscribing the books channel.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "exchange/net/feed_client.h"
#include "exchange/okx/ws_feed.h"

namespace tradingd::okx {

// An overridden ws_url is the venue's root: /ws/v5/public and /ws/v5/business are appended.
MarketDataEndpoints market_data_endpoints(const config::VenueConfig& venue);

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments = {});

}  // namespace tradingd::okx
