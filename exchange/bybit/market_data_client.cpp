// Bybit market-data client assembly (see market_data_client.h).
#include "exchange/bybit/market_data_client.h"

#include "exchange/bybit/rest_client.h"
#include "exchange/bybit/urls.h"

namespace tradingd::bybit {

MarketDataEndpoints market_data_endpoints(const config::VenueConfig& v) {
  using config::VenueEnvironment;
  const BybitEndpoints& d = v.environment == VenueEnvironment::Testnet ? kTestnet
                            : v.environment == VenueEnvironment::Demo  ? kDemo
                                                                       : kProduction;
  MarketDataEndpoints e;
  e.rest = v.rest_url.empty() ? std::string(d.rest) : v.rest_url;
  if (v.ws_url.empty()) {
    e.ws_spot = std::string(d.ws_public_spot);
    e.ws_linear = std::string(d.ws_public_linear);
  } else {
    auto root = v.ws_url;
    while (!root.empty() && root.back() == '/') root.pop_back();
    e.ws_spot = root + "/v5/public/spot";
    e.ws_linear = root + "/v5/public/linear";
  }
  return e;
}

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments) {
  auto spec = BybitFeedSpec::create(endpoints, options.book_depth);
  if (!spec.ok()) return Err{spec.error()};
  net::HttpsOptions http;
  http.connect_timeout_ms = options.ws.connect_timeout_ms;
  auto rest = BybitRestClient::create(io, tls, endpoints, http);
  if (!rest.ok()) return Err{rest.error()};
  return std::make_unique<net::FeedClient>(io, std::move(tls), std::move(*spec), std::move(*rest), sink, clock,
                                           std::move(options), std::move(on_instruments));
}

}  // namespace tradingd::bybit
