// Bybit v5 endpoints per environment, from the venue digest §1 (../shared/venues/bybit.md). Public streams
// are per category (spot, linear); demo trading has no public stream of its own and uses mainnet's.
#pragma once

#include <string_view>

namespace tradingd::bybit {

struct BybitEndpoints {
  std::string_view rest;
  std::string_view ws_public_spot;
  std::string_view ws_public_linear;
};

inline constexpr BybitEndpoints kProduction{"https://api.bybit.com", "wss://stream.bybit.com/v5/public/spot",
                                            "wss://stream.bybit.com/v5/public/linear"};
inline constexpr BybitEndpoints kTestnet{"https://api-testnet.bybit.com", "wss://stream-testnet.bybit.com/v5/public/spot",
                                         "wss://stream-testnet.bybit.com/v5/public/linear"};
inline constexpr BybitEndpoints kDemo{"https://api-demo.bybit.com", "wss://stream.bybit.com/v5/public/spot",
                                      "wss://stream.bybit.com/v5/public/linear"};

// The private stream (orders, executions, positions, wallet) per environment; demo trading has its own
// (pybit's path, digest §1).
inline constexpr std::string_view kPrivateWsProduction = "wss://stream.bybit.com/v5/private";
inline constexpr std::string_view kPrivateWsTestnet = "wss://stream-testnet.bybit.com/v5/private";
inline constexpr std::string_view kPrivateWsDemo = "wss://stream-demo.bybit.com/v5/private";

inline constexpr std::string_view kInstrumentsInfoPath = "/v5/market/instruments-info";  // ?category=spot|linear
inline constexpr std::string_view kOrderbookPath = "/v5/market/orderbook";               // ?category&symbol&limit

}  // namespace tradingd::bybit
