// One position on one instrument (spot or linear perpetual): signed quantity, exact cost basis, realized
// and unrealized PnL, fees and funding kept apart, margin and an estimated liquidation price, round trips.
// Pure and exact: every product is rounded once, explicitly; apply_* either commits fully or (on a
// FixedPointOverflow, which it lets propagate) leaves the position untouched.
//
// Accounting (average-cost method, as the venues compute entry price):
//   cost_basis C is the signed value paid for the open quantity Q (long: C > 0, short: C < 0).
//   Increase (Q = 0 or the fill's side agrees):  Q += d, C += w        (d, w: the fill's signed qty/value)
//   Reduce by c ≤ |Q|:  removed = C·c/|Q|,  realized = −w_close − removed,  C −= removed,  Q ±= c
//   Flip (|d| > |Q|): the fill splits into a closing part (w_close = w·|Q|/|d|) and an opening remainder.
//   average entry = |C| / (|Q| · multiplier);   unrealized = value(Q at mark) − C.
// Because C only ever moves by the values actually traded, realized + unrealized − fees − funding equals
// the change of the account's mark-to-market value exactly, to the last 1e-9.
#pragma once

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/instrument.h"

namespace tradingd {

struct PositionParams {
  int leverage = 1;  // perpetuals: the venue's leverage setting for this instrument (≥ 1)
  // A fraction (0.005 = 0.5%): maintenance margin = notional × rate. One tier; the venues' brackets raise it
  // for large positions, so the liquidation estimate is optimistic for those.
  Rate maintenance_margin_rate = Rate::from_string("0.005");
};

// One execution as the position sees it.
struct PositionFill {
  Side side = Side::Buy;
  Quantity quantity;  // > 0
  Price price;        // > 0
  Money fee_quote;    // fee in the quote/settlement asset; negative = rebate
  Quantity fee_base;  // fee in the base asset (Binance spot buys): the position receives this much less
  UnixNanos ts_ns = 0;
};

// What a fill did, for the tracker's cash balances and the caller's log.
struct PositionFillEffect {
  Quantity quantity_delta;  // signed change of the position (fill minus a base-asset fee)
  Money trade_value;        // signed value of the whole fill at its price: + paid (buy), − received (sell)
  Money realized_pnl;       // gross of fees, from the part of the fill that closed the position
  Money fee;                // fee_quote plus the base-asset fee valued at the fill price
  bool round_trip_closed = false;
};

class Position {
  // Everything a fill, a mark or a funding payment changes: mutations work on a copy and commit it.
  struct State {
    Quantity quantity;
    Money cost_basis;
    Money realized;
    Money fees;
    Money funding;
    Money mark_value;
    Price mark_price;
    bool has_mark = false;  // a market price arrived (otherwise marked at the last fill price)
    Money trip_net;
    std::uint64_t fills = 0;
    std::uint64_t round_trips = 0;
    std::uint64_t wins = 0;
    std::uint64_t losses = 0;
    UnixNanos last_fill_ns = 0;
  };

 public:
  explicit Position(const Instrument& instrument, PositionParams params = {});

  const Instrument& instrument() const { return instrument_; }
  const InstrumentId& id() const { return instrument_.id; }
  bool is_perpetual() const { return instrument_.is_perpetual(); }
  const PositionParams& params() const { return params_; }
  void set_params(PositionParams params);

  // Throws FixedPointOverflow (state unchanged) when a value leaves the fixed-point range.
  PositionFillEffect apply_fill(const PositionFill& fill);
  // apply_fill in steps, for a caller with more to compute (and check) before it commits: prepare_fill
  // computes the new state and the effect without changing the position (throws as apply_fill does),
  // mark_prepared marks that state as mark() would, commit applies it.
  class PreparedFill {
   public:
    const PositionFillEffect& effect() const { return effect_; }

