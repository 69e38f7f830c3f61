// Balances and linear-perpetual positions of the simulated account, in exact fixed point.
// Spot: one balance per asset, free + locked; open orders lock what they may spend (the venue decides how
// much), fills move free amounts. Perps (simple, documented margin model):
//  - the wallet is the settlement asset's balance; realized PnL and fees move its free part;
//  - a position's cost basis is kept as signed money (Σ notional of the open quantity), so realized PnL
//    is exact: closing c of |Q| realizes c/|Q| of the cost; entry price = cost / quantity, for reports only;
//  - position margin = |cost| / leverage, locked from the wallet's free part; closing releases its share;
//  - no maintenance margin, liquidation or funding; free may dip below zero when a fill at a better price
//    needs slightly more margin than its order reserved.
// Invariant: wallet = free + locked for every asset; every fill's cash movement is exactly its notional.
// An account holds a handful of assets: they sit in one small vector sorted by asset (a fill touches two
// or three of them, so a scan beats a tree of nodes and allocates nothing).
#pragma once

#include <utility>
#include <vector>

#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/instrument.h"
#include "exchange/execution_venue.h"
#include "execution/sim/fee_model.h"

namespace tradingd::sim {

struct AssetBalance {
  Money free;
  Money locked;
  friend bool operator==(const AssetBalance&, const AssetBalance&) = default;
};

struct SimPosition {
  Quantity quantity;  // signed: long > 0
  Money cost;         // signed cost basis of the open quantity (long > 0, short < 0)
  Money margin;       // locked in the settlement asset
  int leverage = 1;
  // Average entry: cost / (quantity × contract multiplier), for reports.
  Price entry_price(Quantity contract_multiplier = Quantity::from_units(1)) const;
  friend bool operator==(const SimPosition&, const SimPosition&) = default;
};

class SimAccount {
 public:
  // Inline: the funds checks of every taker read them.
  Money free(const Asset& a) const {
    const AssetBalance* b = find(a);
    return b == nullptr ? Money::zero() : b->free;
  }
  Money locked(const Asset& a) const {
    const AssetBalance* b = find(a);
    return b == nullptr ? Money::zero() : b->locked;
  }
  Money total(const Asset& a) const { return free(a) + locked(a); }

  void credit(const Asset& a, Money amount);  // free += amount (negative debits)
  // free -> locked; false (and nothing moves) when free < amount.
  bool lock(const Asset& a, Money amount);
  // locked -> free, at most what is locked.
  void unlock(const Asset& a, Money amount);

  void apply_spot_fill(const Instrument& inst, Side side, Price price, Quantity qty, const FeeCharge& fee);
  // With the fill's notional already known (inst.notional_of(price, qty)). One scan of the entries finds
  // the base, quote and fee balances; an asset the account has not seen yet takes the general path.
  void apply_spot_fill(const Instrument& inst, Side side, Quantity qty, Money fill_notional, const FeeCharge& fee);
  // Returns the realized PnL of the fill (before fees).
  Money apply_perp_fill(SimPosition& pos, const Instrument& inst, Side side, Price price, Quantity qty,
                        const FeeCharge& fee);
  // With the fill's notional already known (inst.notional_of(price, qty)).
  Money apply_perp_fill(SimPosition& pos, const Instrument& inst, Side side, Price price, Quantity qty,
                        Money fill_notional, const FeeCharge& fee);
  // Re-locks a position's margin for a new leverage; false (nothing changes) when free cannot cover it.
  bool set_position_leverage(SimPosition& pos, const Instrument& inst, int leverage);

  std::vector<Balance> balances() const;  // sorted by asset
  // Every asset the account has seen (zero balances included), sorted by asset.
  const std::vector<std::pair<Asset, AssetBalance>>& raw() const { return balances_; }
  void set_raw(const Asset& a, AssetBalance b) { at(a) = b; }

 private:
  static const Asset& settle_asset(const Instrument& inst) { return inst.settle.empty() ? inst.quote : inst.settle; }
  const AssetBalance* find(const Asset& a) const {
    for (const auto& [asset, b] : balances_)
      if (asset == a) return &b;
    return nullptr;
  }
  AssetBalance* find(const Asset& a) {
    for (auto& [asset, b] : balances_)
      if (asset == a) return &b;
    return nullptr;
  }
  AssetBalance& at(const Asset& a);  // added (zero) when new, as the account has then seen it
  std::vector<std::pair<Asset, AssetBalance>> balances_;
};

}  // namespace tradingd::sim
