// Position sizing. Every conversion from money to quantity rounds down, so a computed size can only err
// on the small side; limits are applied before the final rounding to the step.
#include "risk/position_sizer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "portfolio/exact_math.h"

namespace tradingd {
namespace {

RiskDenial deny(RiskDenyReason reason, std::string detail) { return RiskDenial{reason, std::move(detail)}; }

}  // namespace

SizingLimits SizingLimits::from(const config::RiskConfig& risk) {
  return {risk.max_order_notional, risk.max_position_notional, risk.max_position_pct_equity};
}

Quantity quantity_for_notional(const Instrument& inst, Money notional, Price price) {
  // notional · 10^18 / (price raw · multiplier raw), floor: one rounding at full precision.
  __extension__ typedef __int128 i128;
  const i128 num = static_cast<i128>(notional.raw()) * fixed::kScale * fixed::kScale;
  const i128 den = static_cast<i128>(price.raw()) * inst.contract_multiplier.raw();
  if (den <= 0) throw FixedPointOverflow("quantity_for_notional: non-positive price or multiplier");
  i128 q = num / den;
  if (num % den != 0 && num < 0) --q;
  if (q > INT64_MAX || q < -INT64_MAX) throw FixedPointOverflow("quantity_for_notional out of range");
  return Quantity::from_raw(static_cast<std::int64_t>(q));
}

Result<SizingResult, RiskDenial> size_order(const config::SizingConfig& cfg, const SizingLimits& limits,
                                            const SizeRequest& request, const SizingInput& in) try {
  if (!in.instrument) return Err{deny(RiskDenyReason::UnknownInstrument, "no instrument")};
  const Instrument& inst = *in.instrument;
  if (!in.entry_price.is_positive())
    return Err{deny(RiskDenyReason::NoReferencePrice, "no price to size " + inst.id.to_string() + " with")};
  auto needs_equity = [&](std::string_view method) -> std::optional<RiskDenial> {
    if (in.equity.is_positive()) return std::nullopt;
    return deny(RiskDenyReason::SizingUnavailable, std::string(method) + " needs positive equity, have " + in.equity.to_string());
  };

  Quantity qty;
  bool clamp = true;
  if (request.quantity) {
    qty = *request.quantity;
    clamp = false;  // an explicit quantity is the signal's decision: the risk gate denies it if too large
  } else if (request.notional) {
    qty = quantity_for_notional(inst, *request.notional, in.entry_price);
  } else {
    switch (cfg.method) {
      case config::SizingMethod::FixedQuantity:
        if (!cfg.quantity.is_positive())
          return Err{deny(RiskDenyReason::SizingUnavailable, "fixed_quantity sizer without a quantity")};
        qty = cfg.quantity;
        break;
      case config::SizingMethod::FixedNotional:
        qty = quantity_for_notional(inst, cfg.notional, in.entry_price);
        break;
      case config::SizingMethod::PercentEquity:
        if (auto d = needs_equity("percent_equity")) return Err{*d};
        qty = quantity_for_notional(inst, exact::percent_of(in.equity, cfg.equity_pct, Rounding::Down), in.entry_price);
        break;
      case config::SizingMethod::RiskPerTrade: {
        if (auto d = needs_equity("risk_per_trade")) return Err{*d};
        if (!in.stop_loss) return Err{deny(RiskDenyReason::SizingUnavailable, "risk_per_trade needs a stop-loss price")};
        const Price stop = *in.stop_loss;
        const bool right_side = in.side == Side::Buy ? stop < in.entry_price : stop > in.entry_price;
        if (!right_side || !stop.is_positive())
          return Err{deny(RiskDenyReason::SizingUnavailable, "stop-loss " + stop.to_string() + " is not on the losing side of entry " +
                                                                 in.entry_price.to_string() + " for a " + std::string(to_string(in.side)))};
        // Loss per unit if the stop hits: |entry − stop| × multiplier; size = risk money / that.
        const Price distance = (in.entry_price - stop).abs();
        qty = quantity_for_notional(inst, exact::percent_of(in.equity, cfg.risk_pct, Rounding::Down), distance);
        break;
      }
      case config::SizingMethod::VolatilityScaled: {
        if (auto d = needs_equity("volatility_scaled")) return Err{*d};
        if (!in.volatility || !std::isfinite(*in.volatility) || *in.volatility <= 0.0)
          return Err{deny(RiskDenyReason::SizingUnavailable, "volatility_scaled needs a positive volatility estimate")};
        // notional = equity × target / volatility: the position moves about target% of equity per period.
        // The ratio is a statistic (double); it becomes an exact Rate rounded down, capped to stay in range.
        const double factor = cfg.volatility_target_pct.to_double() / 100.0 / *in.volatility;
        const double capped = std::min(factor, 1000.0);
        const Rate scale = Rate::from_raw(static_cast<std::int64_t>(std::floor(capped * static_cast<double>(fixed::kScale))));
        qty = quantity_for_notional(inst, fixed_mul<Money>(in.equity, scale, Rounding::Down), in.entry_price);
        break;
      }
    }
  }

  std::string_view clamped_by;
  if (clamp) {
    auto cap = [&](Quantity limit, std::string_view name) {
      if (limit < qty) {
        qty = std::max(limit, Quantity::zero());
        clamped_by = name;
      }
    };
    if (limits.max_order_notional.is_positive())
      cap(quantity_for_notional(inst, limits.max_order_notional, in.entry_price), "max_order_notional");
    // Position limits bound the size on the position's new side: an order in the direction of the
    // position may add up to the headroom, an opposite one may close it and open up to the limit.
    const bool same_direction = in.position.is_zero() || (in.position.is_positive() == (in.side == Side::Buy));
    const Quantity held = in.position.abs();
    auto position_cap = [&](Money max_notional, std::string_view name) {
      const Quantity max_qty = quantity_for_notional(inst, max_notional, in.entry_price);
      cap(same_direction ? max_qty - held : max_qty + held, name);
    };
    if (limits.max_position_notional.is_positive()) position_cap(limits.max_position_notional, "max_position_notional");
    if (limits.max_position_pct_equity.is_positive() && in.equity.is_positive())
      position_cap(exact::percent_of(in.equity, limits.max_position_pct_equity, Rounding::Down), "max_position_pct_equity");
    if (inst.max_quantity.is_positive()) cap(inst.max_quantity, "instrument_max_quantity");
  }

  const Quantity step = in.is_market && inst.market_step_size.is_positive() ? inst.market_step_size : inst.step_size;
  const Quantity rounded = step.is_positive() ? qty.round_to(step, Rounding::Down) : qty;
  if (!rounded.is_positive()) {
    std::string detail = "size " + qty.to_string() + " rounds to zero on step " + step.to_string();
    if (!clamped_by.empty()) detail += " (after " + std::string(clamped_by) + ")";
    return Err{deny(RiskDenyReason::SizeRoundsToZero, std::move(detail))};
  }
  if (auto v = check_rules(inst, in.entry_price, rounded, in.is_market))
    return Err{deny(RiskDenyReason::InstrumentRules, "sized " + rounded.to_string() + ": " + std::string(to_string(*v)))};
  return SizingResult{rounded, clamped_by};
} catch (const FixedPointOverflow& e) {
  return Err{RiskDenial{RiskDenyReason::InternalError, std::string("sizing overflow: ") + e.what()}};
}

}  // namespace tradingd
