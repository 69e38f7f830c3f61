// What a backtest run records and hands to the metrics, the trade reconstruction and the results writers:
// equity samples, fills and orders, in exact fixed point. The backtest loop fills these from the engine's
// events; nothing here depends on the engine. All times are simulated-clock ns (UTC).
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"

namespace tradingd::backtest {

// One sample of the account, in the quote/settlement asset, at least once per bar and after every fill.
struct EquityPoint {
  UnixNanos ts_ns = 0;
  Money equity;    // cash + marked positions
  Money cash;      // free + locked balance in the account currency
  Money exposure;  // gross position notional (sum of |position| x mark); zero when flat
  friend bool operator==(const EquityPoint&, const EquityPoint&) = default;
};

struct FillRecord {
  UnixNanos ts_ns = 0;
  InstrumentId instrument;
  OrderId order_id = 0;
  ClientOrderId client_order_id;
  TradeId trade_id;
  Side side = Side::Buy;
  Quantity quantity;
  Price price;
  // In the quote asset: the loop converts a fee charged in the base asset at the fill price. Negative is a
  // rebate.
  Money fee;
  LiquiditySide liquidity = LiquiditySide::Taker;
  OrderType order_type = OrderType::Market;
  friend bool operator==(const FillRecord&, const FillRecord&) = default;
};

struct OrderRecord {
  OrderId order_id = 0;
  ClientOrderId client_order_id;
  InstrumentId instrument;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  TimeInForce time_in_force = TimeInForce::Gtc;
  Quantity quantity;
  std::optional<Price> price;
  std::optional<Price> trigger_price;
  bool reduce_only = false;
  OrderStatus status = OrderStatus::Initialized;
  Quantity filled_quantity;
  std::optional<Price> avg_fill_price;
  Money fees;
  UnixNanos ts_created_ns = 0;
  UnixNanos ts_last_ns = 0;  // the last event that changed it
  std::string reason;        // why it was rejected/canceled, when it was
  friend bool operator==(const OrderRecord&, const OrderRecord&) = default;
};

}  // namespace tradingd::backtest
