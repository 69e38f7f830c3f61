// ProtectiveStops: per-position stop-loss / take-profit bookkeeping. A signal sets them; they follow the
// position (resized as it grows or shrinks, dropped when it closes or flips) and can be moved or canceled.
// Each change returns the actions the engine mirrors as native venue orders where supported; where not,
// on_price() is the local trigger. Pure.
// Invariants: a stop-loss is on the losing side of the reference price and a take-profit on the winning
// side when set; at most one of each per instrument; never a stop for a flat position.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/result.h"

namespace tradingd {

enum class StopKind : std::uint8_t { StopLoss, TakeProfit };
std::string_view to_string(StopKind k);

struct ProtectiveStop {
  Side position_side = Side::Buy;  // the side of the position it protects
  Quantity quantity;               // |position|: what the exit order closes
  std::optional<Price> stop_loss;
  std::optional<Price> take_profit;
};

struct StopAction {
  enum class Kind : std::uint8_t { Place, Replace, Cancel } kind = Kind::Place;
  InstrumentId instrument;
  StopKind stop = StopKind::StopLoss;
  Side exit_side = Side::Sell;  // reduce-only exit: opposite of the position
  Quantity quantity;
  Price trigger_price;
};

// A local trigger fired: send a reduce-only market exit, and cancel the other leg (OCO).
struct StopTrigger {
  InstrumentId instrument;
  StopKind stop = StopKind::StopLoss;
  Side exit_side = Side::Sell;
  Quantity quantity;
  Price trigger_price;
};

enum class StopError : std::uint8_t { FlatPosition, WrongSide, NotFound, NonPositivePrice };
std::string_view to_string(StopError e);

class ProtectiveStops {
 public:
  // From a signal: position is the signed position after the entry; reference the current price. Either
  // price may be absent. Replaces any stops of that instrument.
  Result<std::vector<StopAction>, StopError> set(const InstrumentId& instrument, Quantity position, Price reference,
                                                 std::optional<Price> stop_loss, std::optional<Price> take_profit);
  // Moves one leg (trailing a stop, or from the control API). The same side rule applies.
  Result<std::vector<StopAction>, StopError> move(const InstrumentId& instrument, StopKind kind, Price price, Price reference);
  // Removes one leg, or both (nullopt).
  std::vector<StopAction> cancel(const InstrumentId& instrument, std::optional<StopKind> kind = std::nullopt);
  // The position changed (fill): resize, or drop on close / flip.
  std::vector<StopAction> on_position(const InstrumentId& instrument, Quantity position);
  // Rebuilding persisted state (an operator's move that must survive a restart): no side check, the
  // levels were checked when they were set. Both legs empty removes the stops.
  void restore(const InstrumentId& instrument, const ProtectiveStop& stop);
  // Local emulation: a trade/mark price crossed a leg. The stops are removed (the exit order follows).
  std::optional<StopTrigger> on_price(const InstrumentId& instrument, Price price);

  const ProtectiveStop* find(const InstrumentId& instrument) const;
  const std::map<InstrumentId, ProtectiveStop>& all() const { return stops_; }

 private:
  std::map<InstrumentId, ProtectiveStop> stops_;
};

}  // namespace tradingd
