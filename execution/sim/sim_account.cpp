// Spot balance movements and linear-perp position accounting (see sim_account.h).
#include "execution/sim/sim_account.h"

#include <algorithm>

namespace tradingd::sim {
namespace {
Money margin_for(Money cost, int leverage) {
  const Money c = cost.abs();
  return leverage <= 1 ? c : Money::from_raw(fixed::div_raw(c.raw(), fixed::kScale * leverage, Rounding::Up));
}
// part × num / den with 128-bit intermediates, rounded to nearest.
Money pro_rata(Money part, Quantity num, Quantity den) {
  if (num == den) return part;
  __extension__ using i128 = __int128;
  const i128 n = static_cast<i128>(part.raw()) * num.raw();
  const i128 d = den.raw();
  i128 q = n / d;
  const i128 r = n % d;
  if ((r < 0 ? -r : r) * 2 >= d) q += (n < 0 ? -1 : 1);
  return Money::from_raw(static_cast<std::int64_t>(q));
}
}  // namespace

Price SimPosition::entry_price(Quantity contract_multiplier) const {
  if (quantity.is_zero() || !contract_multiplier.is_positive()) return Price::zero();
  const Quantity units = contract_multiplier == Quantity::from_units(1)
                             ? quantity.abs()
                             : fixed_mul<Quantity>(quantity.abs(), contract_multiplier, Rounding::Nearest);
  return units.is_zero() ? Price::zero() : fixed_div<Price>(cost.abs(), units, Rounding::Nearest);
}

AssetBalance& SimAccount::at(const Asset& a) {
  if (AssetBalance* b = find(a)) return *b;
  auto pos = std::lower_bound(balances_.begin(), balances_.end(), a,
                              [](const std::pair<Asset, AssetBalance>& e, const Asset& k) { return e.first < k; });
  return balances_.insert(pos, {a, AssetBalance{}})->second;
}

void SimAccount::credit(const Asset& a, Money amount) {
  if (amount.is_zero()) return;
  at(a).free += amount;
}

bool SimAccount::lock(const Asset& a, Money amount) {
  if (!amount.is_positive()) return true;
  auto& b = at(a);
  if (b.free < amount) return false;
  b.free -= amount;
  b.locked += amount;
  return true;
}

void SimAccount::unlock(const Asset& a, Money amount) {
  if (!amount.is_positive()) return;
  AssetBalance* b = find(a);
  if (b == nullptr) return;
  const Money m = std::min(amount, b->locked);
  b->locked -= m;
  b->free += m;
}

void SimAccount::apply_spot_fill(const Instrument& inst, Side side, Price price, Quantity qty, const FeeCharge& fee) {
  apply_spot_fill(inst, side, qty, inst.notional_of(price, qty), fee);
}

void SimAccount::apply_spot_fill(const Instrument& inst, Side side, Quantity qty, Money n, const FeeCharge& fee) {
  const Money base_amount = fixed_cast<Money>(qty);
  AssetBalance* base = nullptr;
  AssetBalance* quote = nullptr;
  AssetBalance* fee_balance = nullptr;
  for (auto& [asset, b] : balances_) {
    if (asset == inst.base) base = &b;
    if (asset == inst.quote) quote = &b;
    if (asset == fee.asset) fee_balance = &b;
  }
  // The moves of credit() (a zero amount touches nothing), in the same order, on the entries found.
  const bool all_seen = (base != nullptr || base_amount.is_zero()) && (quote != nullptr || n.is_zero()) &&
                        (fee_balance != nullptr || fee.amount.is_zero());
  if (all_seen) {
    auto add = [](AssetBalance* b, Money amount) {
      if (!amount.is_zero()) b->free += amount;
    };
    if (side == Side::Buy) {
      add(quote, -n);
      add(base, base_amount);
    } else {
      add(base, -base_amount);
      add(quote, n);
    }
    add(fee_balance, -fee.amount);
    return;
  }
  if (side == Side::Buy) {
    credit(inst.quote, -n);
    credit(inst.base, base_amount);
  } else {
    credit(inst.base, -base_amount);
    credit(inst.quote, n);
  }
  credit(fee.asset, -fee.amount);
}

Money SimAccount::apply_perp_fill(SimPosition& pos, const Instrument& inst, Side side, Price price, Quantity qty,
                                  const FeeCharge& fee) {
  return apply_perp_fill(pos, inst, side, price, qty, inst.notional_of(price, qty), fee);
}

Money SimAccount::apply_perp_fill(SimPosition& pos, const Instrument& inst, Side side, Price price, Quantity qty,
                                  Money fill_notional, const FeeCharge& fee) {
  const Asset& settle = settle_asset(inst);
  const int s = sign(side);
  Money realized;
  Money opened_notional = fill_notional;
  Quantity opened = qty;
  if (!pos.quantity.is_zero() && (pos.quantity.is_positive() != (s > 0))) {
    // Reducing: close up to the open size at the average cost.
    const Quantity open_abs = pos.quantity.abs();
    const Quantity close = std::min(open_abs, qty);
    const Money close_notional = close == qty ? fill_notional : inst.notional_of(price, close);
    const Money cost_part = pro_rata(pos.cost, close, open_abs);
    const Money margin_part = pro_rata(pos.margin, close, open_abs);
    // Long: sold at close_notional against cost; short: bought back (cost is negative).
    realized = pos.quantity.is_positive() ? close_notional - cost_part : -close_notional - cost_part;
    pos.cost -= cost_part;
    pos.quantity += s > 0 ? close : -close;
    unlock(settle, margin_part);
    pos.margin -= margin_part;
    credit(settle, realized);
    opened = qty - close;
    // The opening remainder gets the rest of the notional so the fill moves exactly fill_notional.
    opened_notional = fill_notional - close_notional;
    if (pos.quantity.is_zero()) {
      unlock(settle, pos.margin);  // rounding residue
      pos.margin = Money::zero();
      pos.cost = Money::zero();
    }
  }
  if (opened.is_positive()) {
    pos.quantity += s > 0 ? opened : -opened;
    pos.cost += s > 0 ? opened_notional : -opened_notional;
    const Money need = margin_for(pos.cost, pos.leverage) - pos.margin;
    if (need.is_positive()) {
      auto& b = at(settle);
      b.free -= need;  // may go below zero by the price improvement (see header)
      b.locked += need;
      pos.margin += need;
    }
  }
  credit(fee.asset, -fee.amount);
  return realized;
}

bool SimAccount::set_position_leverage(SimPosition& pos, const Instrument& inst, int leverage) {
  const Asset& settle = settle_asset(inst);
  const Money target = margin_for(pos.cost, leverage);
  const Money delta = target - pos.margin;
  if (delta.is_positive() && !lock(settle, delta)) return false;
  if (delta.is_negative()) unlock(settle, -delta);
  pos.margin = target;
  pos.leverage = leverage;
  return true;
}

std::vector<Balance> SimAccount::balances() const {
  std::vector<Balance> out;
  out.reserve(balances_.size());
  for (const auto& [asset, b] : balances_) out.push_back(Balance{asset, b.free, b.locked});
  return out;
}

}  // namespace tradingd::sim
