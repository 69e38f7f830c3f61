// What the daemon calls to get market data: the shared TLS context from the configuration (system CAs
// plus tls.ca_file / TRADINGD_CA_FILE) and one FeedClient per enabled venue, wired to the venue's
// documented endpoints or the configured overrides.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "core/result.h"
#include "exchange/net/feed_client.h"
#include "exchange/net/tls_context.h"

namespace tradingd::net {

Result<std::shared_ptr<TlsContext>, std::string> make_tls_context(const config::Config& config);

// The venue's client with feed_client_options(config, venue); subscribe, then start() on the io_context.
Result<std::unique_ptr<FeedClient>, std::string> make_market_data_client(
    Venue venue, boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, const config::Config& config,
    MarketDataSink& sink, const Clock& clock, FeedClient::InstrumentCallback on_instruments = {});

}  // namespace tradingd::net
