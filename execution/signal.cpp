// Signal validation: shape first (size, prices per order type, TIF), then prices on tick, then the size in
// the venue's step, then the instrument's rules. Each failure is one typed reason with a short detail.
#include "execution/signal.h"

#include <string>

namespace tradingd {
namespace {

using R = SignalRejectReason;

Err<SignalRejection> reject(R reason, std::string detail) { return Err{SignalRejection{reason, std::move(detail)}}; }

R from_rule(InstrumentRuleViolation v) {
  switch (v) {
    case InstrumentRuleViolation::PriceNotOnTick: return R::PriceNotOnTick;
    case InstrumentRuleViolation::PriceNotPositive: return R::PriceNotPositive;
    case InstrumentRuleViolation::QuantityNotOnStep: return R::QuantityNotOnStep;
    case InstrumentRuleViolation::QuantityNotPositive: return R::QuantityNotPositive;
    case InstrumentRuleViolation::QuantityBelowMinimum: return R::QuantityBelowMinimum;
    case InstrumentRuleViolation::QuantityAboveMaximum: return R::QuantityAboveMaximum;
    case InstrumentRuleViolation::NotionalBelowMinimum: return R::NotionalBelowMinimum;
  }
  return R::PriceNotOnTick;
}

// A price on the instrument's tick: as given, rounded as the policy allows, or a rejection.
Result<Price, SignalRejection> on_tick(const Instrument& inst, Price p, Rounding mode, bool round, const char* what) {
  if (!inst.tick_size.is_positive() || p.is_multiple_of(inst.tick_size)) return p;
  if (!round) return reject(R::PriceNotOnTick, std::string(what) + " " + p.to_string() + " not on tick " + inst.tick_size.to_string());
  const Price r = inst.round_price(p, mode);
  if (!r.is_positive()) return reject(R::PriceNotPositive, std::string(what) + " rounds to zero");
  return r;
}

// The usual strategy order: a market order for a given quantity, with at most a reference price (no
// limit/stop/protective prices, no TTL, not post-only). For that shape the general checks below reduce to
// these; any of them failing leaves the verdict (and its rejection) to the general path.
bool is_plain_market(const Signal& s) {
  return s.type == OrderType::Market && s.quantity && !s.notional && !s.limit_price && !s.stop_price && !s.stop_loss &&
         !s.take_profit && s.time_in_force != TimeInForce::PostOnly && s.ttl_ms == 0;
}

// Whether the general path would accept a plain market signal as given: then its spec is the signal's
// fields (plain_spec); otherwise the general path decides.
bool plain_market_valid(const Signal& s, const Instrument& inst) {
  const Quantity qty = *s.quantity;
  if (!qty.is_positive() || (s.reference_price && !s.reference_price->is_positive())) return false;
  const Quantity step = inst.market_step_size.is_positive() ? inst.market_step_size : inst.step_size;
  if (step.is_positive() && !qty.is_multiple_of(step)) return false;
  return !check_rules(inst, s.reference_price, qty, true);
}

// Built where the result is (one copy of the spec into it, no default-then-assign).
OrderSpec plain_spec(const Signal& s) {
  return OrderSpec{.instrument = s.instrument,
                   .side = s.side,
                   .type = OrderType::Market,
                   .time_in_force = s.time_in_force,
                   .quantity = *s.quantity,
                   .price = std::nullopt,
                   .trigger_price = std::nullopt,
                   .reduce_only = s.reduce_only,
                   .stop_loss = std::nullopt,
                   .take_profit = std::nullopt,
                   .reference_price = s.reference_price,
                   .strategy_id = s.strategy_id,
                   .tag = s.tag,
                   .expire_at_ns = 0,
                   .role = OrderRole::Entry,
                   .parent_id = 0};
}

Result<OrderSpec, SignalRejection> validate_impl(const Signal& s, const Instrument* inst, const RoundingPolicy& policy,
                                                 UnixNanos now_ns) {
  if (inst == nullptr) return reject(R::UnknownInstrument, s.instrument.to_string());
  if (is_plain_market(s) && plain_market_valid(s, *inst)) [[likely]]
    return plain_spec(s);
  if (s.quantity && s.notional) return reject(R::AmbiguousSize, "both quantity and notional given");
  if (!s.quantity && !s.notional) return reject(R::MissingSize, "neither quantity nor notional given");
  if (s.quantity && !s.quantity->is_positive()) return reject(R::QuantityNotPositive, s.quantity->to_string());
  if (s.notional && !s.notional->is_positive()) return reject(R::NotionalNotPositive, s.notional->to_string());

  const bool needs_limit = s.type == OrderType::Limit || s.type == OrderType::StopLimit;
  const bool needs_stop = s.type == OrderType::StopMarket || s.type == OrderType::StopLimit;
  if (needs_limit && !s.limit_price) return reject(R::MissingLimitPrice, std::string(to_string(s.type)));
  if (!needs_limit && s.limit_price) return reject(R::UnexpectedLimitPrice, std::string(to_string(s.type)));
  if (needs_stop && !s.stop_price) return reject(R::MissingStopPrice, std::string(to_string(s.type)));
  if (!needs_stop && s.stop_price) return reject(R::UnexpectedStopPrice, std::string(to_string(s.type)));
  const std::pair<const char*, const std::optional<Price>*> prices[] = {
      {"limit_price", &s.limit_price}, {"stop_price", &s.stop_price}, {"stop_loss", &s.stop_loss},
      {"take_profit", &s.take_profit}, {"reference_price", &s.reference_price}};
  for (const auto& [name, p] : prices)
    if (*p && !(*p)->is_positive()) return reject(R::PriceNotPositive, std::string(name) + " " + (*p)->to_string());
  if (s.time_in_force == TimeInForce::PostOnly && s.type != OrderType::Limit)
    return reject(R::InvalidTimeInForce, "post_only needs a limit order");
  if (s.ttl_ms < 0) return reject(R::InvalidTtl, std::to_string(s.ttl_ms));
  if (s.reduce_only && (s.stop_loss || s.take_profit))
    return reject(R::BracketOnReduceOnly, "stop_loss/take_profit on a reduce-only order");

  const bool buy = s.side == Side::Buy;
  std::optional<Price> limit, stop, sl, tp;
  if (s.limit_price) {
    auto p = on_tick(*inst, *s.limit_price, buy ? Rounding::Down : Rounding::Up, policy.round_prices, "limit_price");
    if (!p) return Err{p.error()};
    limit = *p;
  }
  if (s.stop_price) {
    auto p = on_tick(*inst, *s.stop_price, buy ? Rounding::Up : Rounding::Down, policy.round_prices, "stop_price");
    if (!p) return Err{p.error()};
    stop = *p;
  }
  if (s.stop_loss) {
    auto p = on_tick(*inst, *s.stop_loss, Rounding::Nearest, policy.round_prices, "stop_loss");
    if (!p) return Err{p.error()};
    sl = *p;
  }
  if (s.take_profit) {
    auto p = on_tick(*inst, *s.take_profit, Rounding::Nearest, policy.round_prices, "take_profit");
    if (!p) return Err{p.error()};
    tp = *p;
  }

  // Protective prices must sit on the right side of the entry (or of each other when no entry is known).
  const std::optional<Price> entry = limit ? limit : stop ? stop : s.reference_price;
  if (sl && entry && (buy ? *sl >= *entry : *sl <= *entry))
    return reject(R::StopLossWrongSide, "stop_loss " + sl->to_string() + " vs entry " + entry->to_string());
  if (tp && entry && (buy ? *tp <= *entry : *tp >= *entry))
    return reject(R::TakeProfitWrongSide, "take_profit " + tp->to_string() + " vs entry " + entry->to_string());
  if (sl && tp && (buy ? *sl >= *tp : *sl <= *tp))
    return reject(R::StopLossWrongSide, "stop_loss " + sl->to_string() + " vs take_profit " + tp->to_string());

  const bool is_market = s.type == OrderType::Market || s.type == OrderType::StopMarket;
  const Quantity step = is_market && inst->market_step_size.is_positive() ? inst->market_step_size : inst->step_size;
  // The price the size and the min notional are judged at.
  const std::optional<Price> size_price = limit ? limit : stop ? stop : s.reference_price;
  Quantity qty;
  if (s.notional) {
    if (!size_price) return reject(R::NoReferencePrice, "a notional market order needs reference_price");
    Money per_contract = *s.notional;
    if (inst->contract_multiplier != Quantity::from_units(1))
      per_contract = fixed_div<Money>(per_contract, inst->contract_multiplier, Rounding::Down);
    qty = fixed_div<Quantity>(per_contract, *size_price, Rounding::Down);
    if (step.is_positive()) qty = qty.round_to(step, Rounding::Down);
  } else {
    qty = *s.quantity;
    if (step.is_positive() && !qty.is_multiple_of(step)) {
      if (!policy.round_quantity)
        return reject(R::QuantityNotOnStep, "quantity " + qty.to_string() + " not on step " + step.to_string());
      qty = qty.round_to(step, Rounding::Down);
    }
  }
  if (!qty.is_positive()) return reject(R::SizeRoundsToZero, "size rounds to zero at step " + step.to_string());
  if (auto v = check_rules(*inst, size_price, qty, is_market))
    return reject(from_rule(*v), std::string(to_string(*v)) + " quantity " + qty.to_string());

  std::int64_t ttl_ns = 0;
  if (s.ttl_ms > 0 && (__builtin_mul_overflow(s.ttl_ms, kNanosPerMilli, &ttl_ns) || __builtin_add_overflow(now_ns, ttl_ns, &ttl_ns)))
    return reject(R::InvalidTtl, std::to_string(s.ttl_ms));

  OrderSpec spec;
  spec.instrument = s.instrument;
  spec.side = s.side;
  spec.type = s.type;
  spec.time_in_force = s.time_in_force;
  spec.quantity = qty;
  spec.price = limit;
  spec.trigger_price = stop;
  spec.reduce_only = s.reduce_only;
  spec.stop_loss = sl;
  spec.take_profit = tp;
  spec.reference_price = s.reference_price;
  spec.strategy_id = s.strategy_id;
  spec.tag = s.tag;
  spec.expire_at_ns = s.ttl_ms > 0 ? ttl_ns : 0;
  spec.role = OrderRole::Entry;
  return spec;
}

}  // namespace

std::string_view to_string(SignalRejectReason r) {
  switch (r) {
    case R::UnknownInstrument: return "unknown_instrument";
    case R::MissingSize: return "missing_size";
    case R::AmbiguousSize: return "ambiguous_size";
    case R::QuantityNotPositive: return "quantity_not_positive";
    case R::NotionalNotPositive: return "notional_not_positive";
    case R::MissingLimitPrice: return "missing_limit_price";
    case R::UnexpectedLimitPrice: return "unexpected_limit_price";
    case R::MissingStopPrice: return "missing_stop_price";
    case R::UnexpectedStopPrice: return "unexpected_stop_price";
    case R::PriceNotPositive: return "price_not_positive";
    case R::PriceNotOnTick: return "price_not_on_tick";
    case R::QuantityNotOnStep: return "quantity_not_on_step";
    case R::QuantityBelowMinimum: return "quantity_below_minimum";
    case R::QuantityAboveMaximum: return "quantity_above_maximum";
    case R::NotionalBelowMinimum: return "notional_below_minimum";
    case R::SizeRoundsToZero: return "size_rounds_to_zero";
    case R::NoReferencePrice: return "no_reference_price";
    case R::InvalidTimeInForce: return "invalid_time_in_force";
    case R::InvalidTtl: return "invalid_ttl";
    case R::BracketOnReduceOnly: return "bracket_on_reduce_only";
    case R::StopLossWrongSide: return "stop_loss_wrong_side";
    case R::TakeProfitWrongSide: return "take_profit_wrong_side";
    case R::Overflow: return "overflow";
  }
  return "unknown";
}

std::string_view to_string(OrderRole r) {
  switch (r) {
    case OrderRole::Entry: return "entry";
    case OrderRole::StopLoss: return "stop_loss";
    case OrderRole::TakeProfit: return "take_profit";
    case OrderRole::Flatten: return "flatten";
  }
  return "unknown";
}

std::optional<OrderRole> parse_order_role(std::string_view s) {
  for (auto r : {OrderRole::Entry, OrderRole::StopLoss, OrderRole::TakeProfit, OrderRole::Flatten})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

Result<OrderSpec, SignalRejection> validate_signal(const Signal& signal, const Instrument* instrument,
                                                   const RoundingPolicy& rounding, UnixNanos now_ns) {
  try {
    return validate_impl(signal, instrument, rounding, now_ns);
  } catch (const FixedPointOverflow& e) {
    return reject(R::Overflow, e.what());
  }
}

}  // namespace tradingd
