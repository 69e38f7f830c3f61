// Trade reconstruction. Pro-rata splits (the cost released by a partial close, a flip's fee) use one exact
// 128-bit a*b/c rounded to nearest; the last close releases whatever cost remains, so rounding never
// leaves a residue in a flat position.
#include "backtest/trades.h"

#include <algorithm>

namespace tradingd::backtest {
namespace {

__extension__ typedef __int128 i128;

// a * b / c rounded half away from zero; c > 0. The results here are bounded by a (|b| <= c).
std::int64_t muldiv(std::int64_t a, std::int64_t b, std::int64_t c) {
  const i128 n = static_cast<i128>(a) * b;
  i128 q = n / c;
  const i128 r = n % c;
  if (2 * (r < 0 ? -r : r) >= c) q += n < 0 ? -1 : 1;
  return static_cast<std::int64_t>(q);
}

Money pq(Price p, Quantity q) { return notional(p, q, Rounding::Nearest); }

}  // namespace

std::string_view to_string(PositionSide s) { return s == PositionSide::Long ? "long" : "short"; }

void TradeBuilder::start(const FillRecord& fill, Quantity qty, Money fee) {
  current_ = RoundTripTrade{};
  current_.instrument = instrument_;
  current_.side = fill.side == Side::Buy ? PositionSide::Long : PositionSide::Short;
  current_.entry_ts_ns = fill.ts_ns;
  current_.entry_order_type = fill.order_type;
  current_.quantity = qty;
  current_.max_position = qty;
  current_.fees = fee;
  current_.fill_count = 1;
  position_ = fill.side == Side::Buy ? qty : -qty;
  cost_ = entry_notional_ = pq(fill.price, qty);
  exit_notional_ = gross_pnl_ = Money::zero();
}

RoundTripTrade TradeBuilder::snapshot() const {
  RoundTripTrade t = current_;
  if (t.quantity.is_positive()) t.entry_price = fixed_div<Price>(entry_notional_, t.quantity, Rounding::Nearest);
  if (t.exited_quantity.is_positive())
    t.exit_price = fixed_div<Price>(exit_notional_, t.exited_quantity, Rounding::Nearest);
  t.gross_pnl = multiplier_ == Quantity::from_units(1) ? gross_pnl_
                                                       : fixed_mul<Money>(gross_pnl_, multiplier_, Rounding::Nearest);
  return t;
}

void TradeBuilder::apply(const FillRecord& fill, std::vector<RoundTripTrade>& closed) {
  if (fill.instrument != instrument_ || !fill.quantity.is_positive()) return;
  const Quantity q = fill.quantity;
  if (position_.is_zero()) {
    start(fill, q, fill.fee);
    return;
  }
  const bool adds = (fill.side == Side::Buy) == position_.is_positive();
  if (adds) {
    const Money n = pq(fill.price, q);
    cost_ += n;
    entry_notional_ += n;
    position_ += fill.side == Side::Buy ? q : -q;
    current_.quantity += q;
    current_.max_position = std::max(current_.max_position, position_.abs());
    current_.fees += fill.fee;
    ++current_.fill_count;
    return;
  }
  // Reduces, closes, or flips.
  const Quantity open_qty = position_.abs();
  const Quantity close_qty = std::min(q, open_qty);
  const Money close_fee = close_qty == q ? fill.fee : Money::from_raw(muldiv(fill.fee.raw(), close_qty.raw(), q.raw()));
  const Money released =
      close_qty == open_qty ? cost_ : Money::from_raw(muldiv(cost_.raw(), close_qty.raw(), open_qty.raw()));
  const Money exit_n = pq(fill.price, close_qty);
  gross_pnl_ += current_.side == PositionSide::Long ? exit_n - released : released - exit_n;
  cost_ -= released;
  exit_notional_ += exit_n;
  position_ += position_.is_positive() ? -close_qty : close_qty;
  current_.exited_quantity += close_qty;
  current_.exit_ts_ns = fill.ts_ns;
  current_.exit_order_type = fill.order_type;
  current_.fees += close_fee;
  ++current_.fill_count;
  if (!position_.is_zero()) return;
  RoundTripTrade done = snapshot();
  done.closed = true;
  closed.push_back(done);
  if (close_qty < q) start(fill, q - close_qty, fill.fee - close_fee);  // the flip's remainder opens the next trade
}

std::optional<RoundTripTrade> TradeBuilder::open_trade() const {
  if (position_.is_zero()) return std::nullopt;
  RoundTripTrade t = snapshot();
  t.closed = false;
  t.exit_ts_ns = 0;
  return t;
}

std::vector<RoundTripTrade> reconstruct_trades(std::span<const FillRecord> fills,
                                               const std::map<InstrumentId, Quantity>& multipliers, bool include_open) {
  std::map<InstrumentId, TradeBuilder> builders;
  std::vector<RoundTripTrade> out;
  out.reserve(fills.size() / 2 + 1);  // a round trip takes two fills at least: one growth at most
  // Fills come in runs of one instrument: its builder is looked up again only when the instrument changes.
  auto it = builders.end();
  for (const FillRecord& f : fills) {
    if (it != builders.end() && it->first == f.instrument) {
      it->second.apply(f, out);
      continue;
    }
    it = builders.find(f.instrument);
    if (it == builders.end()) {
      const auto m = multipliers.find(f.instrument);
      it = builders
               .emplace(f.instrument,
                        TradeBuilder(f.instrument, m == multipliers.end() ? Quantity::from_units(1) : m->second))
               .first;
    }
    it->second.apply(f, out);
  }
  if (include_open)
    for (const auto& [id, b] : builders)
      if (auto t = b.open_trade()) out.push_back(*t);
  return out;
}

}  // namespace tradingd::backtest
