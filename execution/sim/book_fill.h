// Taker fills against an L2 book: walk the far side best first, taking each level's displayed size, up to
// the order's quantity and limit price. One slice per level, at that level's price: the order's average
// price is the volume-weighted price of the slices, and every slice is a price the market offered (never
// mid, never between levels). Pure functions over OrderBook; no allocation beyond the caller's buffer.
#pragma once

#include <optional>
#include <vector>

#include "core/enums.h"
#include "core/fixed_point.h"
#include "exchange/book/order_book.h"

namespace tradingd::sim {

struct FillSlice {
  Price price;
  Quantity qty;
  friend bool operator==(const FillSlice&, const FillSlice&) = default;
};

// Would a limit at `limit` on `side` trade against a resting price `far` on the other side?
constexpr bool crosses(Side side, Price limit, Price far) { return side == Side::Buy ? limit >= far : limit <= far; }
// Is price `a` better than `b` for a resting order of `side` (higher bid, lower ask)?
constexpr bool better_price(Side side, Price a, Price b) { return side == Side::Buy ? a > b : a < b; }

// Appends the slices a taker of `taker_side` gets for up to `qty` (limit-capped when given) and returns
// their total. Levels of the opposite side are read best first; `out` is not cleared.
Quantity walk_book(const OrderBook& book, Side taker_side, Quantity qty, std::optional<Price> limit,
                   std::vector<FillSlice>& out);

// The total a taker could get now (for FOK), without producing slices.
Quantity fillable_quantity(const OrderBook& book, Side taker_side, Quantity qty, std::optional<Price> limit);

// Notional of the slices (price × qty summed, each rounded to nearest as a fill would be).
Money slices_notional(const std::vector<FillSlice>& slices, Quantity contract_multiplier);

}  // namespace tradingd::sim
