// Market-data client construction per venue (see market_data_factory.h).
#include "exchange/net/market_data_factory.h"

#include "exchange/binance/market_data_client.h"
#include "exchange/bybit/market_data_client.h"
#include "exchange/okx/market_data_client.h"

namespace tradingd::net {

Result<std::shared_ptr<TlsContext>, std::string> make_tls_context(const config::Config& config) {
  TlsClientOptions o;
  o.extra_ca_file = config.tls.ca_file;
  return TlsContext::create_client(o);
}

Result<std::unique_ptr<FeedClient>, std::string> make_market_data_client(Venue venue, boost::asio::io_context& io,
                                                                         std::shared_ptr<TlsContext> tls,
                                                                         const config::Config& config,
                                                                         MarketDataSink& sink, const Clock& clock,
                                                                         FeedClient::InstrumentCallback on_instruments) {
  auto options = feed_client_options(config, venue);
  const auto& vc = config.venues.get(venue);
  switch (venue) {
    case Venue::Binance:
      return binance::make_market_data_client(io, std::move(tls), binance::market_data_endpoints(vc), std::move(options),
                                              sink, clock, std::move(on_instruments));
    case Venue::Bybit:
      return bybit::make_market_data_client(io, std::move(tls), bybit::market_data_endpoints(vc), std::move(options),
                                            sink, clock, std::move(on_instruments));
    case Venue::Okx:
      return okx::make_market_data_client(io, std::move(tls), okx::market_data_endpoints(vc), std::move(options), sink,
                                          clock, std::move(on_instruments));
    case Venue::Simulated: break;
  }
  return Err{std::string("no market-data client for venue ") + std::string(to_string(venue))};
}

}  // namespace tradingd::net
