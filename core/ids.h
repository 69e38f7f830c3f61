// Identifiers: instruments (venue + market kind + venue symbol) and the ids orders and fills carry.
// All are fixed-capacity inline strings so events copy without allocating.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/enums.h"
#include "core/inline_string.h"

namespace tradingd {

// The venue's own symbol: "BTCUSDT" (Binance, Bybit), "BTC-USDT" / "BTC-USDT-SWAP" (OKX).
using Symbol = InlineString<31>;
// Our client order id; 32 fits every venue (OKX clOrdId is the tightest: ≤ 32 alphanumerics).
using ClientOrderId = InlineString<32>;
// The venue's order id and trade/execution id (Bybit uses 36-char UUIDs).
using VenueOrderId = InlineString<47>;
using TradeId = InlineString<47>;
using StrategyId = InlineString<31>;
// Our own order id: dense, monotonically increasing, never reused across restarts (journaled).
using OrderId = std::uint64_t;

struct InstrumentId {
  Venue venue = Venue::Binance;
  MarketKind kind = MarketKind::Spot;
  Symbol symbol;

  // "binance:spot:BTCUSDT", "okx:linear_perp:BTC-USDT-SWAP".
  std::string to_string() const;
  static std::optional<InstrumentId> parse(std::string_view text);

  friend bool operator==(const InstrumentId&, const InstrumentId&) = default;
  friend auto operator<=>(const InstrumentId&, const InstrumentId&) = default;
};

std::ostream& operator<<(std::ostream& os, const InstrumentId& id);

}  // namespace tradingd

template <>
struct std::hash<tradingd::InstrumentId> {
  std::size_t operator()(const tradingd::InstrumentId& id) const noexcept {
    std::size_t h = std::hash<tradingd::Symbol>{}(id.symbol);
    return h ^ (static_cast<std::size_t>(id.venue) << 8 | static_cast<std::size_t>(id.kind)) * 0x9e3779b97f4a7c15ULL;
  }
};