   private:
    friend class Position;
    PreparedFill() = default;
    PositionFillEffect effect_;
    State state_;
  };
  PreparedFill prepare_fill(const PositionFill& fill) const;
  // prepare_fill then mark_prepared(price) in one (price 0: no mark): the state is valued once, at the
  // price it ends up marked to. Throws exactly when the two steps would.
  PreparedFill prepare_fill(const PositionFill& fill, Price mark) const;
  void mark_prepared(PreparedFill& prepared, Price price) const;
  void commit(const PreparedFill& prepared) { s_ = prepared.state_; }
  // Perpetuals: a funding payment computed from the rate at the funding time. Returns what the position
  // paid (negative: received): value(Q at price) × rate, so longs pay a positive rate.
  Money apply_funding_rate(Rate rate, Price price);
  // A payment as the venue reported it (positive = paid).
  void apply_funding_payment(Money paid);
  // Marks the position to a price (from the tracker's price source). Until the first mark the position
  // is marked at its last fill price. Runs on every market event: a flat position's value is zero at any
  // price, so only an open one multiplies.
  void mark(Price price) {
    if (!s_.quantity.is_zero()) return mark_open(price);
    if (!price.is_positive()) return;
    s_.mark_price = price;
    s_.has_mark = true;
    s_.mark_value = Money::zero();
  }

  Quantity quantity() const { return s_.quantity; }
  bool is_flat() const { return s_.quantity.is_zero(); }
  std::optional<Side> side() const;
  Money cost_basis() const { return s_.cost_basis; }
  // nullopt when flat. Rounded to the nearest 1e-9 (the exact basis is cost_basis()).
  std::optional<Price> average_entry_price() const;
  std::optional<Price> mark_price() const {
    if (!s_.has_mark && s_.fills == 0) return std::nullopt;
    return s_.mark_price;
  }
  // mark_price() with zero for none (a mark is positive), for the loops that run on every market event
  // (std::optional costs them more than the rest of the loop).
  Price mark_price_or_zero() const { return s_.has_mark || s_.fills != 0 ? s_.mark_price : Price::zero(); }
  Money mark_value() const { return s_.mark_value; }  // signed value of the position at the mark
  Money notional() const { return s_.mark_value.abs(); }
  Money unrealized_pnl() const { return s_.mark_value - s_.cost_basis; }
  Money realized_pnl() const { return s_.realized; }
  Money fees() const { return s_.fees; }
  Money funding() const { return s_.funding; }  // positive = paid
  // realized + unrealized − fees − funding.
  Money net_pnl() const;

  // Margin at the mark: spot is fully funded (initial = notional, no maintenance, no liquidation).
  Money initial_margin() const;
  Money maintenance_margin() const;
  // Isolated-margin estimate, one-way mode, from the average entry price E, leverage L and maintenance
  // rate m, solving margin + unrealized = maintenance at the liquidation price P:
  //   long:  E/L + (P − E) = m·P  →  P = E·(1 − 1/L) / (1 − m)      (none when L = 1: margin covers E)
  //   short: E/L + (E − P) = m·P  →  P = E·(1 + 1/L) / (1 + m)
  // Ignores fees, accrued funding, the venue's tiered maintenance amount and cross margin (where the whole
  // wallet backs the position, so the real price is further away). Rounded toward the entry (long up,
  // short down): the estimate errs on the early side. nullopt when flat, spot, or no liquidation.
  std::optional<Price> liquidation_price() const;

  std::uint64_t fill_count() const { return s_.fills; }
  std::uint64_t round_trips() const { return s_.round_trips; }
  std::uint64_t wins() const { return s_.wins; }      // closed round trips with net PnL > 0
  std::uint64_t losses() const { return s_.losses; }  // closed round trips with net PnL < 0
  // Net PnL (realized − fees − funding) of the round trip still open; zero when flat.
  Money open_round_trip_pnl() const { return s_.trip_net; }
  UnixNanos last_fill_ns() const { return s_.last_fill_ns; }

 private:
  void close_round_trip(State& s) const;
  void mark_open(Price price);

  Instrument instrument_;
  PositionParams params_;
  State s_;
};

}  // namespace tradingd
