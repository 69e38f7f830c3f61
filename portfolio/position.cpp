// Position accounting: see position.h for the formulas. Every mutation works on a copy of the state and
// commits at the end, so an overflow halfway through a fill leaves the position as it was.
#include "portfolio/position.h"

#include <algorithm>

#include "portfolio/exact_math.h"

namespace tradingd {
namespace {

int sign_of(Quantity q) { return q.is_positive() ? 1 : q.is_negative() ? -1 : 0; }

// Instrument::notional_of, exactly (fixed_mul rounds as muldiv does), through exact::muldiv's division:
// every market event re-marks a position with it.
Money value_of(const Instrument& inst, Price price, Quantity signed_qty) {
  const std::int64_t n = exact::mul_scaled(price.raw(), signed_qty.raw(), Rounding::Nearest);
  const std::int64_t multiplier = inst.contract_multiplier.raw();
  return Money::from_raw(multiplier == fixed::kScale ? n : exact::mul_scaled(n, multiplier, Rounding::Nearest));
}

}  // namespace

Position::Position(const Instrument& instrument, PositionParams params) : instrument_(instrument) { set_params(params); }

void Position::set_params(PositionParams params) {
  params.leverage = std::max(params.leverage, 1);
  if (params.maintenance_margin_rate.is_negative()) params.maintenance_margin_rate = Rate::zero();
  params_ = params;
}

std::optional<Side> Position::side() const {
  if (s_.quantity.is_zero()) return std::nullopt;
  return s_.quantity.is_positive() ? Side::Buy : Side::Sell;
}

void Position::close_round_trip(State& s) const {
  ++s.round_trips;
  if (s.trip_net.is_positive()) ++s.wins;
  if (s.trip_net.is_negative()) ++s.losses;
  s.trip_net = Money::zero();
}

PositionFillEffect Position::apply_fill(const PositionFill& fill) {
  const PreparedFill p = prepare_fill(fill);
  commit(p);
  return p.effect_;
}

void Position::mark_prepared(PreparedFill& prepared, Price price) const {
  if (!price.is_positive()) return;
  State& s = prepared.state_;
  const Money value = value_of(instrument_, price, s.quantity);  // may throw: nothing changed yet
  s.mark_price = price;
  s.has_mark = true;
  s.mark_value = value;
}

Position::PreparedFill Position::prepare_fill(const PositionFill& fill) const { return prepare_fill(fill, Price::zero()); }

Position::PreparedFill Position::prepare_fill(const PositionFill& fill, Price mark) const {
  PreparedFill prepared;
  prepared.state_ = s_;
  State& s = prepared.state_;
  PositionFillEffect& e = prepared.effect_;
  const int fill_sign = sign(fill.side);
  const Quantity fill_qty = fill.quantity * fill_sign;
  e.trade_value = value_of(instrument_, fill.price, fill_qty);
  // A base-asset fee is a disposal of fee_base units at the fill price whose proceeds go to the venue: the
  // position moves by less and the traded value attributed to it is reduced by the fee's value.
  const Money base_fee_value = fill.fee_base.is_zero() ? Money::zero() : value_of(instrument_, fill.price, fill.fee_base);
  e.fee = fill.fee_quote + base_fee_value;
  e.quantity_delta = fill_qty - fill.fee_base;
  const Quantity d = e.quantity_delta;
  const Money w = e.trade_value - base_fee_value;

  s.fees += e.fee;
  ++s.fills;
  s.last_fill_ns = std::max(s.last_fill_ns, fill.ts_ns);

  const int pos_sign = sign_of(s.quantity);
  const int d_sign = sign_of(d);
  if (d_sign == 0) {
    // Nothing traded for the position (the fee ate the whole fill): the fee belongs to the open trip.
    if (pos_sign != 0) s.trip_net -= e.fee;
  } else if (pos_sign == 0 || pos_sign == d_sign) {
    s.quantity += d;
    s.cost_basis += w;
    s.trip_net -= e.fee;
  } else {
    const Quantity abs_q = s.quantity.abs();
    const Quantity abs_d = d.abs();
    const Quantity close_qty = std::min(abs_q, abs_d);
    const bool flips = abs_d > abs_q;
    const Money w_close = flips ? Money::from_raw(exact::muldiv(w.raw(), close_qty.raw(), abs_d.raw(), Rounding::Nearest)) : w;
    const Money fee_close =
        flips ? Money::from_raw(exact::muldiv(e.fee.raw(), close_qty.raw(), abs_d.raw(), Rounding::Nearest)) : e.fee;
    const Money removed = close_qty == abs_q
                              ? s.cost_basis
                              : Money::from_raw(exact::muldiv(s.cost_basis.raw(), close_qty.raw(), abs_q.raw(), Rounding::Nearest));
    const Money realized = -w_close - removed;
    e.realized_pnl = realized;
    s.realized += realized;
    s.cost_basis -= removed;
    s.quantity += close_qty * d_sign;
    s.trip_net += realized - fee_close;
    if (s.quantity.is_zero()) {
      close_round_trip(s);
      e.round_trip_closed = true;
    }
    if (flips) {
      s.quantity += (abs_d - close_qty) * d_sign;
      s.cost_basis += w - w_close;
      s.trip_net -= e.fee - fee_close;
    }
  }
  if (s.quantity.is_zero()) s.cost_basis = Money::zero();  // exact already; guards the invariant
  if (!s.has_mark) s.mark_price = fill.price;
  if (!mark.is_positive() || mark == s.mark_price) {
    s.mark_value = value_of(instrument_, s.mark_price, s.quantity);
  } else {
    // The value at the state's own mark is replaced below; it is computed only where computing it would
    // throw (the product leaves 64 bits), so the overflow is the two steps'.
    if (std::int64_t n; __builtin_mul_overflow(s.mark_price.raw(), s.quantity.raw(), &n) ||
                        instrument_.contract_multiplier.raw() != fixed::kScale)
      (void)value_of(instrument_, s.mark_price, s.quantity);
    s.mark_value = value_of(instrument_, mark, s.quantity);
  }
  if (mark.is_positive()) {
    s.mark_price = mark;
    s.has_mark = true;
  }
  return prepared;
}

Money Position::apply_funding_rate(Rate rate, Price price) {
  const Money paid = fixed_mul<Money>(value_of(instrument_, price, s_.quantity), rate, Rounding::Nearest);
  apply_funding_payment(paid);
  return paid;
}

void Position::apply_funding_payment(Money paid) {
  State s = s_;
  s.funding += paid;
  if (!s.quantity.is_zero()) s.trip_net -= paid;
  s_ = s;
}

void Position::mark_open(Price price) {
  if (!price.is_positive()) return;
  const Money value = value_of(instrument_, price, s_.quantity);  // may throw: nothing changed yet
  s_.mark_price = price;
  s_.has_mark = true;
  s_.mark_value = value;
}

Money Position::net_pnl() const { return s_.realized + unrealized_pnl() - s_.fees - s_.funding; }

std::optional<Price> Position::average_entry_price() const {
  if (s_.quantity.is_zero()) return std::nullopt;
  // |C| / (|Q| · multiplier) at full precision: |C|·10^18 / (|Q|raw · multiplier raw).
  __extension__ typedef __int128 i128;
  const i128 num = static_cast<i128>(s_.cost_basis.abs().raw()) * fixed::kScale * fixed::kScale;
  const i128 den = static_cast<i128>(s_.quantity.abs().raw()) * instrument_.contract_multiplier.raw();
  if (den == 0) return std::nullopt;
  i128 q = num / den;
  if (2 * (num % den) >= den) ++q;
  if (q > INT64_MAX) throw FixedPointOverflow("average entry price out of range");
  return Price::from_raw(static_cast<std::int64_t>(q));
}

Money Position::initial_margin() const {
  const Money n = notional();
  if (!is_perpetual()) return n;
  return Money::from_raw(exact::muldiv(n.raw(), 1, params_.leverage, Rounding::Up));
}

Money Position::maintenance_margin() const {
  if (!is_perpetual()) return Money::zero();
  return fixed_mul<Money>(notional(), params_.maintenance_margin_rate, Rounding::Up);
}

std::optional<Price> Position::liquidation_price() const {
  if (!is_perpetual() || s_.quantity.is_zero()) return std::nullopt;
  const auto entry = average_entry_price();
  if (!entry) return std::nullopt;
  const std::int64_t lev = params_.leverage;
  const std::int64_t m = params_.maintenance_margin_rate.raw();
  if (s_.quantity.is_positive()) {
    if (lev <= 1 || m >= fixed::kScale) return std::nullopt;
    // E·(L−1)/L / (1 − m)  =  E·(L−1)·10^9 / (L·(10^9 − m))
    __extension__ typedef __int128 i128;
    const i128 num = static_cast<i128>(entry->raw()) * (lev - 1) * fixed::kScale;
    const i128 den = static_cast<i128>(lev) * (fixed::kScale - m);
    i128 q = num / den;
    if (num % den != 0) ++q;  // up: toward the entry
    if (q > INT64_MAX) throw FixedPointOverflow("liquidation price out of range");
    return Price::from_raw(static_cast<std::int64_t>(q));
  }
  __extension__ typedef __int128 i128;
  const i128 num = static_cast<i128>(entry->raw()) * (lev + 1) * fixed::kScale;
  const i128 den = static_cast<i128>(lev) * (fixed::kScale + m);
  const i128 q = num / den;  // down: toward the entry
  if (q > INT64_MAX) throw FixedPointOverflow("liquidation price out of range");
  return Price::from_raw(static_cast<std::int64_t>(q));
}

}  // namespace tradingd
