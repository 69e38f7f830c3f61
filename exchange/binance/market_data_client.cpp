// Binance market-data client assembly (see market_data_client.h).
#include "exchange/binance/market_data_client.h"

#include "exchange/binance/rest_client.h"
#include "exchange/binance/urls.h"

namespace tradingd::binance {

MarketDataEndpoints market_data_endpoints(const config::VenueConfig& v) {
  using config::VenueEnvironment;
  const BinanceEndpoints& spot = v.environment == VenueEnvironment::Testnet ? kSpotTestnet
                                 : v.environment == VenueEnvironment::Demo  ? kSpotDemo
                                                                            : kSpotProduction;
  const BinanceEndpoints& usdm = v.environment == VenueEnvironment::Production ? kUsdmProduction : kUsdmTestnet;
  MarketDataEndpoints e;
  e.spot_rest = v.rest_url.empty() ? std::string(spot.rest) : v.rest_url;
  e.spot_ws = v.ws_url.empty() ? std::string(spot.ws_public) : v.ws_url;
  e.usdm_rest = !v.futures_rest_url.empty() ? v.futures_rest_url : !v.rest_url.empty() ? v.rest_url : std::string(usdm.rest);
  const std::string& fws = !v.futures_ws_url.empty() ? v.futures_ws_url : v.ws_url;
  if (fws.empty()) {
    e.usdm_ws_public = std::string(usdm.ws_public);
    e.usdm_ws_market = std::string(usdm.ws_market);
  } else {
    // An override names the root; the routed paths hang below it.
    auto root = fws;
    while (!root.empty() && root.back() == '/') root.pop_back();
    e.usdm_ws_public = root + "/public";
    e.usdm_ws_market = root + "/market";
  }
  return e;
}

Result<std::unique_ptr<net::FeedClient>, std::string> make_market_data_client(
    boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls, const MarketDataEndpoints& endpoints,
    net::FeedClientOptions options, MarketDataSink& sink, const Clock& clock,
    net::FeedClient::InstrumentCallback on_instruments) {
  auto spec = BinanceFeedSpec::create(endpoints);
  if (!spec.ok()) return Err{spec.error()};
  net::HttpsOptions http;
  http.connect_timeout_ms = options.ws.connect_timeout_ms;
  auto rest = BinanceRestClient::create(io, tls, endpoints, http);
  if (!rest.ok()) return Err{rest.error()};
  return std::make_unique<net::FeedClient>(io, std::move(tls), std::move(*spec), std::move(*rest), sink, clock,
                                           std::move(options), std::move(on_instruments));
}

}  // namespace tradingd::binance
