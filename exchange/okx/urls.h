// OKX v5 endpoints per environment, from the venue digest §1 (../shared/venues/okx.md). Demo uses the same
// REST host with the header `x-simulated-trading: 1`; candles are on the business WebSocket, books,
// trades, mark price and funding rate on the public one.
#pragma once

#include <string_view>

namespace tradingd::okx {

struct OkxEndpoints {
  std::string_view rest;
  std::string_view ws_public;
  std::string_view ws_business;
  bool simulated_trading_header = false;  // send x-simulated-trading: 1 on REST
};

inline constexpr OkxEndpoints kProduction{"https://openapi.okx.com", "wss://ws.okx.com:8443/ws/v5/public",
                                          "wss://ws.okx.com:8443/ws/v5/business", false};
inline constexpr OkxEndpoints kDemo{"https://openapi.okx.com", "wss://wspap.okx.com:8443/ws/v5/public",
                                    "wss://wspap.okx.com:8443/ws/v5/business", true};

// The private stream (orders, positions, account), per environment; not in OkxEndpoints so that struct's
// aggregate initialisers elsewhere stay as they are.
inline constexpr std::string_view kProductionWsPrivate = "wss://ws.okx.com:8443/ws/v5/private";
inline constexpr std::string_view kDemoWsPrivate = "wss://wspap.okx.com:8443/ws/v5/private";
inline constexpr std::string_view kWsPrivatePath = "/ws/v5/private";

inline constexpr std::string_view kInstrumentsPath = "/api/v5/public/instruments";  // ?instType=SPOT|SWAP
inline constexpr std::string_view kBooksPath = "/api/v5/market/books";              // ?instId&sz=400

}  // namespace tradingd::okx
