// Enum names round-trip both ways; ids and inline strings keep their length limits.
#include <gtest/gtest.h>

#include <unordered_set>

#include "core/enums.h"
#include "core/ids.h"

namespace tradingd {
namespace {

template <class E, class Parse>
void round_trip_all(std::initializer_list<E> values, Parse parse) {
  std::unordered_set<std::string_view> names;
  for (E v : values) {
    const auto name = to_string(v);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    auto back = parse(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, v);
  }
}

TEST(Enums, NamesRoundTrip) {
  round_trip_all({Venue::Binance, Venue::Bybit, Venue::Okx, Venue::Simulated}, parse_venue);
  round_trip_all({MarketKind::Spot, MarketKind::LinearPerp}, parse_market_kind);
  round_trip_all({Side::Buy, Side::Sell}, parse_side);
  round_trip_all({OrderType::Market, OrderType::Limit, OrderType::StopMarket, OrderType::StopLimit}, parse_order_type);
  round_trip_all({TimeInForce::Gtc, TimeInForce::Ioc, TimeInForce::Fok, TimeInForce::PostOnly}, parse_time_in_force);
  round_trip_all({OrderStatus::Initialized, OrderStatus::Submitted, OrderStatus::Accepted, OrderStatus::PartiallyFilled,
                  OrderStatus::Filled, OrderStatus::PendingCancel, OrderStatus::PendingUpdate, OrderStatus::Canceled,
                  OrderStatus::Rejected, OrderStatus::Expired},
                 parse_order_status);
  round_trip_all({TradingMode::Paper, TradingMode::Live, TradingMode::Backtest}, parse_trading_mode);
}

TEST(Enums, ParseIsExact) {
  EXPECT_FALSE(parse_side("BUY"));
  EXPECT_FALSE(parse_side(" buy"));
  EXPECT_FALSE(parse_trading_mode(""));
  EXPECT_EQ(parse_time_in_force("post_only"), TimeInForce::PostOnly);
}

TEST(Enums, StatusPredicates) {
  EXPECT_TRUE(is_terminal(OrderStatus::Filled));
  EXPECT_TRUE(is_terminal(OrderStatus::Expired));
  EXPECT_FALSE(is_terminal(OrderStatus::PendingCancel));
  EXPECT_TRUE(is_open(OrderStatus::Submitted));  // unknown outcome still counts as open
  EXPECT_TRUE(is_open(OrderStatus::PartiallyFilled));
  EXPECT_FALSE(is_open(OrderStatus::Initialized));
  EXPECT_FALSE(is_open(OrderStatus::Canceled));
  EXPECT_EQ(opposite(Side::Buy), Side::Sell);
  EXPECT_EQ(sign(Side::Sell), -1);
}

TEST(InlineString, LengthLimitIsExplicit) {
  EXPECT_TRUE(ClientOrderId::make(std::string(32, 'a')).has_value());
  EXPECT_FALSE(ClientOrderId::make(std::string(33, 'a')).has_value());
  EXPECT_THROW(Symbol::from(std::string(40, 'X')), std::length_error);
  auto s = Symbol::from("BTCUSDT");
  EXPECT_EQ(s.view(), "BTCUSDT");
  EXPECT_EQ(s.size(), 7u);
  EXPECT_EQ(Symbol{}.size(), 0u);
  EXPECT_TRUE(Symbol::make(std::string_view{})->empty());  // a null, empty view is fine (no memcpy from null)
  EXPECT_LT(Symbol::from("A"), Symbol::from("B"));
}

TEST(InstrumentId, TextRoundTripAndErrors) {
  InstrumentId id{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  EXPECT_EQ(id.to_string(), "okx:linear_perp:BTC-USDT-SWAP");
  auto back = InstrumentId::parse(id.to_string());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
  EXPECT_FALSE(InstrumentId::parse("okx:BTC-USDT"));
  EXPECT_FALSE(InstrumentId::parse("kraken:spot:XBTUSD"));
  EXPECT_FALSE(InstrumentId::parse("binance:futures:BTCUSDT"));
  EXPECT_FALSE(InstrumentId::parse("binance:spot:"));
  std::unordered_set<InstrumentId> set{id, *back, InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")}};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace tradingd
