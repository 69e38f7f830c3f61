// Where the Binance live adapter connects, per configured environment (production | testnet | demo) or
// the configuration's overrides (the emulator): spot and USD-M REST hosts, the spot WebSocket API (user
// data via userDataStream.subscribe.signature) and the USD-M user-data stream base. Pure: strings in and
// out. Defaults from shared/venues/binance.md §1 and §8; urls.h holds the market-data ones.
#pragma once

#include <string>

#include "config/config.h"

namespace tradingd::binance {

struct LiveEndpoints {
  std::string spot_rest;     // https://api.binance.com
  std::string futures_rest;  // https://fapi.binance.com
  std::string ws_api;        // wss://ws-api.binance.com:443/ws-api/v3 (an origin override gets /ws-api/v3)
  std::string futures_ws;    // wss://fstream.binance.com: the user-data stream is <base>/private/ws?listenKey=K
};

LiveEndpoints live_endpoints(const config::VenueConfig& venue);
// The target prefix of the USD-M user-data stream under a stream base's path ("/" → "/private/ws?listenKey=";
// "/public" or "/market" are the routed market paths and are replaced).
std::string futures_user_stream_prefix(std::string_view base_path);

}  // namespace tradingd::binance
