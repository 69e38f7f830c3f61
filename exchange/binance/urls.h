// Binance endpoints (spot and USD-M futures) per environment, from the venue digest §1 and §7
// (../shared/venues/binance.md). The daemon may override each with a TRADINGD_*_URL variable (emulator).
// USD-M market streams are split by path since 2026-04-23: depth/bookTicker on /public, trades, klines and
// mark price on /market; a stream on the wrong path is acknowledged but silent.
#pragma once

#include <string_view>

namespace tradingd::binance {

struct BinanceEndpoints {
  std::string_view rest;
  std::string_view ws_public;  // spot: market streams; USD-M: depth and book ticker (/public)
  std::string_view ws_market;  // USD-M: trades, klines, mark price (/market); spot: same as ws_public
};

// Spot production; `data-stream.binance.vision` is the market-data-only alternative.
inline constexpr BinanceEndpoints kSpotProduction{"https://api.binance.com", "wss://stream.binance.com:9443",
                                                  "wss://stream.binance.com:9443"};
inline constexpr BinanceEndpoints kSpotTestnet{"https://testnet.binance.vision", "wss://stream.testnet.binance.vision",
                                               "wss://stream.testnet.binance.vision"};
// Spot Demo Mode (2026-01-29).
inline constexpr BinanceEndpoints kSpotDemo{"https://demo-api.binance.com", "wss://demo-stream.binance.com",
                                            "wss://demo-stream.binance.com"};
inline constexpr BinanceEndpoints kUsdmProduction{"https://fapi.binance.com", "wss://fstream.binance.com/public",
                                                  "wss://fstream.binance.com/market"};
// USD-M testnet: REST per the futures general-info page; stream host per the official SDKs (routed paths
// on the testnet are unconfirmed, see the digest's "could not confirm").
inline constexpr BinanceEndpoints kUsdmTestnet{"https://demo-fapi.binance.com", "wss://fstream.binancefuture.com",
                                               "wss://fstream.binancefuture.com"};

// The private side (live trading): the spot WebSocket API (user-data subscription) per environment, and the
// USD-M user-data stream host (the listen key goes under /private/ws or /ws on it).
inline constexpr std::string_view kSpotWsApiProduction = "wss://ws-api.binance.com:443/ws-api/v3";
inline constexpr std::string_view kSpotWsApiTestnet = "wss://ws-api.testnet.binance.vision/ws-api/v3";
inline constexpr std::string_view kSpotWsApiDemo = "wss://demo-ws-api.binance.com/ws-api/v3";
inline constexpr std::string_view kUsdmUserStreamProduction = "wss://fstream.binance.com";
inline constexpr std::string_view kUsdmUserStreamTestnet = "wss://fstream.binancefuture.com";

// REST paths used by the market-data layer.
inline constexpr std::string_view kSpotExchangeInfoPath = "/api/v3/exchangeInfo";
inline constexpr std::string_view kSpotDepthPath = "/api/v3/depth";  // ?symbol=X&limit=5000
inline constexpr std::string_view kUsdmExchangeInfoPath = "/fapi/v1/exchangeInfo";
inline constexpr std::string_view kUsdmDepthPath = "/fapi/v1/depth";  // ?symbol=X&limit=1000

}  // namespace tradingd::binance
