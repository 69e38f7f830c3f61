// OrderSpec: one validated order definition (what we ask the venue for): the output of signal validation
// and the content of the journal's intent record. Prices are on tick and the quantity on step already;
// nothing downstream rounds again.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"

namespace tradingd {

// Why the order exists: the engine links protective orders to their entry through it (OCO emulation).
enum class OrderRole : std::uint8_t { Entry, StopLoss, TakeProfit, Flatten };
std::string_view to_string(OrderRole r);
std::optional<OrderRole> parse_order_role(std::string_view s);

using OrderTag = InlineString<31>;

struct OrderSpec {
  InstrumentId instrument;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  TimeInForce time_in_force = TimeInForce::Gtc;
  Quantity quantity;
  std::optional<Price> price;          // limit price (Limit, StopLimit)
  std::optional<Price> trigger_price;  // stop price (StopMarket, StopLimit)
  bool reduce_only = false;
  std::optional<Price> stop_loss;      // protective prices for the position this entry opens
  std::optional<Price> take_profit;
  std::optional<Price> reference_price;  // market price when the signal was made: slippage is measured against it
  StrategyId strategy_id;
  OrderTag tag;
  UnixNanos expire_at_ns = 0;  // time-to-live: the monitor cancels the order then; 0 = none
  OrderRole role = OrderRole::Entry;
  OrderId parent_id = 0;  // StopLoss/TakeProfit: the entry order they protect

  friend bool operator==(const OrderSpec&, const OrderSpec&) = default;
};

}  // namespace tradingd
