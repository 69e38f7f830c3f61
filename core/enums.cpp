// Canonical names of the vocabulary enums: one table per enum, used both ways.
#include "core/enums.h"

#include <array>
#include <utility>

namespace tradingd {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Venue, 4> kVenues{{{Venue::Binance, "binance"}, {Venue::Bybit, "bybit"}, {Venue::Okx, "okx"},
                                   {Venue::Simulated, "simulated"}}};
constexpr Names<MarketKind, 2> kMarketKinds{{{MarketKind::Spot, "spot"}, {MarketKind::LinearPerp, "linear_perp"}}};
constexpr Names<Side, 2> kSides{{{Side::Buy, "buy"}, {Side::Sell, "sell"}}};
constexpr Names<OrderType, 4> kOrderTypes{{{OrderType::Market, "market"}, {OrderType::Limit, "limit"},
                                           {OrderType::StopMarket, "stop_market"}, {OrderType::StopLimit, "stop_limit"}}};
constexpr Names<TimeInForce, 4> kTifs{{{TimeInForce::Gtc, "gtc"}, {TimeInForce::Ioc, "ioc"}, {TimeInForce::Fok, "fok"},
                                       {TimeInForce::PostOnly, "post_only"}}};
constexpr Names<OrderStatus, 10> kStatuses{{{OrderStatus::Initialized, "initialized"},
                                            {OrderStatus::Submitted, "submitted"},
                                            {OrderStatus::Accepted, "accepted"},
                                            {OrderStatus::PartiallyFilled, "partially_filled"},
                                            {OrderStatus::Filled, "filled"},
                                            {OrderStatus::PendingCancel, "pending_cancel"},
                                            {OrderStatus::PendingUpdate, "pending_update"},
                                            {OrderStatus::Canceled, "canceled"},
                                            {OrderStatus::Rejected, "rejected"},
                                            {OrderStatus::Expired, "expired"}}};
constexpr Names<TradingMode, 3> kModes{{{TradingMode::Paper, "paper"}, {TradingMode::Live, "live"},
                                        {TradingMode::Backtest, "backtest"}}};
constexpr Names<LiquiditySide, 2> kLiquidity{{{LiquiditySide::Maker, "maker"}, {LiquiditySide::Taker, "taker"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E e) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return "unknown";
}
template <class E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, std::string_view s) {
  for (const auto& [v, n] : names)
    if (n == s) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Venue v) { return name_of(kVenues, v); }
std::string_view to_string(MarketKind m) { return name_of(kMarketKinds, m); }
std::string_view to_string(Side s) { return name_of(kSides, s); }
std::string_view to_string(OrderType t) { return name_of(kOrderTypes, t); }
std::string_view to_string(TimeInForce t) { return name_of(kTifs, t); }
std::string_view to_string(OrderStatus s) { return name_of(kStatuses, s); }
std::string_view to_string(TradingMode m) { return name_of(kModes, m); }
std::string_view to_string(LiquiditySide l) { return name_of(kLiquidity, l); }

std::optional<Venue> parse_venue(std::string_view s) { return value_of(kVenues, s); }
std::optional<MarketKind> parse_market_kind(std::string_view s) { return value_of(kMarketKinds, s); }
std::optional<Side> parse_side(std::string_view s) { return value_of(kSides, s); }
std::optional<OrderType> parse_order_type(std::string_view s) { return value_of(kOrderTypes, s); }
std::optional<TimeInForce> parse_time_in_force(std::string_view s) { return value_of(kTifs, s); }
std::optional<OrderStatus> parse_order_status(std::string_view s) { return value_of(kStatuses, s); }
std::optional<TradingMode> parse_trading_mode(std::string_view s) { return value_of(kModes, s); }

}  // namespace tradingd
