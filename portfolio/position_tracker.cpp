// PositionTracker: applies fills and funding idempotently and keeps cash balances in step with positions.
// Spot: the quote balance pays the trade value and quote fees, the base balance moves by the quantity net
// of a base fee. Perpetuals: the settlement balance moves by realized PnL − fees − funding (the position's
// unrealized PnL is counted in equity by the Portfolio, not in the balance).
#include "portfolio/position_tracker.h"

#include <atomic>
#include <utility>

namespace tradingd {

std::string_view to_string(FillResult r) {
  switch (r) {
    case FillResult::Applied: return "applied";
    case FillResult::Duplicate: return "duplicate";
    case FillResult::UnknownInstrument: return "unknown_instrument";
    case FillResult::Invalid: return "invalid";
    case FillResult::Overflow: return "overflow";
  }
  return "unknown";
}

std::uint64_t PositionTracker::Counter::next_lineage() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::size_t PositionTracker::FundingKeyHash::operator()(const FundingKey& k) const noexcept {
  return std::hash<InstrumentId>{}(k.instrument) * 31 + std::hash<std::int64_t>{}(k.ts_ns);
}

PositionTracker::PositionTracker(PriceSource source, std::size_t trade_id_capacity)
    : source_(source), seen_fills_(trade_id_capacity == 0 ? 1 : trade_id_capacity) {}

void PositionTracker::add_instrument(const Instrument& instrument, PositionParams params) {
  ledger_.bump();
  structure_.bump();
  if (auto it = index_.find(instrument.id); it != index_.end()) {
    Position& p = positions_[it->second];
    // Rules (tick, step, multiplier) are replaced only while the position has no history: a different
    // multiplier under an open cost basis would misstate every figure. Parameters always update.
    if (p.fill_count() == 0) {
      p = Position(instrument, params);
      balance_rows_.rows[it->second] = BalanceRows{};  // the assets may differ now
    } else {
      p.set_params(params);
    }
    remark(instrument.id);
    return;
  }
  index_.emplace(instrument.id, positions_.size());
  positions_.emplace_back(instrument, params);
  balance_rows_.rows.emplace_back();
  price_slots_.push_back(prices_.find_slot(instrument.id));
  remark(instrument.id);
}

std::size_t PositionTracker::lookup_index(const InstrumentId& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return ~std::size_t{0};
  last_id_ = id;
  last_index_ = it->second;
  return it->second;
}

Position* PositionTracker::find_mut(const InstrumentId& id) {
  return const_cast<Position*>(std::as_const(*this).find(id));
}

std::size_t PositionTracker::open_position_count() const {
  std::size_t n = 0;
  for (const auto& p : positions_) n += p.is_flat() ? 0 : 1;
  return n;
}

Money PositionTracker::balance(Venue venue, const Asset& asset) const {
  auto it = balances_.find({venue, asset});
  return it == balances_.end() ? Money::zero() : it->second;
}

Money& PositionTracker::balance_row(Venue venue, const Asset& asset) {
  auto [it, inserted] = balances_.try_emplace({venue, asset}, Money::zero());
  if (inserted) structure_.bump();
  return it->second;
}

void PositionTracker::set_balance(Venue venue, const Asset& asset, Money amount) {
  ledger_.bump();
  balance_row(venue, asset) = amount;
}

FillResult PositionTracker::apply_fill(const FillRef& fill) {
  const std::size_t index = index_of(fill.instrument);
  if (index >= positions_.size()) {
    ++stats_.unknown_instrument_fills;
    return FillResult::UnknownInstrument;
  }
  if (!fill.last_quantity.is_positive() || !fill.last_price.is_positive() || fill.trade_id.empty()) {
    ++stats_.invalid_fills;
    return FillResult::Invalid;
  }
  // The duplicate check waits until the fill is computed (on copies, so nothing changed yet): the table
  // slots it reads are fetched meanwhile. A duplicate is reported as such whatever the computation did.
  const auto key_index = static_cast<std::uint32_t>(index);
  const std::uint64_t key_hash = RecentTradeIds::hash(key_index, fill.trade_id);
  seen_fills_.prefetch(key_hash);
  const auto duplicate = [&] {
    if (!seen_fills_.contains(key_index, fill.trade_id, key_hash)) return false;
    ++stats_.duplicate_fills;
    return true;
  };

  Position& pos = positions_[index];
  BalanceRows& rows = balance_rows_.rows[index];
  const Instrument& inst = pos.instrument();
  const Venue venue = inst.id.venue;
  const bool spot = !inst.is_perpetual();
  const Asset& cash_asset = spot ? inst.quote : inst.settle;
  enum class FeeIn { Cash, Base, Other } fee_in = FeeIn::Cash;
  if (!fill.fee_asset.empty() && fill.fee_asset != inst.quote && fill.fee_asset != inst.settle)
    fee_in = spot && fill.fee_asset == inst.base ? FeeIn::Base : FeeIn::Other;

  PositionFill pf;
  pf.side = fill.side;
  pf.quantity = fill.last_quantity;
  pf.price = fill.last_price;
  pf.ts_ns = fill.ts_event_ns;
  if (fee_in == FeeIn::Cash) pf.fee_quote = fill.fee;
  if (fee_in == FeeIn::Base) pf.fee_base = Quantity::from_raw(fill.fee.raw());  // the fee is an amount of base

  try {
    // Everything is computed on copies and committed together, so an overflow changes nothing.
    // Marked at once to the source's stored price (if any), as mark() would after the fill.
    std::int64_t mark = 0;
    if (const std::uint32_t slot = price_slots_[index]; slot != MarketPrices::kNone)
      mark = MarketPrices::price_raw(prices_.slots_[slot], source_);
    Position::PreparedFill next = pos.prepare_fill(pf, Price::from_raw(mark));
    const PositionFillEffect& e = next.effect();
    Money cash = rows.cash ? *rows.cash : balance(venue, cash_asset);
    Money base = !spot ? Money::zero() : rows.base ? *rows.base : balance(venue, inst.base);
    Money other = fee_in == FeeIn::Other ? balance(venue, fill.fee_asset) : Money::zero();
    Money other_fee = Money::zero();
    if (fee_in == FeeIn::Other)
      if (auto it = other_fees_.find({venue, fill.fee_asset}); it != other_fees_.end()) other_fee = it->second;
    if (spot) {
      cash -= e.trade_value + pf.fee_quote;
      base += Money::from_raw(e.quantity_delta.raw());
    } else {
      cash += e.realized_pnl - pf.fee_quote;
    }
    if (fee_in == FeeIn::Other) {
      other -= fill.fee;
      other_fee += fill.fee;
    }

    if (duplicate()) return FillResult::Duplicate;
    pos.commit(next);
    if (!rows.cash) rows.cash = &balance_row(venue, cash_asset);
    *rows.cash = cash;
    if (spot) {
      if (!rows.base) rows.base = &balance_row(venue, inst.base);
      *rows.base = base;
    }
    if (fee_in == FeeIn::Other) {
      balance_row(venue, fill.fee_asset) = other;
      other_fees_[{venue, fill.fee_asset}] = other_fee;
    }
  } catch (const FixedPointOverflow&) {
    if (duplicate()) return FillResult::Duplicate;
    ++stats_.overflows;
    invariant_broken_ = true;
    return FillResult::Overflow;
  }
  seen_fills_.insert(key_index, fill.trade_id, key_hash);
  ledger_.bump();
  ++stats_.fills_applied;
  return FillResult::Applied;
}

FillResult PositionTracker::apply_funding(const FundingEvent& funding) {
  Position* pos = find_mut(funding.instrument);
  if (!pos) return FillResult::UnknownInstrument;
  if (!pos->is_perpetual()) return FillResult::Invalid;
  const FundingKey key{funding.instrument, funding.funding_time_ns};
  if (seen_funding_.contains(key)) return FillResult::Duplicate;
  try {
    Position next = *pos;
    Money paid;
    if (funding.paid) {
      paid = *funding.paid;
      next.apply_funding_payment(paid);
    } else {
      if (!funding.price.is_positive()) return FillResult::Invalid;
      paid = next.apply_funding_rate(funding.rate, funding.price);
    }
    const Asset& settle = pos->instrument().settle;
    const Money cash = balance(funding.instrument.venue, settle) - paid;
    *pos = std::move(next);
    balance_row(funding.instrument.venue, settle) = cash;
  } catch (const FixedPointOverflow&) {
    ++stats_.overflows;
    invariant_broken_ = true;
    return FillResult::Overflow;
  }
  seen_funding_.insert(key);
  ledger_.bump();
  ++stats_.funding_applied;
  return FillResult::Applied;
}

FillResult PositionTracker::apply(const LedgerEvent& event) {
  if (const auto* f = std::get_if<OrderFilled>(&event)) return apply_fill(*f);
  if (const auto* f = std::get_if<FundingEvent>(&event)) return apply_funding(*f);
  const auto& b = std::get<BalanceSet>(event);
  set_balance(b.venue, b.asset, b.amount);
  return FillResult::Applied;
}

void PositionTracker::remark(const InstrumentId& id) {
  prices_changed_.bump();  // a stored price changed: the figures valued with it (or with the mark) change
  Position* pos = find_mut(id);
  if (!pos) return;
  const auto price = prices_.price(id, source_);
  if (!price) return;
  try {
    pos->mark(*price);  // mark() computes before it stores: an overflow leaves the old mark
  } catch (const FixedPointOverflow&) {
    ++stats_.overflows;
    invariant_broken_ = true;
  }
}

InstrumentPrices& PositionTracker::first_prices_of(std::size_t i) {
  std::uint32_t& slot = price_slots_[i];
  slot = prices_.slot_of(positions_[i].id());
  return prices_.slots_[slot];
}

void PositionTracker::remark_at(std::size_t i, const InstrumentPrices& prices) {
  remark_to(i, MarketPrices::price_raw(prices, source_));
}

void PositionTracker::remark_to(std::size_t i, std::int64_t price) {
  prices_changed_.bump();
  if (price == 0) return;
  try {
    positions_[i].mark(Price::from_raw(price));  // mark() computes before it stores: an overflow leaves the old mark
  } catch (const FixedPointOverflow&) {
    ++stats_.overflows;
    invariant_broken_ = true;
  }
}

void PositionTracker::on_trade(const TradeTick& tick) {
  on_trade_price(tick.instrument, tick.price, tick.ts_recv_ns ? tick.ts_recv_ns : tick.ts_event_ns);
}

void PositionTracker::on_trade_price_general(const InstrumentId& id, Price price, UnixNanos ts_ns) {
  if (!price.is_positive()) return;
  if (const std::size_t i = index_of(id); i < positions_.size()) {
    InstrumentPrices& p = prices_of(i);
    if (!MarketPrices::store_trade(p, price, ts_ns)) return;
    // The price the source picks, without the fallback chain when the trade itself is it: Last, or Mark on
    // an instrument that has no mark price (spot).
    const bool is_trade = source_ == PriceSource::Last || (source_ == PriceSource::Mark && !p.has_mark);
    remark_to(i, is_trade ? price.raw() : MarketPrices::price_raw(p, source_));
  } else if (prices_.on_trade(id, price, ts_ns)) {
    prices_changed_.bump();
  }
}

void PositionTracker::on_quote(const QuoteTick& q) {
  const Price bid = q.bid_price, ask = q.ask_price;
  if (!bid.is_positive() || !ask.is_positive() || bid > ask) return;  // one-sided or crossed: no mid
  const UnixNanos ts = q.ts_recv_ns ? q.ts_recv_ns : q.ts_event_ns;
  if (const std::size_t i = index_of(q.instrument); i < positions_.size()) {
    InstrumentPrices& p = prices_of(i);
    if (MarketPrices::store_quote(p, bid, ask, ts)) remark_at(i, p);
  } else if (prices_.on_quote(q.instrument, bid, ask, ts)) {
    prices_changed_.bump();
  }
}

void PositionTracker::on_mark_price(const MarkPriceUpdate& u) {
  if (!u.mark_price.is_positive()) return;
  const UnixNanos ts = u.ts_recv_ns ? u.ts_recv_ns : u.ts_event_ns;
  if (const std::size_t i = index_of(u.instrument); i < positions_.size()) {
    InstrumentPrices& p = prices_of(i);
    if (MarketPrices::store_mark(p, u.mark_price, ts)) remark_at(i, p);
  } else if (prices_.on_mark(u.instrument, u.mark_price, ts)) {
    prices_changed_.bump();
  }
}

std::size_t replay(PositionTracker& tracker, std::span<const LedgerEvent> events) {
  std::size_t applied = 0;
  for (const auto& e : events)
    if (tracker.apply(e) == FillResult::Applied) ++applied;
  return applied;
}

}  // namespace tradingd
