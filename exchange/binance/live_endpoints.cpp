#include "exchange/binance/live_endpoints.h"

#include "exchange/binance/urls.h"

namespace tradingd::binance {
namespace {

std::string_view default_ws_api(config::VenueEnvironment e) {
  switch (e) {
    case config::VenueEnvironment::Testnet: return kSpotWsApiTestnet;
    case config::VenueEnvironment::Demo: return kSpotWsApiDemo;
    default: return kSpotWsApiProduction;
  }
}

// An origin without a path ("wss://127.0.0.1:9443", the emulator's ws_private).
bool is_origin(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos || slash == url.size() - 1;
}

}  // namespace

LiveEndpoints live_endpoints(const config::VenueConfig& v) {
  using config::VenueEnvironment;
  const auto& spot = v.environment == VenueEnvironment::Testnet ? kSpotTestnet
                     : v.environment == VenueEnvironment::Demo  ? kSpotDemo
                                                                : kSpotProduction;
  // USD-M has no separate demo: its testnet is the demo-fapi host.
  const bool usdm_prod = v.environment == VenueEnvironment::Production;
  LiveEndpoints e;
  e.spot_rest = v.rest_url.empty() ? std::string(spot.rest) : v.rest_url;
  e.futures_rest = !v.futures_rest_url.empty() ? v.futures_rest_url
                   : !v.rest_url.empty()       ? v.rest_url
                                               : std::string(usdm_prod ? kUsdmProduction.rest : kUsdmTestnet.rest);
  e.ws_api = v.ws_private_url.empty() ? std::string(default_ws_api(v.environment)) : v.ws_private_url;
  if (is_origin(e.ws_api)) {
    if (e.ws_api.back() == '/') e.ws_api.pop_back();
    e.ws_api += "/ws-api/v3";
  }
  e.futures_ws = !v.futures_ws_url.empty() ? v.futures_ws_url
                 : !v.ws_url.empty()       ? v.ws_url
                                           : std::string(usdm_prod ? kUsdmUserStreamProduction : kUsdmUserStreamTestnet);
  return e;
}

std::string futures_user_stream_prefix(std::string_view base_path) {
  std::string path(base_path);
  for (std::string_view suffix : {"/public", "/market", "/private", "/ws", "/stream"}) {
    if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      path.erase(path.size() - suffix.size());
      break;
    }
  }
  if (!path.empty() && path.back() == '/') path.pop_back();
  return path + "/private/ws?listenKey=";
}

}  // namespace tradingd::binance
