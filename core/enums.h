// The trading vocabulary's enumerations with their canonical lower-case names (used in config, the
// control API, the journal and logs). parse_* accept exactly the canonical names, nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tradingd {

enum class Venue : std::uint8_t { Binance, Bybit, Okx, Simulated };
// Spot, or a USD(T)-margined linear perpetual. Venue-specific product names map onto these.
enum class MarketKind : std::uint8_t { Spot, LinearPerp };
enum class Side : std::uint8_t { Buy, Sell };
enum class OrderType : std::uint8_t { Market, Limit, StopMarket, StopLimit };
// PostOnly is a time in force here (as on Binance's LIMIT_MAKER, Bybit's PostOnly, OKX's post_only).
enum class TimeInForce : std::uint8_t { Gtc, Ioc, Fok, PostOnly };
enum class OrderStatus : std::uint8_t {
  Initialized,      // created locally, intent not yet journaled/sent
  Submitted,        // intent journaled and sent; outcome unknown until the venue answers
  Accepted,         // the venue acknowledged it; resting or triggered
  PartiallyFilled,
  Filled,
  PendingCancel,    // a cancel was sent; the order may still fill
  PendingUpdate,    // an amend was sent
  Canceled,
  Rejected,
  Expired,
};
enum class TradingMode : std::uint8_t { Paper, Live, Backtest };
enum class LiquiditySide : std::uint8_t { Maker, Taker };

std::string_view to_string(Venue v);
std::string_view to_string(MarketKind m);
std::string_view to_string(Side s);
std::string_view to_string(OrderType t);
std::string_view to_string(TimeInForce t);
std::string_view to_string(OrderStatus s);
std::string_view to_string(TradingMode m);
std::string_view to_string(LiquiditySide l);

std::optional<Venue> parse_venue(std::string_view s);
std::optional<MarketKind> parse_market_kind(std::string_view s);
std::optional<Side> parse_side(std::string_view s);
std::optional<OrderType> parse_order_type(std::string_view s);
std::optional<TimeInForce> parse_time_in_force(std::string_view s);
std::optional<OrderStatus> parse_order_status(std::string_view s);
std::optional<TradingMode> parse_trading_mode(std::string_view s);

constexpr Side opposite(Side s) { return s == Side::Buy ? Side::Sell : Side::Buy; }
// +1 for buy, -1 for sell: the sign a fill of this side gives a position.
constexpr int sign(Side s) { return s == Side::Buy ? 1 : -1; }
// Terminal: no event can change the order any more.
constexpr bool is_terminal(OrderStatus s) {
  return s == OrderStatus::Filled || s == OrderStatus::Canceled || s == OrderStatus::Rejected ||
         s == OrderStatus::Expired;
}
// Open: the venue may still fill it (or might, while its fate is unknown).
constexpr bool is_open(OrderStatus s) { return s != OrderStatus::Initialized && !is_terminal(s); }

}  // namespace tradingd
