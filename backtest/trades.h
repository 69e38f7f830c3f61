// Round-trip trade reconstruction from fills, per instrument, in exact fixed point. A trade runs from flat
// to flat: adds scale in at average cost, partial closes realise PnL against the average cost and stay in
// the same trade, and a fill that crosses zero (a flip) closes the trade and opens the next one with the
// remainder, its fee split pro rata by quantity. Sum of gross PnL over a closed trade is exactly
// sign x (exit notional - entry notional) x contract multiplier; fees are never lost or double counted.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "backtest/records.h"

namespace tradingd::backtest {

enum class PositionSide : std::uint8_t { Long, Short };
std::string_view to_string(PositionSide s);

struct RoundTripTrade {
  InstrumentId instrument;
  PositionSide side = PositionSide::Long;
  UnixNanos entry_ts_ns = 0;  // the first entry fill
  UnixNanos exit_ts_ns = 0;   // the fill that made it flat (0 while open)
  Quantity quantity;          // total entered (sum of entry fills)
  Quantity max_position;      // the largest absolute position held
  Price entry_price;          // volume-weighted over entry fills (nearest 1e-9)
  Price exit_price;           // volume-weighted over exit fills (zero while nothing was closed)
  Quantity exited_quantity;
  Money gross_pnl;                                 // realised by average cost, before fees
  Money fees;                                      // entry and exit fees, in quote
  OrderType entry_order_type = OrderType::Market;  // of the first entry fill
  OrderType exit_order_type = OrderType::Market;   // of the last exit fill
  int fill_count = 0;
  bool closed = false;

  Money net_pnl() const { return gross_pnl - fees; }
  friend bool operator==(const RoundTripTrade&, const RoundTripTrade&) = default;
};

// One instrument's fills in time order -> trades.
class TradeBuilder {
 public:
  explicit TradeBuilder(InstrumentId instrument, Quantity contract_multiplier = Quantity::from_units(1))
      : instrument_(instrument), multiplier_(contract_multiplier) {}

  // Appends to `closed` the trade this fill completes, if any. Fills of another instrument are ignored.
  void apply(const FillRecord& fill, std::vector<RoundTripTrade>& closed);
  // The trade still open (closed == false), if the position is not flat.
  std::optional<RoundTripTrade> open_trade() const;
  Quantity position() const { return position_; }  // signed

 private:
  void start(const FillRecord& fill, Quantity qty, Money fee);
  RoundTripTrade snapshot() const;

  InstrumentId instrument_;
  Quantity multiplier_;
  Quantity position_;     // signed
  Money cost_;            // price x quantity (no multiplier) of the open position at average cost
  Money entry_notional_;  // sum of price x quantity over entry fills (for the VWAP)
  Money exit_notional_;
  Money gross_pnl_;         // without the multiplier; applied once when reported
  RoundTripTrade current_;  // identity fields of the trade in progress
};

// Every instrument's trades, in the order they closed (ties: fill order); open trades appended at the end
// (in instrument order) when include_open. Multipliers default to 1 per instrument.
std::vector<RoundTripTrade> reconstruct_trades(std::span<const FillRecord> fills,
                                               const std::map<InstrumentId, Quantity>& multipliers = {},
                                               bool include_open = false);

}  // namespace tradingd::backtest
