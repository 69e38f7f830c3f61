// Instrument rules: tick/step/min checks and rounding, as the venues apply them (in integers).
#include <gtest/gtest.h>

#include "core/instrument.h"

namespace tradingd {
namespace {

Instrument btcusdt() {
  Instrument i;
  i.id = {Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  i.max_quantity = Quantity::from_string("9000");
  i.min_notional = Money::from_string("5");
  return i;
}

TEST(InstrumentRules, AcceptsAValidOrder) {
  EXPECT_FALSE(check_rules(btcusdt(), Price::from_string("65432.10"), Quantity::from_string("0.001"), false));
}

TEST(InstrumentRules, EachViolation) {
  const auto i = btcusdt();
  const auto p = Price::from_string("65432.10");
  EXPECT_EQ(check_rules(i, Price::from_string("65432.105"), Quantity::from_string("0.001"), false),
            InstrumentRuleViolation::PriceNotOnTick);
  EXPECT_EQ(check_rules(i, Price::zero(), Quantity::from_string("0.001"), false), InstrumentRuleViolation::PriceNotPositive);
  EXPECT_EQ(check_rules(i, p, Quantity::from_string("0.000015"), false), InstrumentRuleViolation::QuantityNotOnStep);
  EXPECT_EQ(check_rules(i, p, Quantity::zero(), false), InstrumentRuleViolation::QuantityNotPositive);
  EXPECT_EQ(check_rules(i, p, Quantity::from_string("-1"), false), InstrumentRuleViolation::QuantityNotPositive);
  EXPECT_EQ(check_rules(i, p, Quantity::from_string("9000.00001"), false), InstrumentRuleViolation::QuantityAboveMaximum);
  // 65432.10 × 0.00007 = 4.580247 < 5
  EXPECT_EQ(check_rules(i, p, Quantity::from_string("0.00007"), false), InstrumentRuleViolation::NotionalBelowMinimum);
  EXPECT_FALSE(check_rules(i, p, Quantity::from_string("0.00008"), false));  // 5.234568
  auto j = i;
  j.min_quantity = Quantity::from_string("0.001");
  EXPECT_EQ(check_rules(j, p, Quantity::from_string("0.0009"), false), InstrumentRuleViolation::QuantityBelowMinimum);
}

TEST(InstrumentRules, MarketOrdersUseTheMarketStepAndSkipTheTick) {
  auto i = btcusdt();
  i.market_step_size = Quantity::from_string("0.001");
  // Reference price off tick is fine for a market order's notional check.
  EXPECT_FALSE(check_rules(i, Price::from_string("65432.105"), Quantity::from_string("0.001"), true));
  EXPECT_EQ(check_rules(i, Price::from_string("65432.1"), Quantity::from_string("0.0015"), true),
            InstrumentRuleViolation::QuantityNotOnStep);
  EXPECT_FALSE(check_rules(i, std::nullopt, Quantity::from_string("0.002"), true));
}

TEST(InstrumentRules, ContractMultiplierScalesNotional) {
  Instrument swap;
  swap.id = {Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  swap.tick_size = Price::from_string("0.1");
  swap.step_size = Quantity::from_string("0.01");
  swap.contract_multiplier = Quantity::from_string("0.01");
  // 2 contracts × 0.01 BTC × 65432.1 = 1308.642
  EXPECT_EQ(swap.notional_of(Price::from_string("65432.1"), Quantity::from_units(2)), Money::from_string("1308.642"));
  EXPECT_EQ(swap.round_price(Price::from_string("65432.17"), Rounding::Down), Price::from_string("65432.1"));
  EXPECT_EQ(swap.round_quantity(Quantity::from_string("1.239")), Quantity::from_string("1.23"));
}

}  // namespace
}  // namespace tradingd
