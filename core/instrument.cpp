// Instrument rule checks, done in integers exactly as the venues do (price % tick == 0, qty % step == 0).
#include "core/instrument.h"

namespace tradingd {

std::string_view to_string(InstrumentRuleViolation v) {
  switch (v) {
    case InstrumentRuleViolation::PriceNotOnTick: return "price_not_on_tick";
    case InstrumentRuleViolation::PriceNotPositive: return "price_not_positive";
    case InstrumentRuleViolation::QuantityNotOnStep: return "quantity_not_on_step";
    case InstrumentRuleViolation::QuantityNotPositive: return "quantity_not_positive";
    case InstrumentRuleViolation::QuantityBelowMinimum: return "quantity_below_minimum";
    case InstrumentRuleViolation::QuantityAboveMaximum: return "quantity_above_maximum";
    case InstrumentRuleViolation::NotionalBelowMinimum: return "notional_below_minimum";
  }
  return "unknown";
}

std::optional<InstrumentRuleViolation> check_rules(const Instrument& inst, std::optional<Price> price, Quantity qty,
                                                   bool is_market) {
  if (!qty.is_positive()) return InstrumentRuleViolation::QuantityNotPositive;
  const Quantity step = is_market && inst.market_step_size.is_positive() ? inst.market_step_size : inst.step_size;
  if (step.is_positive() && !qty.is_multiple_of(step)) return InstrumentRuleViolation::QuantityNotOnStep;
  if (inst.min_quantity.is_positive() && qty < inst.min_quantity) return InstrumentRuleViolation::QuantityBelowMinimum;
  if (inst.max_quantity.is_positive() && qty > inst.max_quantity) return InstrumentRuleViolation::QuantityAboveMaximum;
  if (price) {
    if (!price->is_positive()) return InstrumentRuleViolation::PriceNotPositive;
    if (!is_market && inst.tick_size.is_positive() && !price->is_multiple_of(inst.tick_size))
      return InstrumentRuleViolation::PriceNotOnTick;
    if (inst.min_notional.is_positive() && inst.notional_of(*price, qty) < inst.min_notional)
      return InstrumentRuleViolation::NotionalBelowMinimum;
  }
  return std::nullopt;
}

}  // namespace tradingd
