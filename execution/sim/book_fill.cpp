// L2 book walk for taker fills (see book_fill.h).
#include "execution/sim/book_fill.h"

#include <algorithm>

namespace tradingd::sim {

Quantity walk_book(const OrderBook& book, Side taker_side, Quantity qty, std::optional<Price> limit,
                   std::vector<FillSlice>& out) {
  Quantity total;
  Quantity left = qty;
  book.for_each_level(opposite(taker_side), [&](const BookLevel& level) {
    if (!left.is_positive()) return false;
    if (limit && !crosses(taker_side, *limit, level.price)) return false;
    if (!level.size.is_positive()) return true;
    const Quantity take = std::min(left, level.size);
    out.push_back(FillSlice{level.price, take});
    total += take;
    left -= take;
    return true;
  });
  return total;
}

Quantity fillable_quantity(const OrderBook& book, Side taker_side, Quantity qty, std::optional<Price> limit) {
  Quantity total;
  book.for_each_level(opposite(taker_side), [&](const BookLevel& level) {
    if (total >= qty) return false;
    if (limit && !crosses(taker_side, *limit, level.price)) return false;
    total += level.size;
    return true;
  });
  return std::min(total, qty);
}

Money slices_notional(const std::vector<FillSlice>& slices, Quantity contract_multiplier) {
  Money total;
  const bool unit = contract_multiplier == Quantity::from_units(1);
  for (const auto& s : slices) {
    const Money n = notional(s.price, s.qty, Rounding::Nearest);
    total += unit ? n : fixed_mul<Money>(n, contract_multiplier, Rounding::Nearest);
  }
  return total;
}

}  // namespace tradingd::sim
