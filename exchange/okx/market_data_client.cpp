// OKX market-data client assembly (see market_data_client.h).
#include "exchange/okx/market_data_client.h"

#include "exchange/okx/rest_client.h"
#include "exchange/okx/urls.h"

namespace tradingd::okx {

MarketDataEndpoints market_data_endpoints(const config::VenueConfig& v) {
  const OkxEndpoints& d = v.environment == config::VenueEnvironment::Production ? kProduction : kDemo;
  MarketDataEndpoints e;
  e.rest = v.rest_url.empty() ? std::string(d.rest) : v.rest_url;
  if (v.ws_url.empty()) {
    e.ws_public = std::string(d.ws_public);
    e.ws_business = std::string(d.ws_business);
  } else {
    auto root = v.ws_url;
    while (!root.empty() && root.back() == '/') root.pop_back();
    e.ws_public = root + "/ws/v5/public";
    e.ws_business = root + "/ws/v5/business";
  }
  e.simulated_trading = d.simulated_trading_header;
  return e;
}

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments) {
  auto spec = OkxFeedSpec::create(endpoints);
  if (!spec.ok()) return Err{spec.error()};
  net::HttpsOptions http;
  http.connect_timeout_ms = options.ws.connect_timeout_ms;
  auto rest = OkxRestClient::create(io, tls, endpoints, http);
  if (!rest.ok()) return Err{rest.error()};
  return std::make_unique<net::FeedClient>(io, std::move(tls), std::move(*spec), std::move(*rest), sink, clock,
                                           std::move(options), std::move(on_instruments));
}

}  // namespace tradingd::okx
